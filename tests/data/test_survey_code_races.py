"""A one-time survey code answers once, also when it is sent several times at once: on the database the
suite runs on (PostgreSQL when TEST_DATABASE_URL is set, else an SQLite file, where connections meet)."""
from __future__ import annotations

import threading
import time

import pytest

from app.core.rules import RuleBroken
from app.districts.services import get_district
from app.extensions import db
from app.surveys import services
from app.surveys.models import AccessCode, AnswerSet, Reach, SurveyRound
from tests.conftest import TEST_DATABASE_URL
from tests.helpers import make_user
from tests.survey_fixtures import make_survey_round

PEOPLE = 8


@pytest.fixture
def shared_app(app_factory, tmp_path):
    if TEST_DATABASE_URL:
        return app_factory()
    return app_factory(SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'survey-races.sqlite3'}")


def _round_with_code(app) -> tuple[int, str]:
    ids = make_survey_round(app, make_user(app, role="admin").id, reach=Reach.CODES)
    with app.app_context():
        code = services.make_codes(db.session.get_one(SurveyRound, ids.round), get_district("lademoen"), 2)[0]
        db.session.commit()
    return ids.round, code


def _spend(app, round_id: int, code: str, outcomes: list[str], hold: threading.Event | None = None,
           release: threading.Event | None = None) -> None:
    try:
        with app.app_context():
            try:
                services.start_by_code(db.session.get_one(SurveyRound, round_id), code)
                if hold is not None and release is not None:
                    hold.set()                 # spent, not yet committed
                    release.wait(30)
                db.session.commit()
                outcomes.append("answering")
            except RuleBroken as refused:
                db.session.rollback()
                # The refusals are said in the reader's language when shown; here, which one it was.
                outcomes.append({id(services.CODE_USED): "used", id(services.CODE_REFUSED): "not right"}
                                .get(id(refused.message), f"other: {refused.field}"))
    except Exception as error:  # noqa: BLE001  (reported by the test, in its own thread)
        outcomes.append(f"error: {error!r}")


def _answer_sets(app) -> int:
    with app.app_context():
        return db.session.scalar(db.select(db.func.count()).select_from(AnswerSet))


def test_the_same_code_sent_by_several_people_at_once_starts_exactly_one_answer_set(shared_app):
    app = shared_app
    round_id, code = _round_with_code(app)
    start, outcomes = threading.Barrier(PEOPLE), []

    def person() -> None:
        start.wait(30)
        _spend(app, round_id, code, outcomes)

    threads = [threading.Thread(target=person) for _ in range(PEOPLE)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert sorted(outcomes) == sorted(["answering"] + ["used"] * (PEOPLE - 1)), outcomes
    assert _answer_sets(app) == 1
    with app.app_context():
        assert db.session.scalars(db.select(AccessCode.used).order_by(AccessCode.id)).all().count(True) == 1


def test_a_second_submit_waits_for_the_first_and_is_then_told_the_code_is_used(shared_app):
    app = shared_app
    round_id, code = _round_with_code(app)
    holding, release, outcomes_first, outcomes_second = threading.Event(), threading.Event(), [], []
    first = threading.Thread(target=_spend, args=(app, round_id, code, outcomes_first, holding, release))
    first.start()
    assert holding.wait(30)
    second = threading.Thread(target=_spend, args=(app, round_id, code, outcomes_second))
    second.start()
    time.sleep(0.5)
    assert outcomes_second == [], "the second submit must wait for the first to finish"
    release.set()
    first.join(30)
    second.join(30)
    assert outcomes_first == ["answering"]
    assert outcomes_second == ["used"]
    assert _answer_sets(app) == 1


def test_a_code_from_another_round_or_mistyped_is_refused_and_spends_nothing(shared_app):
    app = shared_app
    round_id, code = _round_with_code(app)
    other_round, _other_code = _round_with_code(app)
    outcomes: list[str] = []
    _spend(app, other_round, code, outcomes)
    _spend(app, round_id, code[:-1] + ("A" if code[-1] != "A" else "B"), outcomes)
    assert outcomes == ["not right"] * 2
    _spend(app, round_id, code.lower().replace("-", " "), outcomes)   # as typed from the letter
    assert outcomes[-1] == "answering"
