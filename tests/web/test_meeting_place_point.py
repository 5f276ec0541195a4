"""Putting a meeting place on the map from its form: the address looked up in the address register (without
JavaScript: the page comes back with the addresses to choose from), or the coordinates typed; checked to be in
Norway, with a warning when the point is outside the place's district, and audited with the rest."""
from __future__ import annotations

from urllib.parse import parse_qs

import pytest

from app.core.models import AuditEntry
from app.extensions import db
from app.meeting_places.models import MeetingPlace
from tests.helpers import form_fields, soup

VALID = {"district": "lademoen", "name": "Bydelskafeen", "address": "Innherredsveien 60",
         "step_free_entrance": "yes", "accessible_toilet": "no", "hearing_loop": "unknown",
         "opening_hours": "Mandag 10–20"}


@pytest.fixture
def app(app_factory, fake_geocoder):
    """Addresses are looked up over HTTP, as in production, in the fake address register on loopback."""
    made = app_factory(GEOCODER_URL=fake_geocoder.url)
    made.geocoder = fake_geocoder
    return made


def _place(app, district="lademoen", **fields) -> int:
    from app.districts.services import get_district

    with app.app_context():
        place = MeetingPlace(district_id=get_district(district).id, name="Lademoen bibliotek", address="Mellomveien 2",
                             **fields)
        db.session.add(place)
        db.session.commit()
        return place.id


def _stored(app, place_id: int) -> tuple[float | None, float | None]:
    with app.app_context():
        place = db.session.get(MeetingPlace, place_id)
        return place.latitude, place.longitude


def _press(client, url: str, data: dict, button: tuple[str, str]):
    """Send the form as it is on the page, with ``data`` typed in, by pressing ``button``."""
    values = form_fields(client.get(url), url) | data
    return client.client.post(url, data=values | {button[0]: button[1]})


def test_a_moderator_looks_up_the_address_chooses_one_and_saves_the_point(app, client, login_as):
    login_as("moderator", districts=("lademoen",))
    looked = _press(client, "/meeting-places/new?lang=en", VALID, ("lookup", "1"))
    assert looked.status_code == 200
    page = soup(looked)
    found = page.find_all("button", attrs={"name": "point"})
    assert found, page.find(id="where").get_text(" ")
    assert "Innherredsveien" in found[0].get_text() and "(Lademoen)" in found[0].get_text()
    (sent,) = app.geocoder.requests
    assert parse_qs(sent["query"])["sok"] == ["Innherredsveien 60"] and sent["cookie"] is None
    # Nothing is saved yet, and everything typed is still there.
    assert page.find("input", {"name": "name"})["value"] == "Bydelskafeen"
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(MeetingPlace.id))) == 0

    chose = client.client.post("/meeting-places/new", data=form_fields(looked, "/meeting-places/new")
                               | {"point": found[0]["value"]})
    assert chose.status_code == 200
    filled = soup(chose)
    latitude, longitude = (float(filled.find("input", {"name": name})["value"]) for name in ("latitude", "longitude"))
    assert "Save the meeting place to keep it" in filled.find(id="where").get_text()

    saved = client.client.post("/meeting-places/new", data=form_fields(chose, "/meeting-places/new"))
    assert saved.status_code == 302
    with app.app_context():
        place = db.session.scalar(db.select(MeetingPlace))
        assert (place.latitude, place.longitude) == (latitude, longitude)
        entry = db.session.scalar(db.select(AuditEntry))
        assert entry.action == "meeting_place.create"
    page = client.get(saved.headers["Location"]).get_data(as_text=True)
    assert "flash-warning" not in page  # the address is in Lademoen, as the place is


def test_when_the_address_lookup_is_down_the_form_says_so_and_coordinates_can_be_typed(app, client, login_as,
                                                                                       garbage_geocoder):
    app.config["GEOCODER_URL"] = garbage_geocoder.url  # it answers HTML
    login_as("moderator", districts=("lademoen",))
    looked = _press(client, "/meeting-places/new?lang=en", VALID, ("lookup", "1"))
    assert looked.status_code == 200
    where = soup(looked).find(id="where").get_text(" ")
    assert "The address lookup is not working right now" in where and "type the coordinates" in where
    assert soup(looked).find("input", {"name": "address"})["value"] == "Innherredsveien 60"

    saved = client.submit("/meeting-places/new", dict(VALID, latitude="63,4338", longitude="10.4232"))
    assert saved.status_code == 302
    with app.app_context():
        place = db.session.scalar(db.select(MeetingPlace))
        assert (place.latitude, place.longitude) == (63.4338, 10.4232)


def test_an_address_the_register_does_not_know_is_told_plainly(app, client, login_as):
    login_as("moderator", districts=("lademoen",))
    looked = _press(client, "/meeting-places/new?lang=en", dict(VALID, address="Finnesikkeveien 999"), ("lookup", "1"))
    assert looked.status_code == 200
    assert "No address was found for what you typed" in soup(looked).find(id="where").get_text(" ")
    empty = _press(client, "/meeting-places/new?lang=en", dict(VALID, address=""), ("lookup", "1"))
    assert empty.status_code == 400 and soup(empty).find(id="address-error") is not None


@pytest.mark.parametrize("latitude,longitude,wrong,message", [
    ("63.43", "", "longitude", "Give both latitude and longitude, or neither."),
    ("", "10.42", "latitude", "Give both latitude and longitude, or neither."),
    ("nord", "10.42", "latitude", "Write it as a number in decimal degrees, like 63.4305."),
    ("63.43", "1e999", "longitude", "Write it as a number in decimal degrees, like 10.4120."),
    ("10.42", "63.43", "latitude", "This point is not in Norway."),
    ("48.85", "2.35", "latitude", "This point is not in Norway."),
])
def test_coordinates_that_are_not_a_point_in_norway_are_refused_beside_the_field(
        app, client, login_as, latitude, longitude, wrong, message):
    login_as("moderator", districts=("lademoen",))
    response = client.submit("/meeting-places/new?lang=en", dict(VALID, latitude=latitude, longitude=longitude),
                             action="/meeting-places/new")
    assert response.status_code == 400
    page = soup(response)
    assert message in page.find(id=f"{wrong}-error").get_text()
    assert page.find("input", {"name": "name"})["value"] == "Bydelskafeen"
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(MeetingPlace.id))) == 0


def test_a_point_outside_the_places_district_is_saved_with_a_warning_and_audited(app, client, login_as):
    place = _place(app)
    login_as("moderator", districts=("lademoen",))
    # Nonnegata 14, in Møllenberg: inside Norway, outside Lademoen.
    response = client.submit(f"/meeting-places/{place}/edit?lang=en", dict(VALID, latitude="63.4315", longitude="10.415"),
                             action=f"/meeting-places/{place}/edit")
    assert response.status_code == 302
    assert _stored(app, place) == (63.4315, 10.415)
    page = soup(client.get(response.headers["Location"]))
    warning = page.find(class_="flash-warning")
    assert warning is not None and "not in Lademoen" in warning.get_text()
    with app.app_context():
        entry = db.session.scalar(db.select(AuditEntry).order_by(AuditEntry.id.desc()))
        assert entry.action == "meeting_place.update" and {"latitude", "longitude"} <= set(entry.changed_fields)


def test_the_form_shows_the_point_and_clearing_it_takes_the_place_off_the_map(app, client, login_as):
    place = _place(app, latitude=63.4338, longitude=10.4232)
    login_as("admin")
    listed = soup(client.get("/admin/places?lang=en")).find("th", scope="row")
    assert "Lademoen bibliotek" in listed.get_text() and "not on the map yet" not in listed.get_text()
    page = soup(client.get(f"/meeting-places/{place}/edit"))
    assert page.find("input", {"name": "latitude"})["value"] == "63.4338"
    assert page.find("input", {"name": "longitude"})["value"] == "10.4232"
    response = client.submit(f"/meeting-places/{place}/edit", dict(VALID, latitude="", longitude=""))
    assert response.status_code == 302
    assert _stored(app, place) == (None, None)
    assert "not on the map yet" in soup(client.get("/admin/places?lang=en")).find("th", scope="row").get_text()


def test_only_those_who_may_edit_the_place_may_look_up_its_address(app, client, login_as):
    place = _place(app, district="mollenberg")
    login_as("moderator", districts=("lademoen",))
    assert client.get(f"/meeting-places/{place}/edit").status_code == 403
    own_form = form_fields(client.get("/meeting-places/new"), "/meeting-places/new")
    looked = client.client.post(f"/meeting-places/{place}/edit", data=own_form | {"lookup": "1", "address": "Nonnegata 1"})
    assert looked.status_code == 403
