"""The newcomer who makes an account and taps "Meld deg på" before confirming the address: they end
up registered, through the mailed link, without meeting an error page on the way."""
from __future__ import annotations

import re

from tests.browser.test_accessibility import assert_accessible
from tests.helpers import PASSWORD, link_in, make_event, make_organisation, make_user, outbox


def test_register_do_not_confirm_sign_up_for_an_event_and_end_up_registered(live_server, page):
    app = live_server.app
    event_id = make_event(app, make_organisation(app, make_user(app), name="Nabolagskafeen"), title="Vaffelkveld")
    base = live_server.url

    page.goto(f"{base}/account/register?lang=nb")   # remembered in a cookie from here on
    page.fill("#email", "ivrig.nykommer@example.no")
    page.fill("#display_name", "Ivrig")
    page.fill("#password", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url("**/account/register/sent")
    page.goto(f"{base}/account/login")
    page.fill("#email", "ivrig.nykommer@example.no")
    page.fill("#password", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url(lambda url: "/account/login" not in url)

    page.goto(f"{base}/events/{event_id}")
    page.click("main a.button[href$='/register']")
    assert page.locator("main .notice").filter(has_text="ivrig.nykommer@example.no").count() == 1
    assert_accessible(page, "registration page of an unconfirmed account")
    page.click("main button[type=submit]")
    page.wait_for_url(f"**/events/{event_id}/register/sent")
    assert not re.search(r"\b403\b|Feilkode|ikke tilgang", page.inner_text("main"))

    mail = next(m for m in outbox(app, "ivrig.nykommer@example.no") if m.template == "registration_pending")
    page.goto(base + link_in(mail, "/registrations/"))
    page.click("main form[action$='/confirm'] button[type=submit]")
    page.wait_for_selector(".flash-success")
    assert not re.search(r"\b403\b|Feilkode|ikke tilgang", page.inner_text("main"))

    page.goto(f"{base}/events/{event_id}")
    assert "Du er påmeldt" in page.inner_text("main")
