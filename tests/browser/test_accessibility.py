"""Every page, in Bokmål and English at phone width: no axe violations, no sideways scrolling."""
from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe

from app.accounts import services
from app.accounts.models import User
from app.extensions import db
from tests.helpers import PASSWORD, make_user

WCAG_21_AA = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}
PUBLIC_PAGES = [
    "/", "/districts/", "/districts/lademoen", "/districts/tempe-sorgenfri", "/districts/mollenberg",
    "/effort-areas/1", "/effort-areas/2", "/effort-areas/3", "/effort-areas/4",
    "/privacy", "/accessibility", "/house-rules",
    "/account/register", "/account/register/sent", "/account/login", "/account/reset", "/account/reset/sent",
    "/account/verify/not-a-valid-link", "/no-such-page",
]
_axe = Axe()


def assert_accessible(page, label: str) -> None:
    results = _axe.run(page, options=WCAG_21_AA)
    assert results.violations_count == 0, f"{label}:\n{results.generate_report()}"
    page.set_viewport_size({"width": 320, "height": 800})
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    page.set_viewport_size({"width": 375, "height": 800})
    assert overflow <= 0, f"{label}: scrolls sideways by {overflow}px at 320px"


@pytest.mark.parametrize("lang", ["nb", "en"])
@pytest.mark.parametrize("path", PUBLIC_PAGES)
def test_public_pages_have_no_axe_violations(live_server, page, path, lang):
    page.goto(f"{live_server.url}{path}?lang={lang}")
    assert page.locator("html").get_attribute("lang") == lang
    assert_accessible(page, f"{path} ({lang})")


def _login(page, live_server, email):
    page.goto(f"{live_server.url}/account/login")
    page.fill("#email", email)
    page.fill("#password", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url("**/account/")


@pytest.mark.parametrize("lang", ["nb", "en"])
def test_pages_for_people_with_an_account_have_no_axe_violations(live_server, page, lang):
    app = live_server.app
    user = make_user(app, role="moderator", locale=lang)
    with app.test_request_context():
        stored = db.session.get(User, user.id)
        reset = services.reset_token(stored)
        unsubscribe = services.unsubscribe_url(stored, "idea_updates").split("/account/")[1]
    for path in (f"/account/reset/{reset}", f"/account/{unsubscribe}"):
        page.goto(f"{live_server.url}{path}?lang={lang}")
        assert_accessible(page, f"{path} ({lang})")
    _login(page, live_server, user.email)
    page.goto(f"{live_server.url}/account/?lang={lang}")
    assert_accessible(page, f"/account/ ({lang})")


def test_form_with_errors_has_no_axe_violations(live_server, page):
    page.goto(f"{live_server.url}/account/register?lang=en")
    page.fill("#email", "not-an-address")
    page.click("main button[type=submit]")
    summary = page.locator(".error-summary")
    assert summary.is_visible()
    # app.js moves focus to the summary once the page has loaded
    page.wait_for_function("document.activeElement && document.activeElement.classList.contains('error-summary')",
                           timeout=5000)
    assert page.locator("#email").get_attribute("aria-invalid") == "true"
    assert_accessible(page, "register with errors")


def test_the_axe_check_does_find_violations(page):
    """Guards the harness: a page with an unlabelled field and no language must fail."""
    page.set_content("<html><body><main><input type='text'><img src='x.png'></main></body></html>")
    assert _axe.run(page, options=WCAG_21_AA).violations_count > 0
