"""A photo: one row per picture, its renditions are files named by its key (see ``storage``)."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, CheckConstraint, ForeignKey, Integer, String, text
from sqlalchemy.orm import Mapped, mapped_column

from app.core.db import UTCDateTime, utcnow
from app.extensions import db

# Each stored rendition is "<key>-<width>.<ext>", in both formats: WebP for browsers that take it,
# JPEG for the rest.
FORMATS = {"webp": "image/webp", "jpg": "image/jpeg"}


class Photo(db.Model):
    __tablename__ = "photos"
    __table_args__ = (
        # Exactly one owner: a submission (idea or feedback), an event or a meeting place.
        CheckConstraint(
            "(CASE WHEN submission_id IS NULL THEN 0 ELSE 1 END)"
            " + (CASE WHEN event_id IS NULL THEN 0 ELSE 1 END)"
            " + (CASE WHEN meeting_place_id IS NULL THEN 0 ELSE 1 END) = 1",
            name="one_owner"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # Random, never derived from the content or the upload's name; a new upload gets a new key, so a
    # public file never changes under its name and may be cached for a long time.
    key: Mapped[str] = mapped_column(String(40), unique=True)
    submission_id: Mapped[int | None] = mapped_column(ForeignKey("submissions.id", ondelete="CASCADE"), index=True)
    event_id: Mapped[int | None] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    meeting_place_id: Mapped[int | None] = mapped_column(ForeignKey("meeting_places.id", ondelete="CASCADE"),
                                                         index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    alt_text: Mapped[str] = mapped_column(String(250))
    width: Mapped[int] = mapped_column(Integer)    # of the largest rendition
    height: Mapped[int] = mapped_column(Integer)
    widths: Mapped[str] = mapped_column(String(40))   # "320,640,1280": the renditions stored
    # Feedback photos: for the district's moderators only, never cached on the way.
    private: Mapped[bool] = mapped_column(Boolean, default=False)
    held_at: Mapped[datetime | None] = mapped_column(UTCDateTime)     # waiting for a check (PREMODERATE "photos")
    hidden_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    hidden_reason: Mapped[str | None] = mapped_column(String(32))
    hidden_by_reports: Mapped[bool] = mapped_column(Boolean, default=False, server_default=text("false"))
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    @property
    def width_list(self) -> list[int]:
        return [int(w) for w in self.widths.split(",") if w]

    def height_at(self, width: int) -> int:
        """The height of the rendition ``width`` wide (the aspect ratio is kept)."""
        return max(1, round(self.height * width / self.width))

    def file_names(self) -> list[str]:
        return [file_name(self.key, width, ext) for width in self.width_list for ext in FORMATS]

    @property
    def is_public(self) -> bool:
        """Shown to anyone who may see its owner (not private, not held, not hidden)."""
        return not self.private and self.held_at is None and self.hidden_at is None


def file_name(key: str, width: int, ext: str) -> str:
    return f"{key}-{width}.{ext}"
