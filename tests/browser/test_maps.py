"""The interactive maps in Chromium with no tiles reachable (the tile URL answers 404, as tests never reach the
internet): the map script takes over the server's drawing, every pin is reached with Tab and named like its
line in the list, Enter opens it, and axe finds nothing in Bokmål or English on any page with a map."""
from __future__ import annotations

import pytest

from app.districts.services import get_district
from app.extensions import db
from app.meeting_places.models import MeetingPlace
from tests.browser.test_accessibility import assert_accessible
from tests.helpers import make_event, make_idea, make_organisation, make_user


@pytest.fixture(scope="module")
def mapped(live_server):
    """A meeting place, an event there, an event at another address and an idea, all in Lademoen with a point."""
    app = live_server.app
    app.config["MAP_TILE_URL"] = f"{live_server.url}/no-tiles/{{z}}/{{y}}/{{x}}.png"
    with app.app_context():
        place = MeetingPlace(district_id=get_district("lademoen").id, name="Lademoen bydelshus",
                             address="Innherredsveien 60", latitude=63.4352, longitude=10.424)
        db.session.add(place)
        db.session.commit()
        place_id = place.id
    organisation = make_organisation(app, districts=("lademoen",), name="Naboklubben")
    make_event(app, organisation, district="lademoen", title="Strikkekafé", meeting_place_id=place_id)
    make_event(app, organisation, district="lademoen", title="Ryddedag i parken", address="Mellomveien 40",
               latitude=63.4378, longitude=10.431)
    idea = make_idea(app, make_user(app), district="lademoen", title="Benker ved Lademoen kirke",
                     location_lat=63.4366, location_lon=10.4243, location_label="Mellomveien 3")
    return {"place": place_id, "idea": idea}


def _map_pages(mapped) -> list[str]:
    return ["/districts/lademoen", "/ideas/?view=map", "/events/?view=map", f"/meeting-places/{mapped['place']}"]


def test_the_map_stands_without_tiles_and_the_keyboard_reaches_every_pin(live_server, page, mapped):
    page.goto(f"{live_server.url}/districts/lademoen?lang=en")
    page.wait_for_selector("#district-map.map-live .leaflet-marker-icon")
    assert page.locator("#district-map svg.place-map-svg").is_hidden()
    page.wait_for_selector(".map-note")   # no tiles came: the map says why its background is plain
    listed = page.locator("#district-map ol.map-list li").evaluate_all(
        "items => items.map(li => li.value + '. ' + li.querySelector('a').textContent.trim())")
    pins = page.locator("#district-map .leaflet-marker-icon")
    names = [pins.nth(i).get_attribute("aria-label") for i in range(pins.count())]
    assert names == listed == ["1. Lademoen bydelshus", "2. Strikkekafé", "3. Ryddedag i parken",
                               "4. Benker ved Lademoen kirke"]
    page.focus("#district-map .map-canvas")
    reached = []
    for _name in names:
        page.keyboard.press("Tab")
        reached.append(page.evaluate("document.activeElement.getAttribute('aria-label')"))
    assert reached == names
    page.keyboard.press("Enter")   # on the last pin: the idea
    page.wait_for_url(f"**/ideas/{mapped['idea']}")


def test_the_list_of_the_map_works_when_the_map_script_does_not_load(live_server, chromium, mapped):
    context = chromium.new_context(java_script_enabled=False, viewport={"width": 375, "height": 800})
    page = context.new_page()
    try:
        page.goto(f"{live_server.url}/ideas/?view=map&lang=en")
        assert page.locator("#ideas-map svg.place-map-svg").is_visible()
        page.click(f"#ideas-map ol.map-list a[href='/ideas/{mapped['idea']}']")
        page.wait_for_url(f"**/ideas/{mapped['idea']}")
    finally:
        context.close()


@pytest.mark.parametrize("lang", ["nb", "en"])
def test_pages_with_a_map_have_no_axe_violations(live_server, page, mapped, lang):
    for path in _map_pages(mapped):
        page.goto(f"{live_server.url}{path}{'&' if '?' in path else '?'}lang={lang}")
        page.wait_for_selector(".map-live .leaflet-marker-icon")
        assert_accessible(page, f"{path} ({lang}, map)")
