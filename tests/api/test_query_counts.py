"""The API runs a fixed number of SQL queries per answer, whether there are a few or a few hundred of each thing."""
from __future__ import annotations

from app.extensions import db
from tests.helpers import count_queries, make_comment, make_event, make_idea, make_organisation, make_user

PATHS = ["/api/v1/ideas", "/api/v1/ideas?district=lademoen&area=3&status=routed&q=benker&sort=supported&page=1",
         "/api/v1/ideas/{idea}", "/api/v1/events", "/api/v1/events?district=mollenberg&area=1&audience=everyone",
         "/api/v1/events/{event}", "/api/v1/meeting-places", "/api/v1/districts", "/api/v1/effort-areas",
         "/api/v1/districts.geojson", "/api/v1/meeting-places.geojson", "/api/v1/ideas.geojson",
         "/api/v1/ideas.geojson?district=lademoen&status=new&q=benker&page=1"]


def _put_everything_on_the_map(app) -> None:
    """Every idea, meeting place and event gets a point, so the map answers have many features."""
    from sqlalchemy import update

    from app.events.models import Event
    from app.meeting_places.models import MeetingPlace
    from app.submissions.models import Submission

    with app.app_context():
        db.session.execute(update(Submission).values(location_lat=63.4351, location_lon=10.4199))
        db.session.execute(update(MeetingPlace).values(latitude=63.4338, longitude=10.4232))
        db.session.execute(update(Event).values(latitude=63.4301, longitude=10.4102))
        db.session.commit()


def _measure(app, client, idea: int, event: int) -> dict[str, int]:
    counts = {}
    for path in PATHS:
        url = path.format(idea=idea, event=event)
        with count_queries(app) as queries:
            response = client.get(url)
        assert response.status_code == 200, url
        counts[path] = len(queries)
    return counts


def test_query_counts_do_not_grow_with_the_data(app, client):
    author = make_user(app)
    idea = make_idea(app, author, body="Flere benker i parken.")
    make_comment(app, author, idea)
    organisation = make_organisation(app)
    event = make_event(app, organisation, effort_area_id=1)
    few = _measure(app, client, idea, event)

    from app.demo.generate import build

    with app.app_context():
        build(amounts={"ideas": 300, "comments": 300, "feedback": 0, "events": 150, "registrations": 300})
        db.session.commit()
    for n in range(30):
        make_event(app, organisation, title=f"Kveld {n}", starts_in_days=n + 1, effort_area_id=1 + n % 4)
    _put_everything_on_the_map(app)
    many = _measure(app, client, idea, event)
    assert many == few, (few, many)
    # A text search reads the administrators' settings once (which languages are on decides how the
    # words are read); in production each worker keeps them, here the worker cache is off.
    assert max(many.values()) <= 6, many
