"""The triage pipeline's rules: what waits, who may act on it, and every action. Functions flush; views commit.

Every action checks the moderator's districts, compares the version the
moderator saw (two moderators acting at once: the second is told, nothing is
overwritten), writes an audit entry, and tells the people concerned.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import joinedload, selectinload, with_polymorphic

from app.accounts.models import User, moderator_districts
from app.accounts.services import unsubscribe_url
from app.core import audit
from app.core.db import utcnow
from app.core.i18n import lazy_gettext as _l
from app.core.mail import send_mail
from app.core.params import page_count, positive_int
from app.core.permissions import Role
from app.core.rules import Conflict, Forbidden, RuleBroken
from app.core.sanitize import markdown_to_html, plain_text_to_html
from app.core.urls import site_url
from app.districts.models import District, EffortArea, SubTheme
from app.extensions import db
from app.feedback.models import Feedback
from app.ideas.models import Comment, Idea
from app.ideas.services import can_view, notify_status_change
from app.moderation.kinds import KINDS as QUEUE_KINDS
from app.moderation.models import AnswerTemplate, InternalNote, PostingBlock
from app.submissions.labels import HIDDEN_REASON_LABELS
from app.submissions.models import HIDE_REASONS, Report, ReviewRequest, Status, StatusChange, Submission

PER_PAGE = 25
OLD_AFTER = timedelta(days=7)
KINDS = tuple(QUEUE_KINDS)
ANSWER_REQUIRED = {Status.NOT_PURSUED}
SETTABLE_STATUSES = [s.value for s in Status if s is not Status.NEW]


# --- scope -----------------------------------------------------------------------------------


def district_ids(user: User) -> list[int] | None:
    """The districts a moderator acts in; None for an admin (all of them)."""
    if user.role == Role.ADMIN:
        return None
    return [d.id for d in user.districts]


def _in_scope(user: User):
    ids = district_ids(user)
    return Submission.district_id.in_(ids) if ids is not None else True


def can_moderate(user: User, submission: Submission) -> bool:
    return submission.district.is_moderated_by(user)


# --- the queue ---------------------------------------------------------------------------------


def waiting():
    """What needs a moderator: anything held for approval, and each kind's own rule (see ``kinds``).
    Used with ``ANY_ITEM`` in the FROM clause, since a kind's rule may read its own table."""
    return and_(
        Submission.withdrawn_at.is_(None),
        or_(Submission.held_at.is_not(None), *[kind.waits() for kind in QUEUE_KINDS.values()]),
    )


@dataclass
class QueueFilters:
    kind: str | None = None
    district: District | None = None
    area: EffortArea | None = None
    status: str | None = None
    old_only: bool = False
    assignee: str | None = None    # "me", "none" or a user id as text
    page: int = 1


@dataclass
class QueuePage:
    items: list[Submission]
    counts: dict[str, int]
    total: int
    page: int
    pages: int


ANY_ITEM = with_polymorphic(Submission, [kind.model for kind in QUEUE_KINDS.values()])


def queue(user: User, filters: QueueFilters) -> QueuePage:
    """Oldest first, 25 a page; counts per kind for the tabs. Three queries whatever the size."""
    conditions = [waiting(), _in_scope(user)]
    if filters.district is not None:
        conditions.append(Submission.district_id == filters.district.id)
    if filters.area is not None:
        conditions.append(or_(Submission.effort_area_id == filters.area.id,
                              Submission.suggested_effort_area_id == filters.area.id))
    if filters.status in {s.value for s in Status}:
        conditions.append(Submission.status == filters.status)
    if filters.old_only:
        conditions.append(Submission.created_at < utcnow() - OLD_AFTER)
    if filters.assignee == "me":
        conditions.append(Submission.assigned_to_id == user.id)
    elif filters.assignee == "none":
        conditions.append(Submission.assigned_to_id.is_(None))
    elif positive_int(filters.assignee):
        conditions.append(Submission.assigned_to_id == positive_int(filters.assignee))
    counts = dict(db.session.execute(
        select(Submission.kind, func.count(Submission.id)).select_from(ANY_ITEM).where(*conditions)
        .group_by(Submission.kind)
    ).all())
    if filters.kind in KINDS:
        conditions.append(Submission.kind == filters.kind)
    total = counts.get(filters.kind, 0) if filters.kind in KINDS else sum(counts.values())
    pages = page_count(total, PER_PAGE)
    page = min(max(filters.page, 1), pages)
    stmt = (
        select(ANY_ITEM)
        .where(*[c for c in conditions])
        .options(joinedload(ANY_ITEM.author), joinedload(ANY_ITEM.assigned_to),
                 joinedload(ANY_ITEM.effort_area), joinedload(ANY_ITEM.suggested_effort_area))
        .order_by(Submission.created_at, Submission.id)
        .limit(PER_PAGE).offset((page - 1) * PER_PAGE)
    )
    items = list(db.session.scalars(stmt).unique())
    return QueuePage(items=items, counts={k: counts.get(k, 0) for k in KINDS}, total=total, page=page, pages=pages)


def is_old(submission: Submission) -> bool:
    return submission.created_at < utcnow() - OLD_AFTER


def waiting_summary(user: User) -> tuple[int, datetime | None]:
    """How many items wait in the user's districts, and since when the oldest has waited."""
    count, oldest = db.session.execute(
        select(func.count(Submission.id), func.min(Submission.created_at)).select_from(ANY_ITEM)
        .where(waiting(), _in_scope(user))
    ).one()
    return count or 0, oldest


# --- one item ------------------------------------------------------------------------------------


def get_item(kind: str, item_id: int) -> Submission | None:
    if kind not in KINDS:
        return None
    item = db.session.scalar(
        select(ANY_ITEM).where(Submission.id == item_id, Submission.kind == kind)
        .options(joinedload(ANY_ITEM.author), selectinload(ANY_ITEM.history), selectinload(ANY_ITEM.sub_themes))
    )
    return item


def note_reading(item: Submission, reader: User) -> bool:
    """Feedback is private text, perhaps with contact details: who read it, and when, is kept in the
    audit log. True when something was written."""
    if not isinstance(item, Feedback):
        return False
    audit.record(reader, "feedback.read", item)
    return True


def notes_for(item: Submission) -> list[InternalNote]:
    return list(db.session.scalars(
        select(InternalNote).options(joinedload(InternalNote.author))
        .where(InternalNote.submission_id == item.id).order_by(InternalNote.id)
    ))


def reports_on(item: Submission) -> list[Report]:
    return list(db.session.scalars(
        select(Report).where(Report.target_id == item.id).order_by(Report.id)
    ))


def text_for_routing(item: Submission) -> str:
    if isinstance(item, Idea):
        return f"{item.title} {item.body}"
    if isinstance(item, Feedback):
        return item.body or ""
    return getattr(item, "body", "") or ""


def moderators_of(district_id: int) -> list[User]:
    return list(db.session.scalars(
        select(User).where(
            User.blocked_at.is_(None),
            or_(User.role == Role.ADMIN,
                and_(User.role == Role.MODERATOR,
                     User.id.in_(select(moderator_districts.c.user_id).where(moderator_districts.c.district_id == district_id)))),
        )
    ))


def colleagues(districts_of: list[int] | None) -> list[User]:
    """Moderators who could take an item in these districts (all staff for an admin's view)."""
    stmt = select(User).where(User.role.in_((Role.MODERATOR, Role.ADMIN)), User.blocked_at.is_(None)).order_by(User.display_name)
    if districts_of is not None:
        stmt = stmt.where((User.role == Role.ADMIN) | User.id.in_(
            select(moderator_districts.c.user_id).where(moderator_districts.c.district_id.in_(districts_of))))
    return list(db.session.scalars(stmt))


def colleague(user_id: int | None) -> User | None:
    """The person chosen in an "assign to" list (the service checks they moderate the item)."""
    return db.session.get(User, user_id) if user_id else None


def items_with_ids(ids: list[int]) -> list[Submission]:
    return list(db.session.scalars(select(ANY_ITEM).where(ANY_ITEM.id.in_(ids))))


def get_template(template_id: int | None) -> AnswerTemplate | None:
    return db.session.get(AnswerTemplate, template_id) if template_id else None


def templates_for(area: EffortArea | None) -> list[AnswerTemplate]:
    stmt = select(AnswerTemplate).options(joinedload(AnswerTemplate.effort_area)).order_by(AnswerTemplate.title)
    if area is not None:
        stmt = stmt.where(AnswerTemplate.effort_area_id == area.id)
    return list(db.session.scalars(stmt))


# --- actions -------------------------------------------------------------------------------------


def _check(actor: User, item: Submission, seen_version: int | None) -> None:
    if not can_moderate(actor, item):
        raise Forbidden()
    if seen_version is not None and item.version != seen_version:
        # Someone else changed the item since this moderator loaded it.
        raise Conflict(_l("Someone else changed this item while you were looking at it. Here is how it is now; check it and try again."))


def _touch(item: Submission) -> None:
    item.updated_at = utcnow()


def route(item: Submission, area: EffortArea, sub_themes: list[SubTheme], actor: User, seen_version: int | None) -> StatusChange | None:
    _check(actor, item, seen_version)
    if not isinstance(item, (Idea, Feedback)):
        raise RuleBroken(_l("Only ideas and feedback are routed to an effort area."))
    if any(theme.effort_area_id != area.id for theme in sub_themes):
        raise RuleBroken(_l("Choose sub-themes of the chosen effort area."), field="sub_themes")
    before_area = item.effort_area.number if item.effort_area else None
    before_status = item.status
    item.effort_area_id = area.id
    item.effort_area = area
    item.sub_themes = list(sub_themes)
    change = None
    if item.status == Status.NEW:
        item.status = Status.ROUTED
    if before_area != area.number or before_status != item.status:
        change = StatusChange(submission_id=item.id, old_status=before_status, new_status=item.status,
                              effort_area_id=area.id, actor_id=actor.id)
        db.session.add(change)
    _touch(item)
    db.session.flush()
    audit.record(actor, "submission.route", item, ["sub_themes"],
                 {"effort_area": (before_area, area.number), "status": (before_status, item.status)})
    if change is not None and isinstance(item, Idea):
        notify_status_change(item, change)
    return change


def set_status(item: Submission, status: str, answer: str | None, actor: User, seen_version: int | None) -> StatusChange:
    _check(actor, item, seen_version)
    if status not in SETTABLE_STATUSES:
        raise RuleBroken(_l("Choose a status."), field="status")
    if not isinstance(item, (Idea, Feedback)):
        raise RuleBroken(_l("Only ideas and feedback have a status."))
    if item.effort_area_id is None:
        raise RuleBroken(_l("Route it to an effort area first."), field="status")
    answer = (answer or "").strip() or None
    if isinstance(item, Feedback) and answer:
        raise RuleBroken(_l("Feedback is never answered in public. Use an internal note, or answer the person by email."), field="answer")
    if status in ANSWER_REQUIRED and not answer:
        raise RuleBroken(_l("Explain in a public answer why this is not taken further."), field="answer")
    before, after = item.status, Status(status)
    item.status = after
    change = StatusChange(submission_id=item.id, old_status=before, new_status=after, effort_area_id=item.effort_area_id,
                          actor_id=actor.id, public_answer=answer,
                          public_answer_html=str(markdown_to_html(answer)) if answer else None)
    db.session.add(change)
    _touch(item)
    db.session.flush()
    audit.record(actor, "submission.status", item, ["public_answer"] if answer else [], {"status": (before, status)})
    if isinstance(item, Idea):
        notify_status_change(item, change)
    return change


def add_note(item: Submission, body: str, actor: User) -> InternalNote:
    _check(actor, item, None)
    note = InternalNote(submission_id=item.id, author_id=actor.id, body=body.strip())
    db.session.add(note)
    db.session.flush()
    audit.record(actor, "submission.note", item, ["internal_note"])
    return note


def assign(item: Submission, assignee: User | None, actor: User, seen_version: int | None) -> None:
    _check(actor, item, seen_version)
    if assignee is not None and not can_moderate(assignee, item):
        raise RuleBroken(_l("That person does not moderate this district."), field="assignee")
    before = item.assigned_to_id
    item.assigned_to_id = assignee.id if assignee else None
    _touch(item)
    db.session.flush()
    audit.record(actor, "submission.assign", item, [], {"assigned_to": (before, item.assigned_to_id)})


def mark_duplicate(item: Submission, original_id: int, actor: User, seen_version: int | None) -> None:
    _check(actor, item, seen_version)
    original = db.session.get(Idea, original_id)
    # The target passes the same check as opening its page: an idea this moderator cannot see (held
    # or withdrawn in another district) is answered like one that does not exist, and is never linked.
    if (not isinstance(item, Idea) or original is None or original.id == item.id
            or not can_view(original, actor)):
        raise RuleBroken(_l("Give the number of another idea."), field="original")
    before = item.duplicate_of_id
    item.duplicate_of_id = original.id
    _touch(item)
    db.session.flush()
    audit.record(actor, "submission.duplicate", item, [], {"duplicate_of": (before, original.id)})


def hide(item: Submission, reason: str, explanation: str | None, actor: User, seen_version: int | None) -> None:
    _check(actor, item, seen_version)
    if reason not in HIDE_REASONS:
        raise RuleBroken(_l("Choose a reason."), field="reason")
    if not isinstance(item, (Idea, Comment)):
        raise RuleBroken(_l("Only ideas and comments can be hidden."))
    was_hidden, before_reason = item.hidden_at is not None, item.hidden_reason
    item.hidden_at = item.hidden_at or utcnow()
    item.hidden_reason = reason
    item.hidden_by_reports = False
    _touch(item)
    db.session.flush()
    audit.record(actor, "submission.hide", item, [], {"hidden": (was_hidden, True), "hidden_reason": (before_reason, reason)})
    _tell_author_hidden(item, reason, explanation)


def restore(item: Submission, actor: User, seen_version: int | None) -> None:
    """Show hidden content again. Its open reports are settled by this decision, so they are dismissed."""
    _check(actor, item, seen_version)
    was_hidden, before = item.hidden_at is not None, item.hidden_reason
    item.hidden_at = None
    item.hidden_reason = None
    item.hidden_by_reports = False
    _touch(item)
    open_reports = db.session.scalars(select(Report).where(Report.target_id == item.id, Report.status == Status.NEW))
    for report in open_reports:
        report.status = Status.NOT_PURSUED
        db.session.add(StatusChange(submission_id=report.id, old_status=Status.NEW, new_status=report.status,
                                    actor_id=actor.id))
    db.session.flush()
    audit.record(actor, "submission.restore", item, [], {"hidden": (was_hidden, False), "hidden_reason": (before, None)})


def approve(item: Submission, actor: User, seen_version: int | None) -> None:
    """Publish content held for approval."""
    _check(actor, item, seen_version)
    was_held = item.held_at is not None
    item.held_at = None
    _touch(item)
    db.session.flush()
    audit.record(actor, "submission.approve", item, [], {"held": (was_held, False)})


def edit_text(item: Submission, title: str | None, body: str, actor: User, seen_version: int | None) -> None:
    """Remove personal data or abuse from a text; shown as "edited by a moderator"."""
    _check(actor, item, seen_version)
    if isinstance(item, Idea):
        item.title = (title or item.title).strip()
        item.body = body.strip()
        item.body_html = str(markdown_to_html(item.body))
    elif isinstance(item, Comment):
        item.body = body.strip()
        item.body_html = str(plain_text_to_html(item.body))
    elif isinstance(item, Feedback):
        item.body = body.strip() or None
    else:
        raise RuleBroken(_l("This kind of item has no text to edit."))
    item.edited_by_moderator_at = utcnow()
    _touch(item)
    db.session.flush()
    audit.record(actor, "submission.edit", item, ["title", "body"] if isinstance(item, Idea) else ["body"])


def close_report(report: Report, uphold: bool, actor: User, seen_version: int | None, reason: str | None = None) -> None:
    """Dismiss a report, or uphold it by hiding what was reported."""
    _check(actor, report, seen_version)
    before = report.status
    report.status = Status.DONE if uphold else Status.NOT_PURSUED
    _touch(report)
    db.session.add(StatusChange(submission_id=report.id, old_status=before, new_status=report.status, actor_id=actor.id))
    db.session.flush()
    audit.record(actor, "report.uphold" if uphold else "report.dismiss", report, [], {"status": (before, report.status)})
    target = report.target
    if uphold and target.hidden_at is None or uphold and target.hidden_by_reports:
        hide(target, reason or report.reason, None, actor, None)
    elif not uphold and target.hidden_by_reports:
        still_open = db.session.scalar(select(func.count(Report.id)).where(
            Report.target_id == target.id, Report.status == Status.NEW))
        if not still_open:
            restore(target, actor, None)


def close_review(review: ReviewRequest, restore_target: bool, actor: User, seen_version: int | None) -> None:
    _check(actor, review, seen_version)
    before = review.status
    review.status = Status.DONE if restore_target else Status.NOT_PURSUED
    _touch(review)
    db.session.flush()
    audit.record(actor, "review.restore" if restore_target else "review.keep_hidden", review, [],
                 {"status": (before, review.status)})
    if restore_target:
        restore(review.target, actor, None)
    author = review.author
    if author is not None and author.blocked_at is None:
        target = review.target
        idea_id = target.id if isinstance(target, Idea) else getattr(target, "idea_id", None)
        send_mail(author.email, author.locale, "review_decided", _l("A moderator has looked again at what you wrote"),
                  user=author, restored=restore_target, link=site_url("ideas.show", idea_id=idea_id) if idea_id else None)


def block_author(item: Submission, reason: str, actor: User) -> PostingBlock | None:
    """Stop the author posting in this item's district."""
    _check(actor, item, None)
    if item.author_id is None or isinstance(item, (Report, ReviewRequest, Feedback)):
        raise RuleBroken(_l("This item has no author to block."))
    block = db.session.get(PostingBlock, (item.author_id, item.district_id))
    if block is None:
        block = PostingBlock(user_id=item.author_id, district_id=item.district_id, reason=reason.strip(),
                             created_by_id=actor.id)
        db.session.add(block)
        db.session.flush()
        audit.record(actor, "user.block_in_district", item.author, [], {"district": (None, item.district.slug)})
    return block


def bulk_act(items: list[Submission], action: str, area: EffortArea | None, assignee: User | None, reason: str,
             actor: User) -> tuple[int, int]:
    """Route, assign or hide many items from the queue page; returns how many were done and how many not.
    Each does only what the queue showed was needed, so a stale page changes nothing another moderator
    has decided in the meantime."""
    if any(not can_moderate(actor, item) for item in items):
        raise Forbidden()
    done = 0
    for item in items:
        try:
            done += _bulk_one(item, action, area, assignee, reason, actor)
        except RuleBroken:
            pass
    return done, len(items) - done


def _bulk_one(item: Submission, action: str, area: EffortArea | None, assignee: User | None, reason: str,
              actor: User) -> bool:
    if action == "route":
        if area is None or item.effort_area_id is not None:
            return False
        route(item, area, [], actor, None)
    elif action == "assign":
        assign(item, assignee, actor, None)
    else:
        if item.hidden_at is not None:
            return False
        hide(item, reason, None, actor, None)
    return True


def is_blocked_in(user: User, district_id: int) -> bool:
    return db.session.get(PostingBlock, (user.id, district_id)) is not None


def answer_feedback_by_mail(feedback: Feedback, message: str, actor: User) -> None:
    _check(actor, feedback, None)
    if not (feedback.contact_consent and feedback.contact_email):
        raise RuleBroken(_l("This person did not leave an email address they may be contacted at."))
    send_mail(feedback.contact_email, feedback.locale or "nb", "feedback_answer", _l("An answer to your feedback on Medvirk"),
              feedback=feedback, message=message.strip(), status_url=site_url("feedback.status", code=feedback.receipt_code))
    audit.record(actor, "feedback.answer_by_mail", feedback, ["mail"])


# --- telling the author of hidden content -------------------------------------------------------


def _tell_author_hidden(item: Submission, reason: str, explanation: str | None) -> None:
    author = item.author
    if author is None or author.blocked_at is not None:
        return

    endpoint = "ideas.request_review" if isinstance(item, Idea) else "ideas.request_comment_review"
    link = site_url(endpoint, **({"idea_id": item.id} if isinstance(item, Idea) else {"comment_id": item.id}))
    send_mail(author.email, author.locale, "content_hidden", _l("A moderator has hidden something you wrote"),
              user=author, reason=HIDDEN_REASON_LABELS.get(reason, HIDDEN_REASON_LABELS["other"]),
              explanation=(explanation or "").strip(), review_url=link)


# --- answer templates and the digest ----------------------------------------------------------------


def save_template(template: AnswerTemplate | None, area: EffortArea, title: str, bodies: dict[str, str],
                  actor: User) -> AnswerTemplate:
    """Create a template, or change one in place."""
    creating = template is None
    if template is None:
        template = AnswerTemplate()
        db.session.add(template)
    values = {"effort_area_id": area.id, "title": title.strip(),
              **{f"body_{locale}": bodies[locale].strip() for locale in ("nb", "nn", "en")}}
    changed = [name for name, value in values.items() if getattr(template, name) != value]
    for name, value in values.items():
        setattr(template, name, value)
    db.session.flush()
    audit.record(actor, "answer_template.create" if creating else "answer_template.update", template,
                 ["title", "body"] if creating else changed)
    return template


def delete_template(template: AnswerTemplate, actor: User) -> None:
    audit.record(actor, "answer_template.delete", template, ["title", "body"])
    db.session.delete(template)
    db.session.flush()


def send_digests() -> int:
    """Mail each moderator how much waits in their districts and for how long (from cron)."""
    sent = 0
    now = utcnow()
    staff = db.session.scalars(
        select(User).options(selectinload(User.districts))
        .where(User.role.in_((Role.MODERATOR, Role.ADMIN)), User.blocked_at.is_(None), User.mail_moderation_digest.is_(True))
    ).all()
    for user in staff:
        count, oldest = waiting_summary(user)
        if not count or oldest is None:   # items wait, so the oldest has a time
            continue
        send_mail(user.email, user.locale, "moderation_digest", _l("What waits for you on Medvirk"),
                  unsubscribe_url=unsubscribe_url(user, "moderation_digest"),
                  user=user, count=count, days=(now - oldest).days, link=site_url("moderation.index"))
        sent += 1
    return sent
