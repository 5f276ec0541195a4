"""Events: creating weekly series, editing and cancelling "this one" or "this and later", listing.
Functions flush; the view commits."""
from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone

from sqlalchemy import Row, and_, exists, func, literal, null, or_, select, true, union_all
from sqlalchemy import update as sql_update
from sqlalchemy.orm import aliased, joinedload, selectinload

from app.accounts.models import User
from app.core import audit, settings
from app.core.db import OSLO, utcnow
from app.core.i18n import lazy_gettext as _l
from app.core.i18n import ngettext
from app.core.mail import send_mail
from app.core.params import positive_int
from app.core.rules import Forbidden, RuleBroken
from app.core.sanitize import markdown_to_html
from app.core.urls import site_url
from app.core.worker_cache import cached_value
from app.districts.models import District
from app.districts.services import refuse_if_retired
from app.events import registration as seats
from app.events.calendar import event_attachment
from app.events.models import Event, EventReview, EventStatus, Registration, RegistrationStatus
from app.extensions import db
from app.follows import services as following
from app.meeting_places.models import MeetingPlace
from app.organisations.models import Membership, Organisation, OrganisationStatus
from app.places import geocoder
from app.submissions.models import Status, StatusChange
from app.translation.detect import language_of

MAX_WEEKS = 26
EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)
MAX_MICROS = (datetime(9999, 1, 1, tzinfo=timezone.utc) - EPOCH) // timedelta(microseconds=1)
PER_PAGE = 20
# What an organiser writes; a change to any of WHERE_AND_WHEN is mailed to everyone registered.
FIELDS = ("title", "description", "district_id", "meeting_place_id", "address", "capacity", "effort_area_id",
          "languages", "audience")
WHERE_AND_WHEN = ("starts_at", "ends_at", "meeting_place_id", "address")
# What a moderator approved when events are pre-moderated: a change to any of these holds the event
# again, or an approved event could be rewritten into anything. Seats, times and languages are not.
REVIEWED = ("title", "description", "district_id", "meeting_place_id", "address")


class EventError(RuleBroken):
    pass


# ---- who may -----------------------------------------------------------------------------------

def organiser_of(user, publishing: bool = False) -> list[Organisation]:
    """The approved organisations whose events ``user`` may change; ``publishing``: only those that
    may also publish new ones (a retired organisation may not)."""
    if not getattr(user, "is_authenticated", False):
        return []
    stmt = (select(Organisation).join(Membership).options(selectinload(Organisation.districts))
            .where(Membership.user_id == user.id, Organisation.status == OrganisationStatus.APPROVED).order_by(Organisation.name))
    if publishing:
        stmt = stmt.where(Organisation.retired_at.is_(None))
    return list(db.session.scalars(stmt))


# ---- reading -------------------------------------------------------------------------------------

def _with_places(stmt):
    # Everything a listing shows of each event, so a page of events costs one query: the organisers' own
    # translations too (joined, so no query more whether a page has events or not; callers take .unique()).
    return stmt.options(joinedload(Event.meeting_place), joinedload(Event.district), joinedload(Event.organisation),
                        joinedload(Event.effort_area), joinedload(Event.picture), joinedload(Event.translations))


def get(event_id: int) -> Event | None:
    return db.session.scalars(_with_places(select(Event)).where(Event.id == event_id)).unique().first()


@dataclass
class Filters:
    district: District | None = None
    start: date | None = None
    end: date | None = None
    effort_area_id: int | None = None
    audience: str | None = None
    free_seats: bool = False
    meeting_place_id: int | None = None
    organisation_id: int | None = None
    located: bool = False   # only events with a point to draw on a map (their own, or their meeting place's)


def oslo_midnight(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=OSLO)


def _matching(filters: Filters, now: datetime, event=Event) -> list:
    """What an upcoming event that matches ``filters`` is, said of ``event`` (the Event class or an alias of it)."""
    # No event lasts longer than MAX_LENGTH: the bound on its start lets an index on the start find them.
    conditions = [event.status == EventStatus.PUBLISHED, event.starts_at > now - MAX_LENGTH, event.ends_at > now]
    if filters.district is not None:
        conditions.append(event.district_id == filters.district.id)
    if filters.start is not None:
        conditions.append(event.ends_at > oslo_midnight(filters.start))
    if filters.end is not None:
        conditions.append(event.starts_at < oslo_midnight(filters.end + timedelta(days=1)))
    if filters.effort_area_id is not None:
        conditions.append(event.effort_area_id == filters.effort_area_id)
    if filters.audience:
        conditions.append(event.audience == filters.audience)
    if filters.free_seats:
        conditions.append(or_(event.capacity.is_(None), event.seats_taken < event.capacity))
    if filters.meeting_place_id is not None:
        conditions.append(event.meeting_place_id == filters.meeting_place_id)
    if filters.organisation_id is not None:
        conditions.append(event.organisation_id == filters.organisation_id)
    if filters.located:
        placed = select(MeetingPlace.id).where(MeetingPlace.latitude.is_not(None), MeetingPlace.longitude.is_not(None))
        conditions.append(or_(event.meeting_place_id.in_(placed),
                              and_(event.meeting_place_id.is_(None), event.latitude.is_not(None),
                                   event.longitude.is_not(None))))
    return conditions


def _upcoming(filters: Filters, now: datetime | None = None):
    return select(Event).where(*_matching(filters, now or utcnow()))


def calendar_feed(district: District) -> list[Event]:
    """A district's events for its calendar feed: from 30 days back (cancelled ones marked so), at most 500."""
    stmt = select(Event).where(Event.district_id == district.id, Event.ends_at > utcnow() - timedelta(days=30),
                               Event.status.in_([EventStatus.PUBLISHED, EventStatus.CANCELLED]))
    return list(db.session.scalars(_with_places(stmt).order_by(Event.starts_at).limit(500)).unique())


@dataclass
class UpcomingPage:
    """One page of upcoming events, how many there are in all, and the keys of the pages before and after it
    (None: there is none)."""
    events: list[Event]
    total: int
    previous_key: EventKey | None = None
    next_key: EventKey | None = None


def list_upcoming(filters: Filters, page: int = 1, per_page: int = PER_PAGE, after: EventKey | None = None,
                  before: EventKey | None = None) -> UpcomingPage:
    """One page of upcoming events, soonest first (each occurrence of a series on its own), and how many there
    are in all. The page after (or before) a key is read from the index of starts by range, so a late page reads
    no more rows than the first; a ``page`` number (no key) skips rows by OFFSET."""
    stmt = _upcoming(filters)
    total = db.session.scalar(select(func.count()).select_from(stmt.subquery())) or 0

    def read(anchor: EventKey | None, backwards: bool, skip: int = 0) -> list[Event]:
        chosen = stmt.where(_comes_after(Event, anchor, backwards)) if anchor is not None else stmt
        chosen = chosen.order_by(*list_order(Event, backwards)).limit(per_page + 1).offset(skip)
        return list(db.session.scalars(_with_places(chosen)).unique())

    anchor, backwards = (after, False) if after is not None else (before, True) if before is not None else (None, False)
    found = read(anchor, backwards, 0 if anchor is not None else (max(page, 1) - 1) * per_page)
    more, found = len(found) > per_page, found[:per_page]
    if backwards and not more:   # nothing before these: the first page, full
        anchor, backwards = None, False
        found = read(None, False)
        more, found = len(found) > per_page, found[:per_page]
    if backwards:
        found.reverse()
        has_next, has_previous = True, more
    else:
        has_next, has_previous = more, anchor is not None or page > 1
    return UpcomingPage(found, total, EventKey.of(found[0]) if has_previous and found else None,
                        EventKey.of(found[-1]) if has_next and found else None)


@dataclass(frozen=True)
class EventCard:
    """What a list shows as one card: a single event, or the upcoming occurrences of a weekly series
    (soonest first), so six Tuesdays of the same language café are one card, not six."""
    occurrences: tuple[Event, ...]
    dates: int | None = None              # how many the series has in the list (None: the occurrences given)
    free_later: Event | None = None       # the first with a free seat, when it comes after the occurrences given
    starts: tuple[datetime, ...] = ()     # when each of the card's dates starts (empty: the occurrences given)

    @property
    def event(self) -> Event:
        """The next occurrence: its title, place and seats are the card's."""
        return self.occurrences[0]

    @property
    def count(self) -> int:
        """How many dates the card stands for (a list loads only the first SHOWN_DATES of them)."""
        return len(self.occurrences) if self.dates is None else self.dates

    @property
    def is_series(self) -> bool:
        return self.count > 1

    @property
    def weekly(self) -> bool:
        """Every occurrence on the same weekday at the same Oslo time (one may have been moved)."""
        starts = {(moment.astimezone(OSLO).weekday(), moment.astimezone(OSLO).time())
                  for moment in self.starts or (o.starts_at for o in self.occurrences)}
        return len(starts) == 1

    @property
    def next_with_seats(self) -> Event | None:
        """When the next occurrence is full: the first later one with a free seat, if any."""
        if self.event.seats_left != 0:
            return None
        return next((o for o in self.occurrences[1:] if o.seats_left != 0), self.free_later)


@dataclass(frozen=True)
class EventKey:
    """Where a card stands in a list's order: the start of its first occurrence there, then the event's id.
    A page is asked for as "after" or "before" a key, never by an OFFSET, so a late page reads no more rows
    than the first. In a URL it is ``<microseconds since 1970>.<id>`` (as the moderation queue's keys)."""

    starts_at: datetime
    id: int

    @classmethod
    def of(cls, event: Event) -> EventKey:
        return cls(event.starts_at, event.id)

    def __str__(self) -> str:
        return f"{(self.starts_at - EPOCH) // timedelta(microseconds=1)}.{self.id}"

    @classmethod
    def parse(cls, text: str | None) -> EventKey | None:
        """A key from a URL, or None for anything odd (a hand-edited link shows the first page)."""
        parts = (text or "").split(".")
        if len(parts) != 2 or not parts[0].isascii() or not parts[0].isdigit():
            return None
        event_id, micros = positive_int(parts[1]), int(parts[0])
        if event_id is None or micros > MAX_MICROS:
            return None
        return cls(EPOCH + timedelta(microseconds=micros), event_id)


@dataclass
class CardPage:
    """One page of cards, the keys of the pages before and after it (None: there is none), and how many
    cards match in all, counted up to COUNT_UP_TO (``more``: there are more than that)."""
    cards: list[EventCard]
    previous_key: EventKey | None
    next_key: EventKey | None
    total: int = 0
    more: bool = False


COUNT_UP_TO = 100


def _comes_after(event, key: EventKey, descending: bool = False):
    # Said so that the bound on the start alone can be read from an index on it (the id only breaks ties).
    if descending:
        return and_(event.starts_at <= key.starts_at, or_(event.starts_at < key.starts_at, event.id < key.id))
    return and_(event.starts_at >= key.starts_at, or_(event.starts_at > key.starts_at, event.id > key.id))


def list_order(event, descending: bool):
    return (event.starts_at.desc(), event.id.desc()) if descending else (event.starts_at, event.id)


# One alias for every list: a new one each time would cost SQLAlchemy more to build than the query costs to run.
_EARLIER = aliased(Event, name="earlier")


def first_of_card(where: Callable, descending: bool = False):
    """The event is the first of its card in the list's order: on its own, or no occurrence of its
    series that the list shows comes before it (one look in the series index per event)."""
    earlier = _EARLIER
    return or_(Event.series_id.is_(None), ~exists().where(
        earlier.series_id == Event.series_id, *where(earlier),
        _comes_after(earlier, EventKey(Event.starts_at, Event.id), not descending)))   # type: ignore[arg-type]


def card_page(where: Callable, after: EventKey | None = None, before: EventKey | None = None, page: int = 1,
              per_page: int = PER_PAGE, descending: bool = False, count: bool = False) -> CardPage:
    """A page of cards (a weekly series is one card, at its first occurrence in the list) of the events
    ``where(Event)`` says, soonest first (latest first when ``descending``), after or before a key. An old
    ``page`` number (no key) still works. One query (two with ``count``), read through indexes, whose cost
    depends on the page's length, not on how many events there are."""
    firsts = select(Event.id, Event.starts_at, Event.series_id).where(*where(Event), first_of_card(where, descending))
    if after is not None:
        chosen = firsts.where(_comes_after(Event, after, descending)).order_by(*list_order(Event, descending))
    elif before is not None:
        chosen = firsts.where(_comes_after(Event, before, not descending)).order_by(*list_order(Event, not descending))
    else:
        chosen = firsts.order_by(*list_order(Event, descending)).offset((page - 1) * per_page)
    cards = _cards_of(chosen.limit(per_page + 1).cte("chosen"), where, descending)
    beyond = len(cards) > per_page
    if beyond:   # the card one beyond the page: the farthest from the key asked for
        cards = cards[1:] if before is not None else cards[:per_page]
    keys = [EventKey.of(card.event) for card in cards]
    earlier = before is None and (after is not None or page > 1)
    previous_key = keys[0] if keys and (beyond if before is not None else earlier) else None
    next_key = keys[-1] if keys and (before is not None or beyond) else None
    total, more = 0, False
    if count:
        found = db.session.scalar(select(func.count()).select_from(
            firsts.with_only_columns(Event.id).limit(COUNT_UP_TO + 1).subquery())) or 0
        total, more = min(found, COUNT_UP_TO), found > COUNT_UP_TO
    return CardPage(cards, previous_key, next_key, total, more)


# A card lists this many of its series' dates (``_macros/lists.html``); a list loads no more of them.
SHOWN_DATES = 8


def _cards_of(chosen, where: Callable, descending: bool) -> list[EventCard]:
    """The cards whose first events are the rows of ``chosen`` (id, series_id), in the list's order, each
    with the first SHOWN_DATES of its events that ``where`` says, when each of them starts, and the first with
    a free seat if it comes later. The events are found by id and series alone, and ``where`` asked of each
    found (not used to find them), so they are read through those indexes and no other; a series' events
    are numbered in its own index range, and only the few a card shows are loaded whole."""
    shown = and_(*where(Event))
    free = or_(Event.capacity.is_(None), Event.seats_taken < Event.capacity)
    order = list_order(Event, descending)
    ranked = select(
        Event.id, Event.series_id, Event.starts_at, shown.label("shown"), free.label("free"),
        func.row_number().over(partition_by=(Event.series_id, shown), order_by=order).label("n"),
        func.row_number().over(partition_by=(Event.series_id, shown, free), order_by=order).label("free_n"),
    ).where(Event.series_id.in_(select(chosen.c.series_id))).subquery("ranked")
    series = select(ranked.c.id, ranked.c.series_id, ranked.c.starts_at, ranked.c.n,
                    or_(ranked.c.n <= SHOWN_DATES, and_(ranked.c.free, ranked.c.free_n == 1)).label("loaded")
                    ).where(ranked.c.shown)
    singles = select(chosen.c.id, chosen.c.series_id, chosen.c.starts_at, literal(1), literal(True)
                     ).where(chosen.c.series_id.is_(None))
    found = union_all(series, singles).subquery("found")
    # Every date's start (for "every Tuesday 18:00" and how many are left), but only the loaded ones' events.
    rows = db.session.execute(_with_places(select(found.c.id, found.c.series_id, found.c.starts_at, found.c.n, Event)
                                           .select_from(found).outerjoin(Event, and_(Event.id == found.c.id,
                                                                                     found.c.loaded)))).unique().all()
    grouped: dict[str, tuple[list[datetime], list[Event], list[Event]]] = {}
    for row in sorted(rows, key=lambda row: (row.starts_at, row.id), reverse=descending):
        starts, first, later = grouped.setdefault(row.series_id or f"event-{row.id}", ([], [], []))
        starts.append(row.starts_at)
        if row.Event is not None:
            (first if row.n <= SHOWN_DATES else later).append(row.Event)
    return [EventCard(tuple(first), len(starts), later[0] if later else None, tuple(starts))
            for starts, first, later in grouped.values()]


def _shown(found_by, where: Callable | None) -> list[Event]:
    shown = and_(*where(Event)) if where is not None else true()
    found = db.session.execute(_with_places(select(Event)).add_columns(shown.label("shown")).where(found_by)).unique()
    return [event for event, listed in found if listed]


def occurrences_of(rows: Sequence, where: Callable | None = None) -> list[Event]:
    """The events of the cards whose first events are ``rows`` (id, series_id), those ``where`` says (all
    when None), with all a list shows of them, unordered; found as ``_cards_of`` finds them."""
    series = {row.series_id for row in rows if row.series_id is not None}
    ids = union_all(select(Event.id).where(Event.series_id.in_(series)),
                    select(Event.id).where(Event.id.in_([row.id for row in rows if row.series_id is None])))
    return _shown(Event.id.in_(ids.scalar_subquery()), where)


def card_key(event) -> str:
    return event.series_id or f"event-{event.id}"


def upcoming_card_page(filters: Filters, after: EventKey | None = None, before: EventKey | None = None,
                       page: int = 1, per_page: int = PER_PAGE) -> CardPage:
    """A page of upcoming cards matching ``filters``, soonest first, with how many there are (up to COUNT_UP_TO)."""
    now = utcnow()
    return card_page(lambda event: _matching(filters, now, event), after, before, page, per_page, count=True)


def next_cards(limit: int = 5, **filters) -> list[EventCard]:
    """The next few events for a district, meeting place, organisation or the home page, a series as one card."""
    now = utcnow()
    chosen = Filters(**filters)
    return card_page(lambda event: _matching(chosen, now, event), per_page=limit).cards


@dataclass(frozen=True)
class OwnRegistration:
    """What an event page shows a person of their own registration."""
    id: int
    status: str
    party_size: int
    token_nonce: str
    awaiting_mail: bool = False   # held until they open the mailed link (an account whose address is unconfirmed)


@dataclass(frozen=True)
class PersonalEvents:
    registrations: dict[int, OwnRegistration]   # by event id, cancelled ones left out
    organisation_ids: frozenset[int]             # organisations they are a member of


def _personal_events(user_id: int) -> PersonalEvents:
    """One query: the registrations, then the memberships (rows without an event)."""
    registrations = select(Registration.event_id, Registration.id, Registration.status, Registration.party_size,
                           Registration.token_nonce, Registration.confirm_by.is_not(None)).where(
        Registration.user_id == user_id, Registration.status != RegistrationStatus.CANCELLED)
    memberships = select(null(), Membership.organisation_id, null(), null(), null(), null()).where(
        Membership.user_id == user_id)
    rows: Sequence[Row] = db.session.execute(union_all(registrations, memberships)).all()
    return PersonalEvents({row[0]: OwnRegistration(row[1], row[2], row[3], row[4], bool(row[5])) for row in rows if row[0] is not None},
                          frozenset(row[1] for row in rows if row[0] is None))


def personal_state(event_id: int, organisation_id: int, user) -> tuple[OwnRegistration | None, bool]:
    """``user``'s own registration for the event (not a cancelled one), and whether they are a member of
    the organisation behind it. Kept per worker for the person until any write; none for a visitor."""
    if not getattr(user, "is_authenticated", False):
        return None, False
    mine = cached_value(("person", user.id, "events"), lambda: _personal_events(user.id), seconds=None)
    return mine.registrations.get(event_id), organisation_id in mine.organisation_ids


def waitlist_lengths(event_ids: list[int]) -> dict[int, int]:
    if not event_ids:
        return {}
    rows = db.session.execute(
        select(Registration.event_id, func.count()).where(
            Registration.event_id.in_(event_ids), Registration.status == RegistrationStatus.WAITLISTED,
            Registration.confirm_by.is_(None))   # a guest who has not confirmed is not in the queue yet
        .group_by(Registration.event_id))
    return dict(rows.all())


def series_of(event: Event, later_only: bool = True) -> list[Event]:
    """This event and, for "this and later", the later occurrences of its series not yet cancelled."""
    if event.series_id is None or not later_only:
        return [event]
    return list(db.session.scalars(_with_places(select(Event)).where(
        Event.series_id == event.series_id, Event.starts_at >= event.starts_at,
        Event.status != EventStatus.CANCELLED).order_by(Event.starts_at)).unique())


def other_occurrences(event: Event, limit: int = 8) -> list[Event]:
    if event.series_id is None:
        return []
    return list(db.session.scalars(select(Event).where(
        Event.series_id == event.series_id, Event.id != event.id, Event.ends_at > utcnow(),
        Event.status.in_([EventStatus.PUBLISHED, EventStatus.CANCELLED]))
        .order_by(Event.starts_at).limit(limit)))


# ---- writing -------------------------------------------------------------------------------------

MAX_LENGTH = timedelta(days=31)


def _check_times(starts_at: datetime, ends_at: datetime, deadline: datetime | None) -> None:
    if ends_at <= starts_at:
        raise EventError(_l("The end must be after the start."), field="ends_at")
    if ends_at - starts_at > MAX_LENGTH:
        # Also keeps a mistyped year from holding registrations back from the monthly purge.
        raise EventError(ngettext("An event can last at most %(num)d day. For something that happens every week, "
                                  "repeat it instead.",
                                  "An event can last at most %(num)d days. For something that happens every week, "
                                  "repeat it instead.", MAX_LENGTH.days), field="ends_at")
    if deadline is not None and deadline > starts_at:
        raise EventError(_l("The registration deadline must be before the event starts."),
                         field="registration_deadline")


def _apply(event: Event, values: dict, point: tuple[float | None, float | None] = (None, None)) -> list[str]:
    changed = [name for name in FIELDS if getattr(event, name) != values[name]]
    for name in FIELDS:
        setattr(event, name, values[name])
    event.description_html = str(markdown_to_html(event.description or ""))
    event.language = language_of(event.title, event.description, chosen=values.get("language"))
    event.latitude, event.longitude = point
    return changed


def address_point(values: dict, before: Event | None = None) -> tuple[float | None, float | None]:
    """Where an event at another address is drawn on maps: the address register's best match for the
    address (an event at a meeting place is drawn at the place's point, and keeps none of its own). The
    lookup never stops the organiser: when it does not answer, or finds nothing, the event has no point.
    An unchanged address keeps the point it had, without asking again."""
    address = values["address"]
    if values["meeting_place_id"] is not None or not address:
        return None, None
    if before is not None and before.address == address and before.latitude is not None:
        return before.latitude, before.longitude
    try:
        found = geocoder.search(address, limit=1)
    except geocoder.GeocoderUnavailable:
        return None, None
    return (found[0].lat, found[0].lon) if found else (None, None)


def create(organisation: Organisation, values: dict, weeks: int, actor: User) -> list[Event]:
    """One event, or ``weeks`` weekly occurrences of it in one series, each with its own registrations."""
    if organisation.status != OrganisationStatus.APPROVED or organisation.retired_at is not None or not organisation.is_member(actor):
        raise Forbidden()
    if not 1 <= weeks <= MAX_WEEKS:
        raise EventError(_l("Repeat for between 1 and %(max)d weeks.", max=MAX_WEEKS), field="repeat_weeks")
    refuse_if_retired(db.session.get_one(District, values["district_id"]), EventError)
    _check_times(values["starts_at"], values["ends_at"], values["registration_deadline"])
    held = settings.is_premoderated("events")
    point = address_point(values)
    series_id = uuid.uuid4().hex if weeks > 1 else None
    events = []
    for week in range(weeks):
        event = Event(organisation_id=organisation.id, created_by_id=actor.id, series_id=series_id,
                      status=EventStatus.HELD if held else EventStatus.PUBLISHED,
                      seats_taken=0)
        _apply(event, values, point)
        event.starts_at = _weeks_later(values["starts_at"], week)
        event.ends_at = _weeks_later(values["ends_at"], week)
        deadline = values["registration_deadline"]
        event.registration_deadline = None if deadline is None else _weeks_later(deadline, week)
        db.session.add(event)
        events.append(event)
    db.session.flush()
    audit.record(actor, "event.create", events[0], [], {"occurrences": (None, weeks)})
    if held:
        _queue_review(events[0], actor)
    else:
        following.announce(events[0], len(events))
    return events


def _queue_review(event: Event, actor: User) -> None:
    """Put a held event (and the held occurrences of its series) in its district's moderation queue."""
    review = EventReview(event_id=event.id, district_id=event.district_id, author_id=actor.id)
    db.session.add(review)
    db.session.flush()
    db.session.add(StatusChange(submission_id=review.id, old_status=None, new_status=Status.NEW,
                                actor_id=actor.id))
    db.session.flush()


def _waiting_review(event: Event) -> EventReview | None:
    """A review not yet decided for this event or another occurrence of its series: approving it
    publishes every held occurrence, so a second one is not needed."""
    same = Event.id == event.id if event.series_id is None else Event.series_id == event.series_id
    return db.session.scalar(select(EventReview).join(Event, EventReview.event_id == Event.id).where(
        same, EventReview.status.not_in([Status.DONE, Status.NOT_PURSUED])).limit(1))


def _weeks_later(moment: datetime, weeks: int) -> datetime:
    """The same Oslo wall-clock time ``weeks`` later, across a daylight-saving change."""
    local = moment.astimezone(OSLO).replace(tzinfo=None) + timedelta(weeks=weeks)
    return local.replace(tzinfo=OSLO)


def update(event: Event, values: dict, later: bool, actor: User) -> list[Event]:
    """Change this occurrence, or this and the later ones of its series. A new time is the
    same shift for each occurrence; a change of time or place is mailed to everyone registered."""
    if not event.can_manage(actor):
        raise Forbidden()
    if event.status == EventStatus.CANCELLED:
        raise EventError(_l("A cancelled event cannot be changed."))
    if values["district_id"] != event.district_id:
        refuse_if_retired(db.session.get_one(District, values["district_id"]), EventError)
    _check_times(values["starts_at"], values["ends_at"], values["registration_deadline"])
    shift_start = values["starts_at"].astimezone(OSLO).replace(tzinfo=None) - event.starts_at.astimezone(OSLO).replace(tzinfo=None)
    shift_end = values["ends_at"].astimezone(OSLO).replace(tzinfo=None) - event.ends_at.astimezone(OSLO).replace(tzinfo=None)
    deadline = values["registration_deadline"]
    deadline_before = None if deadline is None else values["starts_at"] - deadline
    point = address_point(values, before=event)   # before the rows are locked: the lookup may take a few seconds
    targets = series_of(event, later_only=later)
    for target in targets:  # a registration committing meanwhile must not slip under the capacity check
        seats.lock_event(target.id)
        db.session.refresh(target, ["seats_taken"])
    capacity = values["capacity"]
    too_full = [e for e in targets if capacity is not None and e.seats_taken > capacity]
    if too_full:
        raise EventError(ngettext("%(num)d seat is already confirmed, so the capacity cannot be lower than that. "
                                  "Ask the person to cancel first, or keep the capacity.",
                                  "%(num)d seats are already confirmed, so the capacity cannot be lower than that. "
                                  "Ask people to cancel first, or keep the capacity.",
                                  max(e.seats_taken for e in too_full)), field="capacity")
    held_again = []
    for target in targets:
        before = {name: getattr(target, name) for name in WHERE_AND_WHEN}
        old_capacity, old_status = target.capacity, target.status
        changed = _apply(target, values, point)
        if (target.status == EventStatus.PUBLISHED and settings.is_premoderated("events")
                and any(name in changed for name in REVIEWED)):
            target.status = EventStatus.HELD
            held_again.append(target)
        target.starts_at = _shift(target.starts_at, shift_start)
        target.ends_at = _shift(target.ends_at, shift_end)
        target.registration_deadline = None if deadline_before is None else target.starts_at - deadline_before
        moved = [name for name in WHERE_AND_WHEN if getattr(target, name) != before[name]]
        if target.starts_at != before["starts_at"]:
            # A new time gets a new reminder.
            db.session.execute(sql_update(Registration).where(Registration.event_id == target.id)
                               .values(reminder_sent_at=None).execution_options(synchronize_session=False))
        if target.status == EventStatus.HELD and "district_id" in changed:
            # Still waiting for approval: it waits in the new district's queue.
            db.session.execute(sql_update(EventReview).where(EventReview.event_id == target.id)
                               .values(district_id=target.district_id).execution_options(synchronize_session=False))
        db.session.flush()
        audit.record(actor, "event.update", target, changed + moved,
                     {name: change for name, change in (("capacity", (old_capacity, target.capacity)),
                                                        ("status", (old_status, target.status)))
                      if change[0] != change[1]} or None)
        if target.capacity is None or (old_capacity is not None and target.capacity > old_capacity):
            seats.promote(target)
        if moved:
            _tell_registered(target, "event_changed", _l("Changed time or place: %(title)s", title=target.reader_title()))
    if held_again and _waiting_review(held_again[0]) is None:
        _queue_review(held_again[0], actor)
    return targets


def _shift(moment: datetime, shift: timedelta) -> datetime:
    return (moment.astimezone(OSLO).replace(tzinfo=None) + shift).replace(tzinfo=OSLO)


def cancel(event: Event, later: bool, actor: User, reason: str | None = None) -> list[Event]:
    """Cancel this occurrence or this and the later ones; everyone registered is told, with the
    organiser's ``reason`` when they gave one (also shown on the event's page)."""
    if not event.can_manage(actor):
        raise Forbidden()
    if event.status != EventStatus.PUBLISHED:
        # Held and declined events were never public; cancelling must not publish them.
        raise EventError(_l("Only a published event can be cancelled."))
    targets = [e for e in series_of(event, later_only=later) if e.status == EventStatus.PUBLISHED]
    for target in targets:
        before = target.status
        target.status, target.cancelled_at = EventStatus.CANCELLED, utcnow()
        target.cancel_reason = (reason or "").strip() or None
        db.session.flush()
        audit.record(actor, "event.cancel", target, [], {"status": (before, target.status)})
        _tell_registered(target, "event_cancelled", _l("Cancelled: %(title)s", title=target.reader_title()))
    return targets


def _tell_registered(event: Event, template: str, subject) -> None:
    """Mail everyone registered or waiting, with the event's calendar file so their calendar follows.
    ``other_events`` is the district's event list: a cancellation points there, not back at itself."""
    attachments: dict[str, dict] = {}   # one calendar file per language
    for registration in seats.confirmed_and_waiting(event.id):
        if registration.mail_address:
            language = registration.mail_locale
            if language not in attachments:
                attachments[language] = event_attachment(event, language)
            send_mail(registration.mail_address, language, template, subject,
                      attachments=[attachments[language]], event=event, registration=registration,
                      link=seats.manage_url(registration), event_link=site_url("events.show", event_id=event.id),
                      other_events=site_url("events.index", district=event.district.slug))


def decide(review: EventReview, approve: bool, reason: str | None, actor: User) -> list[Event]:
    """A moderator publishes a held event (with its series) or declines it with a reason the organisers are told."""
    event = review.event
    if event.status != EventStatus.HELD:
        raise EventError(_l("This event has already been decided on."))
    if not approve and not (reason or "").strip():
        raise EventError(_l("Give the reason for declining; the organisers are told."), field="reason")
    if approve and event.organisation.retired_at is not None:
        raise EventError(_l("The organisation has been retired, so its events cannot be published."))
    events = [event] if event.series_id is None else list(db.session.scalars(select(Event).where(
        Event.series_id == event.series_id, Event.status == EventStatus.HELD)))
    for target in events:
        target.status = EventStatus.PUBLISHED if approve else EventStatus.DECLINED
        target.decline_reason = None if approve else (reason or "").strip()
    before = review.status
    review.status = Status.DONE if approve else Status.NOT_PURSUED
    db.session.add(StatusChange(submission_id=review.id, old_status=before, new_status=review.status,
                                actor_id=actor.id))
    db.session.flush()
    audit.record(actor, "event.approve" if approve else "event.decline", event, [],
                 {"status": (EventStatus.HELD, event.status)})
    for membership in event.organisation.memberships:
        person = membership.user
        send_mail(person.email, person.locale, "event_decided",
                  _l("Your event on Medvirk is published") if approve else _l("Your event on Medvirk was not published"),
                  user=person, event=event, approved=approve, link=site_url("events.show", event_id=event.id))
    if approve and not _published_before(review):
        following.announce(event, len(events))
    return events


def _published_before(review: EventReview) -> bool:
    """Approved once already and held again after an edit: followers heard of it the first time."""
    event = review.event
    same = Event.id == event.id if event.series_id is None else Event.series_id == event.series_id
    return (db.session.scalar(select(func.count()).select_from(EventReview).join(Event, EventReview.event_id == Event.id)
                             .where(same, EventReview.id != review.id, EventReview.status == Status.DONE)) or 0) > 0
