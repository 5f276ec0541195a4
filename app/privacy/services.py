"""Deleting what has been kept long enough. Every period is a setting, stated in /privacy."""
from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import delete

from app.accounts.models import User
from app.core import settings
from app.core.db import utcnow
from app.core.drafts import purge_old as purge_old_drafts
from app.core.models import AuditEntry, FormSubmission, OutboxMessage
from app.extensions import db

# Used submission ids only guard against double posts; a day is plenty.
FORM_SUBMISSION_DAYS = 1


def purge_expired(now: datetime | None = None) -> dict[str, int]:
    """Delete what is past its retention period; safe to run again (from cron)."""
    now = now or utcnow()

    def older_than(days: int) -> datetime:
        return now - timedelta(days=days)

    removed = {}
    removed["unverified_accounts"] = db.session.execute(
        delete(User).where(
            User.verified_at.is_(None),
            User.created_at < older_than(settings.get("UNVERIFIED_ACCOUNT_RETENTION_DAYS")),
        )
    ).rowcount
    removed["outbox_messages"] = db.session.execute(
        delete(OutboxMessage).where(OutboxMessage.created_at < older_than(settings.get("OUTBOX_RETENTION_DAYS")))
    ).rowcount
    removed["audit_entries"] = db.session.execute(
        delete(AuditEntry).where(AuditEntry.created_at < older_than(settings.get("AUDIT_RETENTION_DAYS")))
    ).rowcount
    removed["form_submissions"] = db.session.execute(
        delete(FormSubmission).where(FormSubmission.created_at < older_than(FORM_SUBMISSION_DAYS))
    ).rowcount
    removed["form_drafts"] = purge_old_drafts()
    db.session.flush()
    return removed
