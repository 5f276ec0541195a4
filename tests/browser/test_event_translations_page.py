"""The page where organisers write an event's title and description in other languages, read in Arabic on a
phone: axe-clean, nothing to scroll sideways at 320 px, with errors too; and what they write is shown."""
from __future__ import annotations

import pytest

from tests.browser.test_accessibility import _login, assert_accessible
from tests.browser.test_phone_layouts import site  # noqa: F401  (fixture)

pytestmark = pytest.mark.browser
PHONE = {"width": 375, "height": 800}


def test_the_translations_page_in_arabic_on_a_phone(chromium, live_server, site):  # noqa: F811
    context = chromium.new_context(viewport=PHONE)
    page = context.new_page()
    try:
        _login(page, live_server, site["organiser"])
        path = f"{live_server.url}/events/{site['event']}/translations?lang=ar"
        page.goto(path)
        assert page.locator("html").get_attribute("dir") == "rtl"
        assert_accessible(page, "translations page (ar)")

        page.click("main form button[type=submit]")   # no title
        page.wait_for_selector(".error-summary")
        assert_accessible(page, "translations page with errors (ar)")

        page.select_option("#language", "ar")
        page.fill("#title", "مقهى اللغة")
        page.fill("#description", "نتحدث النرويجية في مجموعات صغيرة.")
        page.click("main form button[type=submit]")
        page.wait_for_url(lambda url: "/translations" in url)
        assert_accessible(page, "translations page with a version (ar)")

        page.goto(f"{live_server.url}/events/{site['event']}?lang=ar")
        title = page.locator("main h1")
        assert title.inner_text() == "مقهى اللغة" and title.get_attribute("lang") == "ar"
    finally:
        context.close()
