"""Maps drawn on the server as SVG: district outlines and numbered markers, with the same markers as a
numbered list (the map's non-map equivalent). The geometry is worked out here; the template
(places/_map.html) only draws it, as app/insights/charts.py does for the charts.

Works without JavaScript, without map tiles and in every test. Pages that load the interactive map
enhance the same markup: the figure carries its bounds, and each list item its point.

The projection is plain equirectangular with longitude scaled by cos(latitude): over a few kilometres
of Trondheim that is indistinguishable from the tiles' Web Mercator.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Iterable, Sequence

from shapely.geometry import Point
from shapely.geometry.base import BaseGeometry
from shapely.prepared import prep

from app.districts.models import District
from app.places.geometry import polygons_of, shape_of

WIDTH = 400          # drawing units; the page scales it to its column (a phone shows it at about 0.85)
HEIGHT = 320         # always the same frame (the outlines are fitted and centred in it), so a map's <svg>
                     # element is the same with and without markers
PADDING = 24         # room for a marker at the edge
MARKER_RADIUS = 12
# Markers closer than this hide each other's numbers (an event at its meeting place, ideas a street apart):
# a later one moves to the nearest free place around its point, with a short line back to it.
MARKER_GAP = 2 * MARKER_RADIUS + 3
# A district's name is set where no marker covers it: about this wide per letter at the map's 14 px.
NAME_CHAR_WIDTH = 8.4


@dataclass(frozen=True)
class Marker:
    number: int
    lat: float
    lon: float
    label: str
    href: str | None = None
    detail: str = ""          # an address or a date, shown after the label in the list
    x: float = 0
    y: float = 0
    point_x: float | None = None      # where the point itself is, when the marker had to stand aside
    point_y: float | None = None

    @property
    def leader(self) -> str:
        """A line from the point to a marker that stands aside ("" when it stands on its point)."""
        if self.point_x is None or self.point_y is None:
            return ""
        return f"M{self.point_x:g} {self.point_y:g}L{self.x:g} {self.y:g}"

    @property
    def dot(self) -> str:
        """The marker's disc as a path (two arcs): the drawing then holds only paths and text, the same
        few shapes on every map."""
        r = MARKER_RADIUS
        return f"M{self.x - r:g} {self.y:g}a{r} {r} 0 1 0 {2 * r} 0a{r} {r} 0 1 0 {-2 * r} 0Z"


@dataclass(frozen=True)
class Area:
    slug: str
    name: str
    path: str
    label_x: float
    label_y: float
    current: bool = False


@dataclass
class MapDrawing:
    id: str
    title: str
    description: str
    width: int
    height: int
    bounds: tuple[float, float, float, float]       # south, west, north, east
    areas: list[Area] = field(default_factory=list)
    markers: list[Marker] = field(default_factory=list)

    @property
    def bounds_text(self) -> str:
        return ",".join(f"{v:.5f}" for v in self.bounds)


def draw_map(map_id: str, title: str, description: str, districts: Iterable[District],
             markers: Sequence[Marker | tuple] = (), current: District | None = None,
             outlines: dict[int, BaseGeometry] | None = None) -> MapDrawing:
    """The drawing of ``districts``' outlines and the ``markers`` (``Marker``s or tuples
    ``(number, lat, lon, label, href[, detail])``); ``current`` is drawn stronger. ``outlines`` draws a
    district with another shape than its stored one (an upload being previewed), by district id."""
    shapes: list[tuple[District, BaseGeometry]] = []
    for district in districts:
        geometry = (outlines or {}).get(district.id) or shape_of(district)
        if geometry is not None:
            shapes.append((district, geometry))
    points = [m if isinstance(m, Marker) else Marker(*m) for m in markers]
    south, west, north, east = _bounds([g for _d, g in shapes], points)
    scale_x = math.cos(math.radians((south + north) / 2))
    span_x = max((east - west) * scale_x, 1e-4)
    span_y = max(north - south, 1e-4)
    height = HEIGHT
    k = min((WIDTH - 2 * PADDING) / span_x, (height - 2 * PADDING) / span_y)
    # Centre the drawing in whichever direction has room left over.
    offset_x = (WIDTH - span_x * k) / 2
    offset_y = (height - span_y * k) / 2

    def project(lon: float, lat: float) -> tuple[float, float]:
        return (round(offset_x + (lon - west) * scale_x * k, 1), round(offset_y + (north - lat) * k, 1))

    def unproject(x: float, y: float) -> tuple[float, float]:
        return (west + (x - offset_x) / (scale_x * k), north - (y - offset_y) / k)

    drawing = MapDrawing(map_id, title, description, WIDTH, height, (south, west, north, east))
    tolerance = 0.7 / k       # under a drawing unit: simplifying a detailed boundary keeps the page small
    paths: dict[int, str] = {}
    for district, geometry in shapes:
        simple = geometry.simplify(tolerance, preserve_topology=True)
        parts = []
        for polygon in polygons_of(simple):
            for ring in (polygon.exterior, *polygon.interiors):
                xy = [project(lon, lat) for lon, lat in ring.coords[:-1]]
                parts.append("M" + "L".join(f"{x:g} {y:g}" for x, y in xy) + "Z")
        paths[district.id] = "".join(parts)
    placed: list[tuple[float, float]] = []
    for point in points:
        x, y = project(point.lon, point.lat)
        free_x, free_y = _free_place(x, y, placed, WIDTH, height)
        placed.append((free_x, free_y))
        aside = (free_x, free_y) != (x, y)
        drawing.markers.append(Marker(point.number, point.lat, point.lon, point.label, point.href, point.detail,
                                      free_x, free_y, x if aside else None, y if aside else None))
    names: list[tuple[float, float, float]] = []        # centre x, baseline y, half width of names set so far
    for district, geometry in shapes:
        label = geometry.representative_point()
        label_x, label_y = _name_place(district.name, project(label.x, label.y), geometry, unproject, placed, names,
                                       WIDTH, height)
        names.append((label_x, label_y, len(district.name) * NAME_CHAR_WIDTH / 2))
        drawing.areas.append(Area(district.slug, district.name, paths[district.id], label_x, label_y,
                                  current is not None and district.id == current.id))
    return drawing


def _free_place(x: float, y: float, placed: list[tuple[float, float]], width: float, height: float) -> tuple[float, float]:
    """``(x, y)`` if no marker stands there yet, else the nearest place on rings around it where none does."""
    r = MARKER_RADIUS
    for ring in range(0, 5):
        count = 6 * ring or 1
        for step in range(count):
            angle = 2 * math.pi * step / count - math.pi / 2
            cx, cy = round(x + ring * MARKER_GAP * math.cos(angle), 1), round(y + ring * MARKER_GAP * math.sin(angle), 1)
            if not (r < cx < width - r and r < cy < height - r):
                continue
            if all((cx - px) ** 2 + (cy - py) ** 2 >= MARKER_GAP ** 2 for px, py in placed):
                return cx, cy
    return x, y


def _name_place(name: str, middle: tuple[float, float], geometry: BaseGeometry, unproject,
                markers: list[tuple[float, float]], names: list[tuple[float, float, float]],
                width: float, height: float) -> tuple[float, float]:
    """Where a district's name is set: its middle when nothing covers it there, else the nearest place in
    the district where no marker or other name does, else the nearest such place beside it."""
    half = len(name) * NAME_CHAR_WIDTH / 2

    def clear(x: float, y: float) -> bool:
        if not (half < x < width - half and 14 < y < height - 4):
            return False
        for mx, my in markers:           # the name's box (baseline y, 14 px high) against each disc
            nearest_x, nearest_y = min(max(mx, x - half), x + half), min(max(my, y - 11), y + 3)
            if (mx - nearest_x) ** 2 + (my - nearest_y) ** 2 < (MARKER_RADIUS + 2) ** 2:
                return False
        return all(abs(x - nx) >= half + other + 4 or abs(y - ny) >= 16 for nx, ny, other in names)

    x0, y0 = middle
    if clear(x0, y0):
        return middle
    prepared = prep(geometry)
    candidates = sorted(((x0 + dx, y0 + dy) for dx in range(-160, 161, 8) for dy in range(-120, 121, 8)),
                        key=lambda c: (c[0] - x0) ** 2 + (c[1] - y0) ** 2)
    for x, y in candidates:
        if clear(x, y) and prepared.contains(Point(*unproject(x, y - 4))):
            return x, y
    # A small district full of markers: beside it, as close as there is room.
    return next(((x, y) for x, y in candidates if clear(x, y)), middle)


def _bounds(geometries: list[BaseGeometry], markers: list[Marker]) -> tuple[float, float, float, float]:
    boxes = [g.bounds for g in geometries]                       # (west, south, east, north)
    boxes += [(m.lon, m.lat, m.lon, m.lat) for m in markers]
    if not boxes:
        return (63.405, 10.39, 63.445, 10.44)                     # the three districts, for an empty map
    west = min(b[0] for b in boxes)
    south = min(b[1] for b in boxes)
    east = max(b[2] for b in boxes)
    north = max(b[3] for b in boxes)
    # A single point still gets a neighbourhood around it (about 300 m).
    if north - south < 0.003:
        middle = (north + south) / 2
        south, north = middle - 0.0015, middle + 0.0015
    if east - west < 0.006:
        middle = (east + west) / 2
        west, east = middle - 0.003, middle + 0.003
    return (south, west, north, east)
