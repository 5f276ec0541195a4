"""Private district feedback: anonymous, with ratings, spam checks without a CAPTCHA, a receipt code."""
from __future__ import annotations

import time

import pytest

from app.extensions import db
from app.feedback.models import Feedback
from tests.helpers import Browser, form_fields, soup

TEXT = "Undergangen ved stasjonen er mørk og skummel om kvelden. Kan det komme mer lys der?"


@pytest.fixture
def send(client, monkeypatch):
    """Fill in the feedback form the way a person does: load it, wait, send."""

    def _send(data, slug="lademoen", browser=None, wait=5, **kwargs):
        browser = browser or client
        page = browser.get(f"/districts/{slug}/feedback")
        values = form_fields(page, f"/districts/{slug}/feedback")
        values.update(data)
        real = time.time
        monkeypatch.setattr(time, "time", lambda: real() + wait)
        try:
            return browser.post(f"/districts/{slug}/feedback", data=values, **kwargs)
        finally:
            monkeypatch.setattr(time, "time", real)

    return _send


def _all(app):
    with app.app_context():
        rows = db.session.scalars(db.select(Feedback)).all()
        db.session.expunge_all()
        return rows


def test_feedback_with_text_and_ratings_gets_a_receipt_code_that_shows_the_status_only(app, client, send):
    response = send({"body": TEXT, "rating_safety": "2", "rating_wellbeing": "4", "topic": "3"})
    assert response.status_code == 302
    [feedback] = _all(app)
    assert (feedback.rating_safety, feedback.rating_wellbeing, feedback.rating_belonging) == (2, 4, None)
    assert feedback.author_id is None and feedback.status == "new"
    status_page = client.get(response.headers["Location"])
    text = status_page.get_data(as_text=True)
    assert feedback.receipt_code in text and TEXT not in text
    # The code works typed in lower case and without the dash, from any browser.
    assert Browser(app).get(f"/feedback/{feedback.receipt_code.replace('-', '').lower()}").status_code == 200
    assert Browser(app).get("/feedback/AAAA-AAAA").status_code == 404


def test_feedback_is_never_linked_to_an_account_even_when_logged_in(app, client, login_as, send):
    login_as("resident")
    assert send({"body": TEXT}).status_code == 302
    [feedback] = _all(app)
    assert feedback.author_id is None


def test_text_or_one_rating_is_required(app, send):
    response = send({"body": ""})
    assert response.status_code == 400
    assert soup(response).find(id="body-error") is not None
    assert send({"rating_belonging": "5"}).status_code == 302


def test_contact_details_need_consent_and_are_kept_only_with_it(app, send):
    response = send({"body": TEXT, "contact_email": "meg@example.no"})
    assert response.status_code == 400
    page = soup(response)
    assert page.find(id="contact_consent-error") is not None
    assert page.find("input", {"name": "contact_email"})["value"] == "meg@example.no"
    assert page.find("textarea", {"name": "body"}).text.strip() == TEXT
    assert send({"body": TEXT, "contact_email": "meg@example.no", "contact_consent": "y"}).status_code == 302
    [feedback] = _all(app)
    assert feedback.contact_email == "meg@example.no" and feedback.contact_consent


@pytest.mark.parametrize("data,field", [
    ({"body": "x" * 3001}, "body"),
    ({"body": TEXT, "rating_safety": "7"}, "rating_safety"),
    ({"body": TEXT, "contact_email": "ikke-epost", "contact_consent": "y"}, "contact_email"),
    ({"body": TEXT, "contact_phone": "ring meg", "contact_consent": "y"}, "contact_phone"),
])
def test_bad_values_are_refused_beside_the_field(app, send, data, field):
    response = send(data)
    assert response.status_code == 400
    assert soup(response).find(id=f"{field}-error") is not None
    assert _all(app) == []


def test_the_honeypot_refuses_robots_and_keeps_what_was_typed(app, send):
    response = send({"body": TEXT, "website": "http://spam.example"})
    assert response.status_code == 400
    page = soup(response)
    assert page.find(id="refused-title") is not None
    assert page.find("textarea", {"name": "body"}).text.strip() == TEXT
    assert _all(app) == []


def test_a_form_sent_faster_than_a_person_can_is_refused_with_an_explanation(app, send):
    response = send({"body": TEXT}, wait=0)
    assert response.status_code == 400
    assert soup(response).find(id="refused-title") is not None
    assert soup(response).find("textarea", {"name": "body"}).text.strip() == TEXT
    assert _all(app) == []


def test_feedback_is_rate_limited_per_client_address(app_factory, monkeypatch):
    app = app_factory(FEEDBACK_PER_HOUR=2)
    browser = Browser(app)

    def send(body):
        values = form_fields(browser.get("/districts/mollenberg/feedback"), "/districts/mollenberg/feedback")
        values["body"] = body
        real = time.time
        monkeypatch.setattr(time, "time", lambda: real() + 5)
        try:
            return browser.post("/districts/mollenberg/feedback", data=values)
        finally:
            monkeypatch.setattr(time, "time", real)

    assert send("Første melding her").status_code == 302
    assert send("Andre melding her").status_code == 302
    refused = send("Tredje melding her")
    assert refused.status_code == 429
    assert soup(refused).find("textarea", {"name": "body"}).text.strip() == "Tredje melding her"
    assert len(_all(app)) == 2


def test_a_double_submitted_feedback_is_stored_once(app, client, monkeypatch):
    values = form_fields(client.get("/districts/lademoen/feedback"), "/districts/lademoen/feedback")
    values["body"] = TEXT
    real = time.time
    monkeypatch.setattr(time, "time", lambda: real() + 5)
    first = client.post("/districts/lademoen/feedback", data=values)
    second = client.post("/districts/lademoen/feedback", data=values)
    assert first.status_code == second.status_code == 302
    assert len(_all(app)) == 1


def test_unknown_district_has_no_feedback_form(client):
    assert client.get("/districts/oslo/feedback").status_code == 404
