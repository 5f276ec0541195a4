"""The anti-robot time stamp could be reused.

The stamp in a visitor's form (when it was shown, signed) proves a person took a few seconds to
fill it in. The tester fetched one form, waited, and then sent that one stamp with many forms,
each with a fresh token and submission id: every one was taken at once. A stamp is now spent
when the form it came with is taken, and a spent one is refused like a missing one.
"""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.feedback.models import Feedback
from tests.helpers import Browser, form_fields, make_event, make_organisation


@pytest.fixture
def app(app_factory):
    return app_factory(FEEDBACK_MIN_SECONDS=0, REGISTRATION_MIN_SECONDS=0, FOLLOW_MIN_SECONDS=0)


def _count(app, model) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model))


def _place(app) -> int:
    from app.districts.services import get_district
    from app.meeting_places.models import MeetingPlace

    with app.app_context():
        place = MeetingPlace(district_id=get_district("lademoen").id, name="Bydelskafeen", address="Innherredsveien 60")
        db.session.add(place)
        db.session.commit()
        return place.id


def _forms(app):
    """Each visitor form with a stamp: its address, typed values for the n-th sending, what it stores."""
    from app.events.models import Registration
    from app.follows.models import Follow

    event = make_event(app, make_organisation(app), capacity=50)
    place = _place(app)
    return {
        "feedback": ("/districts/lademoen/feedback", lambda n: {"body": f"Mørkt under brua, melding {n}."}, Feedback),
        "guest registration": (f"/events/{event}/register",
                               lambda n: {"name": f"Gjest {n}", "email": f"gjest{n}@example.no", "phone": "912 34 567",
                                          "party_size": "1"}, Registration),
        "following": (f"/meeting-places/{place}/follow", lambda n: {"email": f"folger{n}@example.no"}, Follow),
    }


@pytest.mark.parametrize("kind", ["feedback", "guest registration", "following"])
def test_a_stamp_that_was_used_once_is_refused_the_next_time(app, kind):
    path, values, model = _forms(app)[kind]
    robot = Browser(app)
    first = form_fields(robot.get(path), path)
    stamp = first["started"]
    first.update(values(0))
    assert robot.post(path, data=first).status_code == 302
    taken = _count(app, model)

    for n in range(1, 6):
        # A fresh token and submission id each time, with the old stamp.
        again = form_fields(robot.get(path), path)
        again.update(values(n), started=stamp)
        replay = robot.post(path, data=again)
        assert replay.status_code != 302
    assert _count(app, model) == taken


def test_a_person_who_fixes_a_mistake_sends_with_the_same_stamp_once(app):
    path = "/districts/lademoen/feedback"
    person = Browser(app)
    values = form_fields(person.get(path), path)
    refused = person.post(path, data=dict(values, body=""))   # nothing written, no rating: given back
    assert refused.status_code == 400
    again = form_fields(refused, path)
    assert again["started"] == values["started"]
    assert person.post(path, data=dict(again, body="Mørkt under brua om kvelden.")).status_code == 302
