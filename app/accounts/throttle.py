"""Counting failed logins, per normalised email and per client address."""
from __future__ import annotations

from flask import request

from app.core import settings, throttle


def _limit() -> str:
    return f"{settings.get('LOGIN_FAILURES_PER_MINUTE')} per minute"


def _keys(email: str) -> list[tuple[str, str]]:
    return [("login-email", email), ("login-addr", request.remote_addr or "unknown")]


def retry_after(email: str) -> int | None:
    """Seconds to wait when either counter is full, else None."""
    waits = [wait for key in _keys(email) if (wait := throttle.retry_after(_limit(), *key)) is not None]
    return max(waits) if waits else None


def record_failure(email: str) -> None:
    for key in _keys(email):
        throttle.hit(_limit(), *key)
