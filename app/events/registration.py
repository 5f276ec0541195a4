"""Registration: seats, the waitlist and manage links.

The capacity guarantee: a seat is taken by one conditional UPDATE on the
event row (``seats_taken + n <= capacity``), so the check and the write are
one step inside the transaction, and a CHECK constraint on the table backs it.
On PostgreSQL the UPDATE locks the row and re-reads it after a concurrent
writer commits; on SQLite a writing request holds the database's write lock
from BEGIN (BEGIN IMMEDIATE), so registrations queue one behind the other.
Functions flush; the caller commits.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import url_for
from sqlalchemy import and_, func, or_, select, update
from sqlalchemy.orm import joinedload

from app.accounts.models import User
from app.accounts.services import normalise_email
from app.core import robots, secret_links, settings, throttle
from app.core.db import utcnow
from app.core.i18n import lazy_gettext as _l
from app.core.i18n import ngettext
from app.core.mail import send_mail, within_address_cap
from app.core.rules import RuleBroken
from app.events.calendar import event_attachment
from app.events.models import Event, EventStatus, Registration, RegistrationStatus
from app.extensions import db

MANAGE = "registration"
# Registrations counted in an event's seats_taken: confirmed ones, and guests' seats held for them.
HOLDING_SEATS = (RegistrationStatus.CONFIRMED, RegistrationStatus.PENDING)


class RegistrationClosed(RuleBroken):
    pass


class SeatsUnavailable(RuleBroken):
    pass


class GuestRefused(RuleBroken):
    """A guest's form that looks sent by a program, or one too many from the same place."""


def _client_limit(client: str) -> tuple[str, tuple[str, ...]]:
    # ``client`` is app.core.clients.client_key(): an IPv6 client counts by its /64.
    return f"{settings.get('GUEST_REGISTRATIONS_PER_HOUR')} per hour", ("registration", client)


def _unconfirmed_guests(event: Event, now: datetime | None = None) -> int:
    """Guests of the event still holding a seat or a waitlist place unconfirmed: what fake sign-ups
    can take. Confirmed, cancelled and expired ones are not counted, so bots that cancel again
    cannot use up the event for real guests."""
    return db.session.scalar(select(func.count()).select_from(Registration).where(
        Registration.event_id == event.id, Registration.confirm_by > (now or utcnow()),
        Registration.status != RegistrationStatus.CANCELLED))


def check_guest(event: Event, started: str | None, honeypot: str | None, client: str) -> None:
    """Fake sign-ups must not take every seat: a hidden field, a minimum fill time, a limit per client
    address, and a limit on the unconfirmed guests an event has at one time (each of whom only
    holds a seat until GUEST_HOLD_MINUTES have passed)."""
    robots.check(started, honeypot, settings.get("REGISTRATION_MIN_SECONDS"),
                 _l("That was very quick, so we could not be sure a person sent it. "
                    "Check the form and press register again."), refuse=GuestRefused)
    check_confirmed_by_mail(event, client)


def check_confirmed_by_mail(event: Event, client: str) -> None:
    """The limits of everyone whose seat waits for a mailed link: a guest, or an account whose address
    is not confirmed yet (such an account costs nothing to make, so it counts like a guest)."""
    limit, key = _client_limit(client)
    if (throttle.retry_after(limit, *key) is not None
            or _unconfirmed_guests(event) >= settings.get("EVENT_PENDING_GUESTS")):
        raise GuestRefused(_l("Many registrations have been sent in the last hour. Please wait a while and try again; "
                              "what you wrote is kept below."), status=429)


def count_guest(event: Event, client: str) -> None:
    """Count a guest's registration against the client's limit (after it is made)."""
    limit, key = _client_limit(client)
    throttle.hit(limit, *key)


@dataclass
class Outcome:
    registration: Registration
    token: str | None        # None when the person was already registered (the link is mailed, not shown)
    already: bool = False


def manage_token(registration: Registration) -> str:
    return secret_links.token_for(MANAGE, registration.token_nonce)


# The manage link in mail: made from the nonce when the mail is sent, never stored (app/core/secret_links.py).
MANAGE_LINK = secret_links.kind("registration", "events.manage_registration",
                                lambda nonce: secret_links.token_for(MANAGE, nonce))


def manage_url(registration: Registration) -> secret_links.SecretLink:
    """The manage link, for a mail."""
    return MANAGE_LINK(registration.token_nonce)


def find_by_token(token: str) -> Registration | None:
    if not token or len(token) > 100:
        return None
    return db.session.scalar(select(Registration).where(Registration.token_hash == secret_links.digest(token)))


def closed_reason(event: Event, now=None):
    """Why nobody can register now, or None when registration is open."""
    now = now or utcnow()
    if event.district.retired_at is not None:  # a retired district takes nothing new
        return _l("%(district)s is no longer active and takes nothing new. What was posted there can still "
                  "be read.", district=event.district.name)
    if event.status == EventStatus.CANCELLED:
        return _l("This event is cancelled, so registration is closed.")
    if event.status != EventStatus.PUBLISHED:
        return _l("This event is not published yet.")
    if event.starts_at <= now:
        return _l("This event has started, so registration is closed.")
    if event.registration_deadline is not None and event.registration_deadline <= now:
        return _l("The registration deadline has passed.")
    return None


def _claim_seats(event_id: int, seats: int) -> bool:
    """Take ``seats`` confirmed seats if they are free, in one statement."""
    result = db.session.execute(
        update(Event)
        .where(Event.id == event_id,
               or_(Event.capacity.is_(None), Event.seats_taken + seats <= Event.capacity))
        .values(seats_taken=Event.seats_taken + seats)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount == 1


def _release_seats(event_id: int, seats: int) -> None:
    db.session.execute(
        update(Event).where(Event.id == event_id).values(seats_taken=Event.seats_taken - seats)
        .execution_options(synchronize_session=False)
    )


def lock_event(event_id: int) -> None:
    """Serialise registration changes for one event (a PostgreSQL row lock; SQLite writers are serialised already)."""
    db.session.execute(select(Event.id).where(Event.id == event_id).with_for_update())


def _refresh(event: Event) -> None:
    db.session.refresh(event, ["seats_taken", "capacity"])


def _new_link(registration: Registration) -> str:
    registration.token_nonce = secret_links.new_nonce()
    token = secret_links.token_for(MANAGE, registration.token_nonce)
    registration.token_hash = secret_links.digest(token)
    return token


def _existing(event: Event, user: User | None, email: str | None) -> Registration | None:
    if user is not None:
        condition = Registration.user_id == user.id
    elif email:
        condition = Registration.email == email
    else:
        return None
    return db.session.scalar(select(Registration).where(Registration.event_id == event.id, condition))


def register(event: Event, *, user: User | None = None, name: str | None = None, email: str | None = None,
             phone: str | None = None, party_size: int = 1, access_needs: str | None = None, locale: str = "nb",
             added_by_organiser: bool = False, confirm_by_mail: bool = False) -> Outcome:
    """Register a resident (``user``) or a guest (``name`` and ``email``, or ``phone`` when an organiser adds them).

    Confirmed while seats remain, else on the waitlist. A guest registering themselves
    (``confirm_by_mail``) only holds the seat, or the waitlist place, until they open the
    mailed link and confirm (``confirm``), for GUEST_HOLD_MINUTES. Registering again with
    the same account or email changes nothing: the existing link is mailed again.
    """
    reason = closed_reason(event)
    if reason is not None:
        raise RegistrationClosed(reason)
    # One registration change per event at a time: a cancellation's promotion then sees this
    # registration, and this one sees the seat it freed.
    lock_event(event.id)
    # Holds nobody confirmed in time give their seats back first (to the waitlist, then to this one).
    if release_expired(event.id):
        promote(event)
    email = normalise_email(email) if email else None
    registration = _existing(event, user, email)
    if registration is not None and registration.status != RegistrationStatus.CANCELLED:
        # Anyone can type an address here: the link mailed again counts against the address's hourly cap.
        if registration.unconfirmed:
            # The same link again, with the same deadline: asking again must not hold a seat for ever.
            if within_address_cap(registration.mail_address):
                _mail_pending(registration)
        elif registration.mail_address and within_address_cap(registration.mail_address):
            send_mail(registration.mail_address, registration.mail_locale, "registration_link_again",
                      _l("Your registration for %(title)s", title=event.title),
                      event=event, registration=registration, link=manage_url(registration))
        return Outcome(registration, None, already=True)
    if registration is None:
        registration = Registration(event_id=event.id, user_id=user.id if user else None)
        db.session.add(registration)
    registration.name = None if user else (name or "").strip() or None
    registration.email = None if user else email
    registration.phone = (phone or "").strip() or None
    registration.party_size = party_size
    registration.access_needs = (access_needs or "").strip() or None
    registration.locale = user.locale if user else locale
    registration.added_by_organiser = added_by_organiser
    registration.cancelled_at = None
    registration.attended = None
    registration.status = RegistrationStatus.WAITLISTED
    registration.queued_at = utcnow()
    registration.confirm_by = (utcnow() + timedelta(minutes=settings.get("GUEST_HOLD_MINUTES"))
                               if confirm_by_mail else None)
    token = _new_link(registration)
    seated = _claim_seats(event.id, party_size)
    # Stamped after the claim: the claim waits for the event row's lock, so this is the order people joined.
    registration.queued_at = utcnow()
    if seated and confirm_by_mail:
        registration.status, registration.confirmed_at = RegistrationStatus.PENDING, None
    elif seated:
        registration.status, registration.confirmed_at = RegistrationStatus.CONFIRMED, utcnow()
    else:
        registration.status, registration.confirmed_at = RegistrationStatus.WAITLISTED, None
    db.session.flush()
    _refresh(event)
    if confirm_by_mail:
        _mail_pending(registration)
    else:
        _mail_outcome(registration, token)
    return Outcome(registration, token)


def _mail_pending(registration: Registration) -> None:
    """The link that confirms a guest's address; the seat is theirs once they open it and confirm."""
    event = registration.event
    minutes_left = max(1, math.ceil((registration.confirm_by - utcnow()).total_seconds() / 60))
    send_mail(registration.mail_address, registration.mail_locale, "registration_pending",
              _l("Confirm your registration for %(title)s", title=event.title),
              event=event, registration=registration, link=manage_url(registration),
              minutes=minutes_left, seated=registration.status == RegistrationStatus.PENDING)


def release_expired(event_id: int, now: datetime | None = None) -> int:
    """Give back what guests did not confirm in time: their held seats, their waitlist places.
    Done lazily whenever the event's registrations change or its registration page is shown, so
    no scheduled job is needed for a seat to come free. The caller holds the event's lock and
    promotes the waitlist when this returns more than nought (registrations released)."""
    now = now or utcnow()
    expired = db.session.scalars(select(Registration).where(
        Registration.event_id == event_id, Registration.confirm_by <= now,
        Registration.status.in_([RegistrationStatus.PENDING, RegistrationStatus.WAITLISTED]))
        .execution_options(populate_existing=True)).all()
    seats = sum(r.party_size for r in expired if r.status == RegistrationStatus.PENDING)
    for registration in expired:
        # confirm_by stays: the manage page then says the place was not confirmed in time.
        registration.status, registration.cancelled_at = RegistrationStatus.CANCELLED, now
    if seats:
        _release_seats(event_id, seats)
    db.session.flush()
    return len(expired)


def has_expired_holds(event_id: int) -> bool:
    return db.session.scalar(select(Registration.id).where(
        Registration.event_id == event_id, Registration.confirm_by <= utcnow(),
        Registration.status.in_([RegistrationStatus.PENDING, RegistrationStatus.WAITLISTED])).limit(1)) is not None


def free_expired(event: Event) -> bool:
    """Release expired holds of ``event`` and promote the waitlist; True when something changed (the caller commits)."""
    if not has_expired_holds(event.id):
        return False
    lock_event(event.id)
    if release_expired(event.id):
        promote(event)
        _refresh(event)
        return True
    return False


class NotConfirmedInTime(RuleBroken):
    pass


def confirm(registration: Registration) -> None:
    """The guest opened the mailed link and confirmed: a held seat becomes theirs, a waitlist place
    joins the queue. Too late, and the hold is already given back."""
    _lock_and_reread(registration)
    if registration.confirm_by is None:
        return   # confirmed already (a second click)
    if registration.status != RegistrationStatus.CANCELLED and registration.confirm_by <= utcnow():
        if release_expired(registration.event_id):
            promote(registration.event)
        db.session.refresh(registration)
    if registration.status == RegistrationStatus.CANCELLED:
        raise NotConfirmedInTime(_l("This registration was not confirmed in time, so the place was given back. "
                                    "You can register again from the event page while registration is open."))
    registration.confirm_by = None
    if registration.status == RegistrationStatus.PENDING:
        registration.status, registration.confirmed_at = RegistrationStatus.CONFIRMED, utcnow()
    db.session.flush()
    if registration.status == RegistrationStatus.WAITLISTED:
        promote(registration.event)   # a seat may have come free while they were reading their mail
        if registration.status != RegistrationStatus.WAITLISTED:
            return   # promoted: the promotion mail has the link and the calendar file
    _mail_outcome(registration, manage_token(registration))


def _mail_outcome(registration: Registration, token: str) -> None:
    if not registration.mail_address:
        return
    event = registration.event
    link = manage_url(registration)
    if registration.status == RegistrationStatus.CONFIRMED:
        send_mail(registration.mail_address, registration.mail_locale, "registration_confirmed",
                  _l("You are registered for %(title)s", title=event.reader_title()),
                  attachments=[event_attachment(event, registration.mail_locale)], event=event,
                  registration=registration, link=link)
    else:
        send_mail(registration.mail_address, registration.mail_locale, "registration_waitlisted",
                  _l("You are on the waitlist for %(title)s", title=event.reader_title()),
                  event=event, registration=registration, link=link, position=waitlist_position(registration))


def find_existing(event: Event, user: User | None, email: str | None) -> Registration | None:
    return _existing(event, user, normalise_email(email) if email else None)


def waitlist_position(registration: Registration) -> int | None:
    if registration.status != RegistrationStatus.WAITLISTED:
        return None
    ahead = db.session.scalar(select(func.count()).select_from(Registration).where(
        Registration.event_id == registration.event_id,
        Registration.status == RegistrationStatus.WAITLISTED, Registration.confirm_by.is_(None),
        or_(Registration.queued_at < registration.queued_at,
            and_(Registration.queued_at == registration.queued_at, Registration.id < registration.id))))
    return ahead + 1


def waitlist(event_id: int, fresh: bool = False) -> list[Registration]:
    stmt = (select(Registration).where(Registration.event_id == event_id,
                                       Registration.status == RegistrationStatus.WAITLISTED)
            .order_by(Registration.queued_at, Registration.id))
    if fresh:  # read again what other requests committed, not what this session saw before
        stmt = stmt.execution_options(populate_existing=True)
    return list(db.session.scalars(stmt))


def _lock_and_reread(registration: Registration) -> None:
    """Take the event's lock, then read the registration again: a second click, or a promotion
    committed meanwhile, is seen before anything is decided from it."""
    lock_event(registration.event_id)
    db.session.refresh(registration)


def promote(event: Event) -> list[Registration]:
    """Fill free seats from the waitlist in order. A party too big for the seats left keeps its
    place while smaller parties behind it move up. Stops when the event has started."""
    if event.status != EventStatus.PUBLISHED or event.starts_at <= utcnow():
        return []
    lock_event(event.id)
    release_expired(event.id)
    _refresh(event)
    promoted = []
    for registration in waitlist(event.id, fresh=True):
        if event.capacity is not None and event.seats_taken >= event.capacity:
            break
        if registration.confirm_by is not None:
            continue   # a guest who has not confirmed their address yet joins the queue when they do
        if not _claim_seats(event.id, registration.party_size):
            continue
        _refresh(event)
        registration.status, registration.confirmed_at = RegistrationStatus.CONFIRMED, utcnow()
        promoted.append(registration)
    db.session.flush()
    for registration in promoted:
        if registration.mail_address:
                send_mail(registration.mail_address, registration.mail_locale, "registration_promoted",
                      _l("A place has opened: you are registered for %(title)s", title=event.reader_title()),
                      attachments=[event_attachment(event, registration.mail_locale)], event=event, registration=registration,
                      link=manage_url(registration))
    return promoted


def cancel(registration: Registration) -> None:
    """The person cancels (through the link or their account); a freed seat goes to the waitlist."""
    _lock_and_reread(registration)
    if registration.status == RegistrationStatus.CANCELLED:
        return
    had_seats = registration.status in HOLDING_SEATS
    registration.status, registration.cancelled_at = RegistrationStatus.CANCELLED, utcnow()
    db.session.flush()
    if had_seats:
        _release_seats(registration.event_id, registration.party_size)
        promote(registration.event)


def change_party_size(registration: Registration, party_size: int) -> None:
    """More people need free seats; fewer give seats back to the waitlist."""
    _lock_and_reread(registration)
    difference = party_size - registration.party_size
    if difference == 0 or registration.status == RegistrationStatus.CANCELLED:
        return
    event = registration.event
    if registration.status in HOLDING_SEATS:
        if difference > 0 and not _claim_seats(event.id, difference):
            _refresh(event)
            raise SeatsUnavailable(ngettext("There are not enough free seats for %(num)d more. Seats left: %(left)d.",
                                            "There are not enough free seats for %(num)d more. Seats left: %(left)d.",
                                            difference, left=event.seats_left or 0))
        if difference < 0:
            _release_seats(event.id, -difference)
    registration.party_size = party_size
    db.session.flush()
    _refresh(event)
    if difference < 0:
        promote(event)


def change_access_needs(registration: Registration, access_needs: str | None) -> None:
    """What the person needs to take part (only the organisers see it); empty removes it."""
    if registration.status == RegistrationStatus.CANCELLED:
        return
    registration.access_needs = (access_needs or "").strip() or None
    db.session.flush()


def upcoming_for(user: User, limit: int | None = None) -> list[tuple[Registration, str | None]]:
    """A resident's registrations for events that have not ended, with their manage links, soonest first;
    the first ``limit`` of them when given."""
    rows = db.session.scalars(
        select(Registration).join(Event).options(joinedload(Registration.event))
        .where(Registration.user_id == user.id, Registration.status != RegistrationStatus.CANCELLED,
               Event.ends_at > utcnow())
        .order_by(Event.starts_at, Registration.id).limit(limit)).all()
    # A place still waiting for the mailed link has no link here: opening that mail is what confirms it.
    return [(r, None if r.unconfirmed else url_for("events.manage_registration", token=manage_token(r)))
            for r in rows]


def confirmed_and_waiting(event_id: int) -> list[Registration]:
    """Everyone who is still registered or waiting, for mails about the event."""
    return list(db.session.scalars(select(Registration).where(
        Registration.event_id == event_id, Registration.status != RegistrationStatus.CANCELLED)))
