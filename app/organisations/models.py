"""Organisations, their districts and members, and the application a moderator decides on."""
from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import Column, ForeignKey, String, Table, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.accounts.models import User
from app.core.db import UTCDateTime, str_enum, utcnow
from app.districts.models import District
from app.extensions import db
from app.submissions.models import Submission

organisation_districts = Table(
    "organisation_districts",
    db.metadata,
    Column("organisation_id", ForeignKey("organisations.id", ondelete="CASCADE"), primary_key=True),
    Column("district_id", ForeignKey("districts.id", ondelete="CASCADE"), primary_key=True),
)

class OrganisationStatus(enum.StrEnum):
    PENDING = "pending"      # applied, waiting for a moderator
    APPROVED = "approved"
    DECLINED = "declined"


class Organisation(db.Model):
    __tablename__ = "organisations"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    description: Mapped[str] = mapped_column(Text)
    description_html: Mapped[str] = mapped_column(Text)
    language: Mapped[str | None] = mapped_column(String(8))   # of the description: detected when written
    contact_email: Mapped[str] = mapped_column(String(320))
    status: Mapped[OrganisationStatus] = mapped_column(str_enum(OrganisationStatus), default=OrganisationStatus.PENDING,
                                                      index=True)
    decline_reason: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    retired_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Set when an administrator merged this duplicate into another organisation.
    merged_into_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id", ondelete="SET NULL"))

    districts: Mapped[list[District]] = relationship(secondary=organisation_districts, order_by=District.position)
    memberships: Mapped[list["Membership"]] = relationship(back_populates="organisation", cascade="all, delete-orphan")

    def is_member(self, user) -> bool:
        return getattr(user, "is_authenticated", False) and any(m.user_id == user.id for m in self.memberships)


class Membership(db.Model):
    """Every member of an approved organisation is one of its organisers."""

    __tablename__ = "memberships"

    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True, index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    organisation: Mapped[Organisation] = relationship(back_populates="memberships")
    user: Mapped[User] = relationship()


class OrganisationInvitation(db.Model):
    """An organiser's invitation to an address: the person becomes a member only by accepting it while
    signed in with that address. Like every secret link, the database keeps a nonce and the hash of
    the link's token, never the token; the row is deleted when it is used, and is of no use once expired."""

    __tablename__ = "organisation_invitations"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"), index=True)
    email: Mapped[str] = mapped_column(String(320))
    invited_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    token_nonce: Mapped[str] = mapped_column(String(32))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)

    organisation: Mapped[Organisation] = relationship()


class OrganisationApplication(Submission):
    """An organisation waiting for approval, one per district it named, so each district's moderators see it."""

    __tablename__ = "organisation_applications"

    id: Mapped[int] = mapped_column(ForeignKey("submissions.id", ondelete="CASCADE"), primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"), index=True)

    organisation: Mapped[Organisation] = relationship()

    __mapper_args__ = {"polymorphic_identity": "organisation", "inherit_condition": id == Submission.id}
