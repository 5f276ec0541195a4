"""District boundaries as geometry: checking an uploaded one, finding the district of a point, and
rounding a point before it is shown in public.

Boundaries are GeoJSON geometries in WGS 84 (longitude before latitude, as GeoJSON writes them), stored as
text on ``District.boundary``. Every boundary is checked by ``parse_boundary`` before it is stored, so the
rest of the code may trust what it reads.
"""
from __future__ import annotations

import json
import math
import threading
from datetime import datetime

from shapely import make_valid
from shapely.errors import GEOSException
from shapely.geometry import MultiPolygon, Point, Polygon, mapping, shape
from shapely.geometry.base import BaseGeometry
from shapely.prepared import PreparedGeometry, prep
from shapely.validation import explain_validity

from app.core.i18n import lazy_gettext as _
from app.core.rules import RuleBroken
from app.districts.models import District
from app.extensions import db

# A district's official boundary is some hundreds of points; these limits leave room for a detailed one
# while keeping a pasted text or file from tying up a worker.
MAX_BOUNDARY_CHARS = 1_500_000
MAX_BOUNDARY_POINTS = 20_000
# Mainland Norway with its coast and islands (Svalbard and Jan Mayen left out: no district lies there).
NORWAY_LON = (4.0, 31.5)
NORWAY_LAT = (57.5, 71.5)
# Public points are moved to the middle of a grid cell about 50 m across: 0.0005° of latitude is 56 m,
# and 0.001° of longitude is 50 m at Trondheim's 63.4° N. Three decimals of latitude (111 m) would be
# too coarse to tell one side of a park from the other; five would point at a front door.
ROUND_LAT = 0.0005
ROUND_LON = 0.001


class BoundaryRefused(RuleBroken):
    """An uploaded boundary that cannot be used; the message is written for the person uploading it and
    shown beside the boundary field."""

    def __init__(self, message):
        super().__init__(message, field="boundary")


def parse_boundary(text: str) -> BaseGeometry:
    """The polygon or multipolygon in ``text`` (a GeoJSON geometry, Feature, or FeatureCollection of one
    feature), or ``BoundaryRefused`` saying in plain words what is wrong with it."""
    if len(text) > MAX_BOUNDARY_CHARS:
        raise BoundaryRefused(_("The file is too large. A district boundary is at most 1.5 MB of GeoJSON."))
    try:
        data = json.loads(text)
    except (ValueError, RecursionError):
        raise BoundaryRefused(_("This is not GeoJSON. Upload the .geojson file you got from the map service, "
                      "or paste its text.")) from None
    geometry = _geometry_of(data)
    kind = geometry.get("type")
    if kind not in ("Polygon", "MultiPolygon"):
        raise BoundaryRefused(_("The boundary must be an area (a Polygon or MultiPolygon), not a point or a line."))
    coordinates = geometry.get("coordinates")
    polygons = [coordinates] if kind == "Polygon" else coordinates
    if not isinstance(polygons, list) or not polygons:
        raise BoundaryRefused(_("This is not GeoJSON. Upload the .geojson file you got from the map service, "
                      "or paste its text."))
    points = 0
    for polygon in polygons:
        if not isinstance(polygon, list) or not polygon:
            raise BoundaryRefused(_("An area in the file has no outline."))
        for ring in polygon:
            points += _check_ring(ring)
            if points > MAX_BOUNDARY_POINTS:
                raise BoundaryRefused(_("The boundary has too many points (at most 20,000). Simplify it and try again."))
    try:
        result = shape(geometry)
    except (GEOSException, ValueError, TypeError, IndexError):
        raise BoundaryRefused(_("An outline in the file could not be read as an area.")) from None
    if not result.is_valid:
        reason = explain_validity(result)
        if "Self-intersection" in reason or "Ring Self-intersection" in reason:
            raise BoundaryRefused(_("The boundary crosses itself. Each outline must go round the area without crossing."))
        raise BoundaryRefused(_("The areas in the file overlap or an outline crosses itself."))
    if result.is_empty or result.area == 0:
        raise BoundaryRefused(_("The boundary has no area."))
    return result


def _geometry_of(data) -> dict:
    if not isinstance(data, dict):
        raise BoundaryRefused(_("This is not GeoJSON. Upload the .geojson file you got from the map service, or paste its text."))
    if data.get("type") == "FeatureCollection":
        features = data.get("features")
        if not isinstance(features, list) or len(features) != 1:
            raise BoundaryRefused(_("The file must hold one district's boundary, not several shapes."))
        data = features[0]
    if isinstance(data, dict) and data.get("type") == "Feature":
        data = data.get("geometry")
    if not isinstance(data, dict) or "type" not in data:
        raise BoundaryRefused(_("This is not GeoJSON. Upload the .geojson file you got from the map service, or paste its text."))
    return data


def _finite(value: int | float) -> bool:
    try:
        return math.isfinite(value)
    except OverflowError:   # an integer of hundreds of digits
        return False


def _check_ring(ring) -> int:
    """The number of points in an outline that is a closed list of positions inside Norway."""
    if not isinstance(ring, list) or len(ring) < 4:
        raise BoundaryRefused(_("An outline needs at least four points, the last the same as the first."))
    for position in ring:
        if (not isinstance(position, list) or len(position) < 2
                or not all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in position[:2])
                or not all(_finite(v) for v in position[:2])):
            raise BoundaryRefused(_("A point in the file is not a pair of numbers (longitude, latitude)."))
        lon, lat = position[0], position[1]
        if not (NORWAY_LON[0] <= lon <= NORWAY_LON[1] and NORWAY_LAT[0] <= lat <= NORWAY_LAT[1]):
            if NORWAY_LON[0] <= lat <= NORWAY_LON[1] and NORWAY_LAT[0] <= lon <= NORWAY_LAT[1]:
                raise BoundaryRefused(_("The points are outside Norway: longitude and latitude seem to be swapped. "
                              "GeoJSON writes longitude first."))
            raise BoundaryRefused(_("The boundary is outside Norway. Check that the file uses longitude and latitude "
                          "(WGS 84), not another coordinate system such as UTM."))
    if ring[0][:2] != ring[-1][:2]:
        raise BoundaryRefused(_("An outline is not closed: its last point must be the same as its first."))
    return len(ring)


def boundary_text(geometry: BaseGeometry) -> str:
    """The geometry as the GeoJSON text stored on a district (coordinates to 7 decimals, about 1 cm)."""
    return json.dumps(_rounded(mapping(geometry)), separators=(",", ":"))


def _rounded(value):
    if isinstance(value, float):
        return round(value, 7)
    if isinstance(value, (list, tuple)):
        return [_rounded(v) for v in value]
    if isinstance(value, dict):
        return {k: _rounded(v) for k, v in value.items()}
    return value


def polygons_of(geometry: BaseGeometry) -> list[Polygon]:
    if isinstance(geometry, Polygon):
        return [geometry]
    if isinstance(geometry, MultiPolygon):
        return list(geometry.geoms)
    return [g for g in getattr(make_valid(geometry), "geoms", []) if isinstance(g, Polygon)]


# --- which district is a point in ----------------------------------------------------------------------

# The parsed boundaries, keyed by (district id, when its boundary last changed): a worker parses each once,
# and a new upload (a new timestamp, set by every change through app/places/services.py) is parsed on the
# next lookup in every worker.
_shapes: dict[tuple[int, datetime | None], tuple[BaseGeometry, PreparedGeometry]] = {}
_lock = threading.Lock()


def _remember(district_id: int, updated_at: datetime | None, text: str) -> tuple[BaseGeometry, PreparedGeometry]:
    key = (district_id, updated_at)
    found = _shapes.get(key)
    if found is None:
        geometry = shape(json.loads(text))
        found = (geometry, prep(geometry))
        if updated_at is not None:   # a boundary set without a timestamp is parsed again every time
            with _lock:
                for old in [k for k in _shapes if k[0] == district_id]:
                    del _shapes[old]
                _shapes[key] = found
    return found


def shape_of(district: District) -> BaseGeometry | None:
    """The district's boundary as a shape (parsed once per change), or None when it has none."""
    if not district.boundary:
        return None
    return _remember(district.id, district.boundary_updated_at, district.boundary)[0]


def district_shapes() -> list[tuple[int, PreparedGeometry]]:
    """The boundary of each open district that has one, in the districts' order: (district id, prepared)."""
    rows = db.session.execute(
        db.select(District.id, District.boundary_updated_at)
        .where(District.retired_at.is_(None), District.boundary.is_not(None))
        .order_by(District.position, District.slug)
    ).all()
    missing = [row.id for row in rows if (row.id, row.boundary_updated_at) not in _shapes]
    texts = dict(db.session.execute(
        db.select(District.id, District.boundary).where(District.id.in_(missing))
    ).all()) if missing else {}
    found = []
    for row in rows:
        key = (row.id, row.boundary_updated_at)
        cached = _shapes.get(key)
        if cached is None and row.id in texts:
            cached = _remember(row.id, row.boundary_updated_at, texts[row.id])
        if cached is not None:
            found.append((row.id, cached[1]))
    return found


def district_at(lat: float, lon: float) -> District | None:
    """The open district whose stored boundary holds the point (on a shared edge: the first in the list)."""
    return districts_at([(lat, lon)])[0]


def districts_at(points: list[tuple[float, float]]) -> list[District | None]:
    """``district_at`` for each (lat, lon), in two statements whatever the number of points."""
    shapes = district_shapes()
    found_ids = [next((district_id for district_id, prepared in shapes if prepared.covers(Point(lon, lat))), None)
                 for lat, lon in points]
    wanted = {i for i in found_ids if i is not None}
    districts = {d.id: d for d in db.session.scalars(db.select(District).where(District.id.in_(wanted)))} if wanted else {}
    return [districts.get(i) if i is not None else None for i in found_ids]


def round_point(lat: float, lon: float) -> tuple[float, float]:
    """The point moved to the middle of its grid cell (about 50 m across; see ROUND_LAT and ROUND_LON), for
    public maps and the API, so a point placed at a home does not show which house it is."""
    return (
        round((math.floor(lat / ROUND_LAT) + 0.5) * ROUND_LAT, 5),
        round((math.floor(lon / ROUND_LON) + 0.5) * ROUND_LON, 5),
    )
