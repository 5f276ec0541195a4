"""The area survey's results: per round, district and question, what the public may see.

What is counted. Only finished answer sets count. Per round × district × question: the number of answers;
for a choice question the count and share of each choice (single choice: the counts add up to the answers;
multiple choice: a person may tick several); for a 1–5 scale the count of each point and the mean; for a
number the mean and the median; for free text only the number of answers, never a word of them. "All
districts" is the sum of the districts (a mean over all of them is the mean of every answer). How people
were reached: the finished answer sets per channel (open link, code, invitation, paper) and, where the
round knows how many it reached (``RoundDistrict.reached``), the response rate: answer sets that came in
by code or invitation ÷ reached. Results are published only for rounds staff have closed (``published``:
after the closing time, once the last paper forms are typed in; nothing is taken after that, and purging
free text empties it without removing the answer): a round's figures then never change, so two days'
figures cannot be subtracted to find one person's answers.

What is hidden (``SMALLEST_GROUP`` as the other indicators). Within one round and question, each district's
figures form a *row*: the number of answers ``n``, the category counts ``c`` (choices or the points 1–5), the
mean and the median.

1. **Row.** A row whose ``n`` is small (1 to SMALLEST_GROUP − 1) is hidden whole: n, categories, mean, median.
2. **Categories.** A small category count is hidden, and with it enough other categories of its row that
   the row's own sums cannot give it back (as ``app.insights.suppression`` does for months): at least two
   for a single choice (its counts add up to ``n``), three for a scale (they also weigh up to ``n × mean``),
   one for a multiple choice; the complements are the smallest non-empty other categories (all of the row's
   categories where there are too few). ``n`` and the mean stay: they are not small.
3. **Together.** A question shown only on some answers to an earlier one (a conditional question) may have
   as many answers as those earlier answers: where either is hidden in a district (the conditional
   question's ``n``, or a count of an answer it is shown on), both are, the conditional question whole,
   and the earlier question's row is completed as in 2.
4. **All districts.** An "all districts" figure is hidden when the same figure of any district is hidden
   (its answers and mean when a district's answers are or its mean is; a category when that category is).
6. **Means.** A mean is published to one decimal. A scale's mean is hidden too where, with the row's
   number of answers and the points shown, it leaves only one possible count for a hidden point: the
   equations never do, but counts are whole and not below 0 (``pins_a_point`` works it out exactly).
5. **Reach.** A district's answer sets are hidden when small; its channel counts as categories of a single
   choice (a small one and at least one other); the response rate when the codes or invitations are
   hidden; "all districts" as in 4.

Why nothing hidden can be worked out. The equations a visitor can write between published figures are:
a row's categories add up to its ``n`` (single choice and scales); a scale's points weighted by 1..5 add up
to ``n × mean``; each "all districts" figure is the sum over districts (also ``n × mean``); a conditional
question's ``n`` may equal the earlier question's count of the answers it is shown on; a question everyone
must answer has ``n`` = the district's answer sets; answer sets are the sum of their channels, and the
response rate × reached is the codes plus invitations. Rounds and questions share no other equation
(different people, different counts). For every hidden figure there is a change of hidden figures only
that moves it and keeps every equation true, so none is pinned down:

- a hidden category of a row that shows its ``n``: the row's hidden categories number at least two (three
  for a scale), and the row's equations on them have a solution that is non-zero there (two categories:
  +1, −1; three points a < b < c of a scale: c − b, a − c, b − a, which keeps both the sum and the
  weighted sum). Add it to the row, and the same to the "all districts" categories (hidden by rule 4), whose
  equations are the same ones. Where a conditional question hangs on a category that moves, its ``n``
  and a category move with it (hidden whole by rule 3, and in all districts by rule 4);
- a hidden ``n`` (rule 1) moves with one of its categories, the "all districts" answers and that category
  (rule 4) and, where it equals the answer sets, with those and a channel count: the answer sets are then
  small too (rule 5), and so is every other ``n`` that equals them (rule 1);
- a hidden channel count moves against another hidden channel of its row, and the "all districts" counts
  with them; the response rate is hidden whenever codes or invitations are.

Means and medians of hidden rows are free once their ``n`` is. The pattern depends only on a round's own
counts, worked out once here, so a figure is hidden or shown the same on the page, in the downloads and in
the API (which all read ``survey_results``). As with every table protected this way, a hidden figure tells
that it, or a figure beside it, is small; it does not tell which or how small. The argument is about the
equations, as the indicators' is (``app.insights.suppression``): that counts are whole and not below 0 can
narrow a hidden figure at the edges, and a mean of few answers close to 1 or 5 says much on its own, as a
rating's mean does.
"""
from __future__ import annotations

import math
import statistics
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from app.core.db import utcnow
from app.districts.models import District
from app.extensions import db
from app.insights.indicators import SMALLEST_GROUP
from app.surveys.models import (
    Answer,
    AnswerSet,
    Channel,
    Placement,
    Question,
    QuestionKind,
    Survey,
    SurveyRound,
)

SCALE_POINTS = ("1", "2", "3", "4", "5")
CATEGORY_KINDS = (QuestionKind.SINGLE, QuestionKind.MULTIPLE, QuestionKind.SCALE)
ALL = None   # the district key of "all districts"


def small(count: int | None) -> bool:
    return count is not None and 0 < count < SMALLEST_GROUP


@dataclass(frozen=True)
class Figure:
    value: float | int | None      # None when hidden, or when there is nothing to work out (no answers)
    hidden: bool = False


def _shown(value: float | int | None, hidden: bool) -> Figure:
    return Figure(None if hidden else value, hidden)


@dataclass
class Row:
    """One question's figures in one district (or in all of them)."""

    answers: Figure
    categories: list[tuple[str, Figure, Figure]] = field(default_factory=list)   # (value, count, share 0..1)
    mean: Figure | None = None
    median: Figure | None = None


@dataclass
class QuestionResults:
    placement: Placement
    rows: dict[int | None, Row]

    @property
    def question(self) -> Question:
        return self.placement.question


@dataclass
class Reached:
    """How one district (or all) was reached in a round."""

    answer_sets: Figure
    channels: dict[str, Figure]
    reached: int
    response_rate: Figure | None    # None where the round does not know how many it reached


@dataclass
class RoundResults:
    round: SurveyRound
    districts: list[District]
    reach: dict[int | None, Reached]
    questions: list[QuestionResults]

    def question(self, question_id: int) -> QuestionResults | None:
        return next((found for found in self.questions if found.placement.question_id == question_id), None)


@dataclass
class SurveyResults:
    survey: Survey
    rounds: list[RoundResults]         # closed rounds, oldest first
    open_rounds: list[SurveyRound]     # opened but not closed: not published yet


def categories_of(question: Question) -> tuple[str, ...]:
    if question.kind == QuestionKind.SCALE:
        return SCALE_POINTS
    if question.kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE):
        return tuple(question.choice_values)
    return ()


# --- what the public can see -----------------------------------------------------------------------------


def published_surveys(now: datetime | None = None) -> list[tuple[Survey, list[SurveyRound]]]:
    """Surveys with a round that has opened, and those rounds, oldest first."""
    now = now or utcnow()
    rounds = db.session.scalars(
        select(SurveyRound).where(SurveyRound.opens_at <= now).options(selectinload(SurveyRound.survey))
        .order_by(SurveyRound.survey_id, SurveyRound.opens_at)).all()
    by_survey: dict[int, list[SurveyRound]] = defaultdict(list)
    for survey_round in rounds:
        by_survey[survey_round.survey_id].append(survey_round)
    return [(found[0].survey, found) for found in by_survey.values()]


def get_published_survey(survey_id: int, now: datetime | None = None) -> Survey | None:
    """The survey, if a round of it has opened (a survey being built is nobody's business yet)."""
    now = now or utcnow()
    return db.session.scalar(select(Survey).where(
        Survey.id == survey_id, Survey.rounds.any(SurveyRound.opens_at <= now)))


def survey_results(survey: Survey, now: datetime | None = None) -> SurveyResults:
    """The results of every closed round of ``survey``, protected; a fixed number of queries."""
    now = now or utcnow()
    rounds = db.session.scalars(
        select(SurveyRound).where(SurveyRound.survey_id == survey.id, SurveyRound.opens_at <= now)
        .options(selectinload(SurveyRound.coverage)).order_by(SurveyRound.opens_at)).all()
    closed = [found for found in rounds if found.published]
    placements = db.session.scalars(
        select(Placement).where(Placement.survey_id == survey.id).order_by(Placement.position)
        .options(selectinload(Placement.question))).all()
    districts = {d.id: d for d in db.session.scalars(select(District).order_by(District.id))}
    counted = _count([found.id for found in closed], placements)
    results = [_round_results(found, placements, districts, counted) for found in closed]
    return SurveyResults(survey, results, [found for found in rounds if not found.published])


# --- counting ------------------------------------------------------------------------------------------


@dataclass
class Counted:
    sets: dict[tuple[int, int], dict[str, int]] = field(default_factory=lambda: defaultdict(dict))
    answers: dict[tuple[int, int, int], int] = field(default_factory=lambda: defaultdict(int))
    categories: dict[tuple[int, int, int], dict[str, int]] = field(
        default_factory=lambda: defaultdict(lambda: defaultdict(int)))
    numbers: dict[tuple[int, int, int], list[float]] = field(default_factory=lambda: defaultdict(list))


def _count(round_ids: list[int], placements: Iterable[Placement]) -> Counted:
    counted = Counted()
    if not round_ids:
        return counted
    finished = (AnswerSet.round_id.in_(round_ids), AnswerSet.finished_on.is_not(None))
    for round_id, district_id, channel, number in db.session.execute(
            select(AnswerSet.round_id, AnswerSet.district_id, AnswerSet.channel, func.count())
            .where(*finished).group_by(AnswerSet.round_id, AnswerSet.district_id, AnswerSet.channel)):
        counted.sets[(round_id, district_id)][Channel(channel).value] = number
    kinds = {p.question_id: p.question.kind for p in placements}
    asked = list(kinds)
    # Everything but multiple choice, grouped in the database (the free text itself is never read).
    for round_id, district_id, question_id, choice, value, number in db.session.execute(
            select(AnswerSet.round_id, AnswerSet.district_id, Answer.question_id, Answer.choice, Answer.number,
                   func.count())
            .join(AnswerSet, Answer.answer_set_id == AnswerSet.id)
            .join(Question, Question.id == Answer.question_id)
            .where(*finished, Answer.question_id.in_(asked), Question.kind != QuestionKind.MULTIPLE)
            .group_by(AnswerSet.round_id, AnswerSet.district_id, Answer.question_id, Answer.choice,
                      Answer.number)):
        key = (round_id, district_id, question_id)
        kind = kinds[question_id]
        counted.answers[key] += number
        if kind == QuestionKind.SINGLE and choice is not None:
            counted.categories[key][choice] += number
        elif kind == QuestionKind.SCALE and value is not None:
            counted.categories[key][str(int(value))] += number
        if kind in (QuestionKind.SCALE, QuestionKind.NUMBER) and value is not None:
            counted.numbers[key].extend([float(value)] * number)
    multiple = [qid for qid, kind in kinds.items() if kind == QuestionKind.MULTIPLE]
    if multiple:
        for round_id, district_id, question_id, ticked in db.session.execute(
                select(AnswerSet.round_id, AnswerSet.district_id, Answer.question_id, Answer.choices)
                .join(AnswerSet, Answer.answer_set_id == AnswerSet.id)
                .where(*finished, Answer.question_id.in_(multiple))):
            key = (round_id, district_id, question_id)
            counted.answers[key] += 1
            for choice in set(ticked or []):
                counted.categories[key][choice] += 1
    return counted


# --- protecting ----------------------------------------------------------------------------------------

# The fewest hidden categories a row may have once it hides any: a single choice's counts add up to its
# answers (so two), a scale's also weigh up to its mean (so three), a multiple choice's add up to nothing.
LEAST = {QuestionKind.SINGLE: 2, QuestionKind.SCALE: 3, QuestionKind.MULTIPLE: 1}


def complete(hidden: set[str], counts: dict[str, int], names: tuple[str, ...], least: int) -> set[str]:
    """``hidden`` categories of one row and the complements that keep them from being worked out: the
    smallest non-empty other categories until there are ``least``. Where the row has too few non-empty
    ones, all its categories: an empty complement is known not to be below 0, which with the mean can
    pin the others down."""
    hidden = set(hidden)
    while hidden and len(hidden) < min(least, len(names)):
        others = [name for name in names if name not in hidden and counts.get(name, 0)]
        if not others:
            return set(names)
        hidden.add(min(others, key=lambda name: (counts[name], names.index(name))))
    return hidden


def _round_results(survey_round: SurveyRound, placements: Sequence[Placement], districts: dict[int, District],
                   counted: Counted) -> RoundResults:
    district_ids = [row.district_id for row in survey_round.coverage]
    rid = survey_round.id
    names = {p.question_id: categories_of(p.question) for p in placements}
    kinds = {p.question_id: p.question.kind for p in placements}

    def completed(qid: int, did: int, hidden: set[str]) -> set[str]:
        return complete(hidden, counted.categories[(rid, did, qid)], names[qid], LEAST.get(kinds[qid], 0))

    # Rules 1 and 2: whole rows, and categories, hidden in each district.
    row_hidden: set[tuple[int, int]] = set()        # (question id, district id)
    cells: dict[tuple[int, int], set[str]] = {}     # hidden categories of each row
    for qid in names:
        for did in district_ids:
            key = (rid, did, qid)
            if small(counted.answers.get(key, 0)):
                row_hidden.add((qid, did))
                cells[(qid, did)] = set(names[qid])
            else:
                cells[(qid, did)] = completed(qid, did, {name for name in names[qid]
                                                        if small(counted.categories[key].get(name, 0))})
    # Rule 3: a conditional question's answers and the earlier answers it is shown on, hidden together.
    changed = True
    while changed:
        changed = False
        for placement in placements:
            earlier, later, shown_on = placement.condition_question_id, placement.question_id, placement.condition_values
            if earlier is None or earlier not in names:
                continue
            for did in district_ids:
                if (later, did) not in row_hidden and not cells[(earlier, did)] & set(shown_on):
                    continue
                if (later, did) not in row_hidden:
                    row_hidden.add((later, did))
                    cells[(later, did)] = set(names[later])
                    changed = True
                wanted = completed(earlier, did, cells[(earlier, did)] | set(shown_on))
                if wanted != cells[(earlier, did)]:
                    cells[(earlier, did)] = wanted
                    changed = True
    questions = []
    for placement in placements:
        qid = placement.question_id
        rows: dict[int | None, Row] = {
            did: _row(placement.question, [(rid, did, qid)], counted, (qid, did) in row_hidden, cells[(qid, did)])
            for did in district_ids}
        # Rule 4: all districts.
        rows[ALL] = _row(placement.question, [(rid, did, qid) for did in district_ids], counted,
                         any((qid, did) in row_hidden for did in district_ids),
                         set().union(*(cells[(qid, did)] for did in district_ids)),
                         mean_hidden=any(rows[did].mean is not None and rows[did].mean.hidden for did in district_ids))
        questions.append(QuestionResults(placement, rows))
    return RoundResults(survey_round, [districts[did] for did in district_ids],
                        _reach(survey_round, district_ids, counted), questions)


def _row(question: Question, keys: list[tuple[int, int, int]], counted: Counted, whole: bool,
         hidden: set[str], mean_hidden: bool = False) -> Row:
    answers = sum(counted.answers.get(key, 0) for key in keys)
    row = Row(_shown(answers, whole))
    counts = {}
    for name in categories_of(question):
        count = counts[name] = sum(counted.categories[key].get(name, 0) for key in keys)
        share = count / answers if answers else None
        row.categories.append((name, _shown(count, name in hidden), _shown(share, name in hidden)))
    if question.kind in (QuestionKind.SCALE, QuestionKind.NUMBER):
        values = [value for key in keys for value in counted.numbers.get(key, [])]
        # Published to one decimal, on the page, in the downloads and the API alike.
        mean = round(statistics.fmean(values), MEAN_DIGITS) if values else None
        if question.kind == QuestionKind.SCALE and mean is not None and hidden and not whole:
            mean_hidden = mean_hidden or pins_a_point(counts, hidden, len(values), mean)
        row.mean = _shown(mean, whole or mean_hidden)
        if question.kind == QuestionKind.NUMBER:
            row.median = _shown(statistics.median(values) if values else None, whole)
    return row


MEAN_DIGITS = 1


def pins_a_point(counts: dict[str, int], hidden: set[str], answers: int, mean: float) -> bool:
    """Whether a scale's published mean (to MEAN_DIGITS), its number of answers and its points shown leave
    only one possible count for some hidden point. The equations alone never do (rule 2 hides three points),
    but counts are whole and not below 0: eight 5s and a 4 give a mean of 4.9 over 9 answers, and then the
    hidden 4s and 5s can only be 1 and 8. Worked out exactly: for each hidden point, the counts it can have
    such that the other hidden points make up the rest of both the number and the weighted sum."""
    half = 0.5 * 10 ** -MEAN_DIGITS
    shown_weight = sum(int(name) * count for name, count in counts.items() if name not in hidden)
    units = sum(counts[name] for name in hidden)
    low, high = answers * (mean - half) - shown_weight, answers * (mean + half) - shown_weight
    for point in hidden:
        weight = int(point)
        others = [int(name) for name in hidden if name != point]
        # reach[t]: the weighted sums t answers on the other hidden points can make (bit w set = sum w).
        reach = [1]
        for _t in range(units):
            previous = reach[-1]
            grown = 0
            for other in others:
                grown |= previous << other
            reach.append(grown)
        possible = 0
        for count in range(units + 1):
            rest = reach[units - count]
            first, last = max(0, math.ceil(low - weight * count - 1e-9)), math.floor(high - weight * count + 1e-9)
            if last >= first and (rest >> first) & ((1 << (last - first + 1)) - 1):
                possible += 1
                if possible > 1:
                    break
        if possible <= 1:
            return True
    return False


CHANNELS = tuple(channel.value for channel in Channel)
RESPONDING = (Channel.CODE.value, Channel.INVITATION.value)    # the channels a response rate counts


def _reach(survey_round: SurveyRound, district_ids: list[int], counted: Counted) -> dict[int | None, Reached]:
    reached = {row.district_id: row.reached for row in survey_round.coverage}
    found: dict[int | None, Reached] = {}
    every: dict[str, int] = defaultdict(int)
    hidden_anywhere: set[str] = set()
    for did in district_ids:
        by_channel = counted.sets.get((survey_round.id, did), {})
        total = sum(by_channel.values())
        hidden = set(CHANNELS) if small(total) else complete(
            {name for name in CHANNELS if small(by_channel.get(name, 0))}, by_channel, CHANNELS, 2)
        found[did] = _reached(total, by_channel, reached.get(did, 0), small(total), hidden)
        hidden_anywhere |= hidden
        for name, number in by_channel.items():
            every[name] += number
    found[ALL] = _reached(sum(every.values()), every, sum(reached.values()),
                          any(found[did].answer_sets.hidden for did in district_ids), hidden_anywhere)
    return found


def _reached(total: int, by_channel: dict[str, int], reached: int, total_hidden: bool, hidden: set[str]) -> Reached:
    channels = {name: _shown(by_channel.get(name, 0), name in hidden) for name in CHANNELS}
    rate = None
    if reached > 0:
        responded = sum(by_channel.get(name, 0) for name in RESPONDING)
        rate = _shown(responded / reached, bool(hidden & set(RESPONDING)))
    return Reached(_shown(total, total_hidden), channels, reached, rate)
