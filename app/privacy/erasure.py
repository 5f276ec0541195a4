"""Deleting an account and the personal data that hangs on it (the right to erasure, GDPR art. 17).

What goes: the account (email, name, password, preferences; for staff the two-step
login secret and recovery codes), its registrations (future ones are cancelled
first, so the waitlist moves up), follows, invitations to join an organisation, mail sent to the address, the contact
details on feedback that gave the address (and the place it was about), memberships.
The photos they uploaded go too, files and all (once the erasure is committed): a photo can
show a person or a home where a text does not.
What stays: public ideas and comments, shown as by "deleted user"; supports, as
the counts on ideas; audit entries, which hold ids only.

SQLite runs with ``secure_delete`` on, so erased text is overwritten in the file, and whoever commits
an erasure then calls ``forget_on_disk`` so the write-ahead log keeps no earlier copy of it.
Each erased account id is also appended to an erasure log outside the database
(``ERASURE_LOG``): ``flask privacy reapply-erasures`` after restoring a backup
erases again whoever the backup brought back.
"""
from __future__ import annotations

from pathlib import Path

from sqlalchemy import delete, or_, select, update

from app.accounts.models import RecoveryCode, User
from app.accounts.services import other_active_admins
from app.core import audit, settings
from app.core.db import checkpoint_after_erasure, same_email, utcnow
from app.core.files import private_file, private_folder
from app.core.i18n import lazy_gettext as _l
from app.core.models import OutboxMessage
from app.core.permissions import Role
from app.core.rules import RuleBroken
from app.core.security import verify_password
from app.events import registration as seats
from app.events.models import Event, Registration, RegistrationStatus
from app.extensions import db
from app.feedback.models import Feedback
from app.follows.models import Follow
from app.organisations.models import OrganisationInvitation
from app.photos import services as photos
from app.photos.models import Photo
from app.submissions.models import Submission


class ErasureRefused(RuleBroken):
    """The account is not deleted; the message says why."""


def erase(user: User) -> int:
    """Erase the account and what hangs on it; returns its id for the erasure log. Flushes, never commits."""
    user_id, email, verified = user.id, user.email, user.verified_at is not None
    # What they wrote first, then their account (whose deletion sets the author of those rows to NULL): the
    # order in which a moderator's change of one of their ideas locks them (app/ideas/tallies.py).
    db.session.execute(select(Submission.id).where(Submission.author_id == user_id).order_by(Submission.id)
                       .with_for_update(key_share=True))
    # Guest registrations and follows made with the same address are the person's too, once it is theirs.
    theirs = or_(Registration.user_id == user_id, same_email(Registration.email, email) if verified else False)
    upcoming = db.session.scalars(
        select(Registration).join(Event, Event.id == Registration.event_id)
        .where(theirs, Event.starts_at > utcnow(), Registration.status != RegistrationStatus.CANCELLED)
    ).all()
    for registration in upcoming:
        seats.cancel(registration)
    db.session.execute(delete(Registration).where(theirs).execution_options(synchronize_session=False))
    if verified:
        db.session.execute(delete(Follow).where(same_email(Follow.email, email))
                           .execution_options(synchronize_session=False))
        # Photos sent with feedback go with its contact details, as after the retention period.
        photos.delete_photos(db.session.scalars(select(Photo).where(Photo.submission_id.in_(
            select(Feedback.id).where(same_email(Feedback.contact_email, email))))).all())
        # The place such feedback was about goes with the address that makes it theirs.
        db.session.execute(
            update(Submission).where(Submission.id.in_(select(Feedback.id).where(same_email(Feedback.contact_email, email))))
            .values(location_lat=None, location_lon=None, location_label=None)
            .execution_options(synchronize_session=False))
        db.session.execute(
            update(Feedback).where(Feedback.id.in_(select(Feedback.id).where(same_email(Feedback.contact_email, email))))
            .values(contact_name=None, contact_email=None, contact_phone=None, contact_consent=False)
            .execution_options(synchronize_session=False))
        db.session.execute(delete(OrganisationInvitation).where(same_email(OrganisationInvitation.email, email))
                           .execution_options(synchronize_session=False))
    db.session.execute(delete(OutboxMessage).where(same_email(OutboxMessage.recipient, email))
                       .execution_options(synchronize_session=False))
    db.session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user_id)
                       .execution_options(synchronize_session=False))
    photos.delete_photos(db.session.scalars(select(Photo).where(Photo.uploaded_by_id == user_id)).all())
    audit.record(None, "account.erase", user, [], {})
    db.session.delete(user)
    db.session.flush()
    return user_id


def erase_registration(registration: Registration) -> None:
    """A guest's own registration, through their link: cancelled first if the event is still to come
    (so the waitlist moves up), then deleted with the name and contact details in it."""
    if registration.event.starts_at > utcnow():
        seats.cancel(registration)
    db.session.delete(registration)
    db.session.flush()


def erase_own_account(user: User, password: str) -> int:
    if not verify_password(user.password_hash, password):
        raise ErasureRefused(_l("The password is not correct."), field="password")
    if user.role == Role.ADMIN and other_active_admins(user) == 0:
        # Nobody would be left to give the administrator role to anyone (see services.change_role).
        raise ErasureRefused(_l("You are the last administrator, so your account cannot be deleted. "
                                "Make someone else an administrator first, then delete your account."))
    return erase(user)


def forget_on_disk() -> None:
    """After an erasure is committed: SQLite's write-ahead log is checkpointed and emptied."""
    checkpoint_after_erasure(db.engine)


def _log_path() -> Path | None:
    path = settings.get("ERASURE_LOG")
    return Path(path) if path else None


def remember(user_id: int) -> None:
    """Append an erased id to the erasure log (after the erasure is committed)."""
    path = _log_path()
    if path is None:
        return
    private_folder(path.parent)
    private_file(path)
    with path.open("a", encoding="ascii") as log:
        log.write(f"{user_id}\n")


def reapply() -> list[int]:
    """Erase again every account in the erasure log that a restored backup brought back."""
    path = _log_path()
    if path is None or not path.exists():
        return []
    ids = {int(line) for line in path.read_text(encoding="ascii").split() if line.isdigit()}
    back = db.session.scalars(select(User).where(User.id.in_(ids))).all() if ids else []
    return [erase(user) for user in back]
