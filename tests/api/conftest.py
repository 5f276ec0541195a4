"""An app with some of everything the API shows, and some of what it must not show."""
from __future__ import annotations

import pytest

from app.core.db import utcnow
from app.extensions import db
from tests.helpers import make_event, make_idea, make_organisation, make_user

# Enough for more than one page of ideas, small enough to build in a second; most demo events are past,
# so more upcoming ones are added below.
AMOUNTS = {"ideas": 45, "comments": 60, "feedback": 5, "events": 30, "registrations": 60}
NOT_PUBLIC = ("Skjult idé", "Trukket idé", "Ventende idé", "Blokkert idé",
              "Ventende arrangement", "Avslått arrangement", "Nedlagt møteplass")


@pytest.fixture
def filled_app(app):
    return fill(app)


def fill(app):
    """Demo content in ``app``'s database, with more upcoming events, some of what is not public, and points on the map."""
    from app.demo.generate import build

    with app.app_context():
        build(amounts=AMOUNTS)
        db.session.commit()
    organisation = make_organisation(app, name="Testlaget")
    for day in range(1, 22):
        make_event(app, organisation, title=f"Kveldsmøte {day}", starts_in_days=day, capacity=None if day % 3 else 12)
    add_what_is_not_public(app, organisation)
    put_some_on_the_map(app)
    return app


def put_some_on_the_map(app) -> None:
    """Every other idea and meeting place, and every third event, gets a point (the rest have none)."""
    from sqlalchemy import update

    from app.events.models import Event
    from app.meeting_places.models import MeetingPlace
    from app.submissions.models import Submission

    with app.app_context():
        db.session.execute(update(Submission).where(Submission.id % 2 == 0)
                           .values(location_lat=63.4351 + Submission.id / 100000, location_lon=10.4199))
        db.session.execute(update(MeetingPlace).where(MeetingPlace.id % 2 == 0).values(latitude=63.4338,
                                                                                       longitude=10.4232))
        db.session.execute(update(Event).where(Event.id % 3 == 0).values(latitude=63.4301, longitude=10.4102))
        db.session.commit()


def add_what_is_not_public(app, organisation: int) -> None:
    """Ideas hidden, withdrawn, held or by a blocked author; events held, declined and cancelled; a retired place
    (cancelled events are public: their page says so)."""
    from app.accounts.models import User
    from app.districts.services import get_district
    from app.meeting_places.models import MeetingPlace

    author, blocked = make_user(app), make_user(app)
    now = utcnow()
    make_idea(app, author, title="Skjult idé", hidden_at=now, hidden_reason="spam")
    make_idea(app, author, title="Trukket idé", withdrawn_at=now)
    make_idea(app, author, title="Ventende idé", held_at=now)
    make_idea(app, blocked, title="Blokkert idé")
    make_event(app, organisation, title="Ventende arrangement", status="held")
    make_event(app, organisation, title="Avslått arrangement", status="declined")
    make_event(app, organisation, title="Avlyst arrangement", status="cancelled", cancelled_at=now)
    with app.app_context():
        db.session.get(User, blocked.id).blocked_at = now
        db.session.add(MeetingPlace(district_id=get_district("lademoen").id, name="Nedlagt møteplass",
                                    address="Borte 1", retired_at=now))
        db.session.commit()
