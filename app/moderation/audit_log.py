"""The audit log as a moderator reads it: what they may see of it, filtered, a page at a time.

A moderator sees what was done in their districts, and their own actions; an
administrator sees everything. The labels of its codes are in ``audit_labels``.
"""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import String, cast, select

from app.accounts.models import User
from app.core.models import AuditEntry
from app.extensions import db
from app.moderation.services import district_ids
from app.submissions.models import Submission

PER_PAGE = 50
SUBMISSION_CLASSES = ("Idea", "Feedback", "Comment", "Report", "ReviewRequest", "PhotoReview")


@dataclass
class Filters:
    action: str | None = None
    actor_id: int | None = None
    target_type: str | None = None


def target_types() -> list[str]:
    """The kinds of object the log has entries about, for the filter."""
    return list(db.session.scalars(select(AuditEntry.target_type).distinct().order_by(AuditEntry.target_type)))


def entries(reader: User, filters: Filters, page: int) -> tuple[list[AuditEntry], bool]:
    """Newest first; the entries of ``page`` and whether there is a next page."""
    stmt = select(AuditEntry).order_by(AuditEntry.id.desc())
    scope = district_ids(reader)
    if scope is not None:
        in_districts = select(cast(Submission.id, String)).where(Submission.district_id.in_(scope))
        stmt = stmt.where((AuditEntry.actor_id == reader.id) | (
            AuditEntry.target_type.in_(SUBMISSION_CLASSES) & AuditEntry.target_id.in_(in_districts)))
    if filters.action:
        stmt = stmt.where(AuditEntry.action == filters.action)
    if filters.actor_id:
        stmt = stmt.where(AuditEntry.actor_id == filters.actor_id)
    if filters.target_type:
        stmt = stmt.where(AuditEntry.target_type == filters.target_type)
    found = list(db.session.scalars(stmt.limit(PER_PAGE + 1).offset((page - 1) * PER_PAGE)))
    return found[:PER_PAGE], len(found) > PER_PAGE
