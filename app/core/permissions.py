"""Who may do what: the whole policy in one file.

Every view declares either ``@public`` or ``@require(Permission.X)``; a test
walks the URL map and fails on a view with neither. Object-level rules (a
moderator's districts, an organiser's organisation) live on the models and
are called from services.
"""
from __future__ import annotations

import enum
from functools import wraps
from typing import Callable

from flask import abort, flash, g, has_request_context, redirect, request, session, url_for
from flask_login import current_user

from app.core.drafts import keep_posted_form
from app.core.i18n import gettext as _


class Role(enum.StrEnum):
    RESIDENT = "resident"
    MODERATOR = "moderator"
    ADMIN = "admin"


class Permission(enum.StrEnum):
    SIGN_IN = "sign_in"                # any account, verified or not: own account page, logout
    CHANGE_LOGIN = "change_login"      # own email address or password, deleting the own account
    PARTICIPATE = "participate"        # a verified resident: propose, support, comment, report
    MODERATE = "moderate"              # triage in the districts one covers
    ADMINISTER = "administer"          # users, roles, districts, settings


ROLE_PERMISSIONS: dict[Role, frozenset[Permission]] = {
    Role.RESIDENT: frozenset({Permission.SIGN_IN, Permission.CHANGE_LOGIN, Permission.PARTICIPATE}),
    Role.MODERATOR: frozenset({Permission.SIGN_IN, Permission.CHANGE_LOGIN, Permission.PARTICIPATE, Permission.MODERATE}),
    Role.ADMIN: frozenset(Permission),
}

# What an account whose email is not yet verified may do.
UNVERIFIED_PERMISSIONS = frozenset({Permission.SIGN_IN, Permission.CHANGE_LOGIN})

# Staff powers reach into other people's content and private data (feedback, participant lists,
# hiding, roles), so they need a session that has also passed the second factor: a code from an
# authenticator app (app/accounts/two_factor.py). What a resident may do needs no more than the
# password, for staff too: anyone can make a resident account with a password alone, so asking a
# moderator for more there would protect nothing and only push staff to keep a second account.
STAFF_PERMISSIONS = frozenset({Permission.MODERATE, Permission.ADMINISTER})
# What would take a staff account away from its owner (a new address gets the reset links, a new
# password locks the owner out, deleting ends it) also needs the second factor, for staff accounts
# only: a phished staff password alone must not be enough to keep the account.
SECOND_FACTOR_PERMISSIONS = STAFF_PERMISSIONS | {Permission.CHANGE_LOGIN}
# Holds the account id once this session has passed the second factor. Flask's session is signed,
# so only the server sets it; it goes with the rest of the session at login, logout and password change.
SECOND_FACTOR_KEY = "second_factor"

PUBLIC = "public"


def _role_allows(user, permission: Permission) -> bool:
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    if user.blocked_at is not None:
        return False
    if user.verified_at is None:
        return permission in UNVERIFIED_PERMISSIONS
    return permission in ROLE_PERMISSIONS[Role(user.role)]


def second_factor_passed(user) -> bool:
    """Whether ``user``'s staff powers are unlocked as far as the second factor goes.

    Only the person signed in to this request has a session to ask. Anyone else (a moderator
    being assigned an item, a digest's recipient, a command-line run) is judged by role alone:
    they pass the second factor themselves when they sign in to act.
    """
    if not has_request_context() or not current_user.is_authenticated or current_user.id != user.id:
        return True
    return session.get(SECOND_FACTOR_KEY) == user.id


def has_permission(user, permission: Permission) -> bool:
    if not _role_allows(user, permission):
        return False
    if permission not in SECOND_FACTOR_PERMISSIONS or user.role == Role.RESIDENT:
        return True
    return second_factor_passed(user)


def needs_second_factor(user, permission: Permission) -> bool:
    """True when the role allows ``permission`` and only the second factor of this session is missing."""
    return _role_allows(user, permission) and not has_permission(user, permission)


def public(view: Callable) -> Callable:
    view.access = PUBLIC  # type: ignore[attr-defined]  # read by the URL-map tests and the audit of routes
    return view


def require(permission: Permission) -> Callable[[Callable], Callable]:
    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapped(*args, **kwargs):
            if not current_user.is_authenticated:
                if request.method == "POST":
                    back_to, kept = keep_posted_form()
                    if kept:
                        flash(_("Please log in to continue. What you wrote is kept and will be in the form when you come back."), "info")
                    elif g.get("csrf_valid"):
                        flash(_("Please log in to continue."), "info")
                    # Else nothing goes in the session: the request may come from another site,
                    # without the person's cookie, and a new cookie would log them out.
                    return redirect(url_for("accounts.login", next=back_to))
                flash(_("Please log in to continue."), "info")
                return redirect(url_for("accounts.login", next=request.full_path.rstrip("?")))
            if needs_second_factor(current_user, permission):
                flash(_("To open this page, finish logging in with the code from your authenticator app."), "info")
                if request.method == "POST":
                    return redirect(url_for("accounts.two_factor", next=keep_posted_form()[0]))
                return redirect(url_for("accounts.two_factor", next=request.full_path.rstrip("?")))
            if not has_permission(current_user, permission):
                if current_user.verified_at is None and current_user.blocked_at is None:
                    # Not a dead end: the page explains and sends the link again (app/core/errors.py);
                    # what they wrote is kept for when they come back with the address confirmed.
                    if request.method == "POST":
                        g.draft_kept = keep_posted_form()[1]
                    abort(403, description="unverified")
                abort(403)
            return view(*args, **kwargs)

        wrapped.access = permission  # type: ignore[attr-defined]  # read by the URL-map tests and the audit of routes
        return wrapped

    return decorator


def writes_on_get(view: Callable) -> Callable:
    """Mark a GET view that changes data (a link from a mail), so its SQLite
    transaction takes the write lock up front."""
    view.writes_on_get = True  # type: ignore[attr-defined]  # read by the SQLite write-lock hook
    return view
