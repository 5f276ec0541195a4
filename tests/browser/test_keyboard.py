"""Signing up and logging in with the keyboard alone."""
from __future__ import annotations

from urllib.parse import urlsplit

from tests.helpers import PASSWORD, link_in, outbox


def tab_to(page, selector: str, limit: int = 40) -> None:
    """Press Tab until the element matching ``selector`` has focus, as a keyboard user would."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("(s) => document.activeElement && document.activeElement.matches(s)", selector):
            return
    raise AssertionError(f"could not reach {selector} with Tab")


def staff_log_in_by_keyboard(page, live_server, email: str, lang: str) -> None:
    """A member of staff logs in with the keyboard alone: address, password, then the authenticator's code."""
    from tests.helpers import totp_code

    page.goto(f"{live_server.url}/account/login?lang={lang}")
    tab_to(page, "#email")
    page.keyboard.type(email)
    page.keyboard.press("Tab")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url("**/account/two-factor?**")
    tab_to(page, "#code")
    page.keyboard.type(totp_code(live_server.app, email))
    page.keyboard.press("Enter")
    page.wait_for_url(lambda url: not urlsplit(url).path.startswith(("/account/login", "/account/two-factor")))


def test_sign_up_and_log_in_by_keyboard_alone(live_server, page):
    page.goto(f"{live_server.url}/?lang=en")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.classList.contains('skip-link')")
    tab_to(page, "a[href='/account/register']")
    page.keyboard.press("Enter")
    page.wait_for_url("**/account/register")

    tab_to(page, "#email")
    page.keyboard.type("tastatur@example.no")
    page.keyboard.press("Tab")
    page.keyboard.type("Tastatur")
    page.keyboard.press("Tab")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url("**/account/register/sent")

    verify = link_in(outbox(live_server.app, "tastatur@example.no")[-1], "/account/verify/")
    page.goto(f"{live_server.url}{verify}")
    page.wait_for_url("**/account/login")

    tab_to(page, "#email")
    page.keyboard.type("tastatur@example.no")
    page.keyboard.press("Tab")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url("**/account/")
    assert "Tastatur" in page.inner_text("main")

    # Focus is visible: the focused control has an outline.
    tab_to(page, "main button[type=submit]")
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline not in ("none", "")


def test_a_moderator_routes_an_idea_by_keyboard_alone(live_server, page):
    from app.extensions import db
    from app.ideas.models import Idea
    from tests.helpers import make_idea, make_user

    app = live_server.app
    idea_id = make_idea(app, make_user(app), title="Tastaturidé om gatelys",
                        body="Det trengs gatelys langs stien til skolen, den er mørk om vinteren.")
    moderator = make_user(app, role="moderator", districts=("lademoen",))
    staff_log_in_by_keyboard(page, live_server, moderator.email, "en")
    page.goto(f"{live_server.url}/moderation/?kind=idea&lang=en")
    tab_to(page, f"a[href='/moderation/items/idea/{idea_id}']", limit=80)
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/moderation/items/idea/{idea_id}")
    tab_to(page, "#route-area", limit=80)
    page.keyboard.type("3")  # jumps to the option starting with 3
    assert page.evaluate("document.querySelector('#route-area').value") == "3"
    tab_to(page, "form[action$='/route'] button[type=submit]", limit=40)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    with app.app_context():
        idea = db.session.get(Idea, idea_id)
        assert idea.status == "routed" and idea.effort_area.number == 3
