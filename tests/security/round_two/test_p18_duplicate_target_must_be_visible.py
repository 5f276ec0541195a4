"""A moderator cannot point a duplicate at an idea they cannot see.

The tester, moderator of Lademoen only, marked an idea there as the same as an idea in Møllenberg
still waiting for approval (and one withdrawn by its author): the public idea page then linked to
it. The target must pass the same check as opening the idea's page; an idea the moderator cannot
see is answered like one that does not exist.
"""
from __future__ import annotations

from app.core.db import utcnow
from app.extensions import db
from app.ideas.models import Idea
from tests.helpers import Browser, make_idea, make_user, soup


def _duplicate(client, item_id, original_id):
    page = f"/moderation/items/idea/{item_id}"
    return client.submit(page, {"duplicate-original": str(original_id)}, action=f"{page}/duplicate")


def test_a_moderator_cannot_mark_a_duplicate_of_an_idea_they_cannot_see(app, client, login_as):
    client.get("/?lang=en")
    login_as("moderator", districts=("lademoen",))
    author = make_user(app)
    mine = make_idea(app, author, title="Lys i undergangen")
    held = make_idea(app, make_user(app), district="mollenberg", title="Hemmelig venter", held_at=utcnow())
    withdrawn = make_idea(app, make_user(app), district="mollenberg", title="Trukket tilbake", withdrawn_at=utcnow())
    visible = make_idea(app, make_user(app), district="mollenberg", title="Synlig på Møllenberg")
    for unseen in (held, withdrawn):
        assert Browser(app).get(f"/ideas/{unseen}").status_code == 404
        refused = _duplicate(client, mine, unseen)
        assert refused.status_code == 400
        assert "Give the number of another idea" in soup(refused).find(id="duplicate-original-error").get_text()
        with app.app_context():
            assert db.session.get(Idea, mine).duplicate_of_id is None
    assert _duplicate(client, mine, 999999).status_code == 400   # answered the same as a missing idea
    assert _duplicate(client, mine, visible).status_code == 302
    with app.app_context():
        assert db.session.get(Idea, mine).duplicate_of_id == visible
