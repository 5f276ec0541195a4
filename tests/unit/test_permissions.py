"""The permission policy as a truth table: role × permission → allowed."""
from __future__ import annotations

import pytest

from app.accounts.models import User
from app.core.db import utcnow
from app.core.permissions import Permission, has_permission
from app.districts.models import District

S, P, M, A = Permission.SIGN_IN, Permission.PARTICIPATE, Permission.MODERATE, Permission.ADMINISTER
C = Permission.CHANGE_LOGIN

TABLE = {
    "unverified": {S, C},
    "resident": {S, C, P},
    "moderator": {S, C, P, M},
    "admin": {S, C, P, M, A},
    "blocked": set(),
}


def _user(kind: str) -> User:
    user = User(id=1, email="x@example.no", display_name="X", role=kind if kind in ("resident", "moderator", "admin") else "resident",
                verified_at=None if kind == "unverified" else utcnow(), session_version=1)
    if kind == "blocked":
        user.blocked_at = utcnow()
    return user


@pytest.mark.parametrize("kind", TABLE)
@pytest.mark.parametrize("permission", list(Permission))
def test_role_permission_table(app, kind, permission):
    with app.app_context():
        assert has_permission(_user(kind), permission) is (permission in TABLE[kind])


def test_visitors_have_no_permission(app):
    from flask_login import AnonymousUserMixin

    for permission in Permission:
        assert has_permission(AnonymousUserMixin(), permission) is False


def test_moderators_moderate_only_their_districts(app):
    with app.app_context():
        lademoen, mollenberg = District(id=1, slug="lademoen"), District(id=2, slug="mollenberg")
        moderator = _user("moderator")
        moderator.districts = [lademoen]
        admin = _user("admin")
        resident = _user("resident")
        assert lademoen.is_moderated_by(moderator) and not mollenberg.is_moderated_by(moderator)
        assert lademoen.is_moderated_by(admin) and mollenberg.is_moderated_by(admin)
        assert not lademoen.is_moderated_by(resident)


# Who may manage an event, see its participants, and see it at all (published / held):
EVENT_TABLE = {
    #  person                 manage  participants  sees published  sees held
    "visitor":               (False, False, True, False),
    "resident":              (False, False, True, False),
    "organiser":             (True, True, True, True),
    "organiser_elsewhere":   (False, False, True, False),
    "moderator":             (False, True, True, True),
    "moderator_elsewhere":   (False, False, True, False),
    "admin":                 (False, True, True, True),
}


@pytest.mark.parametrize("person", EVENT_TABLE)
def test_event_rules_as_a_truth_table(app, person):
    from flask_login import AnonymousUserMixin

    from app.events.models import Event
    from app.extensions import db
    from tests.helpers import make_event, make_organisation, make_user

    organiser, elsewhere = make_user(app), make_user(app)
    organisation = make_organisation(app, organiser, districts=("lademoen",))
    make_organisation(app, elsewhere, name="Andre")
    published = make_event(app, organisation, district="lademoen")
    held = make_event(app, organisation, district="lademoen", status="held")
    who = {"organiser": organiser, "organiser_elsewhere": elsewhere, "resident": make_user(app),
           "moderator": make_user(app, role="moderator", districts=("lademoen",)),
           "moderator_elsewhere": make_user(app, role="moderator", districts=("mollenberg",)),
           "admin": make_user(app, role="admin")}.get(person)
    with app.app_context():
        user = db.session.get(User, who.id) if who else AnonymousUserMixin()
        event, waiting = db.session.get(Event, published), db.session.get(Event, held)
        assert (event.can_manage(user), event.can_see_participants(user), event.is_visible_to(user),
                waiting.is_visible_to(user)) == EVENT_TABLE[person]
