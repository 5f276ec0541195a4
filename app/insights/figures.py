"""The indicators, counted by the database.

Every figure is a GROUP BY over a stored Europe/Oslo month ("2025-03"), so
SQLite (which has no time zones) and PostgreSQL give the same answers, and a
request runs the same eight statements whatever the data size. The counts are
counted for every year, quarter and month a period can be asked for
(2020–2035) in every district at once: the public's hidden figures are chosen
over all of them (``app/insights/suppression.py``), so a figure is the same
whatever period, step or districts were asked for. Medians, which are in no
sum, are counted by window functions for one step at a time. Python only
arranges the result rows; moderators and admins see their own districts'
figures exactly.
"""
from __future__ import annotations

import json
import logging
import threading
import time
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from decimal import Decimal
from typing import Callable

from flask import after_this_request, current_app, has_request_context
from sqlalchemy import Float, and_, case, cast, distinct, exc, func, literal, or_, select, union_all, update
from sqlalchemy.sql.elements import ColumnElement

from app.core import settings
from app.core.db import reading_only
from app.districts.models import District, EffortArea
from app.events.models import Event, EventStatus, Registration, RegistrationAggregate, RegistrationStatus
from app.events.retention import people
from app.extensions import db
from app.feedback.models import Feedback
from app.ideas.models import Comment, Support
from app.insights import suppression
from app.insights.indicators import ANSWERED_STATUSES, BY_KEY, RATINGS
from app.insights.models import InsightRollup
from app.insights.periods import FIRST_YEAR, LAST_YEAR, Period, Step, bucket_sql, children
from app.insights.suppression import MEDIANS, Hidden, Key, Pair
from app.submissions.models import Kind, StatusChange, Submission

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Figure:
    value: float | int | None      # None when suppressed, or when there is nothing to take a median or mean of
    people: int | None = None      # how many people it is built from (never published); None: it counts no people
    suppressed: bool = False


@dataclass(frozen=True)
class Counted:
    """The counts and ratings the database counted for every bucket and district, and what of them
    the public does not see: plain data, safe to keep between requests."""

    cells: dict[Key, dict[str, Pair]]
    ratings: dict[tuple[int, str], dict[str, Pair]]            # (district id, quarter)
    hidden: Hidden


@dataclass(frozen=True)
class Medians:
    """The median days of one step (year, quarter or month) for every bucket and district, and what
    of them the public does not see."""

    cells: dict[Key, dict[str, Pair]]
    districts: dict[tuple[int, str], dict[str, Pair]]          # (district id, bucket): over every effort area
    hidden: Hidden


@dataclass
class Figures:
    """The figures of one choice of period and districts as one person may see them: the public's,
    exact in ``exact_district_ids`` (the districts they moderate)."""

    period: Period
    districts: list[District]
    areas: list[EffortArea]
    exact_district_ids: frozenset[int]
    counted: Counted
    medians: Medians

    @property
    def area_ids(self) -> list[int | None]:
        return [area.id for area in self.areas] + [None]

    def _figure(self, pair: Pair, district_id: int, hidden: bool) -> Figure:
        if hidden and district_id not in self.exact_district_ids:
            return Figure(None, pair[1], suppressed=True)
        return Figure(*pair)

    def cell(self, district_id: int, area_id: int | None, bucket: str, key: str) -> Figure:
        """A figure of a cell; where nothing was counted, 0 for a count and none for a median or share."""
        where = (district_id, area_id, bucket)
        found = self.medians if key in MEDIANS else self.counted
        pair = found.cells.get(where, {}).get(key)
        if pair is None:
            pair = (0, 0) if BY_KEY[key].summable else (None, 0)
        return self._figure(pair, district_id, (where, key) in found.hidden.cells)

    def district_median(self, district_id: int, bucket: str, key: str) -> Figure | None:
        """The median over every effort area of a district; None where nothing was timed."""
        where = (district_id, bucket)
        pair = self.medians.districts.get(where, {}).get(key)
        return None if pair is None else self._figure(pair, district_id, (where, key) in self.medians.hidden.district_medians)

    def rating(self, district_id: int, quarter: str, key: str) -> Figure:
        where = (district_id, quarter)
        pair = self.counted.ratings.get(where, {}).get(key, (None, 0))
        return self._figure(pair, district_id, (where, key) in self.counted.hidden.ratings)

    def shown_sum(self, district_id: int, area_id: int | None, bucket: str, key: str) -> tuple[float | int, bool]:
        """The bucket's figure, or where it is hidden, the sum of its parts that are shown (quarters,
        then months): the most a visitor can add up from published figures, and whether it leaves
        something out."""
        figure = self.cell(district_id, area_id, bucket, key)
        if not figure.suppressed:
            return figure.value or 0, False
        found = [self.shown_sum(district_id, area_id, part, key) for part in children(bucket)]
        return sum(value for value, _partial in found), True

    def total(self, key: str, district_ids=None, area_ids=None, buckets=None) -> tuple[float | int, bool]:
        """The sum over the districts, effort areas and buckets (the whole period: its years, quarters
        and months, the fewest that make it up), and whether a hidden figure is left out. Only published
        figures are added, so no total gives a hidden one away."""
        district_ids = district_ids if district_ids is not None else [d.id for d in self.districts]
        area_ids = area_ids if area_ids is not None else self.area_ids
        buckets = buckets if buckets is not None else self.period.cover
        found = [self.shown_sum(d, a, b, key) for d in district_ids for a in area_ids for b in buckets]
        return sum(value for value, _partial in found), any(partial for _value, partial in found)

    def share_answered(self, **where) -> float | None:
        """Answered over submissions, both summed from the figures shown (they are hidden together)."""
        submissions, _partial = self.total("submissions", **where)
        return self.total("answered", **where)[0] / submissions if submissions else None


def _in_scope(month_column) -> ColumnElement:
    """Every month a period can be asked for."""
    return and_(month_column >= f"{FIRST_YEAR}-01", month_column <= f"{LAST_YEAR}-12")


def _at_every_step(select_at):
    """One statement counting by year, by quarter and by month: ``select_at(step)`` for each, in one UNION ALL."""
    return db.session.execute(union_all(*(select_at(step) for step in Step)))


def _people(author_id) -> ColumnElement:
    """How many people wrote the rows: each account once, and each row without one (anonymous
    feedback, or an account since deleted) as one person of its own."""
    return func.count(distinct(author_id)) + func.sum(case((author_id.is_(None), 1), else_=0))


def _counted(submission) -> ColumnElement:
    return and_(submission.withdrawn_at.is_(None), submission.hidden_at.is_(None))


def _submission_counts():
    """Ideas and feedback per kind and cell, and how many have their outcome."""
    answered = func.sum(case((Submission.status.in_(ANSWERED_STATUSES), 1), else_=0))

    def at(step: Step):
        bucket = bucket_sql(Submission.created_month, step)
        return (
            select(Submission.kind, Submission.district_id, Submission.effort_area_id.label("area"),
                   bucket.label("bucket"), func.count().label("n"), _people(Submission.author_id).label("people"),
                   answered.label("answered"))
            .where(Submission.kind.in_([Kind.IDEA.value, Kind.FEEDBACK.value]), _counted(Submission),
                   _in_scope(Submission.created_month))
            .group_by(Submission.kind, Submission.district_id, Submission.effort_area_id, bucket)
        )

    return _at_every_step(at)


def _comment_counts():
    """Comments per cell: a comment belongs to its idea's effort area."""
    comments, idea = Comment.__table__, Submission.__table__.alias("idea")

    def at(step: Step):
        bucket = bucket_sql(Submission.created_month, step)
        return (
            select(Submission.district_id, idea.c.effort_area_id.label("area"), bucket.label("bucket"),
                   func.count().label("n"), _people(Submission.author_id).label("people"))
            .select_from(Submission)
            .join(comments, comments.c.id == Submission.id)
            .join(idea, idea.c.id == comments.c.idea_id)
            .where(Submission.kind == Kind.COMMENT.value, _counted(Submission), _counted(idea.c),
                   _in_scope(Submission.created_month))
            .group_by(Submission.district_id, idea.c.effort_area_id, bucket)
        )

    return _at_every_step(at)


def _support_counts():
    def at(step: Step):
        bucket = bucket_sql(Support.created_month, step)
        return (
            select(Submission.district_id, Submission.effort_area_id.label("area"), bucket.label("bucket"),
                   func.count().label("n"), func.count(distinct(Support.user_id)).label("people"))
            .select_from(Support).join(Submission, Submission.id == Support.idea_id)
            .where(_counted(Submission), _in_scope(Support.created_month))
            .group_by(Submission.district_id, Submission.effort_area_id, bucket)
        )

    return _at_every_step(at)


def _event_counts():
    def at(step: Step):
        bucket = bucket_sql(Event.starts_month, step)
        return (
            select(Event.district_id, Event.effort_area_id.label("area"), bucket.label("bucket"),
                   func.count().label("n"))
            .where(Event.status == EventStatus.PUBLISHED, _in_scope(Event.starts_month))
            .group_by(Event.district_id, Event.effort_area_id, bucket)
        )

    return _at_every_step(at)


def _registration_counts():
    """Registrations still kept, counted as the monthly aggregates count them when they are folded."""
    attended = func.coalesce(func.sum(case((Registration.attended.is_(True), Registration.party_size), else_=0)), 0)

    def at(step: Step):
        bucket = bucket_sql(Event.starts_month, step)
        return (
            select(Event.district_id, Event.effort_area_id.label("area"), bucket.label("bucket"),
                   func.count().label("registrations"), attended.label("attended"), people().label("participants"))
            .select_from(Registration).join(Event, Event.id == Registration.event_id)
            .where(Registration.status != RegistrationStatus.CANCELLED, Registration.confirm_by.is_(None),
                   Event.status == EventStatus.PUBLISHED, _in_scope(Event.starts_month))
            .group_by(Event.district_id, Event.effort_area_id, bucket)
        )

    return _at_every_step(at)


def _aggregate_counts():
    """Registrations already deleted: what their monthly aggregates kept."""
    agg = RegistrationAggregate

    def at(step: Step):
        bucket = bucket_sql(agg.month, step)
        return (
            select(agg.district_id, agg.effort_area_id.label("area"), bucket.label("bucket"),
                   func.sum(agg.registrations).label("registrations"), func.sum(agg.attended).label("attended"),
                   func.sum(agg.participants).label("participants"),
                   # People in different months or audiences may be the same: only the largest is sure.
                   func.max(agg.participants).label("participants_at_least"))
            .where(_in_scope(agg.month))
            .group_by(agg.district_id, agg.effort_area_id, bucket)
        )

    return _at_every_step(at)


def _days_between(later, earlier) -> ColumnElement:
    if db.engine.dialect.name == "sqlite":
        return func.julianday(later) - func.julianday(earlier)
    return cast(func.extract("epoch", later - earlier), Float) / 86400.0


def _median_days(step: Step) -> list:
    """Median days from writing to routing and to the first public answer, per cell and per district
    and bucket (effort area NULL) of one step, with the number of people behind each: one statement.

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
    written = (
        select(Submission.district_id.label("district_id"), Submission.effort_area_id.label("area"),
               bucket_sql(Submission.created_month, step).label("bucket"), Submission.author_id.label("author_id"),
               Submission.created_at.label("at"), history.c.routed, history.c.answered)
        .join(history, history.c.id == Submission.id)
        .where(Submission.kind.in_([Kind.IDEA.value, Kind.FEEDBACK.value]), _counted(Submission),
               _in_scope(Submission.created_month))
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


def _ratings():
    """The ratings per district and quarter: they are only ever given per quarter."""
    feedback = Feedback.__table__
    quarter = bucket_sql(Submission.created_month, Step.QUARTER)
    columns = []
    for name in RATINGS:
        column = feedback.c[name]
        columns += [func.avg(column).label(f"{name}_mean"), func.count(column).label(f"{name}_n")]
    return db.session.execute(
        select(Submission.district_id, quarter.label("quarter"), *columns)
        .select_from(Submission).join(feedback, feedback.c.id == Submission.id)
        .where(Submission.kind == Kind.FEEDBACK.value, _counted(Submission), _in_scope(Submission.created_month))
        .group_by(Submission.district_id, quarter)
    )


def _number(value) -> float | int:
    if isinstance(value, Decimal):
        return float(value)
    return value or 0


def count() -> Counted:
    """Run the seven statements of counts and ratings, gather their rows into cells of (value,
    people) for every bucket and district, and choose what the public does not see."""
    raw: dict[Key, dict[str, list]] = defaultdict(lambda: defaultdict(lambda: [0, 0]))

    def add(key: Key, indicator: str, value, people) -> None:
        figure = raw[key][indicator]
        figure[0] += _number(value)
        figure[1] += people or 0

    for row in _submission_counts():
        key = (row.district_id, row.area, row.bucket)
        add(key, "ideas" if row.kind == Kind.IDEA.value else "feedback", row.n, row.people)
        # Feedback people are each form and idea people are accounts: the two never overlap, so they add.
        add(key, "submissions", row.n, row.people)
        add(key, "answered", row.answered, row.people)
    for row in _comment_counts():
        add((row.district_id, row.area, row.bucket), "comments", row.n, row.people)
    for row in _support_counts():
        add((row.district_id, row.area, row.bucket), "supports", row.n, row.people)
    for row in _event_counts():
        add((row.district_id, row.area, row.bucket), "events", row.n, 0)
    # Registrations still kept and those folded into aggregates add up; the people behind them are
    # the confirmed participants, counted as the larger of the two, a number sure to be no more than
    # the real one. A cell of people only on a waitlist has none, so it is hidden.
    registered: dict[Key, int] = defaultdict(int)
    for rows in (_registration_counts(), _aggregate_counts()):
        for row in rows:
            key = (row.district_id, row.area, row.bucket)
            # Kept registrations are counted person by person; folded months only as sure as their largest.
            registered[key] = max(registered[key], getattr(row, "participants_at_least", row.participants) or 0)
            for indicator in ("registrations", "attendance", "participants"):
                add(key, indicator, row.attended if indicator == "attendance" else getattr(row, indicator), 0)
    for key, registrants in registered.items():
        for indicator in ("registrations", "attendance", "participants"):
            raw[key][indicator][1] = registrants
    cells: dict[Key, dict[str, Pair]] = {
        key: {name: (value, people if BY_KEY[name].suppressed else None) for name, (value, people) in values.items()}
        for key, values in raw.items()
    }
    for values in cells.values():
        if "submissions" in values:
            (submissions, people), answered = values["submissions"], values["answered"][0]
            values["answered_share"] = (round(answered / submissions, 3) if submissions else None, people)
    ratings = {
        (row.district_id, row.quarter): {
            name: (round(_number(getattr(row, f"{name}_mean")), 2) if getattr(row, f"{name}_n") else None,
                   getattr(row, f"{name}_n"))
            for name in RATINGS
        }
        for row in _ratings()
    }
    return Counted(cells, ratings, suppression.hide(cells, ratings))


def count_medians(step: Step) -> Medians:
    """The eighth statement: the medians of one step, and which the public does not see."""
    cells: dict[Key, dict[str, Pair]] = defaultdict(dict)
    districts: dict[tuple[int, str], dict[str, Pair]] = defaultdict(dict)
    for row in _median_days(step):
        median = (round(_number(row.median), 1), row.people)
        if row.by_area:
            cells[(row.district_id, row.area, row.bucket)][row.measure] = median
        else:
            districts[(row.district_id, row.bucket)][row.measure] = median
    cells, districts = dict(cells), dict(districts)
    return Medians(cells, districts, suppression.hide_medians(cells, districts))


# --- kept between requests -----------------------------------------------------------------------------------------
# Counting takes a second or more at ten times the demo's size; the result is a few thousand small figures.
# So it is kept twice: in the worker, and as JSON in ``insight_rollups``, where every worker's first request
# finds it (``flask insights rollup``, run every few minutes, keeps it fresh so that no visitor waits).


def _now() -> datetime:
    return datetime.now(timezone.utc)


def _cells_json(cells: dict) -> list:
    return [[list(key), {name: list(pair) for name, pair in values.items()}] for key, values in cells.items()]


def _cells_from(found: list) -> dict:
    return {tuple(key): {name: tuple(pair) for name, pair in values.items()} for key, values in found}


def _hidden_json(hidden: Hidden) -> dict:
    return {"cells": [[list(key), name] for key, name in hidden.cells],
            "district_medians": [[list(key), name] for key, name in hidden.district_medians],
            "ratings": [[list(key), name] for key, name in hidden.ratings]}


def _hidden_from(found: dict) -> Hidden:
    return Hidden(*(frozenset((tuple(key), name) for key, name in found[part])
                    for part in ("cells", "district_medians", "ratings")))


def dump(kept: Counted | Medians) -> str:
    if isinstance(kept, Counted):
        return json.dumps({"cells": _cells_json(kept.cells), "ratings": _cells_json(kept.ratings),
                           "hidden": _hidden_json(kept.hidden)})
    return json.dumps({"cells": _cells_json(kept.cells), "districts": _cells_json(kept.districts),
                       "hidden": _hidden_json(kept.hidden)})


def load(key: str, payload: str) -> Counted | Medians:
    found = json.loads(payload)
    if key == "counts":
        return Counted(_cells_from(found["cells"]), _cells_from(found["ratings"]), _hidden_from(found["hidden"]))
    return Medians(_cells_from(found["cells"]), _cells_from(found["districts"]), _hidden_from(found["hidden"]))


def _counting(key: str):
    return count if key == "counts" else (lambda: count_medians(Step(key.removeprefix("medians-"))))


def rollup() -> dict[str, Counted | Medians]:
    """Count everything afresh and keep it in ``insight_rollups``: the periodic job."""
    kept: dict[str, Counted | Medians] = {}
    for key in ("counts", *(f"medians-{step.value}" for step in Step)):
        kept[key] = _counting(key)()
        db.session.merge(InsightRollup(key=key, counted_at=_now(), payload=dump(kept[key])))
    db.session.commit()
    _kept.clear()
    return kept


def _store(key: str, kept) -> None:
    try:
        db.session.merge(InsightRollup(key=key, counted_at=_now(), payload=dump(kept)))
        db.session.commit()
    except exc.SQLAlchemyError:
        # Two workers counting at once: the other one's figures are as good as these.
        db.session.rollback()


def _claim(key: str, counted_at: datetime) -> bool:
    """Whether this worker is the one to count ``key`` afresh: it moves the row's time on, so every other
    worker goes on reading the kept figures meanwhile instead of counting too."""
    try:
        claimed = db.session.execute(
            update(InsightRollup).where(InsightRollup.key == key, InsightRollup.counted_at == counted_at)
            .values(counted_at=_now()).execution_options(synchronize_session=False)).rowcount == 1
        db.session.commit()
    except exc.SQLAlchemyError:
        db.session.rollback()
        return False
    return claimed


def _after_the_page(work: Callable[[], object]) -> None:
    """``work`` once the page is made (its commit would expire what the page reads), or now outside a request."""
    if not has_request_context():
        work()
        return

    @after_this_request
    def then(response):
        work()
        return response


_recounting = threading.Lock()


def _in_background(work: Callable[[], None]) -> None:
    threading.Thread(target=work, name="insights-recount", daemon=True).start()


def _recount_later(key: str) -> bool:
    """Count ``key`` afresh and store it, beside the requests: the visitor who found the figures old is
    answered with them at once (counting takes seconds at the demo's ten times, a minute at a hundred)."""
    app = current_app._get_current_object()

    def work() -> None:
        with app.app_context():
            try:
                with _recounting, reading_only():   # one count at a time, in a read transaction (no write lock)
                    counted = _counting(key)()
                    db.session.rollback()
                _store(key, counted)
            except Exception:  # the kept figures stay; the next claim after INSIGHTS_CACHE_SECONDS tries again
                logger.exception("Counting the insights figures %s failed", key)
            finally:
                db.session.remove()

    _in_background(work)
    return True


_kept: dict[tuple, tuple[float, object]] = {}
_keeping = threading.Lock()   # a threaded worker's requests may store at once
KEPT_AT_MOST = 16
# While figures found old are counted afresh, a worker keeps the old ones this long, then looks again.
RECHECK_SECONDS = 10


def _recent(key: str):
    """The figures under ``key``, kept for ``INSIGHTS_CACHE_SECONDS`` in the worker and in the database:
    they are statistics of whole months, so a few minutes' delay changes nothing a reader needs, and
    each page view no longer costs eight scans of the biggest tables.

    A request counts only when nothing was ever kept. Kept figures older than that are still what the
    page shows, while one worker counts them afresh beside the requests (``flask insights rollup``,
    run every few minutes, keeps them fresh so that this is seldom needed): what a page costs does not
    grow with the data counted."""
    seconds = settings.get("INSIGHTS_CACHE_SECONDS")
    where = (db.engine.url.render_as_string(), key)
    now = time.monotonic()
    found = _kept.get(where)
    if seconds and found is not None and now - found[0] < seconds:
        return found[1]
    row = db.session.get(InsightRollup, key) if seconds else None
    if row is None:
        counted = _counting(key)()
        kept_at = now
        if seconds:
            _store(key, counted)
    else:
        counted = load(key, row.payload)
        kept_at = now
        if _now() - row.counted_at > timedelta(seconds=seconds):
            kept_at = now - seconds + RECHECK_SECONDS
            _after_the_page(lambda counted_at=row.counted_at: _claim(key, counted_at) and _recount_later(key))
    if seconds:
        with _keeping:
            while len(_kept) >= KEPT_AT_MOST:
                _kept.pop(next(iter(_kept)))
            _kept[where] = (kept_at, counted)
    return counted


def compute(period: Period, districts: list[District], areas: list[EffortArea],
            exact_district_ids: frozenset[int] = frozenset()) -> Figures:
    """Every indicator for the period and districts; exact (not hidden) in ``exact_district_ids``.
    One count serves every period and district; the medians, one per step."""
    return Figures(period=period, districts=districts, areas=areas, exact_district_ids=exact_district_ids,
                   counted=_recent("counts"), medians=_recent(f"medians-{period.step.value}"))
