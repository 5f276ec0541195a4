"""Passwords, response headers and the staff idle timeout."""
from __future__ import annotations

import time
from collections.abc import Sequence
from urllib.parse import urlsplit

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from flask import current_app, flash, g, redirect, request, session, url_for
from flask_login import current_user, logout_user
from zxcvbn import zxcvbn

from app.core import clients, drafts, settings
from app.core.i18n import ngettext
from app.core.permissions import PUBLIC, Role

PASSWORD_MIN = 12
PASSWORD_MAX = 128
# zxcvbn scores 0-4; 0 and 1 are among the most common or trivially guessable.
PASSWORD_MIN_SCORE = 2


def _hasher() -> PasswordHasher:
    cfg = current_app.config
    kwargs = {
        key: cfg[name]
        for key, name in (
            ("time_cost", "ARGON2_TIME_COST"),
            ("memory_cost", "ARGON2_MEMORY_COST"),
            ("parallelism", "ARGON2_PARALLELISM"),
        )
        if cfg.get(name) is not None
    }
    return PasswordHasher(**kwargs)


def hash_password(password: str) -> str:
    return _hasher().hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    if not password_hash:
        # Spend the same effort, so timing does not tell whether an account exists.
        _hasher().hash(password)
        return False
    try:
        return _hasher().verify(password_hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def password_needs_rehash(password_hash: str) -> bool:
    return _hasher().check_needs_rehash(password_hash)


def password_is_guessable(password: str, user_inputs: Sequence[str | None] = ()) -> bool:
    # zxcvbn refuses more than 72 characters; a password that long is judged by its start.
    return zxcvbn(password[:72], user_inputs=[u for u in user_inputs if u])["score"] < PASSWORD_MIN_SCORE


CSP = (
    "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'self'; "
    "form-action 'self'; frame-ancestors 'none'"
)


def allow_map_tiles() -> None:
    """The page being made shows a map: it loads the map script, and its policy lets map tiles in from the
    tile host (MAP_TILE_URL). Every other page keeps the policy that allows no other site at all."""
    g.map_tiles = True


def tile_origin() -> str | None:
    """The scheme, host and port of MAP_TILE_URL: the one other site a map page may load images from."""
    parts = urlsplit(current_app.config.get("MAP_TILE_URL") or "")
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return None
    return f"{parts.scheme}://{parts.netloc}"


def content_security_policy() -> str:
    origin = tile_origin() if g.get("map_tiles") else None
    return CSP.replace("img-src 'self' data:", f"img-src 'self' data: {origin}") if origin else CSP


def set_security_headers(response):
    headers = response.headers
    headers.setdefault("Content-Security-Policy", content_security_policy())
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("Referrer-Policy", "strict-origin-when-cross-origin")
    headers.setdefault("X-Frame-Options", "DENY")
    headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
    if settings.get("HSTS"):
        headers.setdefault("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
    if getattr(request, "same_for_everyone", False):
        return response   # a public photo: the view chose its cache lifetime, whoever asked
    if getattr(request, "personal_page", False) or current_user_is_signed_in():
        if "no-store" not in headers.get("Cache-Control", ""):
            headers["Cache-Control"] = "no-store"
    return response


def no_session_for_cross_site(response):
    """A POST another site started arrives without the session cookie (SameSite=Lax); a cookie in
    the answer would replace the person's own and log them out. Such an answer sets none."""
    if request.method not in ("GET", "HEAD", "OPTIONS") and clients.is_cross_site():
        session.modified = False
    return response


def current_user_is_signed_in() -> bool:
    if request.endpoint == "static":
        # A style sheet or an icon is the same for everyone: no need to load the person (a query), and
        # while the database is away an icon must not wait for it with the file already open.
        return False
    try:
        return bool(current_user and current_user.is_authenticated)
    except Exception:  # the user could not be loaded (database down): nothing personal was shown
        return False


def enforce_staff_idle_timeout():
    """Moderator and admin sessions end after a while without a request."""
    if request.endpoint == "static":
        return None  # a style sheet is no activity, and must load even while the database is away
    if not current_user.is_authenticated or current_user.role == Role.RESIDENT:
        return None
    now = int(time.time())
    last = session.get("last_seen", now)
    limit = settings.get("STAFF_IDLE_MINUTES") * 60
    if now - last > limit:
        # Ends this session only; other devices keep theirs until they idle out too.
        logout_user()
        session.clear()
        flash(ngettext("You were logged out after %(num)d minute without activity. Please log in again.",
                       "You were logged out after %(num)d minutes without activity. Please log in again.", limit // 60), "info")
        view = current_app.view_functions.get(request.endpoint or "")
        if getattr(view, "access", None) == PUBLIC:
            return None  # a public page goes on, for a visitor: a feedback form is sent as anyone's
        if request.method == "POST":
            # What was typed is kept and comes back in the form after logging in.
            return redirect(url_for("accounts.login", next=drafts.keep_posted_form()[0]))
        return redirect(url_for("accounts.login", next=request.full_path.rstrip("?")))
    session["last_seen"] = now
    return None
