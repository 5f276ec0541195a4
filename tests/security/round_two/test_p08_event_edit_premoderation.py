"""Editing an approved event no longer gets round pre-moderation.

The tester, an organiser in a setup where events wait for a moderator, had a harmless weekly
event approved, then rewrote it ("this and later") with a spam link: it stayed published. Now,
when events are pre-moderated, a change to the title, the description or the place holds the
event again (with the later occurrences when "this and later" was chosen) until a moderator
approves it; a change of seats alone does not.
"""
from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from app.core.db import OSLO
from app.events.models import Event, EventReview
from app.extensions import db
from tests.conftest import PASSWORD
from tests.helpers import Browser, make_organisation, make_user, outbox

SPAM = "Billige klokker her: https://spam.example/klokker"


@pytest.fixture
def app(app_factory):
    return app_factory(PREMODERATE=frozenset({"events"}), REGISTRATION_MIN_SECONDS=0)


def _form(when: datetime, **fields):
    values = {"title": "Strikkekafé", "description": "Vi strikker sammen hver onsdag.",
              "district": "mollenberg", "meeting_place": "", "address": "Rosenborg gate 10",
              "starts_at": when.strftime("%Y-%m-%dT%H:%M"),
              "ends_at": (when + timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"),
              "capacity": "10", "registration_deadline": "", "effort_area": "", "languages": ["nb"],
              "audience": "everyone", "repeat_weeks": "1"}
    values.update(fields)
    return values


def _wednesday() -> datetime:
    today = datetime.now(OSLO).replace(hour=18, minute=0, second=0, microsecond=0, tzinfo=None)
    return today + timedelta(days=(2 - today.weekday()) % 7 + 7)


def _login(app, user) -> Browser:
    browser = Browser(app)
    assert browser.submit("/account/login", {"email": user.email, "password": PASSWORD}).status_code == 302
    return browser


def _statuses(app) -> list[str]:
    with app.app_context():
        return list(db.session.scalars(db.select(Event.status).order_by(Event.starts_at)))


def _open_review(app) -> int | None:
    with app.app_context():
        return db.session.scalar(db.select(EventReview.id).where(EventReview.status == "new"))


def _approve(app, moderator: Browser) -> None:
    review = _open_review(app)
    page = f"/moderation/items/event/{review}"
    assert moderator.submit(page, {}, action=f"{page}/accept").status_code == 302


def _public(app, event_id: int) -> bool:
    return Browser(app).get(f"/events/{event_id}").status_code == 200


@pytest.fixture
def approved_series(app):
    organiser = make_user(app)
    organiser_browser = _login(app, organiser)
    organisation = make_organisation(app, organiser)
    start = _wednesday()
    created = organiser_browser.submit(f"/events/new?organisation={organisation}", _form(start, repeat_weeks="3"))
    assert created.status_code == 302
    moderator = _login(app, make_user(app, role="moderator", districts=("mollenberg",)))
    _approve(app, moderator)
    assert _statuses(app) == ["published"] * 3
    with app.app_context():
        ids = list(db.session.scalars(db.select(Event.id).order_by(Event.starts_at)))
    return organiser, organiser_browser, moderator, start, ids


def test_spam_written_into_an_approved_series_is_held_for_this_and_later(app, approved_series):
    organiser, browser, moderator, start, ids = approved_series
    mails_before = len(outbox(app))
    edited = browser.submit(f"/events/{ids[1]}/edit",
                            _form(start + timedelta(weeks=1), description=SPAM, scope="later"))
    assert edited.status_code == 302
    # The first occurrence was not changed and stays; the rewritten ones are no longer public.
    assert _statuses(app) == ["published", "held", "held"]
    assert _public(app, ids[0]) and not _public(app, ids[1]) and not _public(app, ids[2])
    listing = Browser(app).get("/events/").get_data(as_text=True)
    assert "spam.example" not in listing
    assert "spam.example" not in Browser(app).get(f"/events/{ids[0]}").get_data(as_text=True)
    # The organiser is told, and still sees their event.
    assert browser.get(f"/events/{ids[1]}").status_code == 200
    # It waits in the district's queue; approving publishes the series again without a second
    # "new event" mail to followers.
    assert _open_review(app) is not None
    _approve(app, moderator)
    assert _statuses(app) == ["published"] * 3
    assert not [m for m in outbox(app)[mails_before:] if m.template == "followed_new_event"]


def test_a_new_title_or_place_for_one_occurrence_holds_that_one_only(app, approved_series):
    organiser, browser, moderator, start, ids = approved_series
    assert browser.submit(f"/events/{ids[0]}/edit", _form(start, title="Gratis klokker: spam.example")).status_code == 302
    assert _statuses(app) == ["held", "published", "published"]
    _approve(app, moderator)
    assert browser.submit(f"/events/{ids[2]}/edit",
                          _form(start + timedelta(weeks=2), address="Et annet sted 1")).status_code == 302
    assert _statuses(app) == ["published", "published", "held"]


def test_a_change_of_seats_alone_keeps_the_event_published(app, approved_series):
    organiser, browser, moderator, start, ids = approved_series
    assert browser.submit(f"/events/{ids[0]}/edit", _form(start, capacity="25", scope="later")).status_code == 302
    assert _statuses(app) == ["published"] * 3
    assert _open_review(app) is None


def test_without_premoderation_an_edit_stays_published(app_factory):
    app = app_factory(REGISTRATION_MIN_SECONDS=0)
    organiser = make_user(app)
    browser = _login(app, organiser)
    organisation = make_organisation(app, organiser)
    start = _wednesday()
    assert browser.submit(f"/events/new?organisation={organisation}", _form(start)).status_code == 302
    with app.app_context():
        event_id = db.session.scalar(db.select(Event.id))
    assert browser.submit(f"/events/{event_id}/edit", _form(start, description="Ny tekst om strikking.")).status_code == 302
    assert _statuses(app) == ["published"]
