"""Absolute links to the site, for mail and calendar files: built on BASE_URL, never on the request."""
from __future__ import annotations

from flask import url_for

from app.core import settings


def site_url(endpoint: str, **values) -> str:
    """An absolute link for a mail, built on BASE_URL, never on the request's Host header
    (a forged Host would otherwise put an attacker's address into a reset link)."""
    return settings.get("BASE_URL").rstrip("/") + url_for(endpoint, _external=False, **values)
