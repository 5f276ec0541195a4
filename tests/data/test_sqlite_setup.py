"""SQLite as the embedded database: WAL, foreign keys, and writers that wait instead of failing.

These run on a SQLite file whichever database the rest of the suite uses.
"""
from __future__ import annotations

import threading

import pytest
from sqlalchemy import event, text

from app.accounts.models import User
from app.extensions import db
from tests.helpers import PASSWORD, Browser


@pytest.fixture
def file_app(app_factory, tmp_path):
    return app_factory(SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'medvirk.sqlite3'}")


def test_pragmas_are_set_on_every_connection(file_app):
    with file_app.app_context():
        assert db.session.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert db.session.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert db.session.execute(text("PRAGMA busy_timeout")).scalar() >= 1000
        assert db.session.execute(text("PRAGMA secure_delete")).scalar() == 1


def test_writing_requests_begin_immediately_and_reading_requests_do_not(file_app):
    begins: list[str] = []

    def record(conn, cursor, statement, *args):
        if statement.startswith("BEGIN"):
            begins.append(statement)

    with file_app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", record)
    try:
        browser = Browser(file_app)
        page = browser.get("/account/login")
        assert begins == ["BEGIN"]  # it only reads (the settings an admin stored, for the footer)
        begins.clear()
        browser.get("/districts/lademoen")
        assert begins == ["BEGIN"]
        begins.clear()
        from tests.helpers import form_fields

        values = form_fields(page, "/account/login")
        values.update(email="x@example.no", password="y" * 12)
        browser.client.post("/account/login", data=values)
        assert begins and all(b == "BEGIN IMMEDIATE" for b in begins)
    finally:
        event.remove(engine, "before_cursor_execute", record)


def test_a_count_in_the_background_reads_without_holding_up_writers(file_app):
    """Outside a request a transaction is taken to write, unless it is marked as only reading (the insights
    figures counted beside the requests): then another connection may write meanwhile."""
    from app.core.db import reading_only

    with file_app.app_context():
        with reading_only():
            db.session.execute(text("SELECT count(*) FROM users")).scalar()
            writer = db.engine.connect()
            try:
                with writer.begin():
                    writer.execute(text("UPDATE users SET display_name = display_name"))
            finally:
                writer.close()
            db.session.rollback()


def test_concurrent_writers_wait_for_each_other_instead_of_failing(file_app):
    statuses: list[int] = []
    barrier = threading.Barrier(8)

    def sign_up(n: int) -> None:
        browser = Browser(file_app)
        page = browser.get("/account/register")
        from tests.helpers import form_fields

        values = form_fields(page, "/account/register")
        values.update(email=f"samtidig{n}@example.no", display_name=f"Samtidig {n}", password=PASSWORD)
        barrier.wait()
        statuses.append(browser.client.post("/account/register", data=values).status_code)

    threads = [threading.Thread(target=sign_up, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert statuses == [302] * 8
    with file_app.app_context():
        assert db.session.scalar(db.select(db.func.count(User.id))) == 8


def test_foreign_keys_are_enforced(file_app):
    from sqlalchemy.exc import IntegrityError

    with file_app.app_context():
        with pytest.raises(IntegrityError):
            db.session.execute(text("INSERT INTO sub_themes (effort_area_id, slug, position, label_nb, label_nn, label_en) "
                                    "VALUES (999, 'x', 0, 'x', 'x', 'x')"))
            db.session.commit()
        db.session.rollback()
