"""Redis helps (shared rate-limit counts, the page cache's generation) but is never needed to answer.

Whatever uses it catches its errors and carries on without it: rate limits are counted in the
worker's memory (app/core/throttle.py), the page cache serves and keeps nothing. This module only
keeps the log readable: one line when a Redis location stops answering and one when it answers
again, per worker, not one per request.
"""
from __future__ import annotations

import logging
import threading
import time
from urllib.parse import urlsplit

from redis.backoff import NoBackoff
from redis.retry import Retry

log = logging.getLogger("medvirk.redis")
_lock = threading.Lock()
_down_since: dict[str, float] = {}


def client_options() -> dict:
    """For a Redis client that fails fast: redis-py retries a lost connection ten times with back-off
    by default, which would hold every request for seconds while Redis is down."""
    return {"socket_timeout": 0.5, "socket_connect_timeout": 0.5, "retry": Retry(NoBackoff(), 0)}


def location(url: str) -> str:
    """Where, without a password: ``host:port/db``."""
    parts = urlsplit(url)
    return f"{parts.hostname or '?'}:{parts.port or 6379}{parts.path or '/0'}"


def failed(url: str, error: BaseException) -> None:
    where = location(url)
    with _lock:
        if where in _down_since:
            return
        _down_since[where] = time.monotonic()
    log.error("Redis at %s is not answering (%s): rate limits are counted in each worker's memory and the page "
              "cache is off until it answers again", where, type(error).__name__)


def answered(url: str) -> None:
    where = location(url)
    with _lock:
        since = _down_since.pop(where, None)
    if since is not None:
        log.warning("Redis at %s answers again after %d s: rate limits are shared again", where,
                    round(time.monotonic() - since))
