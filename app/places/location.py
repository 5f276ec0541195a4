"""The place an idea or a piece of feedback is about, as stored on the submission (``location_*``)."""
from __future__ import annotations

import re
from dataclasses import dataclass

# A house number at the end of the words, or before a comma: "30", "30B", "30 b", "30-32".
_HOUSE_NUMBER = re.compile(r"\s+\d{1,3}\s?[^\W\d_]?(?:\s?[-–]\s?\d{1,3}\s?[^\W\d_]?)?(?=\s*(?:,|$))")


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


def public_label(label: str | None) -> str | None:
    """An idea's place as everyone may see it: the street without its house number ("Nonnegata 30B" →
    "Nonnegata"), as the public map shows the point only to about 50 m, so it does not point at a home.
    Named places ("Lademoen park") stay as written. The author and the district's moderators see it whole."""
    if not label:
        return label
    return _HOUSE_NUMBER.sub("", label).strip(" ,") or label
