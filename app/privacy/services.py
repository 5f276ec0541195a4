"""Deleting what has been kept long enough. Every period is a setting, stated in /privacy."""
from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import delete, select, update

from app.accounts.models import User
from app.core import logs, settings
from app.core.db import rows_changed, utcnow
from app.core.drafts import purge_old as purge_old_drafts
from app.core.models import AuditEntry, FormSubmission, OutboxMessage
from app.events import retention as events_retention
from app.extensions import db
from app.feedback.models import Feedback
from app.follows import services as following
from app.organisations.models import OrganisationInvitation
from app.photos import services as photos
from app.photos.models import Photo
from app.submissions.models import Submission
from app.surveys import services as surveys
from app.translation import store as translation_store

# Used submission ids only guard against double posts; a day is plenty.
FORM_SUBMISSION_DAYS = 1


def purge_expired(now: datetime | None = None) -> dict[str, int]:
    """Delete what is past its retention period; safe to run again (from cron)."""
    now = now or utcnow()

    def older_than(days: int) -> datetime:
        return now - timedelta(days=days)

    # Event registrations first: access needs go when the event ends, the rest is counted, then deleted.
    removed = events_retention.purge(now)
    removed["unverified_accounts"] = rows_changed(db.session.execute(
        delete(User).where(
            User.verified_at.is_(None),
            User.created_at < older_than(settings.get("UNVERIFIED_ACCOUNT_RETENTION_DAYS")),
        )
    ))
    removed["outbox_messages"] = rows_changed(db.session.execute(
        delete(OutboxMessage).where(OutboxMessage.created_at < older_than(settings.get("OUTBOX_RETENTION_DAYS")))
    ))
    removed["audit_entries"] = rows_changed(db.session.execute(
        delete(AuditEntry).where(AuditEntry.created_at < older_than(settings.get("AUDIT_RETENTION_DAYS")))
    ))
    removed["form_submissions"] = rows_changed(db.session.execute(
        delete(FormSubmission).where(FormSubmission.created_at < older_than(FORM_SUBMISSION_DAYS))
    ))
    old_feedback = select(Submission.id).where(
        Submission.kind == "feedback",
        Submission.created_at < older_than(settings.get("FEEDBACK_CONTACT_RETENTION_DAYS")),
    )
    # Photos sent with feedback may show people and homes: they go with the contact details, files too
    # (once this is committed).
    removed["feedback_photos"] = photos.delete_photos(
        db.session.scalars(select(Photo).where(Photo.submission_id.in_(old_feedback))).all())
    removed["feedback_contacts"] = rows_changed(db.session.execute(
        update(Feedback)
        .where(
            Feedback.id.in_(old_feedback),
            (Feedback.contact_name.is_not(None)) | (Feedback.contact_email.is_not(None)) | (Feedback.contact_phone.is_not(None)),
        )
        .values(contact_name=None, contact_email=None, contact_phone=None, contact_consent=False)
        .execution_options(synchronize_session=False)
    ))
    # Where the feedback was about is personal data too (it can point at a home): it goes at the same time,
    # on every piece of feedback, with contact details or without.
    removed["feedback_locations"] = rows_changed(db.session.execute(
        update(Submission)
        .where(
            Submission.kind == "feedback",
            Submission.created_at < older_than(settings.get("FEEDBACK_CONTACT_RETENTION_DAYS")),
            Submission.location_lat.is_not(None) | Submission.location_lon.is_not(None)
            | Submission.location_label.is_not(None),
        )
        .values(location_lat=None, location_lon=None, location_label=None)
        .execution_options(synchronize_session=False)
    ))
    removed["form_drafts"] = purge_old_drafts()
    removed["unconfirmed_follows"] = following.purge_unconfirmed(now)
    removed["organisation_invitations"] = rows_changed(db.session.execute(
        delete(OrganisationInvitation).where(OrganisationInvitation.expires_at <= now)))
    # A translation outlives neither an edit nor an erasure for long: it is made again when asked for.
    removed["machine_translations"] = translation_store.purge_older_than(
        older_than(settings.get("MACHINE_TRANSLATION_RETENTION_DAYS")))
    # A round's invitation list goes once the round has closed; survey free text after its own period.
    removed.update(surveys.purge(now))
    removed["log_files"] = logs.purge_old(settings.get("LOG_DIR", None), settings.get("LOG_RETENTION_DAYS"),
                                          now.astimezone(logs.OSLO).date())
    db.session.flush()
    return removed
