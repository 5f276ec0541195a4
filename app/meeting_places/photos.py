"""A meeting place's photos: up to five, the first of the entrance (can I get in with a wheelchair, with a
pram?), kept by the moderators of its district and by admins. Theirs are never held for a check: they are
the ones who check. Functions flush; views commit.
"""
from __future__ import annotations

from app.accounts.models import User
from app.core import audit
from app.core.i18n import lazy_gettext as _l
from app.core.rules import Forbidden
from app.meeting_places.models import MeetingPlace
from app.meeting_places.services import PlaceError
from app.photos import services
from app.photos.forms import ChosenPhoto
from app.photos.models import Photo

MAX_PHOTOS = 5


def _check(place: MeetingPlace, actor: User) -> None:
    if not place.can_edit(actor):
        raise Forbidden()


def photos_of(place: MeetingPlace) -> list[Photo]:
    """All of them in their order, hidden ones too (the moderators decide about those)."""
    return services.photos_of(place)


def add(place: MeetingPlace, chosen: ChosenPhoto, actor: User) -> Photo:
    _check(place, actor)
    if place.retired_at is not None:
        raise PlaceError(_l("A retired meeting place gets no new photos."), field="photos")
    count = len(photos_of(place))
    if count >= MAX_PHOTOS:
        raise PlaceError(_l("A meeting place has at most %(max)d photos. Remove one before you add another.",
                            max=MAX_PHOTOS), field="photos")
    photo = services.add_photo(place, chosen.processed, alt_text=chosen.alt_text, by=actor, position=count)
    audit.record(actor, "meeting_place.photo_add", place, ["photos"])
    return photo


def remove(place: MeetingPlace, photo: Photo, actor: User) -> None:
    """Delete the photo (its files go once this commits); the others close up, so the first stays first."""
    _check(place, actor)
    services.remove_photo(photo)
    _renumber([p for p in photos_of(place) if p.id != photo.id])
    audit.record(actor, "meeting_place.photo_remove", place, ["photos"])


def move(place: MeetingPlace, photo: Photo, earlier: bool, actor: User) -> None:
    """Swap the photo with the one before (``earlier``) or after it."""
    _check(place, actor)
    ordered = photos_of(place)
    at = next(i for i, p in enumerate(ordered) if p.id == photo.id)
    other = at - 1 if earlier else at + 1
    if not 0 <= other < len(ordered):
        return
    ordered[at], ordered[other] = ordered[other], ordered[at]
    _renumber(ordered)
    audit.record(actor, "meeting_place.photo_move", place, ["photos"])


def _renumber(ordered: list[Photo]) -> None:
    for position, photo in enumerate(ordered):
        photo.position = position
