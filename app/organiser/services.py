"""What organisers do with their events' participants. Functions flush; the view commits.

Who may: organisers of the event's organisation change things; they and the
moderators of the event's district (admins everywhere) may read the list
(``app.events.services.can_manage`` / ``can_see_participants``).
"""
from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from flask_babel import format_date, format_time
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from app.accounts.models import User
from app.core import audit, throttle
from app.core.db import OSLO, utcnow
from app.core.i18n import gettext as _
from app.core.i18n import lazy_gettext as _l
from app.core.mail import send_mail, site_url
from app.core.rules import RuleBroken
from app.events import registration as seats
from app.events import services as events
from app.events.models import Event, Registration, RegistrationStatus
from app.extensions import db
from app.organisations.models import Organisation

PAST_DAYS = 30
MESSAGES_AN_HOUR = 5
MESSAGES_PER_HOUR = f"{MESSAGES_AN_HOUR} per hour"
# A cell starting with one of these is run as a formula by spreadsheets (CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# Excel set to Norwegian splits columns on semicolons (the comma is the decimal sign there).
CSV_DELIMITER = ";"


class OrganiserError(RuleBroken):
    pass


# ---- the organiser's overview ----------------------------------------------------------------------

@dataclass
class OrganisationEvents:
    organisation: Organisation
    upcoming: list[Event] = field(default_factory=list)
    past: list[Event] = field(default_factory=list)


def overview(user: User, now: datetime | None = None) -> tuple[list[OrganisationEvents], dict[int, int]]:
    """The approved organisations ``user`` organises, each with its events (upcoming soonest first,
    then those that ended in the last PAST_DAYS days, latest first), and waitlist lengths by event.
    The same few queries however many events and registrations there are."""
    now = now or utcnow()
    groups = {org.id: OrganisationEvents(org) for org in events.organiser_of(user)}
    if not groups:
        return [], {}
    found = db.session.scalars(
        select(Event).options(joinedload(Event.district))
        .where(Event.organisation_id.in_(groups), Event.ends_at > now - timedelta(days=PAST_DAYS))
        .order_by(Event.starts_at, Event.id)).unique().all()
    for event in found:
        group = groups[event.organisation_id]
        (group.upcoming if event.ends_at > now else group.past).append(event)
    for group in groups.values():
        group.past.reverse()
    return list(groups.values()), events.waitlist_lengths([e.id for e in found])


# ---- the participant list --------------------------------------------------------------------------

@dataclass
class Participants:
    confirmed: list[Registration]
    waitlist: list[Registration]

    @property
    def confirmed_people(self) -> int:
        return sum(r.party_size for r in self.confirmed)

    @property
    def waiting_people(self) -> int:
        return sum(r.party_size for r in self.waitlist)

    @property
    def everyone(self) -> list[Registration]:
        return self.confirmed + self.waitlist

    @property
    def reachable(self) -> int:
        """Registrations a message reaches (those with an email address)."""
        return sum(1 for r in self.everyone if r.mail_address)


def participants(event: Event) -> Participants:
    """Confirmed in the order they got their seat, the waitlist in its order; cancelled ones left out."""
    registrations = db.session.scalars(
        select(Registration).options(joinedload(Registration.user))
        .where(Registration.event_id == event.id, Registration.status != RegistrationStatus.CANCELLED.value)
    ).all()
    confirmed = sorted((r for r in registrations if r.status == RegistrationStatus.CONFIRMED.value),
                       key=lambda r: (r.confirmed_at or r.queued_at, r.id))
    waiting = sorted((r for r in registrations if r.status == RegistrationStatus.WAITLISTED.value),
                     key=lambda r: (r.queued_at, r.id))
    return Participants(confirmed, waiting)


def shows_access_needs(event: Event, reader, now: datetime | None = None) -> bool:
    """Access needs are for the organisers getting the event ready; once it is over nobody needs them."""
    return event.ends_at > (now or utcnow()) and events.can_manage(event, reader)


def attendance_open(event: Event, now: datetime | None = None) -> bool:
    return not event.is_cancelled and event.starts_at <= (now or utcnow())


def event_time(event: Event) -> str:
    """When the event is, in the reader's language and Oslo time, e.g. "torsdag 3. desember 2026, 18:00–20:00"."""
    start, end = event.starts_at, event.ends_at
    first = f"{format_date(start, 'full')}, {format_time(start, 'short')}"
    if start.astimezone(OSLO).date() == end.astimezone(OSLO).date():
        return f"{first}–{format_time(end, 'short')}"
    return f"{first} – {format_date(end, 'full')}, {format_time(end, 'short')}"


# ---- changing it -----------------------------------------------------------------------------------

def add_person(event: Event, actor: User, name: str, phone: str, party_size: int = 1,
               access_needs: str | None = None, locale: str = "nb") -> Registration:
    """Register someone without an email address (they phoned, or came by); seats and waitlist as for anyone.
    Raises ``RegistrationClosed`` when nobody can register any more."""
    if not events.can_manage(event, actor):
        raise PermissionError
    outcome = seats.register(event, name=name, phone=phone, party_size=party_size, access_needs=access_needs,
                             locale=locale, added_by_organiser=True)
    registration = outcome.registration
    audit.record(actor, "registration.add_by_organiser", registration,
                 [column for column in ("name", "phone", "party_size", "access_needs") if getattr(registration, column)])
    return registration


def mark_attendance(event: Event, came: set[int], actor: User, now: datetime | None = None) -> int:
    """Who of the confirmed came (``came`` holds registration ids; every other confirmed one did not).
    Returns how many changed."""
    if not events.can_manage(event, actor):
        raise PermissionError
    if event.is_cancelled:
        raise OrganiserError(_l("The event is cancelled, so there is no attendance to mark."))
    if not attendance_open(event, now):
        raise OrganiserError(_l("You can mark who came once the event has started."))
    changed = 0
    for registration in participants(event).confirmed:
        attended = registration.id in came
        if registration.attended is not attended:
            registration.attended = attended
            # Ids and the field's name only: who came is personal and stays on the registration.
            audit.record(actor, "registration.attendance", registration, ["attended"])
            changed += 1
    db.session.flush()
    return changed


# ---- export ----------------------------------------------------------------------------------------

def _cell(value) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def participants_csv(event: Event, reader, now: datetime | None = None) -> str:
    """The list as CSV in the reader's language; the byte-order mark makes Excel read it as UTF-8 (æøå)."""
    listed = participants(event)
    needs = shows_access_needs(event, reader, now)
    status = {RegistrationStatus.CONFIRMED.value: _("confirmed"), RegistrationStatus.WAITLISTED.value: _("waitlist")}
    came = {True: _("yes"), False: _("no"), None: ""}
    out = io.StringIO()
    writer = csv.writer(out, delimiter=CSV_DELIMITER, lineterminator="\r\n")
    writer.writerow([_("Status"), _("Name"), _("People"), _("Access needs"), _("Email"), _("Phone"), _("Came")])
    for r in listed.everyone:
        writer.writerow([_cell(value) for value in (
            status[r.status], r.display_name, r.party_size, r.access_needs if needs else None,
            r.mail_address, r.phone, came[r.attended] if r.status == RegistrationStatus.CONFIRMED.value else None)])
    return "\ufeff" + out.getvalue()


# ---- a message to everyone registered -----------------------------------------------------------

def message_wait(event: Event) -> int | None:
    """Seconds until another message may be sent about ``event``, or None."""
    return throttle.retry_after(MESSAGES_PER_HOUR, "organiser-message", str(event.id))


def send_message(event: Event, texts: dict[str, tuple[str, str]], actor: User) -> int:
    """Mail the confirmed and the waitlisted who have an address, each in their own language when
    the organiser wrote it, else in the first language given. ``texts``: language → (subject, text),
    in the order they were given. Returns how many were mailed."""
    if not events.can_manage(event, actor):
        raise PermissionError
    if not texts:
        raise OrganiserError(_l("Write the message in at least one language."))
    if message_wait(event) is not None:
        raise OrganiserError(_l("Only %(limit)d messages an hour can be sent about one event. Please wait a while "
                                "and try again; what you wrote is kept below.", limit=MESSAGES_AN_HOUR), status=429)
    recipients = [r for r in participants(event).everyone if r.mail_address]
    if not recipients:
        raise OrganiserError(_l("Nobody registered has an email address, so there is nobody to send it to."))
    first = next(iter(texts))
    event_link = site_url("events.show", event_id=event.id)
    for registration in recipients:
        language = registration.mail_locale if registration.mail_locale in texts else first
        subject, body = texts[language]
        send_mail(registration.mail_address, registration.mail_locale, "organiser_message", subject,
                  event=event, registration=registration, text=body, event_time=event_time,
                  link=seats.manage_url(registration), event_link=event_link)
    audit.record(actor, "event.message", event, [], {"recipients": (None, len(recipients)),
                                                     "languages": (None, ",".join(texts))})
    throttle.hit(MESSAGES_PER_HOUR, "organiser-message", str(event.id))
    return len(recipients)
