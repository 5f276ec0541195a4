"""Machine translations, kept so that each text is translated once into each language."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.core.db import UTCDateTime, utcnow
from app.extensions import db


class MachineTranslation(db.Model):
    """One text in one target language. ``source_key`` is the SHA-256 of the source language and the text
    as written (app/translation/store.py): an edited text has a new key, so it is translated afresh, and
    the same text written twice is translated once. The text itself is not kept here, only its hash."""

    __tablename__ = "machine_translations"
    __table_args__ = (UniqueConstraint("source_key", "target", name="uq_machine_translations_source_target"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    source_key: Mapped[str] = mapped_column(String(64))
    target: Mapped[str] = mapped_column(String(8))
    text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
