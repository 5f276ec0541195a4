"""What each worker keeps in memory between requests, and the shared generation that retires it.

Kept for ``PAGE_CACHE_SECONDS`` at most (0 turns it all off): whole pages and parts of pages
(``app/core/page_cache.py`` builds on this), data that rarely changes (``cached_value``), the
person behind a session (``kept_row``), and the settings administrators store (``kept_settings``).

Every committed write changes a generation value that all workers read once per request: a Redis
key (``PAGE_CACHE_REDIS_URL``, else the rate limits' Redis: ``shared_redis_url``), shared by every
machine, or a file in the instance folder, shared by the workers of one machine only.
Anything stored under an older generation is never used again. The bump happens just
before the database commits and again after it, so a value built in between is dropped too.
When the generation cannot be read (Redis down), nothing is taken from the cache or kept.

Which writes retire nothing (one list, ``_WRITE_RULES``; a write matching no rule retires all):

- Writes to a table nothing kept is built from (``unshown_table``: machine translations). Else
  anyone who can cause such a write (a visitor asking for a translation) could empty every
  worker's cache at will.
- Writes that change only what others may see up to ``PAGE_CACHE_SECONDS`` late (``shown_late``):
  a support given or withdrawn (the ``supports`` row and the idea's ``support_count`` alone) and
  the moment of a login (``users.last_login_at`` alone). On a busy evening a resident supporting
  and withdrawing twice a second would otherwise empty every kept page and part in every worker
  twice a second, and every logged-in page would be built from scratch. A statement is matched by
  its table and, for an UPDATE, by every column it sets: a login that also stores a new password
  hash, a hidden idea, a block, a new role or a logout everywhere still retires everything at once.
  Nothing kept longer than ``PAGE_CACHE_SECONDS`` may be built from what such writes change.

Read your own writes. The person who made such a write must see it at once, so the session that
committed it carries the moment it was committed (``WROTE_KEY``, set after the request), and for
that session nothing is taken from the cache that was built by a request that started before then
(``Store.get``'s ``after``): they get freshly built parts, and what they build is kept for everyone,
since it is newer. The moments are wall-clock times, and workers that share the generation in
Redis may run on machines whose clocks differ: there a part must have been started ``CLOCK_SKEW``
seconds after the write to count (with the generation in a file, on one machine, right after). A
request's start is taken before it reads anything (the page cache's middleware, the first thing a
request passes), so any part it builds saw the write. The person's own part of a page (whether they
support an idea, their registrations) is drawn per request or kept per person and retired the same
way. Another device of the same person has its own session, and may see the count late like
everyone else.

The stored settings are kept under a generation of their own, bumped only by a write to the
``settings`` table, so the first request after any other write does not read them again.
"""
from __future__ import annotations

import contextvars
import logging
import math
import os
import re
import secrets
import threading
import time
from collections import OrderedDict
from pathlib import Path
from typing import Any, Callable

import redis
from flask import current_app, g, has_request_context, request, session
from sqlalchemy import event
from sqlalchemy.orm import Session

from app.core import redis_health
from app.extensions import db

MAX_ENTRIES = 1000              # per worker: at about 12 KB a page, some 12 MB
# Where the page cache's middleware leaves the generation it read, so the request reads it once.
GENERATION_KEY = "medvirk.page_cache.generation"
# Where it leaves the moment the request started (wall clock), before anything was read.
STARTED_KEY = "medvirk.page_cache.started"
# In the session: when this person's last write that others may see late was committed.
WROTE_KEY = "_wrote_at"
CLOCK_SKEW = 1.0                # seconds the clocks of two machines may differ by
log = logging.getLogger("medvirk.page_cache")
_WRITE_VERBS = ("INSERT", "UPDATE", "DELETE", "REPLAC", "UPSERT", "MERGE ")
_SETTINGS_WRITE = re.compile(r'\s*(INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+"?settings"?[\s(]', re.IGNORECASE)
_WRITTEN_TABLE = re.compile(r'\s*(INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+"?(\w+)"?', re.IGNORECASE)
_SET_COLUMN = re.compile(r'\s*"?(\w+)"?\s*=[^=]', re.DOTALL)
_CLAUSE_END = re.compile(r"(WHERE|FROM|RETURNING)\b", re.IGNORECASE)
UNSHOWN, LATE = "unshown", "late"
# table -> [(kind, the columns an UPDATE may set, or None for any write to the table)]: see the docstring.
_WRITE_RULES: dict[str, list[tuple[str, frozenset[str] | None]]] = {}
# The cache whose generation a commit on this thread bumped just before the database committed,
# whether the settings' generation was bumped with it, and whether it committed a write others see late.
_wrote: contextvars.ContextVar[tuple[WorkerCache | None, bool, bool] | None] = contextvars.ContextVar(
    "page_cache_wrote", default=None)


# --- the shared generation -------------------------------------------------------------------------


class FileGeneration:
    """A random value in a small file; replaced whole, so a reader never sees half of it."""

    def __init__(self, path: str | os.PathLike):
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        if not self.path.exists():
            self.bump()

    def read(self) -> str | None:
        try:
            return self.path.read_text()
        except FileNotFoundError:
            self.bump()
        try:
            return self.path.read_text()
        except OSError:
            return None

    def bump(self) -> None:
        tmp = self.path.with_name(f".{self.path.name}.{os.getpid()}.{threading.get_ident()}")
        try:
            tmp.write_text(secrets.token_hex(8))
            os.replace(tmp, self.path)
        except OSError as error:
            log.warning("page cache: could not mark a write (%s); pages may be up to PAGE_CACHE_SECONDS old",
                        type(error).__name__)


class RedisGeneration:
    """A random value under a Redis key, for workers on more than one machine. Random, not a counter:
    after Redis lost its data (restarted without it, or the key evicted) a counter would start again
    at 1 and give values that entries kept before still carry."""

    KEY = "medvirk:page-cache:generation"

    def __init__(self, url: str, key: str = KEY):
        self.KEY = key
        self.url = url
        self.client = redis.Redis.from_url(url, **redis_health.client_options())
        self.missed = False   # a write whose bump did not reach Redis: bumped at the next read that does

    def read(self) -> str | None:
        try:
            if self.missed:
                self.client.set(self.KEY, secrets.token_hex(8))
                self.missed = False
            value = self.client.get(self.KEY)
            if value is None:   # new, or lost with Redis's data: a value never used before
                self.client.set(self.KEY, secrets.token_hex(8), nx=True)
                value = self.client.get(self.KEY)
        except redis.RedisError as error:
            redis_health.failed(self.url, error)   # one log line per outage, not one per request
            return None
        redis_health.answered(self.url)
        return value.decode() if isinstance(value, bytes) else value

    def bump(self) -> None:
        try:
            self.client.set(self.KEY, secrets.token_hex(8))
            self.missed = False
        except redis.RedisError as error:
            # Nothing is served from the cache while the generation cannot be read; the other servers may
            # still read the old one, so the bump is made as soon as Redis answers this worker again.
            self.missed = True
            redis_health.failed(self.url, error)


def shared_redis_url(config) -> str | None:
    """The Redis that holds the generation: ``PAGE_CACHE_REDIS_URL``; else, unless a generation file is
    named, the Redis the rate limits are counted in. App servers on several machines must share one Redis
    for their rate limits anyway, so they share their writes too without a setting that can be forgotten;
    a file is used only on one machine, or when named (``PAGE_CACHE_GENERATION_FILE``)."""
    if config.get("PAGE_CACHE_REDIS_URL"):
        return config["PAGE_CACHE_REDIS_URL"]
    if config.get("PAGE_CACHE_GENERATION_FILE"):
        return None
    limits = (config.get("RATELIMIT_STORAGE_URI") or "").removeprefix("failsafe+")
    return limits if limits.startswith(("redis://", "rediss://")) else None


# --- the per-worker store ----------------------------------------------------------------------------


class Store:
    """Least recently used entries, each kept with the generation, the moment it was made and the moment
    the request that built it started (wall clock; 0 when unknown, which no one who wrote may use)."""

    def __init__(self, max_entries: int = MAX_ENTRIES):
        self.entries: OrderedDict[Any, tuple[str, float, float, Any]] = OrderedDict()
        self.max_entries = max_entries
        self.lock = threading.Lock()

    def get(self, key, generation: str, seconds: int, after: float | None = None):
        """The value under ``key``, unless a write retired it, it is older than ``seconds``, or (``after``)
        the request that built it did not start after that moment."""
        entry = self.entries.get(key)
        if entry is None or entry[0] != generation or entry[1] + seconds < time.monotonic():
            return None
        if after is not None and entry[2] <= after:
            return None
        return entry[3]

    def put(self, key, generation: str, value, started: float = 0.0) -> None:
        with self.lock:
            self.entries[key] = (generation, time.monotonic(), started, value)
            self.entries.move_to_end(key)
            while len(self.entries) > self.max_entries:
                self.entries.popitem(last=False)

    def clear(self) -> None:
        with self.lock:
            self.entries.clear()


class WorkerCache:
    def __init__(self, app):
        self.seconds = int(app.config.get("PAGE_CACHE_SECONDS", 0))
        redis_url = shared_redis_url(app.config)
        if redis_url:
            # RATELIMIT_KEY_PREFIX keeps sites that share one Redis apart (staging beside production).
            prefix = f"{app.config['RATELIMIT_KEY_PREFIX']}:" if app.config.get("RATELIMIT_KEY_PREFIX") else ""
            self.generations: FileGeneration | RedisGeneration = RedisGeneration(
                redis_url, prefix + RedisGeneration.KEY)
            self.settings_generations: FileGeneration | RedisGeneration = RedisGeneration(
                redis_url, prefix + "medvirk:settings:generation")
        else:
            path = Path(app.config.get("PAGE_CACHE_GENERATION_FILE")
                        or Path(app.instance_path) / "page-cache-generation")
            self.generations = FileGeneration(path)
            self.settings_generations = FileGeneration(path.with_name(path.name + "-settings"))
        self.store = Store()
        # Workers on several machines share the generation in Redis, and their clocks may differ.
        self.clock_skew = CLOCK_SKEW if redis_url else 0.0

    @property
    def enabled(self) -> bool:
        return self.seconds > 0

    def generation(self) -> str | None:
        """The shared generation, read once per request, before the page is built: a write after
        that leaves what this request stores unused. None when it cannot be read."""
        if not has_request_context():
            return self.generations.read()
        if "page_cache_generation" not in g:
            g.page_cache_generation = request.environ.get(GENERATION_KEY) or self.generations.read()
        return g.page_cache_generation

    def settings_generation(self) -> str | None:
        """As ``generation``, for the settings an administrator stored: it changes only when they do,
        so the rest of the site's writes do not make every worker read them again."""
        if not has_request_context():
            return self.settings_generations.read()
        if "settings_generation" not in g:
            g.settings_generation = self.settings_generations.read()
        return g.settings_generation

    def bump(self) -> None:
        self.generations.bump()


# --- in the app ----------------------------------------------------------------------------------------


def current() -> WorkerCache:
    return current_app.extensions["worker_cache"]


def request_started() -> float:
    """When this request started (wall clock), before it read anything; 0 when that is not known."""
    if not has_request_context():
        return 0.0
    return request.environ.get(STARTED_KEY, 0.0)


def fresh_after() -> float | None:
    """For a person who recently made a write others see late: only what was built after it (allowing
    for the clocks of two machines) may be taken from the cache for them. None for everyone else."""
    if not has_request_context():
        return None
    wrote = session.get(WROTE_KEY)
    if not isinstance(wrote, (int, float)):
        return None
    cache = current()
    after = float(wrote) + cache.clock_skew
    # Past this, what was built before the write is gone from every store.
    return after if after + cache.seconds > time.time() else None


def kept(key: tuple, load: Callable[[], Any], seconds: int | None = None) -> Any:
    """What ``load()`` gives, kept under ``key`` until any write, and at most ``seconds`` (None:
    ``PAGE_CACHE_SECONDS``). None is not kept. A person who made a write others see late gets no
    value built before it."""
    cache = current()
    generation = cache.generation() if cache.enabled else None
    if generation is None:
        return load()
    value = cache.store.get(key, generation, cache.seconds if seconds is None else seconds, fresh_after())
    if value is None:
        value = load()
        if value is not None:
            cache.store.put(key, generation, value, request_started())
    return value


def cached_value(key: tuple, load: Callable[[], Any], seconds: int | None = 3600 * 24) -> Any:
    """Data kept per worker until any write, and at most ``seconds`` (None: ``PAGE_CACHE_SECONDS``):
    data that rarely changes (districts, effort areas), or one person's own (keyed by their id). Data
    built from what ``shown_late`` writes change (support counts) must pass ``seconds=None``."""
    return kept(("value", *key), load, seconds)


def kept_settings(load: Callable[[], Any]) -> Any:
    """The administrators' stored settings (``load()``), kept per worker until settings are saved in
    any worker, and at most ``PAGE_CACHE_SECONDS`` (a change made outside the app shows by then)."""
    cache = current()
    generation = cache.settings_generation() if cache.enabled else None
    if generation is None:
        return load()
    value = cache.store.get(("settings",), generation, cache.seconds)
    if value is None:
        value = load()
        cache.store.put(("settings",), generation, value)
    return value


def kept_row(model, ident: int):
    """``db.session.get(model, ident)``, from a copy kept per worker until any write (and at most
    ``PAGE_CACHE_SECONDS``): the person behind a session on every request they make. The copy is
    merged into this request's session without a query, so it can be changed and its relations load."""
    cache = current()
    generation = cache.generation() if cache.enabled else None
    if generation is None:
        return db.session.get(model, ident)
    key = ("row", model.__name__, ident)
    row = cache.store.get(key, generation, cache.seconds, fresh_after())
    if row is None:
        with Session(bind=db.session.connection(), expire_on_commit=False) as loading:
            row = loading.get(model, ident)
        if row is None:
            return None
        cache.store.put(key, generation, row, request_started())
    return db.session.merge(row, load=False)


def unshown_table(name: str) -> None:
    """Writes to table ``name`` change no kept page or value, so they do not retire the cache."""
    _WRITE_RULES.setdefault(name.lower(), []).append((UNSHOWN, None))


def shown_late(table: str, *columns: str) -> None:
    """Writes to ``table`` (with ``columns``: UPDATEs that set these columns and no other) change only what
    others may see up to ``PAGE_CACHE_SECONDS`` late: they do not retire the cache, and the person who made
    one gets nothing built before it (``fresh_after``)."""
    _WRITE_RULES.setdefault(table.lower(), []).append(
        (LATE, frozenset(c.lower() for c in columns) if columns else None))


def _set_columns(statement: str, start: int) -> frozenset[str] | None:
    """The columns an UPDATE's SET clause (from ``start``) sets, or None when it cannot tell for sure."""
    columns, depth, item, quote = set(), 0, start, ""
    for i in range(start, len(statement) + 1):
        char = statement[i] if i < len(statement) else ","
        if quote:
            quote = "" if char == quote else quote
            continue
        if char in "'\"":
            quote = char
        elif char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
        elif depth == 0 and (char == "," or (char.isspace() and _CLAUSE_END.match(statement, i + 1))):
            column = _SET_COLUMN.match(statement[item:i] + " ")
            if column is None:
                return None
            columns.add(column.group(1).lower())
            if char != ",":
                return frozenset(columns)
            item = i + 1
    return frozenset(columns) if depth == 0 and not quote else None


def _kind_of_write(statement: str) -> str | None:
    """UNSHOWN or LATE for a write that retires nothing (``_WRITE_RULES``), None for one that retires all."""
    written = _WRITTEN_TABLE.match(statement)
    if written is None:
        return None
    rules = _WRITE_RULES.get(written.group(2).lower(), ())
    columns: frozenset[str] | None = None
    for kind, allowed in rules:
        if allowed is None:
            return kind
        if written.group(1)[:6].upper() != "UPDATE":
            continue
        if columns is None:
            set_clause = re.compile(r"\s+SET\s", re.IGNORECASE).match(statement, written.end())
            columns = _set_columns(statement, set_clause.end()) if set_clause else None
            if columns is None:
                return None
        if columns and columns <= allowed:
            return kind
    return None


def _track_writes(engine, cache: WorkerCache) -> None:
    @event.listens_for(engine, "before_cursor_execute")
    def _seen(conn, cursor, statement, parameters, context, executemany):
        if statement.lstrip()[:6].upper() in _WRITE_VERBS:
            kind = _kind_of_write(statement)
            if kind == UNSHOWN:
                return
            if kind == LATE:
                conn.info["late_wrote"] = True
                return
            conn.info["page_cache_wrote"] = True
            if _SETTINGS_WRITE.match(statement):
                conn.info["settings_wrote"] = True

    @event.listens_for(engine, "commit")
    def _committing(conn):
        late = conn.info.pop("late_wrote", False)
        if conn.info.pop("page_cache_wrote", False):
            settings = conn.info.pop("settings_wrote", False)
            cache.bump()
            if settings:
                cache.settings_generations.bump()
            _wrote.set((cache, settings, late))
        elif late:
            _wrote.set((None, False, True))

    @event.listens_for(engine, "rollback")
    def _rolled_back(conn):
        if not conn.invalidated:  # a lost connection takes its info with it, and asking would reconnect
            conn.info.pop("page_cache_wrote", None)
            conn.info.pop("settings_wrote", None)
            conn.info.pop("late_wrote", None)


def _bump_after_commit(session) -> None:
    wrote = _wrote.get()
    if wrote is not None:
        _wrote.set(None)
        cache, settings, late = wrote
        if cache is not None:
            cache.bump()
            if settings:
                cache.settings_generations.bump()
        if late and has_request_context():
            g.wrote_late_at = time.time()   # the commit is done: anything read from now on sees it


def remember_own_write(response):
    """After a request that committed a write others see late: its session remembers when (rounded up to
    the millisecond), so this person gets nothing built before it (``fresh_after``)."""
    wrote = g.get("wrote_late_at")
    if wrote is not None:
        session[WROTE_KEY] = math.ceil(wrote * 1000) / 1000
    return response


# Writes others may see late (see the docstring); everything else retires all at once.
shown_late("supports")
shown_late("ideas", "support_count")
shown_late("users", "last_login_at")


def init_app(app) -> None:
    cache = WorkerCache(app)
    app.extensions["worker_cache"] = cache
    app.after_request(remember_own_write)
    with app.app_context():
        _track_writes(db.engine, cache)
    if not getattr(Session, "_medvirk_page_cache", False):
        event.listen(Session, "after_commit", _bump_after_commit)
        Session._medvirk_page_cache = True  # type: ignore[attr-defined]  # a mark that the listener is on
