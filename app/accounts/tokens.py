"""Signed links sent by mail: verify, reset, change email, unsubscribe, staff invitation.

A link names its account by ``User.link_key``, never by its id. Each kind is a secret link
(app/core/secret_links.py): the mail in the outbox keeps the payload, and the signature is made
when the mail is sent, so the outbox alone opens nothing."""
from __future__ import annotations

import hashlib
from typing import Any

from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

from app.core import secret_links, settings

VERIFY_EMAIL = "verify-email"
RESET_PASSWORD = "reset-password"
SET_PASSWORD = "set-password"
CHANGE_EMAIL = "change-email"
UNSUBSCRIBE = "unsubscribe"
INVITATION = "invitation"


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


def _signed(purpose: str):
    return lambda payload: make(purpose, payload)


# What send_mail is given in place of a URL: ``RESET_LINK({"k": user.link_key, ...})``.
VERIFY_LINK = secret_links.kind("verify-email", "accounts.verify", _signed(VERIFY_EMAIL))
RESET_LINK = secret_links.kind("reset-password", "accounts.reset_password", _signed(RESET_PASSWORD))
SET_PASSWORD_LINK = secret_links.kind("set-password", "accounts.reset_password", _signed(SET_PASSWORD))
CHANGE_EMAIL_LINK = secret_links.kind("change-email", "accounts.confirm_email", _signed(CHANGE_EMAIL))
UNSUBSCRIBE_LINK = secret_links.kind("unsubscribe", "accounts.unsubscribe", _signed(UNSUBSCRIBE))
INVITATION_LINK = secret_links.kind("invitation", "accounts.accept_invitation", _signed(INVITATION))
