"""The districts and the agreement's four effort areas: data, so a fourth district needs no code."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, CheckConstraint, ForeignKey, Integer, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.db import UTCDateTime
from app.core.i18n import localized
from app.core.permissions import Permission, Role, has_permission
from app.extensions import db


class District(db.Model):
    __tablename__ = "districts"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(64), unique=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    name_nb: Mapped[str] = mapped_column(String(120))
    name_nn: Mapped[str] = mapped_column(String(120))
    name_en: Mapped[str] = mapped_column(String(120))
    description_nb: Mapped[str] = mapped_column(Text, default="")
    description_nn: Mapped[str] = mapped_column(Text, default="")
    description_en: Mapped[str] = mapped_column(Text, default="")
    # A retired district takes no new content and leaves the menus; its history stays readable.
    retired_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The district's outline as a GeoJSON geometry (Polygon or MultiPolygon, WGS 84), checked by
    # app.places.geometry.parse_boundary before it is stored. The seeded outlines are drawn by hand from
    # streets and landmarks, so they stay marked unofficial until an admin uploads the municipality's own.
    boundary: Mapped[str | None] = mapped_column(Text)
    boundary_official: Mapped[bool] = mapped_column(
        Boolean, default=False, server_default=text("false"), nullable=False
    )
    boundary_updated_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    @property
    def name(self) -> str:
        return localized(self, "name")

    @property
    def active(self) -> bool:
        return self.retired_at is None

    @property
    def description(self) -> str:
        return localized(self, "description")

    def is_moderated_by(self, user) -> bool:
        return moderates(user, self.id)


def moderates(user, district_id: int) -> bool:
    """Whether ``user`` moderates the district: admins every one, moderators theirs; through the one
    permission check, so a session without the second factor moderates nothing."""
    if user is None or not has_permission(user, Permission.MODERATE):
        return False
    if user.role == Role.ADMIN:
        return True
    return user.role == Role.MODERATOR and any(d.id == district_id for d in user.districts)


class EffortArea(db.Model):
    __tablename__ = "effort_areas"
    __table_args__ = (CheckConstraint("number >= 1", name="number_positive"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[int] = mapped_column(Integer, unique=True)
    title_nb: Mapped[str] = mapped_column(String(200))
    title_nn: Mapped[str] = mapped_column(String(200))
    title_en: Mapped[str] = mapped_column(String(200))
    goal_nb: Mapped[str] = mapped_column(Text, default="")
    goal_nn: Mapped[str] = mapped_column(Text, default="")
    goal_en: Mapped[str] = mapped_column(Text, default="")
    description_nb: Mapped[str] = mapped_column(Text, default="")
    description_nn: Mapped[str] = mapped_column(Text, default="")
    description_en: Mapped[str] = mapped_column(Text, default="")
    # Residents think in topics, not in the agreement's wording: a short plain name and one line saying
    # what belongs there are what cards, filters and forms show. The official title stays on the area's page.
    public_name_nb: Mapped[str] = mapped_column(String(80), default="", server_default="")
    public_name_nn: Mapped[str] = mapped_column(String(80), default="", server_default="")
    public_name_en: Mapped[str] = mapped_column(String(80), default="", server_default="")
    public_explanation_nb: Mapped[str] = mapped_column(String(200), default="", server_default="")
    public_explanation_nn: Mapped[str] = mapped_column(String(200), default="", server_default="")
    public_explanation_en: Mapped[str] = mapped_column(String(200), default="", server_default="")

    sub_themes: Mapped[list["SubTheme"]] = relationship(
        back_populates="effort_area", order_by="SubTheme.position", cascade="all, delete-orphan"
    )

    @property
    def title(self) -> str:
        return localized(self, "title")

    @property
    def goal(self) -> str:
        return localized(self, "goal")

    @property
    def public_name(self) -> str:
        """The plain name residents see; the official title until an admin or ``flask seed`` gives one."""
        return localized(self, "public_name") or self.title

    @property
    def public_explanation(self) -> str:
        return localized(self, "public_explanation")

    @property
    def description(self) -> str:
        return localized(self, "description")


class SubTheme(db.Model):
    """A routing tag under an effort area, from the agreement's text."""

    __tablename__ = "sub_themes"
    __table_args__ = (UniqueConstraint("slug", name="uq_sub_themes_slug"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    effort_area_id: Mapped[int] = mapped_column(ForeignKey("effort_areas.id", ondelete="CASCADE"), index=True)
    slug: Mapped[str] = mapped_column(String(80))
    position: Mapped[int] = mapped_column(Integer, default=0)
    label_nb: Mapped[str] = mapped_column(String(200))
    label_nn: Mapped[str] = mapped_column(String(200))
    label_en: Mapped[str] = mapped_column(String(200))

    effort_area: Mapped[EffortArea] = relationship(back_populates="sub_themes")

    @property
    def label(self) -> str:
        return localized(self, "label")
