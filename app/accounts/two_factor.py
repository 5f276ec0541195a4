"""Two-step login for staff: a time-based one-time code (TOTP, RFC 6238) from any authenticator app,
and ten one-time recovery codes for when the phone is lost.

The TOTP secret is stored as it is (the server must compute the codes from it) and never leaves the
set-up page. Recovery codes are kept only as an HMAC-SHA256 keyed with SECRET_KEY: they are random,
so no slow hash is needed, and a copy of the database alone is not enough to check guesses. Changing
SECRET_KEY voids them: renew them on the account page, or reset with ``flask users reset-two-factor``.

Functions flush, never commit: the view commits once.
"""
from __future__ import annotations

import hashlib
import hmac
import secrets
import time

import pyotp
import segno
from sqlalchemy import delete, func, or_, select, update

from app.accounts import throttle
from app.accounts.models import RecoveryCode, User
from app.accounts.services import end_all_sessions
from app.core import audit, settings
from app.core.db import rows_changed, utcnow
from app.core.i18n import lazy_gettext as _l
from app.core.mail import send_mail
from app.core.security import verify_password
from app.core.urls import site_url
from app.extensions import db

ISSUER = "Medvirk"
# A phone's clock may be one 30-second step off either way.
DRIFT_STEPS = 1
RECOVERY_CODE_COUNT = 10
# Ten characters from 31 (no 0/o or 1/l/i to mix up): about 50 bits each.
_RECOVERY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"
_RECOVERY_LENGTH = 10


class TwoFactorError(Exception):
    """A code was refused; ``field`` names the form field the message belongs beside."""

    def __init__(self, message, field: str):
        super().__init__(str(message))
        self.message = message
        self.field = field


# --- setting up ------------------------------------------------------------------------------


def start_setup(user: User) -> str:
    """The secret to scan: made on the first visit, the same one until it is confirmed.

    So the set-up page shows the key again (QR code and text) on every visit until a code confirms it.
    Accepted on purpose: only a session that gave this account's password sees it, the key protects
    nothing until a code from it turns it on, and a new key per visit would break set-up for a person
    who reloads the page after scanning. Once confirmed it is never shown again (the page leads to the
    code page; tests/security/round_two/test_p22_totp_key_shown_until_confirmed.py)."""
    assert not user.has_two_factor, "a confirmed second factor is changed only by a reset"
    if user.totp_secret is None:
        user.totp_secret = pyotp.random_base32()
        db.session.flush()
    return user.totp_secret


def provisioning_uri(user: User) -> str:
    return pyotp.TOTP(user.totp_secret).provisioning_uri(name=user.email, issuer_name=ISSUER)


def qr_code(user: User) -> str:
    """The otpauth URI as a QR code: an SVG in a data URI, for an <img> (the CSP allows data: images).
    Dark on white whatever the page's colours, with the quiet zone scanners need."""
    return segno.make(provisioning_uri(user), error="m").svg_data_uri(scale=5, border=4, dark="#000", light="#fff")


def grouped(secret: str) -> str:
    """The secret in groups of four, for typing it into an app by hand."""
    return " ".join(secret[i:i + 4] for i in range(0, len(secret), 4))


def confirm_setup(user: User, code: str) -> list[str]:
    """Turn the second factor on with a first right code; returns the recovery codes, to show once."""
    if user.totp_secret is None or user.has_two_factor:
        raise TwoFactorError(_l("Start again from the set-up page."), field="code")
    check_code(user, code)
    user.totp_confirmed_at = utcnow()
    codes = _new_recovery_codes(user)
    audit.record(user, "user.two_factor_setup", user)
    return codes


# --- codes from the app ----------------------------------------------------------------------------


def _matching_step(secret: str, code: str) -> int | None:
    totp = pyotp.TOTP(secret)
    current = int(time.time()) // totp.interval
    for step in range(current - DRIFT_STEPS, current + DRIFT_STEPS + 1):
        if hmac.compare_digest(totp.generate_otp(step), code):
            return step
    return None


def _take_step(user: User, step: int) -> bool:
    """Record ``step`` as used unless it (or a later one) already is: one statement, so two requests
    with the same code cannot both pass."""
    taken = rows_changed(db.session.execute(
        update(User).where(User.id == user.id, or_(User.totp_last_step.is_(None), User.totp_last_step < step))
        .values(totp_last_step=step).execution_options(synchronize_session=False)
    )) == 1
    db.session.expire(user, ["totp_last_step"])
    return taken


def check_code(user: User, code: str) -> None:
    """Accept a code from the app once, or raise TwoFactorError."""
    step = _matching_step(user.totp_secret, code) if user.totp_secret else None
    if step is None:
        raise TwoFactorError(_l("The code is not right. Enter the newest code in your authenticator app, "
                                "and check that the clock on your phone is right."), field="code")
    if not _take_step(user, step):
        raise TwoFactorError(_l("This code has been used already. Wait for the next code in the app and "
                                "enter that."), field="code")


def code_refused(user: User) -> None:
    """Count a wrong code (or recovery code) against this account from this client, and tell the owner
    by mail when wrong codes pile up: whoever typed them has the password (app/accounts/throttle.py)."""
    if throttle.record_second_factor_failure(user.id):
        send_mail(
            user.email, user.locale, "second_factor_failures", _l("Someone knows your Medvirk password"),
            user=user, count=throttle.SECOND_FACTOR_FAILURES_BEFORE_TELLING, reset_url=site_url("accounts.request_reset"),
        )


# --- recovery codes ----------------------------------------------------------------------------------


def _hash(code: str) -> str:
    normalised = "".join(code.split()).replace("-", "").lower()
    return hmac.new(settings.get("SECRET_KEY").encode(), normalised.encode(), hashlib.sha256).hexdigest()


def _new_recovery_codes(user: User) -> list[str]:
    """Replace every recovery code of ``user`` with ten new ones; returns them as people read them."""
    db.session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    codes = []
    for _ in range(RECOVERY_CODE_COUNT):
        raw = "".join(secrets.choice(_RECOVERY_ALPHABET) for _ in range(_RECOVERY_LENGTH))
        codes.append(f"{raw[:5]}-{raw[5:]}")
    db.session.add_all(RecoveryCode(user_id=user.id, code_hash=_hash(code)) for code in codes)
    db.session.flush()
    return codes


def use_recovery_code(user: User, code: str) -> int:
    """Spend one recovery code instead of a code from the app; returns how many are left."""
    used = rows_changed(db.session.execute(
        delete(RecoveryCode).where(RecoveryCode.user_id == user.id, RecoveryCode.code_hash == _hash(code))
    ))
    if used != 1:
        raise TwoFactorError(_l("This recovery code is not right, or it has been used already."), field="recovery_code")
    audit.record(user, "user.recovery_code_used", user)
    return recovery_codes_left(user)


def recovery_codes_left(user: User) -> int:
    return db.session.scalar(select(func.count(RecoveryCode.id)).where(RecoveryCode.user_id == user.id)) or 0


def renew_recovery_codes(user: User, password: str) -> list[str]:
    """New recovery codes for old ones, after the password is given again."""
    if not verify_password(user.password_hash, password):
        raise TwoFactorError(_l("The password is not correct."), field="password")
    codes = _new_recovery_codes(user)
    audit.record(user, "user.recovery_codes_renewed", user)
    return codes


# --- a lost phone --------------------------------------------------------------------------------------


def reset(user: User, actor: User | None = None) -> None:
    """Turn the second factor off (a lost phone) and end every session: it is set up again at the next login."""
    user.totp_secret = None
    user.totp_confirmed_at = None
    user.totp_last_step = None
    db.session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    end_all_sessions(user)
    audit.record(actor, "user.two_factor_reset", user)
