"""Listing and keeping meeting places. Functions flush; the view commits."""
from __future__ import annotations

from sqlalchemy import select

from app.core import audit
from app.core.sanitize import markdown_to_html
from app.districts.models import District
from app.districts.services import refuse_if_retired
from app.extensions import db
from app.meeting_places.models import MeetingPlace

FIELDS = ("name", "address", "opening_hours", "description", "step_free_entrance", "accessible_toilet",
          "hearing_loop", "accessibility_notes", "contact_email", "contact_phone")


class PlaceError(Exception):
    pass


def list_places(district: District | None = None) -> list[MeetingPlace]:
    stmt = select(MeetingPlace).where(MeetingPlace.retired_at.is_(None)).order_by(MeetingPlace.name)
    if district is not None:
        stmt = stmt.where(MeetingPlace.district_id == district.id)
    return list(db.session.scalars(stmt))


def get_place(place_id: int) -> MeetingPlace | None:
    return db.session.get(MeetingPlace, place_id)


def save_place(place: MeetingPlace | None, district: District, values: dict, actor) -> MeetingPlace:
    """Create or update a place; only moderators of its district (old and new) and admins may."""
    if not district.is_moderated_by(actor) or (place is not None and not place.can_edit(actor)):
        raise PermissionError
    creating = place is None
    if creating or place.district_id != district.id:
        refuse_if_retired(district)
    if creating:
        place = MeetingPlace(district_id=district.id)
        db.session.add(place)
    changed = [name for name in FIELDS if getattr(place, name, None) != values.get(name)]
    if not creating and place.district_id != district.id:
        changed.append("district")
    place.district_id = district.id
    for name in FIELDS:
        setattr(place, name, values.get(name))
    place.description_html = str(markdown_to_html(place.description or ""))
    db.session.flush()
    audit.record(actor, "meeting_place.create" if creating else "meeting_place.update", place, changed)
    return place
