"""Declarative base, time columns and database-specific connection set-up."""
from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import datetime, timezone
from enum import StrEnum
from pathlib import Path
from typing import cast
from zoneinfo import ZoneInfo

from flask import current_app, has_request_context, request
from sqlalchemy import DateTime, Enum, MetaData, event, func
from sqlalchemy.engine import CursorResult, Engine, Result
from sqlalchemy.orm import DeclarativeBase
from sqlalchemy.types import TypeDecorator

from app.core.files import private_file

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


def str_enum(enum_class: type[StrEnum], length: int = 16) -> Enum:
    """A status or role column: rows read back as members of ``enum_class``, stored as the member's
    plain value in a VARCHAR as before (no native ENUM type, no CHECK constraint), so the schema and
    the data stay what they were and a new member needs no migration."""
    return Enum(enum_class, native_enum=False, create_constraint=False, length=length,
                values_callable=lambda members: [member.value for member in members])


# The agreement's districts are in Trondheim: months and days are counted in Oslo time.
OSLO = ZoneInfo("Europe/Oslo")


def same_email(column, email: str):
    """The column holds this email address, whatever the case of its letters."""
    return func.lower(column) == email.lower()


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


def iso_utc(value: datetime | None) -> str | None:
    """ISO 8601 in UTC with its offset, to the second: how times are given in JSON."""
    return None if value is None else value.astimezone(timezone.utc).isoformat(timespec="seconds")


def oslo_month(moment: datetime) -> str:
    """The Europe/Oslo calendar month of a moment, as "YYYY-MM"."""
    return moment.astimezone(OSLO).strftime("%Y-%m")


class UTCDateTime(TypeDecorator):
    """Stores UTC; always gives back an aware UTC datetime.

    SQLite has no time zones, so values are stored naive in UTC there and
    made aware again when read.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        value = value.astimezone(timezone.utc)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=timezone.utc)
        return value.astimezone(timezone.utc)


WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
_reading_only: ContextVar[bool] = ContextVar("reading_only", default=False)


@contextmanager
def reading_only() -> Iterator[None]:
    """Transactions begun inside only read, also outside a request: on SQLite they take no write lock at
    BEGIN, so a long count in the background (the insights figures) never holds up a login or a support."""
    token = _reading_only.set(True)
    try:
        yield
    finally:
        _reading_only.reset(token)


def _transaction_writes() -> bool:
    """Whether the transaction about to begin is expected to write.

    Requests that change something take SQLite's write lock at BEGIN, so two
    writers queue behind the busy timeout instead of failing when a reader
    tries to upgrade. GET requests read, unless the view says it writes.
    Outside a request (CLI, tests) we assume a write.
    """
    if _reading_only.get():
        return False
    if not has_request_context():
        return True
    if request.method in WRITE_METHODS:
        return True
    view = current_app.view_functions.get(request.endpoint or "")
    return bool(getattr(view, "writes_on_get", False))


def _private_database_files(database: str) -> None:
    """The database file, made 0600 before SQLite first opens it (its -wal and -shm files then get the
    same mode from SQLite), and any -wal or -shm left from before tightened too."""
    path = Path(database)
    if not path.parent.is_dir():
        return   # a folder nobody made is an operator's mistake: SQLite says so, and /healthz answers 503
    private_file(path)
    for suffix in ("-wal", "-shm", "-journal"):
        private_file(path.with_name(path.name + suffix), create=False)


def checkpoint_after_erasure(engine: Engine) -> None:
    """Copy SQLite's write-ahead log into the database file and empty it, after personal data was erased.

    ``secure_delete`` zeroes the freed cells in the pages written, but until a checkpoint the log still
    holds the earlier copies of those pages, the erased text included. A TRUNCATE checkpoint writes the
    zeroed pages back and cuts the log to nothing. It waits (busy_timeout) for readers still on an older
    snapshot; if one outlasts that, SQLite's next checkpoint overwrites the log from its start. PostgreSQL
    needs nothing: a deleted row's space is reclaimed by VACUUM, and its WAL is not a file others read.
    """
    if engine.dialect.name != "sqlite" or engine.url.database in (None, "", ":memory:"):
        return
    connection = engine.raw_connection()   # outside any transaction: a checkpoint cannot run inside one
    try:
        connection.cursor().execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchall()
    finally:
        connection.close()


def configure_sqlite(engine: Engine) -> None:
    if engine.url.database not in (None, "", ":memory:"):
        _private_database_files(engine.url.database)

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record):
        # Take over transaction control from pysqlite so BEGIN can be chosen.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=5000")
        cursor.execute("PRAGMA secure_delete=ON")
        if engine.url.database not in (None, "", ":memory:"):
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection):
        connection.exec_driver_sql("BEGIN IMMEDIATE" if _transaction_writes() else "BEGIN")


def rows_changed(result: Result) -> int:
    """How many rows an UPDATE or DELETE touched. ``Session.execute`` is typed as returning a ``Result``;
    for these statements it is a ``CursorResult``, the one that counts."""
    return cast(CursorResult, result).rowcount
