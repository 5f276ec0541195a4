"""The counted figures kept in the database, so a worker's first request reads them instead of counting."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.core.db import UTCDateTime, utcnow
from app.extensions import db


class InsightRollup(db.Model):  # type: ignore[name-defined]  # flask_sqlalchemy makes db.Model at run time
    """One kept result of counting: "counts" (every cell, rating and what is hidden), or "medians-<step>".
    A few rows of JSON, rewritten by ``flask insights rollup`` (run every few minutes), or beside the
    requests by the worker that first finds them older than INSIGHTS_CACHE_SECONDS (it moves
    ``counted_at`` on when it starts, so no other worker counts at the same time)."""

    __tablename__ = "insight_rollups"

    key: Mapped[str] = mapped_column(String(32), primary_key=True)
    counted_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    payload: Mapped[str] = mapped_column(Text)
