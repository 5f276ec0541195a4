""""Fewer than 5" cannot be undone by subtraction in the area survey's results either.

Generated rounds full of small figures (two districts, 3 to 30 answer sets each, rare choices, a question
shown only on "yes", free text, paper forms beside codes), everything a visitor can fetch from the API,
and every equation a visitor could write between the figures: choices add up to the answers, a scale's
points weigh up to answers × mean, districts add up to all districts, channels to answer sets, a required
question's answers are the answer sets, a conditional question's answers are the earlier question's "yes"
(taken as known where true), and the response rate × reached is codes plus invitations. The check is the
exact linear algebra of the indicators' test: no hidden figure follows from what is shown.
"""
from __future__ import annotations

import csv
import io
import random
from dataclasses import dataclass, field
from fractions import Fraction

import pytest

from app.extensions import db
from app.surveys.models import Channel, Question, Reach, RoundDistrict
from tests.helpers import build_app, discard_app, make_user
from tests.security.round_two.test_insights_disclosure import determined, subtract_everything
from tests.survey_fixtures import make_survey_round
from tests.survey_results_fixtures import SECRET_TEXT, add_answers, close

SMALLEST = 5
REQUIRED = ("safety", "safe_after_dark", "met_neighbours_at_meeting_place", "years_in_district", "uses")
SCALES = ("safety", "safe_after_dark")
CHOICES = {"met_neighbours_at_meeting_place": ("yes", "no"), "uses": ("yes", "no"),
           "which": ("library", "cafe", "park")}
Cell = tuple     # (round, district, question, figure, category)


def _answers(rng: random.Random) -> dict:
    tilt = rng.choice([0.05, 0.2, 0.5, 0.8, 0.95])
    answers = {"safety": rng.choices(range(1, 6), weights=[1, 2, 6, 8, 3])[0],
               "safe_after_dark": rng.choice([1, 2, 3, 3, 4, 4, 4, 5]),
               "met_neighbours_at_meeting_place": "yes" if rng.random() < tilt else "no",
               "years_in_district": rng.randrange(0, 40), "uses": "yes" if rng.random() < 0.7 else "no"}
    if answers["uses"] == "yes":
        answers["which"] = [place for place in CHOICES["which"] if rng.random() < 0.5] or ["library"]
    if rng.random() < 0.15:
        answers["anything_else"] = SECRET_TEXT
    return answers


@dataclass
class World:
    rows: list[dict] = field(default_factory=list)
    csv_rows: list[dict] = field(default_factory=list)
    true_links: list[tuple[Cell, Cell]] = field(default_factory=list)   # equal figures a visitor may guess

    @property
    def cells(self) -> dict[Cell, tuple[object, bool]]:
        found: dict[Cell, tuple[object, bool]] = {}
        for r in self.rows:
            key = (r["round"], r["district"], r["question"], r["figure"], r["category"])
            found[key] = (r["value"], r["suppressed"])
        # answers × mean, a whole number: known exactly where both are shown.
        for (rnd, district, question, figure, _c), (value, suppressed) in list(found.items()):
            if figure == "mean":
                answers, hidden = found[(rnd, district, question, "answers", None)]
                known = not suppressed and not hidden
                found[(rnd, district, question, "sum", None)] = (round(answers * value) if known else None, not known)
        return found


@pytest.fixture(scope="module")
def world():
    app = build_app()
    rng = random.Random(7)
    world = World()
    try:
        admin = make_user(app, role="admin").id
        for n in range(8):
            ids = make_survey_round(app, admin, reach=Reach.CODES if n % 2 else Reach.OPEN)
            for slug in ("lademoen", "mollenberg"):
                sets = [_answers(rng) for _ in range(rng.randrange(3, 31))]
                split = rng.randrange(0, 4)
                add_answers(app, ids, slug, sets[split:], Channel.CODE if n % 2 else Channel.OPEN)
                add_answers(app, ids, slug, sets[:split], Channel.PAPER)
                add_answers(app, ids, slug, [_answers(rng)], finished=False)
            with app.app_context():
                for row in db.session.query(RoundDistrict).filter_by(round_id=ids.round):
                    row.reached = 40 if n % 2 else 0
                db.session.commit()
            close(app, ids)
            client = app.test_client()
            answer = client.get(f"/api/v1/surveys/{ids.survey}/results")
            assert answer.status_code == 200
            with app.app_context():
                # The conditional pair are made for the survey: named here as the equations name them.
                names = {db.session.get_one(Question, ids.questions[name]).key: name for name in ("uses", "which")}
            world.rows += [{**row, "question": names.get(row["question"], row["question"])}
                           for row in answer.get_json()["rows"]]
            download = client.get(f"/insights/surveys/{ids.survey}/results.csv").get_data(as_text=True)
            world.csv_rows += list(csv.DictReader(io.StringIO(download)))
        yield world
    finally:
        discard_app(app)


def equations(world: World) -> list[tuple[dict[Cell, int], Fraction]]:
    cells = world.cells
    found: list[tuple[dict[Cell, int], Fraction]] = []
    rounds = sorted({key[0] for key in cells})
    for rnd in rounds:
        districts = sorted({key[1] for key in cells if key[0] == rnd and key[1] != "all"})
        for where in (*districts, "all"):
            sets = (rnd, where, None, "answer_sets", None)
            channels = [key for key in cells if key[:2] == (rnd, where) and key[3] == "channel"]
            found.append(({sets: 1, **{key: -1 for key in channels}}, Fraction(0)))
            rate, reached = cells.get((rnd, where, None, "response_rate", None)), cells.get((rnd, where, None, "reached", None))
            if rate and not rate[1]:
                responded = round(Fraction(str(rate[0])) * reached[0])
                found.append(({(rnd, where, None, "channel", "code"): 1, (rnd, where, None, "channel", "invitation"): 1},
                              Fraction(responded)))
            for question in (*REQUIRED, "which", "anything_else"):
                answers = (rnd, where, question, "answers", None)
                categories = CHOICES.get(question) or (tuple(str(p) for p in range(1, 6)) if question in SCALES else ())
                if question not in ("which",) and categories:
                    found.append(({answers: -1, **{(rnd, where, question, "count", c): 1 for c in categories}}, Fraction(0)))
                if question in SCALES:
                    found.append(({(rnd, where, question, "sum", None): -1,
                                   **{(rnd, where, question, "count", c): int(c) for c in categories}}, Fraction(0)))
        for key in [key for key in cells if key[0] == rnd and key[1] == "all"]:
            parts = [(rnd, d, *key[2:]) for d in districts]
            if key[3] in ("answers", "count", "sum", "answer_sets", "channel") and all(p in cells for p in parts):
                found.append(({key: 1, **{part: -1 for part in parts}}, Fraction(0)))
    for one, other in world.true_links:
        found.append(({one: 1, other: -1}, Fraction(0)))
    return found


def _links(world: World) -> None:
    """Equal figures a visitor may guess: a required question's answers and the answer sets; the
    conditional question's answers and the earlier "yes" (taken as known wherever they are equal)."""
    cells = world.cells
    for key in [key for key in cells if key[3] == "answers"]:
        rnd, where, question = key[:3]
        sets = (rnd, where, None, "answer_sets", None)
        if question in REQUIRED:
            world.true_links.append((key, sets))
        if question == "which":
            world.true_links.append((key, (rnd, where, "uses", "count", "yes")))


def test_no_hidden_survey_figure_is_pinned_down_by_the_published_equations(world):
    _links(world)
    published = type("Published", (), {"cells": world.cells})()
    hidden = [key for key, (_value, suppressed) in world.cells.items() if suppressed]
    assert len(hidden) > 50, "the generated rounds should have many hidden figures"
    assert any(key[2:] == ("uses", "count", "yes") for key in hidden), "and some a conditional question hangs on"
    found = equations(world)
    assert not subtract_everything(published, found)
    pinned = determined(published, found)
    assert not pinned, f"{len(pinned)} hidden figures follow from what is shown, e.g. {sorted(pinned, key=str)[:5]}"


def test_a_shown_count_is_never_small_and_hidden_ones_are_null_everywhere(world):
    for row in world.rows:
        if row["figure"] in ("answers", "count", "answer_sets", "channel") and not row["suppressed"]:
            assert row["value"] == 0 or row["value"] >= SMALLEST, row
        if row["suppressed"]:
            assert row["value"] is None, row
    assert len(world.csv_rows) == len(world.rows)
    for row, line in zip(world.rows, world.csv_rows, strict=True):
        assert (line["suppressed"] == "true") == row["suppressed"] and (line["value"] == "") == (row["value"] is None)
