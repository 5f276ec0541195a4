"""What organisers do with their events' participants. Functions flush; the view commits.

Who may: organisers of the event's organisation change things; they and the
moderators of the event's district (admins everywhere) may read the list
(``Event.can_manage`` / ``Event.can_see_participants``).
"""
from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from types import SimpleNamespace

from sqlalchemy import and_, case, exists, func, literal, or_, select, union_all
from sqlalchemy.orm import joinedload

from app.accounts.models import User
from app.core import audit, throttle, worker_cache
from app.core.db import utcnow
from app.core.i18n import gettext as _
from app.core.i18n import lazy_gettext as _l
from app.core.mail import send_mail
from app.core.params import page_count
from app.core.rules import Forbidden, RuleBroken
from app.core.urls import site_url
from app.events import registration as seats
from app.events import services as events
from app.events.models import Event, Registration, RegistrationStatus
from app.extensions import db
from app.organisations.models import Membership, Organisation, OrganisationStatus

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
    """An organisation's events as rows: a weekly series is one row (``EventCard``), its dates folded inside,
    so six months of a weekly singalong is one row, not twenty-six."""
    organisation: Organisation
    upcoming: list[events.EventCard] = field(default_factory=list)
    past: list[events.EventCard] = field(default_factory=list)
    more_coming: bool = False


def organises(user: User) -> bool:
    """Whether ``user`` is a member of an approved organisation (retired ones too: their planned
    events can still be changed), asked on every page for the main menu, so kept per worker until
    anything is written."""
    def load() -> bool:
        return db.session.scalar(select(exists().where(
            Membership.user_id == user.id, Membership.organisation_id == Organisation.id,
            Organisation.status == OrganisationStatus.APPROVED))) or False

    return bool(worker_cache.cached_value(("organises", user.id), load, seconds=None))


OVERVIEW_CARDS = 8   # the soonest coming events of all the person's organisations; the rest are a link away
OVERVIEW_ENDED = 4   # the latest ended ones
LIST_CARDS = 20       # a page of one organisation's events


def _coming(organisation_id: int, now: datetime):
    return lambda event: [event.organisation_id == organisation_id, event.starts_at > now - events.MAX_LENGTH,
                          event.ends_at > now]


def _ended(organisation_id: int, now: datetime, days: int | None = PAST_DAYS):
    def where(event) -> list:
        found = [event.organisation_id == organisation_id, event.ends_at <= now]
        if days is not None:   # and started at most MAX_LENGTH before: a bound an index on the start can use
            found += [event.ends_at > now - timedelta(days=days),
                      event.starts_at > now - timedelta(days=days) - events.MAX_LENGTH]
        return found
    return where


def overview(user: User, now: datetime | None = None) -> tuple[list[OrganisationEvents], dict[int, int]]:
    """The approved organisations ``user`` organises, with the next OVERVIEW_CARDS events of them all (soonest
    first) and the OVERVIEW_ENDED that ended last in the last PAST_DAYS days (latest first), a series as one card,
    and waitlist lengths by event; ``more_coming`` says whether an organisation has more coming
    (``organisation_events`` lists them all). The same few queries however many organisations, events
    and registrations there are, each reading only what the page shows."""
    now = now or utcnow()
    groups = {org.id: OrganisationEvents(org) for org in events.organiser_of(user)}
    if not groups:
        return [], {}
    parts = []
    for org_id in groups:
        for ended, where, limit in ((False, _coming(org_id, now), OVERVIEW_CARDS + 1),
                                    (True, _ended(org_id, now), OVERVIEW_ENDED)):
            parts.append(select(literal(ended).label("ended"), Event.organisation_id, Event.id, Event.starts_at,
                                Event.series_id)
                         .where(*where(Event), events.first_of_card(where, ended))
                         .order_by(*events.list_order(Event, ended)).limit(limit).subquery().select())
    rows = db.session.execute(union_all(*parts)).all()
    # The soonest and the latest of them all, however many organisations the person organises.
    every_coming = sorted((row for row in rows if not row.ended), key=lambda r: (r.starts_at, r.id))
    coming = every_coming[:OVERVIEW_CARDS]
    ended_rows = sorted((row for row in rows if row.ended), key=lambda r: (r.starts_at, r.id), reverse=True)
    ended_rows = ended_rows[:OVERVIEW_ENDED]
    for row in every_coming[OVERVIEW_CARDS:]:
        groups[row.organisation_id].more_coming = True
    # One query for the events of every card: those not ended go to coming cards, the others to ended ones.
    shown = [*coming, *ended_rows]
    cards: dict[tuple[bool, str], list[Event]] = {}
    for event in events.occurrences_of(shown, lambda event: [or_(
            and_(*_coming(event.organisation_id, now)(event)), and_(*_ended(event.organisation_id, now)(event)))]):
        cards.setdefault((event.ends_at <= now, events.card_key(event)), []).append(event)
    waiting = events.waitlist_lengths([e.id for found in cards.values() for e in found])
    for ended, found_rows in ((False, coming), (True, ended_rows)):
        for row in sorted(found_rows, key=lambda r: (r.starts_at, r.id), reverse=ended):
            found = sorted(cards.get((ended, events.card_key(row)), []), key=lambda e: (e.starts_at, e.id), reverse=ended)
            if found:
                group = groups[row.organisation_id]
                (group.past if ended else group.upcoming).append(events.EventCard(tuple(found)))
    return list(groups.values()), waiting


def organisation_events(organisation: Organisation, ended: bool, after: events.EventKey | None,
                        before: events.EventKey | None, page: int = 1,
                        now: datetime | None = None) -> tuple[events.CardPage, dict[int, int]]:
    """A page of one organisation's coming events (soonest first) or of all that have ended (latest first)."""
    now = now or utcnow()
    where = _ended(organisation.id, now, days=None) if ended else _coming(organisation.id, now)
    found = events.card_page(where, after, None if after else before, page, LIST_CARDS, descending=ended)
    return found, events.waitlist_lengths([e.id for card in found.cards for e in card.occurrences])


# ---- the participant list --------------------------------------------------------------------------

@dataclass
class Participants:
    confirmed: list[Registration]
    waitlist: list[Registration]
    held: list[Registration]      # guests' seats held until they confirm by the mailed link

    @property
    def confirmed_people(self) -> int:
        return sum(r.party_size for r in self.confirmed)

    @property
    def waiting_people(self) -> int:
        return sum(r.party_size for r in self.waitlist)

    @property
    def everyone(self) -> list[Registration]:
        return self.confirmed + self.held + self.waitlist

    @property
    def reachable(self) -> int:
        """Registrations a message reaches (those with an email address)."""
        return sum(1 for r in self.everyone if r.mail_address)


def participants(event: Event) -> Participants:
    """Confirmed in the order they got their seat, the waitlist in its order; cancelled ones left out."""
    registrations = db.session.scalars(
        select(Registration).options(joinedload(Registration.user))
        .where(Registration.event_id == event.id, Registration.status != RegistrationStatus.CANCELLED)
    ).all()
    confirmed = sorted((r for r in registrations if r.status == RegistrationStatus.CONFIRMED),
                       key=lambda r: (r.confirmed_at or r.queued_at, r.id))
    waiting = sorted((r for r in registrations if r.status == RegistrationStatus.WAITLISTED),
                     key=lambda r: (r.queued_at, r.id))
    held = sorted((r for r in registrations if r.status == RegistrationStatus.PENDING),
                  key=lambda r: (r.queued_at, r.id))
    return Participants(confirmed, waiting, held)


PER_PAGE = 100  # rows of the participant page; the CSV has everyone


@dataclass
class ParticipantPage:
    """One page of the list (confirmed first, then seats held for guests who have not confirmed,
    then the waitlist) with the totals for the whole event."""

    confirmed: list[Registration]
    waitlist: list[Registration]
    confirmed_count: int
    waiting_count: int
    confirmed_people: int
    waiting_people: int
    held: list[Registration]
    held_count: int
    held_people: int
    reachable: int
    page: int
    pages: int
    first_position: int   # waitlist place of the first waiting row on this page

    @property
    def total(self) -> int:
        return self.confirmed_count + self.held_count + self.waiting_count


def participant_page(event: Event, page: int = 1) -> ParticipantPage:
    """A page of the list in the same order as ``participants``, counted and cut by the database,
    so a big event's page stays small and its queries few."""
    confirmed = Registration.status == RegistrationStatus.CONFIRMED
    pending = Registration.status == RegistrationStatus.PENDING
    active = and_(Registration.event_id == event.id, Registration.status != RegistrationStatus.CANCELLED)
    totals = {row.status: row for row in db.session.execute(
        select(Registration.status, func.count().label("rows"), func.sum(Registration.party_size).label("people"),
               func.count(case((or_(Registration.user_id.is_not(None), Registration.email.is_not(None)), 1)))
               .label("reachable"))
        .where(active).group_by(Registration.status))}
    empty = SimpleNamespace(rows=0, people=0, reachable=0)
    seated, held, waiting = (totals.get(RegistrationStatus.CONFIRMED, empty),
                             totals.get(RegistrationStatus.PENDING, empty),
                             totals.get(RegistrationStatus.WAITLISTED, empty))
    pages = page_count(seated.rows + held.rows + waiting.rows, PER_PAGE)
    page = min(max(page, 1), pages)
    offset = (page - 1) * PER_PAGE
    rows = db.session.scalars(
        select(Registration).options(joinedload(Registration.user)).where(active)
        .order_by(case((confirmed, 0), (pending, 1), else_=2),
                  case((confirmed, func.coalesce(Registration.confirmed_at, Registration.queued_at)),
                       else_=Registration.queued_at),
                  Registration.id)
        .limit(PER_PAGE).offset(offset)).all()
    shown_confirmed = [r for r in rows if r.status == RegistrationStatus.CONFIRMED]
    shown_held = [r for r in rows if r.status == RegistrationStatus.PENDING]
    return ParticipantPage(
        confirmed=shown_confirmed, waitlist=[r for r in rows if r.status == RegistrationStatus.WAITLISTED],
        confirmed_count=seated.rows, waiting_count=waiting.rows, confirmed_people=seated.people or 0,
        waiting_people=waiting.people or 0, held=shown_held, held_count=held.rows, held_people=held.people or 0,
        reachable=seated.reachable + held.reachable + waiting.reachable, page=page, pages=pages,
        first_position=offset + len(shown_confirmed) + len(shown_held) - seated.rows - held.rows + 1)


def shows_access_needs(event: Event, reader, now: datetime | None = None) -> bool:
    """Access needs are for the organisers getting the event ready; once it is over nobody needs them."""
    return event.ends_at > (now or utcnow()) and event.can_manage(reader)


def attendance_open(event: Event, now: datetime | None = None) -> bool:
    return not event.is_cancelled and event.starts_at <= (now or utcnow())


# ---- changing it -----------------------------------------------------------------------------------

def add_person(event: Event, actor: User, name: str, phone: str, party_size: int = 1,
               access_needs: str | None = None, locale: str = "nb") -> Registration:
    """Register someone without an email address (they phoned, or came by); seats and waitlist as for anyone.
    Raises ``RegistrationClosed`` when nobody can register any more."""
    if not event.can_manage(actor):
        raise Forbidden()
    outcome = seats.register(event, name=name, phone=phone, party_size=party_size, access_needs=access_needs,
                             locale=locale, added_by_organiser=True)
    registration = outcome.registration
    audit.record(actor, "registration.add_by_organiser", registration,
                 [column for column in ("name", "phone", "party_size", "access_needs") if getattr(registration, column)])
    return registration


def mark_attendance(event: Event, came: set[int], shown: set[int], actor: User, now: datetime | None = None) -> int:
    """Who of the confirmed on the page came (``came`` holds the ticked registration ids, ``shown``
    the ids the page listed; every other one shown did not come). Returns how many changed."""
    if not event.can_manage(actor):
        raise Forbidden()
    if event.is_cancelled:
        raise OrganiserError(_l("The event is cancelled, so there is no attendance to mark."))
    if not attendance_open(event, now):
        raise OrganiserError(_l("You can mark who came once the event has started."))
    changed = 0
    # Only the rows the page showed: people on another page of the list are left as they were.
    on_page = db.session.scalars(select(Registration).where(
        Registration.event_id == event.id, Registration.status == RegistrationStatus.CONFIRMED,
        Registration.id.in_(shown))).all()
    for registration in on_page:
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


def note_reading(event: Event, reader, action: str) -> None:
    """Names and contact details of others: who read or downloaded them, and when, is kept in the audit log."""
    audit.record(reader, action, event)


def participants_csv(event: Event, reader, now: datetime | None = None) -> str:
    """The list as CSV in the reader's language; the byte-order mark makes Excel read it as UTF-8 (æøå)."""
    listed = participants(event)
    needs = shows_access_needs(event, reader, now)
    status = {RegistrationStatus.CONFIRMED: _("confirmed"), RegistrationStatus.WAITLISTED: _("waitlist"),
              RegistrationStatus.PENDING: _("seat held, not confirmed yet")}
    came = {True: _("yes"), False: _("no"), None: ""}
    out = io.StringIO()
    writer = csv.writer(out, delimiter=CSV_DELIMITER, lineterminator="\r\n")
    writer.writerow([_("Status"), _("Name"), _("People"), _("Access needs"), _("Email"), _("Phone"), _("Came")])
    for r in listed.everyone:
        writer.writerow([_cell(value) for value in (
            _("waitlist, not confirmed yet") if r.unconfirmed and r.status == RegistrationStatus.WAITLISTED
            else status[r.status], r.display_name, r.party_size, r.access_needs if needs else None,
            r.mail_address, r.phone, came[r.attended] if r.status == RegistrationStatus.CONFIRMED else None)])
    return "\ufeff" + out.getvalue()


# ---- a message to everyone registered -----------------------------------------------------------

def message_wait(event: Event) -> int | None:
    """Seconds until another message may be sent about ``event``, or None."""
    return throttle.retry_after(MESSAGES_PER_HOUR, "organiser-message", str(event.id))


def send_message(event: Event, texts: dict[str, tuple[str, str]], actor: User) -> int:
    """Mail the confirmed and the waitlisted who have an address, each in their own language when
    the organiser wrote it, else in the first language given. ``texts``: language → (subject, text),
    in the order they were given. Returns how many were mailed."""
    if not event.can_manage(actor):
        raise Forbidden()
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
        send_mail(registration.mail_address, registration.mail_locale,  # type: ignore[arg-type]  # recipients have one
                  "organiser_message", subject,
                  event=event, registration=registration, text=body,
                  link=seats.manage_url(registration), event_link=event_link)
    audit.record(actor, "event.message", event, [], {"recipients": (None, len(recipients)),
                                                     "languages": (None, ",".join(texts))})
    throttle.hit(MESSAGES_PER_HOUR, "organiser-message", str(event.id))
    return len(recipients)
