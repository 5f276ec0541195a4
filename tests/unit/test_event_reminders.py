"""flask events send-reminders: one mail per confirmed registration, the day before, in the person's language."""
from __future__ import annotations

from datetime import timedelta

from babel.dates import format_date

from app.core.db import OSLO, utcnow
from app.core.models import OutboxMessage
from app.events import registration as seats
from app.events.models import Event, EventStatus, Registration
from app.events.reminders import send_reminders
from app.extensions import db
from app.organisations.models import Organisation, OrganisationStatus
from tests.helpers import make_user, outbox


def _organisation(app) -> int:
    with app.app_context():
        organisation = Organisation(name="Språkkafeen på Møllenberg", description="Vi øver norsk.",
                                    description_html="<p>Vi øver norsk.</p>", contact_email="kafe@example.no",
                                    status=OrganisationStatus.APPROVED)
        db.session.add(organisation)
        db.session.commit()
        return organisation.id


def _event(app, organisation_id: int, starts_in: timedelta, capacity: int | None = 10, title: str = "Språkkafé") -> int:
    from app.districts.services import get_district

    with app.app_context():
        starts = utcnow() + starts_in
        event = Event(organisation_id=organisation_id, district_id=get_district("mollenberg").id, title=title,
                      address="Nonnegata 14, 7014 Trondheim", starts_at=starts, ends_at=starts + timedelta(hours=2),
                      capacity=capacity, seats_taken=0)
        db.session.add(event)
        db.session.commit()
        return event.id


def _register(app, event_id: int, user=None, **guest) -> int:
    """Through the registration service, as the pages do (its own confirmation mail is left out of the counts)."""
    from app.accounts.models import User

    with app.test_request_context():
        event = db.session.get(Event, event_id)
        account = db.session.get(User, user.id) if user is not None else None
        outcome = seats.register(event, user=account, **guest)
        db.session.commit()
        return outcome.registration.id


def _reminders(app):
    return [m for m in outbox(app) if m.template == "event_reminder"]


def _run(app) -> str:
    result = app.test_cli_runner().invoke(args=["events", "send-reminders"])
    assert result.exit_code == 0, result.output
    return result.output


def test_confirmed_registrations_are_reminded_once_the_day_before(app):
    organisation = _organisation(app)
    soon = _event(app, organisation, timedelta(hours=3), title="Språkkafé i kveld")
    later = _event(app, organisation, timedelta(hours=30), title="Språkkafé neste uke")
    resident = make_user(app, email="kari@example.no")
    guest = _register(app, soon, name="Ali Gjest", email="ali@example.no", locale="nb")
    member = _register(app, soon, user=resident)
    _register(app, later, name="Bo Senere", email="bo@example.no")

    assert "Reminders: 2 sent." in _run(app)
    reminders = _reminders(app)
    assert sorted(m.recipient for m in reminders) == ["ali@example.no", "kari@example.no"]
    assert all("Språkkafé i kveld" in m.subject for m in reminders)
    with app.test_request_context():
        for registration_id in (guest, member):
            registration = db.session.get(Registration, registration_id)
            assert registration.reminder_sent_at is not None
            [mail] = [m for m in reminders if m.recipient == registration.mail_address]
            assert f"/registrations/{seats.manage_token(registration)}" in mail.body
            assert "Nonnegata 14" in mail.body

    # A second run (cron every hour) mails nobody again.
    assert "Reminders: 0 sent." in _run(app)
    assert len(_reminders(app)) == 2


def test_the_window_is_the_next_24_hours_before_the_start(app):
    organisation = _organisation(app)
    event_id = _event(app, organisation, timedelta(days=3))
    _register(app, event_id, name="Ali Gjest", email="ali@example.no")
    with app.app_context():
        starts_at = db.session.get(Event, event_id).starts_at
    with app.test_request_context():
        assert send_reminders(now=starts_at - timedelta(hours=24, minutes=1)) == 0
        assert send_reminders(now=starts_at) == 0                      # it has started
        assert send_reminders(now=starts_at - timedelta(hours=24)) == 1
        assert send_reminders(now=starts_at - timedelta(hours=1)) == 0  # once only
        db.session.commit()
    assert len(_reminders(app)) == 1


def test_an_event_that_has_started_is_not_reminded(app):
    organisation = _organisation(app)
    event_id = _event(app, organisation, timedelta(days=3))
    _register(app, event_id, name="Ali Gjest", email="ali@example.no")
    with app.app_context():
        event = db.session.get(Event, event_id)
        event.starts_at = utcnow() - timedelta(minutes=10)      # registered before it began; it runs now
        db.session.commit()
    assert "Reminders: 0 sent." in _run(app)


def test_cancelled_events_waitlists_cancellations_and_guests_without_email_get_no_reminder(app):
    organisation = _organisation(app)
    full = _event(app, organisation, timedelta(hours=5), capacity=2)
    cancelled = _event(app, organisation, timedelta(hours=6))
    _register(app, full, name="Ali Gjest", email="ali@example.no", party_size=2)
    _register(app, full, name="Venter Gjest", email="venter@example.no")            # waitlisted
    _register(app, cancelled, name="Cecilie Gjest", email="cecilie@example.no")
    changed_mind = _register(app, _event(app, organisation, timedelta(hours=7)), name="Dag Gjest",
                             email="dag@example.no")
    with app.test_request_context():
        seats.cancel(db.session.get(Registration, changed_mind))
        db.session.get(Event, cancelled).status = EventStatus.CANCELLED.value
        db.session.commit()

    _run(app)
    assert [m.recipient for m in _reminders(app)] == ["ali@example.no"]


def test_a_guest_added_by_an_organiser_without_email_is_skipped_but_others_at_the_event_are_not(app):
    organisation = _organisation(app)
    event_id = _event(app, organisation, timedelta(hours=5))
    phone_only = _register(app, event_id, name="Per Telefon", phone="90000000", added_by_organiser=True)
    _register(app, event_id, name="Ali Gjest", email="ali@example.no")
    assert "Reminders: 1 sent." in _run(app)
    assert [m.recipient for m in _reminders(app)] == ["ali@example.no"]
    with app.app_context():
        # Nothing was sent to the guest without an address, so nothing is marked either.
        assert db.session.get(Registration, phone_only).reminder_sent_at is None


def test_the_reminder_is_written_in_the_recipients_language_with_oslo_time(app):
    organisation = _organisation(app)
    event_id = _event(app, organisation, timedelta(hours=20))
    english = make_user(app, email="emma@example.no", locale="en")
    _register(app, event_id, user=english)
    _register(app, event_id, name="Nora Nynorsk", email="nora@example.no", locale="nn")
    _run(app)
    with app.app_context():
        starts_at = db.session.get(Event, event_id).starts_at.astimezone(OSLO)
    by_recipient = {m.recipient: m for m in _reminders(app)}
    assert by_recipient["emma@example.no"].locale == "en"
    assert by_recipient["nora@example.no"].locale == "nn"
    assert format_date(starts_at.date(), "EEEE", locale="en") in by_recipient["emma@example.no"].body
    assert format_date(starts_at.date(), "EEEE", locale="nn") in by_recipient["nora@example.no"].body
    for recipient in ("emma@example.no", "nora@example.no"):     # Oslo time, not UTC, on the 24-hour clock
        assert starts_at.strftime("%H:%M") in by_recipient[recipient].body


def test_the_event_is_attached_as_a_calendar_file(app):
    organisation = _organisation(app)
    event_id = _event(app, organisation, timedelta(hours=2))
    _register(app, event_id, name="Ali Gjest", email="ali@example.no")
    _run(app)
    [mail] = _reminders(app)
    [attachment] = mail.attachments
    assert attachment["filename"] == f"event-{event_id}.ics"
    assert attachment["content_type"] == "text/calendar"
    assert "BEGIN:VEVENT" in attachment["content"] and "SUMMARY:Språkkafé" in attachment["content"]


def test_no_reminder_is_left_half_done_when_the_run_fails(app, monkeypatch):
    """Mail and stamp are one transaction: a failure leaves both for the next run."""
    organisation = _organisation(app)
    event_id = _event(app, organisation, timedelta(hours=2))
    registration_id = _register(app, event_id, name="Ali Gjest", email="ali@example.no")

    def broken(*_args, **_kwargs):
        raise RuntimeError("mail template broken")

    monkeypatch.setattr("app.events.reminders.send_mail", broken)
    result = app.test_cli_runner().invoke(args=["events", "send-reminders"])
    assert result.exit_code != 0
    with app.app_context():
        db.session.rollback()
        assert db.session.get(Registration, registration_id).reminder_sent_at is None
        assert db.session.scalar(db.select(db.func.count()).select_from(OutboxMessage)
                                 .where(OutboxMessage.template == "event_reminder")) == 0
    monkeypatch.undo()
    assert "Reminders: 1 sent." in _run(app)
