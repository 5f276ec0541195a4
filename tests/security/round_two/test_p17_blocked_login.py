"""A blocked account's login told whether the password was right: a right password got "this
account is blocked", a wrong one "the email address or the password is not correct". Both now get
the same answer, beside the same field, and take the same path (one password check each, both
counted as failed logins)."""
from __future__ import annotations

from app.accounts.models import User
from app.core.db import utcnow
from app.extensions import db
from tests.helpers import PASSWORD, Browser, make_user, soup


def _errors(response) -> list[tuple[str, str]]:
    return [(e.get("id"), e.get_text(" ", strip=True)) for e in soup(response).select("[id$='-error']")]


def _blocked(app):
    user = make_user(app, email="blokkert@example.no")
    with app.app_context():
        db.session.get(User, user.id).blocked_at = utcnow()
        db.session.commit()
    return user


def test_right_and_wrong_passwords_get_the_same_answer(app, monkeypatch):
    from app.core import security

    user = _blocked(app)
    checks = []
    real = security.verify_password

    def counted(password_hash, password):
        checks.append(password)
        return real(password_hash, password)

    monkeypatch.setattr("app.accounts.services.verify_password", counted)
    right = Browser(app).submit("/account/login?lang=en", {"email": user.email, "password": PASSWORD})
    wrong = Browser(app).submit("/account/login?lang=en", {"email": user.email, "password": "feil passord her"})
    unknown = Browser(app).submit("/account/login?lang=en", {"email": "ingen@example.no", "password": PASSWORD})
    assert right.status_code == wrong.status_code == unknown.status_code == 200
    assert _errors(right) == _errors(wrong) == _errors(unknown)
    assert _errors(right), "no message at all"
    assert len(checks) == 3, "each attempt checks one password, right or wrong"


def test_both_count_as_failed_logins(app):
    user = _blocked(app)
    browser = Browser(app)
    statuses = [browser.submit("/account/login", {"email": user.email, "password": PASSWORD if i % 2 else "feil passord her"}).status_code
                for i in range(6)]
    assert statuses[:5] == [200] * 5 and statuses[5] == 429
