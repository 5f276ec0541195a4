"""The reminder mail the day before an event (``flask events send-reminders``, run from cron).

Each confirmed registration with an address (the guest's, or the account's)
gets one reminder once its event starts within the next day. Functions flush;
the caller commits.
"""
from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import or_, select, update
from sqlalchemy.orm import contains_eager
from sqlalchemy.orm.attributes import set_committed_value

from app.accounts.models import User
from app.core.db import utcnow
from app.core.i18n import lazy_gettext as _l
from app.core.mail import send_mail
from app.events.calendar import event_attachment
from app.events.models import Event, EventStatus, Registration, RegistrationStatus
from app.events.registration import manage_url
from app.extensions import db

WINDOW = timedelta(hours=24)
# Claimed and mailed in chunks, so one run never holds thousands of rows in memory at once.
CHUNK = 500


def _due(now: datetime):
    return (
        select(Registration)
        .join(Registration.event)
        .outerjoin(Registration.user)
        .options(contains_eager(Registration.event).joinedload(Event.meeting_place),
                 contains_eager(Registration.event).joinedload(Event.organisation),
                 contains_eager(Registration.user))
        .where(
            # Cancelled events were mailed about already; held and declined ones take no registrations.
            Event.status == EventStatus.PUBLISHED,
            Event.starts_at > now,
            Event.starts_at <= now + WINDOW,
            Registration.status == RegistrationStatus.CONFIRMED,
            Registration.reminder_sent_at.is_(None),
            # Accounts are mailed at their own address; guests only when they gave one.
            or_(User.email.is_not(None), Registration.email.is_not(None)),
        )
        .order_by(Event.starts_at, Registration.id)
        .limit(CHUNK)
    )


def _claim(ids: list[int], now: datetime) -> set[int]:
    """Stamp the reminder before the mail is written, in one conditional UPDATE: a second run
    at the same time (PostgreSQL re-reads the rows after the first commits) claims none of them."""
    claimed = db.session.scalars(
        update(Registration)
        .where(Registration.id.in_(ids), Registration.reminder_sent_at.is_(None))
        .values(reminder_sent_at=now)
        .returning(Registration.id)
        .execution_options(synchronize_session=False)
    )
    return set(claimed)


def send_reminders(now: datetime | None = None) -> int:
    """Mail a reminder for every confirmed registration whose event starts within the next
    24 hours and has not started; each registration once. Returns how many were mailed."""
    now = now or utcnow()
    attachments: dict[tuple[int, str], dict] = {}   # per event and language
    sent = 0
    while True:
        registrations = db.session.scalars(_due(now)).unique().all()
        if not registrations:
            return sent
        claimed = _claim([r.id for r in registrations], now)
        for registration in registrations:
            if registration.id not in claimed:     # another run took it meanwhile
                db.session.expire(registration, ["reminder_sent_at"])
                continue
            # The row has its stamp already; keep the loaded object in step without writing it again.
            set_committed_value(registration, "reminder_sent_at", now)
            event = registration.event
            kept = (event.id, registration.mail_locale)
            if kept not in attachments:
                attachments[kept] = event_attachment(event, registration.mail_locale)
            send_mail(registration.mail_address, registration.mail_locale, "event_reminder",
                      _l("Reminder: %(title)s", title=event.reader_title()),
                      attachments=[attachments[kept]], event=event, registration=registration,
                      link=manage_url(registration))
            sent += 1
