"""Create once: a double click or a resent form makes one record.

A form that creates something carries a one-time id (``OneTimeSubmission``). ``create_once``
is the one place that spends it: it looks for an earlier use, creates, marks the id used in
the same transaction and commits; when two copies of the form race, the database refuses the
second mark (the id is the primary key) and the answer is the earlier use instead.
"""
from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from flask import abort
from sqlalchemy.exc import IntegrityError
from wtforms import HiddenField
from wtforms.validators import InputRequired, Length

from app.core.i18n import lazy_gettext as _l
from app.core.models import FormSubmission
from app.extensions import db

T = TypeVar("T")


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


@dataclass(frozen=True)
class Once(Generic[T]):
    """What one sending of a creating form did: made ``record`` now, or found ``earlier``."""

    record: T | None = None
    earlier: FormSubmission | None = None

    @property
    def new(self) -> bool:
        return self.earlier is None

    @property
    def earlier_id(self) -> int | None:
        """The earlier record's id as a number, when it was one."""
        target = self.earlier.target_id if self.earlier is not None else None
        return int(target) if target is not None and target.isdigit() else None


def _target_id(record: Any) -> object | None:
    return record.id


def create_once(form, kind: str, create: Callable[[], T],
                target: Callable[[T], object | None] = _target_id) -> Once[T]:
    """Run ``create`` at most once for this form's one-time id, and commit.

    ``target`` names what was made (kept with the id, so a second sending can lead there).
    Anything ``create`` raises is raised again after a rollback, so a view answers a refusal
    (``RuleBroken``) with the form as typed. An ``IntegrityError`` with no earlier use of the id
    is some other conflict (a taken name, say) and is raised for the view to explain.
    """
    token = form.submission_id.data
    earlier = already_used(token, kind)
    if earlier is not None:
        return Once(earlier=earlier)
    try:
        record = create()
        use(token, kind, target(record))
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        earlier = already_used(token, kind)  # the same form sent twice at once: the first one made it
        if earlier is None:
            raise
        return Once(earlier=earlier)
    except BaseException:
        db.session.rollback()
        raise
    return Once(record=record)
