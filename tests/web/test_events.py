"""Events: the list and page, registration with a waitlist, manage links, organisers' changes, calendar files."""
from __future__ import annotations

import time
from datetime import datetime, timedelta

import pytest
from icalendar import Calendar

from app.core.db import OSLO
from app.events.models import Event, Registration
from app.extensions import db
from tests.helpers import (
    Browser,
    count_queries,
    form_fields,
    link_in,
    make_event,
    make_organisation,
    make_user,
    outbox,
    soup,
)


@pytest.fixture
def app(app_factory):
    return app_factory(REGISTRATION_MIN_SECONDS=0)


GUEST = {"name": "Amina Yusuf", "email": "amina@example.no", "phone": "912 34 567", "party_size": "1", "access_needs": ""}


def english(browser):
    """Pages in English, whatever the catalogue says in Norwegian."""
    browser.get("/?lang=en")
    return browser


def _guest(app, event_id, confirm=True, **fields):
    """A guest registers and (``confirm``) confirms from the mailed link, as a person does; the answer
    to the confirmation leads to the registration's page."""
    browser = english(Browser(app))
    response = browser.submit(f"/events/{event_id}/register", dict(GUEST, **fields))
    if not confirm or response.status_code != 302 or not response.headers["Location"].endswith("/register/sent"):
        return browser, response
    return browser, confirm_guest(app, dict(GUEST, **fields)["email"], browser)


def confirm_guest(app, email, browser=None):
    browser = browser or english(Browser(app))
    [mail] = [m for m in outbox(app, email) if m.template == "registration_pending"][-1:]
    link = link_in(mail, "/registrations/")
    return browser.submit(link, {}, action=f"{link}/confirm")


def _registrations(app, event_id):
    with app.app_context():
        rows = db.session.scalars(db.select(Registration).where(Registration.event_id == event_id)
                                  .order_by(Registration.queued_at, Registration.id)).all()
        db.session.expunge_all()
        return rows


def _event(app, event_id) -> Event:
    with app.app_context():
        event = db.session.get(Event, event_id)
        db.session.expunge_all()
        return event


def test_a_guest_registers_with_name_and_email_and_gets_a_manage_link_and_a_calendar_file(app):
    event_id = make_event(app, make_organisation(app), capacity=10)
    browser, response = _guest(app, event_id, party_size="2", access_needs="Rullestolplass")
    assert response.status_code == 302
    manage = response.headers["Location"]
    assert manage.startswith("/registrations/")
    page = browser.get(manage)
    assert page.status_code == 200 and "You have a place" in page.get_data(as_text=True)
    assert page.headers["Cache-Control"].startswith("no-store") or "private" in page.headers["Cache-Control"]
    [registration] = _registrations(app, event_id)
    assert (registration.status, registration.party_size, registration.access_needs) == ("confirmed", 2, "Rullestolplass")
    assert _event(app, event_id).seats_taken == 2
    pending, mail = outbox(app, "amina@example.no")
    # The first mail asks to confirm; the second, once confirmed, has the link and the calendar file.
    assert (pending.template, mail.template) == ("registration_pending", "registration_confirmed")
    assert not pending.attachments and link_in(pending, "/registrations/") == manage
    assert link_in(mail, "/registrations/") == manage
    [attachment] = mail.attachments
    calendar = Calendar.from_ical(attachment["content"])
    assert attachment["content_type"] == "text/calendar"
    assert [str(c["summary"]) for c in calendar.walk("VEVENT")] == ["Språkkafé"]
    # The link works for anyone who has it, and only with the right token.
    assert english(Browser(app)).get(manage).status_code == 200
    assert english(Browser(app)).get(manage[:-3] + "xyz").status_code == 404
    assert "8 seats left" in english(Browser(app)).get(f"/events/{event_id}").get_data(as_text=True)


def test_a_resident_registers_with_one_click(app, client, login_as):
    event_id = make_event(app, make_organisation(app))
    resident = login_as("resident", locale="en")
    form = client.get(f"/events/{event_id}/register")
    assert 'name="email"' not in form.get_data(as_text=True)
    response = client.submit(f"/events/{event_id}/register", {})
    assert response.status_code == 302
    [registration] = _registrations(app, event_id)
    assert registration.user_id == resident.id and registration.email is None and registration.name is None
    assert "You are registered (1 person)" in client.get(f"/events/{event_id}").get_data(as_text=True)
    [mail] = outbox(app, resident.email)
    assert mail.locale == "en" and "You are registered" in mail.subject
    # Clicking again from the event page makes nothing new.
    again = client.get(f"/events/{event_id}/register")
    assert again.status_code == 302 and len(_registrations(app, event_id)) == 1


def test_when_full_people_join_the_waitlist_and_a_cancellation_promotes_the_first(app):
    event_id = make_event(app, make_organisation(app), capacity=2)
    first, _ = _guest(app, event_id, email="a@example.no", party_size="2")
    _, waiting = _guest(app, event_id, email="b@example.no", name="Bo")
    _, third = _guest(app, event_id, email="c@example.no", name="Cy")
    page = english(Browser(app)).get(third.headers["Location"]).get_data(as_text=True)
    assert "number 2 on the waitlist" in page
    assert "Full · 2 on the waitlist" in " ".join(english(Browser(app)).get(f"/events/{event_id}").get_data(as_text=True).split())
    waitlisted_mail = outbox(app, "c@example.no")[-1]
    assert waitlisted_mail.template == "registration_waitlisted" and "number 2" in waitlisted_mail.body
    manage = [m for m in outbox(app, "a@example.no")][0]
    link = link_in(manage, "/registrations/")
    cancelled = first.submit(link, {}, page=f"{link}/cancel", action=f"{link}/cancel")
    assert cancelled.status_code == 302
    statuses = {r.email: r.status for r in _registrations(app, event_id)}
    assert statuses == {"a@example.no": "cancelled", "b@example.no": "confirmed", "c@example.no": "confirmed"}
    assert _event(app, event_id).seats_taken == 2
    promoted = outbox(app, "b@example.no")[-1]
    assert promoted.template == "registration_promoted" and link_in(promoted, "/registrations/")
    assert promoted.attachments


def test_a_party_too_big_for_the_free_seats_keeps_its_place_while_smaller_ones_move_up(app):
    event_id = make_event(app, make_organisation(app), capacity=4)
    a, _ = _guest(app, event_id, email="a@example.no", party_size="2")
    b, _ = _guest(app, event_id, email="b@example.no", party_size="2")
    _guest(app, event_id, email="c@example.no", party_size="3")
    _guest(app, event_id, email="d@example.no", party_size="1")
    assert [r.status for r in _registrations(app, event_id)] == ["confirmed", "confirmed", "waitlisted", "waitlisted"]
    link_b = link_in(outbox(app, "b@example.no")[0], "/registrations/")
    b.submit(link_b, {}, page=f"{link_b}/cancel", action=f"{link_b}/cancel")
    statuses = {r.email: r.status for r in _registrations(app, event_id)}
    assert statuses["c@example.no"] == "waitlisted" and statuses["d@example.no"] == "confirmed"
    # C keeps first place in the queue, and gets the seats as soon as three are free.
    link_d = link_in(outbox(app, "d@example.no")[0], "/registrations/")
    assert "number 1 on the waitlist" in english(Browser(app)).get(link_in(outbox(app, "c@example.no")[0], "/registrations/")).get_data(as_text=True)
    link_a = link_in(outbox(app, "a@example.no")[0], "/registrations/")
    a.submit(link_a, {}, page=f"{link_a}/cancel", action=f"{link_a}/cancel")
    statuses = {r.email: r.status for r in _registrations(app, event_id)}
    assert statuses["c@example.no"] == "confirmed" and _event(app, event_id).seats_taken == 4
    assert link_d


def test_registering_again_with_the_same_email_mails_the_link_and_shows_none(app):
    event_id = make_event(app, make_organisation(app))
    _, first = _guest(app, event_id)
    intruder, again = _guest(app, event_id, name="Someone else", party_size="5")
    assert again.status_code == 200
    text = again.get_data(as_text=True)
    assert "already registered" in text and "/registrations/" not in text
    assert len(_registrations(app, event_id)) == 1 and _registrations(app, event_id)[0].party_size == 1
    mails = outbox(app, "amina@example.no")
    assert [m.template for m in mails] == ["registration_pending", "registration_confirmed", "registration_link_again"]
    assert link_in(mails[-1], "/registrations/") == first.headers["Location"]


def test_a_double_click_makes_one_registration_and_both_answers_show_it(app):
    event_id = make_event(app, make_organisation(app))
    browser = Browser(app)
    fields = form_fields(browser.get(f"/events/{event_id}/register"))
    fields.update(GUEST)
    one = browser.post(f"/events/{event_id}/register", data=fields)
    two = browser.post(f"/events/{event_id}/register", data=fields)
    # A guest's link comes by mail only, so neither answer shows it; one registration, one mail.
    assert (one.status_code, two.status_code) == (302, 200)
    assert one.headers["Location"] == f"/events/{event_id}/register/sent"
    assert "/registrations/" not in two.get_data(as_text=True)
    assert len(_registrations(app, event_id)) == 1 and len(outbox(app, GUEST["email"])) == 1


@pytest.mark.parametrize("fields, message", [
    ({"name": "", "email": ""}, "Write your name"),
    ({"email": "not-an-address"}, "right form"),
    ({"party_size": "6"}, "Not a valid choice"),
    ({"access_needs": "x" * 301}, "under 300"),
    ({"phone": "call me"}, "digits only"),
])
def test_bad_input_is_answered_beside_the_field_and_keeps_what_was_typed(app, fields, message):
    event_id = make_event(app, make_organisation(app))
    _, response = _guest(app, event_id, **fields)
    assert response.status_code == 400
    page = soup(response)
    assert message in page.select_one(".error-message").get_text()
    if fields.get("email") == "not-an-address":
        assert page.find(id="email")["value"] == "not-an-address"
        assert page.find(id="name")["value"] == GUEST["name"]
    assert _registrations(app, event_id) == []


def test_hostile_text_is_stored_as_typed_and_shown_escaped(app, client, login_as):
    event_id = make_event(app, make_organisation(app))
    name = '<script>alert(1)</script>"><img src=x onerror=alert(2)>'
    _guest(app, event_id, name=name)
    assert _registrations(app, event_id)[0].name == name
    link = link_in(outbox(app, "amina@example.no")[0], "/registrations/")
    page = english(Browser(app)).get(link)
    assert page.status_code == 200 and soup(page).find("img") is None
    assert [s.get("src") for s in soup(page).find_all("script")] == ["/static/app.js"]


def test_fake_sign_ups_are_refused_by_the_honeypot_the_fill_time_and_the_limits(app_factory):
    app = app_factory(REGISTRATION_MIN_SECONDS=3, GUEST_REGISTRATIONS_PER_HOUR=2)
    event_id = make_event(app, make_organisation(app))
    _, trapped = _guest(app, event_id, website="http://spam.example")
    assert trapped.status_code == 400 and "should be empty" in trapped.get_data(as_text=True)
    _, quick = _guest(app, event_id)
    assert quick.status_code == 400 and "very quick" in quick.get_data(as_text=True)
    assert soup(quick).find(id="name")["value"] == GUEST["name"]
    assert _registrations(app, event_id) == []
    browsers = [english(Browser(app)) for _ in range(3)]
    shown = [form_fields(b.get(f"/events/{event_id}/register")) for b in browsers]
    real = time.time
    try:
        time.time = lambda: real() + 5
        answers = [b.post(f"/events/{event_id}/register", data={**fields, **GUEST, "email": f"p{n}@example.no"})
                   for n, (b, fields) in enumerate(zip(browsers, shown, strict=True))]
    finally:
        time.time = real
    assert [a.status_code for a in answers[:2]] == [302, 302]
    limited = answers[2]
    assert limited.status_code == 429 and "wait a while" in limited.get_data(as_text=True)
    assert len(_registrations(app, event_id)) == 2


def test_registration_is_closed_after_the_deadline_when_cancelled_or_started(app, client, login_as):
    organisation = make_organisation(app)
    from app.core.db import utcnow

    past_deadline = make_event(app, organisation, registration_deadline=utcnow() - timedelta(hours=1))
    started = make_event(app, organisation, starts_in_days=-0.01)
    cancelled = make_event(app, organisation, status="cancelled")
    for event_id, message in ((past_deadline, "deadline has passed"), (started, "has started"),
                              (cancelled, "is cancelled")):
        page = english(Browser(app)).get(f"/events/{event_id}/register")
        assert message in page.get_data(as_text=True)
        _, response = _guest(app, event_id)
        assert response.status_code in (400, 409)
        assert message in response.get_data(as_text=True)
    assert all(_registrations(app, e) == [] for e in (past_deadline, started, cancelled))


def test_changing_the_number_of_people_needs_free_seats_and_gives_seats_back(app):
    event_id = make_event(app, make_organisation(app), capacity=3)
    browser, response = _guest(app, event_id, party_size="2")
    _guest(app, event_id, email="w@example.no", name="Wenche", party_size="1")
    _guest(app, event_id, email="x@example.no", name="Xu", party_size="1")
    link = response.headers["Location"]
    refused = browser.submit(link, {"change-party_size": "3"})
    assert refused.status_code == 409 and "not enough free seats" in refused.get_data(as_text=True)
    assert _registrations(app, event_id)[0].party_size == 2
    assert browser.submit(link, {"change-party_size": "1"}).status_code == 302
    statuses = {r.email: r.status for r in _registrations(app, event_id)}
    assert statuses == {"amina@example.no": "confirmed", "w@example.no": "confirmed", "x@example.no": "confirmed"}
    assert _event(app, event_id).seats_taken == 3


# --- the list and the event page --------------------------------------------------------------------------

def test_the_list_filters_by_district_date_audience_area_and_free_seats(app):
    organisation = make_organisation(app, districts=("mollenberg", "lademoen"))
    cafe = make_event(app, organisation, title="Språkkafé", starts_in_days=2, audience="newcomers")
    family = make_event(app, organisation, title="Familiesøndag", district="lademoen", starts_in_days=10,
                        audience="families", capacity=1)
    _guest(app, family)
    make_event(app, organisation, title="Gammelt møte", starts_in_days=-3)
    make_event(app, organisation, title="Avlyst kveld", status="cancelled")
    browser = Browser(app)

    def titles(query=""):
        return [a.get_text() for a in soup(browser.get(f"/events/{query}")).select(".card h3 a")]

    assert titles() == ["Språkkafé", "Familiesøndag"]
    assert titles("?district=lademoen") == ["Familiesøndag"]
    assert titles("?audience=newcomers") == ["Språkkafé"]
    assert titles("?free=1") == ["Språkkafé"]
    day = (datetime.now(OSLO) + timedelta(days=10)).date().isoformat()
    assert titles(f"?start={day}&end={day}") == ["Familiesøndag"]
    assert titles("?start=not-a-date&district=nowhere&page=-1") == ["Språkkafé", "Familiesøndag"]
    assert titles("?start=0001-01-01&end=9999-12-31") == ["Språkkafé", "Familiesøndag"]
    assert cafe


def test_the_list_and_the_event_page_run_a_fixed_number_of_queries(app):
    organisation = make_organisation(app)

    def fill(count):
        ids = [make_event(app, organisation, capacity=2, title=f"Kveld {n}") for n in range(count)]
        for event_id in ids:
            for n in range(3):
                _guest(app, event_id, email=f"{event_id}-{n}@example.no")
        return ids

    first = fill(2)
    browser = Browser(app)
    with count_queries(app) as few:
        assert browser.get("/events/").status_code == 200
    with count_queries(app) as page_few:
        browser.get(f"/events/{first[0]}")
    fill(12)
    with count_queries(app) as many:
        response = browser.get("/events/")
    with count_queries(app) as page_many:
        browser.get(f"/events/{first[0]}")
    assert len(many) == len(few)
    assert len(page_many) == len(page_few)
    assert len(response.get_data()) < 50_000


def test_held_and_declined_events_are_seen_only_by_their_organisers_and_moderators(app, client, login_as):
    organiser = make_user(app)
    organisation = make_organisation(app, organiser)
    held = make_event(app, organisation, status="held", title="Venter")
    assert english(Browser(app)).get(f"/events/{held}").status_code == 404
    assert "Venter" not in english(Browser(app)).get("/events/").get_data(as_text=True)
    moderator = Browser(app)
    login_as("moderator", browser=moderator, districts=("mollenberg",))
    assert moderator.get(f"/events/{held}").status_code == 200
    other = Browser(app)
    login_as("moderator", browser=other, districts=("lademoen",))
    assert other.get(f"/events/{held}").status_code == 404


# --- organisers ---------------------------------------------------------------------------------------------

def _form(when: datetime, **fields):
    end = when + timedelta(hours=2)
    values = {"title": "Språkkafé på Møllenberg", "description": "Vi øver norsk sammen hver onsdag.",
              "district": "mollenberg", "meeting_place": "", "address": "Rosenborg gate 10",
              "starts_at": when.strftime("%Y-%m-%dT%H:%M"), "ends_at": end.strftime("%Y-%m-%dT%H:%M"),
              "capacity": "10", "registration_deadline": "", "effort_area": "2", "languages": ["nb", "ar"],
              "audience": "newcomers", "repeat_weeks": "1"}
    values.update(fields)
    return values


def _next_wednesday(hour=18) -> datetime:
    today = datetime.now(OSLO).replace(hour=hour, minute=0, second=0, microsecond=0, tzinfo=None)
    return today + timedelta(days=(2 - today.weekday()) % 7 + 7)


def test_an_organiser_posts_a_weekly_series_with_the_same_oslo_time_across_daylight_saving(app, client, login_as):
    organiser = login_as("resident", locale="en")
    organisation = make_organisation(app, organiser)
    # 2027-03-24 is before the spring change (28 March), 2027-03-31 after.
    start = datetime(2027, 3, 17, 18, 0)
    response = client.submit(f"/events/new?organisation={organisation}", _form(start, repeat_weeks="4"))
    assert response.status_code == 302, soup(response).select(".error-message")
    with app.app_context():
        events = db.session.scalars(db.select(Event).order_by(Event.starts_at)).all()
        local = [e.starts_at.astimezone(OSLO) for e in events]
        assert [t.strftime("%Y-%m-%d %H:%M") for t in local] == [
            "2027-03-17 18:00", "2027-03-24 18:00", "2027-03-31 18:00", "2027-04-07 18:00"]
        assert [t.utcoffset() for t in local] == [timedelta(hours=1)] * 2 + [timedelta(hours=2)] * 2
        assert len({e.series_id for e in events}) == 1 and events[0].series_id
        assert events[0].languages == "nb,ar" and events[0].effort_area.number == 2
    page = english(Browser(app)).get(response.headers["Location"]).get_data(as_text=True)
    assert "Other times in this series" in page


@pytest.mark.parametrize("fields, field_id, message", [
    ({"capacity": "0"}, "capacity", "at least 1 seat"),
    ({"capacity": "-4"}, "capacity", "at least 1 seat"),
    ({"ends_at": "2027-03-17T17:00"}, "ends_at", "end must be after the start"),
    ({"starts_at": "tomorrow"}, "starts_at", "Not a valid datetime value"),
    ({"address": "", "meeting_place": ""}, "address", "write the address"),
    ({"repeat_weeks": "27"}, "repeat_weeks", "between 1 and 26"),
    ({"registration_deadline": "2027-03-18T10:00"}, "registration_deadline", "before the event starts"),
    ({"title": ""}, "title", "Give the event a title"),
    ({"starts_at": "0001-01-01T10:00"}, "starts_at", "between 2020 and 2100"),
    ({"registration_deadline": "0001-01-01T10:00"}, "registration_deadline", "between 2020 and 2100"),
    ({"ends_at": "2028-03-17T20:00"}, "ends_at", "at most 31 days"),
])
def test_event_form_errors_are_shown_beside_the_field_and_keep_what_was_typed(app, client, login_as, fields, field_id, message):
    organiser = login_as("resident", locale="en")
    organisation = make_organisation(app, organiser)
    response = client.submit(f"/events/new?organisation={organisation}",
                             _form(datetime(2027, 3, 17, 18, 0), title=fields.pop("title", "Strikkekafé <b>"), **fields))
    assert response.status_code == 400
    page = soup(response)
    assert message in page.find(id=f"{field_id}-error").get_text()
    if field_id != "title":
        assert page.find(id="title")["value"] == "Strikkekafé <b>"
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count()).select_from(Event)) == 0


def test_only_organisers_of_an_approved_organisation_create_and_change_its_events(app, client, login_as):
    organiser = make_user(app)
    organisation = make_organisation(app, organiser)
    event_id = make_event(app, organisation)
    outsider = login_as("resident", locale="en")
    assert client.get("/events/new").status_code == 403
    assert client.get(f"/events/{event_id}/edit").status_code == 403
    assert client.submit(f"/events/{event_id}/cancel", {}, page=f"/events/{event_id}").status_code == 403
    moderator = Browser(app)
    login_as("moderator", browser=moderator, districts=("mollenberg",))
    assert moderator.get(f"/events/{event_id}/edit").status_code == 403
    assert outsider


def test_a_change_of_time_for_this_and_later_moves_each_occurrence_and_mails_the_registered(app, client, login_as):
    organiser = login_as("resident", locale="en")
    organisation = make_organisation(app, organiser)
    start = _next_wednesday()
    client.submit(f"/events/new?organisation={organisation}", _form(start, repeat_weeks="3"))
    with app.app_context():
        ids = list(db.session.scalars(db.select(Event.id).order_by(Event.starts_at)))
    for event_id in ids:
        _guest(app, event_id, email=f"g{event_id}@example.no")
    later = start + timedelta(weeks=1)
    page = f"/events/{ids[1]}/edit"
    response = client.submit(page, _form(later + timedelta(hours=1), scope="later"))
    assert response.status_code == 302, soup(response).select(".error-message")
    with app.app_context():
        hours = [e.starts_at.astimezone(OSLO).hour for e in db.session.scalars(db.select(Event).order_by(Event.starts_at))]
    assert hours == [18, 19, 19]
    assert [m.template for m in outbox(app, f"g{ids[0]}@example.no")] == ["registration_pending", "registration_confirmed"]
    for event_id in ids[1:]:
        assert outbox(app, f"g{event_id}@example.no")[-1].template == "event_changed"


def test_lowering_capacity_below_the_confirmed_seats_is_refused_and_raising_it_promotes(app, client, login_as):
    organiser = login_as("resident", locale="en")
    organisation = make_organisation(app, organiser)
    start = _next_wednesday()
    client.submit(f"/events/new?organisation={organisation}", _form(start, capacity="2"))
    with app.app_context():
        event_id = db.session.scalar(db.select(Event.id))
    for n in range(4):
        _guest(app, event_id, email=f"p{n}@example.no")
    refused = client.submit(f"/events/{event_id}/edit", _form(start, capacity="1"))
    assert refused.status_code == 400 and "2 seats are already confirmed" in soup(refused).find(id="capacity-error").get_text()
    assert client.submit(f"/events/{event_id}/edit", _form(start, capacity="3")).status_code == 302
    assert [r.status for r in _registrations(app, event_id)] == ["confirmed", "confirmed", "confirmed", "waitlisted"]
    assert outbox(app, "p2@example.no")[-1].template == "registration_promoted"


def test_cancelling_this_and_later_tells_everyone_and_marks_the_calendar(app, client, login_as):
    organiser = login_as("resident", locale="en")
    organisation = make_organisation(app, organiser)
    client.submit(f"/events/new?organisation={organisation}", _form(_next_wednesday(), repeat_weeks="3"))
    with app.app_context():
        ids = list(db.session.scalars(db.select(Event.id).order_by(Event.starts_at)))
    for event_id in ids:
        _guest(app, event_id, email=f"g{event_id}@example.no")
    response = client.submit(f"/events/{ids[1]}/cancel", {"scope": "later"})
    assert response.status_code == 302
    assert [_event(app, e).status for e in ids] == ["published", "cancelled", "cancelled"]
    assert outbox(app, f"g{ids[2]}@example.no")[-1].template == "event_cancelled"
    assert outbox(app, f"g{ids[0]}@example.no")[-1].template == "registration_confirmed"
    _, closed = _guest(app, ids[2], email="late@example.no")
    assert "is cancelled" in closed.get_data(as_text=True)
    feed = Calendar.from_ical(english(Browser(app)).get("/districts/mollenberg/events.ics").get_data())
    assert sorted(str(c["status"]) for c in feed.walk("VEVENT")) == ["CANCELLED", "CANCELLED", "CONFIRMED"]


def test_events_held_for_approval_wait_in_the_queue_and_approval_publishes_the_series(app_factory, login_as):
    app = app_factory(PREMODERATE=frozenset({"events"}), REGISTRATION_MIN_SECONDS=0)
    organiser_browser = Browser(app)
    from tests.conftest import PASSWORD

    organiser = make_user(app)
    organiser_browser.submit("/account/login", {"email": organiser.email, "password": PASSWORD})
    organisation = make_organisation(app, organiser)
    response = organiser_browser.submit(f"/events/new?organisation={organisation}", _form(_next_wednesday(), repeat_weeks="2"))
    assert response.status_code == 302
    with app.app_context():
        from app.events.models import EventReview

        review_id = db.session.scalar(db.select(EventReview.id))
        assert {e.status for e in db.session.scalars(db.select(Event))} == {"held"}
    assert "Språkkafé" not in english(Browser(app)).get("/events/").get_data(as_text=True)
    moderator = Browser(app)
    mod = make_user(app, role="moderator", districts=("mollenberg",))
    moderator.submit("/account/login", {"email": mod.email, "password": PASSWORD})
    page = f"/moderation/items/event/{review_id}"
    assert moderator.get(page).status_code == 200
    assert moderator.submit(page, {}, action=f"{page}/accept").status_code == 302
    with app.app_context():
        assert {e.status for e in db.session.scalars(db.select(Event))} == {"published"}
    assert outbox(app, organiser.email)[-1].template == "event_decided"


# --- calendar files ------------------------------------------------------------------------------------------

def test_the_calendar_file_is_valid_with_oslo_times_the_page_address_and_a_cancelled_status(app):
    organisation = make_organisation(app)
    event_id = make_event(app, organisation)
    with app.app_context():
        event = db.session.get(Event, event_id)
        # Sunday 25 October 2026, the autumn change: 02:30 happens twice; pick a time after it.
        event.starts_at = datetime(2026, 10, 25, 10, 0, tzinfo=OSLO)
        event.ends_at = datetime(2026, 10, 25, 12, 0, tzinfo=OSLO)
        event.status = "cancelled"
        db.session.commit()
    response = english(Browser(app)).get(f"/events/{event_id}.ics")
    assert response.status_code == 200 and response.mimetype == "text/calendar"
    calendar = Calendar.from_ical(response.get_data())
    [component] = calendar.walk("VEVENT")
    assert component.decoded("dtstart") == datetime(2026, 10, 25, 9, 0, tzinfo=OSLO).astimezone(OSLO) + timedelta(hours=1)
    assert component.decoded("dtstart").utcoffset() == timedelta(hours=1)
    assert str(component["status"]) == "CANCELLED"
    assert f"/events/{event_id}" in str(component["url"]) and f"/events/{event_id}" in str(component["description"])
    assert calendar.walk("VTIMEZONE")
    assert english(Browser(app)).get("/districts/nowhere/events.ics").status_code == 404


def test_upcoming_events_show_on_the_home_and_district_pages_and_a_residents_on_their_account(app, client, login_as):
    organisation = make_organisation(app, districts=("mollenberg", "lademoen"))
    make_event(app, organisation, title="Strikkekafé", district="mollenberg")
    make_event(app, organisation, title="Leksehjelp", district="lademoen")
    home = english(Browser(app)).get("/").get_data(as_text=True)
    assert "Strikkekafé" in home and "Leksehjelp" in home
    district = english(Browser(app)).get("/districts/lademoen").get_data(as_text=True)
    assert "Leksehjelp" in district and "Strikkekafé" not in district
    login_as("resident", locale="en")
    with app.app_context():
        event_id = db.session.scalar(db.select(Event.id).where(Event.title == "Leksehjelp"))
    client.submit(f"/events/{event_id}/register", {})
    account = soup(client.get("/account/"))
    [link] = account.select("#my-registrations-title ~ ul a")
    assert link.get_text() == "Leksehjelp" and link["href"].startswith("/registrations/")
    assert client.get(link["href"]).status_code == 200


def test_a_meeting_place_and_an_organisation_show_their_upcoming_events(app):
    from app.districts.services import get_district
    from app.meeting_places.models import MeetingPlace

    with app.app_context():
        place = MeetingPlace(district_id=get_district("mollenberg").id, name="Biblioteket", address="Peter Egges plass 1")
        db.session.add(place)
        db.session.commit()
        place_id = place.id
    organisation = make_organisation(app)
    make_event(app, organisation, title="Lesestund", meeting_place_id=place_id)
    make_event(app, organisation, title="Tur i parken")
    place_page = english(Browser(app)).get(f"/meeting-places/{place_id}").get_data(as_text=True)
    assert "Lesestund" in place_page and "Tur i parken" not in place_page
    organisation_page = english(Browser(app)).get(f"/organisations/{organisation}").get_data(as_text=True)
    assert "Lesestund" in organisation_page and "Tur i parken" in organisation_page


def test_sending_the_already_registered_form_again_never_opens_the_other_persons_link(app):
    """Typing someone's email and resending the form (or double-clicking) shows no link either time."""
    event_id = make_event(app, make_organisation(app))
    _guest(app, event_id)  # the real person
    intruder = english(Browser(app))
    fields = form_fields(intruder.get(f"/events/{event_id}/register"))
    fields.update(GUEST, name="Inntrenger")
    first = intruder.post(f"/events/{event_id}/register", data=fields)
    again = intruder.post(f"/events/{event_id}/register", data=fields)
    for response in (first, again):
        assert response.status_code == 200
        assert "/registrations/" not in response.get_data(as_text=True) and "Location" not in response.headers
    assert [r.status for r in _registrations(app, event_id)] == ["confirmed"]


def test_a_held_event_cannot_be_made_public_by_cancelling_it(app, client, login_as):
    organiser = login_as("resident", locale="en")
    event_id = make_event(app, make_organisation(app, organiser), status="held", title="Venter")
    response = client.submit(f"/events/{event_id}/cancel", {}, page=f"/events/{event_id}/cancel")
    assert response.status_code == 302
    assert _event(app, event_id).status == "held"
    assert english(Browser(app)).get(f"/events/{event_id}").status_code == 404
    assert "Venter" not in english(Browser(app)).get("/districts/mollenberg/events.ics").get_data(as_text=True)


def test_a_new_time_is_mailed_with_a_calendar_file_that_replaces_the_old_one(app, client, login_as):
    organiser = login_as("resident", locale="en")
    organisation = make_organisation(app, organiser)
    start = _next_wednesday()
    client.submit(f"/events/new?organisation={organisation}", _form(start))
    with app.app_context():
        event_id = db.session.scalar(db.select(Event.id))
    _guest(app, event_id)
    before = Calendar.from_ical(english(Browser(app)).get(f"/events/{event_id}.ics").get_data()).walk("VEVENT")[0]
    time.sleep(1.1)  # SEQUENCE counts seconds since the event was made
    client.submit(f"/events/{event_id}/edit", _form(start + timedelta(hours=1)))
    changed = outbox(app, "amina@example.no")[-1]
    assert changed.template == "event_changed"
    [attached] = Calendar.from_ical(changed.attachments[0]["content"]).walk("VEVENT")
    assert attached["uid"] == before["uid"]
    assert int(attached["sequence"]) > int(before["sequence"])
    assert attached.decoded("dtstart").astimezone(OSLO).hour == start.hour + 1


def test_the_error_summary_links_to_the_languages_when_none_is_chosen(app, client, login_as):
    organiser = login_as("resident", locale="en")
    organisation = make_organisation(app, organiser)
    response = client.submit(f"/events/new?organisation={organisation}", _form(_next_wednesday(), languages=[]))
    assert response.status_code == 400
    page = soup(response)
    link = page.select_one(".error-summary a[href='#languages']")
    assert link is not None and page.find(id="languages").name == "fieldset"
    assert "at least one language" in page.find(id="languages-error").get_text()


def test_a_guest_downloads_and_deletes_their_registration_through_the_link(app):
    import json

    event_id = make_event(app, make_organisation(app), capacity=1)
    guest, _ = _guest(app, event_id, email="a@example.no", access_needs="Tolk")
    _guest(app, event_id, email="b@example.no", name="Bo")
    link = link_in(outbox(app, "a@example.no")[0], "/registrations/")
    download = guest.get(f"{link}/data")
    assert download.status_code == 200 and "attachment" in download.headers["Content-Disposition"]
    assert "no-store" in download.headers["Cache-Control"]
    data = json.loads(download.data)["registration"]
    assert (data["name"], data["email"], data["phone"], data["access_needs"]) == (
        "Amina Yusuf", "a@example.no", "912 34 567", "Tolk")
    assert "Bo" not in download.get_data(as_text=True)
    erased = guest.submit(link, {}, page=f"{link}/erase", action=f"{link}/erase")
    assert erased.status_code == 302 and erased.headers["Location"].endswith(f"/events/{event_id}")
    assert {r.email: r.status for r in _registrations(app, event_id)} == {"b@example.no": "confirmed"}
    assert guest.get(link).status_code == 404 and guest.get(f"{link}/data").status_code == 404
    with app.app_context():
        assert db.session.get(Event, event_id).seats_taken == 1
    assert Browser(app).get("/registrations/not-a-real-token/data").status_code == 404
