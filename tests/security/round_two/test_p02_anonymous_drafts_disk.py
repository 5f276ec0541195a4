"""Anyone could fill the disk through the drafts kept for people whose session ran out.

The tester sent ``POST /ideas/new`` with a 1.9 MB body twenty times, without logging in and
without a CSRF token: every one was kept as a draft (+50 MB in 0.6 s) until every write failed.
A draft is now kept only for a request with a valid CSRF token of an existing session, at most
the size of the largest real form, one per session (replaced), and a few an hour per client.
"""
from __future__ import annotations

import json

from sqlalchemy import select

from app.core.models import FormDraft
from app.extensions import db
from tests.helpers import PASSWORD, Browser, form_fields, make_user, soup

BIG = "x" * 1_900_000
SMALL_BOUND = 64 * 1024   # what a few real drafts take; the attack sent 38 MB


def stored(app) -> tuple[int, int]:
    """How many drafts are kept, and how many bytes they take."""
    with app.app_context():
        drafts = list(db.session.scalars(select(FormDraft)))
        return len(drafts), sum(len(json.dumps(d.data)) + len(d.path) + len(d.token) for d in drafts)


def token_of_a_new_session(client) -> str:
    """What an attacker's script does first: open a page with a form, for a session and its token."""
    return form_fields(client.get("/account/login"), "/account/login")["csrf_token"]


def test_twenty_anonymous_big_posts_without_a_token_keep_nothing(app):
    attacker = app.test_client()
    for _ in range(20):
        response = attacker.post("/ideas/new", data={"district": "lademoen", "title": "Spam", "body": BIG})
        assert response.status_code < 500
    count, size = stored(app)
    assert count == 0 and size == 0


def test_big_posts_with_a_valid_token_keep_at_most_one_small_draft(app):
    attacker = app.test_client()
    token = token_of_a_new_session(attacker)
    for _ in range(20):
        response = attacker.post("/ideas/new", data={"csrf_token": token, "district": "lademoen", "title": "Spam",
                                                     "body": BIG})
        assert response.status_code == 302
    count, size = stored(app)
    assert count <= 1 and size < SMALL_BOUND


def test_one_session_keeps_one_draft_replaced_not_added(app):
    attacker = app.test_client()
    token = token_of_a_new_session(attacker)
    for number in range(20):
        attacker.post("/ideas/new", data={"csrf_token": token, "district": "lademoen", "title": f"Spam {number}",
                                          "body": "y" * 4000})
    count, size = stored(app)
    assert count == 1 and size < SMALL_BOUND


def test_many_fresh_sessions_from_one_client_are_rate_limited(app):
    attacker = app.test_client()
    for number in range(40):
        attacker.delete_cookie("session")
        token = token_of_a_new_session(attacker)
        attacker.post("/ideas/new", data={"csrf_token": token, "district": "lademoen", "title": f"Spam {number}",
                                          "body": "y" * 4000})
    count, size = stored(app)
    assert count <= 10 and size < 10 * SMALL_BOUND


def test_the_largest_real_form_is_still_kept_for_a_session_that_ended(app):
    """The case drafts are for: the session's login ended (here: logged out everywhere from another
    device) while the person typed; the browser still has the session and its token."""
    user = make_user(app)
    client = Browser(app)
    client.submit("/account/login", {"email": user.email, "password": PASSWORD})
    form = form_fields(client.get("/ideas/new"), "/ideas/new")
    with app.app_context():
        from app.accounts.models import User

        db.session.get(User, user.id).session_version += 1
        db.session.commit()
    body = "Æ" * 5000
    form.update(district="lademoen", title="T" * 120, body=body, preview="1")
    response = client.post("/ideas/new", data=form)
    assert response.status_code == 302 and "/account/login" in response.headers["Location"]
    client.submit(response.headers["Location"], {"email": user.email, "password": PASSWORD})
    page = soup(client.get("/ideas/new"))
    assert page.find("textarea", {"name": "body"}).text.strip() == body
