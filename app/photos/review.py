"""Photos waiting for a moderator's check, and what moderators decide about photos.

With "photos" in ``PREMODERATE`` (the default), a photo a resident or an organiser adds to public content
(an idea, an event) is held: its uploader sees it marked as waiting, the district's moderators see it in
their queue, nobody else is served it (``services.can_view``). Photos added by someone who moderates the
district (admins: every district) are never held: they are the check. Private photos (feedback) are for
the moderators alone and never wait.

A held photo's place in the queue is a ``PhotoReview``: a submission, like ``EventReview``, so the queue,
its counts, tabs and item page need no change. Approving shows the photo; removing deletes it and its
files. A weekly series has one picture per occurrence, added at once: one review covers them all, as one
review covers a held series of events.

Reports on a photo are ordinary reports (``Report.photo_id``, ``app/moderation/reports.py``); enough of
them hide the photo until a moderator decides, and upholding one hides it for good. Functions flush;
views commit.
"""
from __future__ import annotations

from dataclasses import dataclass

from flask import url_for
from sqlalchemy import ForeignKey, select
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.accounts.models import User
from app.core import audit
from app.core.db import utcnow
from app.core.i18n import lazy_gettext as _l
from app.core.mail import send_mail
from app.core.rules import Forbidden, RuleBroken
from app.core.urls import site_url
from app.districts.models import moderates
from app.events.models import Event
from app.extensions import db
from app.meeting_places.models import MeetingPlace
from app.photos import services
from app.photos.models import Photo
from app.submissions.models import Status, StatusChange, Submission


class PhotoReview(Submission):
    """A held photo (with its copies on the other occurrences of a series) waiting for a moderator."""

    __tablename__ = "photo_reviews"

    id: Mapped[int] = mapped_column(ForeignKey("submissions.id", ondelete="CASCADE"), primary_key=True)
    # SET NULL, not CASCADE: a photo deleted with its idea leaves the review's history, and the queue
    # no longer waits for it (``waits`` in app/moderation/kinds.py).
    photo_id: Mapped[int | None] = mapped_column(ForeignKey("photos.id", ondelete="SET NULL"), index=True)

    photo: Mapped[Photo | None] = relationship()

    __mapper_args__ = {"polymorphic_identity": "photo", "inherit_condition": id == Submission.id}


class PhotoError(RuleBroken):
    pass


def district_id_of(photo: Photo) -> int:
    """The district whose moderators look after the photo: its owner's."""
    if photo.submission_id is not None:
        return db.session.get_one(Submission, photo.submission_id).district_id
    if photo.event_id is not None:
        return db.session.get_one(Event, photo.event_id).district_id
    return db.session.get_one(MeetingPlace, photo.meeting_place_id).district_id


def hold_for_check(photos: Photo | list[Photo], by: User | None) -> bool:
    """Hold new photos on public content for a moderator's check, when photos are pre-moderated and ``by``
    does not moderate their district; one review in the queue covers them all (the same picture on each
    occurrence of a series). True if held."""
    photos = [photos] if isinstance(photos, Photo) else list(photos)
    if not photos or photos[0].private or not services.held_by_default():
        return False
    district_id = district_id_of(photos[0])
    if moderates(by, district_id):
        return False
    now = utcnow()
    for photo in photos:
        photo.held_at = now
    review = PhotoReview(photo_id=photos[0].id, district_id=district_id, author_id=by.id if by else None)
    db.session.add(review)
    db.session.flush()
    db.session.add(StatusChange(submission_id=review.id, old_status=None, new_status=Status.NEW,
                                actor_id=by.id if by else None))
    db.session.flush()
    return True


def covered_by(review: PhotoReview) -> list[Photo]:
    """The held photos a decision on ``review`` applies to: its photo, and on a weekly series the copies
    of it added at the same moment to the other occurrences."""
    photo = review.photo
    if photo is None:
        return []
    if photo.event_id is None:
        return [photo]
    event = db.session.get_one(Event, photo.event_id)
    if event.series_id is None:
        return [photo]
    same_uploader = (Photo.uploaded_by_id.is_(None) if photo.uploaded_by_id is None
                     else Photo.uploaded_by_id == photo.uploaded_by_id)
    return list(db.session.scalars(
        select(Photo).join(Event, Photo.event_id == Event.id)
        .where(Event.series_id == event.series_id, Photo.held_at.is_not(None), Photo.created_at == photo.created_at,
               same_uploader)
        .order_by(Photo.id)))


def decide(review: PhotoReview, approve: bool, reason: str | None, actor: User) -> list[Photo]:
    """A moderator shows a held photo, or removes it (its files are deleted once this commits)."""
    if not moderates(actor, review.district_id):
        raise Forbidden()
    photos = covered_by(review)
    if review.status != Status.NEW or not photos:
        raise PhotoError(_l("This photo has already been decided on."))
    if not approve and not (reason or "").strip():
        raise PhotoError(_l("Give the reason for removing the photo."), field="reason")
    before = review.status
    review.status = Status.DONE if approve else Status.NOT_PURSUED
    review.updated_at = utcnow()
    db.session.add(StatusChange(submission_id=review.id, old_status=before, new_status=review.status,
                                actor_id=actor.id))
    db.session.flush()
    audit.record(actor, "photo.approve" if approve else "photo.remove", review, [] if approve else ["reason"],
                 {"held": (True, False)})
    first = photos[0]
    description, link = first.alt_text, site_url_of(first)
    for photo in photos:
        if approve:
            photo.held_at = None
        else:
            services.remove_photo(photo)
    db.session.flush()
    uploader = db.session.get(User, first.uploaded_by_id) if first.uploaded_by_id else None
    if not approve and uploader is not None and uploader.blocked_at is None:
        send_mail(uploader.email, uploader.locale, "photo_removed", _l("A moderator has removed your photo"),
                  user=uploader, description=description, reason=(reason or "").strip(), link=link)
    return photos


# --- hiding and showing again (reports) ----------------------------------------------------------------------


def hide(photo: Photo, reason: str | None, *, by_reports: bool = False) -> bool:
    """Stop serving a photo to anyone but its uploader and the moderators. True if it was shown."""
    if photo.hidden_at is not None:
        return False
    photo.hidden_at = utcnow()
    photo.hidden_reason = reason
    photo.hidden_by_reports = by_reports
    db.session.flush()
    return True


def show_again(photo: Photo) -> None:
    photo.hidden_at = None
    photo.hidden_reason = None
    photo.hidden_by_reports = False
    db.session.flush()


def public_photo(key: str) -> Photo | None:
    """The photo with this key if anyone may see it (not private, held or hidden; its owner public)."""
    photo = db.session.scalar(select(Photo).where(Photo.key == key))
    return photo if photo is not None and services.can_view(photo, None) else None


def site_url_of(photo: Photo) -> str:
    """``page_of`` as a full address, for mail."""
    return page_of(photo, site_url)


def page_of(photo: Photo, build=url_for) -> str:
    """Where a photo is shown: the page of its idea, event or meeting place (``build``: url_for or site_url)."""
    if photo.event_id is not None:
        return build("events.show", event_id=photo.event_id)
    if photo.meeting_place_id is not None:
        return build("meeting_places.show", place_id=photo.meeting_place_id)
    return build("ideas.show", idea_id=photo.submission_id)


@dataclass(frozen=True)
class UnderReview:
    """What the moderator sees of a held photo: the photo, where it is shown, and how many copies (the
    occurrences of a series) the decision applies to."""
    photo: Photo | None      # None: deleted since (with its idea)
    public_url: str | None
    copies: int


def under_review(review: PhotoReview) -> UnderReview:
    photo = review.photo
    if photo is None:
        return UnderReview(None, None, 0)
    return UnderReview(photo, page_of(photo), len(covered_by(review)) if review.status == Status.NEW else 1)
