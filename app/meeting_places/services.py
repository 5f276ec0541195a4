"""Listing and keeping meeting places: adding and changing them, and an administrator's retiring,
reinstating and merging of duplicates. Functions flush; the view commits."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import and_, case, func, select, update
from sqlalchemy.orm import aliased, joinedload

from app.core import audit
from app.core.db import rows_changed, utcnow
from app.core.i18n import lazy_gettext as _l
from app.core.rules import Forbidden, RuleBroken
from app.core.sanitize import markdown_to_html
from app.districts.models import District
from app.districts.services import refuse_if_retired
from app.events.models import Event, EventStatus
from app.events.services import MAX_LENGTH
from app.extensions import db
from app.follows import services as following
from app.meeting_places.models import MeetingPlace
from app.translation.detect import language_of

FIELDS = ("name", "address", "opening_hours", "description", "step_free_entrance", "accessible_toilet",
          "hearing_loop", "accessibility_notes", "contact_email", "contact_phone", "latitude", "longitude")


class PlaceError(RuleBroken):
    pass


def list_places(district: District | None = None, with_photos: bool = False) -> list[MeetingPlace]:
    """``with_photos``: their shown photos too, in the same query (the catalogue's cards show the first)."""
    stmt = select(MeetingPlace).where(MeetingPlace.retired_at.is_(None)).order_by(MeetingPlace.name)
    if district is not None:
        stmt = stmt.where(MeetingPlace.district_id == district.id)
    if with_photos:
        stmt = stmt.options(joinedload(MeetingPlace.shown_photos))
    return list(db.session.scalars(stmt).unique())


def get_place(place_id: int) -> MeetingPlace | None:
    return db.session.get(MeetingPlace, place_id)


def save_place(place: MeetingPlace | None, district: District, values: dict, actor) -> MeetingPlace:
    """Create or update a place; only moderators of its district (old and new) and admins may."""
    if not district.is_moderated_by(actor) or (place is not None and not place.can_edit(actor)):
        raise Forbidden()
    creating = place is None
    if place is None or place.district_id != district.id:
        refuse_if_retired(district)
    if place is None:
        place = MeetingPlace(district_id=district.id)
        db.session.add(place)
    changed = [name for name in FIELDS if getattr(place, name, None) != values.get(name)]
    if not creating and place.district_id != district.id:
        changed.append("district")
    place.district_id = district.id
    for name in FIELDS:
        setattr(place, name, values.get(name))
    place.description_html = str(markdown_to_html(place.description or ""))
    place.language = language_of(place.description, place.opening_hours, place.accessibility_notes,
                                 chosen=values.get("language"))
    db.session.flush()
    audit.record(actor, "meeting_place.create" if creating else "meeting_place.update", place, changed)
    return place


# ---- the administrators' list ------------------------------------------------------------------------

@dataclass
class PlaceRow:
    place: MeetingPlace
    upcoming: int                 # events not cancelled or declined that have not ended
    merged_into: str | None       # the name of the place it was merged into


def _upcoming(now):
    """Events that count as upcoming at a place: not cancelled or declined, and not ended."""
    # No event lasts longer than MAX_LENGTH: the bound on the start lets the place's index on it be read.
    return and_(Event.ends_at > now, Event.starts_at > now - MAX_LENGTH,
                Event.status.in_([EventStatus.PUBLISHED, EventStatus.HELD]))


def _upcoming_events(place_id_column):
    return (select(func.count(Event.id)).where(Event.meeting_place_id == place_id_column, _upcoming(utcnow()))
            .correlate(MeetingPlace).scalar_subquery())


def name_contains(column, query: str):
    """The column holds ``query``, whatever the case of its letters."""
    return func.lower(column).contains(query.lower(), autoescape=True)


def admin_list(district: District | None, query: str | None, page: int, per_page: int) -> tuple[list[PlaceRow], int]:
    """One page of every meeting place, active ones first, and how many there are: two queries."""
    stmt = select(MeetingPlace)
    if district is not None:
        stmt = stmt.where(MeetingPlace.district_id == district.id)
    if query:
        stmt = stmt.where(name_contains(MeetingPlace.name, query))
    total = db.session.scalar(select(func.count()).select_from(stmt.order_by(None).subquery())) or 0
    kept = aliased(MeetingPlace)
    rows = db.session.execute(
        stmt.add_columns(_upcoming_events(MeetingPlace.id), kept.name)
        .outerjoin(kept, kept.id == MeetingPlace.merged_into_id)
        .order_by(MeetingPlace.retired_at.is_not(None), MeetingPlace.name, MeetingPlace.id)
        .limit(per_page).offset((page - 1) * per_page)).all()
    return [PlaceRow(place, upcoming or 0, merged_into) for place, upcoming, merged_into in rows], total


def event_counts(place: MeetingPlace) -> tuple[int, int]:
    """How many events it has in all, and how many of them are upcoming."""
    every, upcoming = db.session.execute(
        select(func.count(Event.id), func.sum(case((_upcoming(utcnow()), 1), else_=0)))
        .where(Event.meeting_place_id == place.id)).one()
    return every, upcoming or 0


def merge_candidates(place: MeetingPlace) -> list[MeetingPlace]:
    """The places a duplicate may be merged into: the other active places of its district."""
    return list(db.session.scalars(
        select(MeetingPlace).where(MeetingPlace.district_id == place.district_id, MeetingPlace.id != place.id,
                                   MeetingPlace.retired_at.is_(None))
        .order_by(MeetingPlace.name, MeetingPlace.id)))


# ---- retiring, reinstating and merging ------------------------------------------------------------------

def retire_place(place: MeetingPlace, actor) -> MeetingPlace:
    """A retired place leaves the catalogue and takes no new events; its past events still name it."""
    if place.retired_at is not None:
        raise PlaceError(_l("This meeting place is already retired."))
    place.retired_at = utcnow()
    db.session.flush()
    audit.record(actor, "meeting_place.retire", place, [], {"retired": (False, True)})
    return place


def reinstate_place(place: MeetingPlace, actor) -> MeetingPlace:
    if place.merged_into_id is not None:
        raise PlaceError(_l("A meeting place that was merged into another cannot be reinstated: "
                            "its events and followers belong to the other place now."))
    if place.retired_at is None:
        raise PlaceError(_l("This meeting place is not retired."))
    place.retired_at = None
    db.session.flush()
    audit.record(actor, "meeting_place.reinstate", place, [], {"retired": (True, False)})
    return place


@dataclass
class Merged:
    events: int
    follows: int


def merge_places(duplicate: MeetingPlace, kept: MeetingPlace, actor) -> Merged:
    """Move everything that points at ``duplicate`` to ``kept`` (events, followers, places merged into
    it before), then retire the duplicate with a pointer to the kept place, whose page its old
    address leads to. Both must be active and in the same district: an event's district is the
    place's, so moving events across districts would file them wrongly."""
    if duplicate.id == kept.id:
        raise PlaceError(_l("Choose another place than the one being merged."), field="keep")
    if duplicate.retired_at is not None:
        raise PlaceError(_l("This meeting place is already retired."))
    if kept.retired_at is not None or kept.district_id != duplicate.district_id:
        raise PlaceError(_l("Choose an active meeting place in the same district."), field="keep")
    events = rows_changed(db.session.execute(
        update(Event).where(Event.meeting_place_id == duplicate.id).values(meeting_place_id=kept.id)
        .execution_options(synchronize_session="fetch")))
    follows = following.move_all(duplicate, kept)
    db.session.execute(update(MeetingPlace).where(MeetingPlace.merged_into_id == duplicate.id)
                       .values(merged_into_id=kept.id).execution_options(synchronize_session="fetch"))
    duplicate.retired_at = utcnow()
    duplicate.merged_into_id = kept.id
    db.session.flush()
    audit.record(actor, "meeting_place.merge", duplicate, ["events"] * bool(events) + ["follows"] * bool(follows),
                 {"merged_into": (None, kept.id), "retired": (False, True)})
    return Merged(events, follows)
