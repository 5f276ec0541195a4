"""No survey answer can be traced to a person: the answer tables have no column that could hold an account,
a code, an invitation, an address or a time of day, and a finished answer set given by code or by invitation
holds nothing that its code's or invitation's row also holds."""
from __future__ import annotations

import re

import pytest
from sqlalchemy import Date, inspect

from app.accounts.models import User
from app.districts.services import get_district
from app.extensions import db
from app.surveys import codes as survey_codes
from app.surveys import services
from app.surveys.models import AccessCode, Answer, AnswerSet, Invitation, Question, Reach, SurveyRound
from tests.helpers import make_user
from tests.survey_fixtures import make_survey_round

# Every column the answer tables may have, and why each says nothing about who answered. A new column
# fails this test until it is added here with its reason.
ALLOWED = {
    "survey_answer_sets": {
        "id": "a number of its own",
        "round_id": "which round",
        "district_id": "which district the answers are about",
        "channel": "open link, code, invitation or paper: never which code or invitation",
        "started_on": "a day, not a time",
        "finished_on": "a day, not a time",
        "resume_hash": "a hash of a random token only the browser has; emptied when finished",
    },
    "survey_answers": {
        "id": "a number of its own",
        "answer_set_id": "the answer set",
        "question_id": "the question",
        "number": "the answer", "choice": "the answer", "choices": "the answer", "text": "the answer",
    },
}
TELLING = re.compile(r"user|account|code|invitation|mail|(^|_)ip(_|$)|address|agent|token|session|_at$|created|updated")


def test_the_answer_tables_have_no_column_that_could_link_to_a_person(app):
    with app.app_context():
        schema = inspect(db.engine)
        for table, allowed in ALLOWED.items():
            columns = {column["name"]: column for column in schema.get_columns(table)}
            assert set(columns) == set(allowed), f"{table}: a new column needs its reason in ALLOWED"
            referred = {fk["referred_table"] for fk in schema.get_foreign_keys(table)}
            assert referred <= {"survey_rounds", "districts", "survey_answer_sets", "survey_questions"}, table
            for name in columns:
                if name != "resume_hash":
                    assert not TELLING.search(name), f"{table}.{name}"
        dates = {name: column["type"] for name, column in
                 ((c["name"], c) for c in schema.get_columns("survey_answer_sets")) if name.endswith("_on")}
        assert dates and all(isinstance(kind, Date) for kind in dates.values()), "days only, never times"
        # A code or an invitation is only marked used: not when, and not by what.
        for table in ("survey_access_codes", "survey_invitations"):
            names = {column["name"] for column in schema.get_columns(table)}
            assert not {"answer_set_id", "used_at"} & names, table
            assert "survey_answer_sets" not in {fk["referred_table"] for fk in schema.get_foreign_keys(table)}


def _values(row) -> set[str]:
    return {str(getattr(row, column.key)) for column in inspect(type(row)).columns
            if getattr(row, column.key) not in (None, "", [], {})}


@pytest.mark.parametrize("reach", [Reach.CODES, Reach.INVITATIONS])
def test_a_finished_answer_set_shares_nothing_with_the_code_or_invitation_that_opened_it(app, reach):
    admin = make_user(app, role="admin")
    ids = make_survey_round(app, admin.id, reach=reach)
    with app.app_context():
        survey_round = db.session.get_one(SurveyRound, ids.round)
        district = get_district("lademoen")
        if reach == Reach.CODES:
            code = services.make_codes(survey_round, district, 3)[1]
            started = services.start_by_code(survey_round, code)
            secret = code
            spent = db.session.scalar(db.select(AccessCode).where(AccessCode.code_hash == survey_codes.code_hash(code)))
        else:
            services.invite(db.session.get_one(User, admin.id), survey_round, district, ["kari.nordmann@example.no"])
            spent = db.session.scalars(db.select(Invitation)).one()
            secret = services.invitation_token(spent.token_nonce)
            started = services.start_by_invitation(survey_round, secret)
        for key, value in {"safety": 4, "safe_after_dark": 2, "met_neighbours_at_meeting_place": "no",
                           "years_in_district": 3, "uses": "no", "anything_else": "Mer lys."}.items():
            services.save_answer(started.answer_set, db.session.get_one(Question, ids.questions[key]), value)
        services.finish(started.answer_set)
        db.session.commit()
        db.session.expire_all()
        spent = db.session.get(type(spent), spent.id)
        assert spent.used
        answer_set = db.session.get_one(AnswerSet, started.answer_set.id)
        assert answer_set.channel == ("code" if reach == Reach.CODES else "invitation")
        stored = _values(answer_set) | set().union(*(_values(a) for a in db.session.scalars(
            db.select(Answer).where(Answer.answer_set_id == answer_set.id))))
        personal = {secret, survey_codes.normalise(secret), survey_codes.code_hash(secret), admin.email,
                    "kari.nordmann@example.no"} | {v for v in _values(spent) if len(v) > 8}
        assert not stored & personal
        assert answer_set.resume_hash is None
