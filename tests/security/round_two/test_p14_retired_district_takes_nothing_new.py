"""A retired district takes nothing new: no comments, supports, reports or guest registrations.

The tester retired Møllenberg, then, as a resident, commented on, supported and reported an idea
there, and registered as a guest for one of its events: all four were taken. Now each is refused
with a plain sentence, and nothing is stored.
"""
from __future__ import annotations

from app.core.db import utcnow
from app.districts.models import District
from app.events.models import Registration
from app.extensions import db
from app.ideas.models import Comment, Support
from app.submissions.models import Report
from tests.helpers import PASSWORD, Browser, form_fields, make_event, make_idea, make_organisation, make_user

MESSAGE = "is no longer active"


def _retire(app, slug="mollenberg"):
    with app.app_context():
        db.session.scalar(db.select(District).where(District.slug == slug)).retired_at = utcnow()
        db.session.commit()


def _count(app, model):
    with app.app_context():
        return db.session.scalar(db.select(db.func.count()).select_from(model))


def test_a_retired_district_refuses_comments_supports_reports_and_guest_registrations(app_factory):
    app = app_factory(REGISTRATION_MIN_SECONDS=0)
    author = make_user(app)
    idea_id = make_idea(app, author, district="mollenberg", title="Benker ved elva")
    event_id = make_event(app, make_organisation(app), district="mollenberg")
    _retire(app)

    resident = Browser(app)
    resident.get("/?lang=en")
    assert resident.submit("/account/login", {"email": make_user(app).email, "password": PASSWORD}).status_code == 302

    commented = resident.submit(f"/ideas/{idea_id}", {"body": "Enig, vi trenger benker."},
                                action=f"/ideas/{idea_id}/comments")
    assert commented.status_code == 400
    assert MESSAGE in commented.get_data(as_text=True)
    assert "Enig, vi trenger benker." in commented.get_data(as_text=True)   # what was typed is kept

    supported = resident.submit(f"/ideas/{idea_id}", {}, action=f"/ideas/{idea_id}/support")
    assert MESSAGE in resident.get(supported.headers["Location"]).get_data(as_text=True)

    reported = resident.submit(f"/ideas/{idea_id}/report", {"reason": "spam"})
    shown = reported if reported.status_code != 302 else resident.get(reported.headers["Location"])
    assert MESSAGE in shown.get_data(as_text=True)

    guest = Browser(app)
    guest.get("/?lang=en")
    page = guest.get(f"/events/{event_id}/register")
    assert MESSAGE in page.get_data(as_text=True)
    values = form_fields(page)
    values.update({"name": "Amina Yusuf", "email": "amina@example.no", "party_size": "1"})
    registered = guest.post(f"/events/{event_id}/register", data=values)
    assert registered.status_code in (400, 409)
    assert MESSAGE in registered.get_data(as_text=True)

    assert [_count(app, m) for m in (Comment, Support, Report, Registration)] == [0, 0, 0, 0]
