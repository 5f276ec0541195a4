"""One world of real objects, so every route's arguments lead to a page: people in each role, an idea
with a comment, feedback, a meeting place, an approved organisation with an organiser and an event
with registrations, an item of every kind in the moderation queue, and the secret links from mail.

Everything is made when first asked for, so a test makes only what its pages need; ``renew`` makes
another of the same (a form that works once per object gets a new object), ``reset`` starts over
with new people in the same database.
"""
from __future__ import annotations

import itertools
from datetime import timedelta
from urllib.parse import urlsplit

from app.core import secret_links
from app.core.db import utcnow
from app.extensions import db
from app.moderation import reports
from tests.helpers import Browser, UserInfo, make_comment, make_event, make_idea, make_organisation, make_user, outbox

# Admins who gave the password and not yet the code from the authenticator app: "code_pending" has
# set up the app, "setup_pending" has not.
ROLES = ("visitor", "resident", "organiser", "moderator", "admin", "code_pending", "setup_pending")
PASSWORD_ONLY = {"code_pending": {}, "setup_pending": {"two_factor": False}}
HOME = "lademoen"  # the district of the moderator, the organisation, and everything to moderate
NUMBERS = itertools.count(1)  # keeps names and addresses that must be unique apart

# For each URL argument, the objects that may stand in it. ``item_id`` depends on the ``kind`` beside it.
ARGUMENTS: dict[str, tuple[str, ...]] = {
    "slug": ("district",),
    "number": ("effort_area",),
    "idea_id": ("other_idea", "own_idea", "hidden_own_idea"),
    "comment_id": ("other_comment", "own_comment", "hidden_own_comment"),
    "event_id": ("event", "started_event"),
    "place_id": ("place",),
    "photo_id": ("place_photo",),
    "key": ("place_photo_key",),
    "width": ("photo_width",),
    "organisation_id": ("organisation",),
    "template_id": ("template",),
    "code": ("receipt",),
    "language_code": ("event_translation",),
    "token": ("registration_token", "follow_token", "reset_token", "unsubscribe_token", "invitation_token",
              "organisation_invitation_token"),
    "user_id": ("person", "invited_person", "unverified_person", "blocked_person"),
    # The area survey: a survey with a question made for it, and a round answered with codes, one by invitation
    # (the builder's); and a round open to anyone that every browser of the world has started answering, with
    # the question its pages ask, and a second round nobody has started (the answering pages').
    "survey_id": ("survey",),
    "question_id": ("survey_question", "answering_question"),
    "round_id": ("codes_round", "invitations_round", "survey_round", "survey_start_round"),
}


# Pages whose form takes its object out of use (retire, merge) act on a spare one, so the rest of the
# crawl keeps a home district, a meeting place and an organisation that take new things.
SPARE: dict[tuple[str, str], tuple[str, ...]] = {
    ("admin.district_retire", "slug"): ("spare_district",),
    ("admin.place_retire", "place_id"): ("spare_place",),
    ("admin.place_merge", "place_id"): ("spare_place",),
    ("admin.organisation_retire", "organisation_id"): ("spare_organisation",),
    ("admin.organisation_merge", "organisation_id"): ("spare_organisation",),
    ("organiser.cancel_event", "event_id"): ("spare_event",),
}


def candidates(name: str, chosen: dict[str, str], endpoint: str | None = None) -> tuple[str, ...]:
    """The objects that may stand in argument ``name`` of ``endpoint``, given the values already chosen
    for the others."""
    if name == "item_id" and "kind" in chosen:
        return (f"item_{chosen['kind']}",)
    return SPARE.get((endpoint, name)) or ARGUMENTS.get(name, ())


class World:
    """The objects of one test, made on demand in the test's app; people log in through ``login_as``."""

    def __init__(self, app, login_as):
        self.app = app
        self._login_as = login_as
        self.reset()

    def reset(self) -> None:
        """Forget everyone and everything: what is asked for next is made anew."""
        self.browsers: dict[str, Browser] = {}
        self.users: dict[str, UserInfo | None] = {}
        self.values: dict[str, object] = {"district": HOME, "effort_area": 1}
        self._someone: UserInfo | None = None
        self._authors: list[UserInfo] = []

    # --- people -------------------------------------------------------------------------------

    def browser(self, role: str) -> Browser:
        if role not in self.browsers:
            browser = Browser(self.app, second_factor=role not in PASSWORD_ONLY)
            self.users[role] = self._login_as("admin" if role in PASSWORD_ONLY else {"organiser": "resident"}.get(role, role),
                                              browser=browser, **PASSWORD_ONLY.get(role, {}))
            self.browsers[role] = browser
            if "survey_round" in self.values:
                self._answering(browser)
            if role == "organiser":
                self.value("organisation")  # an organiser is a member of the home organisation
        return self.browsers[role]

    def user(self, role: str) -> UserInfo:
        self.browser(role)
        return self.users[role]

    def someone(self) -> UserInfo:
        """A resident who is none of the roles: the author of what the roles report and moderate."""
        if self._someone is None:
            self._someone = make_user(self.app, display_name="Kari Nordmann")
        return self._someone

    # --- objects ------------------------------------------------------------------------------

    def value(self, name: str):
        """The object standing for ``name`` (its id, token or slug), made when first asked for."""
        if name not in self.values:
            if name.startswith("item_"):
                self.values[name] = self._item(name.removeprefix("item_"))
            else:
                self.values[name] = getattr(self, f"_make_{name}")()
        return self.values[name]

    def renew(self, name: str):
        """Another object for ``name`` (a plainer one where that is enough: an event without people)."""
        if name in ("district", "effort_area"):
            return self.values[name]
        fresh = getattr(self, f"_fresh_{name}", None)
        if fresh is not None:
            self.values[name] = fresh()
            return self.values[name]
        self.values.pop(name, None)
        return self.value(name)

    def everything(self) -> None:
        """Make every object there is (a page that lists things shows some forms only when there are things)."""
        from app.moderation.kinds import KINDS

        for names in ARGUMENTS.values():
            for name in names:
                self.value(name)
        for kind in KINDS:
            self.value(f"item_{kind}")

    def _user(self, info: UserInfo):
        from app.accounts.models import User

        return db.session.get(User, info.id)

    def _make_own_idea(self):
        return make_idea(self.app, self.user("resident"), district=HOME, title="Benker langs elva",
                         body="Det trengs flere benker langs elva, så eldre kan hvile på turen.")

    def _make_other_idea(self):
        return make_idea(self.app, self.someone(), district=HOME, title="Lys i undergangen",
                         body="Undergangen ved stasjonen er mørk om kvelden og trenger bedre lys.")

    def _make_hidden_own_idea(self):
        return make_idea(self.app, self.user("resident"), district=HOME, title="Skjult forslag her",
                         body="Et forslag som en moderator har skjult, og som forfatteren vil ha vurdert.",
                         hidden_at=utcnow(), hidden_reason="off_topic")

    def _make_other_comment(self):
        return make_comment(self.app, self.someone(), self.value("other_idea"), body="Enig, det er mørkt der.")

    def _make_own_comment(self):
        return make_comment(self.app, self.user("resident"), self.value("other_idea"), body="Min egen kommentar.")

    def _make_hidden_own_comment(self):
        return make_comment(self.app, self.user("resident"), self.value("other_idea"), body="En skjult kommentar.",
                            hidden_at=utcnow(), hidden_reason="off_topic")

    def _make_organisation(self):
        return make_organisation(self.app, self.user("organiser"), districts=(HOME,),
                                 name=f"Naboskapet på Lademoen {next(NUMBERS)}")

    def _make_event(self):
        """An event of the organisation with a guest in each language and a resident registered."""
        event_id = make_event(self.app, self.value("organisation"), district=HOME, title="Nabolagsmiddag",
                              capacity=None)
        for locale in ("nb", "nn", "en"):
            self._register_guest(event_id, f"Gjest {locale}", f"gjest-{locale}{next(NUMBERS)}@example.no", locale)
        # The guest's own link is made now: a form may cancel the event before a page asks for the link
        # (the cancellation's reason is shown on the registration's page), and a cancelled event takes no one.
        self.values["registration_token"] = self._register_guest(event_id, "Gjest Med Lenke",
                                                                 f"lenke{next(NUMBERS)}@example.no")
        from app.events import registration as seats
        from app.events.models import Event

        resident = self.someone()
        with self.app.test_request_context():
            seats.register(db.session.get(Event, event_id), user=self._user(resident), party_size=1)
            db.session.commit()
        return event_id

    def _make_event_translation(self):
        """The organisers' own English version of the event (its language code stands in the URL)."""
        from app.events.models import EventTranslation

        with self.app.app_context():
            db.session.add(EventTranslation(event_id=self.value("event"), language="en", title="Neighbourhood dinner",
                                            description="", description_html=""))
            db.session.commit()
        return "en"

    def _make_started_event(self):
        """An event that began an hour ago: its organisers mark who came."""
        from app.events.models import Event

        event_id = make_event(self.app, self.value("organisation"), district=HOME, title="Dugnad i parken",
                              capacity=None)
        self._register_guest(event_id, "Gjest Som Kom", f"kom{next(NUMBERS)}@example.no")
        with self.app.app_context():  # registered while it was ahead; now it has begun
            event = db.session.get(Event, event_id)
            event.starts_at, event.ends_at = utcnow() - timedelta(hours=1), utcnow() + timedelta(hours=2)
            db.session.commit()
        return event_id

    def _make_spare_event(self):
        """An event of the organisation with a guest, for the form that cancels it: a cancelled event can
        no longer be edited, and the rest of the crawl edits the shared one."""
        event_id = make_event(self.app, self.value("organisation"), district=HOME, title="Sommerfest", capacity=None)
        self._register_guest(event_id, "Gjest Til Fest", f"fest{next(NUMBERS)}@example.no")
        return event_id

    def _fresh_event(self):
        return make_event(self.app, self.value("organisation"), district=HOME, title="Nabolagsmiddag", capacity=None)

    def _register_guest(self, event_id: int, name: str, email: str, locale: str = "nb") -> str:
        from app.events import registration as seats
        from app.events.models import Event

        with self.app.test_request_context():
            outcome = seats.register(db.session.get(Event, event_id), name=name, email=email, party_size=1,
                                     access_needs="Trenger rullestolplass", locale=locale)
            db.session.commit()
            return outcome.token

    def _make_registration_token(self):
        return self._register_guest(self.value("event"), "Gjest Med Lenke", f"lenke{next(NUMBERS)}@example.no")

    def _survey_round(self, reach: str):
        from app.surveys.models import Reach
        from tests.survey_fixtures import make_survey_round

        return make_survey_round(self.app, make_user(self.app, role="admin").id, reach=Reach(reach))

    def _make_survey(self):
        return self._survey_round("open").survey

    def _make_survey_question(self):
        """The survey's last question: made for it, asked on a condition, with no answers yet."""
        from app.surveys.models import Survey

        with self.app.app_context():
            return db.session.get(Survey, self.value("survey")).placements[-1].question_id

    def _make_codes_round(self):
        return self._survey_round("codes").round

    def _make_invitations_round(self):
        return self._survey_round("invitations").round

    def _make_place(self):
        from app.districts.services import get_district
        from app.meeting_places.models import MeetingPlace

        with self.app.app_context():
            place = MeetingPlace(district_id=get_district(HOME).id, name="Lademoen bibliotek", address="Mellomveien 2",
                                 opening_hours="Hverdager 10–18", description="Et bibliotek med lesesal.",
                                 description_html="<p>Et bibliotek med lesesal.</p>", accessibility_notes="",
                                 step_free_entrance=True)
            db.session.add(place)
            db.session.commit()
            return place.id

    def _make_spare_place(self):
        from app.districts.services import get_district
        from app.meeting_places.models import MeetingPlace

        with self.app.app_context():
            place = MeetingPlace(district_id=get_district(HOME).id, name=f"Lademoen bibliotek {next(NUMBERS)}",
                                 address="Mellomveien 2")
            db.session.add(place)
            db.session.commit()
            return place.id

    def _make_spare_organisation(self):
        return make_organisation(self.app, self.someone(), districts=(HOME,), name=f"Naboskapet {next(NUMBERS)}")

    def _make_spare_district(self):
        from app.districts.models import District

        with self.app.app_context():
            n = next(NUMBERS)
            db.session.add(District(slug=f"bydel-{n}", position=100 + n, name_nb=f"Bydel {n}", name_nn=f"Bydel {n}",
                                    name_en=f"District {n}"))
            db.session.commit()
            return f"bydel-{n}"

    def _make_follow_token(self):
        from app.follows import services as following
        from app.meeting_places.models import MeetingPlace

        address = f"folger{next(NUMBERS)}@example.no"
        place_id = self.value("place")
        with self.app.test_request_context():
            following.ask_by_email(db.session.get(MeetingPlace, place_id), address, "nb", "192.0.2.1")
            db.session.commit()
        body = outbox(self.app, address)[-1].body   # as sent: the outbox keeps no token
        link = next(word for word in body.split() if "/follows/" in word)
        return urlsplit(link).path.split("/")[2]

    def _make_reset_token(self):
        from app.accounts import services

        someone = self.someone()
        with self.app.test_request_context():
            return services.reset_token(self._user(someone))

    def _make_unsubscribe_token(self):
        from app.accounts import services

        someone = self.someone()
        with self.app.test_request_context():
            return secret_links.token_of(services.unsubscribe_url(self._user(someone), "idea_updates"))

    # People an admin looks after: one blocked from posting in the home district, one invited as staff and
    # not yet accepted, one who has not confirmed the address, one blocked.
    def _make_person(self):
        from app.districts.services import get_district
        from app.moderation.models import PostingBlock

        person = make_user(self.app, display_name="Anne Admin-Sak")
        make_idea(self.app, person, district=HOME, title="Sykkelstativ ved skolen",
                  body="Skolen trenger flere sykkelstativ, særlig ved inngangen mot parken.")
        with self.app.app_context():
            db.session.add(PostingBlock(user_id=person.id, district_id=get_district(HOME).id, reason="Reklame"))
            db.session.commit()
        return person.id

    def _make_invited_person(self):
        from app.accounts import administration
        from app.core.permissions import Role
        from app.districts.services import get_district

        with self.app.test_request_context():
            invited = administration.invite(f"invitert{next(NUMBERS)}@example.no", "Invitert Moderator", Role.MODERATOR,
                                            [get_district(HOME)], "nb", None)
            db.session.commit()
            return invited.id

    def _make_unverified_person(self):
        return make_user(self.app, role="unverified").id

    def _make_blocked_person(self):
        person = make_user(self.app)
        with self.app.app_context():
            from app.accounts.models import User

            db.session.get(User, person.id).blocked_at, db.session.get(User, person.id).blocked_reason = utcnow(), "Spam"
            db.session.commit()
        return person.id

    def _make_invitation_token(self):
        from app.accounts import administration, tokens
        from app.accounts.models import User

        user_id = self._make_invited_person()
        with self.app.test_request_context():
            return tokens.make(tokens.INVITATION, administration.invitation_payload(db.session.get(User, user_id)))

    def _make_organisation_invitation_token(self):
        """An invitation to join the home organisation, sent to the resident's address (only they may open it)."""
        from datetime import timedelta

        from app.core import secret_links
        from app.organisations import services
        from app.organisations.models import OrganisationInvitation

        resident = self.user("resident")
        organisation_id = self.value("organisation")
        with self.app.test_request_context():
            nonce = secret_links.new_nonce()
            token = secret_links.token_for(services.INVITATION, nonce)
            db.session.add(OrganisationInvitation(
                organisation_id=organisation_id, email=resident.email, token_nonce=nonce,
                token_hash=secret_links.digest(token), expires_at=utcnow() + timedelta(days=7)))
            db.session.commit()
        return token

    def _make_survey_round(self):
        """An open survey round over the home district, asking a choice and a free-text question; every
        browser of the world has started answering it (the question pages show only to someone who has)."""
        from app.accounts.models import User
        from app.districts.services import get_district
        from app.surveys import services

        admin = make_user(self.app, role="admin")
        with self.app.app_context():
            survey = services.create_survey_from_bank(
                db.session.get_one(User, admin.id), {"nb": "Områdeundersøkelsen"}, None,
                ["met_neighbours_at_meeting_place", "anything_else"])
            survey_round = services.create_round(
                db.session.get_one(User, admin.id), survey, "høsten 2026", utcnow() - timedelta(days=1),
                utcnow() + timedelta(days=30), "open", [get_district(HOME)])
            self.values["answering_question"] = survey.placements[-1].question_id   # the free text
            db.session.commit()
            round_id = survey_round.id
        self.values["survey_round"] = round_id
        for browser in self.browsers.values():
            self._answering(browser)
        return round_id

    def _make_survey_start_round(self):
        """A second round of the survey, which nobody has started: its page offers the Start form."""
        from app.accounts.models import User
        from app.districts.services import get_district
        from app.surveys import services
        from app.surveys.models import SurveyRound

        self.value("survey_round")
        with self.app.app_context():
            first = db.session.get_one(SurveyRound, self.values["survey_round"])
            admin = db.session.scalar(db.select(User).where(User.role == "admin"))
            survey_round = services.create_round(admin, first.survey, "våren 2027", first.opens_at, first.closes_at,
                                                 "open", [get_district(HOME)])
            db.session.commit()
            return survey_round.id

    def _make_answering_question(self):
        self.value("survey_round")
        return self.values["answering_question"]

    def _answering(self, browser: Browser) -> None:
        """Give ``browser`` an answer set of its own in the survey round, as pressing Start does."""
        from app.districts.services import get_district
        from app.surveys import services
        from app.surveys.models import SurveyRound

        round_id = self.values["survey_round"]
        with self.app.test_request_context():
            token = services.start_open(db.session.get_one(SurveyRound, round_id), get_district(HOME)).resume_token
            db.session.commit()
        browser.client.set_cookie(f"survey{round_id}", token, path="/surveys/")

    def _make_template(self):
        from app.districts.services import get_effort_area
        from app.moderation.models import AnswerTemplate

        with self.app.app_context():
            template = AnswerTemplate(effort_area_id=get_effort_area(1).id, title="Takk for forslaget",
                                      body_nb="Takk for forslaget.", body_nn="Takk for framlegget.",
                                      body_en="Thank you for the idea.")
            db.session.add(template)
            db.session.commit()
            return template.id

    def _make_receipt(self):
        from app.feedback.models import Feedback

        feedback_id = self._feedback()
        with self.app.app_context():
            return db.session.get(Feedback, feedback_id).receipt_code

    def _feedback(self, routed: bool = False) -> int:
        from app.districts.services import get_district
        from app.feedback import services

        area_id = self._area_id() if routed else None
        with self.app.test_request_context():
            item = services.submit_feedback(get_district(HOME), "Det er utrygt ved busstoppet om kvelden.",
                                            {"safety": 2}, None, "Ola Nordmann", "ola@example.no", None, True,
                                            "192.0.2.1")
            if routed:
                item.effort_area_id, item.status = area_id, "routed"
            db.session.commit()
            return item.id

    def _area_id(self) -> int:
        from app.districts.services import get_effort_area

        with self.app.app_context():
            return get_effort_area(1).id

    def _item(self, kind: str) -> int:
        """A submission of ``kind`` waiting in the home district's queue."""
        from app.accounts.models import User
        from app.ideas.models import Comment, Idea

        author = self._item_author()
        if kind == "idea":
            return make_idea(self.app, author, district=HOME, title="Flere søppeldunker i parken",
                             body="Parken trenger flere søppeldunker, særlig ved grillplassen.",
                             effort_area_id=self._area_id(), status="routed")
        if kind == "comment":
            return make_comment(self.app, author, self.value("other_idea"), body="Jeg har sett det samme.")
        if kind == "feedback":
            return self._feedback(routed=True)
        if kind == "organisation":
            return self._application()
        if kind == "event":
            return self._held_event()
        if kind == "report":
            comment_id = make_comment(self.app, author, self.value("other_idea"))
            reporter = make_user(self.app)
            with self.app.test_request_context():
                item = reports.report(db.session.get(Comment, comment_id), db.session.get(User, reporter.id), "spam",
                                    "Reklame.")
                db.session.commit()
                return item.id
        if kind == "photo":
            return self._held_photo()
        if kind == "review":
            idea_id = make_idea(self.app, author, district=HOME, hidden_at=utcnow(), hidden_reason="off_topic")
            with self.app.test_request_context():
                item = reports.request_review(db.session.get(Idea, idea_id), self._user(author),
                                                 "Dette var ikke utenfor temaet.")
                db.session.commit()
                return item.id
        raise AssertionError(f"no way to make a {kind} for the moderation queue: teach the world")

    def _make_place_photo(self):
        """A photo of the home meeting place, added by nobody in particular."""
        from app.photos.models import Photo
        from tests.photo_samples import make_photo

        key = make_photo(self.app, place_id=self.value("place"), alt_text="Inngangen med rampe")
        with self.app.app_context():
            return db.session.scalar(db.select(Photo.id).where(Photo.key == key))

    def _make_photo_width(self):
        return 320   # one of the widths every photo is stored at

    def _make_place_photo_key(self):
        from app.photos.models import Photo

        photo_id = self.value("place_photo")
        with self.app.app_context():
            return db.session.get_one(Photo, photo_id).key

    def _held_photo(self) -> int:
        """An organiser's event picture waiting for a check."""
        from app.photos.models import Photo
        from app.photos.review import PhotoReview
        from app.submissions.models import Status, StatusChange
        from tests.photo_samples import make_photo

        author = self._item_author()
        key = make_photo(self.app, event_id=self.value("event"), by_id=author.id, held_at=utcnow(),
                         alt_text="Plakat for dugnaden")
        with self.app.test_request_context():
            photo = db.session.scalar(db.select(Photo).where(Photo.key == key))
            review = PhotoReview(photo_id=photo.id, district_id=self._event_district(photo.event_id), author_id=author.id)
            db.session.add(review)
            db.session.flush()
            db.session.add(StatusChange(submission_id=review.id, old_status=None, new_status=Status.NEW.value,
                                        actor_id=author.id))
            db.session.commit()
            return review.id

    def _event_district(self, event_id: int) -> int:
        from app.events.models import Event

        return db.session.get_one(Event, event_id).district_id

    def _item_author(self) -> UserInfo:
        """The author of items to moderate; a new one once a moderator has blocked the last."""
        from app.moderation.models import PostingBlock

        with self.app.app_context():
            blocked = bool(self._authors) and db.session.scalar(
                db.select(PostingBlock.user_id).where(PostingBlock.user_id == self._authors[-1].id)) is not None
            db.session.remove()
        if not self._authors or blocked:
            self._authors.append(make_user(self.app, display_name="Per Forfatter"))
        return self._authors[-1]

    def _application(self) -> int:
        from app.districts.services import get_district
        from app.organisations import services
        from app.organisations.models import OrganisationApplication

        applicant = make_user(self.app)
        with self.app.test_request_context():
            organisation = services.apply(self._user(applicant), f"Lademoen sjakklubb {next(NUMBERS)}",
                                          "Vi spiller sjakk hver tirsdag på biblioteket.", "sjakk@example.no",
                                          [get_district(HOME)])
            db.session.commit()
            return db.session.scalar(db.select(OrganisationApplication.id)
                                     .where(OrganisationApplication.organisation_id == organisation.id))

    def _held_event(self) -> int:
        from app.districts.services import get_district
        from app.events import services
        from app.events.models import EventReview
        from app.organisations.models import Organisation

        organisation_id = self.value("organisation")
        organiser = self.user("organiser")
        starts = (utcnow() + timedelta(days=12)).replace(second=0, microsecond=0)
        held = self.app.config["PREMODERATE"]
        self.app.config["PREMODERATE"] = frozenset({"events"})
        try:
            with self.app.test_request_context():
                events = services.create(
                    db.session.get(Organisation, organisation_id),
                    {"title": "Loppemarked i gården", "description": "Vi selger og bytter ting.",
                     "district_id": get_district(HOME).id, "meeting_place_id": None, "address": "Gården bak skolen",
                     "capacity": None, "effort_area_id": None, "languages": "nb", "audience": "everyone",
                     "starts_at": starts, "ends_at": starts + timedelta(hours=3), "registration_deadline": None},
                    1, self._user(organiser))
                db.session.commit()
                return db.session.scalar(db.select(EventReview.id).where(EventReview.event_id == events[0].id))
        finally:
            self.app.config["PREMODERATE"] = held
