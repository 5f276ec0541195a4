"""A phished staff password alone must not take the account away.

The tester had a moderator's password and nothing else. Stopped at the second-factor step,
they changed the account's email (then the reset link goes to them), changed the password,
deleted the account, and sent 30 wrong codes, after which the owner's right code and recovery
codes answered 429 for a day. Here the same is done: every one of those changes is refused until
the session has passed the second factor, and wrong codes from a stranger's machine leave the
owner, on their own machine, able to sign in (and the owner is told by mail). Changing the
address ends the account's other sessions, as a new password does.
"""
from __future__ import annotations

from urllib.parse import urlsplit

from app.accounts.models import User
from app.extensions import db
from tests.helpers import PASSWORD, Browser, link_in, make_user, outbox, totp_code

ATTACKER_ADDR, OWNER_ADDR = "198.51.100.66", "203.0.113.10"
NEW_PASSWORD = "blå hest hopper over gjerdet"


def _stored(app, user_id: int) -> User | None:
    with app.app_context():
        user = db.session.get(User, user_id)
        if user is not None:
            db.session.expunge(user)
        return user


def _browser(app, addr: str, second_factor: bool) -> Browser:
    browser = Browser(app, second_factor=second_factor)
    browser.client.environ_base["REMOTE_ADDR"] = addr
    return browser


def _attacker(app, moderator) -> Browser:
    """Logged in with the phished password, stopped at the code page."""
    browser = _browser(app, ATTACKER_ADDR, second_factor=False)
    login = browser.submit("/account/login", {"email": moderator.email, "password": PASSWORD})
    assert urlsplit(login.headers["Location"]).path == "/account/two-factor"
    return browser


def test_the_password_alone_changes_no_email_no_password_and_deletes_nothing(app):
    moderator = make_user(app, role="moderator", email="moderator.eier@example.no")
    before = _stored(app, moderator.id)
    attacker = _attacker(app, moderator)
    attempts = {
        "/account/email": {"email-new_email": "angriper@example.net", "email-current_password": PASSWORD},
        "/account/password": {"password-current_password": PASSWORD, "password-new_password": NEW_PASSWORD},
        "/account/delete": {"password": PASSWORD},
    }
    for action, data in attempts.items():
        page = "/account/delete" if action == "/account/delete" else "/account/"
        answer = attacker.submit(page, data, action=action)
        assert answer.status_code == 302, action
        assert urlsplit(answer.headers["Location"]).path == "/account/two-factor", action
    after = _stored(app, moderator.id)
    assert after is not None, "the account was deleted with the password alone"
    assert after.email == before.email and after.pending_email is None
    assert after.password_hash == before.password_hash
    assert not outbox(app, "angriper@example.net"), "a confirmation link went to the attacker's address"
    # The owner still signs in with their password and code.
    owner = _browser(app, OWNER_ADDR, second_factor=True)
    assert owner.submit("/account/login", {"email": moderator.email, "password": PASSWORD}).status_code == 302
    assert owner.get("/moderation/").status_code == 200


def test_with_the_second_factor_the_owner_changes_them_as_before(app):
    moderator = make_user(app, role="moderator")
    owner = _browser(app, OWNER_ADDR, second_factor=True)
    assert owner.submit("/account/login", {"email": moderator.email, "password": PASSWORD}).status_code == 302
    answer = owner.submit("/account/", {"email-new_email": "ny.adresse@example.no", "email-current_password": PASSWORD},
                          action="/account/email")
    assert answer.status_code == 302 and urlsplit(answer.headers["Location"]).path == "/account/"
    assert outbox(app, "ny.adresse@example.no")


def test_thirty_wrong_codes_from_a_stranger_do_not_lock_the_owner_out(app_factory):
    # A day's worth of wrong codes: the per-minute limit is lifted so the test need not wait a day.
    app = app_factory(LOGIN_FAILURES_PER_MINUTE=1000)
    moderator = make_user(app, role="moderator", email="moderator.eier@example.no")
    attacker = _attacker(app, moderator)
    statuses = [attacker.submit("/account/two-factor", {"code": "000000"}).status_code for _ in range(31)]
    assert statuses[:30] == [400] * 30 and statuses[30] == 429, "the stranger's machine is not stopped"
    owner = _browser(app, OWNER_ADDR, second_factor=False)
    login = owner.submit("/account/login", {"email": moderator.email, "password": PASSWORD})
    assert urlsplit(login.headers["Location"]).path == "/account/two-factor"
    code = owner.submit("/account/two-factor", {"code": totp_code(app, moderator.email)})
    assert code.status_code == 302, "the owner's right code was refused after a stranger's wrong ones"
    assert owner.get("/moderation/").status_code == 200
    told = [m for m in outbox(app, moderator.email) if m.template == "second_factor_failures"]
    assert len(told) == 1, "the owner is told once that someone has their password"
    assert "000000" not in told[0].body


def test_wrong_codes_within_a_minute_do_not_lock_the_owner_out_either(app):
    moderator = make_user(app, role="moderator")
    attacker = _attacker(app, moderator)
    statuses = [attacker.submit("/account/two-factor", {"code": "000000"}).status_code for _ in range(10)]
    assert 429 in statuses
    owner = _browser(app, OWNER_ADDR, second_factor=True)
    assert owner.submit("/account/login", {"email": moderator.email, "password": PASSWORD}).status_code == 302
    assert owner.get("/moderation/").status_code == 200


def test_an_email_change_ends_the_other_sessions(app):
    moderator = make_user(app, role="moderator")
    other_device = _browser(app, ATTACKER_ADDR, second_factor=True)
    assert other_device.submit("/account/login", {"email": moderator.email, "password": PASSWORD}).status_code == 302
    assert other_device.get("/account/").status_code == 200
    owner = _browser(app, OWNER_ADDR, second_factor=True)
    assert owner.submit("/account/login", {"email": moderator.email, "password": PASSWORD}).status_code == 302
    owner.submit("/account/", {"email-new_email": "ny.adresse@example.no", "email-current_password": PASSWORD},
                 action="/account/email")
    confirm = link_in(outbox(app, "ny.adresse@example.no")[-1], "/account/email/confirm/")
    assert owner.get(confirm).status_code == 302
    assert _stored(app, moderator.id).email == "ny.adresse@example.no"
    assert other_device.get("/account/").status_code == 302, "the other session survived the new address"
    assert owner.get("/account/").status_code == 200, "the session that confirmed goes on"
    assert owner.get("/moderation/").status_code == 200
