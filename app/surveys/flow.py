"""Where a person answering a survey is: the questions asked of them so far, the one before and after,
how far they have come, and their answers as the review page says them back.

The questions shown depend on the answers given (one level of conditions), so the way through is worked
out again from the answers each time a page is drawn, never stored: a changed answer that hides a later
question takes it out of the count at once, and ``services.finish`` drops its answer.
"""
from __future__ import annotations

from dataclasses import dataclass

from app.core.i18n import format_decimal
from app.core.i18n import gettext as _
from app.surveys import services
from app.surveys.models import Answer, Placement, QuestionKind, SurveyRound, in_language


@dataclass(frozen=True)
class Step:
    """One question's place on the way through: ``number`` of ``total`` shown, and its neighbours."""

    placement: Placement
    number: int
    total: int
    previous: Placement | None
    following: Placement | None


def shown(survey_round: SurveyRound, given: dict[int, Answer]) -> list[Placement]:
    return [placement for placement in survey_round.survey.placements if services.is_shown(placement, given)]


def step(survey_round: SurveyRound, given: dict[int, Answer], question_id: int) -> Step | None:
    """The step of ``question_id``, or None when it is not asked of this person (not in the survey, or its
    condition is not met)."""
    asked = shown(survey_round, given)
    for index, placement in enumerate(asked):
        if placement.question_id == question_id:
            return Step(placement, index + 1, len(asked), asked[index - 1] if index else None,
                        asked[index + 1] if index + 1 < len(asked) else None)
    return None


def opened_by(placement: Placement, question_id: int, given: dict[int, Answer]) -> bool:
    """Whether ``placement`` is asked because of the answer to ``question_id`` and has no answer yet."""
    return placement.condition_question_id == question_id and placement.question_id not in given


def first_unanswered(survey_round: SurveyRound, given: dict[int, Answer]) -> Placement | None:
    """Where someone coming back carries on: the first question asked and not answered yet."""
    return next((p for p in shown(survey_round, given) if p.question_id not in given), None)


def said(placement: Placement, answer: Answer | None) -> str:
    """An answer as the review page says it back, in the reader's language."""
    if answer is None:
        return _("Not answered")
    question = placement.question
    labels = {choice["value"]: in_language(choice["label"]) for choice in question.choices}
    if question.kind == QuestionKind.SINGLE:
        return labels.get(answer.choice or "", answer.choice or "")
    if question.kind == QuestionKind.MULTIPLE:
        return ", ".join(labels.get(value, value) for value in answer.choices or [])
    if question.kind == QuestionKind.SCALE and answer.number is not None:
        return _("%(answer)s of 5", answer=format_decimal(int(answer.number)))
    if question.kind == QuestionKind.NUMBER and answer.number is not None:
        return format_decimal(int(answer.number))
    return answer.text or ""


def form_value(answer: Answer | None):
    """An answer as its form field holds it: what the person gave, to show again."""
    if answer is None:
        return None
    if answer.choices is not None:
        return list(answer.choices)
    if answer.number is not None:
        return str(int(answer.number))
    return answer.choice if answer.choice is not None else answer.text


def minutes(survey) -> int:
    """About how long answering takes, said on the first page: half a minute a question, two at least."""
    return max(2, -(-len(survey.placements) // 2))


def condition_numbers(placements: list[Placement]) -> dict[int, int]:
    """For the paper version: the number of the earlier question each conditional question depends on."""
    number = {placement.question_id: index for index, placement in enumerate(placements, start=1)}
    return {p.question_id: number[p.condition_question_id] for p in placements if p.condition_question_id}
