"""The map answers of the API, in GeoJSON (RFC 7946): the districts' boundaries, the meeting places and the ideas
as features, for map programs that read GeoJSON as it is.

Coordinates are WGS 84 in the order GeoJSON uses, longitude first. A meeting place or an idea without a point is
left out: a map has nowhere to put it (the JSON lists have every one). An idea's point is rounded as on the
public map. Feedback never has a feature: where a feedback is about is personal data.
"""
from __future__ import annotations

import json
from typing import Any

from app.api.serialise import Json, idea_point, in_every_language, place_point
from app.core.db import iso_utc
from app.core.urls import site_url
from app.districts.models import District
from app.ideas.models import Idea
from app.meeting_places.models import MeetingPlace

MEDIA_TYPE = "application/geo+json"
PER_PAGE = 200  # ideas on one page of ideas.geojson: a district's map at a time, and a bounded answer


def collection(features: list[Json], **members: Any) -> Json:
    """A FeatureCollection; ``members`` (paging) are foreign members, which RFC 7946 allows."""
    return {"type": "FeatureCollection", "features": features} | members


def _feature(ident: int | str, geometry: Json | None, properties: Json) -> Json:
    return {"type": "Feature", "id": ident, "geometry": geometry, "properties": properties}


def _at(where: Json) -> Json:
    return {"type": "Point", "coordinates": [where["longitude"], where["latitude"]]}


def _boundary(item: District) -> Json | None:
    """The stored boundary as a geometry with nothing but its type and coordinates (it was checked when it was
    stored)."""
    if not item.boundary:
        return None
    stored = json.loads(item.boundary)
    if stored.get("type") == "Feature":
        stored = stored.get("geometry") or {}
    if stored.get("type") not in ("Polygon", "MultiPolygon"):
        return None
    return {"type": stored["type"], "coordinates": stored["coordinates"]}


def district(item: District) -> Json:
    geometry = _boundary(item)
    accuracy = None if geometry is None else ("official" if item.boundary_official else "approximate")
    return _feature(item.slug, geometry, {
        "slug": item.slug,
        "name": in_every_language(item, "name"),
        "active": item.active,
        "url": site_url("districts.show", slug=item.slug),
        "boundary": accuracy,
        "boundary_updated_at": iso_utc(item.boundary_updated_at) if geometry is not None else None,
    })


def meeting_place(item: MeetingPlace) -> Json | None:
    where = place_point(item)
    if where is None:
        return None
    return _feature(item.id, _at(where), {
        "id": item.id,
        "url": site_url("meeting_places.show", place_id=item.id),
        "name": item.name,
        "district": item.district.slug,
        "address": item.address,
    })


def idea(item: Idea) -> Json | None:
    where = idea_point(item)
    if where is None:
        return None
    return _feature(item.id, _at(where), {
        "id": item.id,
        "url": site_url("ideas.show", idea_id=item.id),
        "title": item.title,
        "district": item.district.slug,
        "effort_area": item.effort_area.number if item.effort_area else None,
        "status": item.status,
        "support_count": item.support_count,
        "created_at": iso_utc(item.created_at),
    })
