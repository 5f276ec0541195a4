"""The area survey: surveys, their rounds and questions, and the answers, which link to nobody.

Texts a resident reads (a survey's title and intro, a question's wording, its choices and the labels of a
scale's ends) are kept as ``{language code: text}`` in JSON, not as a column per language: a survey is
asked in every interface language (eight today), and a language added later needs no migration.

What links an answer to a person is kept out of the schema, not only out of the pages: an answer set has no
user, no code, no invitation, no address and no time finer than a day. A code or an invitation is only
marked used; nothing records which answer set used it.
"""
from __future__ import annotations

import enum
from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Date,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.db import UTCDateTime, str_enum, utcnow
from app.core.i18n import current_locale
from app.districts.models import District
from app.extensions import db

DEFAULT_LANGUAGE = "nb"


def in_language(texts: dict[str, Any] | None, language: str | None = None) -> str:
    """The text for a reader of ``language``, falling back to Bokmål, the agreement's language."""
    return (texts or {}).get(shown_language(texts, language)) or ""


def shown_language(texts: dict[str, Any] | None, language: str | None = None) -> str:
    """The language ``in_language`` shows: the reader's when the text has it, else Bokmål (a page marks it)."""
    language = language or current_locale()
    return language if (texts or {}).get(language) else DEFAULT_LANGUAGE


class Reach(enum.StrEnum):
    """How a round reaches people, which also says who may answer."""

    OPEN = "open"                 # anyone with the link, once per browser: self-selected
    CODES = "codes"               # one-time codes printed on letters or flyers
    INVITATIONS = "invitations"   # mailed to a list an administrator uploads


class Channel(enum.StrEnum):
    """How one answer set came in: what an analysis weighs or leaves out."""

    OPEN = "open"
    CODE = "code"
    INVITATION = "invitation"
    PAPER = "paper"               # a paper form typed in by staff


class QuestionKind(enum.StrEnum):
    SINGLE = "single"             # one of the choices
    MULTIPLE = "multiple"         # any of the choices
    SCALE = "scale"               # 1 to 5, its ends labelled
    NUMBER = "number"             # a whole number within bounds
    TEXT = "text"                 # short free text: read by staff only, never published, purged


class SurveyStaff(db.Model):
    """A member of staff an administrator has named to run the area survey (build surveys, open and close
    rounds, make codes, send invitations, read free text). Administrators run it without being named."""

    __tablename__ = "survey_staff"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    named_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Survey(db.Model):
    __tablename__ = "surveys"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)
    intro: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    placements: Mapped[list[Placement]] = relationship(
        back_populates="survey", cascade="all, delete-orphan", order_by="Placement.position")
    rounds: Mapped[list[SurveyRound]] = relationship(back_populates="survey", order_by="SurveyRound.opens_at")

    def title_in(self, language: str | None = None) -> str:
        return in_language(self.title, language)

    def intro_in(self, language: str | None = None) -> str:
        return in_language(self.intro, language)


class Question(db.Model):
    """A question as worded. Once any round has an answer to it, its wording, choices and kind are fixed
    (services.refuse_change): a change is a new version, the same ``key`` with the next ``version``, so
    figures across rounds compare only answers to the same words."""

    __tablename__ = "survey_questions"
    __table_args__ = (
        UniqueConstraint("key", "version", name="uq_survey_questions_key_version"),
        CheckConstraint("version >= 1", name="version_positive"),
        CheckConstraint("number_min IS NULL OR number_max IS NULL OR number_min <= number_max", name="number_bounds"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # The question bank's key ("safe_after_dark") for a standard question; "custom-<hex>" for one made
    # for a single survey. Every version of a question shares it.
    key: Mapped[str] = mapped_column(String(64))
    version: Mapped[int] = mapped_column(Integer, default=1)
    kind: Mapped[QuestionKind] = mapped_column(str_enum(QuestionKind))
    wording: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)
    # Single and multiple choice: [{"value": "yes", "label": {"nb": "Ja", ...}}, ...]; the value is stored.
    choices: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    # Scale: what 1 and 5 mean, per language.
    scale_low: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)
    scale_high: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)
    number_min: Mapped[int | None] = mapped_column(Integer)
    number_max: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    def wording_in(self, language: str | None = None) -> str:
        return in_language(self.wording, language)

    @property
    def choice_values(self) -> list[str]:
        return [choice["value"] for choice in self.choices]


class Placement(db.Model):
    """A question's place in a survey: its order, whether it must be answered, and the earlier answer it is
    shown on. These belong to the survey, not the question: the bank's questions are asked in many surveys."""

    __tablename__ = "survey_placements"
    __table_args__ = (
        CheckConstraint("condition_question_id IS NULL OR condition_question_id <> question_id",
                        name="not_own_condition"),
    )

    survey_id: Mapped[int] = mapped_column(ForeignKey("surveys.id", ondelete="CASCADE"), primary_key=True)
    question_id: Mapped[int] = mapped_column(ForeignKey("survey_questions.id"), primary_key=True, index=True)
    position: Mapped[int] = mapped_column(Integer)
    required: Mapped[bool] = mapped_column(Boolean, default=False)
    # Shown only when the answer to this earlier question is one of ``condition_values`` (one level: the
    # earlier question is never itself conditional).
    condition_question_id: Mapped[int | None] = mapped_column(ForeignKey("survey_questions.id"))
    condition_values: Mapped[list[str]] = mapped_column(JSON, default=list)

    survey: Mapped[Survey] = relationship(back_populates="placements")
    question: Mapped[Question] = relationship(foreign_keys=[question_id])
    condition_question: Mapped[Question | None] = relationship(foreign_keys=[condition_question_id])


class SurveyRound(db.Model):
    __tablename__ = "survey_rounds"
    __table_args__ = (CheckConstraint("closes_at > opens_at", name="closes_after_opening"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    survey_id: Mapped[int] = mapped_column(ForeignKey("surveys.id"), index=True)
    label: Mapped[str] = mapped_column(String(80))          # "autumn 2025"
    opens_at: Mapped[datetime] = mapped_column(UTCDateTime)
    closes_at: Mapped[datetime] = mapped_column(UTCDateTime)
    reach: Mapped[Reach] = mapped_column(str_enum(Reach))
    # Set when staff close the round (early, or after its closing time once the paper forms are in): no
    # answers of any kind after it, and its results are published.
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    survey: Mapped[Survey] = relationship(back_populates="rounds")
    coverage: Mapped[list[RoundDistrict]] = relationship(
        back_populates="round", cascade="all, delete-orphan", order_by="RoundDistrict.district_id")

    def is_open(self, now: datetime | None = None) -> bool:
        now = now or utcnow()
        return self.closed_at is None and self.opens_at <= now < self.closes_at

    def has_closed(self, now: datetime | None = None) -> bool:
        """No more answers from residents (paper forms are still typed in until it is ``published``)."""
        return self.closed_at is not None or (now or utcnow()) >= self.closes_at

    @property
    def published(self) -> bool:
        """Closed by staff, once the last paper forms are in: its results are public and never change again."""
        return self.closed_at is not None

    @property
    def district_ids(self) -> list[int]:
        return [row.district_id for row in self.coverage]


class RoundDistrict(db.Model):
    """A district a round covers, and how many people it reached there (codes printed, invitations sent):
    the denominator of the response rate, kept after the codes are used and the list is deleted."""

    __tablename__ = "survey_round_districts"
    __table_args__ = (CheckConstraint("reached >= 0", name="reached_not_negative"),)

    round_id: Mapped[int] = mapped_column(ForeignKey("survey_rounds.id", ondelete="CASCADE"), primary_key=True)
    district_id: Mapped[int] = mapped_column(ForeignKey("districts.id"), primary_key=True)
    reached: Mapped[int] = mapped_column(Integer, default=0)

    round: Mapped[SurveyRound] = relationship(back_populates="coverage")
    district: Mapped[District] = relationship()


class AnswerSet(db.Model):
    """One person's answers to one round. Deliberately nothing that points at a person: no account, no code,
    no invitation, no address; days, not times, so it cannot be lined up with a log or a code's use."""

    __tablename__ = "survey_answer_sets"
    __table_args__ = (Index("ix_survey_answer_sets_round_district", "round_id", "district_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("survey_rounds.id"))
    district_id: Mapped[int] = mapped_column(ForeignKey("districts.id"))
    channel: Mapped[Channel] = mapped_column(str_enum(Channel))
    started_on: Mapped[date] = mapped_column(Date)
    finished_on: Mapped[date | None] = mapped_column(Date)
    # The hash of the random token the browser keeps to come back to its answers (never the token).
    resume_hash: Mapped[str | None] = mapped_column(String(64), unique=True)

    answers: Mapped[list[Answer]] = relationship(back_populates="answer_set", cascade="all, delete-orphan",
                                                 passive_deletes=True)

    @property
    def finished(self) -> bool:
        return self.finished_on is not None


class Answer(db.Model):
    """One answer: ``number`` for a scale or a number, ``choice`` for single choice, ``choices`` for
    multiple choice, ``text`` for free text (emptied after SURVEY_FREE_TEXT_RETENTION_DAYS)."""

    __tablename__ = "survey_answers"
    __table_args__ = (UniqueConstraint("answer_set_id", "question_id", name="uq_survey_answers_set_question"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    answer_set_id: Mapped[int] = mapped_column(ForeignKey("survey_answer_sets.id", ondelete="CASCADE"))
    question_id: Mapped[int] = mapped_column(ForeignKey("survey_questions.id"), index=True)
    number: Mapped[float | None] = mapped_column(Float)
    choice: Mapped[str | None] = mapped_column(String(64))
    choices: Mapped[list[str] | None] = mapped_column(JSON)
    text: Mapped[str | None] = mapped_column(Text)

    answer_set: Mapped[AnswerSet] = relationship(back_populates="answers")
    question: Mapped[Question] = relationship()

    @property
    def value(self) -> Any:
        if self.choices is not None:
            return self.choices
        for field in (self.choice, self.number, self.text):
            if field is not None:
                return field
        return None


class AccessCode(db.Model):
    """A one-time code printed on a letter or flyer for a district. Only its keyed hash is stored (a copy
    of the database opens nothing), and only whether it was used: not when, not by which answer set."""

    __tablename__ = "survey_access_codes"
    __table_args__ = (Index("ix_survey_access_codes_round_district", "round_id", "district_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("survey_rounds.id", ondelete="CASCADE"))
    district_id: Mapped[int] = mapped_column(ForeignKey("districts.id"))
    code_hash: Mapped[str] = mapped_column(String(64), unique=True)
    used: Mapped[bool] = mapped_column(Boolean, default=False)


class Invitation(db.Model):
    """One address on a round's invitation list. The address is kept only to send the invitation (as a
    guest's address is kept for a registration) and the whole list is deleted when the round closes; the
    link's token is made from the nonce with the secret key (app.core.secret_links), only its hash kept."""

    __tablename__ = "survey_invitations"
    __table_args__ = (UniqueConstraint("round_id", "email", name="uq_survey_invitations_round_email"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("survey_rounds.id", ondelete="CASCADE"), index=True)
    district_id: Mapped[int] = mapped_column(ForeignKey("districts.id"))
    email: Mapped[str] = mapped_column(String(320))
    locale: Mapped[str] = mapped_column(String(8), default="nb")
    token_nonce: Mapped[str] = mapped_column(String(32))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    used: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
