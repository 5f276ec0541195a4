""""Which district do I live in?" in Chromium, with the stand-in address register: typed on the home page with
and without JavaScript, answered with the district; the page with an answer, with an address outside the
districts and with the register away has no axe violations in Bokmål or English."""
from __future__ import annotations

import pytest

from tests.browser.test_accessibility import assert_accessible


def test_a_visitor_finds_their_district_from_the_home_page_with_and_without_javascript(live_server, page, chromium):
    page.goto(f"{live_server.url}/?lang=en")
    page.fill("#address", "Rosenborggata 5")
    page.click(".find-box button[type=submit]")
    page.wait_for_url("**/districts/find?*")
    assert " ".join(page.locator(".found-places li").text_content().split()) == (
        "Rosenborggata 5, 7014 Trondheim. District: Møllenberg")
    page.click(".found-places a")
    page.wait_for_url("**/districts/mollenberg")

    context = chromium.new_context(java_script_enabled=False, viewport={"width": 375, "height": 800})
    plain = context.new_page()
    try:
        plain.goto(f"{live_server.url}/districts/?lang=nb")
        plain.fill("#address", "Valøyvegen 10")
        plain.click(".find-box button[type=submit]")
        assert "Bydel: Tempe-Sorgenfri" in " ".join(plain.locator(".found-places").text_content().split())
        assert plain.locator("svg.place-map-svg .marker-number").text_content() == "1"
    finally:
        context.close()


@pytest.mark.parametrize("lang", ["nb", "en"])
def test_the_answers_have_no_axe_violations(live_server, page, lang):
    for address in ("Innherredsveien", "Munkegata 1", "Finnesikkeveien 9"):
        page.goto(f"{live_server.url}/districts/find?address={address}&lang={lang}")
        assert_accessible(page, f"/districts/find for {address} ({lang})")
    page.goto(f"{live_server.url}/districts/find?address=&lang={lang}")
    assert_accessible(page, f"/districts/find with nothing typed ({lang})")


def test_with_the_register_away_the_page_offers_the_districts_and_has_no_axe_violations(live_server, page):
    app = live_server.app
    app.config["GEOCODER_URL"] = "http://127.0.0.1:9/adresser/v1/"   # nothing listens there
    try:
        page.goto(f"{live_server.url}/districts/find?address=Mellomveien+18&lang=en")
        assert "not answering just now" in page.locator("#address-error").text_content()
        assert page.locator("#all-districts-title + ul a").count() == 3
        assert_accessible(page, "/districts/find with the register away (en)")
    finally:
        app.config["GEOCODER_URL"] = "fixture:"
