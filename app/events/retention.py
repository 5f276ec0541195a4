"""How long registrations keep personal data (run by ``flask privacy purge``).

1. Access needs are erased once the event has ended: organisers need them only to prepare.
2. When every event that started in a Europe/Oslo month ended more than
   ``REGISTRATION_RETENTION_DAYS`` ago (and the month is over), that month's
   registrations are counted into ``RegistrationAggregate`` rows, one per
   month × district × effort area × audience, and then deleted. A whole month
   at a time, so a person who came to several events in a cell is one
   participant there: the distinct count needs all of the month's rows at once.

What the figures count, per cell:

- ``events``: published events. Cancelled, held and declined events are not
  counted; their registrations are deleted all the same.
- ``registrations``: registrations that were not cancelled (confirmed and waitlisted).
- ``seats``: people (party sizes) in confirmed registrations.
- ``attended``: people (party sizes) in registrations the organisers marked as
  attended, counting walk-ins from the waitlist. Registrations without a
  mark count as not attended, so where organisers do not take attendance the
  figure is a lower bound, never a guess.
- ``participants``: distinct people with a confirmed place: the account, else
  the email address, else name and phone. A party counts once, as the person
  who registered it.

Everything is counted by the database (GROUP BY, the same SQL on SQLite and
PostgreSQL); Python only adds the few resulting rows into the table. Running
it again finds nothing left to count, so figures are never counted twice.
Functions flush; the caller commits.
"""
from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import and_, case, delete, distinct, exists, func, literal, select, update
from sqlalchemy.orm import aliased

from app.core import settings
from app.core.db import oslo_month, rows_changed, utcnow
from app.events.models import Event, EventStatus, Registration, RegistrationAggregate, RegistrationStatus
from app.extensions import db

CELL = (Event.starts_month, Event.district_id, Event.effort_area_id, Event.audience)


def erase_access_needs(now: datetime | None = None) -> int:
    """Access needs of registrations for events that have ended. Returns how many were erased."""
    now = now or utcnow()
    return rows_changed(db.session.execute(
        update(Registration)
        .where(Registration.access_needs.is_not(None),
               Registration.event_id.in_(select(Event.id).where(Event.ends_at <= now)))
        .values(access_needs=None)
        .execution_options(synchronize_session=False)
    ))


def _to_fold():
    """Events whose registrations are not counted yet: never folded, or (moved after folding)
    holding registrations again."""
    later = aliased(Registration)
    return Event.registrations_folded_at.is_(None) | exists(select(later.id).where(later.event_id == Event.id))


def months_ready(now: datetime | None = None) -> list[str]:
    """Months ("2026-03") that are over, with something left to fold, where every event ended long enough ago."""
    now = now or utcnow()
    cutoff = now - timedelta(days=settings.get("REGISTRATION_RETENTION_DAYS"))
    too_recent = select(Event.starts_month).where(Event.ends_at >= cutoff)
    return list(db.session.scalars(
        select(Event.starts_month).distinct()
        .where(Event.starts_month < oslo_month(now), Event.starts_month.not_in(too_recent), _to_fold())
        .order_by(Event.starts_month)
    ))


def people():
    """How many different people have a confirmed place, as an aggregate: each account once, else each
    email address, else each name and phone number. The three kinds never overlap, so their distinct
    counts add up; counting them apart spares building a text key for every row."""
    counted = Registration.status == RegistrationStatus.CONFIRMED
    by_account = case((counted, Registration.user_id))
    by_email = case((and_(counted, Registration.user_id.is_(None)), func.lower(Registration.email)))
    by_name = case((and_(counted, Registration.user_id.is_(None), Registration.email.is_(None)),
                    func.lower(func.trim(Registration.name)) + literal("|")
                    + func.replace(func.coalesce(Registration.phone, ""), " ", "")))
    return func.count(distinct(by_account)) + func.count(distinct(by_email)) + func.count(distinct(by_name))


def _figures(months: list[str]):
    confirmed = Registration.status == RegistrationStatus.CONFIRMED
    return (
        select(
            *CELL,
            func.count(distinct(case((Event.registrations_folded_at.is_(None), Event.id)))).label("events"),
            func.count(Registration.id).label("registrations"),
            func.coalesce(func.sum(case((confirmed, Registration.party_size), else_=0)), 0).label("seats"),
            func.coalesce(func.sum(case((Registration.attended.is_(True), Registration.party_size), else_=0)),
                          0).label("attended"),
            people().label("participants"),
        )
        .select_from(Event)
        .outerjoin(Registration, and_(Registration.event_id == Event.id,
                                      Registration.status != RegistrationStatus.CANCELLED,
                                      # a guest who never confirmed their address is not counted
                                      Registration.confirm_by.is_(None)))
        .where(Event.starts_month.in_(months), Event.status == EventStatus.PUBLISHED, _to_fold())
        .group_by(*CELL)
    )


def fold_registrations(now: datetime | None = None) -> dict[str, int]:
    """Count the registrations of every month that is ready into the aggregates, then delete them."""
    now = now or utcnow()
    months = months_ready(now)
    if not months:
        return {"months": 0, "registrations": 0}
    kept = {(a.month, a.district_id, a.effort_area_id, a.audience): a for a in db.session.scalars(
        select(RegistrationAggregate).where(RegistrationAggregate.month.in_(months)))}
    for row in db.session.execute(_figures(months)):
        cell = (row.starts_month, row.district_id, row.effort_area_id, row.audience)
        aggregate = kept.get(cell)
        if aggregate is None:
            aggregate = RegistrationAggregate(month=cell[0], district_id=cell[1], effort_area_id=cell[2],
                                              audience=cell[3], events=0, registrations=0, seats=0, attended=0,
                                              participants=0)
            db.session.add(aggregate)
            kept[cell] = aggregate
        # A cell already there means an event was added to (or moved into) a month counted before:
        # its figures are added, so a person in both counts is two participants in that rare case.
        aggregate.events += row.events
        aggregate.registrations += row.registrations
        aggregate.seats += row.seats
        aggregate.attended += row.attended
        aggregate.participants += row.participants
    db.session.flush()
    deleted = rows_changed(db.session.execute(
        delete(Registration)
        .where(Registration.event_id.in_(select(Event.id).where(Event.starts_month.in_(months))))
        .execution_options(synchronize_session=False)
    ))
    db.session.execute(
        update(Event)
        .where(Event.starts_month.in_(months), Event.registrations_folded_at.is_(None))
        # Folding is not a change to the event: calendars keep its last-modified time.
        .values(registrations_folded_at=now, updated_at=Event.updated_at)
        .execution_options(synchronize_session=False)
    )
    db.session.flush()
    return {"months": len(months), "registrations": deleted}


def purge(now: datetime | None = None) -> dict[str, int]:
    """Both steps, in order, for ``flask privacy purge``."""
    now = now or utcnow()
    erased = erase_access_needs(now)
    folded = fold_registrations(now)
    return {"access_needs": erased, "registration_months_counted": folded["months"],
            "event_registrations": folded["registrations"]}
