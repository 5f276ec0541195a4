""""Min side" shows the latest of each of a person's lists, says so when there are more, and reads the same
number of statements however long their history is."""
from __future__ import annotations

from datetime import timedelta

from app.core.db import utcnow
from app.extensions import db
from tests.helpers import count_queries, make_comment, make_idea, make_user, soup


def _ideas_by(app, author, n: int) -> list[int]:
    from app.ideas.models import Idea

    ids = [make_idea(app, author, title=f"Idé nummer {number}") for number in range(n)]
    with app.app_context():
        for age, idea_id in enumerate(reversed(ids)):   # the last made is the newest
            db.session.get(Idea, idea_id).created_at = utcnow() - timedelta(hours=age)
        db.session.commit()
    return ids


def _section(response, heading_id: str):
    return soup(response).find(id=heading_id).find_parent("section")


def test_my_page_shows_the_latest_ideas_and_comments_and_where_the_rest_are(app, client, login_as, monkeypatch):
    from app.accounts import views

    monkeypatch.setattr(views, "LATEST", 2)
    me = login_as("resident")
    ideas = _ideas_by(app, me, 3)
    make_comment(app, me, ideas[0], "Min eneste kommentar.")
    page = client.get("/account/")
    mine = _section(page, "my-ideas-title")
    assert [link.get_text(strip=True) for link in mine.select("li a")] == ["Idé nummer 2", "Idé nummer 1"]
    assert "Dette er de nyeste." in mine.get_text()
    assert mine.find("a", href="#your-data-title")
    # A list that is shown whole says nothing more.
    assert "Dette er de nyeste." not in _section(page, "my-comments-title").get_text()
    assert "Min eneste kommentar." in _section(page, "my-comments-title").get_text()


def test_my_page_costs_the_same_statements_for_a_long_history(app, client, login_as):
    me = login_as("resident")
    make_comment(app, me, _ideas_by(app, me, 1)[0])
    with count_queries(app) as short:
        client.get("/account/")
    others = make_user(app)
    more = _ideas_by(app, me, 4) + _ideas_by(app, others, 2)
    for idea_id in more:
        make_comment(app, me, idea_id)
    with count_queries(app) as long:
        assert client.get("/account/").status_code == 200
    assert len(long) == len(short)
