"""An idea's photos: at most three, each with a description, added and taken away by the idea's author
while they may change the idea. Functions flush; the view commits.

Photos on an idea are public content: each waits in the moderation queue for a check when ``PREMODERATE``
has "photos" (``photos.review.hold_for_check``), and a hidden or withdrawn idea hides them
(``photos.services.can_view``).
"""
from __future__ import annotations

from collections.abc import Collection, Sequence

from app.accounts.models import User
from app.core.i18n import lazy_gettext as _l
from app.ideas.forms import MAX_PHOTOS
from app.ideas.models import Idea
from app.ideas.services import IdeaError
from app.photos import review
from app.photos import services as photos
from app.photos.forms import ChosenPhoto
from app.photos.models import Photo


def add_photos(idea: Idea, chosen: Sequence[ChosenPhoto], by: User, remove: Collection[str] = ()) -> list[Photo]:
    """Take away the photos whose keys are in ``remove``, then add ``chosen`` after the rest, keeping at
    most ``MAX_PHOTOS`` in all (refused beside the photo fields otherwise, before anything changes)."""
    if remove and not idea.can_edit(by):
        raise IdeaError(_l("This idea can no longer be changed: a moderator has started looking at it."))
    current = photos.photos_of(idea)
    kept = [photo for photo in current if photo.key not in remove]
    if len(kept) + len(chosen) > MAX_PHOTOS:
        raise IdeaError(_l("An idea can have at most %(max)d photos. Remove one to add another.", max=MAX_PHOTOS),
                        field="photos")
    for photo in current:
        if photo.key in remove:
            photos.remove_photo(photo)
    for position, photo in enumerate(kept):
        photo.position = position
    added = [photos.add_photo(idea, item.processed, alt_text=item.alt_text, by=by, position=len(kept) + n)
             for n, item in enumerate(chosen)]
    for photo in added:
        review.hold_for_check(photo, by)   # each photo is its own item in the queue
    return added
