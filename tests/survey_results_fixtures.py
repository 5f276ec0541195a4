"""Answers put straight into a survey round, for the results' tests: as many as a test needs, quickly, then
the round closed so its results are published."""
from __future__ import annotations

from datetime import date, timedelta

from app.core.db import utcnow
from app.districts.services import get_district
from app.extensions import db
from app.surveys.models import Answer, AnswerSet, Channel, Question, QuestionKind, SurveyRound

SECRET_TEXT = "Naboen min Kari i tredje etasje spiller høy musikk"


def add_answers(app, ids, slug: str, answers: list[dict], channel: Channel = Channel.OPEN,
                finished: bool = True) -> None:
    """One finished answer set per dict of answers (question key → value) in district ``slug``."""
    with app.app_context():
        district = get_district(slug)
        questions = {key: db.session.get_one(Question, qid) for key, qid in ids.questions.items()}
        for given in answers:
            answer_set = AnswerSet(round_id=ids.round, district_id=district.id, channel=channel,
                                   started_on=date(2026, 10, 1), finished_on=date(2026, 10, 1) if finished else None)
            for key, value in given.items():
                kind = questions[key].kind
                fields = {"number": float(value)} if kind in (QuestionKind.SCALE, QuestionKind.NUMBER) else \
                    {"choice": value} if kind == QuestionKind.SINGLE else \
                    {"choices": list(value)} if kind == QuestionKind.MULTIPLE else {"text": value}
                answer_set.answers.append(Answer(question_id=questions[key].id, **fields))
            db.session.add(answer_set)
        db.session.commit()


def close(app, ids) -> None:
    with app.app_context():
        survey_round = db.session.get_one(SurveyRound, ids.round)
        survey_round.closed_at = utcnow() - timedelta(minutes=1)
        db.session.commit()


def known_data(app, ids) -> None:
    """Lademoen: 10 finished answer sets (and one unfinished); Møllenberg: 20, every figure 5 or more or 0."""
    lademoen = []
    for n, safety in enumerate([5, 5, 4, 4, 4, 3, 3, 3, 3, 3]):
        answers = {"safety": safety, "safe_after_dark": 4, "met_neighbours_at_meeting_place": "yes" if n < 7 else "no",
                   "years_in_district": [1, 2, 3, 4, 5, 6, 7, 8, 9, 50][n], "uses": "yes" if n < 6 else "no"}
        if n < 6:
            answers["which"] = ["library"] if n < 3 else ["cafe", "park"]
        if n < 2:
            answers["anything_else"] = SECRET_TEXT
        lademoen.append(answers)
    add_answers(app, ids, "lademoen", lademoen)
    add_answers(app, ids, "lademoen", [{"safety": 1, "anything_else": SECRET_TEXT}], finished=False)
    mollenberg = []
    for n in range(20):
        answers = {"safety": 4 if n < 10 else 5, "safe_after_dark": 2, "met_neighbours_at_meeting_place": "no" if n % 2 else "yes",
                   "years_in_district": 10, "uses": "yes", "which": ["library"] if n < 10 else ["library", "cafe"]}
        if n < 6:
            answers["anything_else"] = SECRET_TEXT
        mollenberg.append(answers)
    add_answers(app, ids, "mollenberg", mollenberg[:15], Channel.OPEN)
    add_answers(app, ids, "mollenberg", mollenberg[15:], Channel.PAPER)
