"""Every POST in the URL map needs the page's CSRF token: without it, or with a wrong one, nothing changes
and the person is told to send the form again.

Parametrised over the URL map, so a route added later is covered; each is posted
as a role the authorisation matrix lets in, with the same request the matrix sends.
The same request with the right token is sent last, to show that it is the token
that made the difference.
"""
from __future__ import annotations

import pytest

from tests.helpers import build_app, discard_app, form_fields, soup
from tests.security.test_authorisation_matrix import EXPECTED
from tests.security.world import (
    FORBIDDEN,
    INVALID,
    OK,
    ROLES,
    World,
    changed_tables,
    choices,
    outcome_of,
    routes,
    snapshot,
)

POSTS = [endpoint for endpoint, method in routes() if method == "POST"]


@pytest.fixture(scope="module")
def world():
    app = build_app(WTF_CSRF_ENABLED=True)
    yield World(app)
    discard_app(app)


@pytest.fixture
def app(world):
    return world.app


def poster(endpoint: str) -> str:
    """The first role the matrix lets post here, one for whom it works if they can; where it lets nobody
    (an invitation for an address no role of the world has), a role it refuses: the token is checked first."""
    outcomes = EXPECTED.get((endpoint, "POST"))
    assert outcomes is not None, f"{endpoint} has no row in the authorisation matrix"
    for wanted in (OK, INVALID, FORBIDDEN):
        for role in ROLES:
            if outcomes[role] == wanted:
                return role
    raise AssertionError(f"the authorisation matrix lets nobody post to {endpoint}")


def _told_to_send_again(browser, response) -> bool:
    """A 400, or a page (this one or the one it leads to) with a message about what went wrong."""
    if response.status_code == 400:
        return True
    if response.status_code in (302, 303):
        response = browser.get(response.headers["Location"])
    page = soup(response)
    return response.status_code in (200, 400) and bool(page.select(".error-summary, .flash-error"))


@pytest.mark.parametrize("endpoint", POSTS)
def test_a_post_without_the_right_token_changes_nothing(world, login_as, endpoint):
    role = poster(endpoint)
    for rule in world.rules(endpoint, "POST"):
        for choice in choices(rule):
            world.sign_in(login_as)
            browser = world.browsers[role]
            token = form_fields(browser.get("/account/reset"))["csrf_token"]  # the session's token
            path, body = world.request(rule, choice)
            unexplained = []
            for label, sent in (("no token", body), ("a wrong token", {**body, "csrf_token": token[:-4] + "AAAA"})):
                before = snapshot(world.app)
                response = browser.post(path, data=sent)
                assert not changed_tables(before, snapshot(world.app)), f"{path} as {role} with {label} changed data"
                if not _told_to_send_again(browser, response):
                    unexplained.append((label, response.status_code, response.headers.get("Location")))
            before = snapshot(world.app)
            response = browser.post(path, data={**body, "csrf_token": token})
            expected = EXPECTED[(endpoint, "POST")][role]
            assert outcome_of(response) == expected, f"{path} as {role} with the right token: {response.status_code}"
            # Silence is right only where the right token changes nothing either (a page that just sends
            # this person on): then there was nothing to send again.
            did_nothing = not changed_tables(before, snapshot(world.app))
            for label, status, location in unexplained:
                assert did_nothing and (status, location) == (response.status_code, response.headers.get("Location")), \
                    f"{path} as {role} with {label}: {status} and no message to send it again"
            world.forget(role)
