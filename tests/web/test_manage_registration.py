"""The page behind a registration's personal link (a guest's, and a resident's own): one primary action,
destructive steps asked once more without JavaScript, words that fit people without a seat, no calendar
file for what will not happen, access needs shown and changeable; and an organiser's reason for cancelling."""
from __future__ import annotations

import re

import pytest

from app.events.models import Event, Registration
from app.extensions import db
from tests.helpers import PASSWORD, Browser, link_in, make_event, make_organisation, make_user, outbox, soup
from tests.web.test_events import _guest, english


@pytest.fixture
def app(app_factory):
    return app_factory(REGISTRATION_MIN_SECONDS=0)


def _registration(app, email: str | None = None, user_id: int | None = None) -> Registration:
    with app.app_context():
        found = db.session.scalar(db.select(Registration).where(
            Registration.email == email if email else Registration.user_id == user_id))
        db.session.expunge_all()
        return found


def _primary_buttons(page) -> list[str]:
    """Buttons and button-like links shown as the page's main action (not secondary, not destructive)."""
    return [b.get_text(" ", strip=True) for b in page.select("main .button")
            if not {"secondary", "danger"} & set(b.get("class", []))]


def _guest_link(app, event_id: int, email: str = "amina@example.no", **fields) -> tuple[Browser, str]:
    browser, response = _guest(app, event_id, email=email, **fields)
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    return browser, response.headers["Location"]


def test_cancelling_asks_once_more_on_its_own_page_and_keeping_it_changes_nothing(app):
    event_id = make_event(app, make_organisation(app))
    browser, link = _guest_link(app, event_id)
    manage = soup(browser.get(link))
    assert not manage.select(f"form[action='{link}/cancel']"), "one press on the page must not cancel"
    [ask] = manage.select(f"a[href='{link}/cancel']")
    assert ask.get_text(strip=True) == "Cancel my registration"
    question = browser.get(f"{link}/cancel")
    assert question.status_code == 200
    page = soup(question)
    assert page.h1.get_text(strip=True) == "Cancel your registration?"
    assert page.select_one("a[href='%s']" % link).get_text(strip=True) == "No, keep it"
    assert _registration(app, "amina@example.no").status == "confirmed"   # looking at the question did nothing
    done = browser.submit(f"{link}/cancel", {}, action=f"{link}/cancel")
    assert done.status_code == 302 and done.headers["Location"] == link
    assert _registration(app, "amina@example.no").status == "cancelled"
    # Without the page's token the press does nothing (a link in a mail opened by a scanner, a forged form).
    _, other = _guest_link(app, event_id, email="bo@example.no", name="Bo")
    assert Browser(app).post(f"{other}/cancel", data={}).status_code == 302
    assert _registration(app, "bo@example.no").status == "confirmed"


def test_deleting_asks_once_more_and_only_the_answer_deletes(app):
    event_id = make_event(app, make_organisation(app))
    browser, link = _guest_link(app, event_id)
    manage = soup(browser.get(link))
    assert not manage.select(f"form[action='{link}/erase']")
    assert manage.select(f"a[href='{link}/erase']")
    question = soup(browser.get(f"{link}/erase"))
    assert question.h1.get_text(strip=True) == "Delete your registration and your details?"
    assert _registration(app, "amina@example.no") is not None
    assert browser.submit(f"{link}/erase", {}, action=f"{link}/erase").status_code == 302
    assert _registration(app, "amina@example.no") is None


def test_each_state_of_the_page_has_at_most_one_primary_action(app):
    event_id = make_event(app, make_organisation(app), capacity=1)
    browser, link = _guest_link(app, event_id)
    assert _primary_buttons(soup(browser.get(link))) == ["Add to your calendar (.ics)"]
    waiting_browser, waiting_link = _guest_link(app, event_id, email="bo@example.no", name="Bo")
    waiting_page = soup(waiting_browser.get(waiting_link))
    assert _primary_buttons(waiting_page) == []  # without a seat the calendar must not look like the next step
    calendar = waiting_page.select_one(f"a[href='/events/{event_id}.ics']")
    assert calendar.get_text(strip=True) == "Add to your calendar, in case a seat opens (.ics)"
    assert "secondary" in calendar["class"]
    _, unconfirmed = _guest(app, event_id, confirm=False, email="cy@example.no", name="Cy")
    unconfirmed_link = link_in(outbox(app, "cy@example.no")[-1], "/registrations/")
    unconfirmed_page = soup(english(Browser(app)).get(unconfirmed_link))
    assert _primary_buttons(unconfirmed_page) == ["Confirm and join the waitlist"]
    # The deadline is written like every other date on the site ("6 December 2026, 17:43"), not "06/12/2026, 17:43".
    assert re.search(r"Confirm before \d{1,2} [A-Z][a-z]+ \d{4}, \d\d:\d\d with", unconfirmed_page.get_text(" "))
    browser.submit(f"{link}/cancel", {}, action=f"{link}/cancel")
    assert _primary_buttons(soup(browser.get(link))) == ["Go to the event to register again"]


def test_people_on_the_waitlist_are_told_they_have_no_seat_and_can_leave_the_waitlist(app):
    event_id = make_event(app, make_organisation(app), capacity=1)
    _guest_link(app, event_id)
    browser, link = _guest_link(app, event_id, email="bo@example.no", name="Bo")
    text = " ".join(soup(browser.get(link)).main.get_text(" ").split())
    assert "You do not have a seat yet. You are number 1 on the waitlist." in text
    assert "Leave the waitlist" in text and "Cancel my registration" not in text
    assert "so your place goes to" not in text   # they have no place to give
    question = soup(browser.get(f"{link}/cancel"))
    assert question.h1.get_text(strip=True) == "Leave the waitlist?"
    left = browser.submit(f"{link}/cancel", {}, action=f"{link}/cancel", follow_redirects=True)
    assert "You have left the waitlist." in left.get_data(as_text=True)
    assert _registration(app, "bo@example.no").status == "cancelled"


def test_no_calendar_file_is_offered_for_a_cancelled_registration_or_a_cancelled_event(app, client, login_as):
    organiser = login_as("resident", locale="en")
    event_id = make_event(app, make_organisation(app, organiser))
    guest, link = _guest_link(app, event_id)
    ics = f"/events/{event_id}.ics"
    assert soup(guest.get(link)).select(f"a[href='{ics}']")
    assert soup(english(Browser(app)).get(f"/events/{event_id}")).select(f"a[href='{ics}']")
    assert client.submit(f"/events/{event_id}/cancel", {"reason": ""}).status_code == 302
    assert not soup(guest.get(link)).select(f"a[href='{ics}']")
    assert not soup(english(Browser(app)).get(f"/events/{event_id}")).select(f"a[href='{ics}']")
    other = make_event(app, make_organisation(app, name="Turlaget"), title="Tur")
    browser, own = _guest_link(app, other, email="bo@example.no", name="Bo")
    browser.submit(f"{own}/cancel", {}, action=f"{own}/cancel")
    assert not soup(browser.get(own)).select(f"a[href='/events/{other}.ics']")


def test_a_guest_sees_and_changes_their_access_needs_through_their_link(app, login_as):
    organiser = make_user(app)
    event_id = make_event(app, make_organisation(app, organiser))
    browser, link = _guest_link(app, event_id, access_needs="Rullestolplass")
    page = soup(browser.get(link))
    assert "Rullestolplass" in page.select_one("dl.facts").get_text()
    assert page.select_one("textarea[name='change-access_needs']").get_text().strip() == "Rullestolplass"
    response = browser.submit(link, {"change-access_needs": "Tolk til arabisk", "change-party_size": "2"})
    assert response.status_code == 302
    saved = _registration(app, "amina@example.no")
    assert (saved.access_needs, saved.party_size) == ("Tolk til arabisk", 2)
    assert "Tolk til arabisk" in soup(browser.get(link)).select_one("dl.facts").get_text()
    browser.submit(link, {"change-access_needs": ""})
    assert _registration(app, "amina@example.no").access_needs is None
    # Too long: said beside the field, nothing saved.
    refused = browser.submit(link, {"change-access_needs": "x" * 301})
    assert refused.status_code == 400
    assert soup(refused).select_one("#change-access_needs-error")
    # The organiser sees what the guest wrote.
    browser.submit(link, {"change-access_needs": "Trinnfri inngang"})
    staff = Browser(app)
    login_as("resident", browser=staff)   # a resident who is not an organiser: no participant list
    assert staff.get(f"/organiser/events/{event_id}").status_code in (403, 404)
    organiser_browser = Browser(app)
    organiser_browser.submit("/account/login", {"email": organiser.email, "password": PASSWORD})
    assert "Trinnfri inngang" in organiser_browser.get(f"/organiser/events/{event_id}").get_data(as_text=True)


def test_a_resident_changes_their_own_access_needs_and_another_resident_cannot(app, client, login_as):
    event_id = make_event(app, make_organisation(app))
    owner = login_as("resident", locale="en")
    client.submit(f"/events/{event_id}/register", {"access_needs": "Hørselsslynge"})
    [manage] = soup(client.get(f"/events/{event_id}")).select("a[href^='/registrations/']")
    link = manage["href"]
    assert "Hørselsslynge" in soup(client.get(link)).select_one("dl.facts").get_text()
    assert client.submit(link, {"change-access_needs": "Plass nær døra"}).status_code == 302
    assert _registration(app, user_id=owner.id).access_needs == "Plass nær døra"

    other = english(Browser(app))
    login_as("resident", browser=other)
    event_page = other.get(f"/events/{event_id}").get_data(as_text=True)
    assert link not in event_page and "Plass nær døra" not in event_page
    assert other.get(link[:-4] + "abcd").status_code == 404
    assert other.post(link[:-4] + "abcd", data={"change-access_needs": "Ingenting"}).status_code == 404
    assert _registration(app, user_id=owner.id).access_needs == "Plass nær døra"


def test_an_organiser_gives_a_reason_when_cancelling_shown_on_the_page_and_in_the_mail(app, client, login_as):
    organiser = login_as("resident", locale="en")
    event_id = make_event(app, make_organisation(app, organiser))
    _guest_link(app, event_id)
    intruder = english(Browser(app))
    login_as("resident", browser=intruder)
    assert intruder.get(f"/events/{event_id}/cancel").status_code == 403
    assert intruder.post(f"/events/{event_id}/cancel", data={"reason": "Tull"}).status_code == 403

    too_long = client.submit(f"/events/{event_id}/cancel", {"reason": "x" * 501})
    assert too_long.status_code == 400 and soup(too_long).select_one("#reason-error")
    assert client.submit(f"/events/{event_id}/cancel", {"reason": "Lederen er syk."}).status_code == 302
    with app.app_context():
        assert db.session.get(Event, event_id).cancel_reason == "Lederen er syk."
    page = " ".join(english(Browser(app)).get(f"/events/{event_id}").get_data(as_text=True).split())
    assert "This event is cancelled. The organiser says: Lederen er syk." in page
    mail = outbox(app, "amina@example.no")[-1]
    assert mail.template == "event_cancelled"
    assert "Lederen er syk." in mail.body
    assert link_in(mail, "/events/") == "/events/?district=mollenberg"
    assert f"/events/{event_id}" not in mail.body


def test_cancelling_without_a_reason_still_works_and_says_none(app, client, login_as):
    organiser = login_as("resident", locale="en")
    event_id = make_event(app, make_organisation(app, organiser))
    _guest_link(app, event_id)
    assert client.submit(f"/events/{event_id}/cancel", {}).status_code == 302
    with app.app_context():
        assert db.session.get(Event, event_id).cancel_reason is None
    assert "The organiser says" not in outbox(app, "amina@example.no")[-1].body


def test_the_registration_page_queries_the_same_however_many_are_registered(app):
    from tests.helpers import count_queries

    event_id = make_event(app, make_organisation(app), capacity=2)
    _guest_link(app, event_id, email="a@example.no", name="A")
    browser, link = _guest_link(app, event_id, email="b@example.no", name="B")

    def measure() -> int:
        browser.get(link)
        with count_queries(app) as queries:
            assert browser.get(link).status_code == 200
        return len(queries)

    few = measure()
    for n in range(8):
        _guest_link(app, event_id, email=f"w{n}@example.no", name=f"W {n}")
    assert measure() == few
