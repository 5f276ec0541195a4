"""The figures kept in ``insight_rollups`` are the figures counted, for any data: random ideas, feedback
with ratings, comments and supports over districts, effort areas and months, on SQLite and on PostgreSQL
(TEST_DATABASE_URL)."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.extensions import db
from tests.helpers import make_user

START = datetime(2024, 1, 15, 12, 0, tzinfo=timezone.utc)

rating = st.one_of(st.none(), st.integers(1, 5))
item = st.tuples(
    st.sampled_from(["idea", "feedback", "comment", "support"]),
    st.integers(0, 2),                              # district
    st.one_of(st.none(), st.integers(1, 3)),        # effort area number, or not routed
    st.integers(0, 30),                             # months after January 2024
    st.integers(0, 7),                              # author
    st.tuples(rating, rating, rating),
)


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(items=st.lists(item, min_size=0, max_size=60))
def test_the_kept_figures_equal_the_counted_ones(app, items):
    from app.accounts.models import User
    from app.districts.services import get_effort_area, list_districts
    from app.feedback.models import Feedback
    from app.ideas.models import Comment, Idea, Support
    from app.insights import figures
    from app.insights.models import InsightRollup
    from app.submissions.models import Submission

    with app.app_context():
        known = {user.email: user.id for user in User.query.filter(User.email.like("rollup%"))}
    people = [known.get(f"rollup{n}@example.no") or make_user(app, email=f"rollup{n}@example.no").id
              for n in range(8)]
    with app.app_context():
        for model in (Support, Comment, Feedback, Idea, InsightRollup):
            db.session.query(model).delete()
        db.session.query(Submission).delete()
        districts = list_districts()
        areas = {n: get_effort_area(n) for n in (1, 2, 3)}
        ideas: list[Idea] = []
        codes = iter(range(10_000))
        for kind, district, area, months, author, (safety, wellbeing, belonging) in items:
            at = START + timedelta(days=30.5 * months)
            where = {"district_id": districts[district].id, "created_at": at,
                     "effort_area_id": areas[area].id if area else None}
            if kind == "idea" or (kind in ("comment", "support") and not ideas):
                idea = Idea(author_id=people[author], title="Idé", body="Tekst", body_html="<p>Tekst</p>", **where)
                db.session.add(idea)
                db.session.flush()
                ideas.append(idea)
            elif kind == "feedback":
                db.session.add(Feedback(body="Hei", receipt_code=f"R{next(codes):05d}", rating_safety=safety,
                                        rating_wellbeing=wellbeing, rating_belonging=belonging, **where))
            elif kind == "comment":
                on = ideas[months % len(ideas)]
                db.session.add(Comment(author_id=people[author], district_id=on.district_id, idea_id=on.id,
                                       body="Enig", body_html="<p>Enig</p>", created_at=at))
            else:
                on = ideas[months % len(ideas)]
                if not db.session.get(Support, (on.id, people[author])):
                    db.session.add(Support(idea_id=on.id, user_id=people[author], created_at=at))
            db.session.flush()
        db.session.commit()

        kept = figures.rollup()
        for key, counted in kept.items():
            stored = figures.load(key, db.session.get(InsightRollup, key).payload)
            assert stored == counted, key
        # and they are what counting gives now, as the page would count it
        assert kept["counts"] == figures.count()
