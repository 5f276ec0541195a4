"""Records every domain shares: the audit trail, the mail outbox and used form submissions."""
from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.core.db import UTCDateTime, str_enum, utcnow
from app.extensions import db


class AuditEntry(db.Model):  # type: ignore[name-defined]  # flask_sqlalchemy makes db.Model at run time
    """Who did what to which object, and which fields changed.

    Only ids and field names: never personal values, so erasing a person
    leaves the trail intact and readable.
    """

    __tablename__ = "audit_entries"

    id: Mapped[int] = mapped_column(primary_key=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    action: Mapped[str] = mapped_column(String(64), index=True)
    target_type: Mapped[str] = mapped_column(String(64))
    target_id: Mapped[str | None] = mapped_column(String(64))
    changed_fields: Mapped[list[str]] = mapped_column(JSON, default=list)
    # Before and after for fields whose values are not personal (status, effort area, district...).
    changes: Mapped[dict] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)


class OutboxStatus(enum.StrEnum):
    QUEUED = "queued"
    SENT = "sent"
    FAILED = "failed"


class OutboxMessage(db.Model):  # type: ignore[name-defined]  # flask_sqlalchemy makes db.Model at run time
    __tablename__ = "outbox_messages"

    id: Mapped[int] = mapped_column(primary_key=True)
    recipient: Mapped[str] = mapped_column(String(320))
    locale: Mapped[str] = mapped_column(String(8))
    template: Mapped[str] = mapped_column(String(64))
    subject: Mapped[str] = mapped_column(String(255))
    body: Mapped[str] = mapped_column(Text)
    headers: Mapped[dict] = mapped_column(JSON, default=dict)
    # The secret links in body and headers: {name: [kind, reference]}. The body keeps a marker where each
    # token goes; the token is made when the mail is sent (app/core/secret_links.py), never stored.
    links: Mapped[dict | None] = mapped_column(JSON)
    # [{"filename", "content_type", "content"}]: small text files such as an event's .ics
    attachments: Mapped[list | None] = mapped_column(JSON)
    status: Mapped[OutboxStatus] = mapped_column(str_enum(OutboxStatus), default=OutboxStatus.QUEUED, index=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # When ``flask mail send`` may try a queued message again (back-off after a failure); None: at once.
    next_attempt_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)


class Setting(db.Model):  # type: ignore[name-defined]  # flask_sqlalchemy makes db.Model at run time
    """An administrator's value for one of ``app.core.settings.TUNABLE``; it wins over the config."""

    __tablename__ = "settings"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[Any] = mapped_column(JSON)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)


class FormSubmission(db.Model):  # type: ignore[name-defined]  # flask_sqlalchemy makes db.Model at run time
    """A one-time submission id, used once: a second post of the same form
    finds the record the first one made instead of making another."""

    __tablename__ = "form_submissions"

    token: Mapped[str] = mapped_column(String(64), primary_key=True)
    kind: Mapped[str] = mapped_column(String(32))
    target_id: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class FormDraft(db.Model):  # type: ignore[name-defined]  # flask_sqlalchemy makes db.Model at run time
    """What a person typed into a form when their session had ended; restored after login."""

    __tablename__ = "form_drafts"

    token: Mapped[str] = mapped_column(String(64), primary_key=True)
    path: Mapped[str] = mapped_column(String(255))
    data: Mapped[dict] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
