"""The area survey's results as the public reads them: the comparison page, the downloads and the API.

Every one of them is built from ``app.surveys.results.survey_results``, so a figure is hidden the same
everywhere; free text is only ever a number of answers.
"""
from __future__ import annotations

import csv
import io
from dataclasses import dataclass

from flask import url_for

from app.core.i18n import gettext
from app.insights import charts
from app.insights.indicators import LICENCE, SMALLEST_GROUP
from app.insights.services import number
from app.surveys.models import Question, QuestionKind, Reach, Survey, SurveyRound, in_language
from app.surveys.results import (
    ALL,
    Figure,
    QuestionResults,
    RoundResults,
    SurveyResults,
    categories_of,
    get_published_survey,
    published_surveys,
    survey_results,
)

__all__ = ["get_published_survey", "published_surveys", "survey_results", "export_document", "as_csv", "page"]

SUPPRESSION = (f"Figures built from fewer than {SMALLEST_GROUP} people have value null and suppressed true, and so "
               "do some others, chosen so that no hidden figure can be worked out from those shown (by subtracting "
               "choices from the answers, districts from all districts, or channels from the answer sets). Only "
               "closed rounds are published. Free-text answers are counted, never published. See /insights/about.")
EXPORT_COLUMNS = ("round", "round_label", "reach", "district", "question", "version", "kind", "figure", "category",
                  "value", "suppressed")


# --- downloads and the API -----------------------------------------------------------------------------


def _value(figure: Figure, digits: int | None = None):
    if figure.value is None or digits is None:
        return figure.value
    return round(figure.value, digits)


def export_rows(results: SurveyResults) -> list[dict]:
    rows: list[dict] = []
    for found in results.rounds:
        slugs = {d.id: d.slug for d in found.districts}
        base = {"round": found.round.id, "round_label": found.round.label, "reach": found.round.reach.value}
        for did in [*slugs, ALL]:
            where = {**base, "district": slugs.get(did, "all") if did is not ALL else "all"}
            reached = found.reach[did]

            def add(figure: Figure, name: str, category: str | None = None, digits: int | None = None,
                    question: Question | None = None, where: dict = where) -> None:
                rows.append({**where, "question": question.key if question else None,
                             "version": question.version if question else None,
                             "kind": question.kind.value if question else None, "figure": name,
                             "category": category, "value": _value(figure, digits), "suppressed": figure.hidden})

            add(reached.answer_sets, "answer_sets")
            for channel, figure in reached.channels.items():
                add(figure, "channel", channel)
            if reached.response_rate is not None:
                rows.append({**where, "question": None, "version": None, "kind": None, "figure": "reached",
                             "category": None, "value": reached.reached, "suppressed": False})
                add(reached.response_rate, "response_rate", digits=4)
            for question in found.questions:
                row = question.rows[did]
                q = question.question
                add(row.answers, "answers", question=q)
                for name, count, share in row.categories:
                    add(count, "count", name, question=q)
                    add(share, "share", name, digits=4, question=q)
                if row.mean is not None:
                    add(row.mean, "mean", digits=3, question=q)
                if row.median is not None:
                    add(row.median, "median", digits=1, question=q)
    return rows


def export_document(results: SurveyResults) -> dict:
    survey = results.survey
    return {
        "licence": LICENCE,
        "survey": {"id": survey.id, "title": in_language(survey.title, "nb")},
        "rounds": [_round_summary(found.round) for found in results.rounds],
        "questions": [_question_summary(q) for q in (results.rounds[-1].questions if results.rounds else [])],
        "suppression": SUPPRESSION,
        "rows": export_rows(results),
    }


def _round_summary(survey_round: SurveyRound) -> dict:
    return {"id": survey_round.id, "label": survey_round.label, "reach": survey_round.reach.value,
            "opens": survey_round.opens_at.date().isoformat(), "closes": survey_round.closes_at.date().isoformat(),
            "self_selected": survey_round.reach == Reach.OPEN}


def _question_summary(found: QuestionResults) -> dict:
    question, placement = found.question, found.placement
    return {"key": question.key, "version": question.version, "kind": question.kind.value,
            "wording": in_language(question.wording, "nb"), "categories": list(categories_of(question)),
            "shown_if": {"question": placement.condition_question.key if placement.condition_question else None,
                         "answers": list(placement.condition_values)} if placement.condition_question_id else None}


def survey_list(language: str | None = "nb", now=None) -> list[dict]:
    """The API's (in Bokmål) and the index page's (in the reader's language) list of surveys with results or
    a round under way."""
    return [{"id": survey.id, "title": in_language(survey.title, language),
             "rounds": [_round_summary(found) for found in rounds],
             "published": [found.id for found in rounds if found.published]}
            for survey, rounds in published_surveys(now)]


def as_csv(document: dict) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=EXPORT_COLUMNS, lineterminator="\r\n")
    writer.writeheader()
    for row in document["rows"]:
        writer.writerow({**{k: "" if v is None else v for k, v in row.items()},
                         "suppressed": "true" if row["suppressed"] else "false"})
    return out.getvalue()


# --- the page ------------------------------------------------------------------------------------------


def _text(figure: Figure | None, digits: int = 0, percent: bool = False) -> str | None:
    if figure is not None and figure.hidden:
        # Not "fewer than 5": a figure hidden beside a small one (an all-districts count, say) may be large.
        return gettext("hidden")
    if figure is None or figure.value is None:
        return None
    value = figure.value * 100 if percent else figure.value
    return number(value, digits) + (" %" if percent else "")


def _change(before: Figure | None, after: Figure | None, scale: float = 1, digits: int = 1) -> str | None:
    if before is None or after is None or before.value is None or after.value is None:
        return None
    # The change between the figures as shown, so the columns add up for the reader.
    change = round(round(after.value * scale, digits) - round(before.value * scale, digits), digits)
    if change == 0:
        return number(0, digits)
    return ("+" if change > 0 else "−") + number(abs(change), digits)


def _label(question: Question, category: str) -> str:
    if question.kind == QuestionKind.SCALE:
        end = {"1": question.scale_low, "5": question.scale_high}.get(category)
        return f"{category} ({in_language(end)})" if end else category
    choice = next((c for c in question.choices if c["value"] == category), None)
    return in_language(choice["label"]) if choice else category


@dataclass
class Line:
    label: str
    cells: list[str | None]      # one per round
    change: str | None


@dataclass
class Table:
    district: str
    lines: list[Line]


@dataclass
class QuestionView:
    id: str
    wording: str
    kind: str
    chart: charts.Chart | None
    tables: list[Table]


def _district_names(rounds: list[RoundResults]) -> list[tuple[int | None, str]]:
    seen: dict[int, str] = {}
    for found in rounds:
        for district in found.districts:
            seen.setdefault(district.id, district.name)
    return [*seen.items(), (ALL, gettext("All districts"))]


def _question_view(rounds: list[RoundResults], placement_question: Question, names) -> QuestionView:
    question = placement_question
    per_round = [found.question(question.id) for found in rounds]
    tables = []
    for did, name in names:
        rows = [found.rows.get(did) if found else None for found in per_round]
        if not any(rows):
            continue
        first, last = rows[0], rows[-1]
        lines = [Line(gettext("Answers"), [_text(row.answers) if row else None for row in rows], None)]
        for index, category in enumerate(categories_of(question)):
            cells: list[str | None] = []
            for row in rows:
                if row is None:
                    cells.append(None)
                    continue
                _name, count, share = row.categories[index]
                if count.hidden or share.value is None:
                    cells.append(_text(count))
                else:
                    cells.append(f"{_text(share, 0, True)} ({_text(count)})")
            change = None
            if len(rows) > 1 and first and last:
                change = _change(first.categories[index][2], last.categories[index][2], 100, 0)
            lines.append(Line(_label(question, category), cells, change))
        if question.kind in (QuestionKind.SCALE, QuestionKind.NUMBER):
            lines.append(Line(gettext("Mean"), [_text(row.mean, 1) if row else None for row in rows],
                              _change(first.mean, last.mean) if len(rows) > 1 and first and last else None))
        if question.kind == QuestionKind.NUMBER:
            lines.append(Line(gettext("Median"), [_text(row.median, 1) if row else None for row in rows], None))
        tables.append(Table(name, lines))
    return QuestionView(f"q-{question.key}", question.wording_in(), question.kind.value,
                        _chart(rounds, per_round, question, names), tables)


def _chart(rounds: list[RoundResults], per_round, question: Question, names) -> charts.Chart | None:
    """Scales and numbers: the mean per district, a bar per round. Choices: the share of each choice over
    all districts, a bar per round. Free text: no chart, only its number of answers in the table."""
    chart_id = f"chart-{question.key}"
    title = question.wording_in()
    if question.kind in (QuestionKind.SCALE, QuestionKind.NUMBER):
        series = [charts.Series(found.round.label,
                                [found_q.rows[did].mean.value if found_q and did in found_q.rows
                                 and found_q.rows[did].mean is not None else None for did, _name in names])
                  for found, found_q in zip(rounds, per_round, strict=True)]
        summary = gettext("The mean per district, one bar per round.")
        return charts.bar_chart(chart_id, title, summary, [name for _did, name in names], series,
                                top=5 if question.kind == QuestionKind.SCALE else None)
    if question.kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE):
        series = [charts.Series(found.round.label,
                                [None if not found_q or found_q.rows[ALL].categories[i][2].value is None
                                 else round(found_q.rows[ALL].categories[i][2].value * 100, 1)
                                 for i in range(len(categories_of(question)))])
                  for found, found_q in zip(rounds, per_round, strict=True)]
        summary = gettext("The share of answers, in per cent, for each choice in all districts, one bar per round.")
        return charts.bar_chart(chart_id, title, summary, [_label(question, c) for c in categories_of(question)],
                                series, top=100)
    return None


@dataclass
class ReachLine:
    district: str
    cells: list[tuple[str | None, dict[str, str | None], str | None]]   # per round: answer sets, channels, rate


def page(survey: Survey, results: SurveyResults) -> dict:
    rounds = results.rounds
    names = _district_names(rounds)
    latest = rounds[-1].questions if rounds else []
    reach_lines = []
    for did, name in names:
        cells: list[tuple[str | None, dict[str, str | None], str | None]] = []
        for found in rounds:
            reached = found.reach.get(did)
            if reached is None:
                cells.append((None, {}, None))
                continue
            channels = {key: _text(figure) for key, figure in reached.channels.items()
                        if figure.hidden or figure.value}
            cells.append((_text(reached.answer_sets), channels, _text(reached.response_rate, 0, True)))
        reach_lines.append(ReachLine(name, cells))
    return {
        "survey": survey, "rounds": rounds, "open_rounds": results.open_rounds, "reach_lines": reach_lines,
        "questions": [_question_view(rounds, q.question, names) for q in latest],
        "channel_names": {"open": gettext("Open link"), "code": gettext("Printed code"),
                          "invitation": gettext("Invitation"), "paper": gettext("Paper form")},
        "downloads": {kind: url_for(f"insights.survey_export_{kind}", survey_id=survey.id) for kind in ("csv", "json")},
    }
