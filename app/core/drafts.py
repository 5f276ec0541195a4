"""Keeping what a person typed when their session ran out before they pressed send.

A visitor whose post needs an account is sent to log in; what they typed is
kept server-side (not in the cookie: an idea can be 5,000 characters) and put
back into the same form when they return to it.

Only for the case the feature is for: a browser that still has its session (and so a valid CSRF
token) whose login ended. A request without a valid token, or from another site, keeps nothing and
writes nothing to the session; a draft is at most the size of the largest real form, each session
has at most one (a new one replaces it), and a client keeps only ``FORM_DRAFTS_PER_HOUR`` an hour:
drafts cannot be used to fill the disk.
"""
from __future__ import annotations

import secrets
from datetime import timedelta
from urllib.parse import urlsplit

from flask import g, request, session
from sqlalchemy import delete

from app.core import clients, settings, throttle
from app.core.db import rows_changed, utcnow
from app.core.models import FormDraft
from app.extensions import db

SESSION_KEY = "form_draft"
_NOT_KEPT = {"csrf_token", "password", "current_password", "new_password"}
MAX_AGE = timedelta(hours=24)
# Characters in all kept fields together: the largest real form (an event: a 5,000-character
# description, title, place and the rest) is well under this.
MAX_CHARS = 12_000


def return_path() -> str:
    """The page to come back to: this one, or for a POST-only address the page whose form posted here."""
    if request.url_rule is not None and "GET" in (request.url_rule.methods or ()):
        return request.path
    referrer = urlsplit(request.referrer or "")
    if referrer.netloc == request.host and referrer.path.startswith("/"):
        return referrer.path
    return "/"


def keep_posted_form() -> tuple[str, bool]:
    """Store the posted fields for the page to return to, when this request may have a draft (see
    above); its own small transaction. Returns that path, and whether the draft was kept."""
    path = return_path()
    data = {k: v for k, v in request.form.to_dict(flat=False).items() if k.split("-")[-1] not in _NOT_KEPT}
    if not data or not _may_keep(data):
        return path, False
    token = secrets.token_urlsafe(24)
    db.session.rollback()
    previous = session.get(SESSION_KEY)
    if previous:
        db.session.execute(delete(FormDraft).where(FormDraft.token == previous))
    db.session.add(FormDraft(token=token, path=path, data=data))
    db.session.commit()
    throttle.hit(_per_hour(), "form-draft", clients.client_key())
    session[SESSION_KEY] = token
    return path, True


def _per_hour() -> str:
    return f"{settings.get('FORM_DRAFTS_PER_HOUR')} per hour"


def _may_keep(data: dict[str, list[str]]) -> bool:
    # g.csrf_valid: CSRFProtect found this session's token in the form, so the session existed
    # before and the form came from this site.
    if not g.get("csrf_valid") or clients.is_cross_site():
        return False
    if sum(len(name) + sum(len(value) for value in values) for name, values in data.items()) > MAX_CHARS:
        return False
    return throttle.retry_after(_per_hour(), "form-draft", clients.client_key()) is None


def restore_into(form) -> bool:
    """Fill ``form`` with the draft kept for this path, once. True when something was restored."""
    token = session.get(SESSION_KEY)
    if not token:
        return False
    draft = db.session.get(FormDraft, token)
    if draft is None or draft.path != request.path or draft.created_at < utcnow() - MAX_AGE:
        return False
    session.pop(SESSION_KEY, None)
    for name, values in draft.data.items():
        field = form._fields.get(name.removeprefix(f"{form._prefix}") if form._prefix else name)
        if field is not None and field.type not in ("CSRFTokenField", "SubmitField"):
            field.process_formdata(values)
    db.session.delete(draft)
    return True


def purge_old() -> int:
    return rows_changed(db.session.execute(delete(FormDraft).where(FormDraft.created_at < utcnow() - MAX_AGE)))
