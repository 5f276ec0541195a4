"""The rules of changing a role from the administration, as a table: what is logged, and when sessions end."""
from __future__ import annotations

import pytest

from app.accounts import administration
from app.accounts.models import User
from app.core.models import AuditEntry
from app.core.permissions import Role
from app.core.rules import RuleBroken
from app.districts.services import get_district
from app.extensions import db
from tests.helpers import make_user

# (role before, districts before, role after, districts after, audit code, sessions end)
CHANGES = [
    ("resident", (), "moderator", ("lademoen",), "user.grant_moderator", False),
    ("resident", (), "admin", (), "user.grant_admin", False),
    ("moderator", ("lademoen",), "admin", ("lademoen",), "user.grant_admin", False),
    ("moderator", ("lademoen",), "moderator", ("lademoen", "mollenberg"), "user.grant_moderator", False),
    ("moderator", ("lademoen", "mollenberg"), "moderator", ("mollenberg",), "user.revoke_moderator", True),
    ("moderator", ("lademoen",), "moderator", ("mollenberg",), "user.change_districts", True),
    ("moderator", ("lademoen",), "resident", (), "user.revoke_moderator", True),
    ("admin", (), "moderator", ("lademoen",), "user.revoke_admin", True),
    ("admin", ("lademoen",), "resident", (), "user.revoke_admin", True),
]


@pytest.mark.parametrize(("before", "had", "after", "gets", "code", "ends"), CHANGES,
                         ids=[f"{c[0]}{list(c[1])}->{c[2]}{list(c[3])}" for c in CHANGES])
def test_each_change_is_logged_under_its_code_and_ends_sessions_only_when_something_is_lost(
        app, before, had, after, gets, code, ends):
    actor = make_user(app, role="admin")
    person = make_user(app, role=before, districts=had)
    with app.test_request_context():
        user = db.session.get(User, person.id)
        version = user.session_version
        changed = administration.set_role(user, Role(after), [get_district(s) for s in gets],
                                          db.session.get(User, actor.id))
        db.session.commit()
        assert changed
        assert user.role == after and [d.slug for d in user.districts] == list(gets)
        assert (user.session_version == version + 1) is ends
        [entry] = db.session.scalars(db.select(AuditEntry)).all()
        assert entry.action == code and entry.actor_id == actor.id


def test_a_resident_keeps_no_districts_and_an_unchanged_form_logs_nothing(app):
    actor = make_user(app, role="admin")
    person = make_user(app)
    with app.test_request_context():
        user, admin = db.session.get(User, person.id), db.session.get(User, actor.id)
        assert administration.set_role(user, Role.RESIDENT, [get_district("lademoen")], admin) == []
        assert user.districts == [] and db.session.scalars(db.select(AuditEntry)).all() == []
        with pytest.raises(RuleBroken) as refused:
            administration.set_role(user, Role.MODERATOR, [], admin)
        assert refused.value.field == "districts"
