"""flask demo places what is about a place: ideas at a street address or a named spot inside their own
district, the rest about the whole district; some feedback with a (private) point; events at an address
with that address's point."""
from __future__ import annotations

import re

from sqlalchemy import select

from app.demo import corpus
from app.demo.generate import build
from app.demo.organisations import ONE_OFFS
from app.demo.places import PLACES, SPOT_SPREAD, SPOTS, STREETS
from app.events.models import Event
from app.extensions import db
from app.places.geometry import district_at
from app.submissions.models import Kind, Submission

AMOUNTS = {"ideas": 450, "comments": 0, "feedback": 900, "events": 60, "registrations": 300}


def _slug_at(lat: float, lon: float) -> str | None:
    district = district_at(lat, lon)
    return district.slug if district is not None else None


def test_every_street_spot_and_meeting_place_lies_in_its_own_district(app):
    with app.app_context():
        for slug, streets in STREETS.items():
            for name, ((lat1, lon1), (lat2, lon2), _first, _last) in streets.items():
                for share in (0, 0.5, 1):
                    assert _slug_at(lat1 + (lat2 - lat1) * share, lon1 + (lon2 - lon1) * share) == slug, name
        spread_lat, spread_lon = SPOT_SPREAD
        for slug, spots in SPOTS.items():
            for name, (lat, lon) in spots.items():
                for d_lat in (-spread_lat, 0, spread_lat):
                    for d_lon in (-spread_lon, 0, spread_lon):
                        assert _slug_at(lat + d_lat, lon + d_lon) == slug, name
        for place in PLACES:
            assert _slug_at(place["latitude"], place["longitude"]) == place["district"], place["name"]
        for spec in ONE_OFFS:
            if "point" in spec:
                assert _slug_at(*spec["point"]) == spec["district"], spec["title"]


def test_every_place_the_texts_name_is_a_street_or_spot_of_their_district():
    named = [item for item in corpus.IDEAS + corpus.FEEDBACK if item.get("where")]
    assert len(named) > 40
    for item in named:
        assert item["where"] in STREETS[item["district"]] or item["where"] in SPOTS[item["district"]], item["where"]


def test_a_credible_share_of_ideas_and_some_feedback_have_a_place_in_their_district(app):
    with app.app_context():
        build(amounts=AMOUNTS)
        db.session.commit()
        rows = db.session.execute(select(Submission.kind, Submission.district_id, Submission.location_lat,
                                         Submission.location_lon, Submission.location_label)
                                  .where(Submission.kind.in_((Kind.IDEA, Kind.FEEDBACK)))).all()
        ideas = [r for r in rows if r.kind == Kind.IDEA]
        located = [r for r in ideas if r.location_lat is not None]
        assert 0.25 <= len(located) / len(ideas) <= 0.6          # the rest are about the whole district
        feedback = [r for r in rows if r.kind == Kind.FEEDBACK and r.location_lat is not None]
        assert 0.05 <= len(feedback) / (len(rows) - len(ideas)) <= 0.4
        for row in located + feedback:
            assert district_at(row.location_lat, row.location_lon).id == row.district_id, row.location_label
            # An address with a house number, or a place people name.
            spots = {name for spots in SPOTS.values() for name in spots}
            assert row.location_label in spots or re.fullmatch(r"\D+ \d{1,3}", row.location_label), row.location_label
        # Many different points, not a few pins on top of each other.
        assert len({(r.location_lat, r.location_lon) for r in located}) > 0.8 * len(located)
        assert all(r.location_label is None and r.location_lon is None for r in rows if r.location_lat is None)

        at_address = db.session.scalars(select(Event).where(Event.meeting_place_id.is_(None))).all()
        assert at_address and all(e.latitude is not None and e.longitude is not None for e in at_address)
        assert all(e.latitude is None for e in db.session.scalars(select(Event).where(Event.meeting_place_id.is_not(None))))
