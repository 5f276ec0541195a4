"""flask demo builds an area survey with two closed rounds and answers in every district, so the comparison
page has something to show, including a few hidden figures; and a round open now, to try answering."""
from __future__ import annotations

from sqlalchemy import func, select

from app.demo.generate import build
from app.extensions import db
from app.surveys.models import AnswerSet, Survey, SurveyRound
from app.surveys.results import ALL, survey_results

AMOUNTS = {"ideas": 10, "comments": 0, "feedback": 10, "events": 3, "registrations": 0}


def test_the_demo_survey_has_two_closed_rounds_with_answers_in_each_district(app, client):
    with app.app_context():
        build(amounts=AMOUNTS)
        db.session.commit()
        survey = db.session.scalar(select(Survey))
        *rounds, open_now = db.session.scalars(select(SurveyRound).order_by(SurveyRound.opens_at)).all()
        assert [r.label[:6] for r in rounds] == ["Høsten", "Høsten"] and all(r.has_closed() for r in rounds)
        assert open_now.is_open() and open_now.reach == "open"   # for trying the survey out
        per_district = db.session.execute(select(AnswerSet.round_id, AnswerSet.district_id, func.count())
                                          .where(AnswerSet.finished_on.is_not(None))
                                          .group_by(AnswerSet.round_id, AnswerSet.district_id)).all()
        assert len(per_district) == 6 and all(150 <= count <= 400 for _r, _d, count in per_district)
        results = survey_results(survey)
        assert len(results.rounds) == 2
        means = [found.questions[0].rows[ALL].mean.value for found in results.rounds]
        assert all(2.5 < mean < 4.5 for mean in means) and means[0] != means[1]
        hidden = [row for found in results.rounds for q in found.questions for row in q.rows.values()
                  if any(count.hidden for _n, count, _s in row.categories)]
        assert hidden, "some figures are small enough to be hidden"
        assert any(reached.response_rate and not reached.response_rate.hidden
                   for found in results.rounds for reached in found.reach.values())
        survey_id = survey.id
        assert build(amounts=AMOUNTS)["survey_answer_sets"] == 0
    page = client.get(f"/insights/surveys/{survey_id}?lang=en").get_data(as_text=True)
    assert "Where did you meet them?" in page and "Response rate" in page
