"""Signed links sent by mail: verify, reset, change email, unsubscribe."""
from __future__ import annotations

import hashlib
from typing import Any

from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

from app.core import settings

VERIFY_EMAIL = "verify-email"
RESET_PASSWORD = "reset-password"
SET_PASSWORD = "set-password"
CHANGE_EMAIL = "change-email"
UNSUBSCRIBE = "unsubscribe"


def _serializer(purpose: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(settings.get("SECRET_KEY"), salt=f"medvirk-{purpose}")


def make(purpose: str, payload: dict[str, Any]) -> str:
    return _serializer(purpose).dumps(payload)


def read(purpose: str, token: str, max_age: int | None) -> dict[str, Any] | None:
    """The payload, or None when the link is forged, damaged or too old."""
    try:
        payload = _serializer(purpose).loads(token, max_age=max_age)
    except (SignatureExpired, BadSignature):
        return None
    return payload if isinstance(payload, dict) else None


def password_fingerprint(password_hash: str | None) -> str:
    """Changes whenever the password does, so a reset link works once."""
    return hashlib.sha256((password_hash or "").encode()).hexdigest()[:16]


def fingerprint(value: str | None) -> str:
    """A short keyed hash: ties a link to an address without putting the address in the link."""
    return hashlib.sha256(f"{settings.get('SECRET_KEY')}:{value or ''}".encode()).hexdigest()[:20]
