"""An event's picture: one, chosen by its organisers, with a description for those who cannot see it.

Each occurrence of a weekly series has its own (the same picture stored once per occurrence, so changing
"only this one" changes only that one). A new picture waits for a moderator's check like other photos
residents and organisers add (``app/photos/review.py``); one check covers every occurrence it went on.
Functions flush; views commit.
"""
from __future__ import annotations

from sqlalchemy import select

from app.accounts.models import User
from app.core import audit
from app.core.rules import Forbidden
from app.events.models import Event
from app.extensions import db
from app.photos import review, services
from app.photos.forms import ChosenPhoto
from app.photos.models import Photo


def pictures_of(events: list[Event]) -> list[Photo]:
    if not events:
        return []
    return list(db.session.scalars(select(Photo).where(Photo.event_id.in_([e.id for e in events]))))


def change_picture(events: list[Event], chosen: ChosenPhoto | None, remove: bool, actor: User) -> list[Photo]:
    """Put ``chosen`` on each of ``events`` in place of the picture they had, or (``remove``) take their
    picture away; nothing chosen and nothing to remove leaves them as they are. Returns the new photos."""
    if chosen is None and not remove:
        return []
    if any(not event.can_manage(actor) for event in events):
        raise Forbidden()
    for photo in pictures_of(events):
        services.remove_photo(photo)
    added: list[Photo] = []
    if chosen is not None:
        for event in events:
            photo = services.add_photo(event, chosen.processed, alt_text=chosen.alt_text, by=actor, position=0)
            if added:
                photo.created_at = added[0].created_at   # copies of one picture: one check covers them all
            added.append(photo)
        db.session.flush()
        review.hold_for_check(added, actor)
    for event in events:
        audit.record(actor, "event.picture", event, ["picture"])
    return added


def current_picture(event: Event) -> Photo | None:
    """The picture of an event as its organisers see it on the form, whether or not it waits for a check."""
    return db.session.scalar(select(Photo).where(Photo.event_id == event.id).order_by(Photo.id).limit(1))


def own_waiting_picture(event_id: int, viewer) -> Photo | None:
    """The picture of an event that waits for a check, when ``viewer`` added it (shown to them alone, with
    a note that it waits)."""
    if not getattr(viewer, "is_authenticated", False):
        return None
    return db.session.scalar(select(Photo).where(
        Photo.event_id == event_id, Photo.uploaded_by_id == viewer.id,
        (Photo.held_at.is_not(None)) | (Photo.hidden_at.is_not(None))).limit(1))
