"""Posters and sharing in the browser: axe-clean in Bokmål, Nynorsk and English at phone width,
one A4 page when printed, and the share button that share.js adds where the browser can use it."""
from __future__ import annotations

import re

import pytest

from app.extensions import db
from tests.browser.test_accessibility import assert_accessible
from tests.helpers import make_event, make_organisation


@pytest.fixture(scope="module")
def places(live_server):
    from app.districts.services import get_district
    from app.meeting_places.models import MeetingPlace

    app = live_server.app
    with app.app_context():
        place = MeetingPlace(district_id=get_district("tempe-sorgenfri").id, name="Tempe bydelshus",
                             address="Tempeveien 22", opening_hours="Tirsdag 17–21",
                             description_html="<p>Lekser, kaffe og <strong>strikking</strong>.</p>")
        db.session.add(place)
        db.session.commit()
        place_id = place.id
    organisation = make_organisation(app, districts=("tempe-sorgenfri",), name="Tempe vel")
    event_id = make_event(app, organisation, district="tempe-sorgenfri", title="Leksehjelp for alle",
                          meeting_place_id=place_id)
    return {"event": event_id, "place": place_id}


@pytest.mark.parametrize("lang", ["nb", "nn", "en"])
def test_posters_have_no_axe_violations(live_server, page, places, lang):
    for path in (f"/events/{places['event']}/poster", f"/meeting-places/{places['place']}/poster",
                 "/districts/tempe-sorgenfri/poster", f"/events/{places['event']}", f"/meeting-places/{places['place']}"):
        page.goto(f"{live_server.url}{path}?lang={lang}")
        assert_accessible(page, f"{path} ({lang})")


def test_an_event_poster_prints_on_one_a4_page_without_the_screen_tools(live_server, page, places):
    page.goto(f"{live_server.url}/events/{places['event']}/poster?lang=nb")
    assert page.locator("button[data-print]").is_visible()   # share.js offers to print
    page.emulate_media(media="print")
    assert not page.locator(".poster-tools").is_visible()
    pdf = page.pdf(prefer_css_page_size=True, print_background=True)
    assert len(re.findall(rb"/Type\s*/Page[^s]", pdf)) == 1


def test_the_share_button_copies_the_link_where_there_is_no_share_sheet(live_server, chromium, places):
    context = chromium.new_context(viewport={"width": 375, "height": 800})
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server.url)
    page = context.new_page()
    try:
        page.goto(f"{live_server.url}/events/{places['event']}?lang=en")
        assert page.evaluate("typeof navigator.share") == "undefined"   # as in desktop Chromium on Linux
        button = page.locator("[data-share] button")
        assert button.is_visible() and button.inner_text() == "Copy the link"
        button.click()
        page.wait_for_selector("[data-share-status]:has-text('The link is copied.')")
        url = page.locator("[data-share] input").input_value()
        assert page.evaluate("navigator.clipboard.readText()") == url
        assert url.endswith(f"/events/{places['event']}")
    finally:
        context.close()


def test_the_share_button_opens_the_share_sheet_where_the_browser_has_one(live_server, chromium, places):
    context = chromium.new_context(viewport={"width": 375, "height": 800})
    # A phone's browser has navigator.share; this one is given a stand-in that records what it was asked.
    context.add_init_script("navigator.share = function (data) { window.shared = data; return Promise.resolve(); };")
    page = context.new_page()
    try:
        page.goto(f"{live_server.url}/meeting-places/{places['place']}?lang=en")
        button = page.locator("[data-share] button")
        assert button.inner_text() == "Share"
        button.click()
        shared = page.evaluate("window.shared")
        assert shared["title"] == "Tempe bydelshus" and shared["url"].endswith(f"/meeting-places/{places['place']}")
    finally:
        context.close()
