"""`flask backup PATH`: a checked copy of the SQLite database, taken while it is in use, that restores.

These tests use a SQLite file of their own whichever database the suite runs on: the command
copies SQLite files, and on PostgreSQL it says to use pg_dump instead.
"""
from __future__ import annotations

import sqlite3

from app import create_app
from app.extensions import db
from tests.helpers import make_idea, make_user


def _file_app(app_factory, tmp_path):
    return app_factory(SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'live.sqlite3'}")


def _titles(url: str) -> list[str]:
    from app.ideas.models import Idea

    restored = create_app("testing", {"SQLALCHEMY_DATABASE_URI": url})
    with restored.app_context():
        titles = list(db.session.scalars(db.select(Idea.title).order_by(Idea.id)))
        db.session.remove()
        db.engine.dispose()
    return titles


def test_a_backup_taken_during_a_write_restores_what_was_committed(app_factory, tmp_path):
    app = _file_app(app_factory, tmp_path)
    author = make_user(app)
    make_idea(app, author, title="Lagret før kopien")
    # Someone is writing at this very moment and has not committed yet.
    writer = sqlite3.connect(tmp_path / "live.sqlite3", isolation_level=None)
    writer.execute("BEGIN IMMEDIATE")
    writer.execute("UPDATE ideas SET title = 'Halvveis skrevet'")
    try:
        result = app.test_cli_runner().invoke(args=["backup", str(tmp_path / "copies" / "medvirk.sqlite3")])
    finally:
        writer.execute("ROLLBACK")
        writer.close()
    assert result.exit_code == 0, result.output
    assert "integrity ok" in result.output
    assert not (tmp_path / "copies" / "medvirk.sqlite3.partial").exists()
    assert _titles(f"sqlite:///{tmp_path / 'copies' / 'medvirk.sqlite3'}") == ["Lagret før kopien"]


def test_a_second_backup_replaces_the_first_only_when_it_is_whole(app_factory, tmp_path):
    app = _file_app(app_factory, tmp_path)
    author = make_user(app)
    target = tmp_path / "medvirk-backup.sqlite3"
    make_idea(app, author, title="Første")
    assert app.test_cli_runner().invoke(args=["backup", str(target)]).exit_code == 0
    make_idea(app, author, title="Andre")
    assert app.test_cli_runner().invoke(args=["backup", str(target)]).exit_code == 0
    assert _titles(f"sqlite:///{target}") == ["Første", "Andre"]


def test_a_folder_or_a_database_that_is_not_a_sqlite_file_is_refused(app, app_factory, tmp_path):
    folder = _file_app(app_factory, tmp_path).test_cli_runner().invoke(args=["backup", str(tmp_path)])
    assert folder.exit_code != 0
    other = app.test_cli_runner().invoke(args=["backup", str(tmp_path / "x.sqlite3")])
    # The suite's own database is SQLite in memory or PostgreSQL: neither is a file to copy.
    assert other.exit_code == 1 and "pg_dump" in other.output
    assert not (tmp_path / "x.sqlite3").exists()
