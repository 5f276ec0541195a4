"""Submission: the triage pipeline's one shape, and its status history."""
from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Column,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
    event,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.accounts.models import User
from app.core.db import UTCDateTime, oslo_month, str_enum, utcnow
from app.districts.models import District, EffortArea, SubTheme
from app.extensions import db
from app.photos.models import Photo


class Status(enum.StrEnum):
    NEW = "new"
    ROUTED = "routed"
    IN_PROGRESS = "in_progress"
    ANSWERED = "answered"
    DONE = "done"
    NOT_PURSUED = "not_pursued"


class Kind(enum.StrEnum):
    IDEA = "idea"
    FEEDBACK = "feedback"
    COMMENT = "comment"
    REPORT = "report"
    REVIEW = "review"


# Why a moderator hid something; shown to the public as a category only.
HIDE_REASONS = ("personal_data", "harassment", "hate_speech", "spam", "off_topic", "illegal", "other")


submission_sub_themes = Table(
    "submission_sub_themes",
    db.metadata,
    Column("submission_id", ForeignKey("submissions.id", ondelete="CASCADE"), primary_key=True),
    Column("sub_theme_id", ForeignKey("sub_themes.id", ondelete="CASCADE"), primary_key=True),
)


# Every item in the moderation queue passes this (a kind's own rule narrows it further).
# What may wait for a moderator: anything held for approval, and anything new but comments, which are
# shown at once and never wait unless held (they would otherwise fill the queue's index with every comment).
QUEUE_PREDICATE = "withdrawn_at IS NULL AND (held_at IS NOT NULL OR (status = 'new' AND kind <> 'comment'))"


class Submission(db.Model):
    __tablename__ = "submissions"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(16), index=True)
    district_id: Mapped[int] = mapped_column(ForeignKey("districts.id"), index=True)
    # Never set for feedback: feedback is not linked to an account.
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    status: Mapped[Status] = mapped_column(str_enum(Status), default=Status.NEW, index=True)
    effort_area_id: Mapped[int | None] = mapped_column(ForeignKey("effort_areas.id"), index=True)
    suggested_effort_area_id: Mapped[int | None] = mapped_column(ForeignKey("effort_areas.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    # The Europe/Oslo month it was written in ("2026-11"): indicators group by it on any database.
    created_month: Mapped[str] = mapped_column(String(7), index=True)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    held_at: Mapped[datetime | None] = mapped_column(UTCDateTime)        # waiting for approval (PREMODERATE)
    hidden_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    hidden_reason: Mapped[str | None] = mapped_column(String(32))
    hidden_by_reports: Mapped[bool] = mapped_column(Boolean, default=False)
    withdrawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    edited_by_moderator_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    assigned_to_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    # Set and cleared by a moderator only (a text that looks urgent is suggested, never marked by itself);
    # urgent items come first in the queue and in the digest.
    urgent: Mapped[bool] = mapped_column(Boolean, default=False, server_default=text("false"), nullable=False)
    version: Mapped[int] = mapped_column(Integer, default=1)
    # Where it is about (optional, WGS 84) and the street or place chosen. An idea's is public (rounded on
    # maps and in the API); feedback's is personal data, seen by the district's moderators and purged with
    # the contact details.
    location_lat: Mapped[float | None] = mapped_column(Float)
    location_lon: Mapped[float | None] = mapped_column(Float)
    location_label: Mapped[str | None] = mapped_column(String(200))

    author: Mapped[User | None] = relationship(foreign_keys=[author_id])
    assigned_to: Mapped[User | None] = relationship(foreign_keys=[assigned_to_id])
    sub_themes: Mapped[list[SubTheme]] = relationship(secondary="submission_sub_themes", order_by=SubTheme.position)
    district: Mapped[District] = relationship(lazy="joined")
    effort_area: Mapped[EffortArea | None] = relationship(foreign_keys=[effort_area_id])
    suggested_effort_area: Mapped[EffortArea | None] = relationship(foreign_keys=[suggested_effort_area_id])
    history: Mapped[list["StatusChange"]] = relationship(
        back_populates="submission", order_by="StatusChange.id", cascade="all, delete-orphan", passive_deletes=True
    )

    __mapper_args__ = {"polymorphic_on": "kind", "version_id_col": version}
    __table_args__ = (
        # What the indicators count, read from the index alone (app/insights/figures.py).
        Index("ix_submissions_counted", "kind", "created_month", "district_id", "effort_area_id", "status", "author_id",
              "created_at",
              sqlite_where=text("withdrawn_at IS NULL AND hidden_at IS NULL"),
              postgresql_where=text("withdrawn_at IS NULL AND hidden_at IS NULL")),
        # The moderation queue in its order, over the items that may wait only: a page after any other is
        # read from here (keyset, no OFFSET), and a search reads this subset, never every submission.
        # The queue's query repeats this predicate word for word, so SQLite knows it may use the index.
        Index("ix_submissions_queue", "urgent", "created_at", "id",
              sqlite_where=text(QUEUE_PREDICATE), postgresql_where=text(QUEUE_PREDICATE)),
    )

    @property
    def is_hidden(self) -> bool:
        return self.hidden_at is not None

    @property
    def is_routed(self) -> bool:
        return self.effort_area_id is not None


# Read backwards, ``ix_submissions_queue`` gives newest first (urgent, then the latest); oldest first (urgent,
# then the earliest) runs the other way in its date, so it has an index of its own: either order's page is
# read from the top of an index, never sorted out of every waiting item.
Index("ix_submissions_queue_oldest", Submission.urgent.desc(), Submission.created_at, Submission.id,
      sqlite_where=text(QUEUE_PREDICATE), postgresql_where=text(QUEUE_PREDICATE))


# Routed ideas and feedback by their latest change: routing suggestions look at the top to see whether
# what they learnt is fresh, and read only what changed since (app/moderation/routing.py).
Index("ix_submissions_routed_updated", Submission.updated_at,
      sqlite_where=text("effort_area_id IS NOT NULL"), postgresql_where=text("effort_area_id IS NOT NULL"))


# A person's own ideas and comments on Min side, latest first, read without sorting their whole history.
Index("ix_submissions_author_created", Submission.author_id, Submission.created_at)


@event.listens_for(Submission, "before_insert", propagate=True)
def _stamp_month(_mapper, _connection, submission: Submission) -> None:
    if submission.created_at is None:
        submission.created_at = utcnow()
    submission.created_month = oslo_month(submission.created_at)


class StatusChange(db.Model):
    """One step in a submission's history: who moved it, when, and what they answered in public."""

    __tablename__ = "status_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    submission_id: Mapped[int] = mapped_column(ForeignKey("submissions.id", ondelete="CASCADE"), index=True)
    old_status: Mapped[Status | None] = mapped_column(str_enum(Status))
    new_status: Mapped[Status] = mapped_column(str_enum(Status))
    effort_area_id: Mapped[int | None] = mapped_column(ForeignKey("effort_areas.id"))
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    # The public answer in Bokmål, the language every reader can fall back to; Nynorsk and English are
    # optional (empty: the reader gets the Bokmål text, said so on the page).
    public_answer: Mapped[str | None] = mapped_column(Text)
    public_answer_html: Mapped[str | None] = mapped_column(Text)
    public_answer_nn: Mapped[str | None] = mapped_column(Text)
    public_answer_nn_html: Mapped[str | None] = mapped_column(Text)
    public_answer_en: Mapped[str | None] = mapped_column(Text)
    public_answer_en_html: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    submission: Mapped[Submission] = relationship(back_populates="history")
    effort_area: Mapped[EffortArea | None] = relationship()
    actor: Mapped[User | None] = relationship()

    def answer_in(self, locale: str) -> tuple[str | None, str]:
        """The answer's HTML for a reader of ``locale`` and the language it is in: theirs, else Bokmål."""
        own = {"nn": self.public_answer_nn_html, "en": self.public_answer_en_html}.get(locale)
        if own:
            return own, locale
        return self.public_answer_html, "nb"

    def answer_text_in(self, locale: str) -> tuple[str | None, str]:
        """The answer as written (Markdown) for a mail in ``locale``, and the language it is in."""
        own = {"nn": self.public_answer_nn, "en": self.public_answer_en}.get(locale)
        if own:
            return own, locale
        return self.public_answer, "nb"


REPORT_REASONS = ("personal_data", "harassment", "hate_speech", "spam", "off_topic", "illegal", "other")


class Report(Submission):
    """A resident's flag on an idea, a comment or a photo: one per person per item.

    ``target_id`` names the idea or comment; a report on a photo has ``photo_id`` instead. When a reported
    photo is deleted, ``photo_id`` becomes NULL and the report leaves the queue with its history kept."""

    __tablename__ = "reports"
    __table_args__ = (UniqueConstraint("target_id", "reporter_id", name="uq_reports_target_reporter"),
                      UniqueConstraint("photo_id", "reporter_id", name="uq_reports_photo_reporter"),
                      CheckConstraint("target_id IS NULL OR photo_id IS NULL", name="one_target"))

    id: Mapped[int] = mapped_column(ForeignKey("submissions.id", ondelete="CASCADE"), primary_key=True)
    target_id: Mapped[int | None] = mapped_column(ForeignKey("submissions.id", ondelete="CASCADE"), index=True)
    photo_id: Mapped[int | None] = mapped_column(ForeignKey("photos.id", ondelete="SET NULL"), index=True)
    reporter_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    reason: Mapped[str] = mapped_column(String(32))
    details: Mapped[str | None] = mapped_column(Text)

    target: Mapped[Submission | None] = relationship(foreign_keys=[target_id])
    photo: Mapped[Photo | None] = relationship(foreign_keys=[photo_id])

    __mapper_args__ = {"polymorphic_identity": Kind.REPORT.value, "inherit_condition": id == Submission.id}


class ReviewRequest(Submission):
    """The author of hidden content asks a moderator to look again."""

    __tablename__ = "review_requests"

    id: Mapped[int] = mapped_column(ForeignKey("submissions.id", ondelete="CASCADE"), primary_key=True)
    target_id: Mapped[int] = mapped_column(ForeignKey("submissions.id", ondelete="CASCADE"), index=True)
    message: Mapped[str | None] = mapped_column(Text)

    target: Mapped[Submission] = relationship(foreign_keys=[target_id])

    __mapper_args__ = {"polymorphic_identity": Kind.REVIEW.value, "inherit_condition": id == Submission.id}
