"""The maps on public pages: what each one shows, once, for the three ways it is read.

A ``PageMap`` holds the district outlines and numbered pins of one map. The server draws it as an SVG
(``svgmap``), the page lists the same pins by number with their addresses (the map's equivalent without a
map), and ``map.js`` turns the SVG into a map to move and zoom from ``PageMap.data()``. Ideas are shown at
their rounded point (``geometry.round_point``), never where they were placed.

Making a ``PageMap`` marks the page as one with a map (``security.allow_map_tiles``): only then does it
load the map library, and only then may it load tiles from the tile host.
"""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from flask import current_app, request, url_for
from markupsafe import Markup, escape
from shapely.geometry import mapping, shape

from app.core.i18n import current_locale, format_clock, format_short_day
from app.core.i18n import gettext as _
from app.core.security import allow_map_tiles
from app.districts.models import District
from app.ideas.services import latest_ideas
from app.meeting_places.services import list_places
from app.places.geometry import round_point, shape_of
from app.places.location import public_label
from app.places.svgmap import MapDrawing, draw_map

KINDS = ("place", "event", "idea")
MAP_VIEW = "map"   # ?view=map: the ideas and events lists as a map with its numbered list
# On a page the outline is drawn to about 10 m: a precise official boundary of thousands of points would
# weigh more than the page, and looks the same at the zooms a page map shows.
OUTLINE_TOLERANCE = 0.0001
OUTLINE_DECIMALS = 5


@dataclass(frozen=True)
class Pin:
    number: int
    lat: float
    lon: float
    kind: str           # one of KINDS
    label: str          # the item's title or name: the pin's accessible name
    href: str
    address: str = ""   # shown in the list beside the map


@dataclass
class PageMap:
    id: str
    title: str
    description: str
    districts: Sequence[District]
    pins: list[Pin] = field(default_factory=list)
    current: District | None = None     # drawn stronger than the others

    def __post_init__(self) -> None:
        allow_map_tiles()

    def drawing(self) -> MapDrawing:
        """The SVG drawing and its numbered list (app/places/svgmap.py)."""
        return draw_map(self.id, self.title, self.description, self.districts,
                        [(p.number, p.lat, p.lon, p.label, p.href, _detail(p)) for p in self.pins], self.current)

    def data(self) -> dict:
        """What map.js needs, written into the page as JSON."""
        return {**picker_data(self.districts, self.title),
                "pins": [[p.number, p.lat, p.lon, p.kind, p.label, p.href] for p in self.pins]}


def _detail(pin: Pin) -> str:
    kind = {"place": _("meeting place"), "event": _("event"), "idea": _("idea")}[pin.kind]
    return f"({kind}, {pin.address})" if pin.address else f"({kind})"


def picker_data(districts: Sequence[District], title: str = "") -> dict:
    """A map's data without pins: the tiles, the texts in the page's language and the outlines. A page
    that lets people choose a point gives it to ``MedvirkMap.create`` (map.js) and adds its own pins."""
    allow_map_tiles()
    shaped = [(d, o) for d, o in ((d, outline(d)) for d in districts) if o is not None]
    return {
        "tiles": tiles(),
        "text": {"map": title, "zoomIn": _("Zoom in"), "zoomOut": _("Zoom out"),
                 "noTiles": _("The map background could not be loaded. The outline, the numbered pins and the list still work.")},
        "outlines": [o for _d, o in shaped],
        # Each outline's name, at a point inside it: without tiles nothing else tells the outlines apart.
        "names": [[*name_point(d), d.name] for d, _o in shaped],
    }


def tiles() -> dict:
    """The tile URL and the credit the tile owner asks for (a link to them)."""
    config = current_app.config
    credit = escape(config.get("MAP_TILE_ATTRIBUTION") or "")
    if config.get("MAP_TILE_ATTRIBUTION_URL"):
        credit = Markup('<a href="{}">{}</a>').format(config["MAP_TILE_ATTRIBUTION_URL"], credit)
    return {"url": config.get("MAP_TILE_URL") or "", "attribution": str(credit)}


# Outlines simplified for pages, per district and version of its boundary: each worker works one out once.
_outlines: dict[tuple[int, datetime | None], dict] = {}


def outline(district: District) -> dict | None:
    """The district's boundary as a GeoJSON geometry light enough for a page, or None when it has none."""
    geometry = shape_of(district)
    if geometry is None:
        return None
    key = (district.id, district.boundary_updated_at)
    if key not in _outlines:
        simple = geometry.simplify(OUTLINE_TOLERANCE, preserve_topology=True)
        for old in [k for k in _outlines if k[0] == district.id]:
            del _outlines[old]
        _outlines[key] = _rounded(mapping(simple))
    return _outlines[key]


def name_point(district: District) -> tuple[float, float]:
    """A point inside the district's outline to set its name at (latitude, longitude)."""
    point = shape(outline(district)).representative_point()
    return (round(point.y, OUTLINE_DECIMALS), round(point.x, OUTLINE_DECIMALS))


def _rounded(value):
    if isinstance(value, float):
        return round(value, OUTLINE_DECIMALS)
    if isinstance(value, (list, tuple)):
        return [_rounded(v) for v in value]
    if isinstance(value, dict):
        return {k: _rounded(v) for k, v in value.items()}
    return value


def map_view() -> bool:
    """The ideas or events list is asked for as a map."""
    return request.args.get("view") == MAP_VIEW


# --- pins for what the pages show ------------------------------------------------------------------------


def numbered(*groups: Iterable[Pin]) -> list[Pin]:
    """The pins of several kinds numbered 1, 2, 3... in the order given (places, then events, then ideas)."""
    pins = [pin for group in groups for pin in group]
    return [Pin(n, p.lat, p.lon, p.kind, p.label, p.href, p.address) for n, p in enumerate(pins, start=1)]


def place_pins(places) -> list[Pin]:
    return [Pin(0, p.latitude, p.longitude, "place", p.name, url_for("meeting_places.show", place_id=p.id), p.address)
            for p in places if p.latitude is not None and p.longitude is not None]


def event_point(event) -> tuple[float, float] | None:
    """Where an event is drawn: at its meeting place's point, or at its own (an event at another address)."""
    place = event.meeting_place
    if place is not None:
        return (place.latitude, place.longitude) if place.latitude is not None and place.longitude is not None else None
    if event.latitude is not None and event.longitude is not None:
        return (event.latitude, event.longitude)
    return None


def event_pins(events) -> list[Pin]:
    """Events with when and where they are, as the list under the map says it."""
    pins = []
    for event in events:
        point = event_point(event)
        if point is not None:
            when = f"{format_short_day(event.starts_at, weekday=True)} {format_clock(event.starts_at)}"
            pins.append(Pin(0, point[0], point[1], "event", event.title_in(current_locale()), url_for("events.show", event_id=event.id),
                            f"{when}, {event.where}"))
    return pins


def idea_pins(ideas) -> list[Pin]:
    """Ideas at their rounded point and their street without the house number: a point placed at a home
    does not show which house it is."""
    pins = []
    for idea in ideas:
        if idea.location_lat is None or idea.location_lon is None:
            continue
        lat, lon = round_point(idea.location_lat, idea.location_lon)
        pins.append(Pin(0, lat, lon, "idea", idea.title, url_for("ideas.show", idea_id=idea.id),
                        public_label(idea.location_label) or ""))
    return pins


# --- the maps of the pages ---------------------------------------------------------------------------------

# What a district map shows at most, so the page stays small: the rest are on the meeting places page and
# the ideas map.
DISTRICT_MAP_PLACES = 20
DISTRICT_MAP_IDEAS = 10


def district_map(district: District, cards) -> PageMap | None:
    """A district's outline with its meeting places, its next events (``cards``, already on the page) and
    its newest ideas that have a place. Two queries, whatever the number of items."""
    places = [p for p in list_places(district) if p.latitude is not None][:DISTRICT_MAP_PLACES]
    ideas = [idea for idea, _count in latest_ideas(district=district, limit=DISTRICT_MAP_IDEAS, located=True)]
    pins = numbered(place_pins(places), event_pins(card.event for card in cards), idea_pins(ideas))
    if not pins and not district.boundary:
        return None
    return PageMap("district-map", _("Map of %(district)s", district=district.name),
                   _("The outline of %(district)s with its meeting places, its next events and its newest ideas "
                     "that have a place.", district=district.name),
                   [district], pins, current=district)


def place_map(place) -> PageMap | None:
    """A meeting place's point in its district, when it has one."""
    pins = numbered(place_pins([place]))
    if not pins:
        return None
    return PageMap("place-map", _("%(place)s on the map", place=place.name),
                   _("Where %(place)s is in %(district)s.", place=place.name, district=place.district.name),
                   [place.district], pins, current=place.district)


def ideas_map(ideas, districts: Sequence[District], chosen: District | None) -> PageMap:
    """The ideas of one page of the ideas list (filtered to those with a place), in the chosen district
    or in all the active ones."""
    return PageMap("ideas-map", _("Map of the ideas"),
                   _("The ideas on this page, each within about 50 metres of where it is about."),
                   _shown(districts, chosen), numbered(idea_pins(ideas)), current=chosen)


def events_map(events, districts: Sequence[District], chosen: District | None) -> PageMap:
    """The events of one page of the events list (filtered to those with a point), at their meeting place
    or their own address."""
    return PageMap("events-map", _("Map of the events"), _("The events on this page, at their meeting place or address."),
                   _shown(districts, chosen), numbered(event_pins(events)), current=chosen)


def _shown(districts: Sequence[District], chosen: District | None) -> list[District]:
    return [chosen] if chosen is not None else [d for d in districts if d.active]
