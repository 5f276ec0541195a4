"""An optional place on ideas and feedback: typed and looked up without JavaScript (the addresses found to
choose from, each with its district), or a point from the map, checked on the server. After a lookup the
words as typed are chosen until the person picks another: sending without choosing never drops them."""
from __future__ import annotations

import re
import time

import pytest

from app.extensions import db
from app.feedback.models import Feedback
from app.ideas.models import Idea
from tests.helpers import form_fields, soup

BODY = "Det trengs flere benker langs stien, og noen bord der man kan spise matpakke."
TEXT = "Gatelyset ved krysset er ødelagt, og det er mørkt og utrygt å gå hjem om kvelden."


def _ideas(app):
    with app.app_context():
        rows = db.session.scalars(db.select(Idea).order_by(Idea.id)).all()
        db.session.expunge_all()
        return rows


def _feedback(app):
    with app.app_context():
        rows = db.session.scalars(db.select(Feedback).order_by(Feedback.id)).all()
        db.session.expunge_all()
        return rows


def _choices(page, districts: bool = False) -> dict[str, str]:
    """The addresses offered: label → value of its radio button (the district after each address left out,
    unless asked for)."""
    labels = {page.find("label", {"for": radio["id"]}).get_text(strip=True): radio["value"]
              for radio in page.find_all("input", {"name": "point"})}
    return labels if districts else {re.sub(r" \((Lademoen|Møllenberg|Tempe-Sorgenfri)\)$", "", label): value
                                     for label, value in labels.items()}


def _idea_values(**fields) -> dict[str, str]:
    return {"district": "lademoen", "title": "Benker i parken", "body": BODY} | fields


def _publish(client, preview):
    values = form_fields(preview, "/ideas/new")
    values.pop("preview", None)
    values.pop("find_place", None)
    values["publish"] = "1"
    return client.post("/ideas/new", data=values)


@pytest.fixture
def send(client, monkeypatch):
    """The feedback form sent the way a person does: loaded, filled in, sent a while later."""

    def _send(data, slug="lademoen", page=None, button=("submit", "1"), to=None):
        page = page or client.get(f"/districts/{slug}/feedback")
        values = form_fields(page, soup(page).find("form", action=re.compile("/feedback$"))["action"])
        values.pop("find_place", None)
        values.pop("submit", None)
        values.update(data)
        if button:
            values[button[0]] = button[1]
        real = time.time
        monkeypatch.setattr(time, "time", lambda: real() + 5)
        try:
            return client.post(to or f"/districts/{slug}/feedback", data=values)
        finally:
            monkeypatch.setattr(time, "time", real)

    return _send


# --- without JavaScript: words looked up, an address chosen ---------------------------------------------


def test_a_street_typed_is_looked_up_and_the_addresses_found_are_offered_with_the_rest_kept(app, client, login_as):
    login_as("resident")
    page = client.submit("/ideas/new", _idea_values(place="Mellomveien", preview="1"))
    assert page.status_code == 400
    html = soup(page)
    offered = _choices(html, districts=True)
    assert {"Mellomveien 18 (Lademoen)", "Mellomveien 40 (Lademoen)", "Mellomveien 3 (Lademoen)"} <= offered.keys()
    labels = list(offered)
    assert labels[0] == "Bare det jeg skrev: «Mellomveien»" and labels[-1] == "Gjelder hele bydelen"
    words = html.find("input", {"name": "point", "value": offered[labels[0]]})
    assert words.has_attr("checked")   # the words as typed until the person picks an address
    assert [r for r in html.find_all("input", {"name": "point"}) if r.has_attr("checked")] == [words]
    assert "Velg stedet du mener" in html.find(id="place-error").get_text()
    assert html.find("input", {"name": "title"})["value"] == "Benker i parken"
    assert html.find("textarea", {"name": "body"}).text.strip() == BODY
    assert _ideas(app) == []

    values = form_fields(page, "/ideas/new") | {"point": offered["Mellomveien 18 (Lademoen)"], "preview": "1"}
    preview = client.post("/ideas/new", data=values)
    assert preview.status_code == 200
    assert "Sted: Mellomveien 18" in soup(preview).find(class_="preview").get_text(" ", strip=True)
    assert _publish(client, preview).status_code == 302
    [idea] = _ideas(app)
    assert (idea.location_label, idea.location_lat, idea.location_lon) == ("Mellomveien 18", 63.4372, 10.4265)


def test_words_looked_up_and_sent_without_choosing_are_kept_as_typed(app, client, login_as):
    login_as("resident")
    page = client.submit("/ideas/new", _idea_values(place="Mellomveien", preview="1"))
    preview = client.post("/ideas/new", data=form_fields(page, "/ideas/new") | {"preview": "1"})
    assert preview.status_code == 200
    assert "Sted: Mellomveien" in soup(preview).find(class_="preview").get_text(" ", strip=True)
    assert _publish(client, preview).status_code == 302
    [idea] = _ideas(app)
    assert (idea.location_label, idea.location_lat, idea.location_lon) == ("Mellomveien", None, None)


def test_the_whole_district_chosen_after_a_lookup_stores_no_place(app, client, login_as):
    login_as("resident")
    page = client.submit("/ideas/new", _idea_values(place="Mellomveien", preview="1"))
    preview = client.post("/ideas/new", data=form_fields(page, "/ideas/new") | {"point": "whole", "preview": "1"})
    assert preview.status_code == 200
    assert "Sted" not in soup(preview).find(class_="preview").get_text()
    assert _publish(client, preview).status_code == 302
    [idea] = _ideas(app)
    assert (idea.location_label, idea.location_lat, idea.location_lon) == (None, None, None)


def test_no_place_at_all_is_fine(app, client, login_as):
    login_as("resident")
    preview = client.submit("/ideas/new", _idea_values(preview="1"))
    assert _publish(client, preview).status_code == 302
    assert _ideas(app)[0].location_label is None


def test_words_the_search_does_not_know_are_kept_as_they_are_without_a_point(app, client, login_as):
    login_as("resident")
    preview = client.submit("/ideas/new", _idea_values(place="Bak den gamle kirka", preview="1"))
    assert preview.status_code == 200
    html = soup(preview)
    assert "uten å vise det på kartet" in html.find(id="place-notice").get_text()
    assert "Bak den gamle kirka" in html.find(class_="preview").get_text()
    assert _publish(client, preview).status_code == 302
    [idea] = _ideas(app)
    assert (idea.location_label, idea.location_lat) == ("Bak den gamle kirka", None)


def test_find_the_place_looks_the_words_up_and_sends_nothing(app, client, send):
    page = send({"body": TEXT, "place": "Nonnegata"}, slug="mollenberg", button=("find_place", "1"))
    assert page.status_code == 200
    html = soup(page)
    assert {"Nonnegata 14 (Møllenberg)", "Nonnegata 30 (Møllenberg)"} <= _choices(html, districts=True).keys()
    assert html.find("textarea", {"name": "body"}).text.strip() == TEXT
    assert _feedback(app) == []
    chosen = send({"point": _choices(html)["Nonnegata 30"]}, slug="mollenberg", page=page)
    assert chosen.status_code == 302
    [feedback] = _feedback(app)
    assert (feedback.location_label, feedback.location_lat, feedback.location_lon) == ("Nonnegata 30", 63.4318, 10.4185)
    assert feedback.body == TEXT


def test_the_address_search_being_down_is_said_beside_the_field_and_the_rest_can_be_sent(
        app_factory, garbage_geocoder, monkeypatch):
    from tests.helpers import Browser

    app = app_factory(GEOCODER_URL=garbage_geocoder.url, FEEDBACK_MIN_SECONDS=0)
    client = Browser(app)
    page = client.get("/districts/lademoen/feedback")
    values = form_fields(page, "/districts/lademoen/feedback") | {"body": TEXT, "place": "Mellomveien 40",
                                                                   "find_place": "1"}
    values.pop("submit", None)
    found = client.post("/districts/lademoen/feedback", data=values)
    assert found.status_code == 200
    notice = soup(found).find(id="place-notice")
    assert "svarer ikke" in notice.get_text()
    assert "place-notice" in soup(found).find("input", {"name": "place"})["aria-describedby"]
    values = form_fields(found, "/districts/lademoen/feedback") | {"submit": "1"}
    values.pop("find_place", None)
    sent = client.post("/districts/lademoen/feedback", data=values)
    assert sent.status_code == 302
    [feedback] = _feedback(app)
    assert (feedback.location_label, feedback.location_lat) == ("Mellomveien 40", None)
    assert len(garbage_geocoder.requests) == 1   # not asked again for the same words


def test_only_the_typed_words_are_sent_to_the_address_search(app_factory, fake_geocoder, monkeypatch):
    from tests.helpers import Browser

    app = app_factory(GEOCODER_URL=fake_geocoder.url)
    client = Browser(app)
    page = client.get("/districts/lademoen/feedback")
    values = form_fields(page, "/districts/lademoen/feedback") | {
        "body": TEXT, "contact_email": "hemmelig@example.no", "contact_consent": "y", "place": "Mellomveien 18",
        "find_place": "1"}
    values.pop("submit", None)
    assert client.post("/districts/lademoen/feedback", data=values).status_code == 200
    [request] = fake_geocoder.requests
    assert "Mellomveien" in request["query"] and "hemmelig" not in request["query"] and "Gatelyset" not in request["query"]
    assert request["cookie"] is None and request["referer"] is None


# --- with JavaScript: a point from the map, checked on the server -------------------------------------


def test_a_point_from_the_map_inside_the_district_is_kept(app, send):
    assert send({"body": TEXT, "lat": "63.4372", "lon": "10.4265"}).status_code == 302
    [feedback] = _feedback(app)
    assert (feedback.location_lat, feedback.location_lon, feedback.location_label) == (63.4372, 10.4265, None)


@pytest.mark.parametrize("lat, lon, message", [
    ("abc", "10.42", "klarte ikke å lese"),
    ("63.43", "", "klarte ikke å lese"),
    ("nan", "10.4", "klarte ikke å lese"),
    ("48.85", "2.35", "ikke i Norge"),
    ("10.4265", "63.4372", "ikke i Norge"),   # latitude and longitude swapped
])
def test_a_point_that_is_not_a_place_in_norway_is_refused_beside_the_field_with_the_text_kept(app, send, lat, lon, message):
    page = send({"body": TEXT, "lat": lat, "lon": lon})
    assert page.status_code == 400
    html = soup(page)
    assert message in html.find(id="place-error").get_text()
    assert html.find("textarea", {"name": "body"}).text.strip() == TEXT
    assert _feedback(app) == []


def test_a_point_in_another_district_offers_that_districts_form_with_everything_kept(app, client, send):
    page = send({"body": TEXT, "place": "Nonnegata 14", "looked_up": "Nonnegata 14", "lat": "63.4315", "lon": "10.415"})
    assert page.status_code == 400
    html = soup(page)
    assert "Møllenberg" in html.find(id="place-error").get_text()
    button = html.find("button", {"name": "switch_to"})
    assert button["formaction"] == "/districts/mollenberg/feedback"
    moved = send({}, page=page, button=("switch_to", "1"), to=button["formaction"])
    assert moved.status_code == 200
    assert soup(moved).find("textarea", {"name": "body"}).text.strip() == TEXT
    assert _feedback(app) == []
    assert send({}, slug="mollenberg", page=moved).status_code == 302
    [feedback] = _feedback(app)
    assert feedback.district.slug == "mollenberg" and feedback.location_label == "Nonnegata 14"


def test_an_idea_whose_point_is_in_another_district_can_be_moved_there(app, client, login_as):
    login_as("resident")
    page = client.submit("/ideas/new", _idea_values(place="Tempeveien 22", preview="1"))
    offered = _choices(soup(page))
    refused = client.post("/ideas/new", data=form_fields(page, "/ideas/new") | {
        "point": offered["Tempeveien 22"], "preview": "1"})
    assert refused.status_code == 400
    button = soup(refused).find("button", {"name": "switch_to"})
    assert button["value"] == "tempe-sorgenfri"
    moved = client.post("/ideas/new", data=form_fields(refused, "/ideas/new") | {"switch_to": "tempe-sorgenfri"})
    assert soup(moved).find("option", selected=True, value="tempe-sorgenfri") is not None
    preview = client.post("/ideas/new", data=form_fields(moved, "/ideas/new") | {"preview": "1"})
    assert preview.status_code == 200
    assert _publish(client, preview).status_code == 302
    [idea] = _ideas(app)
    assert idea.district.slug == "tempe-sorgenfri" and idea.location_label == "Tempeveien 22"


def test_the_idea_form_warns_in_plain_words_not_to_give_a_home_address(client, login_as):
    login_as("resident")
    page = soup(client.get("/ideas/new"))
    warning = page.find(id="place-public").get_text()
    assert "Ikke oppgi hjemmeadressen din" in warning
    assert "place-public" in page.find("input", {"name": "place"})["aria-describedby"]
    assert page.find("label", {"for": "place"}).get_text(strip=True).startswith("Hvor? (gate eller sted)")


def test_changing_an_idea_keeps_its_point_until_the_words_change(app, client, login_as):
    login_as("resident")
    page = client.submit("/ideas/new", _idea_values(place="Mellomveien", preview="1"))
    preview = client.post("/ideas/new", data=form_fields(page, "/ideas/new") | {
        "point": _choices(soup(page))["Mellomveien 40"], "preview": "1"})
    idea_url = _publish(client, preview).headers["Location"]
    edit = client.get(f"{idea_url}/edit")
    assert soup(edit).find("input", {"name": "place"})["value"] == "Mellomveien 40"
    assert client.post(f"{idea_url}/edit", data=form_fields(edit, f"{idea_url}/edit")).status_code == 302
    assert _ideas(app)[0].location_lat == 63.4378
    changed = form_fields(edit, f"{idea_url}/edit") | {"place": "Ved lekeplassen"}
    changed.pop("find_place", None)
    assert client.post(f"{idea_url}/edit", data=changed).status_code == 302
    [idea] = _ideas(app)
    assert (idea.location_label, idea.location_lat) == ("Ved lekeplassen", None)


def test_lookups_are_limited_per_client(app, client, send, monkeypatch):
    from app.places import picking

    monkeypatch.setattr(picking, "LOOKUPS_PER_HOUR", "2 per hour")
    for _ in range(2):
        assert "Mellomveien 18" in _choices(soup(send({"place": "Mellomveien"}, button=("find_place", "1"))))
    third = soup(send({"place": "Mellomveien"}, button=("find_place", "1")))
    assert _choices(third) == {} and "mange steder" in third.find(id="place-notice").get_text()


def test_enter_in_another_field_still_sends_the_feedback(app, send):
    """The browser presses the form's first button, "Find the place"; with no place typed it sends."""
    assert send({"body": TEXT}, button=("find_place", "1")).status_code == 302
    assert len(_feedback(app)) == 1
