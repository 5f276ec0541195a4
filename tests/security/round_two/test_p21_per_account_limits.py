"""One account cannot post without end.

The tester posted 307 comments in 12 seconds from one account. Now comments, ideas and reports
each have a per-account limit (COMMENTS_PER_10_MINUTES, COMMENTS_PER_DAY, IDEAS_PER_DAY,
REPORTS_PER_HOUR); the one over it gets a polite sentence beside the field, with what was typed
kept.
"""
from __future__ import annotations

import secrets

from app.extensions import db
from app.ideas.models import Comment, Idea
from config import Config
from tests.helpers import PASSWORD, Browser, form_fields, make_idea, make_user, soup

LIMITS = {key: getattr(Config, key) for key in ("COMMENTS_PER_10_MINUTES", "COMMENTS_PER_DAY", "IDEAS_PER_DAY",
                                                "REPORTS_PER_HOUR")}


def _count(app, model):
    with app.app_context():
        return db.session.scalar(db.select(db.func.count()).select_from(model))


def _logged_in(app):
    browser = Browser(app)
    browser.get("/?lang=en")
    assert browser.submit("/account/login", {"email": make_user(app).email, "password": PASSWORD}).status_code == 302
    return browser


def test_307_comments_in_a_burst_are_stopped_at_the_limit_with_a_message(app_factory):
    app = app_factory(**LIMITS)
    idea_id = make_idea(app, make_user(app))
    browser = _logged_in(app)
    values = form_fields(browser.get(f"/ideas/{idea_id}"), f"/ideas/{idea_id}/comments")
    answers = []
    for n in range(307):
        values.update(body=f"Kommentar nummer {n}", submission_id=secrets.token_urlsafe(24))
        answers.append(browser.post(f"/ideas/{idea_id}/comments", data=values))
    limit = Config.COMMENTS_PER_10_MINUTES
    assert [a.status_code for a in answers[:limit]] == [302] * limit
    assert {a.status_code for a in answers[limit:]} == {429}
    assert _count(app, Comment) == limit
    refused = soup(answers[-1])
    message = refused.find(id="body-error").get_text()
    assert "many comments" in message and "You can write again from" in message
    assert refused.find("textarea", id="body").get_text().strip() == "Kommentar nummer 306"


def test_ideas_are_limited_per_account_per_day(app_factory):
    app = app_factory(**LIMITS)
    browser = _logged_in(app)
    answers = []
    for n in range(Config.IDEAS_PER_DAY + 1):
        answers.append(browser.submit("/ideas/new", {
            "district": "lademoen", "title": f"Forslag nummer {n}", "publish": "1",
            "body": "Det trengs flere benker i parken, særlig i skyggen ved lekeplassen."}))
    assert all(a.status_code == 302 for a in answers[:-1])
    assert answers[-1].status_code == 429
    page = soup(answers[-1])
    assert "many ideas" in page.find(id="title-error").get_text()
    assert page.find("input", id="title")["value"] == f"Forslag nummer {Config.IDEAS_PER_DAY}"
    assert _count(app, Idea) == Config.IDEAS_PER_DAY
