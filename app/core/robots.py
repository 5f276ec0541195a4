"""Spam checks without a CAPTCHA for forms a visitor may send: a field people cannot see
and a minimum time to fill in the form, measured from a signed time stamp in the form."""
from __future__ import annotations

import time

from itsdangerous import BadSignature, URLSafeSerializer

from app.core import settings
from app.core.i18n import lazy_gettext as _l
from app.core.rules import RuleBroken

HONEYPOT, TOO_QUICK = "honeypot", "too_quick"


def _signer() -> URLSafeSerializer:
    return URLSafeSerializer(settings.get("SECRET_KEY"), salt="medvirk-form-started")


def started_token() -> str:
    """When the form was shown, signed, so the time it took to fill in can be checked."""
    return _signer().dumps(int(time.time()))


def started_at(started: str | None) -> int | None:
    """When the form was first shown, if the signed value is genuine."""
    try:
        return int(_signer().loads(started or ""))
    except (BadSignature, TypeError, ValueError):
        return None


def keep_started(form) -> None:
    """Give the form its time stamp once; a form sent back with an error keeps the first one,
    so fixing a mistake quickly is not taken for a robot."""
    if not started_at(form.started.data):
        form.started.data = started_token()


def suspicion(started: str | None, honeypot: str | None, min_seconds: int) -> str | None:
    """Why the form looks sent by a program (HONEYPOT or TOO_QUICK), or None."""
    if honeypot:
        return HONEYPOT
    shown_at = started_at(started)
    if shown_at is None or time.time() - shown_at < min_seconds:
        return TOO_QUICK
    return None


def check(started: str | None, honeypot: str | None, min_seconds: int, too_quick,
          refuse: type[RuleBroken] = RuleBroken) -> None:
    """Raise ``refuse`` when the form looks sent by a program; ``too_quick`` tells a person who was
    just fast what to check before sending again."""
    reason = suspicion(started, honeypot, min_seconds)
    if reason == HONEYPOT:
        raise refuse(_l("We could not accept the form because a field that should be empty was filled in. "
                        "Please try again."))
    if reason == TOO_QUICK:
        raise refuse(too_quick)
