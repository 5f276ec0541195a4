"""An app that reaches PostgreSQL through a proxy the tests can cut (tests/faults/proxy.py).

These tests run in both passes of the suite and never skip: on PostgreSQL they use
``TEST_DATABASE_URL``; on SQLite they use ``FAULT_DATABASE_URL`` (default: the ``test`` database on
this machine). The database server itself is never stopped.
"""
from __future__ import annotations

import pytest

from tests.faults.proxy import url_through


@pytest.fixture
def app(app_factory, proxy):
    made = app_factory(SQLALCHEMY_DATABASE_URI=url_through(proxy), FEEDBACK_MIN_SECONDS=0, REGISTRATION_MIN_SECONDS=0)
    yield made
    proxy.restore()  # so the suite's clean-up (app_factory) can empty the tables through it
