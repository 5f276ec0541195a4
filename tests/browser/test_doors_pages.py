"""The pages that open doors, axe-clean in Bokmål, Nynorsk and English at phone width: the feedback
way in and its code box, "Min side" with what one follows, a comment's edit and delete pages, the
plain page an unconfirmed account meets, and a moderator's view of an edited comment."""
from __future__ import annotations

import pytest

from tests.browser.test_accessibility import _login, assert_accessible
from tests.helpers import PASSWORD, make_comment, make_idea, make_organisation, make_user


@pytest.fixture(scope="module")
def doors(live_server):
    from app.accounts.models import User
    from app.extensions import db
    from app.follows import services as following
    from app.ideas import services as ideas
    from app.ideas.models import Comment
    from app.organisations.models import Organisation

    app = live_server.app
    resident = make_user(app, email="dorer.beboer@example.no")
    idea_id = make_idea(app, make_user(app))
    comment_id = make_comment(app, resident, idea_id, body="Først skrev jeg dette.")
    organisation_id = make_organisation(app, name="Naboklubben Dører")
    with app.test_request_context():
        user = db.session.get(User, resident.id)
        following.follow(db.session.get(Organisation, organisation_id), user)
        ideas.edit_comment(db.session.get(Comment, comment_id), user, "Så skrev jeg dette i stedet.")
        db.session.commit()
    return {"resident": resident, "idea": idea_id, "comment": comment_id,
            "unverified": make_user(app, role="unverified", email="dorer.ubekreftet@example.no"),
            "moderator": make_user(app, role="moderator", districts=("lademoen",), email="dorer.moderator@example.no")}


def _visit(page, base, path, lang):
    page.goto(f"{base}{path}{'&' if '?' in path else '?'}lang={lang}")
    assert_accessible(page, f"{path} ({lang})")


@pytest.mark.parametrize("lang", ["nb", "nn", "en"])
def test_the_feedback_way_in_has_no_axe_violations(live_server, page, lang):
    for path in ("/", "/feedback/", "/feedback/find?code=hei", "/feedback/ABCD-EFGH-JKLM", "/districts/lademoen/feedback"):
        _visit(page, live_server.url, path, lang)


@pytest.mark.parametrize("lang", ["nb", "nn", "en"])
def test_my_page_and_my_comment_pages_have_no_axe_violations(live_server, page, doors, lang):
    _login(page, live_server, doors["resident"].email)
    for path in ("/account/", f"/ideas/{doors['idea']}", f"/ideas/comments/{doors['comment']}/edit",
                 f"/ideas/comments/{doors['comment']}/delete"):
        _visit(page, live_server.url, path, lang)


@pytest.mark.parametrize("lang", ["nb", "nn", "en"])
def test_the_unconfirmed_accounts_page_has_no_axe_violations(live_server, page, doors, lang):
    page.goto(f"{live_server.url}/account/login")
    page.fill("#email", doors["unverified"].email)
    page.fill("#password", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url(lambda url: "/account/login" not in url)
    for path in ("/ideas/new", f"/ideas/{doors['idea']}"):
        _visit(page, live_server.url, path, lang)


@pytest.mark.parametrize("lang", ["nb", "en"])
def test_the_moderators_view_of_an_edited_comment_has_no_axe_violations(live_server, page, doors, lang):
    _login(page, live_server, doors["moderator"].email)
    page.goto(f"{live_server.url}/moderation/items/comment/{doors['comment']}?lang={lang}")
    page.click("details.earlier-texts summary")
    assert_accessible(page, f"moderation item of an edited comment ({lang})")
