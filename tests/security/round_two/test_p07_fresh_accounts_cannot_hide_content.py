"""Three fresh accounts cannot hide anything.

The tester made three accounts, and a minute later each reported an idea: it was hidden at once.
Now only reporters with some standing count towards hiding (an account older than
REPORT_STANDING_DAYS, with a confirmed address, that has written something still shown); every
report still reaches the moderators. Reports are limited per account, and how many reports hide
content stays a setting.
"""
from __future__ import annotations

from app.extensions import db
from app.ideas.models import Idea
from app.submissions.models import Report
from config import Config
from tests.helpers import PASSWORD, Browser, give_standing, make_idea, make_user


def _report(app, user, idea_id):
    browser = Browser(app)
    browser.get("/?lang=en")
    assert browser.submit("/account/login", {"email": user.email, "password": PASSWORD}).status_code == 302
    return browser, browser.submit(f"/ideas/{idea_id}/report", {"reason": "spam"})


def _count(app, model):
    with app.app_context():
        return db.session.scalar(db.select(db.func.count()).select_from(model))


def test_three_accounts_made_a_minute_ago_cannot_hide_an_idea(app_factory):
    app = app_factory(REPORT_STANDING_DAYS=Config.REPORT_STANDING_DAYS, MAX_REPORTS_BEFORE_HIDING=3)
    idea_id = make_idea(app, make_user(app), title="Benker ved elva")
    for _ in range(3):
        _, response = _report(app, make_user(app), idea_id)
        assert response.status_code == 302
    assert _count(app, Report) == 3   # the moderators see every report
    with app.app_context():
        assert db.session.get(Idea, idea_id).hidden_at is None
    assert "Benker ved elva" in Browser(app).get(f"/ideas/{idea_id}").get_data(as_text=True)

    # Reporters with standing still hide it until a moderator decides: the setting keeps working.
    for _ in range(3):
        _report(app, give_standing(app, make_user(app)), idea_id)
    with app.app_context():
        assert db.session.get(Idea, idea_id).hidden_by_reports
    assert "Benker ved elva" not in Browser(app).get(f"/ideas/{idea_id}").get_data(as_text=True)


def test_the_house_rules_say_whose_reports_hide_content(app_factory):
    app = app_factory(REPORT_STANDING_DAYS=Config.REPORT_STANDING_DAYS)
    text = " ".join(Browser(app).get("/house-rules?lang=en").get_data(as_text=True).split())
    assert f"at least {Config.REPORT_STANDING_DAYS} days" in text


def test_one_account_cannot_report_without_end(app_factory):
    app = app_factory(REPORTS_PER_HOUR=Config.REPORTS_PER_HOUR)
    author = make_user(app)
    ideas = [make_idea(app, author, title=f"Forslag nummer {n}") for n in range(Config.REPORTS_PER_HOUR + 1)]
    reporter = make_user(app)
    browser = Browser(app)
    browser.get("/?lang=en")
    browser.submit("/account/login", {"email": reporter.email, "password": PASSWORD})
    answers = [browser.submit(f"/ideas/{i}/report", {"reason": "spam", "details": "Reklame"}) for i in ideas]
    assert all(a.status_code == 302 for a in answers[:-1])
    limited = answers[-1]
    assert limited.status_code == 429
    assert "many reports" in limited.get_data(as_text=True)
    assert "Reklame" in limited.get_data(as_text=True)   # what was typed is kept
    assert _count(app, Report) == Config.REPORTS_PER_HOUR
