"""Following a meeting place or an organisation: one click for residents, a confirmed email for
visitors, one mail per person and new event in their language, and a stop link that needs no login."""
from __future__ import annotations

import time
from datetime import datetime, timedelta, timezone

import pytest

from app.events.models import Event
from app.extensions import db
from app.follows.models import Follow
from tests.helpers import Browser, count_queries, form_fields, link_in, make_user, outbox, soup

GUEST = "gjest.folger@example.no"


# ---- making things ----------------------------------------------------------------------------------------------

def _place(app, name="Bydelskafeen", district="lademoen") -> int:
    from app.districts.services import get_district
    from app.meeting_places.models import MeetingPlace

    with app.app_context():
        place = MeetingPlace(district_id=get_district(district).id, name=name, address="Innherredsveien 60")
        db.session.add(place)
        db.session.commit()
        return place.id


def _organisation(app, name="Naboklubben", status="approved", member=None) -> int:
    from app.districts.services import get_district
    from app.organisations.models import Membership, Organisation

    with app.app_context():
        organisation = Organisation(name=name, description="Vi hjelper hverandre.", description_html="<p>Vi hjelper hverandre.</p>",
                                    contact_email="klubb@example.no", status=status)
        organisation.districts = [get_district("lademoen")]
        if member is not None:
            organisation.memberships = [Membership(user_id=member.id)]
        db.session.add(organisation)
        db.session.commit()
        return organisation.id


# 17:30 UTC on a winter Thursday is 18:30 in Oslo.
STARTS = datetime(2031, 1, 9, 17, 30, tzinfo=timezone.utc)


def _event(app, organisation_id, place_id=None, title="Språkkafé", status="published") -> int:
    from app.districts.services import get_district

    with app.app_context():
        event = Event(organisation_id=organisation_id, district_id=get_district("lademoen").id, meeting_place_id=place_id,
                      address="" if place_id else "Rosenborg gate 10", title=title, starts_at=STARTS,
                      ends_at=STARTS + timedelta(hours=2), capacity=None, seats_taken=0, status=status)
        db.session.add(event)
        db.session.commit()
        return event.id


def _announce(app, event_id, occurrences=1):
    from app.follows import services as following

    with app.test_request_context():
        following.announce(db.session.get(Event, event_id), occurrences)
        db.session.commit()


def _follows(app, **where):
    with app.app_context():
        rows = db.session.scalars(db.select(Follow).filter_by(**where).order_by(Follow.id)).all()
        db.session.expunge_all()
        return rows


def _guest_follow(app, email, place_id=None, organisation_id=None, locale="nb", confirmed=True):
    from app.core.db import utcnow
    from app.follows import services as following
    from app.meeting_places.models import MeetingPlace
    from app.organisations.models import Organisation

    with app.app_context():
        target = db.session.get(MeetingPlace, place_id) if place_id else db.session.get(Organisation, organisation_id)
        follow = following._new(target, email=email, locale=locale, confirmed_at=utcnow() if confirmed else None)
        db.session.add(follow)
        db.session.commit()


def _account_follow(app, user, place_id=None, organisation_id=None):
    from app.accounts.models import User
    from app.follows import services as following
    from app.meeting_places.models import MeetingPlace
    from app.organisations.models import Organisation

    with app.app_context():
        target = db.session.get(MeetingPlace, place_id) if place_id else db.session.get(Organisation, organisation_id)
        following.follow(target, db.session.get(User, user.id))
        db.session.commit()


@pytest.fixture
def ask(client, monkeypatch):
    """Fill in the visitor's follow form the way a person does: load it, wait, send."""

    def _ask(path, email, browser=None, wait=5, **extra):
        browser = browser or client
        values = form_fields(browser.get(path), path)
        values.update(email=email, **extra)
        real = time.time
        monkeypatch.setattr(time, "time", lambda: real() + wait)
        try:
            return browser.post(path, data=values)
        finally:
            monkeypatch.setattr(time, "time", real)

    return _ask


def _box(browser, path) -> str:
    """The follow section of a page, in English (new strings may not be translated yet)."""
    return " ".join(soup(browser.get(f"{path}?lang=en")).find(id="follow").get_text(" ").split())


# ---- residents ---------------------------------------------------------------------------------------------------

def test_a_resident_follows_and_unfollows_a_meeting_place_with_one_click_and_the_count_is_shown(app, client, login_as):
    place = _place(app)
    me = login_as("resident")
    page = f"/meeting-places/{place}"
    assert "0 people follow this." in _box(client, page)
    response = client.submit(page, {}, action=f"{page}/follow")
    assert response.status_code == 302 and response.headers["Location"].endswith(f"{page}#follow")
    box = _box(client, page)
    assert "1 person follows this." in box and "Stop following" in box
    assert "1 person follows this." in _box(Browser(app), page)
    [follow] = _follows(app, meeting_place_id=place)
    assert follow.user_id == me.id and follow.confirmed_at is not None and follow.email is None

    # a double click on "Follow" (the same form sent twice) still makes one follow
    values = form_fields(client.get(page), f"{page}/follow")
    values.pop("unfollow")
    client.post(f"{page}/follow", data=values)
    client.post(f"{page}/follow", data=values)
    assert len(_follows(app, meeting_place_id=place)) == 1

    assert client.submit(page, {}, action=f"{page}/follow").status_code == 302  # "Stop following"
    assert _follows(app, meeting_place_id=place) == []
    box = _box(client, page)
    assert "0 people follow this." in box and "Stop following" not in box


def test_a_resident_follows_an_organisation_and_pending_organisations_and_closed_places_cannot_be_followed(app, client, login_as):
    organisation = _organisation(app)
    login_as("resident")
    page = f"/organisations/{organisation}"
    assert client.submit(page, {}, action=f"{page}/follow").status_code == 302
    assert "1 person follows this." in _box(client, page)
    assert len(_follows(app, organisation_id=organisation)) == 1

    pending = _organisation(app, name="Venter", status="pending")
    assert client.get(f"/organisations/{pending}/follow").status_code == 404
    closed = _place(app)
    from app.core.db import utcnow
    from app.meeting_places.models import MeetingPlace

    with app.app_context():
        db.session.get(MeetingPlace, closed).retired_at = utcnow()
        db.session.commit()
    assert client.get(f"/meeting-places/{closed}/follow").status_code == 404


def test_an_unverified_account_is_asked_to_confirm_its_address_first(app, client, login_as):
    place = _place(app)
    login_as("unverified")
    assert "Confirm your email address first" in _box(client, f"/meeting-places/{place}")
    assert client.get(f"/meeting-places/{place}/follow").status_code == 403
    token = form_fields(client.get("/account/"))["csrf_token"]
    assert client.post(f"/meeting-places/{place}/follow", data={"csrf_token": token}).status_code == 403
    assert _follows(app) == []


def test_two_requests_racing_to_follow_make_one_follow(app, monkeypatch):
    """The second request did not see the first one's row: the unique constraint catches it."""
    from app.accounts.models import User
    from app.follows import services as following
    from app.meeting_places.models import MeetingPlace

    place = _place(app)
    me = make_user(app)
    _account_follow(app, me, place_id=place)
    _guest_follow(app, GUEST, place_id=place, confirmed=False)
    real_account, real_address = following._account_follow, following._by_address
    calls = {"account": 0, "address": 0}

    def unseen_once(name, real):
        def find(*args):
            calls[name] += 1
            return None if calls[name] == 1 else real(*args)
        return find

    monkeypatch.setattr(following, "_account_follow", unseen_once("account", real_account))
    monkeypatch.setattr(following, "_by_address", unseen_once("address", real_address))
    with app.test_request_context():
        target = db.session.get(MeetingPlace, place)
        assert following.follow(target, db.session.get(User, me.id)).user_id == me.id
        following.ask_by_email(target, GUEST.upper(), "nb", "127.0.0.1")
        db.session.commit()
    assert len(_follows(app, meeting_place_id=place)) == 2
    assert [m.template for m in outbox(app, GUEST)] == ["follow_confirm"]


# ---- visitors --------------------------------------------------------------------------------------------------

def test_a_visitor_follows_by_email_once_confirmed_and_the_link_in_mail_asks_before_it_confirms(app, client, ask):
    place = _place(app)
    page = f"/meeting-places/{place}"
    client.get("/?lang=en")
    response = ask(f"{page}/follow", "Gjest.Folger@Example.no")
    assert response.status_code == 302 and response.headers["Location"].endswith("/follows/sent")
    assert client.get("/follows/sent").status_code == 200
    [follow] = _follows(app, meeting_place_id=place)
    assert follow.email == GUEST and follow.confirmed_at is None and follow.locale == "en"
    assert "0 people follow this." in _box(client, page)  # not before it is confirmed

    [mail] = outbox(app, GUEST)
    assert mail.template == "follow_confirm" and mail.locale == "en" and "Bydelskafeen" in mail.subject
    link = link_in(mail, "/follows/")
    assert link.endswith("/confirm")
    assert link.split("/")[2] not in (follow.token_hash, follow.token_nonce)  # the database keeps no link

    # a mail scanner opening the link changes nothing
    scanner = Browser(app)
    shown = scanner.get(link)
    assert shown.status_code == 200 and soup(shown).find("button") is not None
    assert _follows(app)[0].confirmed_at is None
    assert "0 people follow this." in _box(client, page)

    confirmed = client.submit(link, {})
    assert confirmed.status_code == 302 and confirmed.headers["Location"].endswith(page)
    assert _follows(app)[0].confirmed_at is not None
    assert "1 person follows this." in _box(client, page)
    assert "You already follow" in client.get(f"{link}?lang=en").get_data(as_text=True)


def test_asking_again_with_the_same_address_makes_nothing_new_and_the_page_does_not_tell(app, client, ask):
    organisation = _organisation(app)
    path = f"/organisations/{organisation}/follow"
    first = ask(path, GUEST)
    page_first = client.get(first.headers["Location"]).get_data(as_text=True)
    again = ask(path, " GJEST.folger@example.no ")
    assert again.status_code == first.status_code == 302
    assert again.headers["Location"] == first.headers["Location"]
    assert len(_follows(app, organisation_id=organisation)) == 1
    # the confirmation link is sent again (the same link: it is made from the stored nonce)
    mails = outbox(app, GUEST)
    assert [m.template for m in mails] == ["follow_confirm", "follow_confirm"]
    assert link_in(mails[0], "/follows/") == link_in(mails[1], "/follows/")

    client.submit(link_in(mails[0], "/follows/"), {})
    third = ask(path, GUEST)
    assert third.headers["Location"] == first.headers["Location"]
    assert client.get(third.headers["Location"]).get_data(as_text=True) == page_first
    assert len(_follows(app, organisation_id=organisation)) == 1
    note = outbox(app, GUEST)[-1]
    assert note.template == "follow_already"
    assert link_in(note, "/follows/").endswith("/unsubscribe") and note.headers["List-Unsubscribe"]


def test_an_address_that_follows_through_its_account_is_not_followed_twice(app, client, ask):
    place = _place(app)
    owner = make_user(app, email="konto.eier@example.no")
    _account_follow(app, owner, place_id=place)
    response = ask(f"/meeting-places/{place}/follow", "konto.eier@example.no")
    assert response.headers["Location"].endswith("/follows/sent")
    assert len(_follows(app, meeting_place_id=place)) == 1
    assert [m.template for m in outbox(app, owner.email)] == ["follow_already"]


def test_mail_to_one_address_is_capped_while_the_answer_stays_the_same(app_factory, monkeypatch):
    app = app_factory(FOLLOW_MAILS_PER_ADDRESS_PER_HOUR=2, FOLLOW_REQUESTS_PER_HOUR=50)
    place = _place(app)
    browser = Browser(app)
    path = f"/meeting-places/{place}/follow"
    for _ in range(4):
        values = form_fields(browser.get(path), path)
        values["email"] = GUEST
        real = time.time
        monkeypatch.setattr(time, "time", lambda real=real: real() + 5)
        try:
            assert browser.post(path, data=values).headers["Location"].endswith("/follows/sent")
        finally:
            monkeypatch.setattr(time, "time", real)
    assert len(outbox(app, GUEST)) == 2


def test_the_honeypot_refuses_beside_the_form_and_keeps_the_address(app, ask):
    place = _place(app)
    response = ask(f"/meeting-places/{place}/follow", GUEST, website="http://spam.example")
    assert response.status_code == 400
    page = soup(response)
    assert page.find(id="refused-title") is not None
    assert page.find("input", {"name": "email"})["value"] == GUEST
    assert _follows(app) == [] and outbox(app) == []


def test_a_form_sent_faster_than_a_person_can_is_refused_and_keeps_the_address(app, ask):
    place = _place(app)
    response = ask(f"/meeting-places/{place}/follow", GUEST, wait=0)
    assert response.status_code == 400
    page = soup(response)
    assert page.find(id="refused-title") is not None
    assert page.find("input", {"name": "email"})["value"] == GUEST
    assert _follows(app) == [] and outbox(app) == []


def test_a_bad_address_is_refused_beside_the_field(app, ask):
    place = _place(app)
    response = ask(f"/meeting-places/{place}/follow", "ikke-en-adresse")
    assert response.status_code == 400
    assert soup(response).find(id="email-error") is not None
    assert _follows(app) == []


def test_requests_are_rate_limited_per_client_address(app_factory, monkeypatch):
    app = app_factory(FOLLOW_REQUESTS_PER_HOUR=2)
    place = _place(app)
    browser = Browser(app)
    path = f"/meeting-places/{place}/follow"

    def send(email):
        values = form_fields(browser.get(path), path)
        values["email"] = email
        real = time.time
        monkeypatch.setattr(time, "time", lambda: real() + 5)
        try:
            return browser.post(path, data=values)
        finally:
            monkeypatch.setattr(time, "time", real)

    assert send("en@example.no").status_code == 302
    assert send("to@example.no").status_code == 302
    refused = send("tre@example.no")
    assert refused.status_code == 429
    assert soup(refused).find(id="refused-title") is not None
    assert soup(refused).find("input", {"name": "email"})["value"] == "tre@example.no"
    assert len(_follows(app)) == 2


# ---- new events --------------------------------------------------------------------------------------------------

def test_a_new_event_is_mailed_once_to_each_follower_in_their_language(app):
    from flask_babel import force_locale

    from app.core.i18n import format_date, format_time

    place = _place(app)
    organisation = _organisation(app)
    both = make_user(app, email="begge@example.no", locale="en", display_name="Kari")
    _account_follow(app, both, place_id=place)
    _account_follow(app, both, organisation_id=organisation)
    _guest_follow(app, "begge@example.no", organisation_id=organisation, locale="nb")   # the same person again
    _guest_follow(app, GUEST, place_id=place, locale="nn")
    _guest_follow(app, "ubekreftet@example.no", place_id=place, confirmed=False)
    quiet = make_user(app, email="stille@example.no")
    _account_follow(app, quiet, organisation_id=organisation)
    with app.app_context():
        from app.accounts.models import User

        db.session.get(User, quiet.id).mail_followed_events = False
        db.session.commit()
    elsewhere = _place(app, name="Et annet sted")
    _guest_follow(app, "annet@example.no", place_id=elsewhere)

    event = _event(app, organisation, place)
    _announce(app, event, occurrences=4)

    assert sorted(m.recipient for m in outbox(app)) == ["begge@example.no", GUEST]
    [english] = outbox(app, "begge@example.no")
    assert english.locale == "en" and english.template == "followed_new_event"
    assert "Språkkafé" in english.subject and "Naboklubben" in english.subject
    body = english.body
    with app.test_request_context(), force_locale("en"):
        assert format_date(STARTS, "full") in body                      # "Thursday 9 January 2031"
        assert format_time(STARTS, "short") in body and "18:30" in body  # in Oslo time, on the 24-hour clock
    assert "Hello Kari," in body and "Bydelskafeen, Innherredsveien 60" in body and "4 times" in body
    assert link_in(english, "/events/") == f"/events/{event}"
    assert "you follow Bydelskafeen and Naboklubben" in body           # both reasons, one mail
    stops = [link for link in body.split() if link.endswith("/unsubscribe")]
    assert len(set(stops)) == 2
    assert english.headers["List-Unsubscribe"] == f"<{stops[0]}>"

    [nynorsk] = outbox(app, GUEST)
    assert nynorsk.locale == "nn"
    with app.test_request_context(), force_locale("nn"):
        assert format_date(STARTS, "full") in nynorsk.body and "18:30" in nynorsk.body
    assert "times" not in nynorsk.body.split("Språkkafé")[0]


def test_the_organisation_alone_is_enough_and_held_events_are_not_announced(app):
    organisation = _organisation(app)
    _guest_follow(app, GUEST, organisation_id=organisation, locale="en")
    _announce(app, _event(app, organisation, title="Holdt tilbake", status="held"))
    assert outbox(app) == []
    _announce(app, _event(app, organisation))
    [mail] = outbox(app, GUEST)
    assert "Rosenborg gate 10" in mail.body and "times in all" not in mail.body


def test_the_stop_link_needs_no_login_and_only_the_button_stops(app, client):
    place = _place(app)
    organisation = _organisation(app)
    _guest_follow(app, GUEST, place_id=place)
    _announce(app, _event(app, organisation, place))
    link = link_in(outbox(app, GUEST)[0], "/follows/")
    assert link.endswith("/unsubscribe")

    scanner = Browser(app)
    shown = scanner.get(link)
    assert shown.status_code == 200 and "Bydelskafeen" in shown.get_data(as_text=True)
    assert shown.headers["Cache-Control"] == "no-store"
    assert len(_follows(app)) == 1                          # GET changed nothing

    stopped = client.submit(link, {})
    assert stopped.status_code == 302 and stopped.headers["Location"].endswith(f"/meeting-places/{place}")
    assert _follows(app) == []
    gone = client.get(f"{link}?lang=en")
    assert gone.status_code == 404 and "no longer belongs to anything you follow" in gone.get_data(as_text=True)
    assert client.get("/follows/ikke-en-lenke/unsubscribe").status_code == 404
    assert client.get("/follows/ikke-en-lenke/confirm").status_code == 404
    token = form_fields(client.get(f"/meeting-places/{place}/follow"))["csrf_token"]
    assert client.post("/follows/ikke-en-lenke/unsubscribe", data={"csrf_token": token}).status_code == 404

    _announce(app, _event(app, organisation, place, title="Neste gang"))
    assert len(outbox(app, GUEST)) == 1                     # no more mail


def test_a_post_without_a_valid_token_stops_nothing(app, client):
    place = _place(app)
    _guest_follow(app, GUEST, place_id=place)
    _announce(app, _event(app, _organisation(app), place))
    link = link_in(outbox(app, GUEST)[0], "/follows/")
    assert client.post(link, data={}).status_code == 400
    assert len(_follows(app)) == 1


# ---- privacy and cost ---------------------------------------------------------------------------------------------

def test_nobody_but_the_follower_sees_who_follows(app, client, login_as, ask):
    organiser = make_user(app, email="arrangor@example.no")
    organisation = _organisation(app, member=organiser)
    place = _place(app)
    follower = make_user(app, email="synlig.folger@example.no", display_name="Hemmelig Følger")
    _account_follow(app, follower, place_id=place)
    _account_follow(app, follower, organisation_id=organisation)
    ask(f"/meeting-places/{place}/follow", GUEST)
    ask(f"/organisations/{organisation}/follow", GUEST)
    for mail in outbox(app, GUEST):
        Browser(app).submit(link_in(mail, "/follows/"), {})

    viewers = [Browser(app)]
    for role, fields in (("resident", {}), ("moderator", {"districts": ("lademoen",)}), ("admin", {})):
        browser = Browser(app)
        login_as(role, browser=browser, **fields)
        viewers.append(browser)
    member = Browser(app)
    member.submit("/account/login", {"email": organiser.email, "password": "lilla giraff sykler hjem"})
    viewers.append(member)
    paths = [f"/meeting-places/{place}", f"/meeting-places/{place}/follow", f"/organisations/{organisation}",
             f"/organisations/{organisation}/follow", f"/organisations/{organisation}/members", "/meeting-places/",
             "/organisations/", "/follows/sent", "/moderation/", "/account/"]
    for browser in viewers:
        for path in paths:
            text = browser.get(path).get_data(as_text=True)
            for secret in (GUEST, "synlig.folger@example.no", "Hemmelig Følger"):
                assert secret not in text, (path, secret)
    assert "2 people follow this." in _box(viewers[0], f"/meeting-places/{place}")


def test_the_follow_box_costs_one_query_however_many_follow(app, client, login_as):
    place = _place(app)
    organisation = _organisation(app)
    me = login_as("resident")
    _account_follow(app, me, place_id=place)
    pages = [f"/meeting-places/{place}", f"/organisations/{organisation}"]
    visitor = Browser(app)

    def measure():
        counts = []
        for browser in (client, visitor):
            for page in pages:
                browser.get(page)
                with count_queries(app) as queries:
                    assert browser.get(page).status_code == 200
                counts.append(len(queries))
        return counts

    few = measure()
    for n in range(40):
        _guest_follow(app, f"folger{n}@example.no", place_id=place)
        _guest_follow(app, f"folger{n}@example.no", organisation_id=organisation)
    assert measure() == few
    assert "41 people follow this." in _box(client, pages[0])


def test_addresses_never_confirmed_are_deleted_after_a_week(app):
    from app.core.db import utcnow
    from app.follows import services as following

    place = _place(app)
    _guest_follow(app, GUEST, place_id=place, confirmed=False)
    _guest_follow(app, "bekreftet@example.no", place_id=place)
    with app.app_context():
        assert following.purge_unconfirmed() == 0
        assert following.purge_unconfirmed(utcnow() + timedelta(days=8)) == 1
        db.session.commit()
    assert [f.email for f in _follows(app)] == ["bekreftet@example.no"]


def test_stopping_with_an_account_also_stops_an_earlier_follow_by_the_same_address(app):
    from app.accounts.models import User
    from app.follows import services as following
    from app.meeting_places.models import MeetingPlace

    place = _place(app)
    me = make_user(app, email="meg@example.no")
    _guest_follow(app, "meg@example.no", place_id=place)
    _account_follow(app, me, place_id=place)
    with app.app_context():
        assert following.unfollow(db.session.get(MeetingPlace, place), db.session.get(User, me.id))
        db.session.commit()
    assert _follows(app, meeting_place_id=place) == []
