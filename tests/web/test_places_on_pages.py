"""Where an idea or feedback is about, as people see it: the idea's place in public (its point rounded), and
the item's place for the district's moderators (the point as chosen, the street in the queue). Feedback's
place is personal data: kept from everyone else and purged with the contact details."""
from __future__ import annotations

import json
from datetime import timedelta

import pytest

from app.core.db import utcnow
from app.extensions import db
from app.feedback.models import Feedback
from app.feedback.services import submit_feedback
from app.places.location import Location, public_label
from app.privacy import erasure
from app.privacy.services import purge_expired
from tests.helpers import PASSWORD, Browser, make_idea, make_user, soup

STREET = "Mellomveien 18"


def _feedback(app, district="lademoen", **fields) -> int:
    from app.districts.services import get_district

    with app.test_request_context():
        feedback = submit_feedback(get_district(district), "Mørk undergang ved skolen", {}, None, fields.get("name"),
                                   fields.get("email"), None, bool(fields.get("email")), "test",
                                   location=Location(63.43721, 10.42654, STREET))
        db.session.commit()
        return feedback.id


def test_an_ideas_page_shows_its_place_and_a_map_with_the_point_rounded(app, client):
    idea_id = make_idea(app, make_user(app), location_lat=63.43721, location_lon=10.42654, location_label=STREET)
    page = soup(client.get(f"/ideas/{idea_id}"))
    assert "Mellomveien" in page.select_one(".facts").get_text()
    figure = page.find("figure", id="idea-map")
    assert figure is not None and figure.find("svg")["role"] == "img"
    assert "Mellomveien" in figure.find("ol").get_text()
    text = str(page)
    assert "63.43721" not in text and "10.42654" not in text   # only the rounded point reaches the page
    assert STREET not in text   # nor the house number: the street alone, as the map shows it to about 50 m
    assert "63.43725" in figure["data-map"]


def test_an_ideas_house_number_is_shown_only_to_its_author_and_the_districts_moderators(app, client, login_as):
    author = make_user(app, email="forfatter@example.no")
    idea_id = make_idea(app, author, location_lat=63.43721, location_lon=10.42654, location_label="Nonnegata 30B")
    lists = ["/ideas/?view=map", "/districts/lademoen", f"/ideas/{idea_id}"]
    for path in lists:
        text = client.get(path).get_data(as_text=True)
        assert "Nonnegata" in text and "Nonnegata 30" not in text, path
    assert "Nonnegata 30" not in client.get("/api/v1/ideas").get_data(as_text=True)
    login_as("resident")
    assert "Nonnegata 30" not in client.get(f"/ideas/{idea_id}").get_data(as_text=True)
    own = Browser(app)
    own.submit("/account/login", {"email": "forfatter@example.no", "password": PASSWORD})
    assert "Nonnegata 30B" in soup(own.get(f"/ideas/{idea_id}")).select_one(".facts").get_text()
    moderator = Browser(app)
    login_as("moderator", browser=moderator, districts=["lademoen"])
    assert "Nonnegata 30B" in soup(moderator.get(f"/ideas/{idea_id}")).select_one(".facts").get_text()


@pytest.mark.parametrize("label, public", [
    ("Nonnegata 30", "Nonnegata"), ("Nonnegata 30B", "Nonnegata"), ("Nonnegata 30 b", "Nonnegata"),
    ("Innherredsveien 7-9", "Innherredsveien"), ("Øvre Møllenberg gate 12, Trondheim", "Øvre Møllenberg gate, Trondheim"),
    ("Lademoen park", "Lademoen park"), ("Bak den gamle kirka", "Bak den gamle kirka"), ("E6", "E6"), (None, None)])
def test_an_ideas_place_in_public_leaves_out_the_house_number(label, public):
    assert public_label(label) == public


def test_an_idea_without_a_point_has_no_map(app, client):
    idea_id = make_idea(app, make_user(app), location_label="Ved kirka")
    page = soup(client.get(f"/ideas/{idea_id}"))
    assert "Ved kirka" in page.select_one(".facts").get_text()
    assert page.find("figure", id="idea-map") is None


def test_the_moderation_queue_shows_the_street_and_the_item_page_a_map_of_the_point(app, client, login_as):
    feedback_id = _feedback(app)
    login_as("moderator", districts=["lademoen"])
    queue = soup(client.get("/moderation/"))
    row = queue.find("a", id=f"item-link-{feedback_id}").find_parent("td")
    assert STREET in row.get_text()
    item = soup(client.get(f"/moderation/items/feedback/{feedback_id}"))
    assert STREET in item.select_one(".facts").get_text()
    figure = item.find("figure", id="item-map")
    assert STREET in figure.find("ol").get_text()
    assert "63.43721" in figure["data-map"]   # the moderators see the point as it was chosen


def test_the_forms_carry_the_map_for_choosing_a_point_and_let_tiles_in(app, client, login_as):
    page = client.get("/districts/lademoen/feedback")
    holder = soup(page).find(attrs={"data-pick-point": True})
    data = json.loads(holder["data-pick-point"])
    assert data["slugs"] == ["lademoen"] and data["outlines"] and data["point"] is None
    # In plain words, and the note for a map without its background speaks of what the picker has.
    assert (data["text"]["remove"], data["text"]["chosen"]) == ("Fjern stedet", "Du har valgt et sted på kartet.")
    assert data["text"]["noTiles"] == "Kartet kunne ikke lastes. Skriv gate eller sted i feltet over i stedet."
    assert holder.has_attr("hidden")   # shown by pick-point.js only; without script the field is the way
    assert "127.0.0.1:9" in page.headers["Content-Security-Policy"]
    login_as("resident")
    data = json.loads(soup(client.get("/ideas/new")).find(attrs={"data-pick-point": True})["data-pick-point"])
    assert set(data["slugs"]) == {"lademoen", "tempe-sorgenfri", "mollenberg"}


def test_moderators_of_another_district_cannot_see_feedbacks_place(app, client, login_as):
    feedback_id = _feedback(app)
    login_as("moderator", districts=["mollenberg"])
    assert client.get(f"/moderation/items/feedback/{feedback_id}").status_code == 403
    assert STREET not in client.get("/moderation/").get_data(as_text=True)


def test_feedbacks_place_is_purged_with_the_contact_details(app):
    old_id, new_id = _feedback(app, email="kontakt@example.no"), _feedback(app)
    with app.app_context():
        old = db.session.get(Feedback, old_id)
        old.created_at = utcnow() - timedelta(days=app.config["FEEDBACK_CONTACT_RETENTION_DAYS"] + 1)
        db.session.commit()
        removed = purge_expired()
        db.session.commit()
        assert removed["feedback_locations"] == 1
        old, new = db.session.get(Feedback, old_id), db.session.get(Feedback, new_id)
        assert (old.location_lat, old.location_lon, old.location_label, old.contact_email) == (None, None, None, None)
        assert old.body  # the text stays, as before
        assert (new.location_label, new.location_lat) == (STREET, 63.43721)


def test_erasing_an_account_clears_the_place_of_feedback_that_gave_its_address(app):
    user = make_user(app, email="beboer@example.no")
    theirs, others = _feedback(app, email="beboer@example.no"), _feedback(app, email="annen@example.no")
    with app.app_context():
        from app.accounts.models import User

        erasure.erase(db.session.get(User, user.id))
        db.session.commit()
        assert db.session.get(Feedback, theirs).location_label is None
        assert db.session.get(Feedback, theirs).location_lat is None
        assert db.session.get(Feedback, others).location_label == STREET


def test_a_residents_export_has_the_place_of_their_ideas_and_feedback(app, client, login_as):
    user = login_as("resident", email="eksport@example.no")
    make_idea(app, user, location_lat=63.4372, location_lon=10.4265, location_label=STREET)
    _feedback(app, email="eksport@example.no")
    data = client.get("/account/export").get_json()
    assert data["ideas"][0]["place"] == {"label": STREET, "latitude": 63.4372, "longitude": 10.4265}
    assert data["feedback_with_your_address"][0]["place"]["label"] == STREET


def test_from_an_items_map_the_queue_shows_what_waits_near_the_same_place(app, client, login_as):
    here, near = _feedback(app), _feedback(app)
    with app.app_context():
        far = db.session.get(Feedback, _feedback(app))
        far.location_lat, far.location_lon = 63.4410, 10.4320   # Kong Øysteins veg, some 600 m away
        unplaced = db.session.get(Feedback, _feedback(app))
        unplaced.location_lat = unplaced.location_lon = unplaced.location_label = None
        far_id, unplaced_id = far.id, unplaced.id
        db.session.commit()
    login_as("moderator", districts=["lademoen"])
    item = soup(client.get(f"/moderation/items/feedback/{here}"))
    link = item.find("a", string=lambda text: text and "300" in text)["href"]
    queue = soup(client.get(link))
    shown = {int(a["id"].removeprefix("item-link-")) for a in queue.select("a[id^=item-link-]")}
    assert {here, near} <= shown and not shown & {far_id, unplaced_id}
    assert "300" in queue.find("p", class_="notice").get_text()
    everything = soup(client.get("/moderation/?near=not,a-point"))
    assert {far_id, unplaced_id} <= {int(a["id"].removeprefix("item-link-")) for a in everything.select("a[id^=item-link-]")}
