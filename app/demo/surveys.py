"""Demo area survey: the question bank plus "Where did you meet them?", asked with printed codes in the
last two autumns, with a few hundred answers per district and round, and a round open to anyone now.

Districts differ a little, and so do the rounds (a bit safer and more at home in the later one, more people
meeting neighbours). Some figures are small on purpose, so the results page shows how they are hidden:
few paper forms in Møllenberg, and rare places people met their neighbours. Answer sets and answers are
bulk-inserted; running it again adds nothing.
"""
from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta, timezone

from sqlalchemy import func, insert, select

from app.districts.models import District
from app.extensions import db
from app.surveys.bank import QUESTIONS
from app.surveys.models import (
    Answer,
    AnswerSet,
    Channel,
    Placement,
    Question,
    QuestionKind,
    Reach,
    RoundDistrict,
    Survey,
    SurveyRound,
)
from app.surveys.services import question_from_bank

TITLE = {"nb": "Områdeundersøkelsen", "nn": "Områdeundersøkinga", "en": "The area survey"}
INTRO = {"nb": "Hvordan er det å bo i bydelen din? Det tar fem minutter.",
         "nn": "Korleis er det å bu i bydelen din? Det tek fem minutt.",
         "en": "What is it like to live in your district? It takes five minutes."}
WHERE_MET = {"nb": "Hvor møtte du dem?", "nn": "Kvar møtte du dei?", "en": "Where did you meet them?",
             "ar": "أين التقيت بهم؟", "so": "Halkee kula kulantay?", "ti": "ኣበይ ተራኺብኩምዎም?",
             "pl": "Gdzie ich spotkałeś?", "uk": "Де ви їх зустріли?"}
PLACES = [
    ("library", {"nb": "På biblioteket", "nn": "På biblioteket", "en": "At the library"}),
    ("language_cafe", {"nb": "På en språkkafé", "nn": "På ein språkkafé", "en": "At a language café"}),
    ("community_house", {"nb": "På bydelshuset eller frivilligsentralen", "nn": "På bydelshuset eller frivilligsentralen",
                         "en": "At the community house or volunteer centre"}),
    ("outdoors", {"nb": "Ute, på en felles dugnad eller fest", "nn": "Ute, på ein felles dugnad eller fest",
                  "en": "Outdoors, at a shared clean-up or party"}),
    ("other", {"nb": "Et annet sted", "nn": "Ein annan stad", "en": "Somewhere else"}),
]
# How often each place is ticked, by those who met neighbours: "other" is rare, so it is often hidden.
PLACE_ODDS = {"library": 0.45, "language_cafe": 0.25, "community_house": 0.35, "outdoors": 0.3, "other": 0.03}
FREE_TEXT = (
    "Det er for lite lys på gangstien langs jernbanen om kvelden.",
    "Fint med språkkafeen på biblioteket, der har jeg blitt kjent med flere naboer.",
    "Vi trenger flere benker og et sted for ungdommen å være på kveldstid.",
    "Biltrafikken i gata er blitt verre etter at de åpnet den nye parkeringen.",
    "Jeg trives godt, men skulle ønske det var lettere å finne ut hva som skjer.",
    "Søppeldunkene ved lekeplassen er ofte fulle i helgene.",
)
# Per district: (codes sent in the first autumn, share answering), then what changes in the later one.
DISTRICTS: dict[str, dict[str, tuple]] = {
    "lademoen": {"reached": (1200, 1250), "rate": (0.26, 0.28), "safety": (3.3, 3.5), "belonging": (3.4, 3.6),
                 "met": (0.34, 0.41), "paper": (14, 11)},
    "tempe-sorgenfri": {"reached": (900, 950), "rate": (0.27, 0.27), "safety": (3.7, 3.7), "belonging": (3.5, 3.6),
                        "met": (0.28, 0.31), "paper": (8, 6)},
    "mollenberg": {"reached": (700, 720), "rate": (0.31, 0.30), "safety": (3.9, 4.0), "belonging": (3.2, 3.3),
                   "met": (0.30, 0.36), "paper": (3, 2)},
}


def _autumns(now: datetime) -> tuple[int, int]:
    """The last two autumns whose round has closed (a round runs 15 September to 31 October)."""
    year = now.year if now.date() > date(now.year, 10, 31) else now.year - 1
    return year - 1, year


def _survey() -> tuple[Survey, dict[str, Question], Question]:
    survey = Survey(title=TITLE, intro=INTRO)
    db.session.add(survey)
    questions = {standard.key: question_from_bank(standard.key) for standard in QUESTIONS}
    where = Question(key="demo-where-met", version=1, kind=QuestionKind.MULTIPLE, wording=WHERE_MET,
                     choices=[{"value": value, "label": label} for value, label in PLACES])
    db.session.add(where)
    db.session.flush()
    position = 0
    for key, question in questions.items():
        position += 1
        db.session.add(Placement(survey=survey, question=question, position=position, required=False))
        if key == "met_neighbours_at_meeting_place":
            position += 1
            db.session.add(Placement(survey=survey, question=where, position=position, required=False,
                                     condition_question_id=question.id, condition_values=["yes"]))
    db.session.flush()
    return survey, questions, where


def _scale(rng: random.Random, mean: float) -> float:
    return float(min(5, max(1, round(rng.gauss(mean, 0.95)))))


def build_survey(seed: int, now: datetime) -> int:
    """The demo survey with its two rounds and their answers, unless it is there. Returns the answer sets added."""
    if db.session.scalar(select(func.count(Survey.id))):
        return 0
    districts = {d.slug: d.id for d in db.session.scalars(select(District).where(District.slug.in_(DISTRICTS)))}
    survey, questions, where = _survey()
    rng = random.Random(seed * 13)
    sets, answers = [], []
    next_set = (db.session.scalar(select(func.max(AnswerSet.id))) or 0) + 1
    for index, year in enumerate(_autumns(now)):
        opens = datetime.combine(date(year, 9, 15), time(6), tzinfo=timezone.utc)
        closes = datetime.combine(date(year, 10, 31), time(22), tzinfo=timezone.utc)
        survey_round = SurveyRound(survey=survey, label=f"Høsten {year}", opens_at=opens, closes_at=closes,
                                   reach=Reach.CODES, closed_at=closes,
                                   coverage=[RoundDistrict(district_id=districts[slug], reached=facts["reached"][index])
                                             for slug, facts in DISTRICTS.items() if slug in districts])
        db.session.add(survey_round)
        db.session.flush()
        for slug, facts in DISTRICTS.items():
            if slug not in districts:
                continue
            coded = round(facts["reached"][index] * facts["rate"][index])
            channels = [Channel.CODE] * int(coded) + [Channel.PAPER] * int(facts["paper"][index])
            for channel in channels:
                day = opens.date() + timedelta(days=rng.randrange(46))
                finished = rng.random() > 0.04
                sets.append({"id": next_set, "round_id": survey_round.id, "district_id": districts[slug],
                             "channel": channel.value, "started_on": day, "finished_on": day if finished else None,
                             "resume_hash": None})
                answers.extend(_answers(rng, next_set, facts, index, questions, where))
                next_set += 1
    # And one round open now, to anyone with the link, so the survey can be tried (it has no answers yet:
    # an open round's results are not published before it closes).
    db.session.add(SurveyRound(survey=survey, label=f"Vinteren {now.year}", opens_at=now - timedelta(days=3),
                               closes_at=now + timedelta(days=40), reach=Reach.OPEN,
                               coverage=[RoundDistrict(district_id=district_id) for district_id in districts.values()]))
    for start in range(0, len(sets), 2000):
        db.session.execute(insert(AnswerSet.__table__), sets[start:start + 2000])
    for start in range(0, len(answers), 5000):
        db.session.execute(insert(Answer.__table__), answers[start:start + 5000])
    return len(sets)


def _answers(rng: random.Random, set_id: int, facts: dict, index: int, questions: dict[str, Question],
             where: Question) -> list[dict]:
    safety, belonging = facts["safety"][index], facts["belonging"][index]
    met = rng.random() < facts["met"][index]
    given: dict[int, dict] = {
        questions["safety"].id: {"number": _scale(rng, safety)},
        questions["wellbeing"].id: {"number": _scale(rng, (safety + belonging) / 2 + 0.3)},
        questions["belonging"].id: {"number": _scale(rng, belonging + (0.4 if met else 0))},
        questions["safe_after_dark"].id: {"number": _scale(rng, safety - 0.4)},
        questions["know_where_to_take_part"].id: {"number": _scale(rng, 2.9 + 0.2 * index + (0.7 if met else 0))},
        questions["met_neighbours_at_meeting_place"].id: {"choice": "yes" if met else "no"},
        questions["years_in_district"].id: {"number": float(min(70, int(rng.expovariate(1 / 9))))},
    }
    if met:
        ticked = [value for value, _label in PLACES if rng.random() < PLACE_ODDS[value]]
        given[where.id] = {"choices": ticked or ["library"]}
    if rng.random() < 0.06:
        given[questions["anything_else"].id] = {"text": rng.choice(FREE_TEXT)}
    skipped = {question_id for question_id in given if question_id != questions["safety"].id and rng.random() < 0.03}
    if questions["met_neighbours_at_meeting_place"].id in skipped:
        skipped.add(where.id)     # asked only on a "yes"
    rows = []
    for question_id, fields in given.items():
        if question_id in skipped:
            continue     # left blank: only some questions are required
        rows.append({"answer_set_id": set_id, "question_id": question_id, "number": None, "choice": None,
                     "choices": None, "text": None, **fields})
    return rows
