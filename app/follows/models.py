"""Followers of meeting places and organisations: who gets a mail when one posts a new event."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.accounts.models import User
from app.core.db import UTCDateTime, utcnow
from app.events.models import ReachedByMail
from app.extensions import db
from app.meeting_places.models import MeetingPlace
from app.organisations.models import Organisation


class Follow(ReachedByMail, db.Model):
    """Someone who wants a mail when a meeting place or an organisation posts a new event.
    Who follows is seen by nobody but the follower."""

    __tablename__ = "follows"
    __table_args__ = (
        CheckConstraint("(meeting_place_id IS NULL) <> (organisation_id IS NULL)", name="one_target"),
        CheckConstraint("user_id IS NOT NULL OR email IS NOT NULL", name="someone"),
        UniqueConstraint("meeting_place_id", "user_id", name="uq_follows_place_user"),
        UniqueConstraint("meeting_place_id", "email", name="uq_follows_place_email"),
        UniqueConstraint("organisation_id", "user_id", name="uq_follows_organisation_user"),
        UniqueConstraint("organisation_id", "email", name="uq_follows_organisation_email"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_place_id: Mapped[int | None] = mapped_column(ForeignKey("meeting_places.id", ondelete="CASCADE"), index=True)
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    email: Mapped[str | None] = mapped_column(String(320))
    locale: Mapped[str] = mapped_column(String(8), default="nb")
    confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)   # guests confirm by a mailed link
    token_nonce: Mapped[str] = mapped_column(String(32))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    user: Mapped[User | None] = relationship()
    meeting_place: Mapped[MeetingPlace | None] = relationship()
    organisation: Mapped[Organisation | None] = relationship()
