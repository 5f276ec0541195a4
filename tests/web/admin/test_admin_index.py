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


def test_front_page_says_how_the_last_days_mail_went_and_links_to_the_failed(app, client, login_as):
    from datetime import timedelta

    from app.core.db import utcnow
    from app.core.models import OutboxMessage
    from app.extensions import db

    login_as("admin", two_factor=True)
    now = utcnow()

    def message(status, hours_ago):
        return OutboxMessage(recipient="x@example.no", locale="nb", template="verify_email", subject="S", body="B",
                             headers={}, status=status, created_at=now - timedelta(hours=hours_ago))

    with app.app_context():
        db.session.add_all([message("sent", 2), message("sent", 9), message("failed", 5), message("queued", 1),
                            message("failed", 30), message("sent", 48)])   # the last two are older than a day
        db.session.commit()
    summary = soup(client.get("/admin/?lang=en")).find("ul", class_="mail-summary")
    assert [li.get_text(strip=True) for li in summary.find_all("li")] == ["2 sent", "1 not yet sent", "1 failed"]
    assert summary.find("a")["href"] == "/admin/mail?status=failed"
