"""Mail flooding: a stranger cannot fill someone's inbox through the site's forms.

The tester sent 14 password resets and 8 registrations with one person's address in a minute, and
all 22 mails arrived. Mail that goes to an address anyone can type in is now capped per address
(ACCOUNT_MAILS_PER_ADDRESS_PER_HOUR); over the cap the mail is quietly not sent, and the page
answers exactly as before, so the cap tells nothing about the address either.
"""
from __future__ import annotations

from tests.helpers import PASSWORD, Browser, make_user, outbox

CAP = 5


def _answer(response) -> tuple[int, str | None]:
    return response.status_code, response.headers.get("Location")


def test_fourteen_resets_in_a_minute_reach_the_mailbox_at_most_cap_times(app_factory):
    app = app_factory(ACCOUNT_MAILS_PER_ADDRESS_PER_HOUR=CAP)
    victim = make_user(app, email="offer@example.no")
    bystander = make_user(app, email="annen@example.no")
    answers = set()
    for n in range(14):
        answers.add(_answer(Browser(app).submit("/account/reset", {"email": victim.email},
                                                environ_base={"REMOTE_ADDR": f"198.51.100.{n + 1}"})))
    assert len(answers) == 1   # the 14th answer is the first one's
    assert len([m for m in outbox(app, victim.email) if m.template == "reset_password"]) <= CAP
    # The cap is per address: someone else still gets their reset.
    Browser(app).submit("/account/reset", {"email": bystander.email})
    assert [m.template for m in outbox(app, bystander.email)] == ["reset_password"]


def test_eight_registrations_with_a_taken_address_and_resets_share_the_cap(app_factory):
    app = app_factory(ACCOUNT_MAILS_PER_ADDRESS_PER_HOUR=CAP)
    victim = make_user(app, email="offer@example.no")
    answers = set()
    for n in range(8):
        answers.add(_answer(Browser(app).submit("/account/register", {
            "email": victim.email, "display_name": "Noen", "password": PASSWORD, "password_confirm": PASSWORD},
            environ_base={"REMOTE_ADDR": f"203.0.113.{n + 1}"})))
    for n in range(6):
        Browser(app).submit("/account/reset", {"email": victim.email}, environ_base={"REMOTE_ADDR": f"192.0.2.{n + 1}"})
    assert len(answers) == 1
    assert len(outbox(app, victim.email)) <= CAP
