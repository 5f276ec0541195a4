"""A social meeting place in a district, with the accessibility facts people need before they go."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, Float, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.db import UTCDateTime, utcnow
from app.districts.models import District
from app.extensions import db
from app.photos.models import Photo


class MeetingPlace(db.Model):
    __tablename__ = "meeting_places"

    id: Mapped[int] = mapped_column(primary_key=True)
    district_id: Mapped[int] = mapped_column(ForeignKey("districts.id"), index=True)
    name: Mapped[str] = mapped_column(String(120))
    address: Mapped[str] = mapped_column(String(200))
    opening_hours: Mapped[str] = mapped_column(Text, default="")
    description: Mapped[str] = mapped_column(Text, default="")       # Markdown as written
    description_html: Mapped[str] = mapped_column(Text, default="")  # cleaned HTML
    # The language the description, opening hours and notes are written in (detected when saved).
    language: Mapped[str | None] = mapped_column(String(8))
    # Accessibility facts: None means "we do not know yet", which is shown as such.
    step_free_entrance: Mapped[bool | None] = mapped_column(Boolean)
    accessible_toilet: Mapped[bool | None] = mapped_column(Boolean)
    hearing_loop: Mapped[bool | None] = mapped_column(Boolean)
    accessibility_notes: Mapped[str] = mapped_column(Text, default="")
    contact_email: Mapped[str | None] = mapped_column(String(320))
    contact_phone: Mapped[str | None] = mapped_column(String(40))
    # WGS 84; None until someone places it (by address lookup or on the map).
    latitude: Mapped[float | None] = mapped_column(Float)
    longitude: Mapped[float | None] = mapped_column(Float)
    retired_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Set when an administrator merged this duplicate into another place; its old address leads there.
    merged_into_id: Mapped[int | None] = mapped_column(ForeignKey("meeting_places.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    district: Mapped[District] = relationship(lazy="joined")
    # What everyone sees, in order (the first is of the entrance); hidden ones are left out.
    shown_photos: Mapped[list[Photo]] = relationship(
        primaryjoin="and_(Photo.meeting_place_id == MeetingPlace.id, Photo.held_at.is_(None), Photo.hidden_at.is_(None))",
        order_by="[Photo.position, Photo.id]", viewonly=True)

    def can_edit(self, user) -> bool:
        """Moderators of the place's district and admins keep it up to date."""
        return self.district.is_moderated_by(user)
