"""/api/v1/events: upcoming published events as /events/ lists them, and one event as its page shows it."""
from __future__ import annotations

import re
from datetime import datetime, timedelta

import pytest

from app.core.db import OSLO, utcnow
from config import TestingConfig
from tests.api.registrations import register
from tests.helpers import make_event, make_organisation, make_user

BASE = TestingConfig.BASE_URL  # what absolute links are built on, whatever Host a request names

EVENT_FIELDS = {"id", "url", "calendar_url", "title", "description_html", "starts_at", "ends_at",
                "registration_deadline", "district", "meeting_place", "address", "organisation", "effort_area",
                "audience", "languages", "capacity", "seats_left", "status", "series_id", "location",
                "language", "translations"}


def _titles(client, query: str = "") -> list[str]:
    response = client.get(f"/api/v1/events{query}")
    assert response.status_code == 200, response.get_data(as_text=True)
    return [item["title"] for item in response.get_json()["items"]]


@pytest.fixture
def events(app):
    organisation = make_organisation(app, districts=("mollenberg", "lademoen"))
    cafe = make_event(app, organisation, title="Språkkafé", starts_in_days=2, audience="newcomers",
                      languages="nb,en,uk", effort_area_id=1)
    family = make_event(app, organisation, title="Familiesøndag", district="lademoen", starts_in_days=10,
                        audience="families", capacity=1)
    register(app, family, name="Gjest Gjestesen", email="gjest@example.no")
    past = make_event(app, organisation, title="Gammelt møte", starts_in_days=-3)
    cancelled = make_event(app, organisation, title="Avlyst kveld", status="cancelled", cancelled_at=utcnow())
    held = make_event(app, organisation, title="Venter", status="held")
    declined = make_event(app, organisation, title="Avslått", status="declined")
    return {"cafe": cafe, "family": family, "past": past, "cancelled": cancelled, "held": held, "declined": declined,
            "organisation": organisation}


def test_the_list_filters_by_district_date_audience_area_and_free_seats(client, events):
    assert _titles(client) == ["Språkkafé", "Familiesøndag"]
    assert _titles(client, "?district=lademoen") == ["Familiesøndag"]
    assert _titles(client, "?audience=newcomers") == ["Språkkafé"]
    assert _titles(client, "?area=1") == ["Språkkafé"]
    assert _titles(client, "?free_seats=true") == ["Språkkafé"]
    assert _titles(client, "?free_seats=false") == ["Språkkafé", "Familiesøndag"]
    day = (datetime.now(OSLO) + timedelta(days=10)).date().isoformat()
    assert _titles(client, f"?start={day}&end={day}") == ["Familiesøndag"]
    assert _titles(client, "?start=0001-01-01&end=9999-12-31") == ["Språkkafé", "Familiesøndag"]
    assert _titles(client, "?start=9999-12-31") == []
    assert _titles(client, "?end=2020-01-01") == []


@pytest.mark.parametrize("query, page_query", [
    ("", ""), ("?district=lademoen", "?district=lademoen"), ("?audience=newcomers", "?audience=newcomers"),
    ("?free_seats=true", "?free=1"), ("?area=1&district=mollenberg", "?area=1&district=mollenberg"),
])
def test_the_list_is_the_one_on_the_events_page(client, events, query, page_query):
    on_page = [int(n) for n in re.findall(r'href="/events/(\d+)"', client.get(f"/events/{page_query}").get_data(as_text=True))]
    assert on_page
    assert [item["id"] for item in client.get(f"/api/v1/events{query}").get_json()["items"]] == on_page


def test_an_event_tells_what_its_page_shows(client, events):
    [item] = client.get("/api/v1/events?district=lademoen").get_json()["items"]
    assert set(item) == EVENT_FIELDS
    assert item == client.get(f"/api/v1/events/{events['family']}").get_json()
    assert item["url"] == f"{BASE}/events/{events['family']}" and item["calendar_url"] == f"{BASE}/events/{events['family']}.ics"
    assert (item["capacity"], item["seats_left"], item["audience"], item["status"]) == (1, 0, "families", "published")
    assert item["address"] == "Rosenborg gate 10" and item["meeting_place"] is None
    assert item["organisation"] == {"id": events["organisation"], "name": "Språkkafeen",
                                    "url": f"{BASE}/organisations/{events['organisation']}"}
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00", item["starts_at"])
    cafe = client.get(f"/api/v1/events/{events['cafe']}").get_json()
    assert (cafe["effort_area"], cafe["languages"], cafe["capacity"], cafe["seats_left"]) == (1, ["nb", "en", "uk"], 10, 10)


def test_published_and_cancelled_events_have_a_page_held_and_declined_ones_do_not(client, events):
    assert client.get(f"/api/v1/events/{events['cancelled']}").get_json()["status"] == "cancelled"
    assert client.get(f"/api/v1/events/{events['past']}").status_code == 200
    for name in ("held", "declined"):
        response = client.get(f"/api/v1/events/{events[name]}")
        assert response.status_code == 404 and response.mimetype == "application/problem+json", name
    assert client.get("/api/v1/events/2147483647").status_code == 404


def test_a_moderator_signed_in_sees_no_more_than_anyone(app, client, events, login_as):
    login_as("admin")
    assert client.get(f"/events/{events['held']}").status_code == 200  # the page shows it to them
    assert client.get(f"/api/v1/events/{events['held']}").status_code == 404


def test_pages_of_events_link_to_their_neighbours(app, client):
    organisation = make_organisation(app)
    for n in range(21):
        make_event(app, organisation, title=f"Kveld {n}", starts_in_days=n + 1)
    first = client.get("/api/v1/events?district=mollenberg").get_json()
    assert (first["total"], first["pages"], len(first["items"])) == (21, 2, 20)
    assert first["links"]["prev"] is None
    assert first["links"]["next"].startswith("/api/v1/events?district=mollenberg&after=")
    second = client.get(first["links"]["next"]).get_json()
    assert [item["title"] for item in second["items"]] == ["Kveld 20"] and second["page"] is None
    assert second["links"]["next"] is None and second["total"] == 21
    back = client.get(second["links"]["prev"]).get_json()
    assert back["items"] == first["items"] and back["links"]["prev"] is None
    numbered = client.get("/api/v1/events?district=mollenberg&page=2").get_json()
    assert numbered["items"] == second["items"] and numbered["page"] == 2
    assert client.get("/api/v1/events?page=51").status_code == 400


@pytest.mark.parametrize("query, parameter", [
    ("audience=everybody", "audience"), ("district=nowhere", "district"), ("area=0", "area"),
    ("start=not-a-date", "start"), ("start=2026-13-01", "start"), ("start=20261201", "start"),
    ("end=2026-02-30", "end"), ("end=2026-W01-1", "end"), ("free_seats=1", "free_seats"),
    ("free_seats=yes", "free_seats"), ("page=-1", "page"), ("start=2026-01-01&start=2026-02-01", "start"),
])
def test_a_value_that_is_not_allowed_is_refused_with_the_parameter_named(client, query, parameter):
    response = client.get(f"/api/v1/events?{query}")
    assert response.status_code == 400 and response.get_json()["parameter"] == parameter


def test_who_registered_is_nowhere_in_the_answer(app, client, events):
    resident = make_user(app, email="rita.registrert@example.no", display_name="Rita Registrert")
    register(app, events["cafe"], user_id=resident.id, access_needs="Trenger tolk")
    text = client.get(f"/api/v1/events/{events['cafe']}").get_data(as_text=True)
    for secret in ("Rita", "rita.registrert", "Trenger tolk", "Gjest", "gjest@example.no"):
        assert secret not in text
    assert client.get(f"/api/v1/events/{events['cafe']}").get_json()["seats_left"] == 9
