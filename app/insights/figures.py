"""The indicators, counted by the database.

Every figure is a GROUP BY over a stored Europe/Oslo month ("2025-03"), so
SQLite (which has no time zones) and PostgreSQL give the same answers, and a
request runs the same eight statements whatever the data size. Medians use
window functions. Python only arranges the few result rows and hides small
cells: a cell built from fewer than five people is shown as "fewer than 5"
to the public; moderators and admins see their own districts' exact figures.
"""
from __future__ import annotations

import threading
import time
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from sqlalchemy import Float, and_, case, cast, distinct, func, literal, or_, select, union_all
from sqlalchemy.sql.elements import ColumnElement

from app.core import settings
from app.districts.models import District, EffortArea
from app.events.models import Event, EventStatus, Registration, RegistrationAggregate, RegistrationStatus
from app.events.retention import people
from app.extensions import db
from app.feedback.models import Feedback
from app.ideas.models import Comment, Support
from app.insights.indicators import ANSWERED_STATUSES, BY_KEY, RATINGS, SMALLEST_GROUP
from app.insights.periods import Period, Step, bucket_sql
from app.submissions.models import Kind, StatusChange, Submission

Key = tuple[int, int | None, str]          # district id, effort area id (None: not routed), bucket


@dataclass(frozen=True)
class Figure:
    value: float | int | None      # None when suppressed, or when there is nothing to take a median or mean of
    people: int | None = None      # how many people it is built from (never published); None: it counts no people
    suppressed: bool = False


@dataclass
class Figures:
    period: Period
    districts: list[District]
    areas: list[EffortArea]
    exact_district_ids: frozenset[int]
    cells: dict[Key, dict[str, Figure]] = field(default_factory=dict)
    ratings: dict[tuple[int, str], dict[str, Figure]] = field(default_factory=dict)   # (district id, quarter)
    # Medians over all effort areas of a district, per bucket (a median cannot be added up from cells).
    district_medians: dict[tuple[int, str], dict[str, Figure]] = field(default_factory=dict)

    @property
    def area_ids(self) -> list[int | None]:
        return [area.id for area in self.areas] + [None]

    def cell(self, district_id: int, area_id: int | None, bucket: str, key: str) -> Figure:
        """A figure of a cell; where nothing was counted, 0 for a count and none for a median or share."""
        found = self.cells.get((district_id, area_id, bucket), {}).get(key)
        if found is not None:
            return found
        return Figure(0, 0) if BY_KEY[key].summable else Figure(None, 0)

    def total(self, key: str, district_ids=None, area_ids=None, buckets=None) -> int | float:
        """The sum of the cells shown: a suppressed cell adds nothing, so no total gives one away."""
        district_ids = district_ids if district_ids is not None else [d.id for d in self.districts]
        area_ids = area_ids if area_ids is not None else self.area_ids
        buckets = buckets if buckets is not None else self.period.buckets
        return sum(
            figure.value for d in district_ids for a in area_ids for b in buckets
            if (figure := self.cell(d, a, b, key)).value is not None
        )

    def share_answered(self, **where) -> float | None:
        """Answered over submissions, both summed from the cells shown (they are suppressed together)."""
        submissions = self.total("submissions", **where)
        return self.total("answered", **where) / submissions if submissions else None


def _in_scope(month_column, district_column, period: Period, district_ids: list[int] | None) -> ColumnElement:
    """Within the period and the districts (None: every district, which needs no condition and
    lets the database read the table straight through instead of district by district)."""
    condition = and_(month_column >= period.first_month, month_column <= period.last_month)
    return condition if district_ids is None else and_(condition, district_column.in_(district_ids))


def _people(author_id) -> ColumnElement:
    """How many people wrote the rows: each account once, and each row without one (anonymous
    feedback, or an account since deleted) as one person of its own."""
    return func.count(distinct(author_id)) + func.sum(case((author_id.is_(None), 1), else_=0))


def _counted(submission) -> ColumnElement:
    return and_(submission.withdrawn_at.is_(None), submission.hidden_at.is_(None))


def _submission_counts(period: Period, district_ids: list[int] | None):
    """Ideas and feedback per kind and cell, and how many have their outcome."""
    bucket = bucket_sql(Submission.created_month, period.step)
    answered = func.sum(case((Submission.status.in_(ANSWERED_STATUSES), 1), else_=0))
    return db.session.execute(
        select(Submission.kind, Submission.district_id, Submission.effort_area_id.label("area"),
               bucket.label("bucket"), func.count().label("n"), _people(Submission.author_id).label("people"),
               answered.label("answered"))
        .where(Submission.kind.in_([Kind.IDEA.value, Kind.FEEDBACK.value]), _counted(Submission),
               _in_scope(Submission.created_month, Submission.district_id, period, district_ids))
        .group_by(Submission.kind, Submission.district_id, Submission.effort_area_id, bucket)
    )


def _comment_counts(period: Period, district_ids: list[int] | None):
    """Comments per cell: a comment belongs to its idea's effort area."""
    comments, idea = Comment.__table__, Submission.__table__.alias("idea")
    bucket = bucket_sql(Submission.created_month, period.step)
    return db.session.execute(
        select(Submission.district_id, idea.c.effort_area_id.label("area"), bucket.label("bucket"),
               func.count().label("n"), _people(Submission.author_id).label("people"))
        .select_from(Submission)
        .join(comments, comments.c.id == Submission.id)
        .join(idea, idea.c.id == comments.c.idea_id)
        .where(Submission.kind == Kind.COMMENT.value, _counted(Submission), _counted(idea.c),
               _in_scope(Submission.created_month, Submission.district_id, period, district_ids))
        .group_by(Submission.district_id, idea.c.effort_area_id, bucket)
    )


def _support_counts(period: Period, district_ids: list[int] | None):
    bucket = bucket_sql(Support.created_month, period.step)
    return db.session.execute(
        select(Submission.district_id, Submission.effort_area_id.label("area"), bucket.label("bucket"),
               func.count().label("n"), func.count(distinct(Support.user_id)).label("people"))
        .select_from(Support).join(Submission, Submission.id == Support.idea_id)
        .where(_counted(Submission), _in_scope(Support.created_month, Submission.district_id, period, district_ids))
        .group_by(Submission.district_id, Submission.effort_area_id, bucket)
    )


def _event_counts(period: Period, district_ids: list[int] | None):
    bucket = bucket_sql(Event.starts_month, period.step)
    return db.session.execute(
        select(Event.district_id, Event.effort_area_id.label("area"), bucket.label("bucket"), func.count().label("n"))
        .where(Event.status == EventStatus.PUBLISHED.value,
               _in_scope(Event.starts_month, Event.district_id, period, district_ids))
        .group_by(Event.district_id, Event.effort_area_id, bucket)
    )


def _registration_counts(period: Period, district_ids: list[int] | None):
    """Registrations still kept, counted as the monthly aggregates count them when they are folded."""
    bucket = bucket_sql(Event.starts_month, period.step)
    return db.session.execute(
        select(Event.district_id, Event.effort_area_id.label("area"), bucket.label("bucket"),
               func.count().label("registrations"),
               func.coalesce(func.sum(case((Registration.attended.is_(True), Registration.party_size), else_=0)),
                             0).label("attended"),
               people().label("participants"))
        .select_from(Registration).join(Event, Event.id == Registration.event_id)
        .where(Registration.status != RegistrationStatus.CANCELLED.value, Event.status == EventStatus.PUBLISHED.value,
               _in_scope(Event.starts_month, Event.district_id, period, district_ids))
        .group_by(Event.district_id, Event.effort_area_id, bucket)
    )


def _aggregate_counts(period: Period, district_ids: list[int] | None):
    """Registrations already deleted: what their monthly aggregates kept."""
    agg = RegistrationAggregate
    bucket = bucket_sql(agg.month, period.step)
    return db.session.execute(
        select(agg.district_id, agg.effort_area_id.label("area"), bucket.label("bucket"),
               func.sum(agg.registrations).label("registrations"), func.sum(agg.attended).label("attended"),
               func.sum(agg.participants).label("participants"),
               # People in different months or audiences may be the same: only the largest is sure.
               func.max(agg.participants).label("participants_at_least"))
        .where(_in_scope(agg.month, agg.district_id, period, district_ids))
        .group_by(agg.district_id, agg.effort_area_id, bucket)
    )


def _days_between(later, earlier) -> ColumnElement:
    if db.engine.dialect.name == "sqlite":
        return func.julianday(later) - func.julianday(earlier)
    return cast(func.extract("epoch", later - earlier), Float) / 86400.0


def _median_days(period: Period, district_ids: list[int] | None) -> list:
    """Median days from writing to routing and to the first public answer, per cell and per district
    and bucket (effort area NULL), with the number of people behind each: one statement.

    Each submission's first routing and first public answer come from one pass over the history;
    the times are unpivoted into (measure, days) rows; window functions rank the days within each
    group, and the middle one, or the mean of the middle two, is the median."""
    history = (
        select(StatusChange.submission_id.label("id"),
               func.min(case((StatusChange.effort_area_id.is_not(None), StatusChange.created_at))).label("routed"),
               func.min(case((StatusChange.public_answer.is_not(None), StatusChange.created_at))).label("answered"))
        .where(or_(StatusChange.effort_area_id.is_not(None), StatusChange.public_answer.is_not(None)))
        .group_by(StatusChange.submission_id).subquery()
    )
    bucket = bucket_sql(Submission.created_month, period.step)
    written = (
        select(Submission.district_id.label("district_id"), Submission.effort_area_id.label("area"),
               bucket.label("bucket"), Submission.author_id.label("author_id"), Submission.created_at.label("at"),
               history.c.routed, history.c.answered)
        .join(history, history.c.id == Submission.id)
        .where(Submission.kind.in_([Kind.IDEA.value, Kind.FEEDBACK.value]), _counted(Submission),
               _in_scope(Submission.created_month, Submission.district_id, period, district_ids))
        .cte("written")
    )
    timed = union_all(*(
        select(literal(name).label("measure"), written.c.district_id, written.c.area, written.c.bucket,
               written.c.author_id, _days_between(written.c[column], written.c.at).label("days"))
        .where(written.c[column].is_not(None))
        for name, column in (("days_to_routing", "routed"), ("days_to_answer", "answered"))
    )).cte("timed")
    groups = []
    for by_area in (True, False):
        area = timed.c.area if by_area else literal(None)
        group = [timed.c.measure, timed.c.district_id, timed.c.bucket] + ([timed.c.area] if by_area else [])
        groups.append(select(timed.c.measure, timed.c.district_id, area.label("area"), timed.c.bucket,
                             timed.c.author_id, timed.c.days,
                             literal(by_area).label("by_area"),
                             func.row_number().over(partition_by=group, order_by=timed.c.days).label("rank"),
                             func.count().over(partition_by=group).label("size")))
    ranked = union_all(*groups).subquery()
    cell = [ranked.c.by_area, ranked.c.measure, ranked.c.district_id, ranked.c.area, ranked.c.bucket]
    middle = and_(ranked.c.rank >= (ranked.c.size + 1) // 2, ranked.c.rank <= (ranked.c.size + 2) // 2)
    return list(db.session.execute(
        select(*cell, func.avg(case((middle, ranked.c.days))).label("median"),
               _people(ranked.c.author_id).label("people"))
        .group_by(*cell)
    ))


def _ratings(period: Period, district_ids: list[int] | None):
    feedback = Feedback.__table__
    quarter = bucket_sql(Submission.created_month, Step.QUARTER)
    columns = []
    for name in RATINGS:
        column = feedback.c[name]
        columns += [func.avg(column).label(f"{name}_mean"), func.count(column).label(f"{name}_n")]
    return db.session.execute(
        select(Submission.district_id, quarter.label("quarter"), *columns)
        .select_from(Submission).join(feedback, feedback.c.id == Submission.id)
        .where(Submission.kind == Kind.FEEDBACK.value, _counted(Submission), _in_scope(Submission.created_month, Submission.district_id, period, district_ids))
        .group_by(Submission.district_id, quarter)
    )


def _number(value) -> float | int:
    if isinstance(value, Decimal):
        return float(value)
    return value or 0


@dataclass(frozen=True)
class Counted:
    """What the database counted, before anything is hidden: plain data, safe to keep between requests."""

    cells: dict[Key, dict[str, tuple[float | int, int | None]]]
    district_medians: dict[tuple[int, str], dict[str, tuple[float, int]]]
    ratings: dict[tuple[int, str], dict[str, tuple[float | None, int]]]


def count(period: Period, district_ids: list[int] | None) -> Counted:
    """Run the eight statements and gather their rows into cells of (value, people).
    ``district_ids`` None counts every district."""
    raw: dict[Key, dict[str, list]] = defaultdict(lambda: defaultdict(lambda: [0, 0]))

    def add(key: Key, indicator: str, value, people) -> None:
        figure = raw[key][indicator]
        figure[0] += _number(value)
        figure[1] += people or 0

    for row in _submission_counts(period, district_ids):
        key = (row.district_id, row.area, row.bucket)
        add(key, "ideas" if row.kind == Kind.IDEA.value else "feedback", row.n, row.people)
        # Feedback people are each form and idea people are accounts: the two never overlap, so they add.
        add(key, "submissions", row.n, row.people)
        add(key, "answered", row.answered, row.people)
    for row in _comment_counts(period, district_ids):
        add((row.district_id, row.area, row.bucket), "comments", row.n, row.people)
    for row in _support_counts(period, district_ids):
        add((row.district_id, row.area, row.bucket), "supports", row.n, row.people)
    for row in _event_counts(period, district_ids):
        add((row.district_id, row.area, row.bucket), "events", row.n, 0)
    # Registrations still kept and those folded into aggregates add up; the people behind them are
    # the confirmed participants, counted as the larger of the two, a number sure to be no more than
    # the real one. A cell of people only on a waitlist has none, so it is hidden.
    registered: dict[Key, int] = defaultdict(int)
    for rows in (_registration_counts(period, district_ids), _aggregate_counts(period, district_ids)):
        for row in rows:
            key = (row.district_id, row.area, row.bucket)
            # Kept registrations are counted person by person; folded months only as sure as their largest.
            registered[key] = max(registered[key], getattr(row, "participants_at_least", row.participants) or 0)
            for indicator in ("registrations", "attendance", "participants"):
                add(key, indicator, row.attended if indicator == "attendance" else getattr(row, indicator), 0)
    for key, registrants in registered.items():
        for indicator in ("registrations", "attendance", "participants"):
            raw[key][indicator][1] = registrants
    cells = {key: {name: (value, people if BY_KEY[name].suppressed else None)
                   for name, (value, people) in values.items()} for key, values in raw.items()}
    district_medians: dict[tuple[int, str], dict[str, tuple[float, int]]] = defaultdict(dict)
    for row in _median_days(period, district_ids):
        median = (round(_number(row.median), 1), row.people)
        if row.by_area:
            cells.setdefault((row.district_id, row.area, row.bucket), {})[row.measure] = median
        else:
            district_medians[(row.district_id, row.bucket)][row.measure] = median
    ratings = {
        (row.district_id, row.quarter): {
            name: (round(_number(getattr(row, f"{name}_mean")), 2) if getattr(row, f"{name}_n") else None,
                   getattr(row, f"{name}_n"))
            for name in RATINGS
        }
        for row in _ratings(period.whole_quarters(), district_ids)
    }
    return Counted(cells, dict(district_medians), ratings)


_kept: dict[tuple, tuple[float, Counted]] = {}
_keeping = threading.Lock()   # a threaded worker's requests may store at once
KEPT_AT_MOST = 64


def count_recent(period: Period, district_ids: list[int] | None) -> Counted:
    """``count``, kept for ``INSIGHTS_CACHE_SECONDS`` per worker: the figures are statistics of whole
    months, so a few minutes' delay changes nothing a reader needs, and each page view no longer
    costs eight scans of the biggest tables."""
    seconds = settings.get("INSIGHTS_CACHE_SECONDS")
    key = (period, None if district_ids is None else tuple(district_ids), db.engine.url.render_as_string())
    now = time.monotonic()
    found = _kept.get(key)
    if seconds and found is not None and now - found[0] < seconds:
        return found[1]
    counted = count(period, district_ids)
    if seconds:
        with _keeping:
            while len(_kept) >= KEPT_AT_MOST:
                _kept.pop(next(iter(_kept)))
            _kept[key] = (now, counted)
    return counted


def compute(period: Period, districts: list[District], areas: list[EffortArea],
            exact_district_ids: frozenset[int] = frozenset(), every_district: bool = False) -> Figures:
    """Every indicator for the period and districts; exact (unsuppressed) in ``exact_district_ids``."""
    counted = count_recent(period, None if every_district else [d.id for d in districts])
    figures = Figures(period=period, districts=districts, areas=areas, exact_district_ids=exact_district_ids)

    def shown(district_id: int, value, people) -> Figure:
        return _shown(Figure(value, people), district_id, exact_district_ids)

    for key, values in counted.cells.items():
        cell = figures.cells[key] = {name: shown(key[0], *pair) for name, pair in values.items()}
        if "submissions" in cell:
            _hide_sums_of_hidden_parts(cell)
    figures.district_medians = {}
    for (district_id, bucket), values in counted.district_medians.items():
        figures.district_medians[(district_id, bucket)] = {
            name: _hidden(shown(district_id, *pair)) if any(
                figures.cell(district_id, area_id, bucket, name).suppressed for area_id in figures.area_ids
            ) else shown(district_id, *pair)
            for name, pair in values.items()
        }
    figures.ratings = {key: {name: shown(key[0], *pair) for name, pair in values.items()}
                       for key, values in counted.ratings.items()}
    return figures


def _shown(figure: Figure, district_id: int, exact: frozenset[int]) -> Figure:
    counts_nothing = not figure.people and figure.value in (0, None)
    if figure.people is None or district_id in exact or counts_nothing or figure.people >= SMALLEST_GROUP:
        return figure
    return _hidden(figure)


def _hidden(figure: Figure) -> Figure:
    return figure if figure.suppressed else Figure(None, figure.people, suppressed=True)


def _hide_sums_of_hidden_parts(cell: dict[str, Figure]) -> None:
    """Submissions are ideas plus feedback: with one part hidden and the other shown, the sum would
    give the hidden part away, so it is hidden too, and what is counted from it (answered, the share)."""
    if any(cell[part].suppressed for part in ("ideas", "feedback") if part in cell):
        for name in ("submissions", "answered"):
            cell[name] = _hidden(cell[name])
    submissions = cell["submissions"]
    share = None if submissions.suppressed else round(cell["answered"].value / submissions.value, 3)
    cell["answered_share"] = Figure(share, submissions.people, submissions.suppressed)
