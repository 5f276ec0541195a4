"""No answer of the API says who wrote, supported, reported, moderated, organised or registered for anything, or
where a feedback is about: every page of every list and every detail is searched for the people, private texts
and private places behind the data."""
from __future__ import annotations

import json
import re

from app.extensions import db
from app.moderation import reports
from tests.api.crawl import DOCUMENT, crawl
from tests.api.registrations import register
from tests.helpers import make_comment, make_event, make_idea, make_organisation, make_user

AUTHOR = {"email": "idun.forfatter@example.no", "display_name": "Idun Forfattersen"}
COMMENTER = {"email": "kari.kommentar@example.no", "display_name": "Kari Kommentarsen"}
SUPPORTER = {"email": "stig.stotte@example.no", "display_name": "Stig Støttesen"}
MODERATOR = {"email": "mona.moderator@example.no", "display_name": "Mona Moderatorsen"}
ORGANISER = {"email": "olav.arrangor@example.no", "display_name": "Olav Arrangørsen"}
RESIDENT = {"email": "rolf.registrert@example.no", "display_name": "Rolf Registrertsen"}
GUEST = {"name": "Gunn Gjestesen", "email": "gunn.gjest@example.no", "phone": "+47 987 65 432",
         "access_needs": "Trenger teleslynge og tolk"}
PRIVATE_TEXTS = ("Naboen i tredje etasje bråker hver natt", "Hemmelig Kontaktperson", "hemmelig.kontakt@example.no",
                 "+47 912 00 000", "Intern merknad: ring forfatteren", "Rapportert fordi den nevner naboen",
                 "Bakkegata 13")
# Where the feedback is about (its location_label is the last private text); the idea is about another place.
FEEDBACK_POINT = (63.43917, 10.42771)
IDEA_POINT = (63.4301, 10.3950)
# Keys that would name a person or hold their details.
PERSONAL_KEY = re.compile(r"email|phone|author|user|registr|actor|creat(or|ed_by)|note|access_need|contact|"
                          r"support(er|ed_by)|attend|party|waitlist")
# ... except these: a meeting place's own contact details and accessibility notes, and when registration closes.
PUBLIC_KEYS = {("contact",), ("contact", "email"), ("contact", "phone"), ("accessibility", "notes"),
               ("registration_deadline",)}


def _people_and_their_traces(app) -> list[str]:
    from app.accounts.models import User
    from app.districts.services import get_district, get_effort_area
    from app.feedback.services import submit_feedback
    from app.ideas import services as ideas
    from app.ideas.models import Idea
    from app.meeting_places.models import MeetingPlace
    from app.moderation import services as moderation

    author, commenter, supporter = make_user(app, **AUTHOR), make_user(app, **COMMENTER), make_user(app, **SUPPORTER)
    moderator = make_user(app, "admin", **MODERATOR)
    organiser, resident = make_user(app, **ORGANISER), make_user(app, **RESIDENT)
    idea_id = make_idea(app, author, title="Lys langs stien", body="Stien er mørk om kvelden.",
                        location_lat=IDEA_POINT[0], location_lon=IDEA_POINT[1], location_label="Langs stien")
    make_comment(app, commenter, idea_id, body="Enig, det trengs lys.")
    with app.test_request_context():
        idea, acting = db.session.get(Idea, idea_id), db.session.get(User, moderator.id)
        ideas.support(idea, db.session.get(User, supporter.id))
        reports.report(idea, db.session.get(User, commenter.id), "other", PRIVATE_TEXTS[5])
        moderation.route(idea, get_effort_area(3), [], acting, None)
        moderation.set_status(idea, "answered", "Vi ser på det i vår.", acting, None)
        moderation.add_note(idea, PRIVATE_TEXTS[4], acting)
        feedback = submit_feedback(get_district("lademoen"), PRIVATE_TEXTS[0], {"safety": 2}, None, PRIVATE_TEXTS[1],
                                   PRIVATE_TEXTS[2], PRIVATE_TEXTS[3], True, "127.0.0.1")
        feedback.location_lat, feedback.location_lon = FEEDBACK_POINT
        feedback.location_label = PRIVATE_TEXTS[6]
        db.session.commit()
    with app.app_context():
        place = MeetingPlace(district_id=get_district("mollenberg").id, name="Bydelshuset", address="Nonnegata 1",
                             contact_email="post@bydelshuset.example", contact_phone="+47 73 00 00 00",
                             latitude=63.4290, longitude=10.4080)
        db.session.add(place)
        db.session.commit()
        place_id = place.id
    organisation = make_organisation(app, organiser)
    event_id = make_event(app, organisation, created_by_id=organiser.id, capacity=2, meeting_place_id=place_id)
    register(app, event_id, **GUEST)
    register(app, event_id, user_id=resident.id, access_needs="Rullestol")
    register(app, event_id, name="Ventende Vera", email="vera.venter@example.no")
    return [value for person in (AUTHOR, COMMENTER, SUPPORTER, MODERATOR, ORGANISER, RESIDENT) for value in person.values()] \
        + list(GUEST.values()) + ["Rullestol", "Ventende Vera", "vera.venter@example.no", *PRIVATE_TEXTS]


def _strings_and_keys(value, path=()):
    if isinstance(value, dict):
        for key, inner in value.items():
            yield "key", key, path + (key,)
            yield from _strings_and_keys(inner, path + (key,))
    elif isinstance(value, list):
        for inner in value:
            yield from _strings_and_keys(inner, path)
    elif isinstance(value, str):
        yield "text", value, path


def _points(value):
    """Every point in an answer: each location and each GeoJSON point (boundaries are not about anyone)."""
    if isinstance(value, dict):
        if set(value) == {"latitude", "longitude"}:
            yield value["latitude"], value["longitude"]
        if value.get("type") == "Point":
            yield value["coordinates"][1], value["coordinates"][0]
        for inner in value.values():
            yield from _points(inner)
    elif isinstance(value, list):
        for inner in value:
            yield from _points(inner)


def _near(point, other) -> bool:
    """Within a few hundred metres: the point itself, rounded or not."""
    return abs(point[0] - other[0]) < 0.003 and abs(point[1] - other[1]) < 0.006


def test_no_answer_tells_who_did_anything_or_what_they_said_in_private(app, client):
    secrets = _people_and_their_traces(app)
    answers, points = 0, []
    for path, response in crawl(app, client):
        assert response.status_code in (200, 404), path
        answers += 1
        text = response.get_data(as_text=True)
        body = json.loads(text)
        points += list(_points(body)) if path != DOCUMENT else []
        for kind, value, where in _strings_and_keys(body):
            for secret in secrets:
                assert secret.lower() not in value.lower(), (path, where, secret)
            if kind == "key" and path != DOCUMENT and where[-1:] not in PUBLIC_KEYS and where[-2:] not in PUBLIC_KEYS:
                assert not PERSONAL_KEY.search(value), (path, where)
        assert not any(secret in text for secret in secrets), path
    assert answers == 12  # the description, five lists, three maps, an idea, an event and a place
    assert any(_near(point, IDEA_POINT) for point in points)  # the idea's, rounded: points are there to be seen
    assert not any(_near(point, FEEDBACK_POINT) for point in points), "a feedback's location is in the API"
    detail = client.get("/api/v1/ideas?q=stien").get_json()["items"][0]
    assert detail["comment_count"] == 1 and detail["support_count"] == 1 and detail["status"] == "answered"
