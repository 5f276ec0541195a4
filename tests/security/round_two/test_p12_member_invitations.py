"""The organisation member form tells nothing about an address, and nobody becomes a member unasked.

The tester, organiser of an approved organisation, typed an address that has an account and one
that has none into the member form: the first was added at once and the page showed that person's
display name; the second was refused with "There is no confirmed account with that address".
Now the form sends an invitation by mail and answers the same whatever the address; the person
becomes a member only by accepting it while signed in with that address; an invitation expires,
dies when used, and invitations are limited per organiser.
"""
from __future__ import annotations

import re
from datetime import timedelta

from app.core.db import utcnow
from app.extensions import db
from app.organisations.models import Membership, OrganisationInvitation
from config import Config
from tests.helpers import PASSWORD, Browser, link_in, make_organisation, make_user, outbox, soup


def _members(app, org):
    with app.app_context():
        return sorted(db.session.scalars(db.select(Membership.user_id).where(Membership.organisation_id == org)))


def _logged_in(app, email):
    browser = Browser(app)
    browser.get("/?lang=en")
    assert browser.submit("/account/login", {"email": email, "password": PASSWORD}).status_code == 302
    return browser


def _main_text(response) -> str:
    """What the organiser reads, without the per-request form tokens."""
    main = soup(response).find("main")
    for hidden in main.find_all("input", type="hidden"):
        hidden.decompose()
    return re.sub(r"\s+", " ", main.get_text(" "))


def test_the_member_form_answers_the_same_for_any_address_and_adds_nobody_unasked(app_factory):
    app = app_factory(ORGANISATION_INVITATIONS_PER_HOUR=Config.ORGANISATION_INVITATIONS_PER_HOUR)
    owner = make_user(app)
    org = make_organisation(app, owner)
    existing = make_user(app, email="kari@example.no", display_name="Kari Nordmann")
    organiser = _logged_in(app, owner.email)

    answers = {}
    for address in ("kari@example.no", "ingen.konto@example.no"):
        sent = organiser.submit(f"/organisations/{org}/members", {"email": address})
        assert sent.status_code == 302
        answers[address] = (sent.headers["Location"], _main_text(organiser.get(sent.headers["Location"])))
    (loc_a, page_a), (loc_b, page_b) = answers.values()
    assert loc_a == loc_b
    assert page_a.replace("kari@example.no", "ADDRESS") == page_b.replace("ingen.konto@example.no", "ADDRESS")
    assert "Kari Nordmann" not in page_a
    assert "invitation" in page_a
    assert _members(app, org) == [owner.id]        # nobody is added unasked

    # Both addresses got the same invitation; the link is no member's until accepted by the right account.
    [to_kari] = outbox(app, "kari@example.no")
    [to_nobody] = outbox(app, "ingen.konto@example.no")
    assert to_kari.template == to_nobody.template == "organisation_invitation"
    link = link_in(to_kari, "/organisations/invitations/")
    with app.app_context():
        token = link.rsplit("/", 1)[-1]
        stored = db.session.scalars(db.select(OrganisationInvitation)).all()
        assert len(stored) == 2 and all(token not in (i.token_hash, i.token_nonce) for i in stored)

    stranger = _logged_in(app, make_user(app).email)
    page = stranger.get(link)
    assert page.status_code == 403 and "sent to another address" in page.get_data(as_text=True)
    token = soup(stranger.get("/account/")).find("input", {"name": "csrf_token"})["value"]
    refused = stranger.post(link, data={"csrf_token": token})
    assert refused.status_code == 403 and "sent to another address" in refused.get_data(as_text=True)
    assert _members(app, org) == [owner.id]

    kari = _logged_in(app, existing.email)
    assert "Join" in kari.get(link).get_data(as_text=True)   # opening the link changes nothing
    assert _members(app, org) == [owner.id]
    accepted = kari.submit(link, {})
    assert accepted.status_code == 302
    assert _members(app, org) == sorted([owner.id, existing.id])
    assert kari.get(link).status_code == 404      # used: it is gone


def test_an_invitation_expires(app):
    owner = make_user(app)
    org = make_organisation(app, owner)
    invitee = make_user(app, email="ola@example.no")
    _logged_in(app, owner.email).submit(f"/organisations/{org}/members", {"email": "ola@example.no"})
    link = link_in(outbox(app, "ola@example.no")[0], "/organisations/invitations/")
    with app.app_context():
        db.session.scalar(db.select(OrganisationInvitation)).expires_at = utcnow() - timedelta(minutes=1)
        db.session.commit()
    ola = _logged_in(app, invitee.email)
    assert ola.get(link).status_code == 404
    assert ola.post(link, data={"csrf_token": "x"}).status_code in (400, 404)
    assert _members(app, org) == [owner.id]


def test_invitations_are_limited_per_organiser(app_factory):
    app = app_factory(ORGANISATION_INVITATIONS_PER_HOUR=Config.ORGANISATION_INVITATIONS_PER_HOUR)
    owner = make_user(app)
    org = make_organisation(app, owner)
    organiser = _logged_in(app, owner.email)
    limit = Config.ORGANISATION_INVITATIONS_PER_HOUR
    answers = [organiser.submit(f"/organisations/{org}/members", {"email": f"person{n}@example.no"})
               for n in range(limit + 1)]
    assert all(a.status_code == 302 for a in answers[:limit])
    assert answers[-1].status_code == 429
    page = soup(answers[-1])
    assert "many invitations" in page.find(id="email-error").get_text()
    assert page.find("input", id="email")["value"] == f"person{limit}@example.no"
    assert len(outbox(app)) == limit
