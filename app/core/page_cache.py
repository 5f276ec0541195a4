"""A short-lived cache of public pages, and of the parts of pages that are the same for everyone.

Two layers, both kept in each worker's memory for ``PAGE_CACHE_SECONDS`` (0 turns both off):

- Whole pages for anonymous visitors. ``PageCacheMiddleware`` answers a GET from a visitor
  who has no session cookie and no remember cookie, keyed by host, path, query string and
  language (``?lang=``, the ``lang`` cookie, ``Accept-Language``, as ``i18n.select_locale``).
  A response is kept only when Flask marked it storable (``mark_storable``): a public view,
  nobody logged in, no CSRF token made for it, nothing marked personal; and when it is a
  200 HTML answer that sets no cookie and is not ``no-store``. So a page with a form (which
  carries the visitor's own token) or a flashed message is never kept.
- Parts of pages (``fragment``) that are the same for everyone, for the pages logged-in
  people read most; the view renders the personal rest around them.

The settings administrators store (``app/core/settings.py``) are kept per worker under a
generation of their own, bumped only by a write to the ``settings`` table, so the first
request after any other write does not read them again.

Every committed write bumps a generation number that all workers read once per request:
a file in the instance folder (one machine) or a Redis key (``PAGE_CACHE_REDIS_URL``).
Anything stored under an older generation is never served again. The bump happens just
before the database commits and again after it, so a page built in between is dropped too.
When the generation cannot be read (Redis down), nothing is served from the cache or kept.
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
from http.cookies import CookieError, SimpleCookie
from pathlib import Path
from typing import Any, Callable
from urllib.parse import parse_qs

from flask import current_app, g, has_request_context, render_template, request
from markupsafe import Markup
from werkzeug.datastructures import LanguageAccept
from werkzeug.http import parse_accept_header

from app.core.i18n import LANG_COOKIE, choose_language, current_locale

STORABLE = "medvirk.page_cache.storable"
MAX_ENTRIES = 1000              # per worker: at about 12 KB a page, some 12 MB
MAX_PAGE_BYTES = 128 * 1024
log = logging.getLogger("medvirk.page_cache")
_WRITE_VERBS = ("INSERT", "UPDATE", "DELETE", "REPLAC", "UPSERT", "MERGE ")
_SETTINGS_WRITE = re.compile(r'\s*(INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+"?settings"?[\s(]', re.IGNORECASE)
# The cache whose generation a commit on this thread bumped just before the database committed,
# and whether the settings' generation was bumped with it.
_wrote: contextvars.ContextVar[tuple[PageCache, bool] | None] = contextvars.ContextVar("page_cache_wrote", default=None)


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
        import redis

        from app.core import redis_health

        self.KEY = key
        self.url = url
        self.client = redis.Redis.from_url(url, **redis_health.client_options())

    def read(self) -> str | None:
        import redis

        from app.core import redis_health

        try:
            value = self.client.get(self.KEY)
        except redis.RedisError as error:
            redis_health.failed(self.url, error)   # one log line per outage, not one per request
            return None
        redis_health.answered(self.url)
        return value.decode() if isinstance(value, bytes) else (value or "0")

    def bump(self) -> None:
        import redis

        from app.core import redis_health

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


class PageCache:
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
        self.languages = tuple(app.config["LANGUAGES"])
        self.default_language = app.config["BABEL_DEFAULT_LOCALE"]
        self.session_cookie = app.config.get("SESSION_COOKIE_NAME", "session")
        self.remember_cookie = app.config.get("REMEMBER_COOKIE_NAME", "remember_token")

    @property
    def enabled(self) -> bool:
        return self.seconds > 0

    def generation(self) -> str | None:
        """The shared generation, read once per request, before the page is built: a write after
        that leaves what this request stores unused. None when it cannot be read."""
        if not has_request_context():
            return self.generations.read()
        if "page_cache_generation" not in g:
            g.page_cache_generation = (request.environ.get("medvirk.page_cache.generation")
                                       or self.generations.read())
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

    # -- whole pages --

    def page_key(self, environ) -> tuple | None:
        """The key of an anonymous GET the cache may answer, or None."""
        if environ.get("REQUEST_METHOD") != "GET" or environ.get("HTTP_AUTHORIZATION"):
            return None
        path = environ.get("PATH_INFO", "")
        if path.startswith(("/api/", "/static/", "/healthz")):
            return None
        cookies = {}
        if environ.get("HTTP_COOKIE"):
            try:
                parsed = SimpleCookie(environ["HTTP_COOKIE"])
            except CookieError:
                return None
            cookies = {name: morsel.value for name, morsel in parsed.items()}
        if self.session_cookie in cookies or self.remember_cookie in cookies:
            return None
        query = environ.get("QUERY_STRING", "")
        cookie_lang = cookies.get(LANG_COOKIE)
        asked = _lang_arg(query)
        if asked is not None and asked in self.languages and asked != cookie_lang:
            return None   # the answer sets the language cookie: let the app do that
        accept = parse_accept_header(environ.get("HTTP_ACCEPT_LANGUAGE"), LanguageAccept)
        language = choose_language(asked, cookie_lang, None, accept, self.languages, self.default_language)
        return (environ.get("HTTP_HOST", ""), environ.get("wsgi.url_scheme", ""), path, query, language)


def _lang_arg(query: str) -> str | None:
    if "lang=" not in query:
        return None
    values = parse_qs(query).get("lang")
    return values[0] if values else None


class PageCacheMiddleware:
    """Answers anonymous GETs from the cache before Flask does any work."""

    def __init__(self, wsgi_app, cache: PageCache):
        self.wsgi_app = wsgi_app
        self.cache = cache

    def __call__(self, environ, start_response):
        cache = self.cache
        key = cache.page_key(environ) if cache.enabled else None
        if key is None:
            return self.wsgi_app(environ, start_response)
        generation = cache.generations.read()
        if generation is None:
            return self.wsgi_app(environ, start_response)
        hit = cache.store.get(("page", key), generation, cache.seconds)
        if hit is not None:
            status, headers, body = hit
            start_response(status, list(headers))
            return [body]
        environ["medvirk.page_cache.generation"] = generation
        captured: list = []

        def capture(status, headers, exc_info=None):
            captured[:] = [status, headers]
            return start_response(status, headers, exc_info)

        result = self.wsgi_app(environ, capture)
        if not environ.get(STORABLE):
            return result
        try:
            body = b"".join(result)
        finally:
            if hasattr(result, "close"):
                result.close()
        status, headers = captured
        names = {name.lower(): value for name, value in headers}
        if (status.startswith("200") and "set-cookie" not in names and len(body) <= MAX_PAGE_BYTES
                and names.get("content-type", "").startswith("text/html")
                and "no-store" not in names.get("cache-control", "") and "private" not in names.get("cache-control", "")):
            cache.store.put(("page", key), generation, (status, tuple(headers), body))
        return [body]


# --- in the app ----------------------------------------------------------------------------------------


def _cache() -> PageCache:
    return current_app.extensions["page_cache"]


def mark_storable(response):
    """Tell the middleware this answer is the same for every anonymous visitor in this language."""
    from flask_login import current_user

    from app.core.permissions import PUBLIC

    environ = request.environ
    if "medvirk.page_cache.generation" not in environ:
        return response
    view = current_app.view_functions.get(request.endpoint or "")
    field = current_app.config.get("WTF_CSRF_FIELD_NAME", "csrf_token")
    if (getattr(view, "access", None) == PUBLIC and not getattr(request, "personal_page", False)
            and field not in g and not current_user.is_authenticated):
        environ[STORABLE] = True
    return response


def render_part(template: str, **context) -> Markup:
    """A template without a layout, rendered to put into a page."""
    return Markup(render_template(template, **context))  # nosec B704 - Jinja escaped it while rendering


def shared(key: tuple, build: Callable[[], Any]) -> Any:
    """What ``build()`` gives, the same for everyone who reads the page in this language (parts of a page
    and what the view needs to put them together), from the cache when it is there. None is not kept."""
    cache = _cache()
    generation = cache.generation() if cache.enabled else None
    if generation is None:
        return build()
    full = ("fragment", request.host, current_locale(), *key)
    value = cache.store.get(full, generation, cache.seconds)
    if value is None:
        value = build()
        if value is not None:
            cache.store.put(full, generation, value)
    return value


def fragment(key: tuple, template: str, context: Callable[[], dict]) -> Markup:
    """``template`` rendered with ``context()``: a part of a page that is the same for everyone who reads
    it in this language, from the cache when it is there (``context`` is then not called)."""
    return shared((template, *key), lambda: render_part(template, **context()))


def cached_value(key: tuple, load: Callable[[], Any], seconds: int | None = 3600 * 24) -> Any:
    """Data kept per worker until any write, and at most ``seconds`` (None: ``PAGE_CACHE_SECONDS``):
    data that rarely changes (districts, effort areas), or one person's own (keyed by their id)."""
    cache = _cache()
    generation = cache.generation() if cache.enabled else None
    if generation is None:
        return load()
    value = cache.store.get(("value", *key), generation, cache.seconds if seconds is None else seconds)
    if value is None:
        value = load()
        cache.store.put(("value", *key), generation, value)
    return value


def kept_settings(load: Callable[[], Any]) -> Any:
    """The administrators' stored settings (``load()``), kept per worker until settings are saved in
    any worker, and at most ``PAGE_CACHE_SECONDS`` (a change made outside the app shows by then)."""
    cache = _cache()
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
    from sqlalchemy.orm import Session

    from app.extensions import db

    cache = _cache()
    generation = cache.generation() if cache.enabled else None
    if generation is None:
        return db.session.get(model, ident)
    key = ("row", model.__name__, ident)
    kept = cache.store.get(key, generation, cache.seconds)
    if kept is None:
        with Session(bind=db.session.connection(), expire_on_commit=False) as session:
            kept = session.get(model, ident)
        if kept is None:
            return None
        cache.store.put(key, generation, kept)
    return db.session.merge(kept, load=False)


def _track_writes(engine, cache: PageCache) -> None:
    from sqlalchemy import event

    @event.listens_for(engine, "before_cursor_execute")
    def _seen(conn, cursor, statement, parameters, context, executemany):
        if statement.lstrip()[:6].upper() in _WRITE_VERBS:
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
    from sqlalchemy import event
    from sqlalchemy.orm import Session

    from app.extensions import db

    cache = PageCache(app)
    app.extensions["page_cache"] = cache
    with app.app_context():
        _track_writes(db.engine, cache)
    if not getattr(Session, "_medvirk_page_cache", False):
        event.listen(Session, "after_commit", _bump_after_commit)
        Session._medvirk_page_cache = True  # type: ignore[attr-defined]  # a mark that the listener is on
    app.after_request(mark_storable)
    app.wsgi_app = PageCacheMiddleware(app.wsgi_app, cache)
