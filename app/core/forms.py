"""Form pieces every domain shares."""
from __future__ import annotations

from urllib.parse import urlsplit

from flask import request, url_for
from flask_wtf import FlaskForm
from wtforms import HiddenField


class ActionForm(FlaskForm):
    """A form with nothing but its CSRF token: for buttons that change state (log out, withdraw...)."""


def safe_next(target: str | None, default_endpoint: str = "pages.home") -> str:
    """Follow ``next=`` only when it stays on this site."""
    if target:
        target = target.strip()
        parts = urlsplit(target)
        if (
            not parts.scheme
            and not parts.netloc
            and target.startswith("/")
            and not target.startswith("//")
            and "\\" not in target
            and not any(ord(c) < 32 for c in target)
        ):
            return target
    return url_for(default_endpoint)


class NextField(HiddenField):
    """Carries ``next=`` through a form post."""

    def _value(self):
        return self.data or request.args.get("next", "")
