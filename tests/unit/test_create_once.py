"""create_once: the one place a creating form spends its one-time id."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from app.core import once
from app.core.models import FormSubmission
from app.extensions import db


class _Form:
    class submission_id:  # noqa: N801 - stands in for the form's hidden field
        data = "a-one-time-id-of-enough-length"


class _Made:
    def __init__(self, ident: int):
        self.id = ident


def _uses() -> int:
    return db.session.scalar(select(func.count()).select_from(FormSubmission))


def test_the_first_sending_creates_and_the_second_finds_the_first(app):
    with app.app_context():
        made = []
        first = once.create_once(_Form, "thing", lambda: made.append(1) or _Made(7))
        second = once.create_once(_Form, "thing", lambda: made.append(2) or _Made(8))
        assert (first.new, first.record.id) == (True, 7)
        assert (second.new, second.record, second.earlier_id) == (False, None, 7)
        assert made == [1] and _uses() == 1


def test_a_twin_sent_at_the_same_moment_is_answered_with_the_first_ones_record(app, monkeypatch):
    with app.app_context():
        # The twin committed between this request's look-up and its own mark: the mark fails at the
        # database, and the answer is the twin's record, with what this request made rolled back.
        db.session.add(FormSubmission(token=_Form.submission_id.data, kind="thing", target_id="7"))
        db.session.commit()
        real, looks = once.already_used, []

        def not_yet_then_real(token, kind):
            looks.append(kind)
            return None if len(looks) == 1 else real(token, kind)
        monkeypatch.setattr(once, "already_used", not_yet_then_real)
        result = once.create_once(_Form, "thing", lambda: _Made(8))
        assert (result.new, result.earlier_id) == (False, 7)
        assert looks == ["thing", "thing"]
        assert _uses() == 1


def test_a_refusal_rolls_back_and_reaches_the_view(app):
    with app.app_context():
        def refuse():
            db.session.add(FormSubmission(token="something-made-before-refusing", kind="other"))
            raise ValueError("no")
        with pytest.raises(ValueError):
            once.create_once(_Form, "thing", refuse)
        assert _uses() == 0


def test_another_conflict_is_raised_for_the_view_to_explain(app):
    with app.app_context():
        db.session.add(FormSubmission(token="taken-name-stand-in-token-value", kind="other"))
        db.session.commit()

        def clash():
            db.session.add(FormSubmission(token="taken-name-stand-in-token-value", kind="other"))
            db.session.flush()
        with pytest.raises(IntegrityError):
            once.create_once(_Form, "thing", clash)
        assert _uses() == 1
