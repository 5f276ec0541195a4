"""Rules for ideas, comments, supports and reports. Functions flush; the view commits."""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta

from flask import has_request_context
from sqlalchemy import (
    ColumnElement,
    and_,
    delete,
    exists,
    func,
    insert,
    literal,
    select,
    tuple_,
    union_all,
    update,
)
from sqlalchemy.orm import joinedload, selectinload

from app.accounts.models import User
from app.accounts.services import unsubscribe_url
from app.core import audit, settings, throttle
from app.core.db import oslo_month, rows_changed, utcnow
from app.core.i18n import current_locale, format_when
from app.core.i18n import lazy_gettext as _l
from app.core.mail import send_mail
from app.core.params import MAX_INT, MAX_MICROS, micros_of, moment_of, page_count, positive_int, whole_numbers
from app.core.rules import Forbidden, RuleBroken
from app.core.sanitize import markdown_to_html, plain_text_to_html
from app.core.urls import site_url
from app.districts.models import District, EffortArea
from app.districts.services import refuse_if_retired
from app.extensions import db
from app.ideas import search, tallies
from app.ideas.models import Comment, CommentRevision, Idea, IdeaTally, Support, shown_to_everyone
from app.moderation.models import PostingBlock
from app.photos.models import Photo
from app.places.location import NOWHERE, Location
from app.submissions.models import Kind, Report, Status, StatusChange, Submission
from app.submissions.visibility import is_publicly_visible, is_shown_in_thread, publicly_visible, shown_in_thread
from app.translation.detect import language_of

PER_PAGE = 20
ACTIVITY_LIMIT = 50  # most recent items of each kind on /account/
SORTS = ("newest", "supported")


class IdeaError(RuleBroken):
    pass


# --- reading ------------------------------------------------------------------------------


def _comment_count():
    return (
        select(func.count(Comment.id))
        .where(Comment.idea_id == Idea.id, publicly_visible(Comment))
        .correlate(Idea)
        .scalar_subquery()
    )


def _listing(stmt):
    return stmt.options(joinedload(Idea.author), joinedload(Idea.effort_area))


def _with_card_photo(stmt):
    """``stmt`` (selecting ideas) with each idea's first photo that everyone may see, or None: the card's
    thumbnail, in the same query as the cards."""
    first = (select(Photo.id).where(Photo.submission_id == Idea.id, shown_to_everyone())
             .order_by(Photo.position, Photo.id).limit(1).correlate(Idea).scalar_subquery())
    return stmt.add_columns(Photo).outerjoin(Photo, Photo.id == first)


@dataclass(frozen=True)
class ListKey:
    """Where an idea stands in the list's order, so a page is asked for as the one after (or before) an idea,
    never by an OFFSET: a deep page reads no more rows than the first. ``value`` is its date in microseconds
    (newest first) or its number of supporters (most supported first); its id breaks ties. In a URL
    ``<value>.<id>``."""

    value: int
    id: int

    @classmethod
    def of(cls, idea: Idea, sort: str) -> ListKey:
        return cls(idea.support_count if sort == "supported" else micros_of(idea.created_at), idea.id)

    def __str__(self) -> str:
        return f"{self.value}.{self.id}"

    @classmethod
    def parse(cls, text: str | None) -> ListKey | None:
        """A key from a URL, or None for anything odd (a hand-edited link shows the first page)."""
        numbers = whole_numbers(text, 2)
        if numbers is None or positive_int(str(numbers[1])) is None or numbers[0] > MAX_MICROS:
            return None
        return cls(numbers[0], numbers[1])

    def comes_after(self, sort: str, backwards: bool = False):
        """The ideas after this one in the list's order (before it, ``backwards``): one row-value comparison,
        which both databases read as a range of the order's index."""
        anchor: tuple
        if sort == "supported":
            # A count no INTEGER holds (a hand-made link) stands after every idea: PostgreSQL refuses to compare.
            rows, anchor = tuple_(Idea.support_count, Idea.id), (
                (self.value, self.id) if self.value <= MAX_INT else (MAX_INT, MAX_INT))
        else:
            rows, anchor = tuple_(Submission.created_at, Submission.id), (moment_of(self.value), self.id)
        return rows > anchor if backwards else rows < anchor


SEARCH_COUNT_LIMIT = 1000   # a search counts its matches up to here, then says "more than"


@dataclass
class IdeaPage:
    items: list[tuple[Idea, int]]   # (idea, number of visible comments)
    total: int
    page: int
    per_page: int
    next_key: ListKey | None = None
    previous_key: ListKey | None = None
    more_than: bool = False          # a search found more than ``total`` (SEARCH_COUNT_LIMIT)

    @property
    def pages(self) -> int:
        return page_count(self.total, self.per_page)


def shown_ideas() -> list:
    """``publicly_visible(Idea)`` written so that the indexes of shown ideas (``ix_submissions_shown_ideas_*``)
    serve it: their predicate (``tallies.SHOWN``) term for term, and the author's block."""
    return [Submission.kind == Kind.IDEA.value, publicly_visible(Idea)]


def _order(sort: str, backwards: bool = False) -> list:
    columns = (Idea.support_count, Idea.id) if sort == "supported" else (Submission.created_at, Submission.id)
    return [column.asc() if backwards else column.desc() for column in columns]


def list_ideas(district: District | None = None, area: EffortArea | None = None, status: str | None = None,
               q: str | None = None, sort: str = "newest", page: int = 1, per_page: int = PER_PAGE,
               with_total: bool = True, located: bool = False, photos: bool = False,
               after: ListKey | None = None, before: ListKey | None = None) -> IdeaPage:
    """Publicly visible ideas, filtered and sorted: two queries whatever the data size (one without the total).

    A page is the one ``after`` (or ``before``) an idea's key, read from the top of an index; the total comes
    from the kept tallies. A search looks at its newest ``SEARCH_COUNT_LIMIT`` matches (and says when there
    are more). ``page`` numbers (the API's) still work, skipping rows by OFFSET. ``located``: only those with
    a place, for a map. With ``photos``, each idea's ``card_photo`` is set (its thumbnail on a card) in the
    same queries."""
    sort = sort if sort in SORTS else "newest"
    matches = search.matching_ideas(db.engine.dialect.name, q, newest=SEARCH_COUNT_LIMIT + 1)
    # A search starts from its matches (at most SEARCH_COUNT_LIMIT + 1 of them), never from an index of every
    # shown idea: the kind is compared as an expression no index serves.
    conditions = shown_ideas() if matches is None else [Submission.kind.concat("") == Kind.IDEA.value,
                                                         publicly_visible(Idea)]
    if located:
        conditions += [Idea.location_lat.is_not(None), Idea.location_lon.is_not(None)]
    if district is not None:
        conditions.append(Idea.district_id == district.id)
    if area is not None:
        conditions.append(Idea.effort_area_id == area.id)
    if status not in Status.__members__.values():
        status = None
    if status is not None:
        conditions.append(Idea.status == status)
    if matches is not None:
        conditions.append(Idea.id.in_(select(matches.c.id)))
    more_than = False
    if not with_total:
        total = 0
    elif matches is None:
        total = tallies.total(district.id if district else None, area.id if area else None, status, located)
    else:
        total = db.session.scalar(select(func.count(Idea.id)).where(*conditions)) or 0
        more_than, total = total > SEARCH_COUNT_LIMIT, min(total, SEARCH_COUNT_LIMIT)
    anchor, backwards = (after, False) if after else (before, True) if before else (None, False)
    page = max(page, 1)

    def read(anchor: ListKey | None, backwards: bool) -> list[tuple[Idea, int]]:
        order = _order(sort, backwards)
        if sort == "supported" and matches is None:
            # Read down the supporters' index of ideas, each idea's row checked as it comes: from ideas
            # alone, so no database starts from an index of the filters and sorts every match instead.
            # (A search starts from its matches, at most SEARCH_COUNT_LIMIT of them.)
            ideas = Idea.__table__
            shown = (select(literal(1)).select_from(Submission.__table__)
                     .where(Submission.__table__.c.id == ideas.c.id, *conditions).correlate(ideas))
            chosen = select(ideas.c.id).where(exists(shown))
            if anchor is not None:
                chosen = chosen.where(anchor.comes_after(sort, backwards))
            chosen = chosen.order_by(*order).limit(per_page + 1)
            if anchor is None and page > 1:
                chosen = chosen.offset((page - 1) * per_page)
            stmt = _listing(select(Idea, _comment_count()).where(Idea.id.in_(chosen)))
        else:
            stmt = _listing(select(Idea, _comment_count()).where(*conditions))
            if anchor is not None:
                stmt = stmt.where(anchor.comes_after(sort, backwards))
            stmt = stmt.limit(per_page + 1)
            if anchor is None and page > 1:
                stmt = stmt.offset((page - 1) * per_page)
        if photos:
            stmt = _with_card_photo(stmt)
        rows = []
        for idea, count, *card_photo in db.session.execute(stmt.order_by(*order)).unique():
            if photos:
                idea.card_photo = card_photo[0]
            rows.append((idea, count))
        return rows

    items = read(anchor, backwards)
    more = len(items) > per_page
    items = items[:per_page]
    if backwards and not more:
        # Nothing before these: the first page, full.
        anchor, backwards = None, False
        items = read(None, False)
        more = len(items) > per_page
        items = items[:per_page]
    if backwards:
        items.reverse()
        has_next, has_previous = True, more
    else:
        has_next, has_previous = more, anchor is not None or page > 1
    return IdeaPage(items=items, total=total, page=page, per_page=per_page, more_than=more_than,
                    next_key=ListKey.of(items[-1][0], sort) if has_next and items else None,
                    previous_key=ListKey.of(items[0][0], sort) if has_previous and items else None)


def latest_ideas(district: District | None = None, area: EffortArea | None = None, limit: int = 5,
                 located: bool = False) -> list[tuple[Idea, int]]:
    return list_ideas(district=district, area=area, per_page=limit, with_total=False, located=located,
                      photos=True).items


def similar_ideas(district_id: int, title: str, body: str = "", exclude_id: int | None = None, limit: int = 5) -> list[Idea]:
    """Visible ideas in the same district that share words with a draft."""
    matches = search.matching_ideas(db.engine.dialect.name, f"{title} {body[:300]}", any_word=True)
    if matches is None:
        return []
    stmt = (
        select(Idea)
        .join(matches, matches.c.id == Idea.id)
        .where(publicly_visible(Idea), Idea.district_id == district_id)
        .order_by(matches.c.rank, Idea.support_count.desc())
        .limit(limit)
    )
    if exclude_id is not None:
        stmt = stmt.where(Idea.id != exclude_id)
    return list(db.session.scalars(stmt))


YOU_SAID_LIMIT = 60
YOU_SAID_PER_STATUS = 3   # on a district page: a taste of each status, the rest one link away
OUTCOME_ORDER = ("done", "answered", "in_progress", "routed", "not_pursued")


@dataclass
class Outcomes:
    """The ideas shown under one status, newest first, and how many there are in all."""
    items: list[tuple[Idea, tuple[str, str] | None]]
    total: int


def you_said_we_did(area: EffortArea | None = None, district: District | None = None,
                    limit: int = YOU_SAID_LIMIT, per_status: int | None = None) -> dict[str, Outcomes]:
    """Routed ideas grouped by status, each with its latest public answer as (HTML, language): in the
    reader's language when it was written in it, else in Bokmål. At most ``per_status`` under each
    status, with the true number per status beside them (from the kept tallies). One query, however many
    ideas: each status's latest few are read from the top of an index."""
    locale = current_locale()
    own_column = {"nn": StatusChange.public_answer_nn_html, "en": StatusChange.public_answer_en_html}.get(locale)

    def latest(column):
        return (
            select(column)
            .where(StatusChange.submission_id == Idea.id, StatusChange.public_answer_html.is_not(None))
            .order_by(StatusChange.id.desc()).limit(1).correlate(Idea).scalar_subquery()
        )

    conditions = [*shown_ideas(), Idea.effort_area_id.is_not(None)]
    if area is not None:
        conditions.append(Idea.effort_area_id == area.id)
    if district is not None:
        conditions.append(Idea.district_id == district.id)
    news = (Submission.updated_at.desc(), Submission.id.desc())
    chosen: ColumnElement[bool]
    if per_status is None:
        chosen = and_(*conditions)
    else:
        # The latest few of each status, each read from the top of an index: no status costs more than another.
        firsts = [select(Idea.id).where(*conditions, Idea.status == status).order_by(*news).limit(per_status)
                  .subquery() for status in OUTCOME_ORDER]
        chosen = Idea.id.in_(union_all(*(select(first.c.id) for first in firsts)))
    counted = (select(func.coalesce(func.sum(IdeaTally.ideas), 0))
               .where(IdeaTally.status == Idea.status,
                      *tallies.conditions(district.id if district else None, area.id if area else None, routed=True))
               .correlate(Idea).scalar_subquery())
    own = latest(own_column) if own_column is not None else literal(None)
    stmt = select(Idea, latest(StatusChange.public_answer_html), own, counted).where(chosen)
    rows = db.session.execute(
        stmt.options(joinedload(Idea.effort_area)).order_by(*news).limit(limit)
    ).unique().all()
    grouped: dict[str, Outcomes] = {status: Outcomes([], 0) for status in OUTCOME_ORDER}
    for idea, bokmal, in_own_language, total in rows:
        answer = (in_own_language, locale) if in_own_language else (bokmal, "nb") if bokmal else None
        group = grouped.setdefault(idea.status, Outcomes([], 0))
        group.items.append((idea, answer))
        group.total = max(int(total or 0), len(group.items))
    return {status: group for status, group in grouped.items() if group.items}


def get_idea(idea_id: int) -> Idea | None:
    return db.session.scalar(
        select(Idea)
        .options(
            joinedload(Idea.author), joinedload(Idea.effort_area),
            selectinload(Idea.history).joinedload(StatusChange.effort_area),
        )
        .where(Idea.id == idea_id)
    )


def idea_for_page(idea_id: int) -> Idea | None:
    """The idea and its author (whether they are blocked) alone: its history, district and topic are read only
    when its article is built, which for most readers comes from the cache."""
    return db.session.scalar(select(Idea).options(joinedload(Idea.author)).where(Idea.id == idea_id))


def public_comment_count(idea: Idea) -> int:
    """The publicly visible comments on one idea, counted as ``list_ideas`` counts them."""
    return db.session.scalar(select(_comment_count()).where(Idea.id == idea.id)) or 0


COMMENTS_PER_PAGE = 20  # full-length comments stay under 50 KB a page


@dataclass
class Thread:
    comments: list[Comment]
    page: int
    pages: int
    total: int


def thread(idea: Idea, page: int | None = None, per_page: int = COMMENTS_PER_PAGE) -> Thread:
    """Comments in the order written, a page at a time (the newest page unless asked);
    hidden ones stay as placeholders. Two queries whatever the number of comments."""
    condition = (Comment.idea_id == idea.id) & shown_in_thread(Comment)
    total = db.session.scalar(select(func.count(Comment.id)).where(condition)) or 0
    pages = page_count(total, per_page)
    page = pages if page is None else min(max(page, 1), pages)
    comments = db.session.scalars(
        select(Comment).options(joinedload(Comment.author)).where(condition)
        .order_by(Comment.created_at, Comment.id).limit(per_page).offset((page - 1) * per_page)
    ).all()
    return Thread(list(comments), page, pages, total)


def comment_page(comment: Comment, per_page: int = COMMENTS_PER_PAGE) -> int | None:
    """The page of its idea's thread that shows ``comment`` (as ``thread`` pages it); None when the
    thread does not show it at all."""
    if not is_shown_in_thread(comment):
        return None
    before = db.session.scalar(select(func.count(Comment.id)).where(
        Comment.idea_id == comment.idea_id, shown_in_thread(Comment),
        (Comment.created_at < comment.created_at) | ((Comment.created_at == comment.created_at) & (Comment.id < comment.id)),
    )) or 0
    return before // per_page + 1


def has_supported(idea: Idea, user) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    return db.session.get(Support, (idea.id, user.id)) is not None


def can_view(idea: Idea, user) -> bool:
    """Everyone sees a visible idea (hidden ones as a placeholder); held and withdrawn ones only
    their author and the moderators of its district."""
    if is_shown_in_thread(idea):
        return True
    return getattr(user, "is_authenticated", False) and (
        user.id == idea.author_id or idea.district.is_moderated_by(user)
    )


# --- writing ------------------------------------------------------------------------------


def start_history(submission: Submission, actor: User | None) -> None:
    """Every submission's history begins with its arrival as new."""
    db.session.add(StatusChange(submission_id=submission.id, old_status=None, new_status=Status.NEW,
                                actor_id=actor.id if actor else None))
    db.session.flush()


def _check_may_post(user, district_id: int) -> None:
    if user.blocked_at is not None or db.session.get(PostingBlock, (user.id, district_id)) is not None:
        raise IdeaError(_l("You cannot post in this district. Contact us if you think this is a mistake."))


# What one account may post, per kind: (setting, window) pairs, each counted on its own key.
ACCOUNT_LIMITS = {
    "comment": (("COMMENTS_PER_10_MINUTES", "10 minutes"), ("COMMENTS_PER_DAY", "day")),
    "idea": (("IDEAS_PER_DAY", "day"),),
    "report": (("REPORTS_PER_HOUR", "hour"),),
}


def _over_limit(kind: str, when: str):
    if kind == "comment":
        return _l("You have written many comments in a short time. You can write again from %(when)s; "
                  "what you wrote is kept below.", when=when)
    if kind == "idea":
        return _l("You have proposed many ideas in the last day. You can propose again from %(when)s; "
                  "what you wrote is kept below.", when=when)
    return _l("You have sent many reports in the last hour. You can report again from %(when)s; "
              "what you wrote is kept below.", when=when)


def _account_limits(kind: str, user: User) -> list[tuple[str, tuple[str, str]]]:
    return [(f"{settings.get(key)} per {window}", (f"{kind}-{key.lower()}", str(user.id)))
            for key, window in ACCOUNT_LIMITS[kind]]


def refuse_over_limit(kind: str, user: User, field: str) -> None:
    """One account posting without end (307 comments in 12 seconds) is stopped, politely, beside the field."""
    waits = [wait for limit, key in _account_limits(kind, user) if (wait := throttle.retry_after(limit, *key))]
    if waits:
        when = format_when(utcnow() + timedelta(seconds=max(waits)), "short")
        raise IdeaError(_over_limit(kind, when), field=field, status=429)


def count_against_limit(kind: str, user: User) -> None:
    for limit, key in _account_limits(kind, user):
        throttle.hit(limit, *key)


def text_language(chosen: str | None, *parts: str | None) -> str:
    """The language a text is written in: the author's choice when they made one, else the language its
    words are in, else (too short to tell) the page's, which the author was reading as they wrote."""
    found = language_of(*parts, chosen=chosen)
    if found:
        return found
    return current_locale() if has_request_context() else settings.get("BABEL_DEFAULT_LOCALE")


def create_idea(author: User, district: District, title: str, body: str, suggested_area: EffortArea | None,
                language: str | None = None, location: Location = NOWHERE) -> Idea:
    refuse_if_retired(district, IdeaError)
    _check_may_post(author, district.id)
    refuse_over_limit("idea", author, field="title")
    idea = Idea(
        district_id=district.id, author_id=author.id, title=title.strip(), body=body.strip(),
        language=text_language(language, title, body),
        body_html=str(markdown_to_html(body.strip())),
        suggested_effort_area_id=suggested_area.id if suggested_area else None,
        held_at=utcnow() if settings.is_premoderated("ideas") else None,
        location_lat=location.lat, location_lon=location.lon, location_label=location.label,
    )
    db.session.add(idea)
    db.session.flush()
    start_history(idea, author)
    count_against_limit("idea", author)
    return idea


def update_idea(idea: Idea, editor: User, district: District, title: str, body: str, suggested_area: EffortArea | None,
                language: str | None = None, location: Location | None = None) -> None:
    """``location`` None leaves the idea's place as it is; ``NOWHERE`` removes it."""
    if not idea.can_edit(editor):
        raise IdeaError(_l("This idea can no longer be changed: a moderator has started looking at it."))
    if district.id != idea.district_id:
        refuse_if_retired(district, IdeaError)
    _check_may_post(editor, district.id)
    if district.id != idea.district_id:
        # Its comments and reports follow it, so the right moderators see them.
        comment_ids = select(Comment.id).where(Comment.idea_id == idea.id)
        report_ids = select(Report.id).where((Report.target_id == idea.id) | Report.target_id.in_(comment_ids))
        db.session.execute(
            update(Submission)
            .where(Submission.id.in_(comment_ids) | Submission.id.in_(report_ids))
            .values(district_id=district.id)
            .execution_options(synchronize_session=False)
        )
    idea.district_id = district.id
    idea.title = title.strip()
    idea.body = body.strip()
    idea.body_html = str(markdown_to_html(idea.body))
    idea.language = text_language(language, idea.title, idea.body)
    idea.suggested_effort_area_id = suggested_area.id if suggested_area else None
    if location is not None:
        idea.location_lat, idea.location_lon, idea.location_label = location.lat, location.lon, location.label
    if settings.is_premoderated("ideas"):
        # A changed text needs approving again, or editing would get round pre-moderation.
        idea.held_at = utcnow()
    db.session.flush()


def withdraw_idea(idea: Idea, user: User) -> None:
    if not idea.can_edit(user):
        raise IdeaError(_l("This idea can no longer be withdrawn: a moderator has started looking at it."))
    idea.withdrawn_at = utcnow()
    db.session.flush()


def support(idea: Idea, user: User) -> bool:
    """Support an idea once; True when this call added the support."""
    refuse_if_retired(idea.district, IdeaError, field=None)
    if not is_publicly_visible(idea):
        raise IdeaError(_l("This idea cannot be supported."))
    if idea.author_id == user.id:
        raise IdeaError(_l("You cannot support your own idea."))
    if db.session.get(Support, (idea.id, user.id)) is not None:
        return False
    # The primary key makes a second, concurrent support fail at flush.
    now = utcnow()
    db.session.execute(insert(Support).values(idea_id=idea.id, user_id=user.id, created_at=now,
                                              created_month=oslo_month(now)))
    db.session.execute(update(Idea).where(Idea.id == idea.id).values(support_count=Idea.support_count + 1)
                       .execution_options(synchronize_session=False))
    db.session.flush()
    db.session.expire(idea, ["support_count"])
    return True


def withdraw_support(idea: Idea, user: User) -> bool:
    removed = rows_changed(db.session.execute(
        delete(Support).where(Support.idea_id == idea.id, Support.user_id == user.id)
    ))
    if removed:
        db.session.execute(update(Idea).where(Idea.id == idea.id, Idea.support_count > 0)
                           .values(support_count=Idea.support_count - 1)
                           .execution_options(synchronize_session=False))
        db.session.expire(idea, ["support_count"])
    db.session.flush()
    return bool(removed)


def add_comment(idea: Idea, author: User, body: str, language: str | None = None) -> Comment:
    refuse_if_retired(idea.district, IdeaError, field="body")
    _check_may_post(author, idea.district_id)
    if not is_publicly_visible(idea):
        raise IdeaError(_l("This idea cannot be commented on."))
    refuse_over_limit("comment", author, field="body")
    text_ = body.strip()
    comment = Comment(
        idea_id=idea.id, district_id=idea.district_id, author_id=author.id, body=text_,
        body_html=str(plain_text_to_html(text_)), language=text_language(language, text_),
        held_at=utcnow() if settings.is_premoderated("comments") else None,
    )
    db.session.add(comment)
    db.session.flush()
    start_history(comment, author)
    count_against_limit("comment", author)
    return comment


def edit_comment(comment: Comment, user: User, body: str, language: str | None = None) -> bool:
    """The author changes their comment's text; shown as "edited". The text it had is kept for the
    moderators (``CommentRevision``), so what was reported stays readable. False when nothing changed."""
    if not comment.can_change(user):
        raise Forbidden(_l("Only the person who wrote a shown comment can change it."))
    text_ = body.strip()
    if text_ == comment.body:
        if language and language != comment.language:   # only the language was put right
            comment.language = text_language(language, text_)
            db.session.flush()
            return True
        return False
    # Each change keeps the text it replaces, so changes count as comments do: no account fills the disk.
    refuse_over_limit("comment", user, field="body")
    db.session.add(CommentRevision(comment_id=comment.id, body=comment.body, replaced_at=utcnow()))
    comment.body, comment.body_html = text_, str(plain_text_to_html(text_))
    comment.language = text_language(language, text_)
    comment.edited_at = utcnow()
    db.session.flush()
    audit.record(user, "comment.edit", comment, ["body"])
    count_against_limit("comment", user)
    return True


def delete_comment(comment: Comment, user: User) -> None:
    """The author takes their comment away: it leaves the thread for everyone, as a resident expects. The
    row and its text stay for the moderators (reports of it still open on it), as a withdrawn idea does."""
    if not comment.can_change(user):
        raise Forbidden(_l("Only the person who wrote a shown comment can delete it."))
    comment.withdrawn_at = utcnow()
    db.session.flush()
    audit.record(user, "comment.delete", comment, [], {"withdrawn": (False, True)})


def earlier_texts(comment_id: int) -> list[CommentRevision]:
    """What a comment said before its author changed it, oldest first: for moderators."""
    return list(db.session.scalars(select(CommentRevision).where(CommentRevision.comment_id == comment_id)
                                   .order_by(CommentRevision.id)))


# --- telling people ----------------------------------------------------------------------


def notify_status_change(idea: Idea, change: StatusChange) -> int:
    """Mail the author and every supporter who wants idea news, each in their own language."""
    supporter_ids = select(Support.user_id).where(Support.idea_id == idea.id)
    recipients = db.session.scalars(
        select(User).where(
            (User.id == idea.author_id) | User.id.in_(supporter_ids),
            User.blocked_at.is_(None), User.verified_at.is_not(None), User.mail_idea_updates.is_(True),
        )
    ).all()
    link = site_url("ideas.show", idea_id=idea.id)
    for user in recipients:
        send_mail(
            user.email, user.locale, "idea_status_changed", _l("News about an idea on Medvirk"),
            unsubscribe_url=unsubscribe_url(user, "idea_updates"),
            user=user, idea=idea, change=change, link=link, is_author=user.id == idea.author_id,
        )
    return len(recipients)


# --- the resident's own activity ------------------------------------------------------------


def activity_for(user: User, limit: int = ACTIVITY_LIMIT) -> dict[str, Sequence]:
    """What /account/ lists: my latest ideas with status, comments and supports, ``limit`` of each, each
    read newest first by an index on the person (ix_submissions_author_created, ix_supports_user_created),
    so a long history costs no more than a short one; "more" names the lists that go on beyond ``limit``."""
    ideas = db.session.scalars(
        select(Idea).where(Idea.author_id == user.id).order_by(Idea.created_at.desc()).limit(limit + 1)
    ).all()
    comments = db.session.scalars(
        select(Comment).options(selectinload(Comment.idea).joinedload(Idea.author))
        .where(Comment.author_id == user.id).order_by(Comment.created_at.desc()).limit(limit + 1)
    ).all()
    supported = db.session.scalars(
        select(Idea).join(Support, Support.idea_id == Idea.id)
        .where(Support.user_id == user.id, publicly_visible(Idea)).order_by(Support.created_at.desc())
        .limit(limit + 1)
    ).all()
    found = {"ideas": ideas, "comments": comments, "supported": supported}
    more = tuple(name for name, rows in found.items() if len(rows) > limit)
    return {**{name: rows[:limit] for name, rows in found.items()}, "more": more}
