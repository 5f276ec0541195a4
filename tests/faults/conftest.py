"""An app that reaches PostgreSQL through a proxy the tests can cut (tests/faults/proxy.py).

These tests run in both passes of the suite: on PostgreSQL they use ``TEST_DATABASE_URL``; on
SQLite they use ``FAULT_DATABASE_URL`` (default: the ``test`` database on this machine). The
database server itself is never stopped.
"""
from __future__ import annotations

import os

import psycopg
import pytest
from sqlalchemy.engine import make_url

from tests.faults.proxy import DatabaseProxy

DEFAULT_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"


def fault_database_url() -> str:
    main = os.environ.get("TEST_DATABASE_URL", "")
    if main.startswith("postgresql"):
        return main  # the PostgreSQL pass: the same database as the rest of the suite
    return os.environ.get("FAULT_DATABASE_URL") or DEFAULT_URL


@pytest.fixture(scope="module")
def proxy():
    url = make_url(fault_database_url())
    host, port = url.host or "127.0.0.1", url.port or 5432
    try:
        psycopg.connect(host=host, port=port, user=url.username, password=url.password, dbname=url.database,
                        connect_timeout=5).close()
    except psycopg.Error as error:
        pytest.fail(f"The database fault tests need PostgreSQL at {host}:{port}, database {url.database!r}, and could "
                    f"not reach it ({type(error).__name__}: {error}). Start PostgreSQL, or set FAULT_DATABASE_URL "
                    "to a PostgreSQL database these tests may use.", pytrace=False)
    running = DatabaseProxy(host, port)
    yield running
    running.stop()


@pytest.fixture
def proxied_url(proxy) -> str:
    url = make_url(fault_database_url()).set(host="127.0.0.1", port=proxy.port)
    # A refused connection fails at once; the timeout only bounds a test that goes wrong.
    url = url.update_query_dict({"connect_timeout": "3"})
    return url.render_as_string(hide_password=False)


@pytest.fixture
def app(app_factory, proxy, proxied_url):
    made = app_factory(SQLALCHEMY_DATABASE_URI=proxied_url, FEEDBACK_MIN_SECONDS=0, REGISTRATION_MIN_SECONDS=0)
    yield made
    proxy.restore()  # so the suite's clean-up (app_factory) can empty the tables through it
