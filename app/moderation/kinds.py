"""The kinds of item the moderation queue knows.

A new kind plugs in by adding one entry here (its model, when it waits, its
label and the template that shows its text); the queue, the counts, the tabs
and the item page read this table and need no other change.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from sqlalchemy import ColumnElement, and_

from app.core.i18n import lazy_gettext as _l
from app.events import services as events
from app.events.models import EventReview
from app.feedback.models import Feedback
from app.ideas.models import Comment, Idea
from app.organisations import services as organisations
from app.organisations.models import OrganisationApplication
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
        QueueKind("report", Report, _l("Report"), _new("report"), "moderation/kinds/report.html"),
        QueueKind("review", ReviewRequest, _l("Review request"), _new("review"), "moderation/kinds/review.html"),
        QueueKind("organisation", OrganisationApplication, _l("Organisation"), _new("organisation"),
                  "moderation/kinds/organisation.html",
                  Decision(_decide_organisation, _l("Approve the organisation"), _l("Decline the organisation"),
                           _l("The organisation is approved."), _l("The organisation is declined."))),
        QueueKind("event", EventReview, _l("Event"), _new("event"), "moderation/kinds/event.html",
                  Decision(_decide_event, _l("Publish the event"), _l("Decline the event"),
                           _l("The event is published."), _l("The event is declined."))),
    )
}
