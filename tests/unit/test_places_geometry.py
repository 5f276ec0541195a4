"""District boundaries: which district a point is in (seeded and uploaded boundaries), the checks an
uploaded boundary must pass, and the rounding of public points."""
from __future__ import annotations

import json

import pytest

from app.core.db import utcnow
from app.districts.models import District
from app.districts.seed_data import DISTRICTS, EFFORT_AREAS
from app.districts.services import seed
from app.extensions import db
from app.places.geometry import BoundaryRefused, boundary_text, district_at, parse_boundary, round_point
from app.places.seed_boundaries import APPROXIMATE_BOUNDARIES

LADEMOEN_CHURCH = (63.4366, 10.4243)
NONNEGATA_14 = (63.4315, 10.4150)
TEMPEVEIEN_22 = (63.4145, 10.4060)
MUNKEGATA_1 = (63.4305, 10.3951)     # Midtbyen: in none of the three


def square(west, south, east, north) -> dict:
    return {"type": "Polygon", "coordinates": [[[west, south], [east, south], [east, north], [west, north], [west, south]]]}


def test_a_point_is_in_the_district_whose_seeded_boundary_holds_it(app):
    with app.app_context():
        assert district_at(*LADEMOEN_CHURCH).slug == "lademoen"
        assert district_at(*NONNEGATA_14).slug == "mollenberg"
        assert district_at(*TEMPEVEIEN_22).slug == "tempe-sorgenfri"
        assert district_at(*MUNKEGATA_1) is None


def test_the_seeded_boundaries_are_marked_approximate_and_do_not_overlap(app):
    with app.app_context():
        districts = db.session.scalars(db.select(District)).all()
        assert {d.slug for d in districts if d.boundary} == set(APPROXIMATE_BOUNDARIES)
        assert not any(d.boundary_official for d in districts)
        shapes = [parse_boundary(d.boundary) for d in districts]
        for i, a in enumerate(shapes):
            for b in shapes[i + 1:]:
                assert a.intersection(b).area == 0


def test_a_new_boundary_moves_the_answer_at_once(app):
    with app.app_context():
        mollenberg = db.session.scalar(db.select(District).where(District.slug == "mollenberg"))
        assert district_at(*MUNKEGATA_1) is None
        mollenberg.boundary = boundary_text(parse_boundary(json.dumps(square(10.39, 63.428, 10.425, 63.4333))))
        mollenberg.boundary_updated_at = utcnow()
        db.session.flush()
        assert district_at(*MUNKEGATA_1).slug == "mollenberg"


def test_a_retired_district_is_nobodys_district(app):
    with app.app_context():
        lademoen = db.session.scalar(db.select(District).where(District.slug == "lademoen"))
        lademoen.retired_at = utcnow()
        db.session.flush()
        assert district_at(*LADEMOEN_CHURCH) is None


def test_a_feature_collection_of_one_multipolygon_is_accepted(app):
    feature = {"type": "FeatureCollection", "features": [{"type": "Feature", "properties": {"navn": "Lademoen"},
               "geometry": {"type": "MultiPolygon", "coordinates": [square(10.41, 63.43, 10.42, 63.44)["coordinates"],
                                                                    square(10.43, 63.43, 10.44, 63.44)["coordinates"]]}}]}
    with app.test_request_context("/?lang=en"):
        assert parse_boundary(json.dumps(feature)).geom_type == "MultiPolygon"


@pytest.mark.parametrize("text, words", [
    ("not json at all", "not GeoJSON"),
    (json.dumps({"type": "Point", "coordinates": [10.4, 63.4]}), "an area"),
    (json.dumps({"type": "Polygon", "coordinates": [[[10.41, 63.43], [10.42, 63.43], [10.42, 63.44], [10.41, 63.44]]]}),
     "not closed"),
    (json.dumps({"type": "Polygon", "coordinates": [[[10.41, 63.43], [10.42, 63.44], [10.41, 63.43]]]}), "four points"),
    (json.dumps(square(2.35, 48.85, 2.36, 48.86)), "outside Norway"),
    (json.dumps(square(63.43, 10.41, 63.44, 10.42)), "swapped"),
    (json.dumps(square(570000, 7034000, 571000, 7035000)), "outside Norway"),
    # a bow tie: the outline crosses itself
    (json.dumps({"type": "Polygon", "coordinates": [[[10.41, 63.43], [10.42, 63.44], [10.42, 63.43], [10.41, 63.44],
                                                       [10.41, 63.43]]]}), "crosses itself"),
    (json.dumps({"type": "Polygon", "coordinates": [[[10.41, 63.43], ["x", 63.44], [10.42, 63.43], [10.41, 63.43]]]}),
     "pair of numbers"),
    (json.dumps({"type": "FeatureCollection", "features": [{"type": "Feature", "geometry": square(10.41, 63.43, 10.42, 63.44)}] * 2}),
     "one district"),
    (" " * 1_600_000, "too large"),
])
def test_a_boundary_that_is_not_a_proper_area_in_norway_is_refused_with_a_reason(app, text, words):
    with app.test_request_context("/?lang=en"):
        with pytest.raises(BoundaryRefused) as refused:
            parse_boundary(text)
        assert words in str(refused.value.message)
        assert refused.value.field == "boundary"


def test_a_boundary_with_too_many_points_is_refused(app):
    ring = [[10.40 + 0.00001 * i, 63.43] for i in range(20_001)] + [[10.6, 63.5], [10.40, 63.43]]
    with app.test_request_context("/?lang=en"), pytest.raises(BoundaryRefused) as refused:
        parse_boundary(json.dumps({"type": "Polygon", "coordinates": [ring]}))
    assert "too many points" in str(refused.value.message)


def test_public_points_are_moved_to_the_middle_of_a_cell_about_50_m_across():
    lat, lon = round_point(63.43612, 10.42431)
    assert (lat, lon) == (63.43625, 10.4245)
    # Two front doors 20 m apart in the same cell show as the same point.
    assert round_point(63.43602, 10.42410) == round_point(63.43620, 10.42440)
    # Never more than half a cell from where it was.
    assert abs(lat - 63.43612) <= 0.00025 and abs(lon - 10.42431) <= 0.0005


def test_seeding_again_fills_a_missing_boundary_and_never_replaces_an_uploaded_one(app):
    with app.app_context():
        districts = {d.slug: d for d in db.session.scalars(db.select(District))}
        official = boundary_text(parse_boundary(json.dumps(square(10.41, 63.43, 10.42, 63.44))))
        districts["lademoen"].boundary, districts["lademoen"].boundary_official = official, True
        districts["mollenberg"].boundary = None
        db.session.flush()
        assert seed(DISTRICTS, EFFORT_AREAS)["boundaries"] == 1
        assert districts["lademoen"].boundary == official and districts["lademoen"].boundary_official
        assert districts["mollenberg"].boundary and not districts["mollenberg"].boundary_official
        assert seed(DISTRICTS, EFFORT_AREAS)["boundaries"] == 0
