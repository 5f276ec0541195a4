"""Guest sign-ups are no longer free to fake.

The tester filled every seat of a small event with made-up guest registrations (no email ever
confirmed), and 60 bot sign-ups that were cancelled again used up the event's limit, locking
real guests out for the hour. Now a guest's seat is only held until they open the link mailed to
them and confirm; a hold that is not confirmed in time (GUEST_HOLD_MINUTES) gives the seat back,
with no scheduled job needed; the event's limit counts the holds still waiting and gives
cancelled ones back; the per-address limit takes an IPv6 client by its /64. The organiser sees
who has not confirmed yet, in words. Someone with an account still registers with one tap.
"""
from __future__ import annotations

from datetime import timedelta

import pytest

from app.events.models import Event, Registration
from app.extensions import db
from tests.helpers import Browser, link_in, make_event, make_organisation, outbox, soup


@pytest.fixture
def app(app_factory):
    return app_factory(REGISTRATION_MIN_SECONDS=0, GUEST_HOLD_MINUTES=30)


def _sign_up(app, event_id, n, address=None):
    """A made-up guest, from an address of its own (the bot spreads over many)."""
    browser = Browser(app)
    environ = {"REMOTE_ADDR": address or f"10.0.{n // 200}.{n % 200 + 1}"}
    browser.get("/?lang=en", environ_base=environ)
    response = browser.submit(f"/events/{event_id}/register",
                              {"name": f"Bot {n}", "email": f"bot{n}@spam.example", "phone": "",
                               "party_size": "1", "access_needs": ""}, environ_base=environ)
    if response.status_code == 302:   # what the browser shows next
        assert response.headers["Location"] == f"/events/{event_id}/register/sent"
        response = browser.get(response.headers["Location"], environ_base=environ)
    return browser, response


def _confirm(app, email, browser=None):
    """What the person does with the mail: open the link and press the button."""
    browser = browser or Browser(app)
    link = link_in(outbox(app, email)[-1], "/registrations/")
    page = browser.get(link)
    assert page.status_code == 200
    return browser.submit(link, {}, action=f"{link}/confirm")


def _statuses(app, event_id) -> dict[str, str]:
    with app.app_context():
        return {r.email: r.status for r in db.session.scalars(
            db.select(Registration).where(Registration.event_id == event_id))}


def _event(app, event_id) -> Event:
    with app.app_context():
        event = db.session.get(Event, event_id)
        db.session.expunge(event)
        return event


def _time_passes(app, minutes):
    """The holds were made ``minutes`` earlier (the clock is not turned; the holds are)."""
    with app.app_context():
        for registration in db.session.scalars(db.select(Registration).where(Registration.confirm_by.is_not(None))):
            registration.confirm_by -= timedelta(minutes=minutes)
        db.session.commit()


def test_made_up_guests_only_hold_seats_and_real_guests_get_them_when_the_holds_expire(app):
    event_id = make_event(app, make_organisation(app), capacity=3)
    for n in range(3):
        _, answer = _sign_up(app, event_id, n)
        # No link to the registration in the browser: it only comes by mail.
        assert answer.status_code == 200 and "/registrations/" not in answer.get_data(as_text=True)
        assert "check your email" in answer.get_data(as_text=True).lower()
    assert set(_statuses(app, event_id).values()) == {"pending"}
    assert _event(app, event_id).seats_taken == 3      # held, so nobody gets more seats than there are
    [mail] = outbox(app, "bot0@spam.example")
    assert mail.template == "registration_pending" and "30 minutes" in mail.body

    # A real guest comes while the seats are held: the waitlist, once they confirm their address.
    real, answer = _sign_up(app, event_id, 100)
    real_email = "bot100@spam.example"
    assert _statuses(app, event_id)[real_email] == "waitlisted"
    _confirm(app, real_email, real)

    # The bots never open their mail. Half an hour later the holds are gone: the seats went to the
    # real guest waiting, and another real guest gets a seat held for them at once.
    _time_passes(app, 31)
    late, _ = _sign_up(app, event_id, 101)
    statuses = _statuses(app, event_id)
    assert [statuses[f"bot{n}@spam.example"] for n in range(3)] == ["cancelled"] * 3
    assert statuses[real_email] == "confirmed" and statuses["bot101@spam.example"] == "pending"
    assert outbox(app, real_email)[-1].template == "registration_promoted"
    confirmed = _confirm(app, "bot101@spam.example", late)
    assert confirmed.status_code == 302
    assert _statuses(app, event_id)["bot101@spam.example"] == "confirmed"
    assert outbox(app, "bot101@spam.example")[-1].template == "registration_confirmed"
    assert _event(app, event_id).seats_taken == 2

    # A link opened after its time does not bring the hold back.
    expired_link = link_in(outbox(app, "bot1@spam.example")[-1], "/registrations/")
    page = Browser(app).get(expired_link + "?lang=en")
    assert "not confirmed in time" in page.get_data(as_text=True).lower()
    assert Browser(app).submit(expired_link, {}, action=f"{expired_link}/confirm").status_code in (302, 400)
    assert _statuses(app, event_id)["bot1@spam.example"] == "cancelled"


def test_sixty_cancelled_bot_sign_ups_do_not_use_up_the_event(app):
    event_id = make_event(app, make_organisation(app), capacity=200)
    for n in range(60):
        browser, answer = _sign_up(app, event_id, n)
        assert answer.status_code == 200
        link = link_in(outbox(app, f"bot{n}@spam.example")[-1], "/registrations/")
        assert browser.submit(link, {}, page=f"{link}/cancel", action=f"{link}/cancel").status_code == 302
    assert set(_statuses(app, event_id).values()) == {"cancelled"}
    # The cancelled ones are given back: a real guest can still register.
    _, answer = _sign_up(app, event_id, 500)
    assert answer.status_code == 200 and _statuses(app, event_id)["bot500@spam.example"] == "pending"


def test_the_event_limit_counts_holds_still_waiting(app_factory):
    app = app_factory(REGISTRATION_MIN_SECONDS=0, EVENT_PENDING_GUESTS=5)
    event_id = make_event(app, make_organisation(app), capacity=50)
    for n in range(5):
        assert _sign_up(app, event_id, n)[1].status_code == 200
    _, refused = _sign_up(app, event_id, 5)
    assert refused.status_code == 429 and "wait a while" in refused.get_data(as_text=True)
    # One confirms: its place in the count is free again.
    _confirm(app, "bot0@spam.example")
    assert _sign_up(app, event_id, 6)[1].status_code == 200


def test_the_address_limit_takes_an_ipv6_client_by_its_64(app_factory):
    app = app_factory(REGISTRATION_MIN_SECONDS=0, GUEST_REGISTRATIONS_PER_HOUR=3)
    event_id = make_event(app, make_organisation(app), capacity=50)
    answers = [_sign_up(app, event_id, n, address=f"2001:db8:5:7::{n + 1:x}")[1].status_code for n in range(4)]
    assert answers == [200, 200, 200, 429]
    assert _sign_up(app, event_id, 9, address="2001:db8:5:8::1")[1].status_code == 200


def test_a_resident_still_registers_with_one_tap(app, client, login_as):
    event_id = make_event(app, make_organisation(app), capacity=3)
    resident = login_as("resident", locale="en")
    assert client.submit(f"/events/{event_id}/register", {}).status_code == 302
    with app.app_context():
        [registration] = db.session.scalars(db.select(Registration).where(Registration.user_id == resident.id))
        assert registration.status == "confirmed" and registration.confirm_by is None
    assert outbox(app, resident.email)[-1].template == "registration_confirmed"


def test_the_organiser_sees_who_has_not_confirmed_in_words(app, client, login_as):
    organiser = login_as("resident", locale="en")
    event_id = make_event(app, make_organisation(app, organiser), capacity=2)
    _sign_up(app, event_id, 1)
    _sign_up(app, event_id, 2)
    _confirm(app, "bot2@spam.example")
    _sign_up(app, event_id, 3)           # full: waits for the mail before joining the waitlist
    page = soup(client.get(f"/organiser/events/{event_id}?lang=en"))
    rows = {row.find("th").get_text(" ", strip=True): row.get_text(" ", strip=True) for row in page.select("tbody tr")}
    unconfirmed = {name.split(" Not confirmed")[0] for name, text in rows.items() if "Not confirmed yet" in text}
    # Said in words in the row (read out by a screen reader), not by a colour.
    assert unconfirmed == {"Bot 1", "Bot 3"}
    assert any(name.startswith("Bot 2") for name in rows)
