"""Secret links are not kept in the outbox.

The tester read ``outbox_messages.body`` from a copy of the database (and from a ``flask backup``
file) and found every link mailed in the last 90 days in clear: a guest's registration, follow
links, password resets, email changes and a pending staff invitation, through which they became an
administrator. Here every mail that can carry a secret link is triggered (each template in
app/**/templates/mail/ has an entry in TRIGGERS, so a new template must say whether it carries
one), then the database is read as such an attacker would: every column of every table and the
backup file's bytes. Every link and every token-shaped string found there is tried on every page
that takes a token, and none may open anything. The same mail as the fake mail server received it
still carries links that work. And an invitation link works once.
"""
from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path

import pytest

import app as app_package
from app.extensions import db
from tests.fake_smtp import FakeMailServer
from tests.helpers import (
    PASSWORD,
    Browser,
    link_in,
    make_event,
    make_idea,
    make_organisation,
    make_user,
    outbox,
)

GUEST = {"name": "Amina Yusuf", "email": "amina@example.no", "phone": "912 34 567", "party_size": "1",
         "access_needs": "rullestol"}


# --- what sends each mail -----------------------------------------------------------------------------------------


def _world(app):
    """An approved organisation with an organiser, a small event with a guest registered and one waiting,
    a followed meeting place."""
    from app.events.models import MeetingPlace

    organiser = make_user(app, email="organiser@example.no")
    organisation_id = make_organisation(app, organiser)
    event_id = make_event(app, organisation_id, capacity=1)
    with app.app_context():
        place = MeetingPlace(name="Bydelskafeen", address="Rosenborg gate 10",
                             district_id=_district_id("mollenberg"))
        db.session.add(place)
        db.session.commit()
        place_id = place.id
    return {"organiser": organiser, "organisation_id": organisation_id, "event_id": event_id, "place_id": place_id}


def _district_id(slug):
    from app.districts.services import get_district

    return get_district(slug).id


def _in_app(app, action):
    from app.accounts.models import User

    with app.test_request_context():
        action(User)
        db.session.commit()


def register_account(app, w):
    Browser(app).submit("/account/register", {"email": "ny@example.no", "display_name": "Ny Beboer",
                                              "password": PASSWORD, "password_confirm": PASSWORD})


def register_taken_address(app, w):
    Browser(app).submit("/account/register", {"email": "organiser@example.no", "display_name": "Noen",
                                              "password": PASSWORD, "password_confirm": PASSWORD})


def reset_password(app, w):
    Browser(app).submit("/account/reset", {"email": "organiser@example.no"})


def change_email(app, w):
    browser = Browser(app)
    browser.submit("/account/login", {"email": "organiser@example.no", "password": PASSWORD})
    browser.submit("/account/", {"email-current_password": PASSWORD, "email-new_email": "ny.adresse@example.no"},
                   action="/account/email")


def change_password(app, w):
    browser = Browser(app)
    user = make_user(app, email="bytter@example.no")
    browser.submit("/account/login", {"email": user.email, "password": PASSWORD})
    browser.submit("/account/", {"password-current_password": PASSWORD,
                                "password-new_password": "Et helt nytt passord 42"}, action="/account/password")


def invite_staff(app, w):
    admin = make_user(app, role="admin", email="admin@example.no")
    browser = Browser(app)
    browser.submit("/account/login", {"email": admin.email, "password": PASSWORD})
    browser.submit("/admin/people/invite", {"email": "ny.moderator@example.no", "display_name": "Ny Moderator",
                                            "role": "moderator", "districts": ["lademoen"], "locale": "nb"})


def create_admin(app, w):
    app.test_cli_runner().invoke(args=["user", "create-admin", "sjef@example.no"])
    with app.test_request_context():
        from app.accounts import services

        if not outbox(app, "sjef@example.no"):
            services.create_admin("sjef@example.no")
            db.session.commit()


def _confirm_guest(app, browser, email):
    """The guest opens the mailed link and presses the button: the seat or waitlist place is theirs."""
    link = link_in(outbox(app, email)[-1], "/registrations/")
    browser.submit(link, {}, action=f"{link}/confirm")


def guest_registers(app, w):
    browser = Browser(app)
    browser.submit(f"/events/{w['event_id']}/register", dict(GUEST))
    _confirm_guest(app, browser, GUEST["email"])


def guest_waits(app, w):
    browser = Browser(app)
    browser.submit(f"/events/{w['event_id']}/register", dict(GUEST, email="venter@example.no", name="Venter"))
    _confirm_guest(app, browser, "venter@example.no")


def guest_registers_again(app, w):
    Browser(app).submit(f"/events/{w['event_id']}/register", dict(GUEST))


def waiting_guest_promoted(app, w):
    from app.events import registration as seats
    from app.events.models import Event

    def act(User):
        event = db.session.get(Event, w["event_id"])
        event.capacity = 2
        seats.promote(event)
    _in_app(app, act)


def event_changed(app, w):
    from app.events import services
    from app.events.models import Event

    def act(User):
        services._tell_registered(db.session.get(Event, w["event_id"]), "event_changed", "Endret")
    _in_app(app, act)


def event_reminder(app, w):
    from app.core.db import utcnow
    from app.events import reminders
    from app.events.models import Event

    def act(User):
        reminders.send_reminders(db.session.get(Event, w["event_id"]).starts_at - timedelta(hours=2))
    _in_app(app, act)
    assert utcnow()


def organiser_message(app, w):
    from app.events.models import Event
    from app.organiser import services

    def act(User):
        organiser = db.session.scalar(db.select(User).where(User.email == "organiser@example.no"))
        services.send_message(db.session.get(Event, w["event_id"]), {"nb": ("Husk", "Ta med kaffekopp.")}, organiser)
    _in_app(app, act)


def event_cancelled(app, w):
    from app.events import services
    from app.events.models import Event

    def act(User):
        organiser = db.session.scalar(db.select(User).where(User.email == "organiser@example.no"))
        services.cancel(db.session.get(Event, w["event_id"]), False, organiser)
    _in_app(app, act)


def follow_by_email(app, w):
    from app.events.models import MeetingPlace
    from app.follows import services as following

    def act(User):
        following.ask_by_email(db.session.get(MeetingPlace, w["place_id"]), "folger@example.no", "nb", "10.0.0.1")
    _in_app(app, act)


def follow_again(app, w):
    from app.events.models import MeetingPlace
    from app.follows import services as following
    from app.follows.models import Follow

    def act(User):
        follow = db.session.scalar(db.select(Follow).where(Follow.email == "folger@example.no"))
        following.confirm(follow)
        following.ask_by_email(db.session.get(MeetingPlace, w["place_id"]), "folger@example.no", "nb", "10.0.0.1")
    _in_app(app, act)


def followed_new_event(app, w):
    from app.events.models import Event
    from app.follows import services as following

    event_id = make_event(app, w["organisation_id"], title="Strikkekafé", meeting_place_id=w["place_id"])

    def act(User):
        following.announce(db.session.get(Event, event_id), 1)
    _in_app(app, act)


def organisation_invitation(app, w):
    make_user(app, email="nytt.medlem@example.no")
    organiser = Browser(app)
    organiser.submit("/account/login", {"email": "organiser@example.no", "password": PASSWORD})
    organiser.submit(f"/organisations/{w['organisation_id']}/members", {"email": "nytt.medlem@example.no"})


def survey_invitation(app, w):
    from app.districts.services import get_district
    from app.surveys import services
    from app.surveys.models import Reach, SurveyRound
    from tests.survey_fixtures import make_survey_round

    admin = make_user(app, role="admin", email="undersokelse@example.no")
    ids = make_survey_round(app, admin.id, reach=Reach.INVITATIONS)

    def act(User):
        services.invite_by_mail(db.session.get(User, admin.id), db.session.get(SurveyRound, ids.round),
                                get_district("lademoen"), [("invitert.beboer@example.no", None)])
    _in_app(app, act)


def idea_status_changed(app, w):
    from app.ideas.models import Idea
    from app.moderation import services

    author = make_user(app, email="forfatter@example.no")
    idea_id = make_idea(app, author, effort_area_id=1)
    moderator = make_user(app, role="moderator", email="moderator@example.no")

    def act(User):
        services.set_status(db.session.get(Idea, idea_id), "in_progress", None, db.session.get(User, moderator.id), None)
    _in_app(app, act)


def moderation_digest(app, w):
    from app.moderation import services

    make_idea(app, make_user(app, email="venter.idé@example.no"), district="lademoen")
    _in_app(app, lambda User: services.send_digests())


# Every mail template: what sends it, or why it carries no secret link.
NO_SECRET = "no secret link"
TRIGGERS = {
    "verify_email": register_account,
    "account_exists": register_taken_address,
    "reset_password": reset_password,
    "confirm_new_email": change_email,
    "email_change_requested": change_email,
    "password_changed": change_password,
    "invitation": invite_staff,
    "set_password": create_admin,
    "registration_pending": guest_registers,
    "registration_confirmed": guest_registers,
    "registration_waitlisted": guest_waits,
    "registration_link_again": guest_registers_again,
    "registration_promoted": waiting_guest_promoted,
    "event_changed": event_changed,
    "event_reminder": event_reminder,
    "organiser_message": organiser_message,
    "event_cancelled": event_cancelled,
    "follow_confirm": follow_by_email,
    "follow_already": follow_again,
    "followed_new_event": followed_new_event,
    "organisation_invitation": organisation_invitation,
    "survey_invitation": survey_invitation,
    "idea_status_changed": idea_status_changed,
    "moderation_digest": moderation_digest,
    # Links to public pages or staff pages behind a login only:
    "account_blocked": NO_SECRET,
    "account_unblocked": NO_SECRET,
    "content_hidden": NO_SECRET,
    "event_decided": NO_SECRET,
    "organisation_decided": NO_SECRET,
    "reported_content_hidden": NO_SECRET,
    "review_decided": NO_SECRET,
    "photo_removed": NO_SECRET,
    "second_factor_failures": NO_SECRET,
    # The receipt code is kept in clear in feedback.receipt_code anyway: it is the person's receipt, the
    # page shows only the status (see the receipt lookup's rate limit).
    "feedback_answer": NO_SECRET,
}
ORDER = list(dict.fromkeys(t for t in TRIGGERS.values() if t is not NO_SECRET))


def _templates() -> set[str]:
    root = Path(app_package.__file__).parent
    return {p.stem for p in root.glob("**/templates/mail/*.txt") if not p.name.startswith("_")}


def test_every_mail_template_says_whether_it_carries_a_secret_link():
    assert _templates() == set(TRIGGERS), "add the new mail template to TRIGGERS"


# --- the attacker's side --------------------------------------------------------------------------------------------


def _token_routes(app) -> list[str]:
    """Every page that takes a token, as a pattern to put a candidate into."""
    routes = []
    for rule in app.url_map.iter_rules():
        if "token" in rule.arguments and rule.arguments <= {"token"} and "GET" in rule.methods:
            routes.append(rule.rule.replace("<token>", "{}"))
    return routes


def _everything_stored(app) -> str:
    """Every column of every row of every table, as text: what a copy of the database holds."""
    parts = []
    with app.app_context():
        for table in db.metadata.sorted_tables:
            for row in db.session.execute(table.select()):
                parts.extend(str(value) for value in row)
    return "\n".join(parts)


LINK = re.compile(r"(/account/(?:verify|reset|invitation|email/confirm|unsubscribe)/|/registrations/|/follows/"
                  r"|/organisations/invitations/|/surveys/[0-9]+/invitation/)([^\s/<>\"')]+)")
TOKENISH = re.compile(r"[A-Za-z0-9_\-.]{16,}")


@pytest.fixture
def mailed(app_factory, tmp_path):
    # A database file, as in production: the attacker has a copy of it, or of a backup.
    app = app_factory(REGISTRATION_MIN_SECONDS=0, FOLLOW_MIN_SECONDS=0, MAIL_BACKEND="outbox",
                      SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'medvirk.sqlite3'}")
    world = _world(app)
    for trigger in ORDER:
        trigger(app, world)
    sent = {m.template for m in outbox(app)}
    missing = {t for t, trigger in TRIGGERS.items() if trigger is not NO_SECRET} - sent
    assert not missing, f"these mails were not sent: {missing}"
    return app


def test_a_copy_of_the_database_or_a_backup_opens_nothing(mailed, tmp_path):
    app = mailed
    stored = _everything_stored(app)
    # Every column of the outbox, the body first: no link there carries a token.
    for message in outbox(app, as_stored=True):
        for found in LINK.finditer(f"{message.body} {message.headers} {getattr(message, 'links', None)}"):
            assert found.group(2).startswith("(secret-link-"), f"{message.template} keeps {found.group(0)}"
    backup = tmp_path / "copy.sqlite3"
    answer = app.test_cli_runner().invoke(args=["backup", str(backup)])
    assert answer.exit_code == 0, answer.output
    for copy in (backup, *tmp_path.glob("medvirk.sqlite3*")):   # the backup, the database file and its WAL
        stored += "\n" + copy.read_bytes().decode("latin-1")

    candidates = {m.group(2) for m in LINK.finditer(stored)} | set(TOKENISH.findall(stored))
    candidates = {c for c in candidates if not c.startswith("$argon2")}
    assert len(candidates) > 20
    attacker, signed_in = Browser(app), Browser(app)
    signed_in.submit("/account/login", {"email": make_user(app, email="angriper@example.no").email, "password": PASSWORD})
    opened = [route.format(candidate) for route in _token_routes(app) for candidate in sorted(candidates)
              if _opens(attacker, signed_in, route.format(candidate))]
    assert opened == []


def _opens(attacker, signed_in, path) -> bool:
    """Whether a link is taken: anything but "no such link" (400, 404), as a visitor or, where a page asks
    for a login first, with an account of the attacker's own."""
    response = attacker.get(path)
    if response.status_code in (302, 303) and "/account/login" in response.headers.get("Location", ""):
        response = signed_in.get(path)
    return response.status_code not in (400, 404)


def test_the_mail_as_delivered_still_carries_working_links(mailed, monkeypatch):
    import smtplib

    from app.core import mail

    app = mailed
    server = FakeMailServer()
    monkeypatch.setattr(smtplib, "SMTP", server.smtp_class())
    app.config.update(MAIL_BACKEND="smtp", MAIL_SERVER="127.0.0.1", MAIL_PORT=2525, MAIL_USE_TLS=False)
    with app.app_context():
        mail.deliver_queued(limit=1000)
        db.session.commit()
    delivered = {}
    for received in server.received:
        body = received.get_body(("plain",)).get_content()
        for found in LINK.finditer(body):
            delivered.setdefault(found.group(1), []).append(found.group(0))
        assert "(secret-link-" not in body and "(secret-link-" not in str(received.get("List-Unsubscribe", ""))
    # One link of each kind opens its page for the person it was mailed to.
    for prefix in ("/account/verify/", "/account/reset/", "/account/invitation/", "/account/email/confirm/",
                   "/account/unsubscribe/", "/registrations/", "/follows/", "/organisations/invitations/"):
        assert prefix in delivered, f"no {prefix} link was delivered"
        path = delivered[prefix][-1]
        if prefix == "/follows/" and not path.endswith(("/confirm", "/unsubscribe")):
            path += "/unsubscribe"
        person = Browser(app)
        if prefix == "/organisations/invitations/":   # opened by the invited person, logged in
            person.submit("/account/login", {"email": "nytt.medlem@example.no", "password": PASSWORD})
        assert person.get(path).status_code in (200, 302), path   # the page, or done and sent on (a confirmation)


def test_an_invitation_link_works_once_and_a_new_invitation_ends_the_old_one(app_factory):
    app = app_factory()
    invite_staff(app, None)
    [first] = outbox(app, "ny.moderator@example.no")
    first_link = link_in(first, "/account/invitation/")
    invitee = Browser(app, second_factor=False)
    assert invitee.get(first_link).status_code == 200
    # The admin sends it again: the first link is dead, the new one works, once.
    admin = Browser(app)
    admin.submit("/account/login", {"email": "admin@example.no", "password": PASSWORD})
    with app.app_context():
        from app.accounts.models import User

        invited_id = db.session.scalar(db.select(User.id).where(User.email == "ny.moderator@example.no"))
    admin.submit(f"/admin/people/{invited_id}", {}, action=f"/admin/people/{invited_id}/invitation")
    second = outbox(app, "ny.moderator@example.no")[-1]
    second_link = link_in(second, "/account/invitation/")
    assert second_link != first_link
    assert invitee.get(first_link).status_code == 400
    answer = invitee.submit(second_link, {"password": "Et langt nytt passord 42", "password_confirm": "Et langt nytt passord 42"})
    assert answer.status_code == 302
    assert Browser(app, second_factor=False).get(second_link).status_code == 400
    with app.app_context():
        assert db.session.get(User, invited_id).invitation_nonce is None
