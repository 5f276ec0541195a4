"""Where a login leads: staff to their work, organisers to their events, residents to their own page,
unless the login page was given a ``next`` on this site."""
from __future__ import annotations

import pytest

from tests.helpers import PASSWORD, Browser, make_organisation, make_user


def _login(app, user, next_path: str | None = None) -> str:
    browser = Browser(app)
    url = "/account/login" + (f"?next={next_path}" if next_path else "")
    response = browser.submit(url, {"email": user.email, "password": PASSWORD})
    assert response.status_code == 302
    return response.headers["Location"]


@pytest.mark.parametrize("role, landing", [
    ("moderator", "/moderation/"),
    ("admin", "/admin/"),
    ("resident", "/account/"),
])
def test_a_login_without_next_leads_to_the_persons_work(app, role, landing):
    assert _login(app, make_user(app, role=role)).endswith(landing)


def test_an_organiser_lands_on_the_organiser_page(app):
    organiser = make_user(app)
    make_organisation(app, organiser)
    assert _login(app, organiser).endswith("/organiser/")


def test_a_member_of_an_organisation_not_yet_approved_lands_on_their_own_page(app):
    member = make_user(app)
    make_organisation(app, member, status="pending")
    assert _login(app, member).endswith("/account/")


@pytest.mark.parametrize("role", ["moderator", "admin", "resident"])
def test_a_safe_next_still_wins(app, role):
    assert _login(app, make_user(app, role=role), "/events/").endswith("/events/")


@pytest.mark.parametrize("role", ["moderator", "resident"])
def test_a_next_to_another_site_is_ignored_for_the_landing(app, role):
    landing = {"moderator": "/moderation/", "resident": "/account/"}[role]
    location = _login(app, make_user(app, role=role), "//evil.example/")
    assert location.endswith(landing) and "evil" not in location
