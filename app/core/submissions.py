"""One-time submission ids: a double click or a resent form makes one record."""
from __future__ import annotations

import secrets

from flask import abort
from wtforms import HiddenField
from wtforms.validators import InputRequired, Length

from app.core.i18n import lazy_gettext as _l
from app.core.models import FormSubmission
from app.extensions import db


def new_token() -> str:
    return secrets.token_urlsafe(24)


class OneTimeSubmission:
    """Mix into a FlaskForm that creates something."""

    submission_id = HiddenField(
        default=new_token,
        validators=[InputRequired(message=_l("The form was incomplete. Please send it again.")), Length(min=16, max=64)],
    )


def already_used(token: str, kind: str) -> FormSubmission | None:
    """The earlier use of this token by a form of this kind."""
    used = db.session.get(FormSubmission, token)
    if used is not None and used.kind != kind:
        abort(400)  # an id copied from another form: nothing sensible to redirect to
    return used


def use(token: str, kind: str, target_id: object | None) -> None:
    """Mark the token used in this transaction; a concurrent duplicate fails at commit."""
    db.session.add(FormSubmission(token=token, kind=kind, target_id=None if target_id is None else str(target_id)))
    db.session.flush()
