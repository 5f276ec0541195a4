"""A moderator with a resident on the phone finds the item, marks it urgent and sees it first in the queue."""
from __future__ import annotations

from datetime import timedelta

import pytest

from app.core.db import utcnow
from app.extensions import db
from tests.browser.test_accessibility import _login, assert_accessible
from tests.helpers import make_idea, make_user


@pytest.fixture(scope="module")
def queue(live_server):
    """Older ideas ahead of a feedback item with a receipt code, all waiting in Lademoen."""
    from app.districts.services import get_district
    from app.feedback import services as feedback
    from app.submissions.models import Submission

    app = live_server.app
    author = make_user(app)
    older = [make_idea(app, author, title=f"Benker ved stien nummer {n}",
                       body="Det trengs flere benker langs stien ved elva.") for n in range(3)]
    with app.test_request_context():
        for number, item_id in enumerate(older):
            db.session.get(Submission, item_id).created_at = utcnow() - timedelta(days=10 - number)
        sent = feedback.submit_feedback(get_district("lademoen"), "Søppelkassene ved Rosenborg skole flyter over hver helg.",
                                        {"safety": 3}, None, None, None, None, False, "127.0.0.9")
        alarming = feedback.submit_feedback(get_district("lademoen"), "Heisen i blokk B sitter fast med folk inne, det haster!",
                                            {"safety": 1}, None, None, None, None, False, "127.0.0.10")
        db.session.commit()
        ids = {"feedback": sent.id, "code": sent.receipt_code, "alarming": alarming.id, "older": older}
    moderator = make_user(app, role="moderator", districts=("lademoen",))
    return ids | {"moderator": moderator.email}


def _rows(page) -> list[str]:
    return page.locator("table.queue tbody tr").all_inner_texts()


def test_a_moderator_finds_an_item_by_its_receipt_code_and_by_a_word(live_server, page, queue):
    _login(page, live_server, queue["moderator"])
    page.goto(f"{live_server.url}/moderation/?lang=en")
    # The code as a resident reads it out on the phone: small letters, spaces instead of dashes.
    page.get_by_label("Find an item").fill(queue["code"].lower().replace("-", " "))
    page.get_by_role("button", name="Find", exact=True).click()
    page.wait_for_url("**/moderation/?**q=**")
    rows = _rows(page)
    assert len(rows) == 1 and "Søppelkassene ved Rosenborg" in rows[0]
    page.get_by_label("Find an item").fill("rosenborg")
    page.get_by_label("Find an item").press("Enter")
    page.wait_for_url("**q=rosenborg**")
    rows = _rows(page)
    assert len(rows) == 1 and "Søppelkassene ved Rosenborg" in rows[0]
    assert_accessible(page, "/moderation/?q=rosenborg (en)")
    page.get_by_role("link", name="Show all again").click()
    assert len(_rows(page)) >= 5


def test_a_moderator_marks_an_item_urgent_and_sees_it_first(live_server, page, queue):
    _login(page, live_server, queue["moderator"])
    page.goto(f"{live_server.url}/moderation/?lang=en")
    first = _rows(page)[0]
    assert "Benker ved stien nummer 0" in first and "Urgent" not in first
    # A text that looks urgent is only suggested: its row says so, and nothing is marked yet.
    alarming = page.locator("table.queue tbody tr", has_text="Heisen i blokk B")
    assert "May be urgent" in alarming.inner_text()
    assert_accessible(page, "/moderation/ with a suggestion (en)")

    page.get_by_role("link", name="Søppelkassene ved Rosenborg").click()
    page.get_by_role("button", name="Mark as urgent").click()
    page.wait_for_selector("text=Marked as urgent. It comes first in the queue.")
    page.get_by_role("link", name="Back to the queue").click()
    first = _rows(page)[0]
    assert "Søppelkassene ved Rosenborg" in first and "Urgent" in first
    page.get_by_role("link", name="Newest first").click()
    assert "Søppelkassene ved Rosenborg" in _rows(page)[0]

    # The one-tap button on the suggested row marks it and stays on the queue.
    page.goto(f"{live_server.url}/moderation/?lang=en")
    page.locator("table.queue tbody tr", has_text="Heisen i blokk B").get_by_role("button", name="Mark as urgent").click()
    page.wait_for_url("**/moderation/?lang=en")
    rows = _rows(page)
    assert "Søppelkassene ved Rosenborg" in rows[0] and "Heisen i blokk B" in rows[1] and "Urgent" in rows[1]
    page.goto(f"{live_server.url}/moderation/?lang=nb")
    assert_accessible(page, "/moderation/ with urgent items (nb)")


def test_on_a_phone_each_queue_row_says_how_long_it_has_waited_without_scrolling_sideways(live_server, page, queue):
    _login(page, live_server, queue["moderator"])
    page.set_viewport_size({"width": 375, "height": 812})
    page.goto(f"{live_server.url}/moderation/?lang=en")
    wrap = page.locator(".table-wrap")
    assert wrap.evaluate("w => w.scrollWidth - w.clientWidth") <= 0
    row = page.locator("table.queue tbody tr", has_text="Søppelkassene ved Rosenborg")
    assert row.get_by_text("Waiting since:").is_visible() and row.get_by_text("District:").is_visible()
    box, width = row.get_by_text("Waiting since:").bounding_box(), page.viewport_size["width"]
    assert box is not None and box["x"] + box["width"] <= width
    # On a wide screen the column headings say it, so the rows do not repeat it.
    page.set_viewport_size({"width": 1280, "height": 900})
    assert not row.get_by_text("Waiting since:").is_visible()
