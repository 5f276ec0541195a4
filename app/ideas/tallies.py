"""How many ideas the public sees, kept by the database itself, so a total never counts rows.

``idea_tallies`` holds one row per (district, effort area, status, with a place or not) with the number of
publicly visible ideas in it (``app/submissions/visibility.py``: not withdrawn, held or hidden, and the
author not blocked). Any total the pages show ("N ideas", "N ideas in this district", the counts per
status) is a SUM over at most a few dozen of these rows, whatever the number of ideas.

Triggers keep it right, on SQLite and PostgreSQL alike, for every path that changes what the public sees:
a new idea, its deletion, any UPDATE of the columns the rule or the key reads (hide, withdraw, hold, move,
route, change status, place, the author set to NULL on erasure; the ORM, bulk UPDATEs and foreign-key
actions all fire them), blocking or unblocking an author, and deleting a blocked author (their ideas stay,
shown as by a deleted user, so they count again). Triggers, not application code, because several paths
change these columns with bulk UPDATEs and foreign-key actions that no Python hook sees.

``flask ideas recount`` (``rebuild``) counts them all again, should a copy ever come from elsewhere;
``flask ideas recount --check`` (``drift``) only compares, for cron.

Concurrent changes (PostgreSQL; SQLite lets one writer at a time and needs none of this). Whether an idea
counts depends on its own row and on its author's ``users.blocked_at``, which two transactions may change at
once: a moderator hides an idea while an administrator blocks its author, an idea is posted or withdrawn
while its author is blocked or unblocked. Under READ COMMITTED each would count by a state without the
other's uncommitted change, and the tallies would drift from a recount. So the two are made to take turns
on the author's ``users`` row:

* a BEFORE trigger on ``submissions`` (``idea_tallies_lock_author``) takes ``FOR SHARE`` on the author
  (old and new, in id order) of every idea row that is or becomes shown but for the block, before the row
  is written. A block, unblock or erasure (an UPDATE/DELETE of that ``users`` row) therefore waits until
  that transaction ends, and its trigger's recount of the author's ideas (a new statement, so a new
  snapshot) sees the committed ideas;
* the other way round, a change of an idea whose author is being blocked waits for the block to commit,
  and its AFTER trigger's statements (new snapshots) see the author blocked.

Locks are taken in this order: the ``submissions`` row (by the UPDATE/DELETE itself), then the author's
``users`` row (``FOR SHARE``; in a bulk statement every row's before the first tally is touched, as
BEFORE row triggers run while the rows are written and AFTER row triggers at the end of the statement),
then the ``idea_tallies`` rows (the AFTER triggers' upserts; a block's recount upserts them in key order).
A block holds its ``users`` row first and then tally rows; it reads but never locks ``submissions``.
Erasure deletes a ``users`` row whose foreign keys then update the author's ``submissions`` rows, the
opposite order, so ``privacy.erasure.erase`` locks those rows first. What can still deadlock: one
transaction that changes ideas of several authors in separate statements while one of those authors is
blocked (it holds a tally row the block needs and waits for the author), or two bulk changes that reach the
same tally rows in opposite order. PostgreSQL then ends one of them; nothing is counted twice or lost.
"""
from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import DDL, Boolean, Index, Integer, String, event, func, select, text
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import db

NO_AREA = 0   # the tally of ideas not yet routed to an effort area (a key column cannot be NULL)


class IdeaTally(db.Model):
    __tablename__ = "idea_tallies"

    district_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    effort_area_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    status: Mapped[str] = mapped_column(String(16), primary_key=True)
    placed: Mapped[bool] = mapped_column(Boolean, primary_key=True)
    ideas: Mapped[int] = mapped_column(Integer, default=0, nullable=False)

    # The counts per status of an effort area (its page, the district page) without reading the others.
    __table_args__ = (Index("ix_idea_tallies_status", "status", "effort_area_id"),)


# Shown to everyone, less the author's block (which the triggers and the queries check in users): the
# predicate of the indexes of shown ideas (``app/ideas/models.py``).
SHOWN = "withdrawn_at IS NULL AND held_at IS NULL AND hidden_at IS NULL"
_KEY = "district_id, effort_area_id, status, placed"
# The SQL below is ours alone, put together from these constants; no value from outside enters it.
_UPSERT = f"ON CONFLICT ({_KEY}) DO UPDATE SET ideas = idea_tallies.ideas + excluded.ideas"  # nosec B608
_WATCHED = ("kind, district_id, effort_area_id, status, withdrawn_at, held_at, hidden_at, author_id, "
            "location_lat, location_lon")


def _shown(row: str) -> str:
    return (f"{row}.kind = 'idea' AND {row}.withdrawn_at IS NULL AND {row}.held_at IS NULL "  # nosec B608
            f"AND {row}.hidden_at IS NULL AND NOT EXISTS (SELECT 1 FROM users WHERE users.id = {row}.author_id "
            f"AND users.blocked_at IS NOT NULL)")


def _key(row: str) -> str:
    return (f"{row}.district_id, coalesce({row}.effort_area_id, {NO_AREA}), {row}.status, "
            f"({row}.location_lat IS NOT NULL AND {row}.location_lon IS NOT NULL)")


def _count_row(row: str, sign: int) -> str:
    return f"INSERT INTO idea_tallies ({_KEY}, ideas) SELECT {_key(row)}, {sign} WHERE {_shown(row)} {_UPSERT};"


def _count_author(author: str, sign: str, ordered: bool = False) -> str:
    """Add ``sign`` for each idea of ``author`` the public would see but for the author's block (``ordered``:
    the tally rows in key order, so two such upserts lock them in the same order)."""
    order = f" ORDER BY {_key('s')}" if ordered else ""
    return (f"INSERT INTO idea_tallies ({_KEY}, ideas) SELECT {_key('s')}, ({sign}) * count(*) FROM submissions s "  # nosec B608
            f"WHERE s.author_id = {author} AND s.kind = 'idea' AND s.withdrawn_at IS NULL AND s.held_at IS NULL "
            f"AND s.hidden_at IS NULL GROUP BY {_key('s')}{order} {_UPSERT};")


def _shown_but_for_the_author(row: str) -> str:
    return f"{row}.kind = 'idea' AND {row}.withdrawn_at IS NULL AND {row}.held_at IS NULL AND {row}.hidden_at IS NULL"


SQLITE_DDL = (
    f"CREATE TRIGGER IF NOT EXISTS idea_tallies_insert AFTER INSERT ON submissions WHEN NEW.kind = 'idea' BEGIN "
    f"{_count_row('NEW', 1)} END",
    f"CREATE TRIGGER IF NOT EXISTS idea_tallies_delete AFTER DELETE ON submissions WHEN OLD.kind = 'idea' BEGIN "
    f"{_count_row('OLD', -1)} END",
    f"CREATE TRIGGER IF NOT EXISTS idea_tallies_update AFTER UPDATE OF {_WATCHED} ON submissions "
    f"WHEN OLD.kind = 'idea' OR NEW.kind = 'idea' BEGIN {_count_row('OLD', -1)} {_count_row('NEW', 1)} END",
    "CREATE TRIGGER IF NOT EXISTS idea_tallies_block AFTER UPDATE OF blocked_at ON users "
    "WHEN (OLD.blocked_at IS NULL) <> (NEW.blocked_at IS NULL) BEGIN "
    f"{_count_author('NEW.id', 'CASE WHEN NEW.blocked_at IS NULL THEN 1 ELSE -1 END')} END",
    "CREATE TRIGGER IF NOT EXISTS idea_tallies_erase BEFORE DELETE ON users WHEN OLD.blocked_at IS NOT NULL BEGIN "
    f"{_count_author('OLD.id', '1')} END",
)

POSTGRESQL_DDL = (
    # The author's row first, so a concurrent block waits for this change or this change for the block.
    "CREATE OR REPLACE FUNCTION idea_tallies_lock_author() RETURNS trigger LANGUAGE plpgsql AS $$ "
    "DECLARE before_author integer; after_author integer; BEGIN "
    f"IF TG_OP <> 'INSERT' THEN IF {_shown_but_for_the_author('OLD')} THEN before_author := OLD.author_id; END IF; "
    "END IF; "
    f"IF TG_OP <> 'DELETE' THEN IF {_shown_but_for_the_author('NEW')} THEN after_author := NEW.author_id; END IF; "
    "END IF; "
    "IF before_author IS NOT NULL OR after_author IS NOT NULL THEN "
    "PERFORM 1 FROM users WHERE id IN (before_author, after_author) ORDER BY id FOR SHARE; END IF; "
    "IF TG_OP = 'DELETE' THEN RETURN OLD; END IF; RETURN NEW; END $$",
    "CREATE OR REPLACE FUNCTION idea_tallies_on_submission() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
    f"IF TG_OP <> 'INSERT' THEN {_count_row('OLD', -1)} END IF; "
    f"IF TG_OP <> 'DELETE' THEN {_count_row('NEW', 1)} END IF; "
    "RETURN NULL; END $$",
    "CREATE OR REPLACE FUNCTION idea_tallies_on_author() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
    f"IF TG_OP = 'DELETE' THEN {_count_author('OLD.id', '1', ordered=True)} RETURN OLD; END IF; "
    f"{_count_author('NEW.id', 'CASE WHEN NEW.blocked_at IS NULL THEN 1 ELSE -1 END', ordered=True)} "
    "RETURN NULL; END $$",
    "DROP TRIGGER IF EXISTS idea_tallies_lock ON submissions",
    f"CREATE TRIGGER idea_tallies_lock BEFORE INSERT OR DELETE OR UPDATE OF {_WATCHED} ON submissions "
    "FOR EACH ROW EXECUTE FUNCTION idea_tallies_lock_author()",
    "DROP TRIGGER IF EXISTS idea_tallies_submissions ON submissions",
    f"CREATE TRIGGER idea_tallies_submissions AFTER INSERT OR DELETE OR UPDATE OF {_WATCHED} ON submissions "
    "FOR EACH ROW EXECUTE FUNCTION idea_tallies_on_submission()",
    "DROP TRIGGER IF EXISTS idea_tallies_block ON users",
    "CREATE TRIGGER idea_tallies_block AFTER UPDATE OF blocked_at ON users FOR EACH ROW "
    "WHEN ((OLD.blocked_at IS NULL) <> (NEW.blocked_at IS NULL)) EXECUTE FUNCTION idea_tallies_on_author()",
    "DROP TRIGGER IF EXISTS idea_tallies_erase ON users",
    "CREATE TRIGGER idea_tallies_erase BEFORE DELETE ON users FOR EACH ROW WHEN (OLD.blocked_at IS NOT NULL) "
    "EXECUTE FUNCTION idea_tallies_on_author()",
)

# Created with the tables (``db.create_all``; the triggers need submissions and users, so after all of them).
for _statement in SQLITE_DDL:
    event.listen(db.metadata, "after_create", DDL(_statement).execute_if(dialect="sqlite"))
for _statement in POSTGRESQL_DDL:
    event.listen(db.metadata, "after_create", DDL(_statement).execute_if(dialect="postgresql"))


def install_triggers(connection) -> None:
    """The triggers on an existing database (the migration does the same)."""
    for statement in SQLITE_DDL if connection.dialect.name == "sqlite" else POSTGRESQL_DDL:
        connection.exec_driver_sql(statement)


def _triggers(dialect: str) -> list[tuple[str, str]]:
    """(table, trigger) of each tally trigger, read from the DDL above."""
    if dialect == "sqlite":
        return [(table, name) for statement in SQLITE_DDL
                for name, table in re.findall(r"CREATE TRIGGER IF NOT EXISTS (\w+) .*? ON (\w+)", statement)]
    return [(table, name) for statement in POSTGRESQL_DDL
            for name, table in re.findall(r"^DROP TRIGGER IF EXISTS (\w+) ON (\w+)$", statement)]


@contextmanager
def suspended() -> Iterator[None]:
    """For a bulk load (``flask demo``) in the session's transaction: the rows written inside are not counted
    one by one, and on the way out the triggers are back and every tally is counted once (``rebuild``).

    Counting row by row costs each new idea an upsert and a look-up of its author, on PostgreSQL also a row
    lock on the author; a hundred thousand ideas pay that a hundred thousand times, the recount once.
    SQLite drops the triggers and creates them again (``install_triggers``); PostgreSQL disables and enables
    them (the role must own the tables), which blocks other writers of ``submissions`` and ``users`` but not
    readers until the transaction ends. All of it is DDL in the caller's transaction: should the load fail,
    roll back (the triggers come back with it); nothing is put back here on an error, as PostgreSQL refuses
    any statement in a failed transaction."""
    connection = db.session.connection()
    sqlite = connection.dialect.name == "sqlite"
    for table, name in _triggers(connection.dialect.name):
        # Names and tables are those of the DDL above, no input.
        connection.exec_driver_sql(f"DROP TRIGGER IF EXISTS {name}" if sqlite
                                   else f"ALTER TABLE {table} DISABLE TRIGGER {name}")
    yield
    if sqlite:
        install_triggers(connection)
    else:
        for table, name in _triggers(connection.dialect.name):
            connection.exec_driver_sql(f"ALTER TABLE {table} ENABLE TRIGGER {name}")
    rebuild()


def rebuild() -> int:
    """Count every tally again from the ideas themselves; how many ideas the public sees. Flushes."""
    db.session.execute(db.delete(IdeaTally))
    db.session.execute(text(f"INSERT INTO idea_tallies ({_KEY}, ideas) SELECT {_key('s')}, count(*) "  # nosec B608
                            f"FROM submissions s WHERE {_shown('s')} GROUP BY {_key('s')}"))   # our SQL, no input
    db.session.flush()
    return db.session.scalar(select(func.coalesce(func.sum(IdeaTally.ideas), 0))) or 0


def drift() -> list[tuple[tuple, int, int]]:
    """Where the tallies differ from a count of the ideas: (key, kept, counted) for each such key. Reads only."""
    counted = {tuple(row[:4]): row[4] for row in db.session.execute(text(
        f"SELECT {_key('s')}, count(*) FROM submissions s WHERE {_shown('s')} GROUP BY {_key('s')}"))}  # nosec B608
    kept = {tuple(row[:4]): row[4] for row in db.session.execute(text(f"SELECT {_KEY}, ideas FROM idea_tallies"))}  # nosec B608
    return sorted(((key, kept.get(key, 0), counted.get(key, 0)) for key in kept.keys() | counted.keys()
                   if kept.get(key, 0) != counted.get(key, 0)), key=lambda found: tuple(map(str, found[0])))


def total(district_id: int | None = None, area_id: int | None = None, status: str | None = None,
          located: bool = False, routed: bool = False) -> int:
    """The publicly visible ideas that match: one SUM over the tallies."""
    stmt = select(func.coalesce(func.sum(IdeaTally.ideas), 0))
    return db.session.scalar(stmt.where(*conditions(district_id, area_id, status, located, routed))) or 0


def conditions(district_id: int | None = None, area_id: int | None = None, status: str | None = None,
               located: bool = False, routed: bool = False) -> list:
    found = []
    if district_id is not None:
        found.append(IdeaTally.district_id == district_id)
    if area_id is not None:
        found.append(IdeaTally.effort_area_id == area_id)
    elif routed:
        found.append(IdeaTally.effort_area_id != NO_AREA)
    if status is not None:
        found.append(IdeaTally.status == status)
    if located:
        found.append(IdeaTally.placed.is_(True))
    return found
