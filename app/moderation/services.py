"""The triage pipeline's rules: what waits, who may act on it, and every action. Functions flush; views commit.

Every action checks the moderator's districts, compares the version the
moderator saw (two moderators acting at once: the second is told, nothing is
overwritten), writes an audit entry, and tells the people concerned.
"""
from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from sqlalchemy import ColumnElement, and_, case, false, func, literal, not_, or_, select, text, true, tuple_
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
from app.feedback.services import normalise_code
from app.ideas.models import Comment, Idea
from app.ideas.services import can_view, notify_status_change
from app.moderation.kinds import KINDS as QUEUE_KINDS
from app.moderation.models import AnswerTemplate, InternalNote, PostingBlock
from app.photos import review as photo_review
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


def _waiting_in_scope(user: User):
    """The user's districts, for statements that read the queue's index (see ``_unindexed``)."""
    ids = district_ids(user)
    return _unindexed(Submission.district_id).in_(ids) if ids is not None else true()


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


@dataclass(frozen=True)
class QueueKey:
    """Where an item stands in the queue's order: urgent first, then by date, then by id (the tie-breaker).
    A page is asked for as "after" or "before" a key, never by an OFFSET, so a deep page reads no more
    rows than the first. In a URL it is ``<0|1>.<microseconds since 1970>.<id>``."""

    urgent: bool
    created_at: datetime
    id: int

    @classmethod
    def of(cls, item: Submission) -> QueueKey:
        return cls(bool(item.urgent), item.created_at, item.id)

    def __str__(self) -> str:
        micros = (self.created_at - EPOCH) // timedelta(microseconds=1)
        return f"{int(self.urgent)}.{micros}.{self.id}"

    @classmethod
    def parse(cls, text: str | None) -> QueueKey | None:
        """A key from a URL, or None for anything odd (a hand-edited link shows the first page)."""
        parts = (text or "").split(".")
        if len(parts) != 3 or parts[0] not in ("0", "1") or not parts[1].isascii() or not parts[1].isdigit():
            return None
        item_id = positive_int(parts[2])
        micros = int(parts[1])
        if item_id is None or micros > MAX_MICROS:
            return None
        return cls(parts[0] == "1", EPOCH + timedelta(microseconds=micros), item_id)


EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)
MAX_MICROS = (datetime(9999, 1, 1, tzinfo=timezone.utc) - EPOCH) // timedelta(microseconds=1)
SORTS = ("oldest", "newest")
SEARCH_MAX = 100


@dataclass
class QueueFilters:
    kind: str | None = None
    district: District | None = None
    area: EffortArea | None = None
    status: str | None = None
    old_only: bool = False
    assignee: str | None = None    # "me", "none" or a user id as text
    search: str | None = None      # words of the text, a receipt code or an item number
    newest: bool = False           # newest first instead of oldest first (urgent items first either way)
    after: QueueKey | None = None  # the page after this item ...
    before: QueueKey | None = None  # ... or the page before it (after wins when both are given)
    near: tuple[float, float] | None = None  # (lat, lon): only items placed within about NEAR_METRES of it


# "What waits near here" (from an item's map): a box about this far each way from the point, which any
# database answers from the two columns without geometry functions.
NEAR_METRES = 300


def _near(lat: float, lon: float):
    dlat = NEAR_METRES / 111_320
    dlon = dlat / max(math.cos(math.radians(lat)), 0.01)
    return and_(Submission.location_lat.between(lat - dlat, lat + dlat),
                Submission.location_lon.between(lon - dlon, lon + dlon))


@dataclass
class QueuePage:
    items: list[Submission]
    counts: dict[str, int]
    total: int
    page: int
    pages: int
    next_key: QueueKey | None = None
    previous_key: QueueKey | None = None


ANY_ITEM = with_polymorphic(Submission, [kind.model for kind in QUEUE_KINDS.values()])
# What the queue's counts join, besides a search's texts: only the tables a kind's rule of waiting reads
# (each join is a lookup for every item that waits).
WAITING_TABLES = with_polymorphic(Submission, [Idea, Report, photo_review.PhotoReview])

# Written out as in the index ``ix_submissions_queue`` so that SQLite, which matches a partial index's
# condition by its terms, reads the queue from that index: the queue and a search over it read the
# items that may wait, never the whole history of submissions.
_IN_QUEUE_INDEX = text("submissions.withdrawn_at IS NULL AND (submissions.held_at IS NOT NULL OR "
                       "(submissions.status = 'new' AND submissions.kind <> 'comment'))")


def _unindexed(column):
    """``column`` as an expression no index is read by (its value unchanged, NULL included).

    The queue's filters (district, kind, status, assignee, age...) are written with it, so the only index
    a database can read the queue by is its own (``ix_submissions_queue``, ``ix_submissions_queue_oldest``):
    without statistics SQLite would otherwise read, say, every submission of a district through
    ``ix_submissions_district_id`` and sort them, a cost that grows with the years. Read by the queue's
    index, a page and its counts cost what waits, whatever the history behind it."""
    return func.coalesce(column, column)

# The texts a search reads, one column per kind that has one.
_SEARCHED = (Idea.title, Idea.body, Feedback.body, Comment.body, Report.details, ReviewRequest.message)


def _like_escaped(word: str) -> str:
    return word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def search_condition(search: str):
    """Every word in one of the texts; or the receipt code of a feedback, however it was typed (any case,
    spaces or dashes); or the item's number ("123" or "#123")."""
    words = search.split()[:8]
    found = [and_(*[or_(*[column.ilike(f"%{_like_escaped(word)}%", escape="\\") for column in _SEARCHED])
                    for word in words])]
    return or_(*found, *_exact_matches(search))


def _exact_matches(search: str) -> list:
    """The receipt code (any case, spaces or dashes) and the item number ("123" or "#123") a search names."""
    found = []
    code = normalise_code(search)
    if code:
        found.append(Feedback.receipt_code == code)
    number = positive_int(search.strip().lstrip("#").strip())
    if number:
        found.append(Submission.id == number)
    return found


def handled_matches(user: User, search: str) -> list[Submission]:
    """Items outside the queue that a receipt code or an item number names: a resident who calls about
    feedback that was answered last month must be found too. Only exact codes and numbers (an index each);
    words are searched in the queue alone, since reading every text ever sent would grow with the years."""
    found = _exact_matches(search)
    if not found:
        return []
    return list(db.session.scalars(
        select(ANY_ITEM).where(or_(*found), _in_scope(user), not_(waiting()))
        .options(joinedload(ANY_ITEM.effort_area)).order_by(Submission.id).limit(5)
    ).unique())


def _date_order(newest: bool, later: bool, key: QueueKey):
    """Rows of the same urgency that come after (``later``) or before ``key`` in the chosen order. Written as
    one row-value comparison, so both databases read it as a range of the queue's index, not a filter."""
    forward = later != newest      # "later" in oldest-first order is a larger date
    rows, anchor = tuple_(Submission.created_at, Submission.id), (key.created_at, key.id)
    return rows > anchor if forward else rows < anchor


def _comes_after(key: QueueKey, newest: bool):
    same = _date_order(newest, True, key)
    if key.urgent:
        return or_(Submission.urgent.is_(False), and_(Submission.urgent.is_(True), same))
    return and_(Submission.urgent.is_(False), same)


def _comes_before(key: QueueKey, newest: bool):
    same = _date_order(newest, False, key)
    if key.urgent:
        return and_(Submission.urgent.is_(True), same)
    return or_(Submission.urgent.is_(True), and_(Submission.urgent.is_(False), same))


def _order(newest: bool, backwards: bool) -> list:
    date_desc = newest != backwards
    return [Submission.urgent.asc() if backwards else Submission.urgent.desc(),
            *((Submission.created_at.desc(), Submission.id.desc()) if date_desc
              else (Submission.created_at.asc(), Submission.id.asc()))]


def queue(user: User, filters: QueueFilters) -> QueuePage:
    """Urgent first, then oldest (or newest) first, 25 a page; counts per kind for the tabs.

    Two queries whatever the size or the page: the counts (which also count the items before the page, for
    its number), and the page itself, read after or before the key of an item (keyset), never with OFFSET.
    Both read the queue's index only (``_unindexed``): the items that wait, never the history behind them.
    The tab counts and "page N of M" are counted there at each request rather than kept, since what waits
    is a set the moderators keep emptying: its size follows their backlog, not the years of submissions."""
    conditions = [_IN_QUEUE_INDEX, waiting(), _waiting_in_scope(user)]
    if filters.district is not None:
        conditions.append(_unindexed(Submission.district_id) == filters.district.id)
    if filters.area is not None:
        conditions.append(or_(_unindexed(Submission.effort_area_id) == filters.area.id,
                              _unindexed(Submission.suggested_effort_area_id) == filters.area.id))
    if filters.status in {s.value for s in Status}:
        conditions.append(_unindexed(Submission.status) == filters.status)
    if filters.old_only:
        conditions.append(_unindexed(Submission.created_at) < utcnow() - OLD_AFTER)
    if filters.assignee == "me":
        conditions.append(_unindexed(Submission.assigned_to_id) == user.id)
    elif filters.assignee == "none":
        conditions.append(Submission.assigned_to_id.is_(None))
    elif positive_int(filters.assignee):
        conditions.append(_unindexed(Submission.assigned_to_id) == positive_int(filters.assignee))
    if filters.search:
        conditions.append(search_condition(filters.search))
    if filters.near is not None:
        conditions.append(_near(*filters.near))
    chosen = _unindexed(Submission.kind) == filters.kind if filters.kind in KINDS else true()
    kind = _unindexed(Submission.kind)
    anchor, backwards = (filters.after, False) if filters.after else (filters.before, True) if filters.before else (None, False)
    ahead: ColumnElement[int]
    if anchor is None:
        ahead = literal(0)
    else:
        # Items ahead of the page: up to and including the anchor going forwards; before it going back.
        ahead_of_page = not_(_comes_after(anchor, filters.newest)) if not backwards else _comes_before(anchor, filters.newest)
        ahead = func.sum(case((and_(chosen, ahead_of_page), 1), else_=0))
    rows = db.session.execute(
        select(kind, func.count(Submission.id), ahead).select_from(ANY_ITEM if filters.search else WAITING_TABLES).where(*conditions)
        .group_by(kind)
    ).all()
    counts = {kind: count for kind, count, _ahead in rows}
    before_page = sum(int(n or 0) for _kind, _count, n in rows)
    if backwards and before_page <= PER_PAGE:
        anchor, backwards, before_page = None, False, 0    # what is left before it is the first page
    conditions.append(chosen)
    total = counts.get(filters.kind, 0) if filters.kind in KINDS else sum(counts.values())
    stmt = (
        select(ANY_ITEM)
        .where(*conditions)
        .options(joinedload(ANY_ITEM.author), joinedload(ANY_ITEM.assigned_to),
                 joinedload(ANY_ITEM.effort_area), joinedload(ANY_ITEM.suggested_effort_area))
        .order_by(*_order(filters.newest, backwards))
        .limit(PER_PAGE + 1)     # one more tells whether there is a further page
    )
    if anchor is not None:
        stmt = stmt.where(_comes_before(anchor, filters.newest) if backwards else _comes_after(anchor, filters.newest))
    items = list(db.session.scalars(stmt).unique())
    more = len(items) > PER_PAGE
    items = items[:PER_PAGE]
    if backwards:
        items.reverse()
        first_shown = before_page - len(items)
        has_next, has_previous = True, more
    else:
        first_shown = before_page
        has_next, has_previous = more, anchor is not None
    return QueuePage(items=items, counts={k: counts.get(k, 0) for k in KINDS}, total=total,
                     page=first_shown // PER_PAGE + 1 if items else 1, pages=page_count(total, PER_PAGE),
                     next_key=QueueKey.of(items[-1]) if has_next and items else None,
                     previous_key=QueueKey.of(items[0]) if has_previous and items else None)


def is_old(submission: Submission) -> bool:
    return submission.created_at < utcnow() - OLD_AFTER


def waiting_summary(user: User) -> tuple[int, datetime | None]:
    """How many items wait in the user's districts, and since when the oldest has waited."""
    count, oldest = db.session.execute(
        select(func.count(Submission.id), func.min(Submission.created_at)).select_from(ANY_ITEM)
        .where(_IN_QUEUE_INDEX, waiting(), _waiting_in_scope(user))
    ).one()
    return count or 0, oldest


DIGEST_URGENT_MAX = 10


def urgent_waiting(user: User, limit: int = DIGEST_URGENT_MAX) -> list[Submission]:
    """The urgent items waiting in the user's districts, oldest first, for the top of the digest."""
    return list(db.session.scalars(
        select(ANY_ITEM).where(_IN_QUEUE_INDEX, waiting(), _waiting_in_scope(user), Submission.urgent.is_(True))
        .order_by(Submission.created_at, Submission.id).limit(limit)
    ))


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
    if isinstance(item, photo_review.PhotoReview):
        about = Report.photo_id == item.photo_id if item.photo_id is not None else false()
    else:
        about = Report.target_id == item.id
    return list(db.session.scalars(select(Report).where(about).order_by(Report.id)))


def text_for_routing(item: Submission) -> str:
    if isinstance(item, Idea):
        return f"{item.title} {item.body}"
    if isinstance(item, Feedback):
        return item.body or ""
    return getattr(item, "body", "") or ""


def text_for_urgency(item: Submission) -> str:
    """What a resident wrote, whatever the kind, to look for urgent words in."""
    return text_for_routing(item) or getattr(item, "details", None) or getattr(item, "message", None) or ""


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


ANSWER_LANGUAGES = ("nb", "nn", "en")


def _answer_texts(answer: str | Mapping[str, str | None] | None) -> dict[str, str | None]:
    """The answer per language, blank as None; a plain string is the Bokmål text."""
    given = {"nb": answer} if answer is None or isinstance(answer, str) else answer
    return {lang: (given.get(lang) or "").strip() or None for lang in ANSWER_LANGUAGES}


def set_status(item: Submission, status: str, answer: str | Mapping[str, str | None] | None, actor: User,
               seen_version: int | None) -> StatusChange:
    """``answer``: the public answer, a text per language (``{"nb": …, "nn": …, "en": …}``) or one
    Bokmål string. Bokmål is required whenever anything is answered: it is what a reader whose
    language is missing gets."""
    _check(actor, item, seen_version)
    if status not in SETTABLE_STATUSES:
        raise RuleBroken(_l("Choose a status."), field="status")
    if not isinstance(item, (Idea, Feedback)):
        raise RuleBroken(_l("Only ideas and feedback have a status."))
    if item.effort_area_id is None:
        raise RuleBroken(_l("Route it to an effort area first."), field="status")
    texts = _answer_texts(answer)
    answered = any(texts.values())
    if isinstance(item, Feedback) and answered:
        raise RuleBroken(_l("Feedback is never answered in public. Use an internal note, or answer the person by email."), field="answer")
    if status in ANSWER_REQUIRED and not answered:
        raise RuleBroken(_l("Explain in a public answer why this is not taken further."), field="answer")
    if answered and not texts["nb"]:
        raise RuleBroken(_l("Write the answer in Bokmål too. Readers whose language has no text are shown the Bokmål one."),
                         field="answer")
    before, after = item.status, Status(status)
    item.status = after

    def html(lang: str) -> str | None:
        return str(markdown_to_html(texts[lang])) if texts[lang] else None

    change = StatusChange(submission_id=item.id, old_status=before, new_status=after, effort_area_id=item.effort_area_id,
                          actor_id=actor.id, public_answer=texts["nb"], public_answer_html=html("nb"),
                          public_answer_nn=texts["nn"], public_answer_nn_html=html("nn"),
                          public_answer_en=texts["en"], public_answer_en_html=html("en"))
    db.session.add(change)
    _touch(item)
    db.session.flush()
    audit.record(actor, "submission.status", item, ["public_answer"] if answered else [], {"status": (before, status)})
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


def set_urgent(item: Submission, urgent: bool, actor: User, seen_version: int | None) -> None:
    """Mark an item urgent, or no longer urgent: a moderator's call only, never made by the words alone."""
    _check(actor, item, seen_version)
    before = bool(item.urgent)
    if before == urgent:
        return
    item.urgent = urgent
    _touch(item)
    db.session.flush()
    audit.record(actor, "submission.urgent" if urgent else "submission.not_urgent", item, [], {"urgent": (before, urgent)})


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
    if target is None:      # a report on a photo
        _close_photo_report(report, uphold, reason)
        return
    if uphold and target.hidden_at is None or uphold and target.hidden_by_reports:
        hide(target, reason or report.reason, None, actor, None)
    elif not uphold and target.hidden_by_reports:
        still_open = db.session.scalar(select(func.count(Report.id)).where(
            Report.target_id == target.id, Report.status == Status.NEW))
        if not still_open:
            restore(target, actor, None)


def _close_photo_report(report: Report, uphold: bool, reason: str | None) -> None:
    """Upholding hides the photo for good (its uploader and the moderators still see it); dismissing the
    last open report on a photo that reports hid shows it again."""
    photo = report.photo
    if photo is None:       # deleted since it was reported
        return
    if uphold and (photo.hidden_at is None or photo.hidden_by_reports):
        photo_review.show_again(photo)
        photo_review.hide(photo, reason or report.reason)
    elif not uphold and photo.hidden_by_reports:
        still_open = db.session.scalar(select(func.count(Report.id)).where(
            Report.photo_id == photo.id, Report.status == Status.NEW))
        if not still_open:
            photo_review.show_again(photo)


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
        # Urgent items are named first, by kind and number only: feedback is private text, and reading it
        # is logged, so its words stay on the item page rather than in a mailbox.
        urgent = [(QUEUE_KINDS[item.kind].label, item.id, site_url("moderation.item", kind=item.kind, item_id=item.id))
                  for item in urgent_waiting(user)]
        send_mail(user.email, user.locale, "moderation_digest",
                  _l("Urgent items wait for you on Medvirk") if urgent else _l("What waits for you on Medvirk"),
                  unsubscribe_url=unsubscribe_url(user, "moderation_digest"),
                  user=user, count=count, days=(now - oldest).days, link=site_url("moderation.index"), urgent=urgent)
        sent += 1
    return sent
