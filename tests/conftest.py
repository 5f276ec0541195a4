"""Fixtures on the app factory: a fresh database per test, and one way to act as each role.

SQLite in memory by default; the PostgreSQL at ``TEST_DATABASE_URL`` when set.
"""
from __future__ import annotations

import logging
import os

import pytest

from tests.helpers import PASSWORD, STAFF, Browser, build_app, discard_app, make_user

TEST_DATABASE_URL = os.environ.get("TEST_DATABASE_URL")


class LogRecorder(logging.Handler):
    """Every log line the app writes during the whole run, as it would be written, for
    tests/web/test_zz_logs.py (named to run last) to search for personal data."""

    def __init__(self):
        super().__init__(level=logging.DEBUG)
        self.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        try:
            self.lines.append(self.format(record))
        except Exception:  # a record that cannot be formatted is not one a log file would hold either
            pass


LOG_LINES = LogRecorder()


@pytest.fixture(autouse=True)
def _record_every_log_line():
    # Before each test, since Alembic's logging set-up (the migration tests) replaces the root handlers.
    root = logging.getLogger()
    if LOG_LINES not in root.handlers:
        root.addHandler(LOG_LINES)
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
