"""The rules of the area survey: building surveys and rounds, letting people in once, saving and finishing
answers, closing rounds and purging what is kept only for a while. Writes flush, never commit.

Guarantees, and how they hold on both databases:

- A one-time code (or an invitation) starts one answer set, also when two people submit it at once. It is
  spent by ``UPDATE ... SET used WHERE used IS false``, and only the one statement that changed the row
  goes on: on PostgreSQL the second UPDATE waits for the first's row lock and then finds the row used; on
  SQLite a writing transaction takes the write lock at BEGIN, so the second runs after the first commits.
- Nothing an answer set holds points at a person: the code or invitation is only marked used, the answer
  set gets no account, code, invitation, address or time of day (app/surveys/models.py).
- A question's wording, choices and kind never change once any round has an answer to it: the change is
  a new version (``new_version``), so figures over rounds only ever compare answers to the same words.

Refusals are ``SurveyRefused`` with a translatable message and the field it belongs to (``q<question id>``
for an answer), so a page shows it beside that field.
"""
from __future__ import annotations

import re
import secrets
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import delete, exists, func, select, update
from sqlalchemy.orm import joinedload, selectinload

from app.accounts.models import User
from app.core import audit, languages, mail, secret_links, settings, throttle
from app.core.db import OSLO, rows_changed, utcnow
from app.core.i18n import lazy_gettext as _l
from app.core.permissions import Permission, Role, has_permission
from app.core.rules import Forbidden, RuleBroken
from app.core.secret_links import digest, new_nonce, token_for
from app.core.validators import has_control_characters
from app.districts.models import District
from app.extensions import db
from app.surveys import codes
from app.surveys.bank import BANK
from app.surveys.models import (
    DEFAULT_LANGUAGE,
    AccessCode,
    Answer,
    AnswerSet,
    Channel,
    Invitation,
    Placement,
    Question,
    QuestionKind,
    Reach,
    RoundDistrict,
    Survey,
    SurveyRound,
    SurveyStaff,
    in_language,
)

TEXT_MAX = 500          # "short free text": a few sentences
TEXTS_MAX = 2000        # a title, an intro or a wording in one language
SCALE = range(1, 6)
INVITATION_PURPOSE = "survey-invitation"
INVITATION_SUBJECT = _l("You are invited to answer the area survey")
CHOICE_KINDS = (QuestionKind.SINGLE, QuestionKind.MULTIPLE)
# Invisible characters that turn the direction of the text after them (a trick to make text read otherwise).
BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


class SurveyRefused(RuleBroken):
    """A survey rule said no."""


@dataclass(frozen=True)
class Started:
    """A new answer set and the token its browser keeps to come back to it (given once, stored as a hash)."""

    answer_set: AnswerSet
    resume_token: str


def today() -> date:
    """Days in Oslo: the finest time an answer set keeps."""
    return utcnow().astimezone(OSLO).date()


def _require_admin(actor) -> None:
    """Building surveys and running rounds is for those who may run surveys (``may_run_surveys``)."""
    if not may_run_surveys(actor):
        raise Forbidden()


# --- who runs surveys ----------------------------------------------------------------------------------


def is_survey_staff(user) -> bool:
    """Whether an administrator has named ``user`` to run the area survey."""
    user_id = getattr(user, "id", None)
    return user_id is not None and db.session.get(SurveyStaff, user_id) is not None


def may_run_surveys(user) -> bool:
    """Administrators, and the staff an administrator has named (app/admin/surveys.py), with the second
    factor passed as every staff power needs it: build surveys, run rounds, read free text."""
    if has_permission(user, Permission.ADMINISTER):
        return True
    return has_permission(user, Permission.MODERATE) and is_survey_staff(user)


def survey_staff() -> list[User]:
    """The named survey staff, by name."""
    return list(db.session.scalars(select(User).join(SurveyStaff, SurveyStaff.user_id == User.id)
                                   .order_by(User.display_name, User.id)))


def survey_staff_candidates() -> list[User]:
    """Moderators who may be named: not blocked, not named yet."""
    return list(db.session.scalars(select(User).where(
        User.role == Role.MODERATOR, User.blocked_at.is_(None),
        ~exists().where(SurveyStaff.user_id == User.id)).order_by(User.display_name, User.id)))


def name_survey_staff(actor, user: User | None) -> SurveyStaff:
    if not has_permission(actor, Permission.ADMINISTER):
        raise Forbidden()
    if user is None or user.role != Role.MODERATOR or user.blocked_at is not None:
        raise SurveyRefused(_l("Choose a moderator. Administrators run surveys already."), field="user")
    found = db.session.get(SurveyStaff, user.id)
    if found is None:
        found = SurveyStaff(user_id=user.id)
        db.session.add(found)
        db.session.flush()
        audit.record(actor, "survey.name_staff", user)
    return found


def unname_survey_staff(actor, user: User) -> None:
    if not has_permission(actor, Permission.ADMINISTER):
        raise Forbidden()
    found = db.session.get(SurveyStaff, user.id)
    if found is not None:
        db.session.delete(found)
        db.session.flush()
        audit.record(actor, "survey.unname_staff", user)


# --- building surveys ----------------------------------------------------------------------------------


def _texts(texts: Mapping[str, str] | None, field: str, required: bool = True) -> dict[str, str]:
    cleaned = {language: text.strip() for language, text in (texts or {}).items() if text and text.strip()}
    if required and not cleaned.get(DEFAULT_LANGUAGE):
        raise SurveyRefused(_l("Write this in Bokmål at least. The other languages can follow."), field=field)
    if any(len(text) > TEXTS_MAX for text in cleaned.values()):
        raise SurveyRefused(_l("Keep each text under %(max)d characters.", max=TEXTS_MAX), field=field)
    return cleaned


def create_survey(actor, title: Mapping[str, str], intro: Mapping[str, str] | None = None) -> Survey:
    _require_admin(actor)
    survey = Survey(title=_texts(title, "title"), intro=_texts(intro, "intro", required=False),
                    created_by_id=getattr(actor, "id", None))
    db.session.add(survey)
    db.session.flush()
    return survey


def question_from_bank(key: str) -> Question:
    """The bank's standard question as it is worded now: the row every survey asking it shares."""
    standard = BANK.get(key)
    if standard is None:
        raise SurveyRefused(_l("The question bank has no such question."), field="key")
    found = db.session.scalar(select(Question).where(Question.key == key, Question.version == standard.version))
    if found is not None:
        return found
    question = Question(key=key, version=standard.version, kind=standard.kind, wording=dict(standard.wording),
                        scale_low=dict(standard.scale_low), scale_high=dict(standard.scale_high),
                        choices=[dict(choice) for choice in standard.choices],
                        number_min=standard.number_min, number_max=standard.number_max)
    db.session.add(question)
    db.session.flush()
    return question


def _checked_shape(kind: QuestionKind, choices: list[dict[str, Any]] | None, number_min: int | None,
                   number_max: int | None) -> list[dict[str, Any]]:
    choices = list(choices or [])
    if kind in CHOICE_KINDS:
        values = [str(choice.get("value", "")).strip() for choice in choices]
        if len(values) < 2 or not all(values) or len(set(values)) != len(values):
            raise SurveyRefused(_l("Give at least two choices, each with its own value."), field="choices")
        if any(len(value) > 64 for value in values):
            raise SurveyRefused(_l("A choice's value can be at most 64 characters."), field="choices")
        if not all(_texts(choice.get("label"), "choices") for choice in choices):
            raise SurveyRefused(_l("Give every choice a label."), field="choices")
    elif choices:
        raise SurveyRefused(_l("Only choice questions have choices."), field="choices")
    if number_min is not None and number_max is not None and number_min > number_max:
        raise SurveyRefused(_l("The smallest number allowed must not be larger than the largest."), field="number_min")
    return choices


def create_question(actor, kind: QuestionKind, wording: Mapping[str, str], *, choices=None,
                    scale_low: Mapping[str, str] | None = None, scale_high: Mapping[str, str] | None = None,
                    number_min: int | None = None, number_max: int | None = None) -> Question:
    """A question made for one survey, outside the bank."""
    _require_admin(actor)
    kind = QuestionKind(kind)
    question = Question(key=f"custom-{secrets.token_hex(8)}", version=1, kind=kind,
                        wording=_texts(wording, "wording"),
                        choices=_checked_shape(kind, choices, number_min, number_max),
                        scale_low=_texts(scale_low, "scale_low", kind == QuestionKind.SCALE),
                        scale_high=_texts(scale_high, "scale_high", kind == QuestionKind.SCALE),
                        number_min=number_min, number_max=number_max)
    db.session.add(question)
    db.session.flush()
    return question


def add_question(actor, survey: Survey, question: Question, *, required: bool = False,
                 shown_if: Question | None = None, shown_if_values: Iterable[str] = ()) -> Placement:
    """Put ``question`` last in ``survey``; with ``shown_if`` it is asked only when the answer to that earlier
    choice question is one of ``shown_if_values`` (one level: the earlier question is always asked)."""
    _require_admin(actor)
    placed = {placement.question_id: placement for placement in survey.placements}
    if question.id in placed:
        raise SurveyRefused(_l("The survey asks this question already."), field="question")
    values = [str(value) for value in shown_if_values]
    if shown_if is not None:
        earlier = placed.get(shown_if.id)
        if earlier is None:
            raise SurveyRefused(_l("A question can only depend on an earlier question of the same survey."),
                                field="shown_if")
        if earlier.condition_question_id is not None:
            raise SurveyRefused(_l("A question can only depend on a question that is always asked."), field="shown_if")
        if shown_if.kind not in CHOICE_KINDS:
            raise SurveyRefused(_l("A question can only depend on a choice question."), field="shown_if")
        if not values or not set(values) <= set(shown_if.choice_values):
            raise SurveyRefused(_l("Choose the answers the question is shown on."), field="shown_if_values")
    elif values:
        raise SurveyRefused(_l("Choose the question the answers belong to."), field="shown_if")
    placement = Placement(survey=survey, question=question, position=len(placed) + 1, required=required,
                          condition_question_id=shown_if.id if shown_if is not None else None,
                          condition_values=values)
    db.session.add(placement)
    db.session.flush()
    return placement


def create_survey_from_bank(actor, title: Mapping[str, str], intro: Mapping[str, str] | None,
                            keys: Iterable[str], required: bool = False) -> Survey:
    """A survey asking the bank's questions ``keys``, in that order."""
    survey = create_survey(actor, title, intro)
    for key in keys:
        add_question(actor, survey, question_from_bank(key), required=required)
    return survey


def has_answers(question: Question) -> bool:
    return bool(db.session.scalar(select(exists().where(Answer.question_id == question.id))))


def refuse_change(question: Question) -> None:
    """A question some round has answers to keeps its words: compare only like with like."""
    if has_answers(question):
        raise SurveyRefused(_l("This question has answers, so its wording, choices and kind cannot change. "
                            "Make a new version of it instead."), field="wording")


def change_question(actor, question: Question, *, wording: Mapping[str, str] | None = None,
                    choices: list[dict[str, Any]] | None = None, kind: QuestionKind | None = None,
                    scale_low: Mapping[str, str] | None = None, scale_high: Mapping[str, str] | None = None,
                    number_min: int | None = None, number_max: int | None = None) -> Question:
    """Correct a question nobody has answered yet."""
    _require_admin(actor)
    refuse_change(question)
    if question.key in BANK:
        raise SurveyRefused(_l("A standard question is changed in the question bank, as a new version."), field="wording")
    _apply(question, wording=wording, choices=choices, kind=kind, scale_low=scale_low, scale_high=scale_high,
           number_min=number_min, number_max=number_max)
    db.session.flush()
    return question


def _apply(question: Question, *, wording, choices, kind, scale_low, scale_high, number_min, number_max) -> None:
    if kind is not None:
        question.kind = QuestionKind(kind)
    if wording is not None:
        question.wording = _texts(wording, "wording")
    if scale_low is not None:
        question.scale_low = _texts(scale_low, "scale_low")
    if scale_high is not None:
        question.scale_high = _texts(scale_high, "scale_high")
    if number_min is not None:
        question.number_min = number_min
    if number_max is not None:
        question.number_max = number_max
    question.choices = _checked_shape(question.kind, question.choices if choices is None else choices,
                                      question.number_min, question.number_max)


def new_version(actor, question: Question, *, wording: Mapping[str, str] | None = None,
                choices: list[dict[str, Any]] | None = None, kind: QuestionKind | None = None,
                scale_low: Mapping[str, str] | None = None, scale_high: Mapping[str, str] | None = None,
                number_min: int | None = None, number_max: int | None = None) -> Question:
    """The question reworded as its next version (same key): surveys built from now on ask it, the old
    version keeps its answers and stays in the surveys that asked it. A standard question's versions are
    made in the bank (app/surveys/bank.py), which says which version surveys ask."""
    _require_admin(actor)
    if question.key in BANK:
        raise SurveyRefused(_l("A standard question gets its new version in the question bank."), field="wording")
    latest = db.session.scalar(select(func.max(Question.version)).where(Question.key == question.key)) or 0
    fresh = Question(key=question.key, version=latest + 1, kind=question.kind, wording=dict(question.wording),
                     choices=[dict(choice) for choice in question.choices], scale_low=dict(question.scale_low),
                     scale_high=dict(question.scale_high), number_min=question.number_min,
                     number_max=question.number_max)
    _apply(fresh, wording=wording, choices=choices, kind=kind, scale_low=scale_low, scale_high=scale_high,
           number_min=number_min, number_max=number_max)
    db.session.add(fresh)
    db.session.flush()
    return fresh


# The builder's pages: surveys and questions to read, and the questions a survey may add.


def list_surveys() -> list[Survey]:
    """Every survey, newest first, with its rounds."""
    return list(db.session.scalars(select(Survey).options(selectinload(Survey.rounds))
                                   .order_by(Survey.created_at.desc(), Survey.id.desc())))


def get_survey(survey_id: int) -> Survey | None:
    return db.session.scalar(select(Survey).where(Survey.id == survey_id).options(
        selectinload(Survey.placements).selectinload(Placement.question), selectinload(Survey.rounds)))


def get_question(question_id: int) -> Question | None:
    return db.session.get(Question, question_id)


def placement_of(survey: Survey, question_id: int) -> Placement | None:
    return next((p for p in survey.placements if p.question_id == question_id), None)


def addable_questions(survey: Survey) -> list[tuple[str, str]]:
    """What the survey may add, as (choice, wording): the bank's questions (``bank:<key>``), then the newest
    version of each question made for a survey (``question:<id>``), leaving out what it asks already."""
    asked = {(p.question.key, p.question.version) for p in survey.placements}
    asked_keys = {key for key, _version in asked}
    found = [(f"bank:{q.key}", in_language(q.wording)) for q in BANK.values() if (q.key, q.version) not in asked]
    newest = select(Question.key, func.max(Question.version).label("version")).where(
        Question.key.like("custom-%")).group_by(Question.key).subquery()
    custom = db.session.scalars(select(Question).join(
        newest, (Question.key == newest.c.key) & (Question.version == newest.c.version)).order_by(Question.id))
    return found + [(f"question:{q.id}", q.wording_in()) for q in custom if q.key not in asked_keys]


def add_listed_question(actor, survey: Survey, choice: str, required: bool = False) -> Placement:
    """Add a question chosen from ``addable_questions``."""
    kind, _sep, value = (choice or "").partition(":")
    question = None
    if kind == "bank" and value in BANK:
        question = question_from_bank(value)
    elif kind == "question" and value.isdigit():
        question = get_question(int(value))
    if question is None:
        raise SurveyRefused(_l("Choose a question from the list."), field="question")
    return add_question(actor, survey, question, required=required)


def move_up(actor, survey: Survey, question_id: int) -> Placement:
    """Ask a question one place earlier; a question asked on an earlier answer stays after the question it
    depends on."""
    _require_admin(actor)
    placements = list(survey.placements)
    index = next((i for i, p in enumerate(placements) if p.question_id == question_id), None)
    if index is None:
        raise SurveyRefused(_l("This survey does not ask that question."), field="question")
    if index == 0:
        raise SurveyRefused(_l("This question is asked first already."), field="question")
    moving, earlier = placements[index], placements[index - 1]
    if moving.condition_question_id == earlier.question_id:
        raise SurveyRefused(_l("A question asked on an earlier answer stays after that question."), field="question")
    moving.position, earlier.position = earlier.position, moving.position
    db.session.flush()
    db.session.expire(survey, ["placements"])
    return moving


def condition_choices(survey: Survey) -> list[tuple[str, str]]:
    """The earlier answers a new question may be shown on, as (``<question id>:<value>``, wording and
    answer): the choices of the survey's choice questions that are always asked (one level)."""
    return [(f"{p.question_id}:{choice['value']}", f"{p.question.wording_in()} → {in_language(choice.get('label'))}")
            for p in survey.placements
            if p.condition_question_id is None and p.question.kind in CHOICE_KINDS for choice in p.question.choices]


def add_custom_question(actor, survey: Survey, kind: QuestionKind, wording: Mapping[str, str], *,
                        required: bool = False, shown_on: Iterable[str] = (), choices=None,
                        scale_low: Mapping[str, str] | None = None, scale_high: Mapping[str, str] | None = None,
                        number_min: int | None = None, number_max: int | None = None) -> Placement:
    """A question made for ``survey`` and put last in it; ``shown_on`` names earlier answers as
    ``condition_choices`` gives them, all of one question."""
    _require_admin(actor)
    picked = [item.partition(":") for item in shown_on]
    question_ids = {question_id for question_id, _sep, _value in picked}
    if len(question_ids) > 1:
        raise SurveyRefused(_l("Choose answers of one earlier question only."), field="shown_if_values")
    shown_if = None
    if question_ids:
        question_id = question_ids.pop()
        shown_if = get_question(int(question_id)) if question_id.isdigit() else None
        if shown_if is None:
            raise SurveyRefused(_l("Choose the question the answers belong to."), field="shown_if")
    question = create_question(actor, kind, wording, choices=choices, scale_low=scale_low, scale_high=scale_high,
                               number_min=number_min, number_max=number_max)
    return add_question(actor, survey, question, required=required, shown_if=shown_if,
                        shown_if_values=[value for _question_id, _sep, value in picked])


def create_round(actor, survey: Survey, label: str, opens_at: datetime, closes_at: datetime, reach: Reach,
                 districts: Iterable[District]) -> SurveyRound:
    _require_admin(actor)
    label = (label or "").strip()
    if not label or len(label) > 80:
        raise SurveyRefused(_l("Give the round a name of at most 80 characters, like \"autumn 2025\"."), field="label")
    if closes_at <= opens_at:
        raise SurveyRefused(_l("The round must close after it opens."), field="closes_at")
    covered = list({district.id: district for district in districts}.values())
    if not covered:
        raise SurveyRefused(_l("Choose at least one district."), field="districts")
    if any(not district.active for district in covered):
        raise SurveyRefused(_l("A retired district cannot be surveyed."), field="districts")
    if not survey.placements:
        raise SurveyRefused(_l("Add questions to the survey first."), field="survey")
    survey_round = SurveyRound(survey=survey, label=label, opens_at=opens_at, closes_at=closes_at,
                               reach=Reach(reach),
                               coverage=[RoundDistrict(district_id=district.id) for district in covered])
    db.session.add(survey_round)
    db.session.flush()
    return survey_round


# The round's pages.


def get_round(round_id: int) -> SurveyRound | None:
    return db.session.scalar(select(SurveyRound).where(SurveyRound.id == round_id).options(
        selectinload(SurveyRound.coverage).selectinload(RoundDistrict.district),
        selectinload(SurveyRound.survey).selectinload(Survey.placements).options(
            selectinload(Placement.question), selectinload(Placement.condition_question))))


def round_status(survey_round: SurveyRound) -> str:
    """"upcoming", "open" or "closed"."""
    if survey_round.has_closed():
        return "closed"
    return "open" if survey_round.is_open() else "upcoming"


@dataclass(frozen=True)
class DistrictFigures:
    """How a round went in one district: how many it reached (codes made, invitations listed) and how many
    finished their answers."""

    district: District
    reached: int
    answered: int

    @property
    def rate(self) -> float | None:
        return self.answered / self.reached if self.reached else None


def round_figures(survey_round: SurveyRound) -> list[DistrictFigures]:
    answered: dict[int, int] = dict(db.session.execute(
        select(AnswerSet.district_id, func.count()).where(AnswerSet.round_id == survey_round.id,
                                                          AnswerSet.finished_on.is_not(None))
        .group_by(AnswerSet.district_id)).all())
    return [DistrictFigures(row.district, row.reached, answered.get(row.district_id, 0)) for row in survey_round.coverage]


def covered_district(survey_round: SurveyRound, district_id: int | None) -> District:
    return _coverage_of(survey_round, district_id).district


def _coverage(survey_round: SurveyRound, district: District) -> RoundDistrict:
    return _coverage_of(survey_round, district.id)


def _coverage_of(survey_round: SurveyRound, district_id: int | None) -> RoundDistrict:
    found = next((row for row in survey_round.coverage if row.district_id == district_id), None)
    if found is None:
        raise SurveyRefused(_l("This round does not cover that district."), field="district")
    return found


def _refuse_if_closed(survey_round: SurveyRound) -> None:
    if survey_round.has_closed():
        raise SurveyRefused(_l("This round has closed."), field="round", status=410)


# --- codes and invitations -----------------------------------------------------------------------------


def make_codes(survey_round: SurveyRound, district: District, count: int) -> list[str]:
    """``count`` new one-time codes for ``district``, as people will type them; only their hashes are kept."""
    _refuse_if_closed(survey_round)
    if survey_round.reach != Reach.CODES:
        raise SurveyRefused(_l("This round is not answered with codes."), field="round")
    if not 1 <= count <= 100_000:
        raise SurveyRefused(_l("Make between 1 and 100,000 codes at a time."), field="count")
    coverage = _coverage(survey_round, district)
    made = codes.new_codes(count)
    db.session.execute(AccessCode.__table__.insert(), [
        {"round_id": survey_round.id, "district_id": district.id, "code_hash": codes.code_hash(code), "used": False}
        for code in made])
    coverage.reached += count
    db.session.flush()
    return made


def invite(actor, survey_round: SurveyRound, district: District, emails: Iterable[str], locale: str = "nb") -> int:
    """Put addresses on the round's invitation list (deleted when the round closes); returns how many are new.
    Sending the invitations is the pages' part."""
    _require_admin(actor)
    _refuse_if_closed(survey_round)
    if survey_round.reach != Reach.INVITATIONS:
        raise SurveyRefused(_l("This round is not answered by invitation."), field="round")
    coverage = _coverage(survey_round, district)
    known = set(db.session.scalars(select(Invitation.email).where(Invitation.round_id == survey_round.id)))
    added = 0
    for email in emails:
        email = email.strip().lower()
        if not email or email in known:
            continue
        if len(email) > 254 or "@" not in email:
            raise SurveyRefused(_l("An address on the list is not an email address."), field="emails")
        nonce = new_nonce()
        db.session.add(Invitation(round_id=survey_round.id, district_id=district.id, email=email, locale=locale,
                                  token_nonce=nonce, token_hash=digest(invitation_token(nonce))))
        known.add(email)
        added += 1
    coverage.reached += added
    db.session.flush()
    return added


def invitation_token(nonce: str) -> str:
    """The token in an invitation's link, made again from its nonce with the secret key."""
    return token_for(INVITATION_PURPOSE, nonce)


def make_codes_by(actor, survey_round: SurveyRound, district: District, count: int) -> list[str]:
    """``make_codes`` for a member of staff in the browser (the command line makes them as the server's owner)."""
    _require_admin(actor)
    return make_codes(survey_round, district, count)


INVITATIONS_AT_A_TIME = 5000
EMAIL_SHAPE = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
# An invitation's link: /surveys/<round>/invitation/<token>. The token is made when the mail is sent, and
# only while the address is on the list: a mail still waiting when the round closes carries no working link.
INVITATION_LINK = secret_links.kind(
    "survey-invitation", "surveys.invitation", lambda reference: _listed_invitation_token(reference[1]),
    path=lambda reference, token: f"/surveys/{reference[0]}/invitation/{token}")


def _listed_invitation_token(nonce: str) -> str | None:
    listed = db.session.scalar(select(exists().where(Invitation.token_nonce == nonce)))
    return invitation_token(nonce) if listed else None


def invite_by_mail(actor, survey_round: SurveyRound, district: District, addresses: Iterable[tuple[str, str | None]],
                   locale: str = DEFAULT_LANGUAGE) -> int:
    """Put ``(address, language or None)`` on the round's list and mail each new address its invitation, in
    its language (else ``locale``); an address on the list already gets no second mail. Returns how many
    were mailed."""
    _require_admin(actor)
    listed = list(addresses)
    if not listed:
        raise SurveyRefused(_l("Give at least one email address."), field="emails")
    if len(listed) > INVITATIONS_AT_A_TIME:
        raise SurveyRefused(_l("Send at most %(max)d addresses at a time.", max=INVITATIONS_AT_A_TIME), field="emails")
    if any(not EMAIL_SHAPE.fullmatch(email.strip()) for email, _language in listed):
        raise SurveyRefused(_l("An address on the list is not an email address."), field="emails")
    known = set(db.session.scalars(select(Invitation.email).where(Invitation.round_id == survey_round.id)))
    by_language: dict[str, list[str]] = {}
    for email, language in listed:
        by_language.setdefault(languages.usable(language or locale), []).append(email)
    for language, emails in by_language.items():
        invite(actor, survey_round, district, emails, language)
    fresh = db.session.scalars(select(Invitation).where(
        Invitation.round_id == survey_round.id, Invitation.email.not_in(known)).order_by(Invitation.id)).all()
    for invitation in fresh:
        mail.send_mail(invitation.email, invitation.locale, "survey_invitation", INVITATION_SUBJECT,
                       title=survey_round.survey.title_in(invitation.locale), closes_at=survey_round.closes_at,
                       link=INVITATION_LINK([survey_round.id, invitation.token_nonce]))
    return len(fresh)


# --- starting, saving, finishing -----------------------------------------------------------------------


def _start(survey_round: SurveyRound, district_id: int, channel: Channel, token: str | None = None) -> Started:
    token = token or secrets.token_urlsafe(32)
    answer_set = AnswerSet(round_id=survey_round.id, district_id=district_id, channel=channel,
                           started_on=today(), resume_hash=digest(token))
    db.session.add(answer_set)
    db.session.flush()
    return Started(answer_set, token)


def _refuse_unless_open(survey_round: SurveyRound) -> None:
    if not survey_round.is_open():
        if survey_round.has_closed():
            _refuse_if_closed(survey_round)
        raise SurveyRefused(_l("This round has not opened yet."), field="round")


def start_open(survey_round: SurveyRound, district: District, token: str | None = None) -> Started:
    """Anyone with the link: one answer set per browser (the page keeps its token), labelled self-selected."""
    _refuse_unless_open(survey_round)
    if survey_round.reach != Reach.OPEN:
        raise SurveyRefused(_l("This round is answered with a code or an invitation."), field="round")
    _coverage(survey_round, district)
    return _start(survey_round, district.id, Channel.OPEN, token)


CODE_REFUSED = _l("This code is not right. Check it against your letter and try again.")
CODE_USED = _l("This code has been used already. Each code answers the survey once.")


def _spend(survey_round: SurveyRound, model: type[AccessCode] | type[Invitation], hash_column, hashed: str,
           unknown: SurveyRefused, used: SurveyRefused) -> int:
    """Mark a code or an invitation of the round used, once, and give its district. Only the UPDATE that
    changed the row goes on: on PostgreSQL a second one waits for the first's row lock and finds it used,
    on SQLite the writing transactions take turns."""
    district_id = db.session.scalar(select(model.district_id).where(model.round_id == survey_round.id,
                                                                    hash_column == hashed))
    if district_id is None:
        raise unknown
    spent = rows_changed(db.session.execute(
        update(model).where(model.round_id == survey_round.id, hash_column == hashed, model.used.is_(False))
        .values(used=True).execution_options(synchronize_session=False)))
    if spent != 1:
        raise used
    return district_id


def start_by_code(survey_round: SurveyRound, code: str, token: str | None = None) -> Started:
    """Spend a one-time code and start its answer set; a code answers once, also when sent twice at once."""
    _refuse_unless_open(survey_round)
    district_id = _spend(survey_round, AccessCode, AccessCode.code_hash, codes.code_hash(code),
                         SurveyRefused(CODE_REFUSED, field="code"), SurveyRefused(CODE_USED, field="code", status=409))
    return _start(survey_round, district_id, Channel.CODE, token)


def start_by_invitation(survey_round: SurveyRound, invitation: str, token: str | None = None) -> Started:
    """Spend an invitation's link, once, as a code is spent."""
    _refuse_unless_open(survey_round)
    district_id = _spend(
        survey_round, Invitation, Invitation.token_hash, digest(invitation or ""),
        SurveyRefused(_l("This invitation link is not right, or its round has closed."), field="token", status=404),
        SurveyRefused(_l("This invitation has been used already. Each invitation answers the survey once."),
                      field="token", status=409))
    return _start(survey_round, district_id, Channel.INVITATION, token)


def open_rounds(now: datetime | None = None, with_districts: bool = False) -> list[SurveyRound]:
    """The rounds people can answer now, newest first, with their survey (in the same query: the home page
    shows them) and, for /surveys/, the districts each covers."""
    now = now or utcnow()
    query = (select(SurveyRound).where(SurveyRound.closed_at.is_(None), SurveyRound.opens_at <= now,
                                       SurveyRound.closes_at > now)
             .options(joinedload(SurveyRound.survey)).order_by(SurveyRound.opens_at.desc(), SurveyRound.id.desc()))
    if with_districts:
        query = query.options(selectinload(SurveyRound.coverage).selectinload(RoundDistrict.district))
    return list(db.session.scalars(query))


def round_of_code(code: str, client: str) -> SurveyRound:
    """The round a code typed without its round belongs to; a wrong code counts against the client."""
    limit = f"{settings.get('SURVEY_CODE_FAILURES_PER_HOUR')} per hour"
    _refuse_if_too_many(limit, "survey-code", client)
    round_id = db.session.scalar(select(AccessCode.round_id).where(AccessCode.code_hash == codes.code_hash(code)))
    if round_id is None:
        throttle.hit(limit, "survey-code", client)
        raise SurveyRefused(CODE_REFUSED, field="code")
    return db.session.get_one(SurveyRound, round_id)


RESUME_PURPOSE = "survey-resume"


def resume_token(survey_round: SurveyRound, browser_secret: str, form_nonce: str) -> str:
    """The token a browser keeps to come back to its answers. It is made from the round, a random secret of
    this browser's session (``browser_secret``, kept server-signed: nobody else has it) and the one-time id
    of the form that started the answers: the same form sent twice from this browser (a double click, a
    resend after a lost answer) leads to the same answer set and spends its code once, while someone who
    copies the form's id from the page, with a session of their own, gets a token of their own."""
    return token_for(RESUME_PURPOSE, f"{survey_round.id}:{browser_secret}:{form_nonce}")


def _refuse_if_too_many(limit: str, kind: str, client: str) -> None:
    if throttle.retry_after(limit, kind, client) is not None:
        raise SurveyRefused(_l("Too many tries from your connection. Wait a while and try again."), status=429)


def enter(survey_round: SurveyRound, client: str, token: str, *, district: District | None = None,
          code: str | None = None, invitation: str | None = None) -> str:
    """Let a person in by the round's way (a district chosen for an open link, a code, an invitation's
    token) and give the resume token their browser keeps. A form sent again gives the answer set it
    started already. Anonymous writes are bounded per client: new open answer sets, and wrong codes
    (counted like wrong receipt codes, so guessing codes gets nowhere). ``token`` is ``resume_token``'s."""
    if resume(survey_round, token) is not None:
        return token
    if code is not None:
        limit = f"{settings.get('SURVEY_CODE_FAILURES_PER_HOUR')} per hour"
        _refuse_if_too_many(limit, "survey-code", client)
        try:
            start_by_code(survey_round, code, token)
        except SurveyRefused as refused:
            if refused.message == CODE_REFUSED:
                throttle.hit(limit, "survey-code", client)
            raise
    elif invitation is not None:
        start_by_invitation(survey_round, invitation, token)
    else:
        limit = f"{settings.get('SURVEY_STARTS_PER_HOUR')} per hour"
        _refuse_if_too_many(limit, "survey-start", client)
        if district is None:
            raise SurveyRefused(_l("Choose where you live."), field="district")
        start_open(survey_round, district, token)
        throttle.hit(limit, "survey-start", client)
    return token


def start_on_paper(actor, survey_round: SurveyRound, district: District) -> Started:
    """A paper form typed in by staff: marked as paper, and like every answer set it records nobody (not the
    member of staff either). Paper forms come in late, so they are taken until the round is closed by hand."""
    if not district.is_moderated_by(actor):
        raise Forbidden()
    if survey_round.closed_at is not None:
        _refuse_if_closed(survey_round)
    if utcnow() < survey_round.opens_at:
        raise SurveyRefused(_l("This round has not opened yet."), field="round")
    _coverage(survey_round, district)
    return _start(survey_round, district.id, Channel.PAPER)


def paper_districts(survey_round: SurveyRound, actor) -> list[District]:
    """The round's districts whose paper forms ``actor`` may type in: those they moderate."""
    return [row.district for row in survey_round.coverage if row.district.is_moderated_by(actor)]


def paper_problems(survey_round: SurveyRound, values: Mapping[int, Any]) -> dict[int, Any]:
    """What is wrong with a paper form's answers, question by question, so every mistake is shown at once."""
    problems = {}
    for placement in survey_round.survey.placements:
        value = values.get(placement.question_id)
        if not blank(value):
            try:
                checked_value(placement.question, value)
            except SurveyRefused as refused:
                problems[placement.question_id] = refused.message
    return problems


def save_paper(actor, survey_round: SurveyRound, district: District | None, values: Mapping[int, Any]) -> AnswerSet:
    """One paper form, typed in: an answer set marked paper with the answers given, sent at once."""
    if district is None:
        raise SurveyRefused(_l("Choose a district."), field="district")
    answer_set = start_on_paper(actor, survey_round, district).answer_set
    for placement in survey_round.survey.placements:
        save_answer(answer_set, placement.question, values.get(placement.question_id))
    finish(answer_set)
    return answer_set


def paper_count(survey_round: SurveyRound, districts: Iterable[District]) -> int:
    """How many paper forms have been typed in for the round in ``districts`` (those of the member of staff
    asking: a count over others' districts could give back a hidden figure of theirs)."""
    return db.session.scalar(select(func.count()).select_from(AnswerSet).where(
        AnswerSet.round_id == survey_round.id, AnswerSet.channel == Channel.PAPER,
        AnswerSet.district_id.in_([district.id for district in districts]))) or 0


def resume(survey_round: SurveyRound, token: str) -> AnswerSet | None:
    """The unfinished answer set of the browser holding ``token``."""
    if not token:
        return None
    return db.session.scalar(select(AnswerSet).where(
        AnswerSet.round_id == survey_round.id, AnswerSet.resume_hash == digest(token), AnswerSet.finished_on.is_(None)))


def _refuse_unless_answerable(answer_set: AnswerSet) -> SurveyRound:
    if answer_set.finished:
        raise SurveyRefused(_l("These answers have been sent already."), field="round", status=409)
    survey_round = db.session.get_one(SurveyRound, answer_set.round_id)
    if answer_set.channel == Channel.PAPER:
        if survey_round.closed_at is not None:
            _refuse_if_closed(survey_round)
    else:
        _refuse_unless_open(survey_round)
    return survey_round


def _placement(survey_round: SurveyRound, question: Question) -> Placement:
    found = next((p for p in survey_round.survey.placements if p.question_id == question.id), None)
    if found is None:
        raise SurveyRefused(_l("This survey does not ask that question."), field=f"q{question.id}")
    return found


def checked_value(question: Question, value: Any) -> dict[str, Any]:
    """The answer's columns for ``value``, or a refusal saying what is wrong with it."""
    field = f"q{question.id}"
    kind = question.kind
    if kind == QuestionKind.SINGLE:
        if not isinstance(value, str) or value not in question.choice_values:
            raise SurveyRefused(_l("Choose one of the answers given."), field=field)
        return {"choice": value}
    if kind == QuestionKind.MULTIPLE:
        chosen = [value] if isinstance(value, str) else list(value) if isinstance(value, (list, tuple)) else None
        if not chosen or not all(isinstance(v, str) and v in question.choice_values for v in chosen):
            raise SurveyRefused(_l("Choose among the answers given."), field=field)
        return {"choices": [v for v in question.choice_values if v in chosen]}   # in the question's order, once each
    if kind in (QuestionKind.SCALE, QuestionKind.NUMBER):
        number = _whole_number(value)
        if kind == QuestionKind.SCALE:
            if number is None or number not in SCALE:
                raise SurveyRefused(_l("Choose a number from 1 to 5."), field=field)
        elif (number is None or (question.number_min is not None and number < question.number_min)
              or (question.number_max is not None and number > question.number_max)):
            raise SurveyRefused(number_hint(question), field=field)
        return {"number": float(number)}
    # A browser sends a line break as two characters and counts it as one (maxlength): count it as one here too.
    text = value.replace("\r\n", "\n").strip() if isinstance(value, str) else None
    if not text:
        raise SurveyRefused(_l("Write an answer, or leave the question out."), field=field)
    if len(text) > TEXT_MAX:
        raise SurveyRefused(_l("Keep it under %(max)d characters.", max=TEXT_MAX), field=field)
    if has_control_characters(text) or any(c in BIDI_CONTROLS for c in text):
        raise SurveyRefused(_l("Remove the invisible control characters from this text."), field=field)
    return {"text": text}


def number_hint(question: Question):
    """What a number question takes, in words: said as a hint and as the refusal."""
    low, high = question.number_min, question.number_max
    if low is not None and high is not None:
        return _l("Write a whole number from %(low)d to %(high)d.", low=low, high=high)
    if low is not None:
        return _l("Write a whole number, %(low)d or more.", low=low)
    if high is not None:
        return _l("Write a whole number, %(high)d or less.", high=high)
    return _l("Write a whole number.")



def _whole_number(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and re.fullmatch(r"\s*-?\d{1,9}\s*", value):
        return int(value)
    return None


def blank(value: Any) -> bool:
    return value is None or (isinstance(value, (str, list, tuple)) and not (value.strip() if isinstance(value, str) else value))


def save_answer(answer_set: AnswerSet, question: Question, value: Any) -> Answer | None:
    """Keep one answer as soon as it is given (a dropped connection loses nothing); a blank value takes the
    answer back. Returns the answer kept, or None when there is none now."""
    survey_round = _refuse_unless_answerable(answer_set)
    _placement(survey_round, question)
    existing = db.session.scalar(select(Answer).where(Answer.answer_set_id == answer_set.id,
                                                      Answer.question_id == question.id))
    if blank(value):
        if existing is not None:
            db.session.delete(existing)
            db.session.flush()
        return None
    columns = {"number": None, "choice": None, "choices": None, "text": None} | checked_value(question, value)
    answer = existing or Answer(answer_set_id=answer_set.id, question_id=question.id)
    for name, column_value in columns.items():
        setattr(answer, name, column_value)
    db.session.add(answer)
    db.session.flush()
    return answer


def answers(answer_set: AnswerSet) -> dict[int, Answer]:
    """The answers given so far, by question."""
    return {answer.question_id: answer for answer in db.session.scalars(
        select(Answer).where(Answer.answer_set_id == answer_set.id))}


def is_shown(placement: Placement, answers: Mapping[int, Answer]) -> bool:
    """Whether the question is asked, given the answers so far (one level of conditions)."""
    if placement.condition_question_id is None:
        return True
    earlier = answers.get(placement.condition_question_id)
    if earlier is None:
        return False
    given = set(earlier.choices or []) | ({earlier.choice} if earlier.choice is not None else set())
    return bool(given & set(placement.condition_values))


NEEDED = _l("Answer this question, it is needed.")


def finish(answer_set: AnswerSet) -> AnswerSet:
    """Send the answers: every required question that is asked must be answered (not on paper: what a person
    left blank stays blank); answers to questions no longer asked (their condition changed) are dropped, so no
    figure counts them. The resume token is forgotten."""
    survey_round = _refuse_unless_answerable(answer_set)
    given = answers(answer_set)
    for placement in survey_round.survey.placements:
        shown = is_shown(placement, given)
        if shown and placement.required and placement.question_id not in given and answer_set.channel != Channel.PAPER:
            raise SurveyRefused(NEEDED, field=f"q{placement.question_id}")
        if not shown and placement.question_id in given:
            db.session.delete(given[placement.question_id])
    answer_set.finished_on = today()
    answer_set.resume_hash = None
    db.session.flush()
    return answer_set


# --- closing and purging -------------------------------------------------------------------------------


def close_round(actor, survey_round: SurveyRound) -> int:
    """Close a round now (or confirm it closed): no more answers, and its invitation list is deleted.
    Returns how many addresses were deleted."""
    _require_admin(actor)
    if survey_round.closed_at is None:
        survey_round.closed_at = utcnow()
    return _delete_invitations(survey_round.id)


def _delete_invitations(round_id: int) -> int:
    return rows_changed(db.session.execute(
        delete(Invitation).where(Invitation.round_id == round_id).execution_options(synchronize_session=False)))


def purge(now: datetime | None = None) -> dict[str, int]:
    """What the survey keeps only for a while (run from ``flask privacy purge``): the invitation lists of
    rounds past their closing time, and free-text answers older than SURVEY_FREE_TEXT_RETENTION_DAYS."""
    now = now or utcnow()
    past = db.session.scalars(select(SurveyRound.id).where(
        SurveyRound.closes_at <= now, exists().where(Invitation.round_id == SurveyRound.id))).all()
    invitations = sum(_delete_invitations(round_id) for round_id in past)
    return {"survey_invitations": invitations, "survey_free_texts": purge_free_text(now)}


def purge_free_text(now: datetime | None = None) -> int:
    """Empty the free-text answers of answer sets started more than SURVEY_FREE_TEXT_RETENTION_DAYS ago. The
    answer stays, emptied: the published number of answers to the question does not change."""
    now = now or utcnow()
    cutoff = now.astimezone(OSLO).date() - timedelta(days=settings.get("SURVEY_FREE_TEXT_RETENTION_DAYS"))
    old_sets = select(AnswerSet.id).where(AnswerSet.started_on < cutoff)
    return rows_changed(db.session.execute(
        update(Answer).where(Answer.text.is_not(None), Answer.text != "", Answer.answer_set_id.in_(old_sets))
        .values(text="").execution_options(synchronize_session=False)))


# --- reading free text ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class FreeTexts:
    """The free-text answers to one question from one district, newest day first."""

    question: Question
    district: District
    answers: list[tuple[date, str]]


def free_texts(actor, survey_round: SurveyRound) -> list[FreeTexts]:
    """The free text of the round's finished answer sets, per question (in the survey's order) and district:
    for the staff who run surveys only, never published, never logged."""
    _require_admin(actor)
    rows = db.session.execute(
        select(Answer.question_id, AnswerSet.district_id, AnswerSet.finished_on, Answer.text)
        .join(AnswerSet, AnswerSet.id == Answer.answer_set_id)
        .where(AnswerSet.round_id == survey_round.id, AnswerSet.finished_on.is_not(None), Answer.text.is_not(None),
               Answer.text != "")     # emptied when its time was up
        .order_by(AnswerSet.finished_on.desc(), Answer.id.desc())).all()
    found: list[FreeTexts] = []
    for placement in survey_round.survey.placements:
        for coverage in survey_round.coverage:
            answers = [(day, text) for question_id, district_id, day, text in rows
                       if question_id == placement.question_id and district_id == coverage.district_id
                       and day is not None and text is not None]
            if answers or placement.question.kind == QuestionKind.TEXT:
                found.append(FreeTexts(placement.question, coverage.district, answers))
    return found
