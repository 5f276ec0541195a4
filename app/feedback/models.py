"""Private feedback about a district, with optional ratings of safety, well-being and belonging."""
from __future__ import annotations

from sqlalchemy import Boolean, CheckConstraint, ForeignKey, SmallInteger, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.submissions.models import Kind, Submission

RATINGS = ("safety", "wellbeing", "belonging")


class Feedback(Submission):
    """Never linked to an account; read only by the district's moderators and admins."""

    __tablename__ = "feedback"
    __table_args__ = tuple(
        CheckConstraint(f"rating_{name} BETWEEN 1 AND 5", name=f"rating_{name}_range") for name in RATINGS
    )

    id: Mapped[int] = mapped_column(ForeignKey("submissions.id", ondelete="CASCADE"), primary_key=True)
    body: Mapped[str | None] = mapped_column(Text)
    rating_safety: Mapped[int | None] = mapped_column(SmallInteger)
    rating_wellbeing: Mapped[int | None] = mapped_column(SmallInteger)
    rating_belonging: Mapped[int | None] = mapped_column(SmallInteger)
    contact_name: Mapped[str | None] = mapped_column(String(120))
    contact_email: Mapped[str | None] = mapped_column(String(320))
    contact_phone: Mapped[str | None] = mapped_column(String(40))
    contact_consent: Mapped[bool] = mapped_column(Boolean, default=False)
    receipt_code: Mapped[str] = mapped_column(String(16), unique=True)
    # The language the form was filled in, so an answer by mail is written in it.
    locale: Mapped[str] = mapped_column(String(8), default="nb")
    # The language the text is written in (the writer's choice, else detected; None: too short to tell).
    language: Mapped[str | None] = mapped_column(String(8))

    __mapper_args__ = {"polymorphic_identity": Kind.FEEDBACK.value, "inherit_condition": id == Submission.id}

    @property
    def has_contact(self) -> bool:
        return bool(self.contact_name or self.contact_email or self.contact_phone)
