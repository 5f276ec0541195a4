"""The area survey's results on a small known data set: counts, shares, means and medians per round, district
and question; only finished answers; small figures hidden with those that would give them back; free text
only counted."""
from __future__ import annotations

import pytest

from app.extensions import db
from app.surveys.models import Survey
from app.surveys.results import ALL, survey_results
from tests.helpers import make_user
from tests.survey_fixtures import make_survey_round
from tests.survey_results_fixtures import close, known_data


@pytest.fixture
def results(app):
    ids = make_survey_round(app, make_user(app, role="admin").id)
    known_data(app, ids)
    close(app, ids)
    with app.app_context():
        from app.districts.services import get_district
        found = survey_results(db.session.get_one(Survey, ids.survey))
        lademoen, mollenberg = get_district("lademoen").id, get_district("mollenberg").id
        yield found, ids, lademoen, mollenberg


def _rows(found, ids, key):
    return found.rounds[0].question(ids.questions[key]).rows


def test_a_round_still_open_is_not_published(app):
    ids = make_survey_round(app, make_user(app, role="admin").id)
    known_data(app, ids)
    with app.app_context():
        found = survey_results(db.session.get_one(Survey, ids.survey))
        assert found.rounds == [] and [r.id for r in found.open_rounds] == [ids.round]


def test_counts_shares_and_means_of_finished_answers(results):
    found, ids, lademoen, mollenberg = results
    safety = _rows(found, ids, "safety")
    # The unfinished answer set (a 1) is not counted.
    assert safety[lademoen].answers.value == 10
    assert safety[lademoen].mean.value == pytest.approx(3.7)
    assert safety[mollenberg].answers.value == 20
    assert [(name, count.value, share.value) for name, count, share in safety[mollenberg].categories] == [
        ("1", 0, 0), ("2", 0, 0), ("3", 0, 0), ("4", 10, 0.5), ("5", 10, 0.5)]
    # Means are published to one decimal.
    assert safety[ALL].answers.value == 30 and safety[ALL].mean.value == round((37 + 90) / 30, 1) == 4.2
    years = _rows(found, ids, "years_in_district")
    assert years[lademoen].median.value == 5.5 and years[lademoen].mean.value == pytest.approx(9.5)
    which = _rows(found, ids, "which")[mollenberg]
    assert [(name, count.value) for name, count, _share in which.categories] == [("library", 20), ("cafe", 10),
                                                                                   ("park", 0)]
    reach = found.rounds[0].reach
    assert reach[mollenberg].answer_sets.value == 20
    assert reach[mollenberg].channels["open"].value == 15 and reach[mollenberg].channels["paper"].value == 5
    assert reach[mollenberg].response_rate is None     # an open round knows nobody it reached


def test_a_small_choice_is_hidden_with_enough_others_of_its_row_and_of_all_districts(results):
    found, ids, lademoen, mollenberg = results
    safety = _rows(found, ids, "safety")

    def hidden(row) -> list[str]:
        return [name for name, count, share in row.categories if count.hidden and share.hidden and count.value is None]

    # Lademoen's 5s (2) and 4s (3) are small; a scale's row also weighs up to its mean, so a third point is
    # hidden with them: the smallest of the others that is not empty (the 3s). The empty 1s and 2s stay.
    assert hidden(safety[lademoen]) == ["3", "4", "5"]
    assert not safety[lademoen].answers.hidden and not safety[lademoen].mean.hidden
    assert hidden(safety[mollenberg]) == []
    # All districts: the points hidden in any district (their sums would give them back).
    assert hidden(safety[ALL]) == ["3", "4", "5"] and safety[ALL].categories[0][1].value == 0
    assert not safety[ALL].answers.hidden
    # A single choice needs two hidden: 3 said no, so the 7 yes are hidden too.
    met = _rows(found, ids, "met_neighbours_at_meeting_place")
    assert hidden(met[lademoen]) == ["yes", "no"] and hidden(met[mollenberg]) == []


def test_a_question_shown_on_an_answer_is_hidden_with_that_answer(results):
    found, ids, lademoen, mollenberg = results
    uses, which = _rows(found, ids, "uses"), _rows(found, ids, "which")
    # Lademoen: 6 use a meeting place, 4 do not (small), so the 6 who were asked which one are hidden too.
    assert all(count.hidden for _n, count, _s in uses[lademoen].categories)
    assert which[lademoen].answers.hidden and which[ALL].answers.hidden
    assert not which[mollenberg].answers.hidden and which[mollenberg].answers.value == 20


def test_free_text_is_only_counted_and_a_small_count_is_hidden_in_all_districts_too(results):
    found, ids, lademoen, mollenberg = results
    text = _rows(found, ids, "anything_else")
    assert text[lademoen].answers.hidden and text[lademoen].answers.value is None
    assert text[mollenberg].answers.value == 6
    assert text[ALL].answers.hidden
    assert text[mollenberg].categories == [] and text[mollenberg].mean is None


def test_small_channels_hide_the_channels_and_the_response_rate(app):
    from app.surveys.models import Channel, Reach, RoundDistrict
    from tests.survey_results_fixtures import add_answers
    ids = make_survey_round(app, make_user(app, role="admin").id, reach=Reach.CODES)
    add_answers(app, ids, "lademoen", [{"safety": 3}] * 40, Channel.CODE)
    add_answers(app, ids, "lademoen", [{"safety": 3}] * 2, Channel.PAPER)
    add_answers(app, ids, "mollenberg", [{"safety": 3}] * 30, Channel.CODE)
    with app.app_context():
        from app.districts.services import get_district
        for row in db.session.query(RoundDistrict).filter_by(round_id=ids.round):
            row.reached = 100
        db.session.commit()
    close(app, ids)
    with app.app_context():
        reach = survey_results(db.session.get_one(Survey, ids.survey)).rounds[0].reach
        lademoen, mollenberg = get_district("lademoen").id, get_district("mollenberg").id
        assert reach[lademoen].answer_sets.value == 42
        assert reach[lademoen].channels["paper"].hidden and reach[lademoen].channels["code"].hidden
        assert reach[lademoen].response_rate.hidden
        assert reach[mollenberg].response_rate.value == pytest.approx(0.3)
        assert reach[ALL].response_rate.hidden and reach[ALL].answer_sets.value == 72


def test_complements_are_never_empty_categories_and_too_few_hide_the_whole_row():
    from app.surveys.results import SCALE_POINTS, complete
    counts = {"4": 3, "5": 20}
    # The 1s are known to be no fewer than 0: with the mean, hiding them beside the 4s and 5s would pin
    # all three down, so every point of the row is hidden instead.
    assert complete({"4"}, counts, SCALE_POINTS, 3) == set(SCALE_POINTS)
    assert complete({"4"}, {"3": 9, "4": 3, "5": 20}, SCALE_POINTS, 3) == {"3", "4", "5"}
    assert complete({"no"}, {"yes": 30, "no": 2}, ("yes", "no"), 2) == {"yes", "no"}
    assert complete(set(), counts, SCALE_POINTS, 3) == set()


def test_a_mean_that_would_pin_a_hidden_point_down_is_hidden_too():
    """Eight 5s and one 4: every point is hidden (the 4 is small, and there are too few others), but 9 answers
    with a mean of 4.9 leave only one way to make them up. Over 30 answers the same mean leaves several."""
    from app.surveys.results import pins_a_point

    every = {"1", "2", "3", "4", "5"}
    assert pins_a_point({"1": 0, "2": 0, "3": 0, "4": 1, "5": 8}, every, 9, 4.9)
    assert not pins_a_point({"1": 0, "2": 0, "3": 0, "4": 3, "5": 27}, every, 30, 4.9)
    # Ten answers, the 1s and 2s hidden with the 3s: 3.4 leaves the hidden three points room to move.
    assert not pins_a_point({"1": 1, "2": 1, "3": 3, "4": 3, "5": 2}, {"1", "2", "3"}, 10, 3.4)
    # But with the 4s and 5s shown and the mean at its lowest, the hidden ones are all 1s.
    assert pins_a_point({"1": 4, "2": 0, "3": 0, "4": 3, "5": 3}, {"1", "2", "3"}, 10, 3.1)
