"""The journey of a place, in Chromium with no tiles reachable and the stand-in address register: a resident
finds their district by address, proposes an idea with a point tapped on the map, proposes another with a
street chosen from the addresses found without JavaScript, and sees both on the district's map and list.
The pages with the place fields have no axe violations in Bokmål or English."""
from __future__ import annotations

import pytest

from tests.browser.test_accessibility import _login, assert_accessible
from tests.helpers import make_user

BODY = "Det trengs flere benker og bord her, så folk kan sitte og prate med naboene sine."


@pytest.fixture(scope="module")
def resident(live_server):
    app = live_server.app
    app.config["MAP_TILE_URL"] = f"{live_server.url}/no-tiles/{{z}}/{{y}}/{{x}}.png"
    return make_user(app, email="kart.beboer@example.no", display_name="Kart Beboer")


def _tap(page, lat: float, lon: float) -> None:
    """A tap on the form's map where the point (lat, lon) is drawn."""
    page.wait_for_selector(".pick-map .pick-canvas")
    page.locator(".pick-map .pick-canvas").scroll_into_view_if_needed()
    spot = page.evaluate("([lat, lon]) => document.querySelector('.pick-map').pickMap"
                         ".latLngToContainerPoint([lat, lon])", [lat, lon])
    box = page.locator(".pick-map .pick-canvas").bounding_box()
    page.mouse.click(box["x"] + spot["x"], box["y"] + spot["y"])


def test_a_resident_finds_their_district_and_proposes_ideas_with_a_place_with_and_without_javascript(
        live_server, page, chromium, resident):
    # Which district? The address is looked up in the stand-in register.
    page.goto(f"{live_server.url}/districts/find?lang=nb")
    page.fill("#address", "Mellomveien 18")
    page.click("main form.find-form button[type=submit]")
    page.click("main ol.found-places a[href='/districts/lademoen']")
    page.wait_for_url("**/districts/lademoen")

    # With JavaScript: a point tapped on the map.
    _login(page, live_server, resident.email)
    page.goto(f"{live_server.url}/ideas/new?district=lademoen")
    page.fill("#title", "Benker ved Mellomveien")
    page.fill("#body", BODY)
    remove = page.get_by_role("button", name="Fjern stedet")
    assert not remove.is_visible()   # nothing to remove before a tap
    _tap(page, 63.4372, 10.4265)
    assert page.locator(".pick-status").text_content() == "Du har valgt et sted på kartet."
    assert remove.is_visible()
    assert page.locator("input[name=lat]").input_value().startswith("63.43")
    page.click("button[name=preview]")
    assert "Sted: vist på kartet" in page.locator(".preview").text_content()
    page.click("button[name=publish]")
    page.wait_for_selector("#idea-map")
    assert page.locator("h1").text_content() == "Benker ved Mellomveien"

    # Without JavaScript: a street typed, looked up, and chosen from the addresses found.
    context = chromium.new_context(java_script_enabled=False, viewport={"width": 375, "height": 800})
    plain = context.new_page()
    try:
        _login(plain, live_server, resident.email)
        plain.goto(f"{live_server.url}/ideas/new?district=lademoen")
        assert plain.locator(".pick-map").is_hidden()
        plain.fill("#title", "Lys i Mellomveien")
        plain.fill("#body", BODY)
        plain.fill("#place", "Mellomveien 40")
        plain.click("button[name=find_place]")
        plain.check("input[name=point][value$='Mellomveien 40']")
        assert plain.locator("#title").input_value() == "Lys i Mellomveien"
        plain.click("button[name=preview]")
        assert "Sted: Mellomveien 40" in plain.locator(".preview").text_content()
        plain.click("button[name=publish]")
        plain.wait_for_url("**/ideas/*")
        assert "Mellomveien 40" in plain.locator(".facts").text_content()
    finally:
        context.close()

    # Both on the district's map and in its list of ideas.
    page.goto(f"{live_server.url}/districts/lademoen")
    on_map = page.locator("#district-map ol.map-list").text_content()
    assert "Benker ved Mellomveien" in on_map and "Lys i Mellomveien" in on_map
    page.goto(f"{live_server.url}/ideas/?district=lademoen")
    listed = page.locator("main").text_content()
    assert "Benker ved Mellomveien" in listed and "Lys i Mellomveien" in listed


@pytest.mark.parametrize("lang", ["nb", "en"])
def test_the_place_fields_have_no_axe_violations(live_server, page, resident, lang):
    page.goto(f"{live_server.url}/districts/lademoen/feedback?lang={lang}")
    page.wait_for_selector(".pick-map .pick-canvas")
    assert_accessible(page, f"feedback form with its map ({lang})")
    page.fill("#place", "Mellomveien")
    page.click("button[name=find_place]")
    page.wait_for_selector("input[name=point]")
    assert_accessible(page, f"feedback form with the addresses found ({lang})")
    _login(page, live_server, resident.email)
    page.goto(f"{live_server.url}/ideas/new?district=lademoen&lang={lang}")
    page.wait_for_selector(".pick-map .pick-canvas")
    assert_accessible(page, f"idea form with its map ({lang})")


@pytest.mark.parametrize("lang", ["nb", "en"])
def test_the_small_maps_of_an_idea_and_of_a_moderation_item_have_no_axe_violations(live_server, page, lang):
    from app.districts.services import get_district
    from app.extensions import db
    from app.feedback.services import submit_feedback
    from app.places.location import Location
    from tests.helpers import make_idea

    app = live_server.app
    idea = make_idea(app, make_user(app), location_lat=63.4378, location_lon=10.431, location_label="Mellomveien 40")
    with app.test_request_context():
        feedback = submit_feedback(get_district("lademoen"), "Mørk undergang", {}, None, None, None, None, False,
                                   "test", location=Location(63.4372, 10.4265, "Mellomveien 18")).id
        db.session.commit()
    page.goto(f"{live_server.url}/ideas/{idea}?lang={lang}")
    page.wait_for_selector("#idea-map.map-live .leaflet-marker-icon")
    assert_accessible(page, f"idea page with its map ({lang})")
    moderator = make_user(app, role="moderator", districts=["lademoen"])
    _login(page, live_server, moderator.email)
    page.goto(f"{live_server.url}/moderation/items/feedback/{feedback}?lang={lang}")
    page.wait_for_selector("#item-map.map-live .leaflet-marker-icon")
    assert "Mellomveien 18" in page.locator("#item-map ol").text_content()
    assert_accessible(page, f"moderation item with its map ({lang})")
