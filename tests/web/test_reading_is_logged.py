"""Reading private data is itself logged (who read what, when), and admins can review it."""
from __future__ import annotations

from app.core.models import AuditEntry
from app.extensions import db
from tests.helpers import PASSWORD, Browser, make_event, make_organisation, make_user
from tests.web.test_moderation import _feedback


def _reads(app, action: str) -> list[tuple[int, str, str]]:
    with app.app_context():
        return [(e.actor_id, e.target_type, e.target_id) for e in db.session.scalars(
            db.select(AuditEntry).where(AuditEntry.action == action).order_by(AuditEntry.id))]


def _logged_in(app, user) -> Browser:
    browser = Browser(app)
    assert browser.submit("/account/login", {"email": user.email, "password": PASSWORD}).status_code == 302
    return browser


def test_a_moderator_reading_feedback_is_logged_and_an_admin_sees_it(app):
    moderator = make_user(app, role="moderator", districts=("lademoen",))
    elsewhere = make_user(app, role="moderator", districts=("mollenberg",))
    feedback = _feedback(app, email="ola@example.no")
    assert _logged_in(app, moderator).get(f"/moderation/items/feedback/{feedback}").status_code == 200
    assert _logged_in(app, elsewhere).get(f"/moderation/items/feedback/{feedback}").status_code == 403
    assert _reads(app, "feedback.read") == [(moderator.id, "Feedback", str(feedback))]
    admin = _logged_in(app, make_user(app, role="admin", locale="en"))
    log = admin.get("/moderation/audit?action=feedback.read&lang=en").get_data(as_text=True)
    assert "Feedback read" in log and moderator.display_name in log


def test_reading_and_downloading_a_participant_list_is_logged(app):
    organiser = make_user(app)
    other_organiser = make_user(app)
    event = make_event(app, make_organisation(app, organiser))
    make_organisation(app, other_organiser, name="Et annet lag")
    browser = _logged_in(app, organiser)
    assert browser.get(f"/organiser/events/{event}").status_code == 200
    assert browser.get(f"/organiser/events/{event}/participants.csv").status_code == 200
    assert _logged_in(app, other_organiser).get(f"/organiser/events/{event}").status_code == 403
    assert _reads(app, "registration.list_read") == [(organiser.id, "Event", str(event))]
    assert _reads(app, "registration.export") == [(organiser.id, "Event", str(event))]


def test_public_pages_and_ideas_are_not_logged_as_reads(app, client):
    from tests.helpers import make_idea

    moderator = make_user(app, role="moderator", districts=("lademoen",))
    idea = make_idea(app, make_user(app))
    assert _logged_in(app, moderator).get(f"/moderation/items/idea/{idea}").status_code == 200
    assert client.get(f"/ideas/{idea}").status_code == 200
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(AuditEntry.id))) == 0
