"""Unguessable links that work without an account (a registration's manage link, a follow's unsubscribe link).

The database keeps a random nonce and the hash of the link's token, never the
token itself: a copy of the database alone opens nothing. With the secret key
the token can be made again from the nonce, so a lost link can be mailed anew
without changing it.
"""
from __future__ import annotations

import base64
import hashlib
import hmac
import secrets

from app.core import settings


def new_nonce() -> str:
    return secrets.token_hex(16)


def token_for(purpose: str, nonce: str) -> str:
    mac = hmac.new(settings.get("SECRET_KEY").encode(), f"{purpose}:{nonce}".encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(mac).decode().rstrip("=")


def digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()
