"""Mail goes in the recipient's language: their account's, or the one the page was in when someone without an
account filled in the form; Bokmål when that language has since been switched off."""
from __future__ import annotations

import time

from app.accounts.services import request_password_reset
from app.extensions import db
from tests.helpers import Browser, form_fields, make_user, outbox
from tests.web.test_follows import _place


def _reset(app, email):
    with app.test_request_context("/?lang=en"):
        request_password_reset(email)
        db.session.commit()


def test_an_account_gets_mail_in_its_own_language_whatever_page_it_came_from(app):
    make_user(app, role="resident", email="olena@example.no", locale="uk")
    _reset(app, "olena@example.no")
    [mail] = outbox(app, "olena@example.no")
    assert mail.locale == "uk"


def test_a_language_switched_off_mails_in_bokmal(app_factory):
    app = app_factory(LANGUAGES_OFF=("uk",))
    make_user(app, role="resident", email="olena@example.no", locale="uk")
    _reset(app, "olena@example.no")
    [mail] = outbox(app, "olena@example.no")
    assert mail.locale == "nb" and mail.subject == "Velg et nytt passord for Medvirk"


def test_someone_without_an_account_gets_mail_in_the_language_of_the_form(app, monkeypatch):
    place = _place(app)
    path = f"/meeting-places/{place}/follow"
    visitor = Browser(app)
    visitor.get("/?lang=pl")
    values = form_fields(visitor.get(path), path)
    values.update(email="gosc@example.no")
    real = time.time
    monkeypatch.setattr(time, "time", lambda: real() + 5)   # a person takes a few seconds to fill it in
    assert visitor.post(path, data=values).status_code == 302
    [mail] = outbox(app, "gosc@example.no")
    assert mail.template == "follow_confirm" and mail.locale == "pl"
