"""Nobody can find out whether an email address has an account here.

Logging in, registering, asking for a new password and changing one's email
address answer the same for an address with an account as for one without:
the same status, the same page after it (its text, with the address typed taken
out), the same fields and the same errors. What differs is only the mail, which
goes to the address's owner.
"""
from __future__ import annotations

import re

from app.accounts.models import User
from app.extensions import db
from tests.helpers import PASSWORD, Browser, make_user, outbox, soup

KNOWN = "finnes@example.no"
UNKNOWN = "finnes.ikke@example.no"
WRONG_PASSWORD = "feil passord her"


def _answer(browser: Browser, response, typed: str) -> dict:
    """What the person sees: the status, where it leads, and the page it shows (or leads to)."""
    seen = {"status": response.status_code, "location": response.headers.get("Location")}
    if response.status_code in (302, 303):
        response = browser.get(response.headers["Location"])
        seen["then"] = response.status_code
    main = soup(response).find("main")
    text = " ".join(main.get_text(" ").split())
    seen["text"] = re.sub(re.escape(typed), "ADDRESS", text, flags=re.IGNORECASE)
    seen["fields"] = sorted((field.get("name"), field.get("type")) for field in main.find_all(["input", "select", "textarea"]))
    seen["errors"] = [" ".join(error.get_text(" ").split()) for error in main.select(".error-summary li, .error-message")]
    return seen


def _both(app, send) -> tuple[dict, dict]:
    """``send(browser, email)`` for the address with an account and for one without, each in a browser of its own."""
    answers = []
    for email in (KNOWN, UNKNOWN):
        browser = Browser(app)
        answers.append(_answer(browser, send(browser, email), email))
    return answers[0], answers[1]


def test_logging_in_with_a_wrong_password_looks_the_same_with_or_without_an_account(app):
    make_user(app, email=KNOWN)
    known, unknown = _both(app, lambda browser, email: browser.submit(
        "/account/login", {"email": email, "password": WRONG_PASSWORD}))
    assert known == unknown
    assert known["errors"], "the person is told the password or address is wrong"
    page = soup(Browser(app).submit("/account/login", {"email": UNKNOWN, "password": WRONG_PASSWORD}))
    assert page.find("input", {"name": "email"})["value"] == UNKNOWN   # kept, to correct a typing slip


def test_registering_looks_the_same_whether_the_address_is_taken_or_new(app):
    make_user(app, email=KNOWN)
    known, unknown = _both(app, lambda browser, email: browser.submit(
        "/account/register", {"email": email.upper(), "display_name": "Noen", "password": PASSWORD}))
    assert known == unknown
    assert known["location"] == "/account/register/sent"
    assert [mail.template for mail in outbox(app, KNOWN)] == ["account_exists"]  # the owner is told instead
    assert [mail.template for mail in outbox(app, UNKNOWN)] == ["verify_email"]
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(User.id)).where(User.email == KNOWN)) == 1


def test_asking_for_a_new_password_looks_the_same_with_or_without_an_account(app):
    make_user(app, email=KNOWN)
    known, unknown = _both(app, lambda browser, email: browser.submit("/account/reset", {"email": email}))
    assert known == unknown
    assert known["location"] == "/account/reset/sent"
    assert [mail.template for mail in outbox(app)] == ["reset_password"]   # to the account's address only


def test_changing_to_an_address_that_has_an_account_looks_the_same_as_to_a_new_one(app, client, login_as):
    make_user(app, email=KNOWN)
    me = login_as("resident")
    answers = []
    for email in (KNOWN, UNKNOWN):
        response = client.submit("/account/", {"email-current_password": PASSWORD, "email-new_email": email},
                                 action="/account/email")
        answers.append(_answer(client, response, email))
    assert answers[0] == answers[1]
    assert answers[0]["location"] == "/account/"
    assert {mail.recipient for mail in outbox(app) if mail.template == "confirm_new_email"} == {KNOWN, UNKNOWN}
    assert me.email not in (KNOWN, UNKNOWN)
