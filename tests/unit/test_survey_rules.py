"""The area survey's rules: answers checked per kind of question, conditional questions, finishing, the
wording of an answered question kept (a new version instead), invitation lists deleted when a round closes,
free text purged, and the question bank complete in every interface language."""
from __future__ import annotations

from datetime import timedelta

import pytest

from app.accounts.models import User
from app.core.db import utcnow
from app.core.rules import Forbidden, RuleBroken
from app.districts.services import get_district
from app.extensions import db
from app.surveys import flow, services
from app.surveys.bank import QUESTIONS
from app.surveys.models import Answer, AnswerSet, Invitation, Question, QuestionKind, Reach, SurveyRound
from config import Config
from tests.helpers import make_user
from tests.survey_fixtures import make_survey_round


@pytest.fixture
def survey(app):
    return make_survey_round(app, make_user(app, role="admin").id)


def _question(ids, key) -> Question:
    return db.session.get_one(Question, ids.questions[key])


def _round(ids) -> SurveyRound:
    return db.session.get_one(SurveyRound, ids.round)


def _admin(ids) -> User:
    return db.session.get_one(User, ids.admin)


def _answered(app, survey, answers: dict) -> int:
    """An answer set in Lademoen with ``answers`` (question key → value) saved; its id."""
    with app.app_context():
        started = services.start_open(_round(survey), get_district("lademoen"))
        for key, value in answers.items():
            services.save_answer(started.answer_set, _question(survey, key), value)
        db.session.commit()
        return started.answer_set.id


FULL = {"safety": 4, "safe_after_dark": "2", "met_neighbours_at_meeting_place": "yes", "years_in_district": "12",
        "uses": "no"}


# --- answers checked per kind ------------------------------------------------------------------------------

GOOD_AND_BAD = [
    # key, accepted values with what is stored, refused values
    ("safety", [(1, {"number": 1.0}), ("5", {"number": 5.0})], [0, 6, "3.5", "three", True, [3]]),
    ("years_in_district", [(0, {"number": 0.0}), ("100", {"number": 100.0})], [-1, 101, "12 years", 1.5]),
    ("met_neighbours_at_meeting_place", [("yes", {"choice": "yes"}), ("no", {"choice": "no"})],
     ["maybe", "Yes", ["yes"], 1]),
    ("which", [(["park", "library", "park"], {"choices": ["library", "park"]}), ("cafe", {"choices": ["cafe"]})],
     [["library", "pool"], "pool", [1]]),
    ("anything_else", [("  Flere benker, takk. ", {"text": "Flere benker, takk."})],
     ["x" * 501, "ring\x07bell", 42]),
]


@pytest.mark.parametrize("key, accepted, refused", GOOD_AND_BAD, ids=[row[0] for row in GOOD_AND_BAD])
def test_each_kind_of_question_takes_only_answers_of_its_kind(app, survey, key, accepted, refused):
    with app.app_context():
        answer_set = services.start_open(_round(survey), get_district("lademoen")).answer_set
        question = _question(survey, key)
        for value, stored in accepted:
            answer = services.save_answer(answer_set, question, value)
            assert {name: getattr(answer, name) for name in stored} == stored, value
        for value in refused:
            with pytest.raises(RuleBroken) as refusal:
                services.save_answer(answer_set, question, value)
            assert refusal.value.field == f"q{question.id}", value


def test_an_answer_saved_again_replaces_the_first_and_a_blank_one_takes_it_back(app, survey):
    set_id = _answered(app, survey, {"safety": 2})
    with app.app_context():
        answer_set = db.session.get_one(AnswerSet, set_id)
        services.save_answer(answer_set, _question(survey, "safety"), 5)
        assert [a.number for a in db.session.scalars(db.select(Answer))] == [5.0]
        services.save_answer(answer_set, _question(survey, "safety"), "")
        assert db.session.scalars(db.select(Answer)).all() == []


def test_a_question_the_survey_does_not_ask_is_refused(app, survey):
    with app.app_context():
        other = services.question_from_bank("wellbeing")
        answer_set = services.start_open(_round(survey), get_district("lademoen")).answer_set
        with pytest.raises(RuleBroken):
            services.save_answer(answer_set, other, 3)


# --- conditional questions and finishing ---------------------------------------------------------------------


def test_a_conditional_question_is_needed_only_when_its_condition_holds(app, survey):
    skipping = _answered(app, survey, FULL)
    needing = _answered(app, survey, FULL | {"uses": "yes"})
    with app.app_context():
        done = services.finish(db.session.get_one(AnswerSet, skipping))
        assert done.finished_on is not None
        with pytest.raises(RuleBroken) as refusal:
            services.finish(db.session.get_one(AnswerSet, needing))
        assert refusal.value.field == f"q{survey.questions['which']}"
        services.save_answer(db.session.get_one(AnswerSet, needing), _question(survey, "which"), ["cafe"])
        assert services.finish(db.session.get_one(AnswerSet, needing)).finished_on is not None


def test_an_answer_to_a_question_no_longer_asked_is_dropped_when_finishing(app, survey):
    set_id = _answered(app, survey, FULL | {"uses": "yes", "which": ["park"]})
    with app.app_context():
        answer_set = db.session.get_one(AnswerSet, set_id)
        shown = [p.question_id for p in flow.shown(_round(survey), services.answers(answer_set))]
        assert survey.questions["which"] in shown
        services.save_answer(answer_set, _question(survey, "uses"), "no")    # changed their mind
        assert survey.questions["which"] not in [p.question_id for p in flow.shown(_round(survey), services.answers(answer_set))]
        services.finish(answer_set)
        db.session.commit()
        kept = set(db.session.scalars(db.select(Answer.question_id).where(Answer.answer_set_id == set_id)))
        assert survey.questions["which"] not in kept and survey.questions["uses"] in kept


def test_finishing_needs_every_required_question_and_then_forgets_the_way_back(app, survey):
    set_id = _answered(app, survey, {k: v for k, v in FULL.items() if k != "safe_after_dark"})
    with app.app_context():
        answer_set = db.session.get_one(AnswerSet, set_id)
        with pytest.raises(RuleBroken) as refusal:
            services.finish(answer_set)
        assert refusal.value.field == f"q{survey.questions['safe_after_dark']}"
        services.save_answer(answer_set, _question(survey, "safe_after_dark"), 3)
        services.finish(answer_set)   # the optional free text may stay empty
        assert answer_set.resume_hash is None
        with pytest.raises(RuleBroken):
            services.save_answer(answer_set, _question(survey, "safety"), 1)


def test_answers_are_resumed_with_the_browsers_token_and_only_while_unfinished(app, survey):
    with app.app_context():
        started = services.start_open(_round(survey), get_district("lademoen"))
        assert services.resume(_round(survey), started.resume_token) is started.answer_set
        assert services.resume(_round(survey), "someone-elses-guess") is None
        assert started.answer_set.resume_hash != started.resume_token   # only a hash is kept
        for key, value in FULL.items():
            services.save_answer(started.answer_set, _question(survey, key), value)
        services.finish(started.answer_set)
        assert services.resume(_round(survey), started.resume_token) is None


def test_a_condition_must_be_an_earlier_unconditional_choice_question(app, survey):
    with app.app_context():
        admin, survey_row = _admin(survey), _round(survey).survey
        extra = services.create_question(admin, QuestionKind.TEXT, {"nb": "Hva savner du?"})
        with pytest.raises(RuleBroken):   # a scale is not a choice question
            services.add_question(admin, survey_row, extra, shown_if=_question(survey, "safety"), shown_if_values=["5"])
        with pytest.raises(RuleBroken):   # two levels
            services.add_question(admin, survey_row, extra, shown_if=_question(survey, "which"), shown_if_values=["park"])
        with pytest.raises(RuleBroken):   # not an answer it has
            services.add_question(admin, survey_row, extra, shown_if=_question(survey, "uses"), shown_if_values=["perhaps"])
        placed = services.add_question(admin, survey_row, extra, shown_if=_question(survey, "uses"), shown_if_values=["no"])
        assert placed.condition_question_id == survey.questions["uses"]


# --- the wording of an answered question --------------------------------------------------------------------


def test_a_question_with_answers_cannot_change_and_a_new_version_is_made_instead(app, survey):
    with app.app_context():
        custom = services.create_question(_admin(survey), QuestionKind.SINGLE, {"nb": "Har du hage?"},
                                          choices=[{"value": "yes", "label": {"nb": "Ja"}},
                                                   {"value": "no", "label": {"nb": "Nei"}}])
        services.add_question(_admin(survey), _round(survey).survey, custom)
        # Unanswered, it may still be corrected.
        services.change_question(_admin(survey), custom, wording={"nb": "Har du egen hage?"})
        custom_id = custom.id
        db.session.commit()
    _answered(app, survey, {"safety": 3})
    with app.app_context():
        admin, custom = _admin(survey), db.session.get_one(Question, custom_id)
        started = services.start_open(_round(survey), get_district("mollenberg"))
        services.save_answer(started.answer_set, custom, "no")
        db.session.commit()
        for change in ({"wording": {"nb": "Har du balkong?"}}, {"kind": QuestionKind.MULTIPLE},
                       {"choices": [{"value": "yes", "label": {"nb": "Ja"}}, {"value": "maybe", "label": {"nb": "Kanskje"}}]}):
            with pytest.raises(RuleBroken) as refusal:
                services.change_question(admin, custom, **change)
            with app.test_request_context("/?lang=en"):    # the refusal is said in the reader's language
                assert "new version" in refusal.value.message
        db.session.rollback()
        assert db.session.get_one(Question, custom_id).wording == {"nb": "Har du egen hage?"}

        newer = services.new_version(admin, custom, wording={"nb": "Har du balkong eller hage?"})
        assert (newer.key, newer.version) == (custom.key, 2)
        assert custom.wording == {"nb": "Har du egen hage?"} and custom.choices == newer.choices
        # A standard question is reworded in the bank, never in place, even before it has answers.
        for change in (services.change_question, services.new_version):
            with pytest.raises(RuleBroken):
                change(admin, services.question_from_bank("wellbeing"), wording={"nb": "Trives du?"})


def test_the_same_standard_question_is_one_row_in_every_survey(app, survey):
    with app.app_context():
        other = services.create_survey_from_bank(_admin(survey), {"nb": "Sluttevaluering 2028"}, None,
                                                 ["safe_after_dark"])
        assert other.placements[0].question_id == survey.questions["safe_after_dark"]


def test_only_administrators_build_surveys(app, survey):
    resident = make_user(app)
    with app.app_context():
        with pytest.raises(Forbidden):
            services.create_survey(db.session.get_one(User, resident.id), {"nb": "Min undersøkelse"})
        with pytest.raises(Forbidden):
            services.close_round(db.session.get_one(User, resident.id), _round(survey))


# --- rounds, invitations and purging --------------------------------------------------------------------------


def test_closing_a_round_deletes_its_invitation_list_and_stops_answers(app):
    admin = make_user(app, role="admin")
    ids = make_survey_round(app, admin.id, reach=Reach.INVITATIONS)
    with app.app_context():
        added = services.invite(_admin(ids), _round(ids), get_district("lademoen"),
                                ["kari@example.no", "Kari@example.no ", "ola@example.no"])
        assert added == 2
        invitation = db.session.scalars(db.select(Invitation)).first()
        started = services.start_by_invitation(_round(ids), services.invitation_token(invitation.token_nonce))
        db.session.commit()
        with pytest.raises(RuleBroken):   # once
            services.start_by_invitation(_round(ids), services.invitation_token(invitation.token_nonce))
        assert services.close_round(_admin(ids), _round(ids)) == 2
        db.session.commit()
        assert db.session.scalars(db.select(Invitation)).all() == []
        assert _round(ids).coverage[0].reached == 2    # the response rate keeps its denominator
        with pytest.raises(RuleBroken):
            services.save_answer(db.session.get_one(AnswerSet, started.answer_set.id), _question(ids, "safety"), 3)


def test_the_purge_deletes_invitation_lists_of_rounds_past_their_closing_time(app):
    admin = make_user(app, role="admin")
    ids = make_survey_round(app, admin.id, reach=Reach.INVITATIONS, closes_in_days=2)
    with app.app_context():
        services.invite(_admin(ids), _round(ids), get_district("mollenberg"), ["kari@example.no"])
        db.session.commit()
        assert services.purge(utcnow() + timedelta(days=1))["survey_invitations"] == 0
        assert services.purge(utcnow() + timedelta(days=3))["survey_invitations"] == 1
        assert db.session.scalars(db.select(Invitation)).all() == []


def test_free_text_is_purged_after_its_period_and_the_rest_of_the_answers_stay(app, survey):
    old = _answered(app, survey, FULL | {"anything_else": "Naboen min heter Per og bor i nr. 4."})
    new = _answered(app, survey, FULL | {"anything_else": "Mer lys i parken."})
    days = Config.SURVEY_FREE_TEXT_RETENTION_DAYS
    with app.app_context():
        db.session.get_one(AnswerSet, old).started_on -= timedelta(days=days + 1)
        db.session.get_one(AnswerSet, new).started_on -= timedelta(days=days - 1)
        db.session.commit()
        assert services.purge_free_text() == 1
        db.session.commit()
        texts = sorted(db.session.scalars(db.select(Answer.text).where(Answer.text.is_not(None))))
        assert texts == ["", "Mer lys i parken."]   # emptied, not removed: the published counts do not change
        assert db.session.scalar(db.select(db.func.count()).select_from(Answer).where(Answer.answer_set_id == old)) == 6
        assert services.purge_free_text() == 0


def test_privacy_purge_runs_the_survey_purge(app, survey):
    _answered(app, survey, {"anything_else": "Gammel tekst"})
    with app.app_context():
        db.session.execute(db.update(AnswerSet).values(started_on=AnswerSet.started_on - timedelta(days=1000)))
        db.session.commit()
    result = app.test_cli_runner().invoke(args=["privacy", "purge"])
    assert result.exit_code == 0, result.output
    assert "1 survey free texts" in result.output


def test_a_round_answers_only_while_open_and_only_in_its_districts(app):
    admin = make_user(app, role="admin")
    later = make_survey_round(app, admin.id, opens_in_days=2)
    with app.app_context():
        with pytest.raises(RuleBroken):
            services.start_open(_round(later), get_district("lademoen"))
        _round(later).opens_at = utcnow() - timedelta(hours=1)
        with pytest.raises(RuleBroken):
            services.start_open(_round(later), get_district("tempe-sorgenfri"))
        assert services.start_open(_round(later), get_district("lademoen")).answer_set.channel == "open"


def test_staff_type_in_paper_forms_for_their_districts_until_the_round_is_closed_by_hand(app, survey):
    moderator = make_user(app, role="moderator", districts=("lademoen",))
    with app.app_context():
        staff, survey_round = db.session.get_one(User, moderator.id), _round(survey)
        with pytest.raises(Forbidden):
            services.start_on_paper(staff, survey_round, get_district("mollenberg"))
        survey_round.closes_at, survey_round.opens_at = utcnow() - timedelta(days=1), utcnow() - timedelta(days=20)
        paper = services.start_on_paper(staff, survey_round, get_district("lademoen")).answer_set
        services.save_answer(paper, _question(survey, "safety"), 2)    # a late form still counts
        assert paper.channel == "paper"
        with pytest.raises(RuleBroken):   # but nobody answers online after closing time
            services.start_open(survey_round, get_district("lademoen"))
        services.close_round(_admin(survey), survey_round)
        with pytest.raises(RuleBroken):
            services.save_answer(paper, _question(survey, "safe_after_dark"), 2)


# --- the bank -----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("question", QUESTIONS, ids=[q.key for q in QUESTIONS])
def test_every_standard_question_is_worded_in_every_interface_language(question):
    languages = {line[0] for line in Config.LANGUAGES}
    assert set(question.wording) >= languages
    if question.kind == QuestionKind.SCALE:
        assert set(question.scale_low) >= languages and set(question.scale_high) >= languages
    for choice in question.choices:
        assert set(choice["label"]) >= languages
    assert all(text.strip() for text in question.wording.values())
