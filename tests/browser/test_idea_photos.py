"""A resident adds a photo to an idea by keyboard on a 375 px phone, with its description; the form and the
idea page have no axe violations in Bokmål or English, and an idea page with three photos stays within the
page budget (HTML and CSS, the photos not counted) and leaves its photos to load lazily."""
from __future__ import annotations

from pathlib import Path

import pytest

from tests.browser.test_accessibility import _login, assert_accessible
from tests.helpers import make_idea, make_user
from tests.photo_samples import make_photo, phone_jpeg

BODY = "Benken ved lekeplassen er knekt, og barna klatrer på den når de venter på bussen."


@pytest.fixture(scope="module")
def resident(live_server):
    return make_user(live_server.app, email="bilde.beboer@example.no", display_name="Bilde Beboer")


def _tab_to(page, selector: str, limit: int = 60) -> None:
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("(s) => document.activeElement === document.querySelector(s)", selector):
            return
    raise AssertionError(f"Tab never reached {selector}")


def test_a_resident_adds_a_described_photo_to_an_idea_by_keyboard_on_a_phone(live_server, page, resident, tmp_path):
    photo = Path(tmp_path) / "benk.jpg"
    photo.write_bytes(phone_jpeg())
    _login(page, live_server, resident.email)
    page.goto(f"{live_server.url}/ideas/new?district=lademoen&lang=nb")
    _tab_to(page, "#title")
    page.keyboard.type("Ny benk ved lekeplassen")
    _tab_to(page, "#body")
    page.keyboard.type(BODY)
    _tab_to(page, "button[name=preview]")
    page.keyboard.press("Enter")
    page.wait_for_selector(".preview")
    assert_accessible(page, "the idea's preview with the photo fields (nb)")

    _tab_to(page, "#photos-0-file")
    page.set_input_files("#photos-0-file", str(photo))   # the file chooser itself is the phone's own
    _tab_to(page, "#photos-0-alt_text")
    page.keyboard.type("Den knekte benken ved sandkassen")
    _tab_to(page, "button[name=publish]")
    page.keyboard.press("Enter")
    page.wait_for_selector("ul.photos img")
    img = page.locator("ul.photos img")
    assert img.get_attribute("alt") == "Den knekte benken ved sandkassen"
    assert img.get_attribute("loading") == "lazy"
    for lang in ("nb", "en"):
        page.goto(f"{page.url.split('?')[0]}?lang={lang}")
        assert_accessible(page, f"the idea page with a photo ({lang})")


def test_an_idea_page_with_three_photos_stays_within_the_budget_and_loads_them_lazily(live_server, page):
    app = live_server.app
    author = make_user(app)
    idea_id = make_idea(app, author, body=BODY)
    for n in range(3):
        make_photo(app, idea_id=idea_id, by_id=author.id, alt_text=f"Bilde {n + 1} av benken")
    response = page.goto(f"{live_server.url}/ideas/{idea_id}?lang=en")
    html = len(response.body())
    css = sum(len(page.request.get(f"{live_server.url}{href}").body())
              for href in page.eval_on_selector_all("link[rel=stylesheet]", "links => links.map(l => l.getAttribute('href'))"))
    assert html + css < 50_000, (html, css)
    images = page.locator("ul.photos img")
    assert images.count() == 3
    for n in range(3):
        assert images.nth(n).get_attribute("loading") == "lazy"
        assert images.nth(n).get_attribute("width") and images.nth(n).get_attribute("height")
    assert_accessible(page, "an idea page with three photos (en)")
