"""Where a meeting place is on the map: its address looked up in the address register, or a point typed in,
checked to be in Norway and in the place's district.

A point outside the district is allowed (a boundary may be approximate, a place may sit on the edge), but the
person saving it is told, so that a wrong number or a wrong address is caught before it is on a map.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

from app.core.i18n import gettext as _
from app.districts.models import District
from app.places import geocoder
from app.places.geometry import NORWAY_LAT, NORWAY_LON, district_at

DECIMALS = 6  # about 0.1 m: more than any address or map tap can tell
CANDIDATES = 5


@dataclass(frozen=True)
class Found:
    """An address the register has for what was typed, and the district its point is in."""
    label: str
    latitude: float
    longitude: float
    district: District | None

    @property
    def value(self) -> str:
        """What the page sends back when this one is chosen."""
        return f"{written(self.latitude)},{written(self.longitude)}"


class Unavailable(Exception):
    """The address register did not answer, or answered nonsense."""


def coordinate(text: str | None) -> float | None:
    """A number of decimal degrees as typed (a decimal comma allowed), or None for anything else."""
    try:
        value = float((text or "").strip().replace(",", "."))
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def written(value: float) -> str:
    return f"{round(value, DECIMALS):.{DECIMALS}f}".rstrip("0").rstrip(".")


def in_norway(latitude: float, longitude: float) -> bool:
    return NORWAY_LAT[0] <= latitude <= NORWAY_LAT[1] and NORWAY_LON[0] <= longitude <= NORWAY_LON[1]


def chosen(value: str) -> tuple[float, float] | None:
    """The point of an address chosen from the list (as ``Found.value`` wrote it), if it is one in Norway."""
    parts = value.split(",")
    if len(parts) != 2:
        return None
    latitude, longitude = coordinate(parts[0]), coordinate(parts[1])
    if latitude is None or longitude is None or not in_norway(latitude, longitude):
        return None
    return round(latitude, DECIMALS), round(longitude, DECIMALS)


def look_up(address: str) -> list[Found]:
    """The addresses the register finds for ``address``, in its order; only the typed text is sent."""
    try:
        candidates = geocoder.search(address, limit=CANDIDATES)
    except geocoder.GeocoderUnavailable:
        raise Unavailable() from None
    found = []
    for candidate in candidates:
        if not in_norway(candidate.lat, candidate.lon):
            continue
        where = " ".join(part for part in (candidate.postcode, candidate.place.title()) if part)
        label = f"{candidate.label}, {where}" if where else candidate.label
        found.append(Found(label, candidate.lat, candidate.lon, district_at(candidate.lat, candidate.lon)))
    return found


def outside_district(latitude: float, longitude: float, district: District) -> str | None:
    """What to tell the person when the point is not in the place's district; None when it is, or when the
    district has no boundary to check against."""
    if not district.boundary:
        return None
    found = district_at(latitude, longitude)
    if found is not None and found.id == district.id:
        return None
    if found is None:
        return _("The point is outside the boundary of %(district)s, and of every other district. Check that it "
                 "is right.", district=district.name)
    return _("The point is in %(other)s, not in %(district)s. Check that it is right.",
             other=found.name, district=district.name)
