"""Events of organisations, registrations for them,
and the anonymous monthly figures registrations are folded into before they are deleted."""
from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    event,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.accounts.models import User
from app.core.db import UTCDateTime, oslo_month, str_enum, utcnow
from app.core.i18n import current_locale
from app.districts.models import District, EffortArea
from app.extensions import db
from app.meeting_places.models import MeetingPlace
from app.organisations.models import Membership, Organisation, OrganisationStatus
from app.photos.models import Photo
from app.submissions.models import Submission


class EventStatus(enum.StrEnum):
    PUBLISHED = "published"
    HELD = "held"            # waiting for a moderator (events listed in PREMODERATE)
    DECLINED = "declined"    # a moderator did not publish it
    CANCELLED = "cancelled"


class Audience(enum.StrEnum):
    EVERYONE = "everyone"
    FAMILIES = "families"
    YOUTH = "youth"
    SENIORS = "seniors"
    NEWCOMERS = "newcomers"


# Languages an event can be held in; their names come from Babel in the reader's language.
SPOKEN_LANGUAGES = ("nb", "en", "ar", "so", "ti", "fa", "pl", "uk", "es", "se")


class Event(db.Model):
    __tablename__ = "events"
    __table_args__ = (
        CheckConstraint("capacity IS NULL OR capacity > 0", name="capacity_positive"),
        CheckConstraint("seats_taken >= 0", name="seats_not_negative"),
        # The capacity guarantee, backed by the database: never more confirmed seats than seats.
        CheckConstraint("capacity IS NULL OR seats_taken <= capacity", name="seats_within_capacity"),
        CheckConstraint("ends_at > starts_at", name="ends_after_start"),
        Index("ix_events_status_starts_at", "status", "starts_at"),
        # An organisation's, a place's and a district's next events, read in order of their start.
        Index("ix_events_organisation_starts_at", "organisation_id", "starts_at"),
        Index("ix_events_meeting_place_starts_at", "meeting_place_id", "starts_at"),
        Index("ix_events_district_starts_at", "district_id", "starts_at"),
        Index("ix_events_series_starts_at", "series_id", "starts_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"))
    district_id: Mapped[int] = mapped_column(ForeignKey("districts.id"))
    meeting_place_id: Mapped[int | None] = mapped_column(ForeignKey("meeting_places.id"))
    address: Mapped[str] = mapped_column(String(200), default="")   # when it is not at a meeting place
    # WGS 84, for an event at another address; an event at a meeting place is drawn at the place's point.
    latitude: Mapped[float | None] = mapped_column(Float)
    longitude: Mapped[float | None] = mapped_column(Float)
    title: Mapped[str] = mapped_column(String(140))
    description: Mapped[str] = mapped_column(Text, default="")
    description_html: Mapped[str] = mapped_column(Text, default="")
    # The language title and description are written in (the organiser's choice, else detected).
    language: Mapped[str | None] = mapped_column(String(8))
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime)
    # The Europe/Oslo month it starts in ("2026-11"): figures group by it on any database.
    starts_month: Mapped[str] = mapped_column(String(7), index=True)
    capacity: Mapped[int | None] = mapped_column(Integer)              # None: no limit
    seats_taken: Mapped[int] = mapped_column(Integer, default=0)       # confirmed seats only
    registration_deadline: Mapped[datetime | None] = mapped_column(UTCDateTime)  # None: until it starts
    effort_area_id: Mapped[int | None] = mapped_column(ForeignKey("effort_areas.id"), index=True)
    languages: Mapped[str] = mapped_column(String(60), default="nb")  # comma-separated codes
    audience: Mapped[str] = mapped_column(String(16), default=Audience.EVERYONE.value, index=True)
    series_id: Mapped[str | None] = mapped_column(String(32))  # weekly occurrences share it
    status: Mapped[EventStatus] = mapped_column(str_enum(EventStatus), default=EventStatus.PUBLISHED)
    decline_reason: Mapped[str | None] = mapped_column(Text)
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    cancel_reason: Mapped[str | None] = mapped_column(Text)   # what the organiser told people, if anything
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    registrations_folded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    organisation: Mapped[Organisation] = relationship()
    district: Mapped[District] = relationship()
    meeting_place: Mapped[MeetingPlace | None] = relationship()
    effort_area: Mapped[EffortArea | None] = relationship()
    # The picture everyone may see (not waiting for a check, not hidden): lists load it with the event.
    picture: Mapped[Photo | None] = relationship(
        primaryjoin="and_(Photo.event_id == Event.id, Photo.held_at.is_(None), Photo.hidden_at.is_(None))",
        viewonly=True, uselist=False)
    # The organisers' own versions of title and description in other languages. Lists join them in
    # (services._with_places); whatever else loads events loads them all in one more query ("selectin"),
    # so no page that prints titles makes a query per event.
    translations: Mapped[list[EventTranslation]] = relationship(
        back_populates="event", cascade="all, delete-orphan", passive_deletes=True, lazy="selectin",
        order_by="EventTranslation.language")

    def translation_in(self, language: str | None) -> EventTranslation | None:
        """The organisers' own version for a reader of ``language``, unless the event is written in it.
        Bokmål and Nynorsk readers take each other's version when theirs is missing: closer than a
        machine translation, and both read either."""
        if not language or not self.translations or language == self.language:
            return None
        by_language = {t.language: t for t in self.translations}
        found = by_language.get(language)
        if found is None and language in NORWEGIAN and self.language not in NORWEGIAN:
            found = next((by_language[code] for code in NORWEGIAN if code in by_language), None)
        return found

    def human_translation(self, field: str, language: str) -> str | None:
        """The hook ``user_field`` asks: the organisers' own text of ``field`` for this reader."""
        found = self.translation_in(language)
        if found is None or field not in ("title", "description"):
            return None
        return getattr(found, field) or None

    def human_translation_language(self, language: str) -> str | None:
        """The language of the text ``human_translation`` gives (Bokmål for a Nynorsk reader, say)."""
        found = self.translation_in(language)
        return found.language if found is not None else None

    def title_in(self, language: str | None) -> str:
        """The title a reader of ``language`` gets where text is plain (page titles, mail, calendars)."""
        found = self.translation_in(language)
        return found.title if found is not None else self.title

    def description_in(self, language: str | None) -> str:
        found = self.translation_in(language)
        return found.description if found is not None and found.description else self.description

    def reader_title(self) -> ReaderTitle:
        """The title in the language of whatever is being written when it is made into text: a mail's
        subject (``_l(..., title=event.reader_title())``) is made in the recipient's language."""
        return ReaderTitle(self)

    def description_html_in(self, language: str | None) -> str:
        found = self.translation_in(language)
        return found.description_html if found is not None and found.description else self.description_html

    @property
    def language_codes(self) -> list[str]:
        return [code for code in self.languages.split(",") if code]

    @property
    def seats_left(self) -> int | None:
        return None if self.capacity is None else max(0, self.capacity - self.seats_taken)

    @property
    def is_cancelled(self) -> bool:
        return self.status == EventStatus.CANCELLED

    def can_manage(self, user) -> bool:
        """Organisers (members) of the event's approved organisation."""
        if not getattr(user, "is_authenticated", False) or self.organisation.status != OrganisationStatus.APPROVED:
            return False
        return db.session.get(Membership, (self.organisation_id, user.id)) is not None

    def can_see_participants(self, user) -> bool:
        """Its organisers, and moderators of its district (admins moderate every district)."""
        return self.can_manage(user) or self.district.is_moderated_by(user)

    def is_visible_to(self, user) -> bool:
        """Published and cancelled events are public; held and declined ones only for those who decide on them."""
        if self.status in (EventStatus.PUBLISHED, EventStatus.CANCELLED):
            return True
        return self.can_see_participants(user)

    @property
    def where(self) -> str:
        if self.meeting_place is not None:
            return f"{self.meeting_place.name}, {self.meeting_place.address}"
        return self.address


NORWEGIAN = ("nb", "nn")


class ReaderTitle:
    """An event's title, in the organisers' own translation for the language in force when it is printed."""

    def __init__(self, event: Event) -> None:
        self.event = event

    def __str__(self) -> str:
        return self.event.title_in(current_locale())


class EventTranslation(db.Model):
    """An event's title and description as its organisers wrote them in another language: shown to
    readers of that language instead of the original, and never machine-translated."""

    __tablename__ = "event_translations"
    __table_args__ = (UniqueConstraint("event_id", "language", name="uq_event_translations_event_language"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    language: Mapped[str] = mapped_column(String(8))
    title: Mapped[str] = mapped_column(String(140))
    description: Mapped[str] = mapped_column(Text, default="")
    description_html: Mapped[str] = mapped_column(Text, default="")   # cleaned the same way as the event's own
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    event: Mapped[Event] = relationship(back_populates="translations")


@event.listens_for(Event, "before_insert")
@event.listens_for(Event, "before_update")
def _stamp_month(_mapper, _connection, target: Event) -> None:
    target.starts_month = oslo_month(target.starts_at)


class RegistrationStatus(enum.StrEnum):
    PENDING = "pending"        # a guest's seat held until they confirm by the mailed link (confirm_by)
    CONFIRMED = "confirmed"
    WAITLISTED = "waitlisted"  # with confirm_by: not in the queue until the guest confirms
    CANCELLED = "cancelled"


MAX_PARTY = 5


class ReachedByMail:
    """A person with an account (mailed at its address, in its language) or without (the address given)."""

    @property
    def mail_address(self) -> str | None:
        return self.user.email if self.user is not None else self.email

    @property
    def mail_locale(self) -> str:
        return self.user.locale if self.user is not None else self.locale


class Registration(ReachedByMail, db.Model):
    """One person's (or party's) place at one event, with or without an account."""

    __tablename__ = "registrations"
    __table_args__ = (
        UniqueConstraint("event_id", "user_id", name="uq_registrations_event_user"),
        UniqueConstraint("event_id", "email", name="uq_registrations_event_email"),
        CheckConstraint(f"party_size BETWEEN 1 AND {MAX_PARTY}", name="party_size_range"),
        CheckConstraint("user_id IS NOT NULL OR name IS NOT NULL", name="named"),
        Index("ix_registrations_event_status_queued", "event_id", "status", "queued_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    name: Mapped[str | None] = mapped_column(String(120))       # guests and people added by an organiser
    email: Mapped[str | None] = mapped_column(String(320))      # guests; accounts are mailed at their own address
    phone: Mapped[str | None] = mapped_column(String(40))
    party_size: Mapped[int] = mapped_column(Integer, default=1)
    access_needs: Mapped[str | None] = mapped_column(String(300))  # organisers only; erased when the event ends
    status: Mapped[RegistrationStatus] = mapped_column(str_enum(RegistrationStatus), index=True)
    queued_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)   # waitlist order
    confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    attended: Mapped[bool | None] = mapped_column(Boolean)
    added_by_organiser: Mapped[bool] = mapped_column(Boolean, default=False)
    locale: Mapped[str] = mapped_column(String(8), default="nb")
    token_nonce: Mapped[str] = mapped_column(String(32))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    # Set while a guest who registered themselves has not opened the mailed link: a made-up name
    # and address then only hold a seat (or a waitlist place) until this moment. None once
    # confirmed, and always for accounts and for people an organiser adds.
    confirm_by: Mapped[datetime | None] = mapped_column(UTCDateTime)
    reminder_sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    event: Mapped[Event] = relationship()
    user: Mapped[User | None] = relationship()

    @property
    def display_name(self) -> str:
        return self.user.display_name if self.user is not None else (self.name or "")

    @property
    def unconfirmed(self) -> bool:
        """A guest's registration still waiting for them to open the mailed link."""
        return self.confirm_by is not None and self.status != RegistrationStatus.CANCELLED


class RegistrationAggregate(db.Model):
    """What is kept of registrations once their names and contact details are deleted:
    counts per Europe/Oslo month × district × effort area × audience."""

    __tablename__ = "registration_aggregates"

    id: Mapped[int] = mapped_column(primary_key=True)
    month: Mapped[str] = mapped_column(String(7), index=True)
    district_id: Mapped[int] = mapped_column(ForeignKey("districts.id"), index=True)
    effort_area_id: Mapped[int | None] = mapped_column(ForeignKey("effort_areas.id"))
    audience: Mapped[str] = mapped_column(String(16))
    events: Mapped[int] = mapped_column(Integer, default=0)
    registrations: Mapped[int] = mapped_column(Integer, default=0)
    seats: Mapped[int] = mapped_column(Integer, default=0)
    attended: Mapped[int] = mapped_column(Integer, default=0)
    participants: Mapped[int] = mapped_column(Integer, default=0)   # distinct people in the cell that month
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class EventReview(Submission):
    """An event waiting for a moderator of its district, when events are held for approval."""

    __tablename__ = "event_reviews"

    id: Mapped[int] = mapped_column(ForeignKey("submissions.id", ondelete="CASCADE"), primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)

    event: Mapped[Event] = relationship()

    __mapper_args__ = {"polymorphic_identity": "event", "inherit_condition": id == Submission.id}
