"""Photos: adding, removing, who may see them, and keeping files and rows together.

A photo is a row in ``photos`` and its renditions in the storage (``storage.py``). The two never part
ways for long:

- ``add_photo`` writes the files before the row is flushed; if the transaction then does not commit
  (a rollback, an error, a session closed without a commit), the files are deleted again.
- ``remove_photo`` and the purge helpers delete the row now and the files only once the delete is
  committed, so a rollback keeps a photo whole.
- What still slips through (a worker killed between writing and committing, storage away while a
  deletion was due, an owner deleted by a cascade in the database) is found by ``sweep`` (``flask photos
  sweep``): files with no row are removed, rows whose files are missing are reported.

Who may see a photo: the moderators of its owner's district always; a private one (feedback) nobody
else; a held or hidden one its uploader too; otherwise whoever may see its owner.
"""
from __future__ import annotations

import base64
import logging
import secrets
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any, BinaryIO

from sqlalchemy import event, select
from sqlalchemy.orm import Session

from app.accounts.models import User
from app.core import settings
from app.core.db import utcnow
from app.core.i18n import lazy_gettext as _l
from app.core.rules import RuleBroken
from app.districts.models import moderates
from app.events.models import Event
from app.extensions import db
from app.meeting_places.models import MeetingPlace
from app.photos.models import FORMATS, Photo, file_name
from app.photos.processing import PhotoRefused, ProcessedPhoto, process
from app.photos.storage import NAME, PhotoStorageError, Storage, storage
from app.submissions.models import Kind, Submission
from app.submissions.visibility import is_publicly_visible

log = logging.getLogger(__name__)

Owner = Submission | Event | MeetingPlace

# A file younger than this may belong to an upload whose row is not committed yet.
SWEEP_GRACE = timedelta(hours=1)

__all__ = ["PhotoRefused", "owner_of", "district_id_of", "add_photo", "remove_photo", "delete_files_of", "delete_photos", "photos_of",
           "visible_photos", "can_view", "file_for", "sweep", "own_photos", "held_by_default"]


# --- files that wait for the transaction --------------------------------------------------------------------

_WRITTEN = "photo_files_written"    # (storage, name) written in this transaction: deleted unless it commits
_DOOMED = "photo_files_doomed"      # (storage, name) to delete once this transaction commits


def _delete_quietly(files: Iterable[tuple[Storage, str]]) -> None:
    for backend, name in files:
        try:
            backend.delete(name)
        except (PhotoStorageError, OSError) as error:   # the sweep removes it later
            log.warning("photo file not deleted (%s); flask photos sweep will remove it", error.__class__.__name__)


@event.listens_for(Session, "after_commit")
def _committed(session: Session) -> None:
    session.info.pop(_WRITTEN, None)
    _delete_quietly(session.info.pop(_DOOMED, []))


@event.listens_for(Session, "after_transaction_end")
def _ended(session: Session, transaction) -> None:
    if transaction.parent is not None or transaction.nested:
        return   # a savepoint: what it wrote is settled by the transaction around it
    # Still here after the outermost transaction ended: it did not commit (rollback or close).
    _delete_quietly(session.info.pop(_WRITTEN, []))
    session.info.pop(_DOOMED, None)


def _written(backend: Storage, name: str) -> None:
    db.session.info.setdefault(_WRITTEN, []).append((backend, name))


def _doom(photo: Photo) -> None:
    backend = storage()
    db.session.info.setdefault(_DOOMED, []).extend((backend, name) for name in photo.file_names())


# --- owners -------------------------------------------------------------------------------------------------


def _owner_column(owner: Owner) -> dict[str, Any]:
    if isinstance(owner, Submission):
        return {"submission_id": owner.id}
    if isinstance(owner, Event):
        return {"event_id": owner.id}
    if isinstance(owner, MeetingPlace):
        return {"meeting_place_id": owner.id}
    raise TypeError(f"a photo cannot belong to {type(owner).__name__}")


def owner_of(photo: Photo) -> Owner:
    """The idea, feedback, event or meeting place the photo belongs to."""
    if photo.submission_id is not None:
        return db.session.get_one(Submission, photo.submission_id)
    if photo.event_id is not None:
        return db.session.get_one(Event, photo.event_id)
    return db.session.get_one(MeetingPlace, photo.meeting_place_id)


def district_id_of(photo: Photo) -> int:
    """The district whose moderators decide on the photo."""
    return owner_of(photo).district_id


def _owner_filter(owner: Owner):
    (column, value), = _owner_column(owner).items()
    return getattr(Photo, column) == value


def _is_private_owner(owner: Owner) -> bool:
    """Feedback is read by the district's moderators alone, and so are its photos, whatever a caller says."""
    return isinstance(owner, Submission) and owner.kind == Kind.FEEDBACK


def _moderates_owner(owner: Owner, viewer) -> bool:
    return moderates(viewer, owner.district_id)


def _may_see_owner(owner: Owner, viewer) -> bool:
    """Whether ``viewer`` may see the photos' owner at all (a hidden idea hides its photos)."""
    if isinstance(owner, Submission):
        if is_publicly_visible(owner):
            return True
        # Their own idea while it waits for a check or after they withdrew it; a hidden one hides its photos.
        return bool(getattr(viewer, "is_authenticated", False) and owner.author_id == viewer.id
                    and owner.hidden_at is None)
    if isinstance(owner, Event):
        return owner.is_visible_to(viewer)
    return True


def held_by_default() -> bool:
    """Whether new photos on public content wait for a moderator's check (``PREMODERATE`` has "photos")."""
    return "photos" in settings.get("PREMODERATE")


# --- writing ------------------------------------------------------------------------------------------------


def _new_key() -> str:
    # 120 random bits in lower-case base32: safe in a URL and a file name, and unguessable (private
    # photos are checked on every request anyway).
    return base64.b32encode(secrets.token_bytes(15)).decode("ascii").lower()


def add_photo(owner: Owner, upload: BinaryIO | bytes | ProcessedPhoto, *, alt_text: str, by: User | None, private: bool = False,
              held: bool = False, position: int | None = None) -> Photo:
    """Check and process ``upload`` (unless the form did: ``forms.chosen_photos``), store its renditions and add the row (flushed, not committed).

    Raises ``PhotoRefused`` (a ``RuleBroken`` with the message for the file field) for what is not a
    photo we take, and ``RuleBroken`` (503) when the storage cannot be reached.
    """
    alt_text = (alt_text or "").strip()
    if not alt_text:
        raise RuleBroken(_l("Describe the photo in a few words, for those who cannot see it."), field="alt_text")
    private = private or _is_private_owner(owner)
    processed = upload if isinstance(upload, ProcessedPhoto) else process(upload)
    key = _new_key()
    backend = storage()
    try:
        for (width, ext), data in processed.files.items():
            name = file_name(key, width, ext)
            _written(backend, name)   # before the call: a half-written file is removed too
            backend.put(name, data, FORMATS[ext])
    except (PhotoStorageError, OSError) as error:
        log.error("photo storage unavailable: %s", error.__class__.__name__)
        raise RuleBroken(_l("The photo could not be saved just now. Please try again in a few minutes."),
                         status=503) from None
    if position is None:
        position = len(photos_of(owner))
    photo = Photo(key=key, position=position, alt_text=alt_text[:250], width=processed.width,
                  height=processed.height, widths=",".join(str(w) for w in processed.widths), private=private,
                  held_at=utcnow() if held else None, uploaded_by_id=by.id if by is not None else None,
                  **_owner_column(owner))
    db.session.add(photo)
    db.session.flush()
    return photo


def remove_photo(photo: Photo) -> None:
    """Delete the photo; its files go once this is committed."""
    _doom(photo)
    db.session.delete(photo)
    db.session.flush()


def delete_photos(photos: Iterable[Photo]) -> int:
    count = 0
    for photo in photos:
        remove_photo(photo)
        count += 1
    return count


def delete_files_of(owner: Owner) -> int:
    """Delete every photo of ``owner`` (before the owner is deleted or its personal data purged); the
    files go once this is committed. The number of photos deleted."""
    return delete_photos(photos_of(owner))


# --- reading ------------------------------------------------------------------------------------------------


def photos_of(owner: Owner) -> list[Photo]:
    """Every photo of ``owner`` in its order, whoever may see them."""
    return list(db.session.scalars(select(Photo).where(_owner_filter(owner)).order_by(Photo.position, Photo.id)))


def can_view(photo: Photo, viewer, owner: Owner | None = None) -> bool:
    owner = owner if owner is not None else owner_of(photo)
    if _moderates_owner(owner, viewer):
        return True
    if photo.private or _is_private_owner(owner):
        return False
    if photo.held_at is not None or photo.hidden_at is not None:
        # Its uploader sees it waiting, but only where they may still see what it belongs to.
        return bool(getattr(viewer, "is_authenticated", False) and photo.uploaded_by_id == viewer.id
                    and _may_see_owner(owner, viewer))
    return _may_see_owner(owner, viewer)


def visible_photos(owner: Owner, viewer) -> list[Photo]:
    """The photos of ``owner`` that ``viewer`` may see, in their order (held ones included for their
    uploader and the moderators: the page says they wait for a check)."""
    return [photo for photo in photos_of(owner) if can_view(photo, viewer, owner)]


@dataclass
class ServedFile:
    photo: Photo
    data: bytes
    content_type: str
    shared: bool   # the same for everyone who may see it: may be cached long, also on the way


def file_for(key: str, width: int, ext: str, viewer) -> ServedFile | None:
    """The rendition asked for, if ``viewer`` may see it; None for no such file or no access alike (a
    private photo's existence is not given away)."""
    if ext not in FORMATS:
        return None
    photo = db.session.scalar(select(Photo).where(Photo.key == key))
    if photo is None or width not in photo.width_list or not can_view(photo, viewer):
        return None
    try:
        data = storage().open(file_name(key, width, ext))
    except (PhotoStorageError, OSError) as error:
        log.warning("photo storage unavailable: %s", error.__class__.__name__)
        raise RuleBroken(_l("Photos cannot be shown just now. Try again in a little while."), status=503) from None
    if data is None:
        log.warning("photo %s has a row but no file %s", photo.id, f"{width}.{ext}")
        return None
    shared = photo.is_public and _may_see_owner(owner_of(photo), None)
    return ServedFile(photo, data, FORMATS[ext], shared)


def own_photos(user: User) -> list[dict[str, Any]]:
    """What the data export gives a person about the photos they uploaded (never anyone else's)."""
    photos = db.session.scalars(select(Photo).where(Photo.uploaded_by_id == user.id).order_by(Photo.id))
    return [{"key": p.key, "alt_text": p.alt_text, "width": p.width, "height": p.height,
             "files": [file_name(p.key, p.width, ext) for ext in FORMATS], "created_at": p.created_at.isoformat()}
            for p in photos]


# --- the sweep ----------------------------------------------------------------------------------------------


@dataclass
class SweepReport:
    removed: list[str] = field(default_factory=list)        # files with no row, deleted
    missing: list[tuple[int, str]] = field(default_factory=list)   # (photo id, file name) rows without a file


def sweep(*, grace: timedelta = SWEEP_GRACE, dry_run: bool = False) -> SweepReport:
    """Remove stored files that no row names (older than ``grace``: a younger one may be an upload whose
    row is about to be committed) and report rows whose files are missing."""
    backend = storage()
    report = SweepReport()
    known = set(db.session.scalars(select(Photo.key)))
    stored = set()
    cutoff = utcnow() - grace
    for item in backend.names():
        stored.add(item.name)
        key = item.name.rsplit("-", 1)[0]
        if key in known or item.modified_at > cutoff:
            continue
        if not dry_run:
            backend.delete(item.name)
        report.removed.append(item.name)
    for photo in db.session.scalars(select(Photo).order_by(Photo.id)):
        report.missing.extend((photo.id, name) for name in photo.file_names() if name not in stored)
    return report


def is_photo_file_name(name: str) -> bool:
    return bool(NAME.match(name))
