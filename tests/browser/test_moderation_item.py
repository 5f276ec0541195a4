"""The moderation item page by keyboard: "Bruk forslaget" routes in one press."""
from __future__ import annotations

from tests.browser.test_keyboard import staff_log_in_by_keyboard, tab_to


def test_a_moderator_routes_with_bruk_forslaget_by_keyboard_alone(live_server, page):
    from app.extensions import db
    from app.ideas.models import Idea
    from tests.helpers import make_idea, make_user

    app = live_server.app
    idea_id = make_idea(app, make_user(app), title="Møteplass for naboene",
                        body="Vi trenger en sosial møteplass i nærmiljøet, et sted der naboene kan treffes om kvelden.")
    moderator = make_user(app, role="moderator", districts=("lademoen",))
    staff_log_in_by_keyboard(page, live_server, moderator.email, "nb")
    page.goto(f"{live_server.url}/moderation/?kind=idea")
    tab_to(page, f"a[href='/moderation/items/idea/{idea_id}']", limit=80)
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/moderation/items/idea/{idea_id}")
    # The proposal's button comes before every form of the next step.
    tab_to(page, ".next-step button", limit=60)
    assert page.evaluate("document.activeElement.textContent.trim()") == "Bruk forslaget"
    with page.expect_navigation():
        page.keyboard.press("Enter")
    with app.app_context():
        idea = db.session.get(Idea, idea_id)
        assert idea.status == "routed" and idea.effort_area.number == 3
        assert [theme.slug for theme in idea.sub_themes] == ["social-meeting-places"]
