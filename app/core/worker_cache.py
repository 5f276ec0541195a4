"""What each worker keeps in memory between requests, and the shared generation that retires it.

Kept for ``PAGE_CACHE_SECONDS`` at most (0 turns it all off): whole pages and parts of pages
(``app/core/page_cache.py`` builds on this), data that rarely changes (``cached_value``), the
person behind a session (``kept_row``), and the settings administrators store (``kept_settings``).

Every committed write bumps a generation number that all workers read once per request:
a file in the instance folder (one machine) or a Redis key (``PAGE_CACHE_REDIS_URL``).
Anything stored under an older generation is never used again. The bump happens just
before the database commits and again after it, so a value built in between is dropped too.
When the generation cannot be read (Redis down), nothing is taken from the cache or kept.

The stored settings are kept under a generation of their own, bumped only by a write to the
``settings`` table, so the first request after any other write does not read them again.
"""
from __future__ import annotations

import contextvars
import logging
import os
import re
import secrets
import threading
import time
from collections import OrderedDict
from pathlib import Path
from typing import Any, Callable

import redis
from flask import current_app, g, has_request_context, request
from sqlalchemy import event
from sqlalchemy.orm import Session

from app.core import redis_health
from app.extensions import db

MAX_ENTRIES = 1000              # per worker: at about 12 KB a page, some 12 MB
# Where the page cache's middleware leaves the generation it read, so the request reads it once.
GENERATION_KEY = "medvirk.page_cache.generation"
log = logging.getLogger("medvirk.page_cache")
_WRITE_VERBS = ("INSERT", "UPDATE", "DELETE", "REPLAC", "UPSERT", "MERGE ")
_SETTINGS_WRITE = re.compile(r'\s*(INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+"?settings"?[\s(]', re.IGNORECASE)
_WRITTEN_TABLE = re.compile(r'\s*(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+"?(\w+)"?', re.IGNORECASE)
# Tables no kept page or value is built from as it stands (``unshown_table``): a write to them alone
# retires nothing. Else anyone who can cause such a write (a visitor asking for a translation) could empty
# every worker's cache at will.
_UNSHOWN_TABLES: set[str] = set()
# The cache whose generation a commit on this thread bumped just before the database committed,
# and whether the settings' generation was bumped with it.
_wrote: contextvars.ContextVar[tuple[WorkerCache, bool] | None] = contextvars.ContextVar(
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
    """A counter in Redis, for workers on more than one machine."""

    KEY = "medvirk:page-cache:generation"

    def __init__(self, url: str, key: str = KEY):
        self.KEY = key
        self.url = url
        self.client = redis.Redis.from_url(url, **redis_health.client_options())

    def read(self) -> str | None:
        try:
            value = self.client.get(self.KEY)
        except redis.RedisError as error:
            redis_health.failed(self.url, error)   # one log line per outage, not one per request
            return None
        redis_health.answered(self.url)
        return value.decode() if isinstance(value, bytes) else (value or "0")

    def bump(self) -> None:
        try:
            self.client.incr(self.KEY)
        except redis.RedisError as error:
            # Nothing is served from the cache while the generation cannot be read, so a missed
            # bump leaves nothing stale for longer than PAGE_CACHE_SECONDS.
            redis_health.failed(self.url, error)


# --- the per-worker store ----------------------------------------------------------------------------


class Store:
    """Least recently used entries, each kept with the generation and the moment it was made."""

    def __init__(self, max_entries: int = MAX_ENTRIES):
        self.entries: OrderedDict[Any, tuple[str, float, Any]] = OrderedDict()
        self.max_entries = max_entries
        self.lock = threading.Lock()

    def get(self, key, generation: str, seconds: int):
        entry = self.entries.get(key)
        if entry is None or entry[0] != generation or entry[1] + seconds < time.monotonic():
            return None
        return entry[2]

    def put(self, key, generation: str, value) -> None:
        with self.lock:
            self.entries[key] = (generation, time.monotonic(), value)
            self.entries.move_to_end(key)
            while len(self.entries) > self.max_entries:
                self.entries.popitem(last=False)

    def clear(self) -> None:
        with self.lock:
            self.entries.clear()


class WorkerCache:
    def __init__(self, app):
        self.seconds = int(app.config.get("PAGE_CACHE_SECONDS", 0))
        redis_url = app.config.get("PAGE_CACHE_REDIS_URL")
        if redis_url:
            self.generations: FileGeneration | RedisGeneration = RedisGeneration(redis_url)
            self.settings_generations: FileGeneration | RedisGeneration = RedisGeneration(
                redis_url, "medvirk:settings:generation")
        else:
            path = Path(app.config.get("PAGE_CACHE_GENERATION_FILE")
                        or Path(app.instance_path) / "page-cache-generation")
            self.generations = FileGeneration(path)
            self.settings_generations = FileGeneration(path.with_name(path.name + "-settings"))
        self.store = Store()

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


def kept(key: tuple, load: Callable[[], Any], seconds: int | None = None) -> Any:
    """What ``load()`` gives, kept under ``key`` until any write, and at most ``seconds`` (None:
    ``PAGE_CACHE_SECONDS``). None is not kept."""
    cache = current()
    generation = cache.generation() if cache.enabled else None
    if generation is None:
        return load()
    value = cache.store.get(key, generation, cache.seconds if seconds is None else seconds)
    if value is None:
        value = load()
        if value is not None:
            cache.store.put(key, generation, value)
    return value


def cached_value(key: tuple, load: Callable[[], Any], seconds: int | None = 3600 * 24) -> Any:
    """Data kept per worker until any write, and at most ``seconds`` (None: ``PAGE_CACHE_SECONDS``):
    data that rarely changes (districts, effort areas), or one person's own (keyed by their id)."""
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
    row = cache.store.get(key, generation, cache.seconds)
    if row is None:
        with Session(bind=db.session.connection(), expire_on_commit=False) as session:
            row = session.get(model, ident)
        if row is None:
            return None
        cache.store.put(key, generation, row)
    return db.session.merge(row, load=False)


def unshown_table(name: str) -> None:
    """Writes to table ``name`` change no kept page or value, so they do not retire the cache."""
    _UNSHOWN_TABLES.add(name.lower())


def _track_writes(engine, cache: WorkerCache) -> None:
    @event.listens_for(engine, "before_cursor_execute")
    def _seen(conn, cursor, statement, parameters, context, executemany):
        if statement.lstrip()[:6].upper() in _WRITE_VERBS:
            table = _WRITTEN_TABLE.match(statement)
            if table is not None and table.group(1).lower() in _UNSHOWN_TABLES:
                return
            conn.info["page_cache_wrote"] = True
            if _SETTINGS_WRITE.match(statement):
                conn.info["settings_wrote"] = True

    @event.listens_for(engine, "commit")
    def _committing(conn):
        if conn.info.pop("page_cache_wrote", False):
            settings = conn.info.pop("settings_wrote", False)
            cache.bump()
            if settings:
                cache.settings_generations.bump()
            _wrote.set((cache, settings))

    @event.listens_for(engine, "rollback")
    def _rolled_back(conn):
        if not conn.invalidated:  # a lost connection takes its info with it, and asking would reconnect
            conn.info.pop("page_cache_wrote", None)
            conn.info.pop("settings_wrote", None)


def _bump_after_commit(session) -> None:
    wrote = _wrote.get()
    if wrote is not None:
        _wrote.set(None)
        cache, settings = wrote
        cache.bump()
        if settings:
            cache.settings_generations.bump()


def init_app(app) -> None:
    cache = WorkerCache(app)
    app.extensions["worker_cache"] = cache
    with app.app_context():
        _track_writes(db.engine, cache)
    if not getattr(Session, "_medvirk_page_cache", False):
        event.listen(Session, "after_commit", _bump_after_commit)
        Session._medvirk_page_cache = True  # type: ignore[attr-defined]  # a mark that the listener is on
