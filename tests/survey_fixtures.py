"""A survey to answer in a test: the bank's questions plus a conditional pair, and an open round over
Lademoen and Møllenberg. ``make_survey_round`` returns plain ids (rows belong to the app context they were
loaded in)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from app.accounts.models import User
from app.core.db import utcnow
from app.districts.services import get_district
from app.extensions import db
from app.surveys import services
from app.surveys.bank import YES_NO
from app.surveys.models import QuestionKind, Reach

TITLE = {"nb": "Områdeundersøkelsen", "nn": "Områdeundersøkinga", "en": "The area survey"}
USES_MEETING_PLACE = {"nb": "Bruker du en møteplass i nærområdet?", "en": "Do you use a local meeting place?"}
WHICH_MEETING_PLACE = {"nb": "Hvilken møteplass bruker du mest?", "en": "Which meeting place do you use most?"}
PLACES = [{"value": "library", "label": {"nb": "Biblioteket", "en": "The library"}},
          {"value": "cafe", "label": {"nb": "Kafeen", "en": "The café"}},
          {"value": "park", "label": {"nb": "Parken", "en": "The park"}}]


@dataclass
class SurveyIds:
    survey: int
    round: int
    admin: int
    questions: dict[str, int]   # bank key, or "uses"/"which" for the conditional pair


def make_survey_round(app, admin_id: int, reach: Reach = Reach.OPEN, opens_in_days: int = -1,
                      closes_in_days: int = 30) -> SurveyIds:
    with app.app_context():
        admin = db.session.get(User, admin_id)
        survey = services.create_survey_from_bank(
            admin, TITLE, {"nb": "Det tar fem minutter."},
            ["safety", "safe_after_dark", "met_neighbours_at_meeting_place", "years_in_district"], required=True)
        services.add_question(admin, survey, services.question_from_bank("anything_else"))
        uses = services.create_question(admin, QuestionKind.SINGLE, USES_MEETING_PLACE,
                                        choices=YES_NO)
        which = services.create_question(admin, QuestionKind.MULTIPLE, WHICH_MEETING_PLACE, choices=PLACES)
        services.add_question(admin, survey, uses, required=True)
        services.add_question(admin, survey, which, required=True, shown_if=uses, shown_if_values=["yes"])
        now = utcnow()
        survey_round = services.create_round(
            admin, survey, "høsten 2026", now + timedelta(days=opens_in_days), now + timedelta(days=closes_in_days),
            reach, [get_district("lademoen"), get_district("mollenberg")])
        questions = {p.question.key: p.question_id for p in survey.placements if not p.question.key.startswith("custom")}
        questions |= {"uses": uses.id, "which": which.id}
        ids = SurveyIds(survey.id, survey_round.id, admin_id, questions)
        db.session.commit()
        return ids

