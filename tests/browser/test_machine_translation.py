"""What people wrote, and its machine translation, read in a browser: the offer, the mark and the way back
work by keyboard, pass axe, and fit a phone, also on an Arabic page (the offline translation stand-in)."""
from __future__ import annotations

import pytest

from app import create_app
from app.extensions import db
from tests.browser.conftest import LiveServer
from tests.browser.test_accessibility import assert_accessible
from tests.helpers import create_schema, make_comment, make_idea, make_user

POLISH = "Zgadzam się. Mieszkam tu od pięciu lat i wieczorem naprawdę boję się tamtędy chodzić z dziećmi."


@pytest.fixture(scope="module")
def translating_server(tmp_path_factory):
    path = tmp_path_factory.mktemp("live-translation") / "medvirk.sqlite3"
    app = create_app("testing", {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{path}", "TRANSLATE_URL": "fixture:"})
    with app.app_context():
        create_schema()
        from app.districts.seed_data import DISTRICTS, EFFORT_AREAS
        from app.districts.services import seed

        seed(DISTRICTS, EFFORT_AREAS)
        db.session.commit()
    server = LiveServer(app).start()
    author = make_user(app, display_name="Marta")
    idea = make_idea(app, author, "lademoen", "Mer lys på gangveien bak kirka",
                     "Om vinteren er det bekmørkt på gangveien bak kirka fra klokka fire, og mange går heller omveien.")
    make_comment(app, author, idea, POLISH)
    server.idea = idea
    yield server
    server.stop()
    with app.app_context():
        db.engine.dispose()


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_showing_a_translation_and_going_back_by_keyboard(translating_server, page, lang):
    page.set_viewport_size({"width": 320, "height": 800})
    page.goto(f"{translating_server.url}/ideas/{translating_server.idea}?lang={lang}")
    assert page.get_attribute("h1", "lang") == "nb" and page.get_attribute("h1", "dir") == "ltr"
    assert_accessible(page, f"idea with a translation offered ({lang})")
    page.focus(".translation-bar a")
    page.keyboard.press("Enter")
    page.wait_for_selector(".machine-translated")
    assert page.inner_text("h1").startswith(f"[{lang}] ")
    assert page.get_attribute("h1", "dir") == ("rtl" if lang == "ar" else "ltr")
    assert_accessible(page, f"idea translated ({lang})")
    page.focus(".translation-bar a")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "translate=" not in page.url and page.inner_text("h1") == "Mer lys på gangveien bak kirka"


def test_the_language_choice_is_folded_away_and_opens_by_keyboard(translating_server, page):
    from tests.browser.test_accessibility import _login

    _login(page, translating_server, make_user(translating_server.app).email)
    page.goto(f"{translating_server.url}/ideas/{translating_server.idea}?lang=nb")
    select = page.locator("form select[name=language]")
    assert not select.is_visible()
    page.focus("details.text-language > summary")
    page.keyboard.press("Enter")
    assert select.is_visible()
    assert_accessible(page, "comment form with the language choice open")


@pytest.mark.parametrize("lang", ["ar", "pl"])
def test_every_show_translation_link_is_a_full_tap_target_on_a_phone(translating_server, page, lang):
    from tests.browser.test_phone_layouts import _small_targets

    page.set_viewport_size({"width": 375, "height": 812})
    page.goto(f"{translating_server.url}/ideas/{translating_server.idea}?lang={lang}")
    assert page.locator(".translate-link a").count() >= 1
    assert not _small_targets(page)
