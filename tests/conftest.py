"""Fixtures on the app factory: a fresh database per test, and one way to act as each role.

SQLite in memory by default; the PostgreSQL at ``TEST_DATABASE_URL`` when set.
"""
from __future__ import annotations

import os

import pytest

from tests.helpers import PASSWORD, STAFF, Browser, build_app, discard_app, make_user
from tests.log_leaks import LOG_LINES, leaks, report
from tests.places_fixtures import fake_geocoder, garbage_geocoder, hanging_geocoder  # noqa: F401
from tests.translation_fixtures import (  # noqa: F401
    down_translator,
    fake_translator,
    garbage_translator,
    keyed_translator,
    slow_translator,
)

TEST_DATABASE_URL = os.environ.get("TEST_DATABASE_URL")


def pytest_configure(config):
    LOG_LINES.install()


@pytest.fixture(autouse=True)
def _no_personal_data_in_the_log():
    """A test fails if a log line written while it ran holds personal data (tests/log_leaks.py).

    Lines written since the test before it was checked (a module fixture set up for this one, or
    torn down after the one before) are checked in its set-up, so none goes unread."""
    LOG_LINES.install()
    before = leaks(LOG_LINES.take())
    assert before == [], report(before, "written before this test (by a module or session fixture)")
    yield
    LOG_LINES.install()
    found = leaks(LOG_LINES.take())
    assert found == [], report(found, "written by this test")


def pytest_sessionfinish(session, exitstatus):
    # What was written after the last test's check: module and session fixtures tearing down.
    found = leaks(LOG_LINES.take())
    if found:
        writer = session.config.get_terminal_writer()
        writer.line()
        writer.line(report(found, "written at the end of the run"), red=True)
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


@pytest.fixture
def app_factory():
    """Make an app with config overrides; every app made is cleaned up after the test."""
    made = []

    def make(**overrides):
        app = build_app(**overrides)
        made.append(app)
        return app

    yield make
    for app in made:
        discard_app(app)


@pytest.fixture
def app(app_factory):
    return app_factory()


@pytest.fixture
def client(app):
    return Browser(app)


@pytest.fixture
def login_as(app, client):
    """Act as a role: visitor, unverified, resident, moderator or admin.

    Signs in through the real login form, so a change to signing in is
    tested by every test that uses this. Moderators and admins then enter
    the code from their authenticator app (the browser's ``submit`` does
    that step after a staff login), so their session counts for staff pages.
    """

    def act(role: str = "resident", browser: Browser | None = None, **user_fields):
        browser = browser or client
        if role == "visitor":
            return None
        user = make_user(app, role=role, **user_fields)
        response = browser.submit("/account/login", {"email": user.email, "password": PASSWORD})
        assert response.status_code == 302, "logging in failed"
        if user.role in STAFF and user.totp_secret and browser.second_factor:
            assert "/account/two-factor" not in response.headers["Location"], "the code from the app was refused"
        return user

    return act


@pytest.fixture(scope="module")
def proxy():
    """A TCP proxy to PostgreSQL that a fault test can cut and restore (tests/faults/proxy.py)."""
    from tests.faults.proxy import start_proxy

    running = start_proxy()
    yield running
    running.stop()
