"""Counting attempts in a moving window, for rules that answer with a form instead of an error page;
and the rate-limit storage that keeps counting when Redis is down.

Flask-Limiter and the limits here share one storage. When it is Redis (``RATELIMIT_STORAGE_URI``),
it is wrapped in ``FailSafeStorage``: if Redis does not answer, counting goes on in the worker's
memory (so limits still hold, per worker) instead of every limited page answering 500, and Redis
is asked again every ``RATELIMIT_STORAGE_RETRY_SECONDS``; from then on it counts again.

With ``RATELIMIT_ENABLED = False`` there are no limits at all: nothing is counted and every attempt
is allowed, here as in Flask-Limiter (which then has no storage to count in).
"""
from __future__ import annotations

import math
import threading
import time
from typing import Any

from flask import current_app, has_app_context
from limits import parse
from limits.storage import MemoryStorage, MovingWindowSupport, SlidingWindowCounterSupport, Storage, storage_from_string

from app.core import redis_health
from app.extensions import limiter

PREFIX = "failsafe+"


def retry_after(limit: str, *key: str) -> int | None:
    """Seconds to wait when ``limit`` (e.g. "5 per minute") is used up for ``key``, else None."""
    if not _enabled():
        return None
    item = parse(limit)
    key = _prefixed(key)
    if limiter.limiter.test(item, *key):
        return None
    reset_at, _remaining = limiter.limiter.get_window_stats(item, *key)
    return max(1, math.ceil(reset_at - time.time()))


def hit(limit: str, *key: str) -> None:
    if _enabled():
        limiter.limiter.hit(parse(limit), *_prefixed(key))


def _enabled() -> bool:
    # Read from the app's own settings: the limiter is one object shared by every app in the process.
    return not has_app_context() or bool(current_app.config.get("RATELIMIT_ENABLED", True))


def _prefixed(key: tuple[str, ...]) -> tuple[str, ...]:
    # RATELIMIT_KEY_PREFIX keeps apps that share one Redis apart, for these limits as for Flask-Limiter's.
    prefix = current_app.config.get("RATELIMIT_KEY_PREFIX") if has_app_context() else None
    return (prefix, *key) if prefix else key


def configure(app) -> None:
    """Before ``limiter.init_app``: a Redis storage is used through ``FailSafeStorage``."""
    uri = app.config.get("RATELIMIT_STORAGE_URI") or "memory://"
    if uri.startswith(("redis", "rediss", "valkey")):
        app.config["RATELIMIT_STORAGE_URI"] = PREFIX + uri
        app.config["RATELIMIT_STORAGE_OPTIONS"] = {
            **redis_health.client_options(), **(app.config.get("RATELIMIT_STORAGE_OPTIONS") or {}),
            "retry_seconds": app.config["RATELIMIT_STORAGE_RETRY_SECONDS"]}


class FailSafeStorage(Storage, MovingWindowSupport, SlidingWindowCounterSupport):
    """A Redis storage that never raises: while Redis does not answer, counting goes on in memory."""

    STORAGE_SCHEME = [PREFIX + scheme for scheme in ("redis", "rediss", "redis+unix", "valkey", "valkeys")]

    def __init__(self, uri: str, wrap_exceptions: bool = False, retry_seconds: float = 10, **options: Any):
        super().__init__(uri, wrap_exceptions=wrap_exceptions)
        self.uri = uri.removeprefix(PREFIX)
        self.primary = storage_from_string(self.uri, **options)
        self.fallback = MemoryStorage()
        self.retry_seconds = float(retry_seconds)
        self._retry_at: float | None = None   # while Redis is away: when to ask it again
        self._lock = threading.Lock()

    def _call(self, name: str, *args: Any, **kwargs: Any) -> Any:
        if self._retry_at is not None and not self._back():
            return getattr(self.fallback, name)(*args, **kwargs)
        try:
            return getattr(self.primary, name)(*args, **kwargs)
        except Exception as error:  # any failure of the store: the page must still answer
            with self._lock:
                self._retry_at = time.monotonic() + self.retry_seconds
            redis_health.failed(self.uri, error)
            return getattr(self.fallback, name)(*args, **kwargs)

    def _back(self) -> bool:
        """Whether Redis answers again; asked at most every ``retry_seconds``."""
        with self._lock:
            if self._retry_at is None:
                return True
            if time.monotonic() < self._retry_at:
                return False
            self._retry_at = time.monotonic() + self.retry_seconds
        if not self.primary.check():
            return False
        with self._lock:
            self._retry_at = None
        redis_health.answered(self.uri)
        return True

    @property
    def base_exceptions(self) -> tuple[type[Exception], ...]:
        return ()   # nothing escapes _call

    def incr(self, key: str, expiry: int, amount: int = 1) -> int:
        return self._call("incr", key, expiry, amount=amount)

    def get(self, key: str) -> int:
        return self._call("get", key)

    def get_expiry(self, key: str) -> float:
        return self._call("get_expiry", key)

    def check(self) -> bool:
        return True   # answering either way; Flask-Limiter's own fallback is never needed

    def reset(self) -> int | None:
        self.fallback.reset()
        return self._call("reset")

    def clear(self, key: str) -> None:
        self.fallback.clear(key)
        self._call("clear", key)

    def acquire_entry(self, key: str, limit: int, expiry: int, amount: int = 1) -> bool:
        return self._call("acquire_entry", key, limit, expiry, amount=amount)

    def get_moving_window(self, key: str, limit: int, expiry: int) -> tuple[float, int]:
        return self._call("get_moving_window", key, limit, expiry)

    def acquire_sliding_window_entry(self, key: str, limit: int, expiry: int, amount: int = 1) -> bool:
        return self._call("acquire_sliding_window_entry", key, limit, expiry, amount=amount)

    def get_sliding_window(self, key: str, expiry: int) -> tuple[int, float, int, float]:
        return self._call("get_sliding_window", key, expiry)

    def clear_sliding_window(self, key: str, expiry: int) -> None:
        self._call("clear_sliding_window", key, expiry)
