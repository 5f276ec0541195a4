"""The one "publicly visible" rule. Every list, count, search, feed and API uses it."""
from __future__ import annotations

from sqlalchemy import and_, exists, select

from app.accounts.models import User


def _author_blocked(entity):
    return exists(select(User.id).where(User.id == entity.author_id, User.blocked_at.is_not(None)))


def shown_in_thread(entity):
    """What appears where it was posted: held, withdrawn and blocked authors' posts do not;
    hidden ones appear as a placeholder without their content."""
    return and_(entity.withdrawn_at.is_(None), entity.held_at.is_(None), ~_author_blocked(entity))


def publicly_visible(entity):
    """What the public may read: shown in its thread and not hidden."""
    return and_(shown_in_thread(entity), entity.hidden_at.is_(None))


def is_shown_in_thread(submission) -> bool:
    author = getattr(submission, "author", None)
    return (
        submission.withdrawn_at is None
        and submission.held_at is None
        and (author is None or author.blocked_at is None)
    )


def is_publicly_visible(submission) -> bool:
    return is_shown_in_thread(submission) and submission.hidden_at is None
