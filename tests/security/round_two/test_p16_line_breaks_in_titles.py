"""Line breaks in an event title no longer make every mail about it undeliverable.

The tester posted an event titled "Quiz\\r\\nBcc: ..." through the organiser's form. Every mail
about it (registration, change, cancellation) carries the title in its subject, and a subject
with a line break is refused by the mail library, so none of them was ever delivered. Now a
single-line field folds a line break into a space, whichever form it is in, and the mail path
folds any header value it is given, so a line break from anywhere else cannot stop a mail either.
"""
from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from app.core.db import OSLO
from app.core.mail import deliver_queued, send_mail
from app.events.models import Event
from app.extensions import db
from tests import fake_smtp
from tests.helpers import Browser, make_organisation, outbox

TITLE = "Quiz\r\nBcc: everyone@example.com"


@pytest.fixture
def app(app_factory):
    return app_factory(REGISTRATION_MIN_SECONDS=0)


def _form(**fields):
    when = (datetime.now(OSLO) + timedelta(days=10)).replace(hour=18, minute=0, second=0, microsecond=0, tzinfo=None)
    values = {"title": TITLE, "description": "Quiz hver torsdag.\r\nTa med venner.",
              "district": "mollenberg", "meeting_place": "", "address": "Rosenborg gate 10\r\nBakgården",
              "starts_at": when.strftime("%Y-%m-%dT%H:%M"),
              "ends_at": (when + timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"),
              "capacity": "10", "registration_deadline": "", "effort_area": "", "languages": ["nb"],
              "audience": "everyone", "repeat_weeks": "1"}
    values.update(fields)
    return values


def test_a_title_with_a_line_break_is_folded_and_mail_about_the_event_is_delivered(app, client, login_as, monkeypatch):
    server = fake_smtp.install(monkeypatch)
    organiser = login_as("resident")
    organisation = make_organisation(app, organiser)
    created = client.submit(f"/events/new?organisation={organisation}", _form())
    assert created.status_code == 302
    with app.app_context():
        event = db.session.scalar(db.select(Event))
        # Single-line fields are one line; the description keeps its paragraphs.
        assert event.title == "Quiz Bcc: everyone@example.com"
        assert event.address == "Rosenborg gate 10 Bakgården"
        assert "\n" in event.description
        event_id = event.id
    # An organiser's edit is the same form: a line break typed there is folded too.
    edited = client.submit(f"/events/{event_id}/edit", _form(title="Quiz\nBcc: x@example.com"))
    assert edited.status_code == 302
    with app.app_context():
        assert db.session.get(Event, event_id).title == "Quiz Bcc: x@example.com"

    guest = Browser(app)
    guest.submit(f"/events/{event_id}/register", {"name": "Amina\r\nYusuf", "email": "amina@example.no",
                                                  "phone": "", "party_size": "1", "access_needs": ""})
    mails = outbox(app, "amina@example.no")
    assert mails and all("\r" not in m.subject and "\n" not in m.subject for m in mails)
    with app.app_context():
        counts = deliver_queued()
        db.session.commit()
    assert counts["failed"] == 0 and counts["retry"] == 0
    delivered = [m for m in server.received if m["To"] == "amina@example.no"]
    assert delivered and all(m["Bcc"] is None for m in delivered)
    assert "Quiz Bcc: x@example.com" in delivered[0]["Subject"]


def test_the_mail_path_folds_a_header_value_with_a_line_break_from_anywhere(app, monkeypatch):
    """A subject built from data no form checked (an import, the shell, an old row) still goes out."""
    server = fake_smtp.install(monkeypatch)
    with app.test_request_context():
        send_mail("ola@example.no", "nb", "event_cancelled", "Avlyst: Quiz\r\nBcc: everyone@example.com",
                  unsubscribe_url="https://medvirk.example/stop\r\nX-Evil: 1",
                  event=_FakeEvent(), registration=None, link="https://medvirk.example/x", event_link="https://medvirk.example/y")
        db.session.commit()
        counts = deliver_queued()
        db.session.commit()
    assert counts == {"sent": 1, "retry": 0, "failed": 0}
    [message] = server.received
    assert message["Subject"] == "Avlyst: Quiz Bcc: everyone@example.com"
    assert message["Bcc"] is None and message["X-Evil"] is None


class _FakeEvent:
    """Just enough of an event for the cancellation mail's text."""
    title = "Quiz"
    where = "Rosenborg gate 10"
    starts_at = datetime(2030, 1, 1, 17, 0, tzinfo=OSLO)
    ends_at = datetime(2030, 1, 1, 19, 0, tzinfo=OSLO)
    id = 1
    organisation = type("Org", (), {"name": "Quizklubben", "contact_email": "q@example.no"})()
    meeting_place = None
    address = "Rosenborg gate 10"
    is_cancelled = True

    def title_in(self, language):   # no organiser-written versions in other languages
        return self.title
