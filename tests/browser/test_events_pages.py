"""Events in the browser: every page axe-clean in Bokmål and English at phone width, and a guest
who registers and later cancels with the keyboard alone."""
from __future__ import annotations

from datetime import timedelta

import pytest

from app.core.db import utcnow
from app.extensions import db
from tests.browser.test_accessibility import _login, assert_accessible
from tests.browser.test_keyboard import tab_to
from tests.helpers import link_in, make_event, make_organisation, make_user, outbox


@pytest.fixture(scope="module")
def events(live_server):
    """An organiser's organisation with an open event, a full one with a waitlist and a held one."""
    from app.events import registration as seats
    from app.events.models import Event, EventReview

    app = live_server.app
    organiser = make_user(app, display_name="Organisator")
    organisation = make_organisation(app, organiser, name="Språkkafeen Møllenberg")
    open_event = make_event(app, organisation, title="Språkkafé", capacity=12)
    full_event = make_event(app, organisation, title="Fullt strikkekurs", capacity=1, starts_in_days=3)
    held_event = make_event(app, organisation, title="Venter på godkjenning", status="held")
    with app.test_request_context(method="POST"):
        full = db.session.get(Event, full_event)
        for n in range(3):
            seats.register(full, name=f"Gjest {n}", email=f"gjest{n}@example.no", access_needs="Rullestol" if n else None)
        review = EventReview(event_id=held_event, district_id=full.district_id, author_id=organiser.id)
        db.session.add(review)
        db.session.commit()
        review_id = review.id
    return {"organiser": organiser, "organisation": organisation, "open": open_event, "full": full_event,
            "review": review_id}


def _visit(page, live_server, path, lang, label=None):
    page.goto(f"{live_server.url}{path}{'&' if '?' in path else '?'}lang={lang}")
    assert_accessible(page, f"{label or path} ({lang})")


@pytest.mark.parametrize("lang", ["nb", "en"])
def test_event_pages_have_no_axe_violations(live_server, page, events, lang):
    for path in ("/events/", "/events/?district=mollenberg&free=1&audience=everyone", f"/events/{events['open']}",
                 f"/events/{events['full']}", f"/events/{events['open']}/register", f"/events/{events['full']}/register",
                 "/", "/districts/mollenberg"):
        _visit(page, live_server, path, lang)
    page.goto(f"{live_server.url}/events/{events['open']}/register?lang={lang}")
    page.click("main button[type=submit]")
    page.wait_for_selector(".error-summary")
    assert_accessible(page, f"registration form with errors ({lang})")
    link = link_in(outbox(live_server.app, "gjest2@example.no")[0], "/registrations/")
    _visit(page, live_server, link, lang, "manage page on the waitlist")
    _visit(page, live_server, f"{link}/cancel", lang, "leaving the waitlist, asked once more")


@pytest.mark.parametrize("lang", ["nb", "en"])
def test_organiser_and_moderator_event_pages_have_no_axe_violations(live_server, page, events, lang):
    _login(page, live_server, events["organiser"].email)
    for path in ("/events/new", f"/events/{events['full']}/edit", f"/events/{events['full']}/cancel", "/organiser/",
                 f"/organiser/events/{events['full']}", f"/events/{events['full']}", "/account/"):
        _visit(page, live_server, path, lang, f"{path} as organiser")
    page.goto(f"{live_server.url}/events/new?lang={lang}")
    page.fill("#capacity", "0")
    page.click("main form button[type=submit]")
    page.wait_for_selector(".error-summary")
    assert_accessible(page, f"event form with errors ({lang})")
    page.context.clear_cookies()
    _login(page, live_server, make_user(live_server.app, role="moderator", districts=("mollenberg",)).email)
    _visit(page, live_server, f"/moderation/items/event/{events['review']}", lang, "held event in the queue")


def test_a_guest_registers_and_cancels_by_keyboard_alone(live_server, page, events):
    app = live_server.app
    app.config["REGISTRATION_MIN_SECONDS"] = 0  # a fast typist is not a robot in this test
    try:
        page.goto(f"{live_server.url}/events/{events['open']}?lang=en")
        tab_to(page, f"main a[href='/events/{events['open']}/register']")
        page.keyboard.press("Enter")
        page.wait_for_url(f"**/events/{events['open']}/register")
        tab_to(page, "#name")
        page.keyboard.type("Tastatur Gjest")
        tab_to(page, "#email")
        page.keyboard.type("tastatur.gjest@example.no")
        tab_to(page, "#party_size")
        page.keyboard.press("ArrowDown")  # two people
        tab_to(page, "main form button[type=submit]")
        with page.expect_navigation():
            page.keyboard.press("Enter")
        assert "Check your email" in page.inner_text("main")
        # The place is held until the guest opens the mailed link and confirms, by keyboard too.
        link = link_in(outbox(app, "tastatur.gjest@example.no")[0], "/registrations/")
        page.goto(f"{live_server.url}{link}?lang=en")
        assert "Not confirmed yet." in page.inner_text("main")
        tab_to(page, "form[action$='/confirm'] button")
        with page.expect_navigation():
            page.keyboard.press("Enter")
        assert "You have a place" in page.inner_text("main")
        manage = page.url
        assert link in manage

        # Cancelling asks once more, on a page of its own.
        tab_to(page, "main a[href$='/cancel']")
        with page.expect_navigation():
            page.keyboard.press("Enter")
        assert "Cancel your registration?" in page.inner_text("main")
        tab_to(page, "form[action$='/cancel'] button")
        with page.expect_navigation():
            page.keyboard.press("Enter")
        assert page.url == manage
        assert "Cancelled." in page.inner_text("main")
    finally:
        app.config["REGISTRATION_MIN_SECONDS"] = 3
    from app.events.models import Registration

    with app.app_context():
        registration = db.session.scalar(db.select(Registration).where(Registration.email == "tastatur.gjest@example.no"))
        assert (registration.status, registration.party_size) == ("cancelled", 2)
        assert registration.cancelled_at > utcnow() - timedelta(minutes=5)


@pytest.mark.parametrize("lang", ["nb", "en"])
def test_following_pages_have_no_axe_violations(live_server, page, events, lang):
    app = live_server.app
    app.config["FOLLOW_MIN_SECONDS"] = 0
    try:
        organisation = events["organisation"]
        _visit(page, live_server, f"/organisations/{organisation}", lang, "organisation page with its events")
        _visit(page, live_server, f"/organisations/{organisation}/follow", lang, "follow by email")
        page.goto(f"{live_server.url}/organisations/{organisation}/follow?lang={lang}")
        page.fill("#email", f"folger-{lang}@example.no")
        page.click("main form button[type=submit]")
        page.wait_for_url("**/follows/sent**")
        assert_accessible(page, f"follow: check your mail ({lang})")
        confirm = link_in(outbox(app, f"folger-{lang}@example.no")[-1], "/follows/")
        _visit(page, live_server, confirm, lang, "confirm following")
        page.goto(f"{live_server.url}{confirm}?lang={lang}")
        page.click("main form button[type=submit]")
        page.wait_for_load_state()
        unsubscribe = confirm.replace("/confirm", "/unsubscribe")
        _visit(page, live_server, unsubscribe, lang, "stop following")
        _visit(page, live_server, "/follows/not-a-token/unsubscribe", lang, "invalid follow link")
    finally:
        app.config["FOLLOW_MIN_SECONDS"] = 3
