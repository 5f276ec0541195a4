"""The TOTP set-up key is shown again on every visit of the set-up page until set-up is confirmed
(acceptable: whoever sees it has the password session already, and a code from it is still needed
to turn it on). Once confirmed it is never shown again: the page leads to the code page instead,
and the account page does not show it either."""
from __future__ import annotations

from tests.helpers import PASSWORD, Browser, make_user, soup, totp_code


def _secret(page) -> str:
    return "".join(soup(page).find("code", class_="secret").text.split())


def test_the_key_is_shown_again_until_confirmed_and_never_after(app):
    moderator = make_user(app, role="moderator", two_factor=False)
    browser = Browser(app, second_factor=False)
    assert browser.submit("/account/login", {"email": moderator.email, "password": PASSWORD}).status_code == 302
    first = browser.get("/account/two-factor/setup")
    again = browser.get("/account/two-factor/setup")
    secret = _secret(first)
    assert _secret(again) == secret                 # the same key, while not yet confirmed
    confirmed = browser.submit("/account/two-factor/setup", {"code": totp_code(app, moderator.email)})
    assert confirmed.status_code == 200 and soup(confirmed).select("ol.recovery-codes li")
    after = browser.get("/account/two-factor/setup")
    assert after.status_code == 302 and secret not in after.get_data(as_text=True)
    for path in ("/account/two-factor/setup?next=/account/", "/account/", "/account/two-factor"):
        page = browser.get(path, follow_redirects=True)
        body = page.get_data(as_text=True)
        assert secret not in body and secret[:4] + " " + secret[4:8] not in body, path
        assert "otpauth" not in body and "qr-code" not in body, path
