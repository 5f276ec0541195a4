"""Reports and review requests: residents tell the moderators about a post that breaks the house rules,
and the author of hidden content asks for another look. Both are submissions of their own that wait in
the moderation queue (``Report`` and ``ReviewRequest`` in ``app/submissions/models.py``). Enough reports
from people with standing hide the post until a moderator decides. Functions flush; views commit.

Here, not in ideas or moderation, because a report uses the rules of both: the posting limits of the
ideas and the moderators of a district.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from flask import url_for
from sqlalchemy import and_, func, select
from sqlalchemy.orm import aliased

from app.accounts.models import User
from app.core import audit, settings
from app.core.db import utcnow
from app.core.i18n import lazy_gettext as _l
from app.core.mail import send_mail
from app.core.rules import RuleBroken
from app.core.urls import site_url
from app.districts.models import District
from app.districts.services import refuse_if_retired
from app.extensions import db
from app.ideas import services as ideas
from app.ideas.models import Comment, Idea
from app.moderation import services as moderation
from app.photos import review
from app.photos.models import Photo
from app.submissions.models import REPORT_REASONS, Report, ReviewRequest, Status, StatusChange, Submission
from app.submissions.visibility import is_shown_in_thread


def reported_by(user, target_ids: list[int]) -> set[int]:
    if not getattr(user, "is_authenticated", False) or not target_ids:
        return set()
    return set(db.session.scalars(
        select(Report.target_id).where(Report.reporter_id == user.id, Report.target_id.in_(target_ids))
    ))


def report(target: Submission, reporter: User, reason: str, details: str | None) -> Report:
    """One report per person per item; a second one is refused."""
    item = _file_report(reporter, reason, details, district=target.district, author_id=target.author_id,
                        own=_l("You cannot report your own post."), target_id=target.id)
    after_report(target)
    return item


def report_photo(photo: Photo, reporter: User, reason: str, details: str | None) -> Report:
    """A report on a photo someone may see in public: the same rules as a report on a post (one per
    person, not one's own, the posting limit), and enough of them hide the photo."""
    district = db.session.get_one(District, review.district_id_of(photo))
    item = _file_report(reporter, reason, details, district=district, author_id=photo.uploaded_by_id,
                        own=_l("You cannot report your own photo."), photo_id=photo.id)
    after_photo_report(photo, district.id)
    return item


def _file_report(reporter: User, reason: str, details: str | None, *, district: District, author_id: int | None,
                 own, **target) -> Report:
    """The rules every report keeps, whatever it is about (``target``: ``target_id=`` or ``photo_id=``)."""
    refuse_if_retired(district, ideas.IdeaError, field=None)
    if reason not in REPORT_REASONS:
        raise ideas.IdeaError(_l("Choose a reason."), field="reason")
    if reporter.id == author_id:
        raise ideas.IdeaError(own)
    (column, value), = target.items()
    if db.session.scalar(select(Report.id).where(getattr(Report, column) == value, Report.reporter_id == reporter.id)):
        raise ideas.IdeaError(_l("You have already reported this. A moderator will look at it."))
    ideas.refuse_over_limit("report", reporter, field="reason")
    item = Report(reporter_id=reporter.id, author_id=reporter.id, district_id=district.id, reason=reason,
                  details=(details or "").strip() or None, **target)
    db.session.add(item)
    db.session.flush()
    ideas.start_history(item, reporter)
    ideas.count_against_limit("report", reporter)
    return item


def with_standing():
    """The accounts whose reports count towards hiding (the rule the house rules state): a confirmed
    address, not blocked, older than REPORT_STANDING_DAYS, and something they wrote (an idea or a
    comment) still shown. Reports from anyone else reach the moderators all the same; they only
    cannot hide content on their own, so a few fresh accounts cannot hide anything."""
    written = aliased(Submission, flat=True)
    shown = select(written.id).where(
        written.author_id == User.id, written.kind.in_(("idea", "comment")), written.withdrawn_at.is_(None),
        written.held_at.is_(None), written.hidden_at.is_(None))
    return and_(User.verified_at.is_not(None), User.blocked_at.is_(None),
                User.created_at <= utcnow() - timedelta(days=settings.get("REPORT_STANDING_DAYS")),
                shown.exists())


def after_report(target: Submission) -> bool:
    """Hide content reported by enough different people with standing until a moderator decides; tell
    them. True if hidden."""
    reporters = db.session.scalar(
        select(func.count(func.distinct(Report.reporter_id))).join(User, User.id == Report.reporter_id)
        .where(Report.target_id == target.id, Report.status == Status.NEW, with_standing()))
    if target.hidden_at is not None or reporters < settings.get("MAX_REPORTS_BEFORE_HIDING"):
        return False
    target.hidden_at = utcnow()
    target.hidden_by_reports = True
    target.hidden_reason = None
    db.session.flush()
    audit.record(None, "submission.hidden_by_reports", target, [], {"hidden": (False, True)})
    link = site_url("moderation.item", kind=target.kind, item_id=target.id)
    for moderator in moderation.moderators_of(target.district_id):
        send_mail(moderator.email, moderator.locale, "reported_content_hidden",
                  _l("Content was hidden after several reports"), user=moderator, link=link, count=reporters)
    return True


def after_photo_report(photo: Photo, district_id: int) -> bool:
    """Hide a photo reported by enough different people with standing until a moderator decides (as
    ``after_report`` does for a post); tell the district's moderators. True if hidden."""
    reporters = db.session.scalar(
        select(func.count(func.distinct(Report.reporter_id))).join(User, User.id == Report.reporter_id)
        .where(Report.photo_id == photo.id, Report.status == Status.NEW, with_standing()))
    if photo.hidden_at is not None or reporters < settings.get("MAX_REPORTS_BEFORE_HIDING"):
        return False
    review.hide(photo, None, by_reports=True)
    first = db.session.scalar(select(Report).where(Report.photo_id == photo.id, Report.status == Status.NEW)
                              .order_by(Report.id).limit(1))
    audit.record(None, "photo.hidden_by_reports", first, [], {"hidden": (False, True)})
    link = site_url("moderation.item", kind="report", item_id=first.id)
    for moderator in moderation.moderators_of(district_id):
        send_mail(moderator.email, moderator.locale, "reported_content_hidden",
                  _l("Content was hidden after several reports"), user=moderator, link=link, count=reporters)
    return True


def request_review(target: Submission, author: User, message: str | None) -> ReviewRequest:
    if target.author_id != author.id or target.hidden_at is None:
        raise RuleBroken(_l("Only the author of hidden content can ask for a review."))
    open_request = db.session.scalar(select(ReviewRequest.id).where(
        ReviewRequest.target_id == target.id, ReviewRequest.status == Status.NEW))
    if open_request:
        raise RuleBroken(_l("You have already asked for a review. A moderator will look at it."))
    review = ReviewRequest(target_id=target.id, author_id=author.id, district_id=target.district_id,
                           message=(message or "").strip() or None)
    db.session.add(review)
    db.session.flush()
    db.session.add(StatusChange(submission_id=review.id, old_status=None, new_status=Status.NEW, actor_id=author.id))
    db.session.flush()
    return review


@dataclass(frozen=True)
class InContext:
    """What a report is about, as the moderator needs it beside the report: the text, who wrote it,
    and where it stands on its idea's page (the comment's own page of the thread, with its anchor)."""
    target: Submission
    author: User | None
    public_url: str | None   # None: not on any public page (held, withdrawn)


@dataclass(frozen=True)
class PhotoInContext:
    """A reported photo as the moderator needs it: the photo, who added it, and the page it is on."""
    photo: Photo | None          # None: deleted since
    uploader: User | None
    public_url: str | None


def photo_in_context(report: Report) -> PhotoInContext:
    photo = report.photo
    if photo is None:
        return PhotoInContext(None, None, None)
    uploader = db.session.get(User, photo.uploaded_by_id) if photo.uploaded_by_id else None
    return PhotoInContext(photo, uploader, review.page_of(photo))


def in_context(report: Report) -> InContext | PhotoInContext:
    if report.target_id is None:
        return photo_in_context(report)
    target = report.target
    if isinstance(target, Comment):
        page = ideas.comment_page(target)
        url = url_for("ideas.show", idea_id=target.idea_id, comments=page, _anchor=f"comment-{target.id}") if page else None
    elif isinstance(target, Idea):
        url = url_for("ideas.show", idea_id=target.id) if is_shown_in_thread(target) else None
    else:
        url = None
    return InContext(target, getattr(target, "author", None), url)
