"""Account pre-hijacking: someone registers with another person's address and stays logged in.
When the real owner confirms the address, that early session must not gain the confirmed
account's rights: confirming ends every other session of the account."""
from __future__ import annotations

from tests.helpers import PASSWORD, Browser, link_in, outbox

VICTIM = "kari.nordmann@example.no"


def test_confirming_the_address_ends_the_attackers_early_session(app):
    attacker = Browser(app)
    attacker.submit("/account/register", {"email": VICTIM, "display_name": "Kari", "password": PASSWORD,
                                          "password_confirm": PASSWORD})
    login = attacker.submit("/account/login", {"email": VICTIM, "password": PASSWORD})
    assert login.status_code == 302
    assert attacker.get("/account/").status_code == 200          # unverified, but signed in
    verify = link_in(outbox(app, VICTIM)[-1], "/account/verify/")
    owner = Browser(app)
    assert owner.get(verify).status_code == 302
    assert attacker.get("/account/").status_code == 302, "the early session gained the confirmed account"
    assert attacker.get("/ideas/new").status_code == 302


def test_confirming_in_the_session_that_is_signed_in_keeps_it(app):
    browser = Browser(app)
    browser.submit("/account/register", {"email": VICTIM, "display_name": "Kari", "password": PASSWORD,
                                         "password_confirm": PASSWORD})
    assert browser.submit("/account/login", {"email": VICTIM, "password": PASSWORD}).status_code == 302
    assert browser.get(link_in(outbox(app, VICTIM)[-1], "/account/verify/")).status_code == 302
    assert browser.get("/account/").status_code == 200
