"""Publishing an idea in Chromium just as the database goes away (through the proxy of
tests/faults/proxy.py): the error page keeps what was written, has no axe violations, and its
"Send again" button publishes the idea once the database is back."""
from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.ideas.models import Idea
from tests.browser.conftest import LiveServer
from tests.browser.test_accessibility import _login, assert_accessible
from tests.faults.proxy import url_through
from tests.helpers import make_user

TITLE = "Drikkefontene ved ballbingen"
BODY = "Om sommeren er det langt å gå for vann.\nEn drikkefontene ved ballbingen hadde hjulpet <mange>."


@pytest.fixture
def live_server(proxy, app_factory):
    server = LiveServer(app_factory(SQLALCHEMY_DATABASE_URI=url_through(proxy))).start()
    yield server
    proxy.restore()
    server.stop()


@pytest.mark.parametrize("lang", ["nb", "en"])
def test_an_idea_sent_during_an_outage_is_kept_on_an_accessible_page_and_sent_again(live_server, proxy, page, lang):
    app = live_server.app
    _login(page, live_server, make_user(app, locale=lang).email)
    page.goto(f"{live_server.url}/ideas/new?district=lademoen&lang={lang}")
    page.fill("#title", TITLE)
    page.fill("#body", BODY)
    page.click("main button[name=preview]")
    page.wait_for_selector(".preview")

    proxy.cut()
    with page.expect_response(lambda response: response.request.method == "POST") as sent:
        page.click("main button[name=publish]")
    assert sent.value.status == 503
    assert page.locator("html").get_attribute("lang") == lang
    kept = page.locator("main form[action='/ideas/new']")
    assert kept.locator("textarea[name=body]").input_value() == BODY
    assert kept.locator("input[name=title]").input_value() == TITLE
    assert_accessible(page, f"503 with the idea given back ({lang})")

    proxy.restore()
    kept.locator("button[type=submit]").click()
    page.wait_for_url(re.compile(r"/ideas/\d+$"))
    assert page.locator("h1").inner_text() == TITLE
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Idea).where(Idea.title == TITLE)) == 1
