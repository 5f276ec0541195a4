"""The administration's front page and menu, and where the menu shows."""
from __future__ import annotations

from tests.helpers import soup


def test_admin_front_page_lists_every_section_and_the_audit_log(app, client, login_as):
    login_as("admin", two_factor=True)
    page = soup(client.get("/admin/"))
    section_menu = page.select_one("nav.admin-sections")
    links = [a["href"] for a in section_menu.select("a")]
    assert links[0] == "/admin/"
    assert "/moderation/audit" in links
    assert page.select_one("nav.admin-sections a[aria-current=page]")["href"] == "/admin/"
    assert page.select_one("nav.main-nav a[href=\"/admin/\"]") is not None


def test_main_menu_offers_administration_to_admins_only(app, client, login_as):
    login_as("moderator", two_factor=True, districts=("lademoen",))
    page = soup(client.get("/moderation/"))
    assert page.select_one("nav.main-nav a[href=\"/moderation/\"]") is not None
    assert page.find("a", href="/admin/") is None
