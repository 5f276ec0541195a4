"""The rules about places: an admin setting a district's boundary, and a visitor asking which district an
address is in. Functions flush and never commit; refusals are ``RuleBroken`` (``BoundaryRefused``,
``GeocoderUnavailable``) with a message for the field.
"""
from __future__ import annotations

from dataclasses import dataclass

from shapely.geometry.base import BaseGeometry

from app.core import audit, settings, throttle
from app.core.db import utcnow
from app.core.i18n import lazy_gettext as _l
from app.core.permissions import Permission, has_permission
from app.core.rules import Forbidden, RuleBroken
from app.districts.models import District
from app.districts.services import list_districts
from app.extensions import db
from app.places import geocoder
from app.places.geocoder import Candidate
from app.places.geometry import boundary_text, districts_at, parse_boundary, shape_of

# Overlaps smaller than this (in square degrees: about 50 m²) are two surveys of one shared edge, not a mistake.
OVERLAP_TOLERANCE = 1e-8


# --- boundaries -------------------------------------------------------------------------------------------


def check_boundary(district: District, text: str) -> tuple[BaseGeometry, list[District]]:
    """The boundary in ``text`` (or ``BoundaryRefused``), and the other open districts it overlaps: an
    address in both would be given the first in the list, so the admin is told before saving."""
    geometry = parse_boundary(text)
    overlapping = []
    for other in list_districts():
        if other.id == district.id or not other.active:
            continue
        shape = shape_of(other)
        if shape is not None and geometry.intersection(shape).area > OVERLAP_TOLERANCE:
            overlapping.append(other)
    return geometry, overlapping


def set_boundary(district: District, actor, text: str) -> BaseGeometry:
    """Store an uploaded boundary as the district's official one; a refused one changes nothing."""
    if not has_permission(actor, Permission.ADMINISTER):
        raise Forbidden()
    geometry = parse_boundary(text)
    was_official = district.boundary_official
    district.boundary = boundary_text(geometry)
    district.boundary_official = True
    # The new timestamp is what tells every worker's kept shapes (app/places/geometry.py) to read it again.
    district.boundary_updated_at = utcnow()
    db.session.flush()
    audit.record(actor, "district.boundary", district, ["boundary"],
                 {"boundary_official": (was_official, True)} if not was_official else None)
    return geometry


# --- which district is an address in ---------------------------------------------------------------------


@dataclass(frozen=True)
class Place:
    """An address the register found, and the open district it lies in (None: in none of them)."""
    candidate: Candidate
    district: District | None


def lookups_per_hour() -> str:
    return f"{settings.get('ADDRESS_LOOKUPS_PER_HOUR')} per hour"


def find_districts(address: str, client: str) -> list[Place]:
    """The addresses matching what was typed, each with its district. Counts against the visitor's
    ``ADDRESS_LOOKUPS_PER_HOUR`` (refused with 429 beyond it); ``GeocoderUnavailable`` when the register
    does not answer in time."""
    if throttle.retry_after(lookups_per_hour(), "address-lookup", client) is not None:
        raise RuleBroken(_l("Many addresses have been looked up from your connection in the last hour. "
                            "Choose your district from the list, or try again later."), field="address", status=429)
    throttle.hit(lookups_per_hour(), "address-lookup", client)
    candidates = geocoder.search(address)
    return [Place(candidate, district)
            for candidate, district in zip(candidates, districts_at([(c.lat, c.lon) for c in candidates]), strict=True)]
