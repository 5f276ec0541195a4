"""Full-text search over ideas, one interface for both databases.

SQLite: an FTS5 table kept in step with ``ideas`` by triggers.
PostgreSQL: a GIN index on ``to_tsvector('norwegian', title || ' ' || body)``.
A person's words are always passed as quoted text, so search syntax in
them is searched for, never interpreted.
"""
from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Float, Integer, text
from sqlalchemy.sql import Subquery

# Kept here and frozen into the migration that creates them.
SQLITE_DDL = (
    "CREATE VIRTUAL TABLE IF NOT EXISTS ideas_fts USING fts5("
    "title, body, content='ideas', content_rowid='id', tokenize='unicode61 remove_diacritics 2')",
    "CREATE TRIGGER IF NOT EXISTS ideas_fts_insert AFTER INSERT ON ideas BEGIN "
    "INSERT INTO ideas_fts(rowid, title, body) VALUES (new.id, new.title, new.body); END",
    "CREATE TRIGGER IF NOT EXISTS ideas_fts_delete AFTER DELETE ON ideas BEGIN "
    "INSERT INTO ideas_fts(ideas_fts, rowid, title, body) VALUES ('delete', old.id, old.title, old.body); END",
    "CREATE TRIGGER IF NOT EXISTS ideas_fts_update AFTER UPDATE OF title, body ON ideas BEGIN "
    "INSERT INTO ideas_fts(ideas_fts, rowid, title, body) VALUES ('delete', old.id, old.title, old.body); "
    "INSERT INTO ideas_fts(rowid, title, body) VALUES (new.id, new.title, new.body); END",
)
POSTGRESQL_VECTOR = "to_tsvector('norwegian', coalesce(ideas.title, '') || ' ' || coalesce(ideas.body, ''))"
POSTGRESQL_DDL = (
    "CREATE INDEX IF NOT EXISTS ix_ideas_search ON ideas USING gin "
    "(to_tsvector('norwegian', coalesce(title, '') || ' ' || coalesce(body, '')))",
)


def is_search_object(name: str | None) -> bool:
    """Tables and indexes of the search, which live outside the models (FTS5 makes ideas_fts_*)."""
    return bool(name) and (name == "ix_ideas_search" or name.startswith("ideas_fts"))

_WORD = re.compile(r"\w+", re.UNICODE)
MAX_TERMS = 12


def install(connection) -> None:
    """Create the search structures (after ``create_all``; the migration does the same)."""
    ddl = SQLITE_DDL if connection.dialect.name == "sqlite" else POSTGRESQL_DDL
    for statement in ddl:
        connection.exec_driver_sql(statement)


@contextmanager
def suspended(connection) -> Iterator[None]:
    """For a bulk load of ideas (``flask demo``) in the connection's transaction: on SQLite the ideas written
    inside are indexed once on the way out (FTS5's 'rebuild') instead of row by row, which with SQLite's
    small page cache costs more and more per row as the index grows (at 20,000 new ideas, 60 times the
    insert itself). PostgreSQL's index is left as it is. As DDL in the caller's transaction, a failed load
    is undone by its rollback; nothing is put back here on an error."""
    if connection.dialect.name != "sqlite":
        yield
        return
    for name in re.findall(r"CREATE TRIGGER IF NOT EXISTS (\w+) ", " ".join(SQLITE_DDL)):
        connection.exec_driver_sql(f"DROP TRIGGER IF EXISTS {name}")  # our names, no input
    yield
    install(connection)
    connection.exec_driver_sql("INSERT INTO ideas_fts(ideas_fts) VALUES ('rebuild')")


def terms(query: str | None) -> list[str]:
    """The words of a query; punctuation and search operators are dropped."""
    return _WORD.findall((query or "").replace("\x00", " "))[:MAX_TERMS]


def matching_ideas(dialect: str, query: str | None, any_word: bool = False, newest: int | None = None) -> Subquery | None:
    """A subquery of (id, rank) for ideas matching ``query``; lower rank is better.

    ``any_word`` finds ideas sharing any word (for "similar ideas"); otherwise
    every word must be present. None when the query has no words. ``newest``: only the
    latest that many matches (by id, the order they came in), so a common word reads no more of
    the index as the ideas grow (on PostgreSQL, whose GIN index cannot give matches in order, it
    reads every match's id, but never works out an idea's words; their rank is then their order).
    """
    words = terms(query)
    if not words:
        return None
    if dialect == "sqlite":
        joiner = " OR " if any_word else " "
        expression = joiner.join('"' + word.replace('"', '""') + '"' for word in words)
        latest = " ORDER BY rowid DESC LIMIT :newest" if newest else ""
        # Safe: the SQL is ours; the person's words are the bound :expression.
        stmt = text(
            "SELECT rowid AS id, bm25(ideas_fts) AS rank FROM ideas_fts WHERE ideas_fts MATCH :expression" + latest  # nosec B608
        ).bindparams(expression=expression)
    else:
        if any_word:
            # \w+ words only, so joining them with | is safe tsquery syntax
            query_sql = "to_tsquery('norwegian', :expression)"
            expression = " | ".join(words)
        else:
            query_sql = "plainto_tsquery('norwegian', :expression)"
            expression = " ".join(words)
        # Safe: the SQL is ours; the person's words are the bound :expression.
        if newest:
            # Every match from the GIN index first, then the newest of them. Left to itself, the planner
            # walks the ideas newest first and works out each one's words to test it: with a common word at
            # 100,000 ideas, ten times slower. Ranked by when they came in, as the list orders them.
            stmt = text(
                f"WITH found AS MATERIALIZED (SELECT ideas.id AS id FROM ideas "  # nosec B608
                f"WHERE {POSTGRESQL_VECTOR} @@ {query_sql}) "
                "SELECT id, -id AS rank FROM found ORDER BY id DESC LIMIT :newest"
            ).bindparams(expression=expression)
        else:
            stmt = text(
                f"SELECT ideas.id AS id, -ts_rank({POSTGRESQL_VECTOR}, {query_sql}) AS rank "  # nosec B608
                f"FROM ideas WHERE {POSTGRESQL_VECTOR} @@ {query_sql}"
            ).bindparams(expression=expression)
    if newest:
        stmt = stmt.bindparams(newest=newest)
    return stmt.columns(id=Integer, rank=Float).subquery("matches")
