"""flask demo's organisations, events and registrations: seats add up, and running it again adds nothing."""
from __future__ import annotations

import random
from datetime import date

from sqlalchemy import func, select

from app.core.db import utcnow
from app.demo.generate import _plan_events, build
from app.events import registration as seats
from app.events.models import Event, Registration, RegistrationStatus
from app.extensions import db
from app.organisations.models import Organisation, OrganisationStatus

SMALL = {"ideas": 0, "comments": 0, "feedback": 0, "events": 60, "registrations": 2000}


def _counts() -> tuple[int, int, int]:
    return (db.session.scalar(select(func.count(Organisation.id))), db.session.scalar(select(func.count(Event.id))),
            db.session.scalar(select(func.count(Registration.id))))


def _seats_that_do_not_add_up() -> list:
    confirmed = (select(Registration.event_id, func.sum(Registration.party_size).label("seats"))
                 .where(Registration.status == RegistrationStatus.CONFIRMED.value)
                 .group_by(Registration.event_id).subquery())
    return db.session.execute(
        select(Event.id, Event.capacity, Event.seats_taken, confirmed.c.seats)
        .outerjoin(confirmed, confirmed.c.event_id == Event.id)
        .where((Event.seats_taken != func.coalesce(confirmed.c.seats, 0))
               | (Event.capacity.is_not(None) & (Event.seats_taken > Event.capacity)))
    ).all()


def test_demo_events_have_consistent_seats_and_a_second_run_adds_nothing(app):
    with app.test_request_context():
        added = build(amounts=SMALL)
        db.session.commit()
        assert (added["organisations"], added["events"], added["registrations"]) == (9, 60, 2000)
        assert _seats_that_do_not_add_up() == []
        organisations = db.session.scalars(select(Organisation)).all()
        assert {o.status for o in organisations} == {OrganisationStatus.APPROVED}

        events = db.session.scalars(select(Event)).all()
        now = utcnow()
        assert any(e.starts_at < now for e in events) and any(e.starts_at > now for e in events)
        assert any(e.meeting_place_id is not None for e in events)
        series = [e.series_id for e in events if e.series_id]
        assert len(series) > len(set(series)) > 0                  # weekly series of several occurrences
        waitlisted = set(db.session.scalars(select(Registration.event_id).where(
            Registration.status == RegistrationStatus.WAITLISTED.value)))
        assert any(e.capacity is not None and e.seats_taken == e.capacity and e.id in waitlisted for e in events)
        # Access needs only where the event has not ended (they are erased after).
        ended = {e.id for e in events if e.ends_at <= now}
        assert not db.session.scalar(select(func.count(Registration.id)).where(
            Registration.event_id.in_(ended), Registration.access_needs.is_not(None)))
        # Manage links work for demo registrations too.
        registration = db.session.scalars(select(Registration).limit(1)).first()
        assert seats.find_by_token(seats.manage_token(registration)).id == registration.id

        before = _counts()
        again = build(amounts=SMALL)
        db.session.commit()
        assert (again["organisations"], again["events"], again["registrations"]) == (0, 0, 0)
        assert _counts() == before


def test_a_bigger_scale_tops_up_to_the_new_amounts(app):
    with app.app_context():
        build(amounts=SMALL)
        db.session.commit()
        added = build(amounts={**SMALL, "events": 90, "registrations": 3000})
        db.session.commit()
        assert (added["events"], added["registrations"]) == (30, 1000)
        assert _counts() == (9, 90, 3000)
        assert _seats_that_do_not_add_up() == []


def test_no_demo_event_is_on_twice_at_the_same_time(app):
    with app.app_context():
        build(amounts={**SMALL, "events": 240, "registrations": 500})
        db.session.commit()
        times = db.session.execute(select(Event.title, Event.starts_at)).all()
        assert len(times) == 240 and len(set(times)) == len(times)


def test_more_events_than_the_year_holds_go_on_at_other_hours_too():
    """``flask demo --scale 100`` asks for 12,000 events, and each demo event is on at most once a day: the
    year's days hold about 1,600. The plan ends, and still has no event twice at the same time."""
    plans = _plan_events(random.Random(2024), 12000, date(2026, 12, 7))
    assert len(plans) == 12000
    assert len({(spec["title"], spec["time"], day) for spec, day, _series, _p in plans}) == 12000
    assert all(8 <= spec["time"][0] <= 22 for spec, _day, _series, _p in plans)
