"""The meeting place catalogue, and keeping it up to date from the places' own pages."""
from __future__ import annotations

import pytest

from app.core.models import AuditEntry
from app.extensions import db
from app.meeting_places.models import MeetingPlace
from tests.helpers import Browser, count_queries, soup

VALID = {"district": "lademoen", "name": "Bydelskafeen", "address": "Innherredsveien 60, 7042 Trondheim",
         "opening_hours": "Mandag 10–20", "description": "Kaffe og *brettspill*.", "step_free_entrance": "yes",
         "accessible_toilet": "no", "hearing_loop": "unknown", "accessibility_notes": "Rampe ved døra.",
         "contact_email": "kafe@example.no", "contact_phone": "+47 912 34 567"}


def _create(app, **overrides):
    from app.districts.services import get_district

    with app.app_context():
        values = dict(VALID, **overrides)
        place = MeetingPlace(district_id=get_district(values.pop("district")).id, name=values["name"],
                             address=values["address"], step_free_entrance=True)
        db.session.add(place)
        db.session.commit()
        return place.id


def test_a_moderator_adds_a_place_in_their_district_and_it_is_shown_with_its_accessibility_as_text(app, client, login_as):
    login_as("moderator", districts=("lademoen",))
    response = client.submit("/meeting-places/new", VALID)
    assert response.status_code == 302
    page = soup(client.get(response.headers["Location"] + "?lang=en"))
    assert page.find("h1").get_text() == "Bydelskafeen"
    facts = page.find(id="access-title").find_parent("section").get_text(" ")
    assert "Step-free entrance Yes" in " ".join(facts.split()) and "Hearing loop Not known yet" in " ".join(facts.split())
    assert page.find(class_="prose").find("em").get_text() == "brettspill"
    with app.app_context():
        assert db.session.scalar(db.select(AuditEntry.action)) == "meeting_place.create"
    assert "Bydelskafeen" in client.get("/meeting-places/?district=lademoen").get_data(as_text=True)
    assert "Bydelskafeen" not in client.get("/meeting-places/?district=mollenberg").get_data(as_text=True)


def test_moderators_of_other_districts_and_residents_cannot_add_or_edit(app, client, login_as):
    place = _create(app, district="mollenberg")
    login_as("moderator", districts=("lademoen",))
    assert client.get(f"/meeting-places/{place}/edit").status_code == 403
    refused = client.submit("/meeting-places/new", dict(VALID, district="mollenberg"))
    assert refused.status_code == 400 and soup(refused).find(id="district-error") is not None
    resident = Browser(app)
    login_as("resident", browser=resident)
    assert resident.get("/meeting-places/new").status_code == 403


def test_an_admin_edits_any_place(app, client, login_as):
    place = _create(app, district="tempe-sorgenfri")
    login_as("admin")
    response = client.submit(f"/meeting-places/{place}/edit", dict(VALID, district="tempe-sorgenfri", name="Nytt navn"))
    assert response.status_code == 302
    with app.app_context():
        assert db.session.get(MeetingPlace, place).name == "Nytt navn"


@pytest.mark.parametrize("field,value", [("name", ""), ("address", "x"), ("contact_email", "feil"),
                                         ("contact_phone", "ring meg"), ("step_free_entrance", "kanskje")])
def test_bad_values_are_refused_beside_the_field_keeping_the_rest(app, client, login_as, field, value):
    login_as("moderator", districts=("lademoen",))
    response = client.submit("/meeting-places/new", dict(VALID, **{field: value}))
    assert response.status_code == 400
    page = soup(response)
    assert page.find(id=f"{field}-error") is not None
    assert page.find("textarea", {"name": "description"}).text.strip() == VALID["description"]


def test_the_catalogue_needs_the_same_queries_for_few_or_many_places(app, client):
    _create(app)
    client.get("/meeting-places/")
    with count_queries(app) as few:
        client.get("/meeting-places/")
    for n in range(40):
        _create(app, name=f"Sted {n}", district=("lademoen", "mollenberg", "tempe-sorgenfri")[n % 3])
    with count_queries(app) as many:
        response = client.get("/meeting-places/")
    assert len(many) == len(few) <= 3
    assert len(response.get_data()) < 50_000


def test_demo_adds_places_in_every_district_once(app):
    from app.demo.generate import _places
    from app.districts.services import list_districts

    with app.app_context():
        districts = {d.slug: d.id for d in list_districts()}
        assert _places(districts) == 6
        db.session.commit()
        assert _places(districts) == 0
        slugs = {p.district.slug for p in db.session.scalars(db.select(MeetingPlace))}
    assert slugs == {"lademoen", "tempe-sorgenfri", "mollenberg"}


def test_the_form_asks_the_language_of_the_text_and_keeps_the_choice(app, client, login_as):
    login_as("moderator", districts=("lademoen",))
    form = soup(client.get("/meeting-places/new?lang=en"))
    assert form.select_one("details.text-language select[name=language]") is not None
    response = client.submit("/meeting-places/new", dict(VALID, description="Kafé.", language="nn"))
    assert response.status_code == 302
    with app.app_context():
        place = db.session.scalar(db.select(MeetingPlace))
        assert place.language == "nn"
    edit = soup(client.get(f"/meeting-places/{place.id}/edit?lang=en"))
    assert edit.select_one("select[name=language] option[selected]")["value"] == "nn"
