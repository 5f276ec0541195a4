"""Account flows end to end, through the forms a person fills in."""
from __future__ import annotations

import os
import time
import uuid

import pytest

from app.accounts.models import User
from app.extensions import db
from tests.helpers import PASSWORD, Browser, link_in, make_user, outbox, soup

NEW_PASSWORD = "blå sykkel under broen"


def _user(app, email):
    with app.app_context():
        user = db.session.scalar(db.select(User).where(User.email == email))
        if user is not None:
            db.session.expunge(user)
        return user


def register(client, email="ny.beboer@example.no", name="Nora", password=PASSWORD):
    return client.submit("/account/register", {"email": email, "display_name": name, "password": password})


def test_register_verify_login_logout_reset_end_to_end(app, client):
    response = register(client, email="  Ny.Beboer@Example.NO ")
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/account/register/sent")
    assert "Sjekk e-posten din" in client.get("/account/register/sent").get_data(as_text=True)

    user = _user(app, "ny.beboer@example.no")
    assert user is not None and user.verified_at is None
    assert user.password_hash.startswith("$argon2id$") and PASSWORD not in user.password_hash

    [mail] = outbox(app, "ny.beboer@example.no")
    assert mail.template == "verify_email" and mail.locale == "nb"
    verify = link_in(mail, "/account/verify/")
    assert client.get(verify).status_code == 302
    assert _user(app, "ny.beboer@example.no").verified_at is not None

    response = client.submit("/account/login", {"email": "NY.BEBOER@example.no", "password": PASSWORD})
    assert response.status_code == 302
    assert "Nora" in client.get("/account/").get_data(as_text=True)

    response = client.submit("/account/", {}, action="/account/logout")
    assert response.status_code == 302
    assert client.get("/account/").status_code == 302  # back to the login page

    client.submit("/account/reset", {"email": "ny.beboer@example.no"})
    reset = link_in(outbox(app, "ny.beboer@example.no")[-1], "/account/reset/")
    response = client.submit(reset, {"password": NEW_PASSWORD})
    assert response.status_code == 302
    assert client.submit("/account/login", {"email": "ny.beboer@example.no", "password": NEW_PASSWORD}).status_code == 302


def test_a_double_submitted_registration_creates_one_account(app, client):
    page = client.get("/account/register")
    from tests.helpers import form_fields

    values = form_fields(page, "/account/register")
    values.update(email="dobbel@example.no", display_name="Dobbel", password=PASSWORD)
    first = client.post("/account/register", data=values)
    second = client.post("/account/register", data=values)
    assert first.status_code == second.status_code == 302
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(User.id))) == 1
    assert len(outbox(app, "dobbel@example.no")) == 1


def test_register_form_keeps_what_was_typed_and_explains_each_error(client):
    response = client.submit(
        "/account/register", {"email": "not-an-address", "display_name": "N", "password": "short"}
    )
    page = soup(response)
    assert response.status_code == 400
    email = page.find("input", {"name": "email"})
    assert email["value"] == "not-an-address"
    assert email["aria-invalid"] == "true"
    assert page.find(id=email["aria-describedby"].split()[-1]).get_text(strip=True)
    assert page.find("input", {"name": "display_name"})["value"] == "N"
    password = page.find("input", {"name": "password"})
    assert not password.get("value")  # a password is never sent back
    summary = page.find(class_="error-summary")
    assert summary is not None and len(summary.find_all("a")) == 3


def test_common_and_guessable_passwords_are_refused(client):
    for weak in ("passwordpassword", "123456789012", "qwertyuiopasdf", "ny.beboer@example.no"):
        response = register(client, password=weak)
        page = soup(response)
        error = page.find(id="password-error")
        assert error is not None, weak
    response = register(client, password="Ü" * 6 + " ✓ fjord måne")
    assert response.status_code == 302  # any characters are allowed


def test_password_length_limits(client):
    assert soup(register(client, password="a" * 11)).find(id="password-error")
    assert soup(register(client, password="x" * 129)).find(id="password-error")


def test_verification_link_expires_after_48_hours(app, client, monkeypatch):
    register(client, email="sein@example.no")
    verify = link_in(outbox(app, "sein@example.no")[0], "/account/verify/")
    real_time = time.time
    monkeypatch.setattr(time, "time", lambda: real_time() + 48 * 3600 + 5)
    response = client.get(verify)
    assert response.status_code == 400
    assert _user(app, "sein@example.no").verified_at is None


def test_verification_can_be_sent_again(app, client):
    register(client, email="igjen@example.no")
    client.submit("/account/login", {"email": "igjen@example.no", "password": PASSWORD})
    response = client.submit("/account/", {}, action="/account/verify/resend")
    assert response.status_code == 302
    assert [m.template for m in outbox(app, "igjen@example.no")] == ["verify_email", "verify_email"]


# Production counts in Redis; the same rule must hold there as in memory.
STORAGES = ["memory://"] + ([os.environ["TEST_REDIS_URL"]] if os.environ.get("TEST_REDIS_URL") else [])


@pytest.mark.parametrize("storage", STORAGES)
def test_sixth_failed_login_in_a_minute_gets_429_with_retry_after(app_factory, storage):
    app = app_factory(RATELIMIT_STORAGE_URI=storage)
    client = Browser(app)
    email = f"offer-{uuid.uuid4().hex[:8]}@example.no"
    make_user(app, email=email)
    for _ in range(5):
        response = client.submit("/account/login", {"email": email, "password": "gjetning nummer en"},
                                 environ_base={"REMOTE_ADDR": f"10.0.{uuid.uuid4().int % 250}.1"})
        assert response.status_code == 200
    response = client.submit("/account/login", {"email": email.title(), "password": PASSWORD})
    assert response.status_code == 429
    assert int(response.headers["Retry-After"]) > 0
    assert "For mange forsøk" in response.get_data(as_text=True)


def test_with_rate_limits_switched_off_logins_are_never_refused_for_too_many_attempts(app_factory):
    app = app_factory(RATELIMIT_ENABLED=False)
    client = Browser(app)
    email = f"uten-grense-{uuid.uuid4().hex[:8]}@example.no"
    make_user(app, email=email)
    for _ in range(7):
        response = client.submit("/account/login", {"email": email, "password": "gjetning nummer en"})
        assert response.status_code == 200
        assert "passordet er feil" in response.get_data(as_text=True)
    response = client.submit("/account/login", {"email": email, "password": PASSWORD})
    assert response.status_code == 302


def test_failures_count_per_email_even_for_unknown_addresses(app, client):
    for n in range(5):
        client.submit("/account/login", {"email": "ukjent@example.no", "password": f"gjetning {n} her nå"},
                      environ_base={"REMOTE_ADDR": f"10.1.{n}.1"})
    # a sixth try from yet another address: the email's own counter is full
    response = client.submit("/account/login", {"email": "ukjent@example.no", "password": "x" * 12},
                             environ_base={"REMOTE_ADDR": "10.1.9.1"})
    assert response.status_code == 429


def test_failures_count_per_client_address(app, client):
    for n in range(5):
        client.submit("/account/login", {"email": f"person{n}@example.no", "password": "feil passord her"},
                      environ_base={"REMOTE_ADDR": "10.2.0.1"})
    response = client.submit("/account/login", {"email": "ny@example.no", "password": "x" * 12},
                             environ_base={"REMOTE_ADDR": "10.2.0.1"})
    assert response.status_code == 429
    response = client.submit("/account/login", {"email": "ny@example.no", "password": "x" * 12},
                             environ_base={"REMOTE_ADDR": "10.2.0.2"})
    assert response.status_code == 200


def test_logout_makes_a_replayed_cookie_worthless(app, client, login_as):
    login_as("resident")
    cookie = client.get_cookie("session").value
    client.submit("/account/", {}, action="/account/logout")
    replay = Browser(app)
    replay.set_cookie("session", cookie)
    response = replay.get("/account/")
    assert response.status_code == 302 and "/account/login" in response.headers["Location"]


def test_changing_password_logs_out_other_sessions_but_not_this_one(app, client, login_as):
    user = login_as("resident")
    other = Browser(app)
    other.submit("/account/login", {"email": user.email, "password": PASSWORD})
    assert other.get("/account/").status_code == 200
    response = client.submit(
        "/account/", {"password-current_password": PASSWORD, "password-new_password": NEW_PASSWORD},
        action="/account/password",
    )
    assert response.status_code == 302
    assert client.get("/account/").status_code == 200
    assert other.get("/account/").status_code == 302
    assert outbox(app, user.email)[-1].template == "password_changed"


def test_change_password_with_wrong_current_password_is_refused_beside_the_field(client, login_as):
    login_as("resident")
    response = client.submit(
        "/account/", {"password-current_password": "not my password", "password-new_password": NEW_PASSWORD},
        action="/account/password",
    )
    assert response.status_code == 400
    assert soup(response).find(id="password-current_password-error")


def test_guessing_the_current_password_on_the_account_page_is_limited(client, login_as):
    """Like logging in, the page that checks the current password is no place to guess it: ten tries an hour."""
    login_as("resident")
    for n in range(10):
        response = client.submit("/account/", {"password-current_password": f"gjetning nummer {n}",
                                                "password-new_password": NEW_PASSWORD}, action="/account/password")
        assert response.status_code == 400
    response = client.submit("/account/", {"password-current_password": PASSWORD, "password-new_password": NEW_PASSWORD},
                             action="/account/password")
    assert response.status_code == 429 and int(response.headers["Retry-After"]) > 0


def test_reset_link_works_once_and_expires_after_an_hour(app, client, monkeypatch):
    user = make_user(app)
    client.submit("/account/reset", {"email": user.email})
    reset = link_in(outbox(app, user.email)[-1], "/account/reset/")
    assert client.submit(reset, {"password": NEW_PASSWORD}).status_code == 302
    assert client.get(reset).status_code == 400  # used

    client.submit("/account/reset", {"email": user.email})
    reset = link_in(outbox(app, user.email)[-1], "/account/reset/")
    real_time = time.time
    monkeypatch.setattr(time, "time", lambda: real_time() + 3605)
    assert client.get(reset).status_code == 400


def test_unverified_accounts_may_only_sign_in_and_edit_their_account(app, client, login_as):
    login_as("unverified")
    assert client.get("/account/").status_code == 200
    refused = client.get("/ideas/new")
    assert refused.status_code == 403
    assert "e-post" in soup(refused).find("main").get_text()
    response = client.submit(
        "/account/", {"profile-display_name": "Ny Navn", "profile-locale": "en"}, action="/account/profile"
    )
    assert response.status_code == 302


def test_profile_changes_name_and_language(app, client, login_as):
    user = login_as("resident")
    response = client.submit(
        "/account/", {"profile-display_name": "Nytt Navn", "profile-locale": "nn"}, action="/account/profile"
    )
    assert response.status_code == 302
    stored = _user(app, user.email)
    assert (stored.display_name, stored.locale) == ("Nytt Navn", "nn")


def test_email_change_is_confirmed_by_link_and_the_old_address_is_told(app, client, login_as):
    user = login_as("resident")
    response = client.submit(
        "/account/", {"email-new_email": "ny@example.no", "email-current_password": PASSWORD}, action="/account/email"
    )
    assert response.status_code == 302
    assert outbox(app, user.email)[-1].template == "email_change_requested"
    confirm = link_in(outbox(app, "ny@example.no")[-1], "/account/email/confirm/")
    assert _user(app, user.email) is not None  # nothing changes before the link is opened
    assert client.get(confirm).status_code == 302
    assert _user(app, "ny@example.no").id == user.id


def test_mail_preferences_and_unsubscribe_without_logging_in(app, client, login_as):
    user = login_as("resident")
    response = client.submit("/account/", {"mail-idea_updates": None, "mail-followed_events": "y"}, action="/account/mail")
    assert response.status_code == 302
    stored = _user(app, user.email)
    assert stored.mail_idea_updates is False and stored.mail_followed_events is True

    with app.test_request_context():
        from flask import url_for

        from app.accounts.services import unsubscribe_url
        from app.core import secret_links

        link = unsubscribe_url(stored, "followed_events")   # as the mail carries it once sent
        kind = secret_links.kinds()[link.kind]
        url = url_for(kind.endpoint, token=kind.mint(link.reference))
    stranger = Browser(app)
    page = stranger.get(url)
    assert page.status_code == 200
    assert stranger.submit(url, {}).status_code == 302
    assert _user(app, user.email).mail_followed_events is False
    assert soup(stranger.get(url)).find("button") is None  # the page now says it is done
    assert stranger.get(url.replace("/unsubscribe/", "/unsubscribe/x")).status_code == 404


def test_expired_csrf_token_gives_the_form_back_with_what_was_typed(app, client):
    response = client.post(
        "/account/register",
        data={"email": "treg@example.no", "display_name": "Treg", "password": PASSWORD, "csrf_token": "stale"},
    )
    page = soup(response)
    assert response.status_code == 400
    assert page.find(class_="error-summary") is not None
    assert page.find("input", {"name": "email"})["value"] == "treg@example.no"
    assert page.find("input", {"name": "display_name"})["value"] == "Treg"
    assert not page.find("input", {"name": "password"}).get("value")
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(User.id))) == 0


def test_logout_needs_post_and_a_valid_token(client, login_as):
    login_as("resident")
    assert client.get("/account/logout").status_code == 405
    client.post("/account/logout", data={"csrf_token": "forged"})
    assert client.get("/account/").status_code == 200  # still logged in


def test_staff_sessions_end_after_30_idle_minutes(app, client, login_as, monkeypatch):
    login_as("moderator")
    assert client.get("/account/").status_code == 200
    real_time = time.time
    monkeypatch.setattr(time, "time", lambda: real_time() + 31 * 60)
    response = client.get("/account/")
    assert response.status_code == 302 and "/account/login" in response.headers["Location"]


def test_resident_sessions_survive_30_idle_minutes(app, client, login_as, monkeypatch):
    login_as("resident")
    real_time = time.time
    monkeypatch.setattr(time, "time", lambda: real_time() + 31 * 60)
    assert client.get("/account/").status_code == 200


def test_session_cookie_is_renewed_at_login(app, client):
    make_user(app, email="fiksering@example.no")
    client.get("/account/login")
    with client.session_transaction() as session:
        session["planted"] = "by an attacker"
    client.submit("/account/login", {"email": "fiksering@example.no", "password": PASSWORD})
    with client.session_transaction() as session:
        assert "planted" not in session


def test_personal_pages_are_not_cached(client, login_as):
    login_as("resident")
    assert client.get("/account/").headers["Cache-Control"] == "no-store"


def test_blocked_account_cannot_log_in(app, client):
    from app.core.db import utcnow

    user = make_user(app, email="blokkert@example.no")
    with app.app_context():
        db.session.get(User, user.id).blocked_at = utcnow()
        db.session.commit()
    response = client.submit("/account/login", {"email": user.email, "password": PASSWORD})
    assert response.status_code == 200
    # The same answer as a wrong password (tests/security/round_two/test_p17_blocked_login.py).
    assert soup(response).find(id="password-error")


def test_an_idle_moderator_sending_a_public_form_is_logged_out_and_the_form_still_goes(app, client, login_as, monkeypatch):
    from app.feedback.models import Feedback
    from tests.helpers import form_fields

    login_as("moderator")
    values = form_fields(client.get("/districts/lademoen/feedback"), "/districts/lademoen/feedback")
    values["body"] = "Sendt etter lang pause"
    real_time = time.time
    monkeypatch.setattr(time, "time", lambda: real_time() + 31 * 60)
    response = client.post("/districts/lademoen/feedback", data=values)
    assert response.status_code == 302 and "/feedback/" in response.headers["Location"]
    with app.app_context():
        assert db.session.scalar(db.select(Feedback.body)) == "Sendt etter lang pause"
    assert client.get("/account/").status_code == 302  # logged out


def test_links_in_mail_carry_no_email_address(app, client, login_as):
    import base64
    import zlib

    user = login_as("resident")
    client.submit("/account/", {"email-new_email": "ny.adresse@example.no", "email-current_password": PASSWORD},
                  action="/account/email")
    register(Browser(app), email="sjekk.lenke@example.no")
    for mail, prefix in ((outbox(app, "ny.adresse@example.no")[-1], "/account/email/confirm/"),
                         (outbox(app, "sjekk.lenke@example.no")[-1], "/account/verify/")):
        token = link_in(mail, prefix).rsplit("/", 1)[1]
        payload = token.lstrip(".").split(".")[0]  # itsdangerous: ".payload.time.sig" when compressed
        raw = base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4))
        if token.startswith("."):
            raw = zlib.decompress(raw)
        assert b'"k"' in raw and b'"uid"' not in raw and b"@" not in raw, raw
    del user
