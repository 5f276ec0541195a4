"""Residents change and delete their own comments: "edited" is shown, a deleted comment leaves the
thread, and the moderators keep what was written before (the earlier texts and the audit trail)."""
from __future__ import annotations

from datetime import datetime, timezone

import pytest

from app.core.db import utcnow
from app.core.models import AuditEntry
from app.extensions import db
from app.ideas.models import Comment, CommentRevision
from tests.helpers import Browser, make_comment, make_idea, make_user, soup

FIRST = "Benkene bør stå i skyggen."
SECOND = "Benkene bør stå i skyggen, og ha ryggstø."


def _comment(app, comment_id) -> Comment:
    with app.app_context():
        comment = db.session.get(Comment, comment_id)
        db.session.expunge(comment)
        return comment


def _world(app, login_as, client):
    me = login_as("resident")
    idea_id = make_idea(app, make_user(app))
    return me, idea_id, make_comment(app, me, idea_id, body=FIRST)


def test_the_author_edits_a_comment_it_shows_edited_and_the_earlier_text_is_kept(app, client, login_as):
    me, idea_id, comment_id = _world(app, login_as, client)
    page = soup(client.get(f"/ideas/{idea_id}"))
    edit = page.select_one(f"#comment-{comment_id} a[href='/ideas/comments/{comment_id}/edit']")
    assert edit.get_text(" ", strip=True) == "Endre kommentaren din"
    form = client.get(f"/ideas/comments/{comment_id}/edit")
    assert soup(form).select_one("textarea[name=body]").get_text().strip() == FIRST

    response = client.submit(f"/ideas/comments/{comment_id}/edit", {"body": SECOND})
    assert response.status_code == 302 and response.headers["Location"].endswith(f"#comment-{comment_id}")
    shown = soup(client.get(f"/ideas/{idea_id}")).select_one(f"#comment-{comment_id}")
    assert SECOND in shown.get_text() and FIRST + "\n" not in shown.get_text()
    assert shown.select_one(".edited").get_text(strip=True) == "endret"
    with app.app_context():
        assert [r.body for r in db.session.scalars(db.select(CommentRevision))] == [FIRST]
        entry = db.session.scalar(db.select(AuditEntry).where(AuditEntry.action == "comment.edit"))
        assert entry.actor_id == me.id and entry.target_id == str(comment_id)
        assert FIRST not in str(entry.changes)   # the audit log holds no text; the revision does


def test_a_comments_time_is_written_like_the_other_dates_on_the_site(app, client, login_as):
    _, idea_id, comment_id = _world(app, login_as, client)
    with app.app_context():
        db.session.get(Comment, comment_id).created_at = datetime(2026, 12, 6, 16, 43, tzinfo=timezone.utc)
        db.session.commit()
    shown = soup(client.get(f"/ideas/{idea_id}")).select_one(f"#comment-{comment_id} time")
    assert shown.get_text(strip=True) == "6. desember 2026, 17:43"


def test_saving_the_same_text_changes_nothing(app, client, login_as):
    _, _, comment_id = _world(app, login_as, client)
    client.submit(f"/ideas/comments/{comment_id}/edit", {"body": FIRST})
    assert _comment(app, comment_id).edited_at is None


def test_an_empty_edit_is_refused_beside_the_field(app, client, login_as):
    _, _, comment_id = _world(app, login_as, client)
    response = client.submit(f"/ideas/comments/{comment_id}/edit", {"body": "  "})
    assert response.status_code == 400 and soup(response).select_one("#body-error")
    assert _comment(app, comment_id).body == FIRST


def test_the_moderator_sees_the_earlier_texts_of_an_edited_comment(app, client, login_as):
    _, _, comment_id = _world(app, login_as, client)
    client.submit(f"/ideas/comments/{comment_id}/edit", {"body": SECOND})
    moderator = Browser(app)
    login_as("moderator", browser=moderator, districts=("lademoen",))
    page = soup(moderator.get(f"/moderation/items/comment/{comment_id}"))
    earlier = page.select_one("details.earlier-texts")
    assert "1 tidligere tekst" in earlier.find("summary").get_text() and FIRST in earlier.get_text()


def test_the_author_deletes_a_comment_it_leaves_the_thread_and_moderation_keeps_it(app, client, login_as):
    me, idea_id, comment_id = _world(app, login_as, client)
    confirm = client.get(f"/ideas/comments/{comment_id}/delete")
    assert confirm.status_code == 200 and FIRST in confirm.get_data(as_text=True)
    response = client.submit(f"/ideas/comments/{comment_id}/delete", {})
    assert response.status_code == 302
    page = client.get(f"/ideas/{idea_id}")
    assert soup(page).select_one(f"#comment-{comment_id}") is None and FIRST not in page.get_data(as_text=True)
    assert "Kommentaren din er slettet." in page.get_data(as_text=True)
    assert Browser(app).get(f"/ideas/{idea_id}").get_data(as_text=True).count(FIRST) == 0
    comment = _comment(app, comment_id)
    assert comment.withdrawn_at is not None and comment.body == FIRST
    moderator = Browser(app)
    login_as("moderator", browser=moderator, districts=("lademoen",))
    item = moderator.get(f"/moderation/items/comment/{comment_id}")
    assert "Slettet av den som skrev den" in item.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(db.select(AuditEntry).where(AuditEntry.action == "comment.delete")).actor_id == me.id
    # Deleted once is deleted: the links are gone and the pages answer 404.
    assert client.get(f"/ideas/comments/{comment_id}/edit").status_code == 404


@pytest.mark.parametrize("who", ["resident", "moderator", "admin"])
def test_nobody_but_the_author_edits_or_deletes_a_comment(app, login_as, who):
    author = make_user(app)
    idea_id = make_idea(app, make_user(app))
    comment_id = make_comment(app, author, idea_id, body=FIRST)
    browser = Browser(app)
    login_as(who, browser=browser, districts=("lademoen",) if who == "moderator" else ())
    assert not soup(browser.get(f"/ideas/{idea_id}")).select(f"#comment-{comment_id} a[href$='/edit']")
    for path in (f"/ideas/comments/{comment_id}/edit", f"/ideas/comments/{comment_id}/delete"):
        assert browser.get(path).status_code == 403
    values = {"body": "Noe helt annet.", "csrf_token": ""}
    token = soup(browser.get(f"/ideas/{idea_id}")).select_one("input[name=csrf_token]")["value"]
    values["csrf_token"] = token
    assert browser.post(f"/ideas/comments/{comment_id}/edit", data=values).status_code == 403
    assert browser.post(f"/ideas/comments/{comment_id}/delete", data={"csrf_token": token}).status_code == 403
    comment = _comment(app, comment_id)
    assert comment.body == FIRST and comment.withdrawn_at is None


def test_a_visitor_is_sent_to_log_in(app, client):
    comment_id = make_comment(app, make_user(app), make_idea(app, make_user(app)))
    for path in (f"/ideas/comments/{comment_id}/edit", f"/ideas/comments/{comment_id}/delete"):
        response = client.get(path)
        assert response.status_code == 302 and "/account/login" in response.headers["Location"]


def test_a_comment_hidden_by_a_moderator_cannot_be_changed_by_its_author(app, client, login_as):
    me = login_as("resident")
    comment_id = make_comment(app, me, make_idea(app, make_user(app)), body=FIRST, hidden_at=utcnow(), hidden_reason="spam")
    assert client.get(f"/ideas/comments/{comment_id}/edit").status_code == 403
    assert client.get(f"/ideas/comments/{comment_id}/delete").status_code == 403


def test_the_earlier_texts_are_in_the_authors_own_data_export(app, client, login_as):
    _, _, comment_id = _world(app, login_as, client)
    client.submit(f"/ideas/comments/{comment_id}/edit", {"body": SECOND})
    [comment] = client.get("/account/export").get_json()["comments"]
    assert comment["text"] == SECOND and [e["text"] for e in comment["earlier_texts"]] == [FIRST]
    assert comment["edited_at"]



def test_changing_a_comment_over_and_over_is_stopped_beside_the_field_keeping_the_text(app_factory):
    """Every change keeps the text it replaced, so changes count against the same limit as new comments."""
    from tests.helpers import PASSWORD

    app = app_factory(COMMENTS_PER_10_MINUTES=3)   # the comment itself, then two changes
    me = make_user(app)
    browser = Browser(app)
    assert browser.submit("/account/login", {"email": me.email, "password": PASSWORD}).status_code == 302
    comment_id = make_comment(app, me, make_idea(app, make_user(app)), body=FIRST)
    for n in range(2):
        assert browser.submit(f"/ideas/comments/{comment_id}/edit", {"body": f"{SECOND} ({n})"}).status_code == 302
    refused = browser.submit(f"/ideas/comments/{comment_id}/edit", {"body": "Tredje gang, for mye."})
    assert refused.status_code == 429
    page = soup(refused)
    assert page.select_one("textarea[name=body]").get_text().strip() == "Tredje gang, for mye."
    assert "kommentarer" in page.select_one("#body-error, .error-message, .field-error").get_text()
    with app.app_context():
        assert db.session.get(Comment, comment_id).body == f"{SECOND} (1)"
        assert db.session.scalar(db.select(db.func.count(CommentRevision.id))
                                 .where(CommentRevision.comment_id == comment_id)) == 2
