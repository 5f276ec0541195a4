"""No page sends anyone off the site: a ``next=`` (or a Referer) is followed only when it stays here.

Logging in is tried with every trick we know for smuggling a host into a path.
Every route is swept as a visitor and as a role the authorisation matrix lets in,
with an off-site Referer and a ``next`` on the site that shows whether the route
follows it; a route that does (a page added later) is then tried with every trick.
"""
from __future__ import annotations

from urllib.parse import quote, unquote, urlsplit

import pytest

from tests.helpers import PASSWORD, Browser, build_app, discard_app, form_fields, make_user
from tests.security.test_authorisation_matrix import EXPECTED
from tests.security.world import INVALID, OK, ROLES, VISITOR, World, choices, routes

TRICKS = [
    "//evil.example", "https://evil.example", "/\\evil.example", "/\\\\evil.example", "\\\\evil.example",
    "javascript:alert(1)", "%2F%2Fevil.example", "https:evil.example", " //evil.example", "/%09/evil.example",
    "///evil.example", "http://localhost.evil.example/", "//localhost@evil.example/",
]
# Each as typed, and as the app reads it when it arrives percent-decoded (%09 a tab, %2F a slash). A
# browser would stay on the site with one or two of them as typed (a path "/%09/evil.example"), but a
# next that only works once decoded is never one of ours: they are all refused.
OFF_SITE = sorted(set(TRICKS) | {unquote(trick) for trick in TRICKS})
HOME = "/districts/lademoen"


def on_site(location: str) -> bool:
    """Whether a browser following ``location`` from http://localhost/ stays on localhost."""
    if location != location.strip() or "\\" in location or any(ord(c) < 32 for c in location):
        return False
    parts = urlsplit(location)
    if parts.scheme or parts.netloc:
        return parts.scheme in ("http", "https") and parts.netloc == "localhost"
    return location.startswith("/") and not location.startswith("//")


def test_the_check_tells_off_site_from_on_site():
    assert all(not on_site(unquote(trick)) for trick in TRICKS)
    assert all(on_site(target) for target in ("/", HOME, "/account/?lang=nn", "http://localhost/ideas/"))


@pytest.fixture(scope="module")
def world():
    app = build_app(WTF_CSRF_ENABLED=True)   # forms as people get them, hidden fields and all
    yield World(app)
    discard_app(app)


@pytest.fixture
def app(world):
    """The module's one app, for the sweep's world and the login tests alike."""
    return world.app


# --- logging in ---------------------------------------------------------------------------------------------------------


@pytest.fixture
def person(app):
    return make_user(app)


@pytest.mark.parametrize("target", OFF_SITE)
def test_logging_in_never_leads_off_site(app, person, target):
    # The link a person followed (?next= fills the form's hidden field), and a form posted with its own next.
    by_link = Browser(app).submit(f"/account/login?next={quote(target, safe='')}",
                                  {"email": person.email, "password": PASSWORD})
    by_form = Browser(app).submit("/account/login", {"email": person.email, "password": PASSWORD, "next": target})
    for response in (by_link, by_form):
        assert response.status_code == 302
        assert response.headers["Location"] == "/account/", target


def test_logging_in_leads_back_to_the_page_on_this_site(app, client, person):
    response = client.submit(f"/account/login?next={HOME}", {"email": person.email, "password": PASSWORD})
    assert response.headers["Location"] == HOME


@pytest.mark.parametrize("target", OFF_SITE)
def test_someone_signed_in_opening_the_login_page_stays_on_the_site(client, login_as, target):
    login_as("resident")
    response = client.get("/account/login", query_string={"next": target})
    assert response.status_code == 302 and response.headers["Location"] == "/account/", target
    assert client.get("/account/login", query_string={"next": HOME}).headers["Location"] == HOME


# --- every route ---------------------------------------------------------------------------------------------------------

ROUTES = routes()
PROBE = f"{HOME}?came-from=next"   # on the site: a route that leads here follows next


def _who(endpoint: str, method: str) -> list[str]:
    """A visitor, and the first signed-in role the authorisation matrix lets in."""
    outcomes = EXPECTED.get((endpoint, method))
    assert outcomes is not None, f"({endpoint!r}, {method!r}) has no row in the authorisation matrix"
    return [VISITOR] + [role for role in ROLES if role != VISITOR and outcomes[role] in (OK, INVALID)][:1]


def _send(world, role, rule, choice, method, target):
    path, body = world.request(rule, choice)
    browser = world.browsers[role]
    if method == "POST" and not hasattr(browser, "csrf_token"):
        browser.csrf_token = form_fields(browser.get("/account/reset"))["csrf_token"]
    data = {**body, "next": target, "csrf_token": browser.csrf_token} if method == "POST" else None
    with browser.open(path, method=method, query_string={"next": target}, data=data,
                                   headers={"Referer": f"https://evil.example/{quote(target)}"}) as response:
        location = response.headers.get("Location")
    if method == "POST":
        world.forget(role)  # the request may have ended the session
    return path, location


@pytest.mark.parametrize(("endpoint", "method"), ROUTES, ids=[f"{method} {endpoint}" for endpoint, method in ROUTES])
def test_no_route_leads_off_site(world, login_as, endpoint, method):
    for rule in world.rules(endpoint, method):
        for choice in choices(rule):
            for role in _who(endpoint, method):
                world.sign_in(login_as)
                path, location = _send(world, role, rule, choice, method, PROBE)
                assert location is None or on_site(location), f"{method} {path} as {role} led to {location}"
                if location is None or "came-from=next" not in location:
                    continue
                for target in OFF_SITE:  # this route follows next: every trick, then
                    world.sign_in(login_as)
                    path, location = _send(world, role, rule, choice, method, target)
                    assert location is None or on_site(location), f"{method} {path} as {role} led to {location}"
                    assert location != target, f"{method} {path} as {role} followed next={target!r}"


def test_the_sweep_recognises_a_route_that_follows_next(world, login_as):
    """Someone signed in who opens the login page is sent on to next: the probe must see that."""
    world.sign_in(login_as)
    [rule] = world.rules("accounts.login", "GET")
    assert _send(world, "resident", rule, {}, "GET", PROBE)[1] == PROBE
