"""Accounts: residents, moderators and admins."""
from __future__ import annotations

import secrets
from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import Boolean, Column, ForeignKey, Integer, String, Table, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.db import UTCDateTime, str_enum, utcnow
from app.core.params import positive_int
from app.core.permissions import Role
from app.core.worker_cache import kept_row
from app.districts.models import District
from app.extensions import db, login_manager


def new_link_key() -> str:
    return secrets.token_urlsafe(16)


moderator_districts = Table(
    "moderator_districts",
    db.metadata,
    Column("user_id", ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
    Column("district_id", ForeignKey("districts.id", ondelete="CASCADE"), primary_key=True),
)

# Mails a person may turn off; each carries an unsubscribe link.
OPTIONAL_MAILS = ("idea_updates", "followed_events", "moderation_digest")


class User(UserMixin, db.Model):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(320), unique=True)  # normalised: see normalise_email
    pending_email: Mapped[str | None] = mapped_column(String(320))  # asked for, not yet confirmed
    display_name: Mapped[str] = mapped_column(String(80))
    password_hash: Mapped[str | None] = mapped_column(String(255))
    verified_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    locale: Mapped[str] = mapped_column(String(8), default="nb")
    role: Mapped[Role] = mapped_column(str_enum(Role), default=Role.RESIDENT, index=True)
    blocked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    blocked_reason: Mapped[str | None] = mapped_column(Text)  # for staff; the person gets a neutral notice
    # Raised at logout and password change: every older session cookie stops working.
    session_version: Mapped[int] = mapped_column(Integer, default=1)
    mail_idea_updates: Mapped[bool] = mapped_column(Boolean, default=True)
    mail_followed_events: Mapped[bool] = mapped_column(Boolean, default=True)
    mail_moderation_digest: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Two-step login for staff (app/accounts/two_factor.py): the shared TOTP secret, set up but not yet
    # confirmed until totp_confirmed_at is set; the last time step accepted, so no code is taken twice.
    totp_secret: Mapped[str | None] = mapped_column(String(32))
    totp_confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    totp_last_step: Mapped[int | None] = mapped_column(Integer)
    # Names the account in mailed links instead of its id, which tells how many accounts there are and
    # whose is whose (app/accounts/tokens.py).
    link_key: Mapped[str] = mapped_column(String(32), unique=True, default=new_link_key)
    # A staff invitation's link works while this is the one it was made with: a new invitation replaces
    # it and accepting clears it, so each link works once (app/accounts/administration.py).
    invitation_nonce: Mapped[str | None] = mapped_column(String(32))

    districts: Mapped[list[District]] = relationship(secondary=moderator_districts, order_by=District.position)

    def get_id(self) -> str:
        return f"{self.id}:{self.session_version}"

    @property
    def is_verified(self) -> bool:
        return self.verified_at is not None

    @property
    def is_staff(self) -> bool:
        return self.role in (Role.MODERATOR, Role.ADMIN)

    @property
    def has_two_factor(self) -> bool:
        return self.totp_confirmed_at is not None

    def wants_mail(self, kind: str) -> bool:
        return bool(getattr(self, f"mail_{kind}"))


class RecoveryCode(db.Model):
    """One unused recovery code of a staff account, kept only as a keyed hash; deleted when used."""

    __tablename__ = "recovery_codes"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    code_hash: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


@login_manager.user_loader
def load_user(key: str) -> User | None:
    user_id, _, version = key.partition(":")
    if not positive_int(user_id) or not positive_int(version):
        return None
    # Any write (a logout everywhere, a block, a new role) makes every worker read the account again.
    user = kept_row(User, positive_int(user_id))
    if user is None or user.session_version != positive_int(version) or user.blocked_at is not None:
        return None
    return user
