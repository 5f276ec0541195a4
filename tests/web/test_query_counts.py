"""Pages run a fixed number of SQL queries and stay under 50 KB, whether there are 3 or 3,000 ideas and comments."""
from __future__ import annotations

import pytest
from sqlalchemy import func, insert, select

from app.core.db import oslo_month, utcnow
from app.core.sanitize import plain_text_to_html
from app.extensions import db
from app.ideas.models import Comment, Idea
from app.submissions.models import Submission
from tests.helpers import count_queries, make_comment, make_idea, make_user

LONG = ("Dette er en lang kommentar om parken og lyset langs stien. " * 40)[:2000]  # as long as allowed
PAGES = ["/", "/ideas/", "/ideas/?q=benker&sort=supported", "/ideas/?district=lademoen&page=2",
         "/districts/lademoen", "/effort-areas/3", "/ideas/{idea}", "/account/", "/ideas/?view=map",
         "/ideas/?view=map&district=lademoen&page=2", "/events/?view=map"]


def _bulk_comments(app, idea_id: int, author_id: int, n: int) -> None:
    with app.app_context():
        first = (db.session.scalar(select(func.max(Submission.id))) or 0) + 1
        now = utcnow()
        district = db.session.get(Idea, idea_id).district_id
        db.session.execute(insert(Submission.__table__), [
            {"id": first + i, "kind": "comment", "district_id": district, "author_id": author_id, "status": "new",
             "created_at": now, "created_month": oslo_month(now), "updated_at": now, "hidden_by_reports": False,
             "version": 1} for i in range(n)])
        db.session.execute(insert(Comment.__table__), [
            {"id": first + i, "idea_id": idea_id, "body": LONG, "body_html": str(plain_text_to_html(LONG))}
            for i in range(n)])
        if db.engine.dialect.name == "postgresql":
            db.session.execute(db.text("SELECT setval(pg_get_serial_sequence('submissions', 'id'), (SELECT MAX(id) FROM submissions))"))
        db.session.commit()


def _measure(app, client, idea_id):
    counts, sizes = {}, {}
    for path in PAGES:
        url = path.format(idea=idea_id)
        client.get(url)  # warm caches that are not per request
        with count_queries(app) as queries:
            response = client.get(url)
        assert response.status_code == 200, url
        counts[path], sizes[path] = len(queries), len(response.get_data())
    return counts, sizes


def test_query_counts_and_sizes_do_not_grow_with_the_data(app, client, login_as):
    me = login_as("resident")
    idea_id = make_idea(app, me, body="Det trengs flere benker i parken, og bedre lys om kvelden.")
    make_comment(app, me, idea_id)
    make_idea(app, me, title="Benker ved kirka")
    small_counts, _ = _measure(app, client, idea_id)

    from app.demo.generate import build

    with app.app_context():
        build(amounts={"ideas": 3000, "comments": 3000, "feedback": 0})
        db.session.commit()
    _bulk_comments(app, idea_id, me.id, 3000)
    for n in range(30):
        make_idea(app, me, title=f"Min idé nummer {n}")
    large_counts, large_sizes = _measure(app, client, idea_id)

    assert large_counts == small_counts
    for path, size in large_sizes.items():
        assert size < 50_000, f"{path} is {size} bytes"
    assert max(large_counts.values()) <= 12, large_counts


# A district page also draws its map: its meeting places and its newest ideas with a place are two more.
@pytest.mark.parametrize("path, most", [("/ideas/", 6), ("/districts/mollenberg", 8), ("/", 6)])
def test_visitors_pages_need_few_queries(app, client, path, most):
    make_idea(app, make_user(app))
    client.get(path)
    with count_queries(app) as queries:
        client.get(path)
    assert len(queries) <= most, queries
