"""The database and ``flask backup`` files were world-readable (0644), so any local user could
copy every account. The database, its -wal and -shm files and backups are made 0600, and the
instance folder 0700, whatever the umask."""
from __future__ import annotations

import os
import stat
from pathlib import Path

from tests.helpers import make_idea, make_user


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_the_database_its_log_and_a_backup_are_for_the_app_alone(app_factory, tmp_path):
    old = os.umask(0o022)
    try:
        folder = tmp_path / "data"
        folder.mkdir()   # a database folder the operator made (the instance folder's own mode is checked below)
        app = app_factory(SQLALCHEMY_DATABASE_URI=f"sqlite:///{folder / 'medvirk.sqlite3'}")
        make_idea(app, make_user(app))
        files = sorted(folder.glob("medvirk.sqlite3*"))
        assert {p.name for p in files} >= {"medvirk.sqlite3", "medvirk.sqlite3-wal"}
        for path in files:
            assert _mode(path) == 0o600, path.name
        backup = tmp_path / "copies" / "medvirk-backup.sqlite3"
        assert app.test_cli_runner().invoke(args=["backup", str(backup)]).exit_code == 0
        assert _mode(backup) == 0o600
        assert _mode(backup.parent) == 0o700
    finally:
        os.umask(old)


def test_an_existing_readable_database_is_closed_at_start(app_factory, tmp_path):
    old = os.umask(0o022)
    try:
        database = tmp_path / "medvirk.sqlite3"
        database.touch(mode=0o644)
        app = app_factory(SQLALCHEMY_DATABASE_URI=f"sqlite:///{database}")
        make_user(app)
        assert _mode(database) == 0o600
        assert _mode(Path(app.instance_path)) == 0o700
    finally:
        os.umask(old)
