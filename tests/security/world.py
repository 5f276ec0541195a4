"""One world of real objects for the whole-site security tests.

Every argument of every route in the URL map resolves to an object that
exists (an idea in Lademoen, that idea's comment, an event of the home
organisation with a guest's manage link...), and every role has a signed-in
browser. The authorisation matrix, the CSRF test and the open-redirect sweep
walk the URL map with it, so a route added later is covered by all three; a
route with an argument this file cannot yet make fails them with a message
saying what to add to ``ARGUMENTS``.

A request that may change something gets objects of its own, made just for
it, so no request can spoil another's (a withdrawn idea, a cancelled event, a
deleted follow).
"""
from __future__ import annotations

import functools
import itertools
from typing import Callable
from urllib.parse import parse_qs, urlsplit

from werkzeug.routing import AnyConverter
from werkzeug.test import TestResponse

from app import create_app
from app.core import secret_links
from app.extensions import db
from app.moderation import reports
from tests.helpers import (
    PASSWORD,
    Browser,
    UserInfo,
    link_in,
    make_comment,
    make_event,
    make_idea,
    make_organisation,
    make_user,
    outbox,
)

HOME = "lademoen"          # where the world's objects are
ELSEWHERE = "mollenberg"   # the other moderator's district

ROLES = (
    VISITOR, UNVERIFIED, RESIDENT, AUTHOR, ORGANISER, ORGANISER_OTHER, MODERATOR_OTHER, SURVEY_STAFF, MODERATOR, ADMIN,
    WITHOUT_CODE,
) = (
    "visitor", "unverified", "resident", "author", "organiser", "organiser_other", "moderator_other", "survey_staff",
    "moderator", "admin", "without_code",
)
# How each role signs in (the role ``login_as`` knows, and the user fields it takes). The author
# wrote the world's ideas and comments; the organiser is a member of the home organisation, the
# other organiser of another approved organisation in the same district.
ACCOUNTS = {
    UNVERIFIED: ("unverified", {}),
    RESIDENT: ("resident", {}),
    AUTHOR: ("resident", {}),
    ORGANISER: ("resident", {}),
    ORGANISER_OTHER: ("resident", {}),
    MODERATOR_OTHER: ("moderator", {"districts": (ELSEWHERE,)}),
    # A moderator of the other district an administrator has named to run the area survey.
    SURVEY_STAFF: ("moderator", {"districts": (ELSEWHERE,)}),
    MODERATOR: ("moderator", {"districts": (HOME,)}),
    ADMIN: ("admin", {}),
    # An admin (and moderator of the home district) who gave the password and has not yet set up
    # the code from an authenticator app: staff pages are closed to them until they do.
    WITHOUT_CODE: ("admin", {"districts": (HOME,), "two_factor": False}),
}

# What a request can come to.
OK = "OK"                    # 2xx, or a redirect that is not to log in
INVALID = "INVALID"          # 400: allowed in, and the form (sent empty) comes back with its errors
LOGIN = "LOGIN"              # a redirect to log in, and back here afterwards
CODE = "CODE"                # a redirect to give the code from the authenticator app, and back here afterwards
FORBIDDEN = "FORBIDDEN"      # 403
NOT_FOUND = "NOT_FOUND"      # 404
REFUSED = frozenset({LOGIN, CODE, FORBIDDEN, NOT_FOUND})
METHODS = ("GET", "POST")    # HEAD and OPTIONS are Werkzeug's, answered like GET or not at all


def outcome_of(response: TestResponse) -> str:
    if response.status_code in (301, 302, 303, 307, 308):
        location = urlsplit(response.headers["Location"])
        if location.path == "/account/login" and "next" in parse_qs(location.query):
            return LOGIN
        if location.path == "/account/two-factor" and "next" in parse_qs(location.query):
            return CODE
        return OK
    if 200 <= response.status_code < 300:
        return OK
    return {400: INVALID, 403: FORBIDDEN, 404: NOT_FOUND}.get(response.status_code, f"HTTP {response.status_code}")


@functools.cache
def routes() -> list[tuple[str, str]]:
    """Every (endpoint, method) in the URL map, read from an app that is never served."""
    app = create_app("testing")
    return sorted({(rule.endpoint, method) for rule in app.url_map.iter_rules() for method in rule.methods & set(METHODS)})


def changes_state(app, endpoint: str, method: str) -> bool:
    return method == "POST" or getattr(app.view_functions[endpoint], "writes_on_get", False)


# --- the values of URL arguments ---------------------------------------------------------------------------------------
#
# Looked up by (endpoint, argument) first, then by argument name. A value is made fresh for each
# request that needs one: ``make`` is the ``Make`` below, with the values of the arguments before
# it in the rule (``make.values``). An ``any(...)`` argument without an entry is tried with every
# value it allows.

ARGUMENTS: dict[str | tuple[str, str], Callable[["Make"], object]] = {
    "slug": lambda make: HOME,
    # Retiring and reinstating act on a district made for the request: the home district stays open.
    ("admin.district_retire", "slug"): lambda make: make.district(),
    ("admin.district_reinstate", "slug"): lambda make: make.district(retired=True),
    "number": lambda make: 1,
    "filename": lambda make: "style.css",
    "code": lambda make: make.feedback().receipt_code,
    "idea_id": lambda make: make.idea(),
    ("ideas.request_review", "idea_id"): lambda make: make.idea(hidden=True),
    "comment_id": lambda make: make.comment(),
    ("ideas.request_comment_review", "comment_id"): lambda make: make.comment(hidden=True),
    "event_id": lambda make: make.event(),
    # The organisers' own version of the event in the URL, in English.
    "language_code": lambda make: make.event_translation(make.values["event_id"]),
    "place_id": lambda make: make.place(),
    # The area survey: an open round over the home district and another; answering pages need no more
    # (without the browser's token a question page leads to the start page).
    ("surveys.question", "question_id"): lambda make: 1,
    ("surveys.printed_code", "code"): lambda make: "ABCDE-FGHJK",
    ("surveys.invitation", "token"): lambda make: "an-invitation-token",
    # The area survey's published results: a survey with a closed round.
    ("insights.survey", "survey_id"): lambda make: make.closed_survey(),
    ("insights.survey_export_csv", "survey_id"): lambda make: make.closed_survey(),
    ("insights.survey_export_json", "survey_id"): lambda make: make.closed_survey(),
    ("api.survey_results", "survey_id"): lambda make: make.closed_survey(),
    "organisation_id": lambda make: make.world.home_organisation,
    # The administration's actions change the place or organisation: each request gets its own.
    ("admin.place_retire", "place_id"): lambda make: make.place(),
    ("admin.place_reinstate", "place_id"): lambda make: make.place(retired=True),
    ("admin.place_merge", "place_id"): lambda make: make.place(),
    ("admin.organisation_edit", "organisation_id"): lambda make: make.organisation(),
    ("admin.organisation_retire", "organisation_id"): lambda make: make.organisation(),
    ("admin.organisation_reinstate", "organisation_id"): lambda make: make.organisation(retired=True),
    ("admin.organisation_merge", "organisation_id"): lambda make: make.organisation(),
    ("organisations.remove_member", "user_id"): lambda make: make.member(make.values["organisation_id"]),
    # A feedback photo: the strictest of photos (the district's moderators alone).
    ("photos.show", "key"): lambda make: make.feedback_photo(),
    ("photos.show", "width"): lambda make: 320,
    # Reporting a photo anyone may see; moving and removing a photo of the place in the URL.
    ("photos.report", "key"): lambda make: make.place_photo(make.place())[1],
    ("meeting_places.remove_photo", "photo_id"): lambda make: make.place_photo(make.values["place_id"])[0],
    ("meeting_places.move_photo", "photo_id"): lambda make: make.place_photo(make.values["place_id"], count=2)[0],
    "template_id": lambda make: make.template(),
    # The area survey: a survey with an open round over the home district and another; a question it asks.
    "survey_id": lambda make: make.survey_round().survey,
    "round_id": lambda make: make.survey_round().round,
    ("admin.survey_question", "question_id"): lambda make: make.survey_question(make.values["survey_id"]),
    ("admin.survey_question_up", "question_id"): lambda make: make.survey_question(make.values["survey_id"]),
    ("admin.survey_staff_remove", "user_id"): lambda make: make.survey_staff(),
    "message_id": lambda make: make.mail_message(),
    ("moderation.item", "item_id"): lambda make: make.item(make.values["kind"]),
    ("moderation.act", "item_id"): lambda make: make.item(make.values["kind"]),
    ("moderation.act", "action"): lambda make: "note",
    ("accounts.verify", "token"): lambda make: make.mailed_token("verify"),
    ("accounts.reset_password", "token"): lambda make: make.mailed_token("reset"),
    ("accounts.confirm_email", "token"): lambda make: make.mailed_token("confirm_email"),
    ("accounts.unsubscribe", "token"): lambda make: make.unsubscribe_token(),
    ("accounts.accept_invitation", "token"): lambda make: make.invitation_token(),
    # People in the administration: each request gets a person of its own, in the state the action needs.
    ("admin.person", "user_id"): lambda make: make.person(),
    ("admin.change_role", "user_id"): lambda make: make.person(),
    ("admin.block", "user_id"): lambda make: make.person(),
    ("admin.unblock", "user_id"): lambda make: make.person(blocked=True),
    ("admin.resend_invitation", "user_id"): lambda make: make.invited_person(),
    ("admin.resend_verification", "user_id"): lambda make: make.person(role="unverified"),
    ("admin.lift_posting_block", "user_id"): lambda make: make.person(blocked_in=HOME),
    ("follows.confirm", "token"): lambda make: make.follow_token(),
    ("follows.unsubscribe", "token"): lambda make: make.follow_token(),
    ("organisations.invitation", "token"): lambda make: make.organisation_invitation_token(),
    ("events.manage_registration", "token"): lambda make: make.registration_token(),
    ("events.cancel_registration", "token"): lambda make: make.registration_token(),
    ("events.confirm_registration", "token"): lambda make: make.registration_token(),
    ("events.registration_data", "token"): lambda make: make.registration_token(),
    ("events.erase_registration", "token"): lambda make: make.registration_token(),
}

# A form that names its object in the body rather than the URL gets that object, made like a URL argument.
BODIES: dict[str, Callable[["Make"], dict]] = {
    "moderation.bulk": lambda make: {"item": str(make.item("idea")), "action": "hide", "reason": "spam"},
}


class MissingValue(LookupError):
    pass


def _value_for(endpoint: str, name: str):
    make = ARGUMENTS.get((endpoint, name)) or ARGUMENTS.get(name)
    if make is None:
        raise MissingValue(
            f"the route of {endpoint} has an argument <{name}> that tests/security/world.py cannot make: add an entry "
            f"for ({endpoint!r}, {name!r}) or {name!r} to ARGUMENTS that makes a real one in {HOME}")
    return make


def choices(rule) -> list[dict[str, str]]:
    """The ``any(...)`` arguments without a value of their own, each combination of what they allow."""
    open_ = {name: sorted(converter.items) for name, converter in rule._converters.items()
             if isinstance(converter, AnyConverter) and not ((rule.endpoint, name) in ARGUMENTS or name in ARGUMENTS)}
    for name in rule._converters:
        if name not in open_:
            _value_for(rule.endpoint, name)  # fails now, with what to add, rather than halfway through
    return [dict(zip(open_, combination, strict=True)) for combination in itertools.product(*open_.values())]


class World:
    """The app, the roles' browsers and the objects that stay: who writes, the organisations."""

    def __init__(self, app):
        self.app = app
        self.browsers: dict[str, Browser] = {}
        self.users: dict[str, UserInfo | None] = {}
        self.writer = make_user(app, display_name="Skribent Skrivesen")     # writes what moderators look at
        self.neighbour = make_user(app, display_name="Nabo Naboesen")       # reports it
        self.home_organisation = make_organisation(app, districts=(HOME,), name="Hjemmelaget")
        self.other_organisation = make_organisation(app, districts=(HOME,), name="Naboforeningen")
        self._serial = itertools.count(1)
        self._addresses = itertools.count()

    # -- roles ---------------------------------------------------------------------------------------

    def sign_in(self, login_as) -> None:
        """Every role has a browser; those whose session may have ended are signed in anew."""
        for role in ROLES:
            if role in self.browsers:
                continue
            browser = self.browser(second_factor=role != WITHOUT_CODE)
            user = None
            if role != VISITOR:
                name, fields = ACCOUNTS[role]
                user = login_as(name, browser=browser, **fields)
                organisation = {ORGANISER: self.home_organisation, ORGANISER_OTHER: self.other_organisation}.get(role)
                if organisation is not None:
                    self._join(organisation, user.id)
                if role == SURVEY_STAFF:
                    self._name_survey_staff(user.id)
            self.browsers[role], self.users[role] = browser, user

    def browser(self, second_factor: bool = True) -> Browser:
        """A browser from an address of its own, so that limits per address count per person, as they would."""
        browser = Browser(self.app, second_factor=second_factor)
        n = next(self._addresses)
        browser.client.environ_base["REMOTE_ADDR"] = f"10.77.{n // 250}.{n % 250 + 1}"
        return browser

    def forget(self, role: str) -> None:
        """After a request that may have ended the role's session (logging out, a new password)."""
        self.browsers.pop(role, None)

    def _join(self, organisation_id: int, user_id: int) -> None:
        from app.organisations.models import Membership

        with self.app.app_context():
            db.session.add(Membership(organisation_id=organisation_id, user_id=user_id))
            db.session.commit()

    def _name_survey_staff(self, user_id: int) -> None:
        from app.surveys.models import SurveyStaff

        with self.app.app_context():
            if db.session.get(SurveyStaff, user_id) is None:
                db.session.add(SurveyStaff(user_id=user_id))
                db.session.commit()

    # -- paths -----------------------------------------------------------------------------------------

    def rules(self, endpoint: str, method: str) -> list:
        return [rule for rule in self.app.url_map.iter_rules(endpoint) if method in rule.methods]

    def request(self, rule, choice: dict[str, str]) -> tuple[str, dict]:
        """A path for ``rule`` and the body to send, with new objects wherever they are needed."""
        make = Make(self, rule.endpoint)
        for name in rule._converters:
            make.values[name] = choice[name] if name in choice else _value_for(rule.endpoint, name)(make)
        body = BODIES[rule.endpoint](make) if rule.endpoint in BODIES else {}
        return rule.build(make.values, append_unknown=False)[1], body

    def serial(self) -> int:
        return next(self._serial)


class Make:
    """Makes the objects one request is about, each through the services, committed."""

    def __init__(self, world: World, endpoint: str):
        self.world, self.app, self.endpoint = world, world.app, endpoint
        self.values: dict[str, object] = {}

    def _user(self, info: UserInfo):
        from app.accounts.models import User

        return db.session.get(User, info.id)

    @property
    def author(self) -> UserInfo:
        return self.world.users[AUTHOR]

    def idea(self, hidden: bool = False, by: UserInfo | None = None) -> int:
        from app.core.db import utcnow

        state = {"hidden_at": utcnow(), "hidden_reason": "spam"} if hidden else {}
        return make_idea(self.app, by or self.author, district=HOME, **state)

    def comment(self, hidden: bool = False, by: UserInfo | None = None) -> int:
        from app.core.db import utcnow

        state = {"hidden_at": utcnow(), "hidden_reason": "spam"} if hidden else {}
        return make_comment(self.app, by or self.author, self.idea(by=self.world.writer), **state)

    def event(self, **fields) -> int:
        return make_event(self.app, self.world.home_organisation, district=HOME, title=f"Dugnad {self.world.serial()}",
                          **fields)

    def event_translation(self, event_id: int, language: str = "en") -> str:
        from app.events.models import EventTranslation

        with self.app.app_context():
            db.session.add(EventTranslation(event_id=event_id, language=language, title="Voluntary work day",
                                            description="", description_html=""))
            db.session.commit()
        return language

    def closed_survey(self) -> int:
        from tests.survey_fixtures import make_survey_round
        from tests.survey_results_fixtures import close

        ids = make_survey_round(self.app, self.world.users[ADMIN].id)
        close(self.app, ids)
        return ids.survey

    def place(self, retired: bool = False) -> int:
        from app.core.db import utcnow
        from app.districts.services import get_district
        from app.meeting_places.models import MeetingPlace

        with self.app.app_context():
            place = MeetingPlace(district_id=get_district(HOME).id, name=f"Nabohuset {self.world.serial()}",
                                 address="Lademoen kirkegate 1", retired_at=utcnow() if retired else None)
            db.session.add(place)
            db.session.commit()
            return place.id

    def organisation(self, retired: bool = False) -> int:
        """An approved organisation in the home district with a member of its own."""
        from app.core.db import utcnow
        from app.organisations.models import Organisation

        organisation_id = make_organisation(self.app, make_user(self.app), districts=(HOME,),
                                            name=f"Nabolaget {self.world.serial()}")
        if retired:
            with self.app.app_context():
                db.session.get(Organisation, organisation_id).retired_at = utcnow()
                db.session.commit()
        return organisation_id

    def district(self, retired: bool = False) -> str:
        """A district of its own (retired when asked), so that retiring one leaves the world's districts open."""
        from app.core.db import utcnow
        from app.districts.models import District

        with self.app.app_context():
            n = self.world.serial()
            district = District(slug=f"bydel-{n}", position=100 + n, name_nb=f"Bydel {n}", name_nn="", name_en="",
                                retired_at=utcnow() if retired else None)
            db.session.add(district)
            db.session.commit()
            return district.slug

    def member(self, organisation_id: int) -> int:
        user = make_user(self.app)
        self.world._join(organisation_id, user.id)
        return user.id

    def survey_round(self):
        from tests.survey_fixtures import make_survey_round

        return make_survey_round(self.app, make_user(self.app, role="admin").id)

    def survey_question(self, survey_id: int) -> int:
        from app.surveys.models import Survey

        with self.app.app_context():
            return db.session.get(Survey, survey_id).placements[-1].question_id

    def survey_staff(self) -> int:
        """A moderator named to run the area survey, for an administrator to un-name."""
        user = make_user(self.app, role="moderator", districts=(ELSEWHERE,))
        self.world._name_survey_staff(user.id)
        return user.id

    def template(self) -> int:
        from app.districts.services import get_effort_area
        from app.moderation.models import AnswerTemplate

        with self.app.app_context():
            template = AnswerTemplate(effort_area_id=get_effort_area(1).id, title="Takk", body_nb="Takk.",
                                      body_nn="Takk.", body_en="Thanks.")
            db.session.add(template)
            db.session.commit()
            return template.id

    def mail_message(self) -> int:
        """A message that failed, in the outbox: one an admin may send again."""
        from app.core.models import OutboxMessage, OutboxStatus

        with self.app.app_context():
            message = OutboxMessage(recipient=f"post{self.world.serial()}@example.no", locale="nb",
                                    template="password_changed", subject="Passordet er endret", body="Hei.",
                                    status=OutboxStatus.FAILED, attempts=5, last_error="SMTPDataError 554")
            db.session.add(message)
            db.session.commit()
            return message.id

    def feedback(self):
        from app.districts.services import get_district
        from app.feedback import services

        with self.app.test_request_context():
            # From an address of its own: the form's limit per address is for the requests under test.
            feedback = services.submit_feedback(get_district(HOME), "Det er mørkt ved undergangen.", {"safety": 2},
                                                None, None, None, None, False, "192.0.2.1")
            db.session.commit()
            db.session.refresh(feedback)
            db.session.expunge(feedback)
            return feedback

    def feedback_photo(self) -> str:
        from tests.photo_samples import make_photo

        return make_photo(self.app, feedback_id=self.feedback().id)

    def place_photo(self, place_id: int, count: int = 1) -> tuple[int, str]:
        """Photos of a meeting place (by nobody in particular); the first one's id and key."""
        from app.photos.models import Photo
        from tests.photo_samples import make_photo

        keys = [make_photo(self.app, place_id=place_id) for _ in range(count)]
        with self.app.app_context():
            return db.session.scalar(db.select(Photo.id).where(Photo.key == keys[0])), keys[0]

    def item(self, kind: str) -> int:
        """A new item of this kind waiting in the home district's moderation queue."""
        made = ITEMS.get(kind)
        if made is None:
            raise MissingValue(f"the moderation queue has a kind {kind!r} that tests/security/world.py cannot make: "
                               "add it to ITEMS")
        return made(self)

    # -- links from mail ------------------------------------------------------------------------------------

    def mailed_token(self, purpose: str) -> str:
        """The token in the link a new account is mailed, the way the account's owner gets it."""
        from app.accounts import services

        user = make_user(self.app, role="unverified" if purpose == "verify" else "resident")
        with self.app.test_request_context():
            account = self._user(user)
            if purpose == "verify":
                services.send_verification(account)
                recipient, prefix = user.email, "/account/verify/"
            elif purpose == "reset":
                services.request_password_reset(user.email)
                recipient, prefix = user.email, "/account/reset/"
            else:
                recipient, prefix = f"ny{self.world.serial()}.{user.email}", "/account/email/confirm/"
                services.request_email_change(account, PASSWORD, recipient)
            db.session.commit()
        return link_in(outbox(self.app, recipient)[-1], prefix).rsplit("/", 1)[1]

    def person(self, role: str = "resident", blocked: bool = False, blocked_in: str | None = None) -> int:
        """A new account for an administrator to act on: blocked, or blocked from posting in a district."""
        from app.core.db import utcnow
        from app.districts.services import get_district
        from app.moderation.models import PostingBlock

        user = make_user(self.app, role=role)
        with self.app.app_context():
            if blocked:
                self._user(user).blocked_at = utcnow()
            if blocked_in:
                db.session.add(PostingBlock(user_id=user.id, district_id=get_district(blocked_in).id, reason="Reklame"))
            db.session.commit()
        return user.id

    def invited_person(self) -> int:
        """A moderator invited by an admin who has not accepted yet."""
        from app.accounts import administration
        from app.core.permissions import Role
        from app.districts.services import get_district

        with self.app.test_request_context():
            invited = administration.invite(f"invitert{self.world.serial()}@example.no", "Invitert Person",
                                            Role.MODERATOR, [get_district(HOME)], "nb", None)
            db.session.commit()
            return invited.id

    def invitation_token(self) -> str:
        """The token in the link of an invitation mail."""
        user_id = self.invited_person()
        with self.app.app_context():
            from app.accounts.models import User

            recipient = db.session.get(User, user_id).email
        return link_in(outbox(self.app, recipient)[-1], "/account/invitation/").rsplit("/", 1)[1]

    def organisation_invitation_token(self) -> str:
        """The token in the link of an organiser's invitation, to an address no role of the world has."""
        from app.accounts.models import User
        from app.organisations import services
        from app.organisations.models import Organisation

        address = f"invitert{self.world.serial()}@example.no"
        with self.app.test_request_context():
            organisation = db.session.get(Organisation, self.world.home_organisation)
            organiser = db.session.get(User, organisation.memberships[0].user_id)
            services.invite_member(organisation, address, organiser)
            db.session.commit()
        return link_in(outbox(self.app, address)[-1], "/organisations/invitations/").rsplit("/", 1)[1]

    def unsubscribe_token(self) -> str:
        from app.accounts import services

        user = make_user(self.app)
        with self.app.test_request_context():
            return secret_links.token_of(services.unsubscribe_url(self._user(user), "idea_updates"))

    def follow_token(self) -> str:
        from app.follows import services as following
        from app.organisations.models import Organisation

        with self.app.test_request_context():
            organisation = db.session.get(Organisation, self.world.home_organisation)
            follow = following._new(organisation, email=f"følger{self.world.serial()}@example.no", locale="nb")
            db.session.add(follow)
            db.session.commit()
            return following.token_of(follow)

    def registration_token(self) -> str:
        from app.events import registration as seats
        from app.events.models import Event

        event_id = self.event()
        with self.app.test_request_context():
            outcome = seats.register(db.session.get(Event, event_id), name="Gjest Gjestesen",
                                     email=f"gjest{self.world.serial()}@example.no")
            db.session.commit()
            return outcome.token


def _queued_idea(make: Make) -> int:
    return make.idea(by=make.world.writer)


def _queued_comment(make: Make) -> int:
    return make.comment(by=make.world.writer)


def _queued_report(make: Make) -> int:
    from app.ideas.models import Idea

    idea_id = make.idea(by=make.world.writer)
    with make.app.test_request_context():
        report = reports.report(db.session.get(Idea, idea_id), make._user(make.world.neighbour), "spam", None)
        db.session.commit()
        return report.id


def _queued_review(make: Make) -> int:
    from app.ideas.models import Idea

    idea_id = make.idea(hidden=True, by=make.world.writer)
    with make.app.test_request_context():
        review = reports.request_review(db.session.get(Idea, idea_id), make._user(make.world.writer), None)
        db.session.commit()
        return review.id


def _queued_organisation(make: Make) -> int:
    from app.districts.services import get_district
    from app.organisations import services
    from app.organisations.models import OrganisationApplication

    with make.app.test_request_context():
        organisation = services.apply(make._user(make.world.writer), f"Søkerlaget {make.world.serial()}",
                                      "Vi vil lage fest i gata.", "lag@example.no", [get_district(HOME)])
        db.session.commit()
        return db.session.scalar(db.select(OrganisationApplication.id)
                                 .where(OrganisationApplication.organisation_id == organisation.id))


def _queued_event(make: Make) -> int:
    from app.events.models import Event, EventReview, EventStatus
    from app.submissions.models import Status, StatusChange

    event_id = make.event(status=EventStatus.HELD.value)
    with make.app.test_request_context():
        event = db.session.get(Event, event_id)
        review = EventReview(event_id=event.id, district_id=event.district_id, author_id=make.world.writer.id)
        db.session.add(review)
        db.session.flush()
        db.session.add(StatusChange(submission_id=review.id, old_status=None, new_status=Status.NEW.value,
                                    actor_id=make.world.writer.id))
        db.session.commit()
        return review.id


def _queued_photo(make: Make) -> int:
    """An organiser's event picture held for a check (whatever the setting says)."""
    from app.core.db import utcnow
    from app.events.models import Event
    from app.photos.models import Photo
    from app.photos.review import PhotoReview
    from app.submissions.models import Status, StatusChange
    from tests.photo_samples import make_photo

    key = make_photo(make.app, event_id=make.event(), by_id=make.world.writer.id, held_at=utcnow())
    with make.app.test_request_context():
        photo = db.session.scalar(db.select(Photo).where(Photo.key == key))
        review = PhotoReview(photo_id=photo.id, district_id=db.session.get(Event, photo.event_id).district_id,
                             author_id=make.world.writer.id)
        db.session.add(review)
        db.session.flush()
        db.session.add(StatusChange(submission_id=review.id, old_status=None, new_status=Status.NEW.value,
                                    actor_id=make.world.writer.id))
        db.session.commit()
        return review.id


ITEMS: dict[str, Callable[[Make], int]] = {
    "idea": _queued_idea,
    "feedback": lambda make: make.feedback().id,
    "comment": _queued_comment,
    "report": _queued_report,
    "review": _queued_review,
    "organisation": _queued_organisation,
    "event": _queued_event,
    "photo": _queued_photo,
}


# --- what the database holds ---------------------------------------------------------------------------------------

# Kept on purpose when a visitor's post is refused: what they typed waits for them to log in.
NOT_COMPARED = {"form_drafts"}


def snapshot(app) -> dict[str, set[str]]:
    """Every row of every table, to tell whether a request changed anything."""
    with app.app_context():
        state = {table.name: {repr(tuple(row)) for row in db.session.execute(db.select(table))}
                 for table in db.metadata.sorted_tables if table.name not in NOT_COMPARED}
        db.session.rollback()
        return state


def changed_tables(before: dict[str, set[str]], after: dict[str, set[str]]) -> dict[str, str]:
    return {name: f"{len(after[name] - before[name])} rows new or changed, {len(before[name] - after[name])} gone"
            for name in before if before[name] != after[name]}
