"""Two-step login for moderators and admins: set up by scanning a QR code, a code from the app at every
login, one-time recovery codes; staff pages refuse a session that has only given the password."""
from __future__ import annotations

import json
import logging
import time
from urllib.parse import parse_qs, unquote, urlsplit

import pyotp

from app.accounts.models import RecoveryCode, User
from app.core.models import AuditEntry
from app.core.permissions import SECOND_FACTOR_KEY, Permission, require
from app.extensions import db
from tests.helpers import PASSWORD, Browser, make_user, soup, totp_code


def _code(secret: str, steps_ahead: int = 0) -> str:
    """What the app shows now, or ``steps_ahead`` 30-second steps from now."""
    totp = pyotp.TOTP(secret)
    return totp.generate_otp(int(time.time()) // totp.interval + steps_ahead)


def _password_only(app, user, next_path: str | None = None):
    """A browser that has logged in with the password and stopped there; and the login's answer."""
    browser = Browser(app, second_factor=False)
    url = "/account/login" + (f"?next={next_path}" if next_path else "")
    response = browser.submit(url, {"email": user.email, "password": PASSWORD}, action="/account/login")
    assert response.status_code == 302
    return browser, response


def _path_and_next(response) -> tuple[str, str]:
    location = urlsplit(response.headers["Location"])
    return location.path, parse_qs(location.query)["next"][0]


def _stored(app, user_id: int) -> User:
    with app.app_context():
        user = db.session.get(User, user_id)
        db.session.expunge(user)
        return user


def _recovery_hashes(app, user_id: int) -> list[str]:
    with app.app_context():
        return list(db.session.scalars(db.select(RecoveryCode.code_hash).where(RecoveryCode.user_id == user_id)))


def _actions(app, user_id: int) -> list[tuple[int | None, str]]:
    with app.app_context():
        return [(e.actor_id, e.action) for e in db.session.scalars(
            db.select(AuditEntry).where(AuditEntry.target_type == "User", AuditEntry.target_id == str(user_id),
                                        AuditEntry.action.notlike("user.grant%")).order_by(AuditEntry.id))]


def _set_up(app, user, next_path: str | None = None):
    """Log in a moderator without the second factor, set it up through the pages; returns (browser, page, codes)."""
    browser, _ = _password_only(app, user, next_path)
    page = browser.get("/account/two-factor/setup" + (f"?next={next_path}" if next_path else ""))
    secret = "".join(soup(page).find("code", class_="secret").text.split())
    answer = browser.submit("/account/two-factor/setup", {"code": _code(secret)},
                            page=page.request.full_path)
    codes = [li.text.strip() for li in soup(answer).select("ol.recovery-codes li")]
    return browser, answer, codes


def test_a_moderator_without_it_is_led_from_login_to_a_qr_code_and_the_secret(app):
    moderator = make_user(app, role="moderator", two_factor=False)
    browser, login = _password_only(app, moderator)
    assert login.headers["Location"] == "/account/two-factor/setup?next=/moderation/"
    page = browser.get(login.headers["Location"])
    assert page.status_code == 200
    html = soup(page)
    qr = html.find("img", class_="qr-code")
    assert qr["alt"] and qr["src"].startswith("data:image/svg+xml")
    # The page's Content-Security-Policy allows data: images and no inline styles; the SVG has none.
    assert "img-src 'self' data:" in page.headers["Content-Security-Policy"]
    svg = unquote(qr["src"].split(",", 1)[1])
    assert svg.startswith("<svg") and "style" not in svg and "<script" not in svg
    stored = _stored(app, moderator.id)
    shown = html.find("code", class_="secret").text
    assert shown.split()[0] == stored.totp_secret[:4] and "".join(shown.split()) == stored.totp_secret
    assert stored.totp_confirmed_at is None
    assert "Medvirk" in page.get_data(as_text=True) and moderator.email in page.get_data(as_text=True)
    field = html.find("input", {"name": "code"})
    assert field["autocomplete"] == "one-time-code" and field["inputmode"] == "numeric"
    assert html.find("label", {"for": field["id"]})
    # Coming back shows the same secret: the app may already hold it.
    again = soup(browser.get("/account/two-factor/setup")).find("code", class_="secret").text
    assert again == shown


def test_the_otpauth_link_names_medvirk_and_the_account(app):
    from app.accounts import two_factor

    moderator = make_user(app, role="moderator", email="ola.moderator@example.no")
    with app.app_context():
        uri = two_factor.provisioning_uri(db.session.get(User, moderator.id))
    parsed = pyotp.parse_uri(uri)
    assert parsed.issuer == "Medvirk" and parsed.name == "ola.moderator@example.no"
    assert parsed.secret == moderator.totp_secret


def test_a_right_code_turns_it_on_and_shows_ten_recovery_codes_once(app, caplog):
    moderator = make_user(app, role="moderator", two_factor=False)
    with caplog.at_level(logging.DEBUG):
        browser, answer, codes = _set_up(app, moderator, next_path="/moderation/")
    assert answer.status_code == 200
    assert len(codes) == 10 and len(set(codes)) == 10
    assert all(len(code.replace("-", "")) == 10 for code in codes)
    assert soup(answer).select_one("main a.button")["href"] == "/moderation/"
    stored = _stored(app, moderator.id)
    assert stored.totp_confirmed_at is not None
    hashes = _recovery_hashes(app, moderator.id)
    assert len(hashes) == 10 and not set(codes) & set(hashes)
    # The session now counts for staff pages.
    assert browser.get("/moderation/").status_code == 200
    # Shown once: neither the set-up page nor the account page shows them again.
    assert browser.get("/account/two-factor/setup").status_code == 302
    account = browser.get("/account/").get_data(as_text=True)
    assert not any(code in account for code in codes)
    assert "10" in soup(browser.get("/account/")).find(id="two-factor-title").parent.text
    assert _actions(app, moderator.id) == [(moderator.id, "user.two_factor_setup")]
    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert stored.totp_secret not in logged and not any(code in logged for code in codes)


def test_a_wrong_code_is_refused_beside_the_field_and_not_sent_back(app):
    def refused(response) -> None:
        assert response.status_code == 400
        html = soup(response)
        field = html.find("input", {"name": "code"})
        assert field["aria-invalid"] == "true" and "code-error" in field["aria-describedby"]
        assert html.find(id="code-error").text.strip() and html.find(class_="error-summary")
        assert not field.get("value")

    moderator = make_user(app, role="moderator", two_factor=False)
    browser, _ = _password_only(app, moderator)
    browser.get("/account/two-factor/setup")
    secret = _stored(app, moderator.id).totp_secret
    refused(browser.submit("/account/two-factor/setup", {"code": f"{(int(_code(secret)) + 1) % 1_000_000:06d}"}))
    assert _stored(app, moderator.id).totp_confirmed_at is None

    admin = make_user(app, role="admin")
    browser, _ = _password_only(app, admin)
    for typed in (f"{(int(_code(admin.totp_secret)) + 1) % 1_000_000:06d}", "12345", "abcdef"):
        refused(browser.submit("/account/two-factor", {"code": typed}))
    assert browser.get("/moderation/").status_code == 302


def test_staff_pages_refuse_a_password_only_session_until_the_code_is_given(app):
    @require(Permission.ADMINISTER)
    def admin_only():
        return "settings for admins"

    app.add_url_rule("/admin-only", "admin_only", admin_only)
    admin = make_user(app, role="admin")
    browser, login = _password_only(app, admin, next_path="/admin-only")
    assert login.headers["Location"] == "/account/two-factor?next=/admin-only"
    for path in ("/admin-only", "/moderation/", "/moderation/audit"):
        response = browser.get(path)
        assert response.status_code == 302, path
        assert _path_and_next(response) == ("/account/two-factor", path)
    page = browser.get("/account/two-factor?next=/admin-only")
    assert page.status_code == 200
    response = browser.submit("/account/two-factor?next=/admin-only", {"code": _code(admin.totp_secret)},
                              action="/account/two-factor")
    assert response.status_code == 302 and response.headers["Location"] == "/admin-only"
    assert browser.get("/admin-only").get_data(as_text=True) == "settings for admins"
    assert browser.get("/moderation/").status_code == 200
    assert browser.get("/moderation/audit").status_code == 200


def test_a_moderator_with_only_the_password_can_still_take_part_as_a_resident(app):
    moderator = make_user(app, role="moderator")
    browser, _ = _password_only(app, moderator)
    assert browser.get("/ideas/new?district=lademoen").status_code == 200
    nav = soup(browser.get("/")).find(class_="main-nav")
    assert "/moderation/" not in str(nav)
    account = soup(browser.get("/account/")).find(id="two-factor-title").parent
    assert account.find("a", href=lambda href: href and href.startswith("/account/two-factor?next="))


def test_what_a_moderator_may_see_in_their_districts_also_waits_for_the_code(app):
    from app.core.db import utcnow
    from tests.helpers import make_idea

    held = make_idea(app, make_user(app), district="lademoen", held_at=utcnow())
    moderator = make_user(app, role="moderator", districts=("lademoen",))
    browser, _ = _password_only(app, moderator)
    assert browser.get(f"/ideas/{held}").status_code == 404
    browser.submit("/account/two-factor", {"code": _code(moderator.totp_secret)})
    assert browser.get(f"/ideas/{held}").status_code == 200


def test_a_moderator_who_has_not_set_it_up_is_sent_to_the_set_up_page_with_next_kept(app):
    moderator = make_user(app, role="moderator", two_factor=False)
    browser, _ = _password_only(app, moderator)
    response = browser.get("/moderation/?kind=idea")
    assert _path_and_next(response) == ("/account/two-factor", "/moderation/?kind=idea")
    response = browser.get(response.headers["Location"])
    assert _path_and_next(response) == ("/account/two-factor/setup", "/moderation/?kind=idea")


def test_next_is_followed_only_to_paths_on_this_site(app):
    moderator = make_user(app, role="moderator")
    for target in ("https://evil.example/", "//evil.example/", "/\\evil.example"):
        browser, login = _password_only(app, moderator, next_path=target)
        assert login.headers["Location"] == "/account/two-factor?next=/moderation/", target
        response = browser.submit(f"/account/two-factor?next={target}", {"code": totp_code(app, moderator.email),
                                                                           "next": target}, action="/account/two-factor")
        assert response.headers["Location"] == "/moderation/", target


def test_a_code_that_was_used_once_is_refused(app):
    moderator = make_user(app, role="moderator", locale="en")
    first, _ = _password_only(app, moderator)
    code = _code(moderator.totp_secret)
    assert first.submit("/account/two-factor", {"code": code}).status_code == 302
    second, _ = _password_only(app, moderator)
    replayed = second.submit("/account/two-factor", {"code": code})
    assert replayed.status_code == 400
    assert "used already" in soup(replayed).find(id="code-error").text
    assert second.get("/moderation/").status_code == 302
    # The next code, within one step of clock drift, is a new one and works.
    assert second.submit("/account/two-factor", {"code": _code(moderator.totp_secret, 1)}).status_code == 302
    assert second.get("/moderation/").status_code == 200


def test_codes_outside_one_step_of_drift_are_refused(app):
    moderator = make_user(app, role="moderator")
    browser, _ = _password_only(app, moderator)
    for steps in (-2, 2):
        assert browser.submit("/account/two-factor", {"code": _code(moderator.totp_secret, steps)}).status_code == 400
    assert browser.submit("/account/two-factor", {"code": _code(moderator.totp_secret, -1)}).status_code == 302


def test_a_recovery_code_logs_in_once(app):
    moderator = make_user(app, role="moderator", two_factor=False)
    browser, _, codes = _set_up(app, moderator)
    browser.post("/account/logout", data={"csrf_token": soup(browser.get("/account/")).find(
        "input", {"name": "csrf_token"})["value"]})

    browser, _ = _password_only(app, moderator, next_path="/moderation/")
    typed = codes[0].upper().replace("-", " ")  # as someone may type it off paper
    response = browser.submit("/account/two-factor?next=/moderation/", {"recovery_code": typed},
                              action="/account/two-factor/recovery")
    assert response.status_code == 302 and response.headers["Location"] == "/moderation/"
    assert browser.get("/moderation/").status_code == 200
    assert len(_recovery_hashes(app, moderator.id)) == 9
    assert (moderator.id, "user.recovery_code_used") in _actions(app, moderator.id)

    again, _ = _password_only(app, moderator)
    refused = again.submit("/account/two-factor", {"recovery_code": codes[0]}, action="/account/two-factor/recovery")
    assert refused.status_code == 400
    html = soup(refused)
    field = html.find("input", {"name": "recovery_code"})
    assert field["aria-invalid"] == "true" and html.find(id="recovery_code-error") and not field.get("value")
    assert again.get("/moderation/").status_code == 302
    assert len(_recovery_hashes(app, moderator.id)) == 9


def test_wrong_codes_are_throttled_like_failed_logins(app_factory):
    app = app_factory(LOGIN_FAILURES_PER_MINUTE=3)
    moderator = make_user(app, role="moderator")
    browser, _ = _password_only(app, moderator)
    wrong = f"{(int(_code(moderator.totp_secret)) + 1) % 1_000_000:06d}"
    for _ in range(3):
        assert browser.submit("/account/two-factor", {"code": wrong}).status_code == 400
    blocked = browser.submit("/account/two-factor", {"code": _code(moderator.totp_secret)})
    assert blocked.status_code == 429 and 0 < int(blocked.headers["Retry-After"]) <= 60
    recovery = browser.submit("/account/two-factor", {"recovery_code": "abcde-fghjk"}, action="/account/two-factor/recovery")
    assert recovery.status_code == 429
    assert browser.get("/moderation/").status_code == 302


def test_residents_are_never_asked_for_a_code(app, client, login_as):
    resident = make_user(app)
    browser, login = _password_only(app, resident)
    assert login.headers["Location"] == "/account/"
    assert browser.get("/account/two-factor/setup").status_code == 404
    assert browser.get("/account/two-factor").headers["Location"] == "/account/"
    assert soup(browser.get("/account/")).find(id="two-factor-title") is None
    assert _stored(app, resident.id).totp_secret is None


def test_logging_out_ends_the_second_factor_too(app, client, login_as):
    moderator = login_as("moderator")
    assert client.get("/moderation/").status_code == 200
    token = soup(client.get("/account/")).find("input", {"name": "csrf_token"})["value"]
    client.post("/account/logout", data={"csrf_token": token})
    with client.session_transaction() as session:
        assert SECOND_FACTOR_KEY not in session
    browser, _ = _password_only(app, moderator)
    assert browser.get("/moderation/").status_code == 302


def test_changing_the_password_asks_for_a_code_again(app, client, login_as):
    login_as("moderator")
    new_password = "blå hester danser langsomt"
    response = client.submit("/account/password", {"password-current_password": PASSWORD,
                                                    "password-new_password": new_password}, page="/account/")
    assert response.status_code == 302 and response.headers["Location"].startswith("/account/two-factor")
    assert client.get("/moderation/").status_code == 302


def test_passing_the_second_factor_renews_the_session(app):
    moderator = make_user(app, role="moderator")
    browser, _ = _password_only(app, moderator)
    browser.get("/account/two-factor")
    with browser.session_transaction() as session:
        session["planted"] = "by an attacker"
        session[SECOND_FACTOR_KEY] = moderator.id + 1  # a flag for someone else counts for nobody
    assert browser.get("/moderation/").status_code == 302
    browser.submit("/account/two-factor", {"code": _code(moderator.totp_secret)})
    with browser.session_transaction() as session:
        assert "planted" not in session and session[SECOND_FACTOR_KEY] == moderator.id


def test_staff_make_new_recovery_codes_with_their_password(app):
    moderator = make_user(app, role="moderator", two_factor=False)
    browser, _, old = _set_up(app, moderator)
    section = soup(browser.get("/account/")).find(id="two-factor-title").parent
    assert "10" in section.text
    wrong = browser.submit("/account/two-factor/recovery-codes", {"recovery-password": "ikke mitt passord"},
                           page="/account/")
    assert wrong.status_code == 400
    assert soup(wrong).find(id="recovery-password-error")
    renewed = browser.submit("/account/two-factor/recovery-codes", {"recovery-password": PASSWORD}, page="/account/")
    assert renewed.status_code == 200
    new = [li.text.strip() for li in soup(renewed).select("ol.recovery-codes li")]
    assert len(new) == 10 and not set(new) & set(old)
    assert len(_recovery_hashes(app, moderator.id)) == 10
    assert (moderator.id, "user.recovery_codes_renewed") in _actions(app, moderator.id)

    other, _ = _password_only(app, moderator)
    assert other.submit("/account/two-factor", {"recovery_code": old[1]}, action="/account/two-factor/recovery").status_code == 400
    # With the password alone, no new codes: they would pass the second factor.
    response = other.post("/account/two-factor/recovery-codes", data={
        "recovery-password": PASSWORD,
        "csrf_token": soup(other.get("/account/")).find("input", {"name": "csrf_token"})["value"]})
    assert response.status_code == 302 and response.headers["Location"].startswith("/account/two-factor?next=")
    assert len(_recovery_hashes(app, moderator.id)) == 10
    assert other.submit("/account/two-factor", {"recovery_code": new[0]}, action="/account/two-factor/recovery").status_code == 302


def test_a_lost_phone_is_reset_from_the_command_line_and_audited(app, client, login_as):
    moderator = login_as("moderator")
    with app.app_context():
        db.session.add(RecoveryCode(user_id=moderator.id, code_hash="0" * 64))
        db.session.commit()
    result = app.test_cli_runner().invoke(args=["users", "reset-two-factor", moderator.email])
    assert result.exit_code == 0, result.output
    stored = _stored(app, moderator.id)
    assert stored.totp_secret is None and stored.totp_confirmed_at is None
    assert _recovery_hashes(app, moderator.id) == []
    assert (None, "user.two_factor_reset") in _actions(app, moderator.id)
    assert moderator.totp_secret not in result.output
    # Every session ended; the next login sets it up again.
    assert "/account/login" in client.get("/moderation/").headers["Location"]
    _, login = _password_only(app, moderator)
    assert login.headers["Location"].startswith("/account/two-factor/setup")
    again = app.test_cli_runner().invoke(args=["users", "reset-two-factor", moderator.email])
    assert again.exit_code != 0


def test_the_audit_log_names_the_second_factor_actions(app, client, login_as):
    moderator = make_user(app, role="moderator", two_factor=False)
    _set_up(app, moderator)
    login_as("admin", locale="en")
    log = client.get("/moderation/audit?lang=en").get_data(as_text=True)
    assert "Two-step login set up" in log


def test_the_download_of_own_data_holds_no_secret_or_code(app):
    moderator = make_user(app, role="moderator", two_factor=False)
    browser, _, codes = _set_up(app, moderator)
    body = browser.get("/account/export").get_data(as_text=True)
    data = json.loads(body)
    assert data["profile"]["two_step_login_since"]
    secret = _stored(app, moderator.id).totp_secret
    for secret_value in [secret, *codes, *_recovery_hashes(app, moderator.id)]:
        assert secret_value not in body


def test_deleting_a_staff_account_deletes_its_recovery_codes(app):
    moderator = make_user(app, role="moderator", two_factor=False)
    browser, _, _codes = _set_up(app, moderator)
    assert _recovery_hashes(app, moderator.id)
    response = browser.submit("/account/delete", {"password": PASSWORD})
    assert response.status_code == 302
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(RecoveryCode.id))) == 0
        assert db.session.get(User, moderator.id) is None
