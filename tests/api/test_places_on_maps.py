"""Where things are, in the API: points on meeting places, events and ideas (an idea's rounded as on the public
map), and the boundaries, meeting places and ideas as GeoJSON (RFC 7946) for map programs."""
from __future__ import annotations

import json

from app.core.db import utcnow
from app.extensions import db
from config import TestingConfig
from tests.helpers import make_event, make_idea, make_organisation, make_user

BASE = TestingConfig.BASE_URL
GEOJSON = "application/geo+json"
# A bench by Lademoen church, as exact as a tap on a phone map gives it.
EXACT = (63.434871, 10.418629)


def _place(app, name="Bydelskafeen", district="lademoen", at: tuple[float, float] | None = (63.4338, 10.4232), **fields):
    from app.districts.services import get_district
    from app.meeting_places.models import MeetingPlace

    with app.app_context():
        place = MeetingPlace(district_id=get_district(district).id, name=name, address="Innherredsveien 60",
                             latitude=at[0] if at else None, longitude=at[1] if at else None, **fields)
        db.session.add(place)
        db.session.commit()
        return place.id


def _rounded(lat, lon):
    from app.places.geometry import round_point

    return round_point(lat, lon)


def _geojson(client, path):
    response = client.get(path)
    assert response.status_code == 200, path
    assert response.mimetype == GEOJSON
    body = json.loads(response.get_data(as_text=True))
    assert body["type"] == "FeatureCollection"
    return body


def test_a_meeting_place_has_its_point_and_one_without_has_none(app, client):
    located = _place(app)
    unknown = _place(app, name="Nabolagshuset", at=None)
    assert client.get(f"/api/v1/meeting-places/{located}").get_json()["location"] == {"latitude": 63.4338,
                                                                                       "longitude": 10.4232}
    assert client.get(f"/api/v1/meeting-places/{unknown}").get_json()["location"] is None
    body = _geojson(client, "/api/v1/meeting-places.geojson")
    assert body["features"] == [{
        "type": "Feature", "id": located, "geometry": {"type": "Point", "coordinates": [10.4232, 63.4338]},
        "properties": {"id": located, "url": f"{BASE}/meeting-places/{located}", "name": "Bydelskafeen",
                       "district": "lademoen", "address": "Innherredsveien 60"}}]
    assert _geojson(client, "/api/v1/meeting-places.geojson?district=mollenberg")["features"] == []
    refused = client.get("/api/v1/meeting-places.geojson?district=nowhere")
    assert refused.status_code == 400 and refused.get_json()["parameter"] == "district"


def test_an_event_at_a_meeting_place_is_where_the_place_is(app, client):
    place = _place(app)
    organisation = make_organisation(app, make_user(app))
    there = make_event(app, organisation, meeting_place_id=place, latitude=60.0, longitude=5.0)
    elsewhere = make_event(app, organisation, title="Dugnad", latitude=63.4301, longitude=10.4102)
    nowhere = make_event(app, organisation, title="Møte")
    assert client.get(f"/api/v1/events/{there}").get_json()["location"] == {"latitude": 63.4338, "longitude": 10.4232}
    assert client.get(f"/api/v1/events/{elsewhere}").get_json()["location"] == {"latitude": 63.4301,
                                                                                 "longitude": 10.4102}
    assert client.get(f"/api/v1/events/{nowhere}").get_json()["location"] is None
    listed = {e["id"]: e["location"] for e in client.get("/api/v1/events").get_json()["items"]}
    assert listed[there] == {"latitude": 63.4338, "longitude": 10.4232}


def test_an_ideas_point_is_rounded_as_on_the_public_map_everywhere_the_api_gives_it(app, client):
    author = make_user(app)
    located = make_idea(app, author, title="Benk ved kirka", location_lat=EXACT[0], location_lon=EXACT[1],
                        location_label="Ved Lademoen kirke")
    make_idea(app, author, title="Uten sted")
    make_idea(app, author, title="Skjult med sted", location_lat=63.4351, location_lon=10.4199,
              hidden_at=utcnow(), hidden_reason="spam")
    lat, lon = _rounded(*EXACT)
    assert (lat, lon) != EXACT and abs(lat - EXACT[0]) < 0.0005 and abs(lon - EXACT[1]) < 0.001
    assert client.get(f"/api/v1/ideas/{located}").get_json()["location"] == {"latitude": lat, "longitude": lon}
    items = {i["title"]: i["location"] for i in client.get("/api/v1/ideas").get_json()["items"]}
    assert items == {"Benk ved kirka": {"latitude": lat, "longitude": lon}, "Uten sted": None}

    body = _geojson(client, "/api/v1/ideas.geojson")
    [feature] = body["features"]
    assert feature["geometry"] == {"type": "Point", "coordinates": [lon, lat]}
    assert feature["id"] == located and feature["properties"]["title"] == "Benk ved kirka"
    assert feature["properties"]["url"] == f"{BASE}/ideas/{located}" and feature["properties"]["status"] == "new"
    assert (body["total"], body["page"], body["pages"], body["links"]) == (1, 1, 1, {"next": None, "prev": None})
    for path in (f"/api/v1/ideas/{located}", "/api/v1/ideas", "/api/v1/ideas.geojson"):
        text = client.get(path).get_data(as_text=True)
        assert str(EXACT[0]) not in text and str(EXACT[1]) not in text and "Lademoen kirke" not in text, path


def test_the_ideas_map_takes_the_filters_of_the_ideas_list_and_pages(app, client):
    author = make_user(app)
    for n in range(3):
        make_idea(app, author, title=f"Lys på stien {n}", location_lat=63.435 + n / 1000, location_lon=10.42)
    make_idea(app, author, district="mollenberg", title="Benk i parken", location_lat=63.4322, location_lon=10.4101)
    titles = lambda path: [f["properties"]["title"] for f in _geojson(client, path)["features"]]  # noqa: E731
    assert titles("/api/v1/ideas.geojson?district=mollenberg") == ["Benk i parken"]
    assert titles("/api/v1/ideas.geojson?q=stien") == ["Lys på stien 2", "Lys på stien 1", "Lys på stien 0"]
    assert titles("/api/v1/ideas.geojson?status=done") == []
    assert titles("/api/v1/ideas.geojson?page=2") == []
    for bad in ("district=nowhere", "status=maybe", "page=0", "area=9"):
        assert client.get(f"/api/v1/ideas.geojson?{bad}").status_code == 400, bad


def test_the_districts_boundaries_say_whether_they_are_official_or_approximate(app, client):
    from app.districts.models import District

    body = _geojson(client, "/api/v1/districts.geojson")
    assert [f["id"] for f in body["features"]] == ["lademoen", "tempe-sorgenfri", "mollenberg"]
    for feature in body["features"]:
        assert feature["geometry"]["type"] in ("Polygon", "MultiPolygon"), feature["id"]
        assert feature["properties"]["boundary"] == "approximate"
        assert feature["properties"]["url"] == f"{BASE}/districts/{feature['id']}"
    square = {"type": "Polygon", "coordinates": [[[10.40, 63.42], [10.41, 63.42], [10.41, 63.43], [10.40, 63.42]]]}
    with app.app_context():
        lademoen = db.session.scalar(db.select(District).filter_by(slug="lademoen"))
        lademoen.boundary, lademoen.boundary_official = json.dumps(square), True
        db.session.scalar(db.select(District).filter_by(slug="mollenberg")).boundary = None
        db.session.commit()
    features = {f["id"]: f for f in _geojson(client, "/api/v1/districts.geojson")["features"]}
    assert features["lademoen"]["geometry"] == square and features["lademoen"]["properties"]["boundary"] == "official"
    assert features["mollenberg"]["geometry"] is None and features["mollenberg"]["properties"]["boundary"] is None


def test_the_map_answers_are_described_listed_and_cacheable(app, client):
    document = client.get("/api/openapi.json").get_json()
    paths = {e["path"] for e in client.get("/api/v1").get_json()["endpoints"]}
    for path in ("/api/v1/districts.geojson", "/api/v1/meeting-places.geojson", "/api/v1/ideas.geojson"):
        assert set(document["paths"][path]["get"]["responses"]["200"]["content"]) == {GEOJSON}, path
        assert path in paths
        first = client.get(path)
        assert first.headers["Access-Control-Allow-Origin"] == "*" and "max-age=60" in first.headers["Cache-Control"]
        assert client.get(path, headers={"If-None-Match": first.headers["ETag"]}).status_code == 304
    page = client.get("/open-data?lang=en").get_data(as_text=True)
    assert "GET /api/v1/ideas.geojson</code>" in page and "application/geo+json" in page
    assert "Where a feedback is about is never given." in page
