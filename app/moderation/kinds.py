"""The kinds of item the moderation queue knows.

A new kind plugs in by adding one entry here (its model, when it waits, its
label and the template that shows its text); the queue, the counts, the tabs
and the item page read this table and need no other change.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from sqlalchemy import ColumnElement, and_, or_

from app.core.i18n import lazy_gettext as _l
from app.events import services as events
from app.events.models import EventReview
from app.feedback.models import Feedback
from app.ideas.models import Comment, Idea
from app.organisations import services as organisations
from app.organisations.models import OrganisationApplication
from app.photos import review as photo_review
from app.photos.review import PhotoReview
from app.submissions.models import Report, ReviewRequest, Status, Submission


@dataclass(frozen=True)
class Decision:
    """For kinds a moderator accepts or declines with a reason (organisations, held events)."""

    decide: Callable              # (item, accept: bool, reason, actor); raises an error with .message and .field
    accept_label: object
    decline_heading: object
    accepted: object              # what the moderator is told afterwards
    declined: object


def _decide_organisation(item, accept, reason, actor):
    return organisations.decide(item, accept, reason, actor)


def _decide_event(item, accept, reason, actor):
    return events.decide(item, accept, reason, actor)


def _decide_photo(item, accept, reason, actor):
    return photo_review.decide(item, accept, reason, actor)


@dataclass(frozen=True)
class QueueKind:
    name: str
    model: type
    label: object
    waits: Callable[[], ColumnElement[bool]]   # SQL condition, besides being held for approval
    template: str                 # shows the item's text on its moderation page
    decision: Decision | None = None


def _new(kind: str):
    return lambda: and_(Submission.kind == kind, Submission.status == Status.NEW)


KINDS: dict[str, QueueKind] = {
    kind.name: kind for kind in (
        QueueKind("idea", Idea, _l("Idea"),
                  lambda: and_(_new("idea")(), Idea.duplicate_of_id.is_(None)), "moderation/kinds/idea.html"),
        QueueKind("feedback", Feedback, _l("Feedback"), _new("feedback"), "moderation/kinds/feedback.html"),
        QueueKind("comment", Comment, _l("Comment"), lambda: Submission.kind == "__never__", "moderation/kinds/comment.html"),
        # A report whose photo was deleted since has nothing left to decide.
        QueueKind("report", Report, _l("Report"),
                  lambda: and_(_new("report")(), or_(Report.target_id.is_not(None), Report.photo_id.is_not(None))),
                  "moderation/kinds/report.html"),
        QueueKind("review", ReviewRequest, _l("Review request"), _new("review"), "moderation/kinds/review.html"),
        QueueKind("organisation", OrganisationApplication, _l("Organisation"), _new("organisation"),
                  "moderation/kinds/organisation.html",
                  Decision(_decide_organisation, _l("Approve the organisation"), _l("Decline the organisation"),
                           _l("The organisation is approved."), _l("The organisation is declined."))),
        QueueKind("event", EventReview, _l("Event"), _new("event"), "moderation/kinds/event.html",
                  Decision(_decide_event, _l("Publish the event"), _l("Decline the event"),
                           _l("The event is published."), _l("The event is declined."))),
        QueueKind("photo", PhotoReview, _l("Photo"),
                  lambda: and_(_new("photo")(), PhotoReview.photo_id.is_not(None)), "moderation/kinds/photo.html",
                  Decision(_decide_photo, _l("Approve the photo"), _l("Remove the photo"),
                           _l("The photo is approved and shown."), _l("The photo is removed and its files deleted."))),
    )
}
