"""What moderators keep: internal notes, answer templates and blocks on posting in a district."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.accounts.models import User
from app.core.db import UTCDateTime, utcnow
from app.core.i18n import localized
from app.districts.models import EffortArea
from app.extensions import db


class InternalNote(db.Model):
    """Staff only; never shown to the public or the author."""

    __tablename__ = "internal_notes"

    id: Mapped[int] = mapped_column(primary_key=True)
    submission_id: Mapped[int] = mapped_column(ForeignKey("submissions.id", ondelete="CASCADE"), index=True)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    author: Mapped[User | None] = relationship()


class AnswerTemplate(db.Model):
    """A reusable public answer for an effort area, in the three languages."""

    __tablename__ = "answer_templates"

    id: Mapped[int] = mapped_column(primary_key=True)
    effort_area_id: Mapped[int] = mapped_column(ForeignKey("effort_areas.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(120))
    body_nb: Mapped[str] = mapped_column(Text)
    body_nn: Mapped[str] = mapped_column(Text)
    body_en: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    effort_area: Mapped[EffortArea] = relationship()

    @property
    def body(self) -> str:
        return localized(self, "body")


class PostingBlock(db.Model):
    """A person may not post in a district; set by a moderator of that district."""

    __tablename__ = "posting_blocks"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    district_id: Mapped[int] = mapped_column(ForeignKey("districts.id", ondelete="CASCADE"), primary_key=True)
    reason: Mapped[str] = mapped_column(String(300))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
