"""Where an idea or a piece of feedback is about: from a form's place fields (``picking_form``) to a point
with its street, to words alone, or to nothing ("the whole district", when nothing is typed).

Without JavaScript a person types a street or a place; it is looked up in the address register
(``geocoder``) and the addresses found are offered to choose from, each with the district it is in, after
"only what I wrote" (chosen until they pick another: sending without choosing keeps the words, never
drops them) and before "the whole district". With JavaScript (static/pick-point.js) a tap on a small map fills the hidden
``lat``/``lon`` fields. Either way the point is checked here: two numbers, inside Norway, and not inside
another district than the form's (then the person is offered that district instead).

The address search never stops a form: when it finds nothing, does not answer or has been asked too
often, the words are kept as typed, as a place without a point, and the page says so.

Only the typed words leave the site (``geocoder.search`` sends nothing else). Neither they nor a point
are ever written to the log: feedback's place is personal data.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field

from app.core import clients, throttle
from app.core.i18n import lazy_gettext as _l
from app.core.rules import RuleBroken
from app.districts.models import District
from app.places import geocoder
from app.places.geometry import NORWAY_LAT, NORWAY_LON, district_at, districts_at
from app.places.location import NOWHERE, Location

WHOLE = "whole"
WORDS = "words"   # the words as typed, without a point
# Lookups from the idea and feedback forms, per client: enough for a person trying a few spellings on
# several forms, too few to use the site as a free address search.
LOOKUPS_PER_HOUR = "60 per hour"
CANDIDATES = 5




class PlaceRefused(RuleBroken):
    """A point that cannot be used; shown beside the place field, with everything typed kept."""

    def __init__(self, message, elsewhere: District | None = None, attempted: Location | None = None):
        super().__init__(message, field="place")
        self.elsewhere = elsewhere  # the district the point is in, when it is another one than the form's
        self.attempted = attempted  # that point, kept in the form so the other district's form gets it


@dataclass
class Picked:
    """What the place fields came to. ``location`` is None while the person still has to choose (the page
    is shown again with ``candidates``); ``notice`` is a plain message for beside the field."""

    location: Location | None = None
    candidates: list = field(default_factory=list)
    notice: object | None = None

    @property
    def settled(self) -> bool:
        return self.location is not None


def candidate_value(candidate) -> str:
    """An address found, as the value of its radio button: the point and the street travel with the form,
    so choosing one needs no second lookup (and is checked like a point from the map)."""
    return f"{candidate.lat:.6f},{candidate.lon:.6f},{candidate.label}"


def _number(text: str | None) -> float | None:
    try:
        value = float((text or "").strip())
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def checked(lat: float | None, lon: float | None, label: str | None, district: District) -> Location:
    """A point the form may keep, or ``PlaceRefused`` saying why not."""
    if lat is None or lon is None:
        raise PlaceRefused(_l("The point on the map could not be read. Tap the map again, or type a street."))
    if not (NORWAY_LAT[0] <= lat <= NORWAY_LAT[1] and NORWAY_LON[0] <= lon <= NORWAY_LON[1]):
        raise PlaceRefused(_l("The point is not in Norway. Tap the map again, or type a street."))
    location = Location(round(lat, 6), round(lon, 6), (label or "").strip()[:200] or None)
    elsewhere = district_at(lat, lon)
    if elsewhere is not None and elsewhere.id != district.id:
        raise PlaceRefused(_l("This place is in %(other)s, not in %(district)s.", other=elsewhere.name,
                              district=district.name), elsewhere=elsewhere, attempted=location)
    return location


def _from_value(value: str, district: District) -> Location:
    lat, _, rest = value.partition(",")
    lon, _, label = rest.partition(",")
    return checked(_number(lat), _number(lon), label, district)


def look_up(words: str) -> Picked:
    """The addresses found for ``words``, or a notice saying none were (the words are then kept as they are)."""
    client = clients.client_key()
    if throttle.retry_after(LOOKUPS_PER_HOUR, "place-lookup", client) is not None:
        return Picked(notice=_l("You have searched for many places in a short time, so this one was not looked "
                                "up. If you send the form, the place is kept in your own words, without a point "
                                "on the map."))
    throttle.hit(LOOKUPS_PER_HOUR, "place-lookup", client)
    try:
        found = geocoder.search(words, limit=CANDIDATES)
    except geocoder.GeocoderUnavailable:
        return Picked(notice=_l("The address search is not answering right now. You can still send the form: "
                                "the place is kept in your own words, without a point on the map."))
    if not found:
        return Picked(notice=_l("We found no address for these words. Check the spelling, or send the form as "
                                "it is: the place is kept in your own words, without a point on the map."))
    return Picked(candidates=found)


def pick(form, district: District) -> Picked:
    """The location the form's place fields describe, for a form of ``district``. May look the words up;
    raises ``PlaceRefused`` for a point that cannot be used."""
    words = form.place.data or ""
    choice = form.point.data or ""
    same_words = (form.looked_up.data or "") == words
    if choice == WHOLE:
        return Picked(NOWHERE)
    if choice == WORDS and same_words:
        return Picked(Location(label=words) if words else NOWHERE)
    if choice and choice != WORDS:
        return Picked(_from_value(choice, district))
    if (form.lat.data or form.lon.data) and same_words:
        return Picked(checked(_number(form.lat.data), _number(form.lon.data), words, district))
    if not words:
        return Picked(NOWHERE)
    if same_words:
        # Looked up on this page before and nothing was offered (nothing found, or the search was down):
        # the person sends the words as they are, and is not kept waiting for the search again.
        return Picked(Location(label=words))
    found = look_up(words)
    if found.candidates:
        return found
    return Picked(Location(label=words), notice=found.notice)


def keep_refused(form, refused: PlaceRefused) -> None:
    """A point in another district stays in the form, so the button to that district's form carries it."""
    if refused.attempted is not None:
        keep(form, Picked(refused.attempted))


def keep(form, picked: Picked) -> None:
    """Put what was picked back into the form's fields for the next step (a preview, a page shown again),
    so the next post carries it without asking again."""
    location = picked.location
    words = form.place.data or ""
    if picked.candidates:
        found_in = districts_at([(c.lat, c.lon) for c in picked.candidates])
        form.point.choices = [(WORDS, str(_l("Only what I wrote: “%(words)s”", words=words)))] + [
            (candidate_value(c), _with_district(c.label, district))
            for c, district in zip(picked.candidates, found_in, strict=True)
        ] + [(WHOLE, str(_l("The whole district – not one place")))]
        form.point.data = WORDS
        form.lat.data = form.lon.data = ""
        form.looked_up.data = words
        return
    form.point.choices, form.point.data = [], ""
    if location is None:   # a lookup that offered nothing: the words are kept as they are
        form.looked_up.data = words
        form.lat.data = form.lon.data = ""
        return
    if location.has_point:
        form.place.data = location.label or ""
        form.lat.data, form.lon.data = f"{location.lat:.6f}", f"{location.lon:.6f}"
    else:
        form.place.data = location.label or ""
        form.lat.data = form.lon.data = ""
    form.looked_up.data = form.place.data


def _with_district(label: str, district: District | None) -> str:
    """An address offered with the district it is in, so a wrong district shows before the preview."""
    return f"{label} ({district.name})" if district is not None else label


def fill(form, lat: float | None, lon: float | None, label: str | None) -> None:
    """The fields for a location already stored (changing an idea)."""
    form.place.data = label or ""
    form.lat.data = f"{lat:.6f}" if lat is not None else ""
    form.lon.data = f"{lon:.6f}" if lon is not None else ""
    form.looked_up.data = form.place.data



def point_of(form) -> tuple[float, float] | None:
    """The point the form holds for its words (from the map, or an address chosen earlier), if any."""
    lat, lon = _number(form.lat.data), _number(form.lon.data)
    if lat is None or lon is None or (form.looked_up.data or "") != (form.place.data or ""):
        return None
    return lat, lon


def point_in_text(text: str | None) -> tuple[float, float] | None:
    """"lat,lon" from an address (the queue's "near here"), when it is a point in Norway."""
    lat, _, lon = (text or "").partition(",")
    lat_, lon_ = _number(lat), _number(lon)
    if lat_ is None or lon_ is None:
        return None
    inside = NORWAY_LAT[0] <= lat_ <= NORWAY_LAT[1] and NORWAY_LON[0] <= lon_ <= NORWAY_LON[1]
    return (lat_, lon_) if inside else None
