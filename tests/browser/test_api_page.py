"""The API page for people: axe-clean in Bokmål, Nynorsk and English at phone width, with no script of its own."""
from __future__ import annotations

from tests.browser.test_accessibility import assert_accessible


def test_the_api_page_has_no_axe_violations_and_reads_without_scripts(live_server, page):
    for lang in ("nb", "nn", "en"):
        page.goto(f"{live_server.url}/open-data?lang={lang}")
        assert page.locator("html").get_attribute("lang") == lang
        assert page.locator("h2 code", has_text="GET /api/v1/ideas/{idea_id}").count() == 1
        assert page.locator("main script").count() == 0
        assert_accessible(page, f"/open-data ({lang})")
    page.goto(f"{live_server.url}/")
    page.locator(".site-footer a[href='/open-data']").click()
    assert page.url.endswith("/open-data")
