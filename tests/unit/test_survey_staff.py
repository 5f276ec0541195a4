"""Who runs the area survey (``services.may_run_surveys``), as a truth table: administrators, and the
moderators an administrator names, while they are moderators and not blocked. Naming is for administrators."""
from __future__ import annotations

import pytest

from app.accounts.models import User
from app.core.db import utcnow
from app.core.rules import Forbidden, RuleBroken
from app.extensions import db
from app.surveys import services
from app.surveys.models import QuestionKind, SurveyStaff
from tests.helpers import make_user


def _named(app, role: str, named: bool, **change) -> int:
    user = make_user(app, role="moderator" if role == "demoted" else role)
    with app.app_context():
        if named:
            db.session.add(SurveyStaff(user_id=user.id))
        account = db.session.get(User, user.id)
        if role == "demoted":
            account.role = "resident"
        for name, value in change.items():
            setattr(account, name, value)
        db.session.commit()
    return user.id


@pytest.mark.parametrize(("role", "named", "change", "may"), [
    ("admin", False, {}, True),
    ("moderator", True, {}, True),
    ("moderator", False, {}, False),
    ("resident", True, {}, False),           # named once, never staff: a resident's powers only
    ("demoted", True, {}, False),             # named, then no longer a moderator
    ("moderator", True, {"blocked_at": utcnow()}, False),
    ("admin", False, {"blocked_at": utcnow()}, False),
])
def test_who_may_run_surveys(app, role, named, change, may):
    user_id = _named(app, role, named, **change)
    with app.app_context():
        user = db.session.get(User, user_id)
        assert services.may_run_surveys(user) is may
        if not may:
            with pytest.raises(Forbidden):
                services.create_survey(user, {"nb": "Undersøkelsen"})
            with pytest.raises(Forbidden):
                services.create_question(user, QuestionKind.TEXT, {"nb": "Noe mer?"})
        else:
            assert services.create_survey(user, {"nb": "Undersøkelsen"}).id


def test_nobody_signed_in_runs_surveys(app):
    with app.test_request_context():
        from flask_login import current_user

        assert services.may_run_surveys(current_user) is False
        assert services.may_run_surveys(None) is False


def test_only_an_admin_names_and_unnames_and_only_moderators_are_named(app):
    admin_id, moderator_id, resident_id = (make_user(app, role=r).id for r in ("admin", "moderator", "resident"))
    other_moderator_id = make_user(app, role="moderator").id
    with app.app_context():
        admin, moderator, resident, other = (db.session.get(User, i)
                                             for i in (admin_id, moderator_id, resident_id, other_moderator_id))
        with pytest.raises(Forbidden):
            services.name_survey_staff(moderator, other)
        with pytest.raises(RuleBroken):
            services.name_survey_staff(admin, resident)
        services.name_survey_staff(admin, moderator)
        services.name_survey_staff(admin, moderator)          # twice is once
        assert [u.id for u in services.survey_staff()] == [moderator_id]
        assert moderator_id not in [u.id for u in services.survey_staff_candidates()]
        assert other_moderator_id in [u.id for u in services.survey_staff_candidates()]
        with pytest.raises(Forbidden):
            services.unname_survey_staff(moderator, moderator)
        services.unname_survey_staff(admin, moderator)
        assert services.survey_staff() == [] and not services.is_survey_staff(moderator)
