"""/api/v1/districts, /api/v1/effort-areas and /api/v1/meeting-places: every language at once, public facts only."""
from __future__ import annotations

from app.core.db import utcnow
from app.extensions import db
from config import TestingConfig

BASE = TestingConfig.BASE_URL  # what absolute links are built on, whatever Host a request names


def _place(app, **fields) -> int:
    from app.districts.services import get_district
    from app.meeting_places.models import MeetingPlace

    with app.app_context():
        values = {"name": "Bydelskafeen", "address": "Innherredsveien 60", "opening_hours": "Mandag 10–20",
                  "description_html": "<p>Kaffe og <em>brettspill</em>.</p>", "step_free_entrance": True,
                  "accessible_toilet": False, "hearing_loop": None, "accessibility_notes": "Rampe ved døra.",
                  "contact_email": "kafe@example.no", "contact_phone": "+47 912 34 567"} | fields
        place = MeetingPlace(district_id=get_district(values.pop("district", "lademoen")).id, **values)
        db.session.add(place)
        db.session.commit()
        return place.id


def test_districts_in_their_order_in_every_language(client):
    items = client.get("/api/v1/districts").get_json()["items"]
    assert [d["slug"] for d in items] == ["lademoen", "tempe-sorgenfri", "mollenberg"]
    assert [d["position"] for d in items] == [0, 1, 2]
    mollenberg = items[2]
    assert mollenberg["name"] == {"nb": "Møllenberg", "nn": "Møllenberg", "en": "Møllenberg"}
    assert set(mollenberg["description"]) == {"nb", "nn", "en"} and mollenberg["description"]["nn"]
    assert mollenberg["url"] == f"{BASE}/districts/mollenberg"
    assert mollenberg["calendar_url"] == f"{BASE}/districts/mollenberg/events.ics"


def test_effort_areas_with_their_sub_themes_in_every_language(client):
    items = client.get("/api/v1/effort-areas").get_json()["items"]
    assert [a["number"] for a in items] == [1, 2, 3, 4]
    housing = items[2]
    assert housing["title"]["nb"] == "Å skape gode bo- og nærmiljø"
    assert housing["public_name"] == {"nb": "Bolig og nærmiljø", "nn": "Bustad og nærmiljø", "en": "Housing and neighbourhood"}
    assert housing["public_explanation"]["en"] == "Homes, safety, traffic, outdoor spaces and meeting places where you live."
    assert housing["title"]["en"] != housing["title"]["nb"] and housing["goal"]["nn"] and housing["description"]["en"]
    assert len(housing["sub_themes"]) == 5
    assert set(housing["sub_themes"][0]) == {"slug", "title"} and set(housing["sub_themes"][0]["title"]) == {"nb", "nn", "en"}
    assert housing["url"] == f"{BASE}/effort-areas/3"


def test_the_answer_is_the_same_whatever_language_is_asked_for(client):
    for path in ("/api/v1/districts", "/api/v1/effort-areas"):
        answers = {client.get(path, headers={"Accept-Language": language}).get_data()
                   for language in ("nb", "nn", "en-GB", "de")}
        answers.add(client.get(f"{path}?lang=en").get_data())
        assert len(answers) == 1, path


def test_meeting_places_in_use_with_the_facts_their_page_shows(app, client):
    place = _place(app)
    _place(app, name="Nabolagshuset", district="mollenberg", contact_email=None, contact_phone=None,
           step_free_entrance=None)
    retired = _place(app, name="Gamle kafeen", retired_at=utcnow())
    items = client.get("/api/v1/meeting-places").get_json()["items"]
    assert [p["name"] for p in items] == ["Bydelskafeen", "Nabolagshuset"]
    assert [p["name"] for p in client.get("/api/v1/meeting-places?district=mollenberg").get_json()["items"]] == ["Nabolagshuset"]
    detail = client.get(f"/api/v1/meeting-places/{place}").get_json()
    assert detail == items[0]
    assert detail == {
        "id": place, "url": f"{BASE}/meeting-places/{place}", "name": "Bydelskafeen", "district": "lademoen",
        "address": "Innherredsveien 60", "location": None, "opening_hours": "Mandag 10–20",
        "description_html": "<p>Kaffe og <em>brettspill</em>.</p>",
        "accessibility": {"step_free_entrance": True, "accessible_toilet": False, "hearing_loop": None,
                          "notes": "Rampe ved døra."},
        "contact": {"email": "kafe@example.no", "phone": "+47 912 34 567"},
    }
    assert items[1]["contact"] == {"email": None, "phone": None}
    for path in (f"/api/v1/meeting-places/{retired}", "/api/v1/meeting-places/999"):
        assert client.get(path).status_code == 404
    assert client.get("/api/v1/meeting-places?district=nowhere").get_json()["parameter"] == "district"
