"""A consistent copy of the SQLite database while the site runs, checked before it is trusted.

SQLite's online backup API copies page by page under its own locking, so requests
may go on reading and writing meanwhile; the copy is what the database was at
one moment. The copy is written next to the target and renamed into place only
after ``PRAGMA integrity_check`` says "ok", so a failed backup never replaces a
good one. The copy is readable by the app's user alone (0600), like the database.
"""
from __future__ import annotations

import os
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from app.core.files import private_file, private_folder
from app.extensions import db


class BackupError(Exception):
    pass


@dataclass
class Backup:
    path: Path
    size: int
    tables: int


def backup_to(target: Path) -> Backup:
    if db.engine.dialect.name != "sqlite" or not db.engine.url.database or db.engine.url.database == ":memory:":
        raise BackupError("flask backup copies a SQLite database file; back up PostgreSQL with pg_dump.")
    target = target.resolve()
    if target.exists() and target.is_dir():
        raise BackupError(f"{target} is a folder: give the path of the file to write.")
    private_folder(target.parent)
    partial = target.with_name(target.name + ".partial")
    partial.unlink(missing_ok=True)
    private_file(partial)   # a copy of every account: for the app's user alone, from its first byte
    source = sqlite3.connect(db.engine.url.database)
    copy = sqlite3.connect(partial)
    try:
        source.backup(copy)
        verdict = copy.execute("PRAGMA integrity_check").fetchone()[0]
        tables = copy.execute("SELECT count(*) FROM sqlite_master WHERE type = 'table'").fetchone()[0]
    finally:
        copy.close()
        source.close()
    if verdict != "ok":
        partial.unlink(missing_ok=True)
        raise BackupError(f"The copy failed its integrity check: {verdict}")
    os.replace(partial, target)
    return Backup(target, target.stat().st_size, tables)
