"""The place an idea or a piece of feedback is about, as stored on the submission (``location_*``)."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Location:
    """A point with its street, words alone (a place the address search did not find), or nothing at all
    (about the whole district)."""

    lat: float | None = None
    lon: float | None = None
    label: str | None = None

    @property
    def has_point(self) -> bool:
        return self.lat is not None and self.lon is not None


NOWHERE = Location()
