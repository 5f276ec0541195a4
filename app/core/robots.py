"""Spam checks without a CAPTCHA for forms a visitor may send: a field people cannot see
and a minimum time to fill in the form, measured from a signed time stamp in the form.

Each stamp is used once: it carries a random nonce, and ``spend`` (called when the form it came
with is taken) remembers that nonce in the rate-limit storage, so a robot that waited once cannot
send the same stamp with form after form. A stamp lives a day, as long as a spent one is remembered.
"""
from __future__ import annotations

import secrets
import time

from itsdangerous import BadSignature, URLSafeSerializer

from app.core import settings, throttle
from app.core.i18n import lazy_gettext as _l
from app.core.rules import RuleBroken

HONEYPOT, TOO_QUICK = "honeypot", "too_quick"


def _signer() -> URLSafeSerializer:
    return URLSafeSerializer(settings.get("SECRET_KEY"), salt="medvirk-form-started")


MAX_AGE_SECONDS = 24 * 3600
_SPENT = "1 per day"   # a spent nonce is remembered as long as a stamp lives


def started_token() -> str:
    """When the form was shown, and a nonce, signed, so the time it took to fill in can be checked once."""
    return _signer().dumps([int(time.time()), secrets.token_urlsafe(12)])


def _read(started: str | None) -> tuple[int, str] | None:
    try:
        value = _signer().loads(started or "")
    except (BadSignature, TypeError, ValueError):
        return None
    if (not isinstance(value, list) or len(value) != 2 or not isinstance(value[0], int)
            or not isinstance(value[1], str)):
        return None   # includes the stamps of before, a bare time that could be sent again and again
    shown_at, nonce = value
    if time.time() - shown_at > MAX_AGE_SECONDS:
        return None
    return shown_at, nonce


def started_at(started: str | None) -> int | None:
    """When the form was first shown, if the signed value is genuine, recent and not yet spent."""
    read = _read(started)
    if read is None or throttle.retry_after(_SPENT, "form-started", read[1]) is not None:
        return None
    return read[0]


def spend(started: str | None) -> None:
    """The form this stamp came with was taken: the stamp is refused from now on."""
    read = _read(started)
    if read is not None:
        throttle.hit(_SPENT, "form-started", read[1])


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
