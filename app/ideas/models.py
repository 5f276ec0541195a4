"""Ideas, their comments and supports."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, String, Text, and_, event, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.db import UTCDateTime, oslo_month, utcnow
from app.extensions import db
from app.ideas.tallies import SHOWN, IdeaTally  # noqa: F401 - the tallies' table is one of the models
from app.photos.models import Photo
from app.submissions.models import Kind, Status, Submission


class WrittenIn:
    """The language the text is written in (nb, nn or en), so pages mark it up for screen readers
    and translation tools even when it differs from the page's language."""

    language: Mapped[str] = mapped_column(String(8), default="nb", server_default="nb")


def shown_to_everyone():
    """The photos of public content anyone may see: not private, not waiting for a check, not hidden."""
    return and_(Photo.private.is_(False), Photo.held_at.is_(None), Photo.hidden_at.is_(None))


class Idea(WrittenIn, Submission):
    __tablename__ = "ideas"

    id: Mapped[int] = mapped_column(ForeignKey("submissions.id", ondelete="CASCADE"), primary_key=True)
    title: Mapped[str] = mapped_column(String(120))
    body: Mapped[str] = mapped_column(Text)          # Markdown as written
    body_html: Mapped[str] = mapped_column(Text)     # cleaned HTML, made when written
    support_count: Mapped[int] = mapped_column(Integer, default=0)
    duplicate_of_id: Mapped[int | None] = mapped_column(ForeignKey("ideas.id", ondelete="SET NULL"))
    # The thumbnail on its card: the first photo everyone may see, set by the list that loaded the idea
    # (services.list_ideas(photos=True)) in its own query; not a column.
    card_photo = None

    __mapper_args__ = {"polymorphic_identity": Kind.IDEA.value, "inherit_condition": id == Submission.id}
    # "Most supported first", a page at a time from the top of this index (the id breaks ties: newest first).
    __table_args__ = (Index("ix_ideas_supported", "support_count", "id"),)

    def can_edit(self, user) -> bool:
        """The author may edit or withdraw an idea until a moderator has acted on it."""
        return (
            user is not None and user.is_authenticated and self.author_id == user.id
            and self.status == Status.NEW and self.withdrawn_at is None and self.hidden_at is None
            and self.effort_area_id is None
        )


# The ideas the public may see, in each order a list reads them (newest first, the latest news first), so a
# page is read from the top of an index whatever the number of ideas. Only shown submissions are in them, kind
# first: the equality on kind (and on a filter) lets SQLite choose them without statistics. A query repeats
# ``SHOWN`` term for term (``services.shown_ideas``), so SQLite knows it may use them.
_SHOWN = text(SHOWN)
for _name, _columns in (
    ("newest", (Submission.created_at, Submission.id)),
    ("district", (Submission.district_id, Submission.created_at, Submission.id)),
    ("area", (Submission.effort_area_id, Submission.created_at, Submission.id)),
    ("status", (Submission.status, Submission.created_at, Submission.id)),
    ("area_news", (Submission.effort_area_id, Submission.updated_at, Submission.id)),
    ("status_news", (Submission.status, Submission.updated_at, Submission.id)),
):
    Index(f"ix_submissions_shown_ideas_{_name}", Submission.kind, *_columns, sqlite_where=_SHOWN, postgresql_where=_SHOWN)


class Comment(WrittenIn, Submission):
    __tablename__ = "comments"

    id: Mapped[int] = mapped_column(ForeignKey("submissions.id", ondelete="CASCADE"), primary_key=True)
    idea_id: Mapped[int] = mapped_column(ForeignKey("ideas.id", ondelete="CASCADE"), index=True)
    body: Mapped[str] = mapped_column(Text)
    body_html: Mapped[str] = mapped_column(Text)
    edited_at: Mapped[datetime | None] = mapped_column(UTCDateTime)   # last changed by its author: shown as "edited"
    idea: Mapped[Idea] = relationship(foreign_keys=[idea_id])

    __mapper_args__ = {"polymorphic_identity": Kind.COMMENT.value, "inherit_condition": id == Submission.id}

    def can_change(self, user) -> bool:
        """The author may edit or delete their own comment while it is shown (not hidden by a moderator,
        not deleted already). Moderators change other people's comments through moderation, never here."""
        return (user is not None and getattr(user, "is_authenticated", False) and self.author_id == user.id
                and self.withdrawn_at is None and self.hidden_at is None)


class CommentRevision(db.Model):
    """A comment's text before its author changed it: moderators see what was written and reported,
    whatever it says now. Goes with the comment (and with the account's other personal data on erasure)."""

    __tablename__ = "comment_revisions"

    id: Mapped[int] = mapped_column(primary_key=True)
    comment_id: Mapped[int] = mapped_column(ForeignKey("comments.id", ondelete="CASCADE"), index=True)
    body: Mapped[str] = mapped_column(Text)
    replaced_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Support(db.Model):
    """A resident's support for an idea: one each, and it can be withdrawn."""

    __tablename__ = "supports"

    idea_id: Mapped[int] = mapped_column(ForeignKey("ideas.id", ondelete="CASCADE"), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True, index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # The Europe/Oslo month it was given in: indicators group by it on any database.
    created_month: Mapped[str] = mapped_column(String(7), index=True)


# "Ideas I support" on Min side: a person's latest supports, read newest first without sorting them all.
Index("ix_supports_user_created", Support.user_id, Support.created_at)


@event.listens_for(Support, "before_insert")
def _stamp_month(_mapper, _connection, target: Support) -> None:
    if target.created_at is None:
        target.created_at = utcnow()
    target.created_month = oslo_month(target.created_at)
