"""The capacity guarantee under concurrent registrations, on the database the suite runs on
(PostgreSQL when TEST_DATABASE_URL is set, else an SQLite file: an in-memory database has one connection)."""
from __future__ import annotations

import threading
import time

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from app.core import robots
from app.events import registration as seats
from app.events.models import Event, Registration
from app.extensions import db
from tests.conftest import TEST_DATABASE_URL
from tests.helpers import make_event, make_organisation

SEATS, PEOPLE = 10, 40


@pytest.fixture
def shared_app(app_factory, tmp_path):
    overrides = dict(REGISTRATION_MIN_SECONDS=0, GUEST_REGISTRATIONS_PER_HOUR=10_000,
                     EVENT_PENDING_GUESTS=10_000, WTF_CSRF_ENABLED=False)
    if not TEST_DATABASE_URL:
        overrides["SQLALCHEMY_DATABASE_URI"] = f"sqlite:///{tmp_path / 'concurrency.sqlite3'}"
    return app_factory(**overrides)


def _all(app, event_id):
    with app.app_context():
        event = db.session.get(Event, event_id)
        rows = db.session.scalars(db.select(Registration).where(Registration.event_id == event_id)).all()
        db.session.expunge_all()
        return event, rows


def test_forty_people_registering_at_once_for_ten_seats_get_exactly_ten(shared_app):
    app = shared_app
    event_id = make_event(app, make_organisation(app), capacity=SEATS)
    start = threading.Barrier(PEOPLE)
    answers: list[int] = []
    with app.test_request_context():
        shown_at = [robots.started_token() for _ in range(PEOPLE)]   # each person's own form: a stamp is used once

    def person(n: int) -> None:
        client = app.test_client()  # its own requests, so its own session and connection
        form = {"name": f"Person {n}", "email": f"person{n}@example.no", "party_size": "1",
                "submission_id": f"concurrent-submission-{n:04d}", "started": shown_at[n]}
        start.wait()
        answers.append(client.post(f"/events/{event_id}/register", data=form).status_code)

    threads = [threading.Thread(target=person, args=(n,)) for n in range(PEOPLE)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert answers == [302] * PEOPLE   # to "check your email": each guest's seat or place is held
    event, rows = _all(app, event_id)
    assert len([r for r in rows if r.status == "pending"]) == SEATS and event.seats_taken == SEATS
    with app.test_request_context(method="POST"):
        # Everyone opens their mail and confirms, in the order they joined.
        for row in sorted(rows, key=lambda r: (r.queued_at, r.id)):
            seats.confirm(db.session.get(Registration, row.id))
            db.session.commit()
    event, rows = _all(app, event_id)
    confirmed = [r for r in rows if r.status == "confirmed"]
    waiting = sorted((r for r in rows if r.status == "waitlisted"), key=lambda r: (r.queued_at, r.id))
    assert len(rows) == PEOPLE
    assert len(confirmed) == SEATS and event.seats_taken == SEATS
    assert len(waiting) == PEOPLE - SEATS
    # Everyone confirmed joined before everyone waiting, and the waitlist has one place per person.
    assert max(r.queued_at for r in confirmed) <= min(r.queued_at for r in waiting)
    with app.test_request_context(method="POST"):
        positions = [seats.waitlist_position(db.session.get(Registration, r.id)) for r in waiting]
        assert positions == list(range(1, PEOPLE - SEATS + 1))
        # A cancellation gives the seat to the first in line.
        seats.cancel(db.session.get(Registration, confirmed[0].id))
        db.session.commit()
        assert db.session.get(Registration, waiting[0].id).status == "confirmed"
        assert db.session.get(Registration, waiting[1].id).status == "waitlisted"
        assert db.session.get(Event, event_id).seats_taken == SEATS


def test_a_registration_waits_while_another_holds_the_last_seat_and_then_joins_the_waitlist(shared_app):
    app = shared_app
    event_id = make_event(app, make_organisation(app), capacity=1)
    holding, release, second_done = threading.Event(), threading.Event(), threading.Event()
    outcome: dict[str, str] = {}

    def first() -> None:
        with app.test_request_context(method="POST"):  # a writing request, as in the app
            registration = seats.register(db.session.get(Event, event_id), name="Først", email="first@example.no").registration
            holding.set()          # the seat is taken, not yet committed
            release.wait(timeout=30)
            db.session.commit()
            outcome["first"] = registration.status

    def second() -> None:
        with app.test_request_context(method="POST"):
            registration = seats.register(db.session.get(Event, event_id), name="Andre", email="second@example.no").registration
            db.session.commit()
            outcome["second"] = registration.status
        second_done.set()

    a = threading.Thread(target=first)
    a.start()
    assert holding.wait(timeout=30)
    b = threading.Thread(target=second)
    b.start()
    time.sleep(0.5)
    assert not second_done.is_set(), "the second registration must wait for the first to finish"
    release.set()
    a.join(timeout=30)
    b.join(timeout=30)
    assert outcome == {"first": "confirmed", "second": "waitlisted"}
    event, _rows = _all(app, event_id)
    assert event.seats_taken == 1


def test_the_database_itself_refuses_more_seats_than_capacity_and_a_second_registration(shared_app):
    app = shared_app
    event_id = make_event(app, make_organisation(app), capacity=2)
    with app.app_context():
        with pytest.raises(IntegrityError):
            db.session.execute(text("UPDATE events SET seats_taken = 3 WHERE id = :id"), {"id": event_id})
            db.session.flush()
        db.session.rollback()
        for n in range(2):
            db.session.add(Registration(event_id=event_id, name="Samme", email="same@example.no", status="waitlisted",
                                        token_nonce=f"n{n}", token_hash=f"h{n}"))
        with pytest.raises(IntegrityError):
            db.session.flush()
        db.session.rollback()


def _at_once(app, *actions) -> None:
    """Run each action in its own request (session and connection), all released at the same moment."""
    start = threading.Barrier(len(actions))
    errors: list[BaseException] = []

    def run(action):
        try:
            with app.test_request_context(method="POST"):
                start.wait()
                action()
                db.session.commit()
        except BaseException as error:  # reported below, not lost in the thread
            errors.append(error)

    threads = [threading.Thread(target=run, args=(action,)) for action in actions]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []


def test_a_double_click_on_cancel_or_on_fewer_people_gives_the_seats_back_once(shared_app):
    app = shared_app
    event_id = make_event(app, make_organisation(app), capacity=6)
    with app.test_request_context(method="POST"):
        event = db.session.get(Event, event_id)
        ids = [seats.register(event, name=f"P{n}", email=f"p{n}@example.no", party_size=size).registration.id
               for n, size in enumerate((2, 4, 3, 1))]  # 2 + 4 confirmed; 3 and 1 wait
        db.session.commit()
    cancelled, shrinking = ids[0], ids[1]

    def cancel():
        seats.cancel(db.session.get(Registration, cancelled))

    def fewer():
        seats.change_party_size(db.session.get(Registration, shrinking), 1)

    _at_once(app, cancel, cancel, fewer, fewer)
    event, rows = _all(app, event_id)
    confirmed = sum(r.party_size for r in rows if r.status == "confirmed")
    assert event.seats_taken == confirmed <= 6
    by_id = {r.id: r for r in rows}
    assert by_id[cancelled].status == "cancelled" and by_id[shrinking].party_size == 1
    assert [by_id[i].status for i in ids[2:]] == ["confirmed", "confirmed"]  # 1 + 3 + 1 seats taken of 6
