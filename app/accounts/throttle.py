"""Counting failed logins, per normalised email and per client address."""
from __future__ import annotations

import math
import time

from flask import request
from limits import RateLimitItemPerMinute

from app.core import settings
from app.extensions import limiter


def _item() -> RateLimitItemPerMinute:
    return RateLimitItemPerMinute(settings.get("LOGIN_FAILURES_PER_MINUTE"))


def _keys(email: str) -> list[tuple[str, str]]:
    return [("login-email", email), ("login-addr", request.remote_addr or "unknown")]


def retry_after(email: str) -> int | None:
    """Seconds to wait when either counter is full, else None."""
    item = _item()
    waits = []
    for key in _keys(email):
        if not limiter.limiter.test(item, *key):
            reset_at, _remaining = limiter.limiter.get_window_stats(item, *key)
            waits.append(max(1, math.ceil(reset_at - time.time())))
    return max(waits) if waits else None


def record_failure(email: str) -> None:
    item = _item()
    for key in _keys(email):
        limiter.limiter.hit(item, *key)
