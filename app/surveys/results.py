"""The area survey's results: per round, district and question, what the public may see.

What is counted. Only finished answer sets count. Per round × district × question: the number of answers;
for a choice question the count and share of each choice (single choice: the counts add up to the answers;
multiple choice: a person may tick several); for a 1–5 scale the count of each point and the mean; for a
number the mean and the median; for free text only the number of answers, never a word of them. "All
districts" is the sum of the districts (a mean over all of them is the mean of every answer). How people
were reached: the finished answer sets per channel (open link, code, invitation, paper) and, where the
round knows how many it reached (``RoundDistrict.reached``), the response rate: answer sets that came in
by code or invitation ÷ reached. Results are published only for rounds that have closed: a round's figures
then no longer change, so two days' figures cannot be subtracted to find one person's answers.

What is hidden (``SMALLEST_GROUP`` as the other indicators). Within one round and question, each district's
figures form a *row*: the number of answers ``n``, the category counts ``c`` (choices or the points 1–5), the
mean and the median.

1. **Row.** A row whose ``n`` is small (1 to SMALLEST_GROUP − 1) is hidden whole: n, categories, mean, median.
2. **Categories.** A row with a small category count hides all its category counts and shares (``n`` and
   the mean stay: they are not small).
3. **Together.** A question and the questions shown only on its answer (a conditional question) are about
   the same people: where one of them hides anything in a district, the earlier question's categories and
   the conditional questions' whole rows are hidden there.
4. **All districts.** An "all districts" figure is hidden when the same figure of any district is hidden
   (its answers when a district's answers are; its categories when a district's categories are; its mean
   with its answers).
5. **Reach.** The answer sets of a district are hidden when small; its channel counts, and with them its
   response rate, when any of them is small; "all districts" as in 4.

Why nothing hidden can be worked out. The equations a visitor can write between published figures are:
a row's categories add up to its ``n`` (single choice and scales); a scale's points weighted by 1..5 add up
to ``n × mean``; each "all districts" figure is the sum over districts (also ``n × mean``); a conditional
question's ``n`` may equal the earlier question's count of the answers it is shown on; a question everyone
must answer has ``n`` = the district's answer sets; answer sets are the sum of their channels, and the
response rate × reached is the codes plus invitations. Rounds and questions share no other equation
(different people, different counts). For every hidden figure there is a change of hidden figures only
that moves it and keeps every equation true, so none is pinned down:

- a hidden category (rule 2) has at least one hidden neighbour in its row (a row has at least two
  categories): move +1 to it and −1 to a neighbour, or for a scale +1, −2, +1 on three neighbouring points
  (keeps ``n`` and ``n × mean``); the "all districts" categories move the same way (hidden by rule 4); a
  conditional question's ``n`` and categories follow (hidden whole by rule 3);
- a hidden ``n`` (rule 1) moves with one of its categories, the "all districts" answers and categories
  (rule 4) and, where it equals the answer sets, with those and a channel count: the answer sets are then
  small too (rule 5), and so is every other ``n`` that equals them (rule 1);
- a hidden channel count moves against another channel of its row (rule 5 hides the whole row and the
  response rate), and its "all districts" count with it.

Means and medians of hidden rows are free once their ``n`` is. The pattern depends only on a round's own
counts, worked out once here, so a figure is hidden or shown the same on the page, in the downloads and in
the API (which all read ``survey_results``). As with every table protected this way, a hidden figure tells
that it, or a figure beside it, is small; it does not tell which or how small.
"""
from __future__ import annotations

import statistics
from collections import defaultdict
from collections.abc import Iterable
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
    closed = [found for found in rounds if found.has_closed(now)]
    placements = db.session.scalars(
        select(Placement).where(Placement.survey_id == survey.id).order_by(Placement.position)
        .options(selectinload(Placement.question))).all()
    districts = {d.id: d for d in db.session.scalars(select(District).order_by(District.id))}
    counted = _count([found.id for found in closed], placements)
    results = [_round_results(found, placements, districts, counted) for found in closed]
    return SurveyResults(survey, results, [found for found in rounds if not found.has_closed(now)])


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
            for value in set(ticked or []):
                counted.categories[key][value] += 1
    return counted


# --- protecting ----------------------------------------------------------------------------------------


def _round_results(survey_round: SurveyRound, placements: list[Placement], districts: dict[int, District],
                   counted: Counted) -> RoundResults:
    district_ids = [row.district_id for row in survey_round.coverage]
    rid = survey_round.id
    # Rules 1 and 2: rows and categories hidden in each district.
    row_hidden: set[tuple[int, int]] = set()        # (question id, district id)
    cats_hidden: set[tuple[int, int]] = set()
    for placement in placements:
        qid = placement.question_id
        names = categories_of(placement.question)
        for did in district_ids:
            key = (rid, did, qid)
            if small(counted.answers.get(key, 0)):
                row_hidden.add((qid, did))
                cats_hidden.add((qid, did))
            elif any(small(counted.categories[key].get(name, 0)) for name in names):
                cats_hidden.add((qid, did))
    # Rule 3: a question and those shown on its answers are hidden together.
    dependents: dict[int, list[int]] = defaultdict(list)
    for placement in placements:
        if placement.condition_question_id is not None:
            dependents[placement.condition_question_id].append(placement.question_id)
    for earlier, later in dependents.items():
        for did in district_ids:
            if any((qid, did) in cats_hidden for qid in (earlier, *later)):
                cats_hidden.add((earlier, did))
                for qid in later:
                    row_hidden.add((qid, did))
                    cats_hidden.add((qid, did))
    questions = []
    for placement in placements:
        qid = placement.question_id
        rows = {did: _row(placement.question, [(rid, did, qid)], counted, (qid, did) in row_hidden,
                          (qid, did) in cats_hidden) for did in district_ids}
        # Rule 4: all districts.
        rows[ALL] = _row(placement.question, [(rid, did, qid) for did in district_ids], counted,
                         any((qid, did) in row_hidden for did in district_ids),
                         any((qid, did) in cats_hidden for did in district_ids))
        questions.append(QuestionResults(placement, rows))
    return RoundResults(survey_round, [districts[did] for did in district_ids],
                        _reach(survey_round, district_ids, counted), questions)


def _row(question: Question, keys: list[tuple[int, int, int]], counted: Counted, whole: bool,
         categories: bool) -> Row:
    answers = sum(counted.answers.get(key, 0) for key in keys)
    row = Row(_shown(answers, whole))
    for name in categories_of(question):
        count = sum(counted.categories[key].get(name, 0) for key in keys)
        share = count / answers if answers else None
        row.categories.append((name, _shown(count, categories), _shown(share, categories)))
    if question.kind in (QuestionKind.SCALE, QuestionKind.NUMBER):
        values = [value for key in keys for value in counted.numbers.get(key, [])]
        row.mean = _shown(statistics.fmean(values) if values else None, whole)
        if question.kind == QuestionKind.NUMBER:
            row.median = _shown(statistics.median(values) if values else None, whole)
    return row


def _reach(survey_round: SurveyRound, district_ids: list[int], counted: Counted) -> dict[int | None, Reached]:
    reached = {row.district_id: row.reached for row in survey_round.coverage}
    channels = [channel.value for channel in Channel]
    found: dict[int | None, Reached] = {}
    for did in district_ids:
        by_channel = counted.sets.get((survey_round.id, did), {})
        total = sum(by_channel.values())
        hidden = small(total) or any(small(by_channel.get(name, 0)) for name in channels)
        found[did] = _reached(total, by_channel, reached.get(did, 0), small(total), hidden)
    every = defaultdict(int)
    for did in district_ids:
        for name, number in counted.sets.get((survey_round.id, did), {}).items():
            every[name] += number
    found[ALL] = _reached(sum(every.values()), every, sum(reached.values()),
                          any(found[did].answer_sets.hidden for did in district_ids),
                          any(found[did].channels[Channel.OPEN.value].hidden for did in district_ids))
    return found


def _reached(total: int, by_channel: dict[str, int], reached: int, total_hidden: bool, hidden: bool) -> Reached:
    channels = {channel.value: _shown(by_channel.get(channel.value, 0), hidden or total_hidden) for channel in Channel}
    rate = None
    if reached > 0:
        counted = by_channel.get(Channel.CODE.value, 0) + by_channel.get(Channel.INVITATION.value, 0)
        rate = _shown(counted / reached, hidden or total_hidden)
    return Reached(_shown(total, total_hidden), channels, reached, rate)
