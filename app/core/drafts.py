"""Keeping what a person typed when their session ran out before they pressed send.

A visitor whose post needs an account is sent to log in; what they typed is
kept server-side (not in the cookie: an idea can be 5,000 characters) and put
back into the same form when they return to it.
"""
from __future__ import annotations

import secrets
from datetime import timedelta
from urllib.parse import urlsplit

from flask import request, session
from sqlalchemy import delete

from app.core.db import utcnow
from app.core.models import FormDraft
from app.extensions import db

SESSION_KEY = "form_draft"
_NOT_KEPT = {"csrf_token", "password", "current_password", "new_password"}
MAX_AGE = timedelta(hours=24)


def return_path() -> str:
    """The page to come back to: this one, or for a POST-only address the page whose form posted here."""
    if request.url_rule is not None and "GET" in request.url_rule.methods:
        return request.path
    referrer = urlsplit(request.referrer or "")
    if referrer.netloc == request.host and referrer.path.startswith("/"):
        return referrer.path
    return "/"


def keep_posted_form() -> str:
    """Store the posted fields for the page to return to; its own small transaction. Returns that path."""
    path = return_path()
    data = {k: v for k, v in request.form.to_dict(flat=False).items() if k.split("-")[-1] not in _NOT_KEPT}
    if data:
        token = secrets.token_urlsafe(24)
        db.session.rollback()
        db.session.add(FormDraft(token=token, path=path, data=data))
        db.session.commit()
        session[SESSION_KEY] = token
    return path


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
    return db.session.execute(delete(FormDraft).where(FormDraft.created_at < utcnow() - MAX_AGE)).rowcount
