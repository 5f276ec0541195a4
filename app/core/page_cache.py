"""A short-lived cache of public pages, and of the parts of pages that are the same for everyone.

Two layers, both kept in each worker's memory (``app/core/worker_cache.py``, which also says
when they are dropped) for ``PAGE_CACHE_SECONDS`` (0 turns both off):

- Whole pages for anonymous visitors. ``PageCacheMiddleware`` answers a GET from a visitor
  who has no session cookie and no remember cookie, keyed by host, path, query string and
  language (``?lang=``, the ``lang`` cookie, ``Accept-Language``, as ``i18n.select_locale``).
  A response is kept only when Flask marked it storable (``mark_storable``): a public view,
  nobody logged in, no CSRF token made for it, nothing marked personal; and when it is a
  200 HTML answer that sets no cookie and is not ``no-store``. So a page with a form (which
  carries the visitor's own token) or a flashed message is never kept.
- Parts of pages (``fragment``, ``shared``) that are the same for everyone, for the pages logged-in
  people read most; the view renders the personal rest around them. Whether the reader is logged in
  is part of their key (a part may offer a visitor to log in); nothing else of the person may go into
  one: while a part is built, ``current_user`` answers only ``is_authenticated``, and asking it for
  more, making a form token or showing a message raises ``PersonalInSharedPart``. A page whose public
  part is most of its cost is split so: the view passes the part (``content``) to a template that
  holds the layout and the personal rest.

Which writes retire what is kept, and how the person who wrote sees it at once, is in
``app/core/worker_cache.py``.
"""
from __future__ import annotations

import time
from http.cookies import CookieError, SimpleCookie
from typing import Any, Callable
from urllib.parse import parse_qs

from flask import current_app, g, render_template, request
from flask_login import current_user
from markupsafe import Markup
from werkzeug.datastructures import LanguageAccept
from werkzeug.http import parse_accept_header

from app.core import worker_cache
from app.core.i18n import LANG_COOKIE, current_locale, preference_order
from app.core.permissions import PUBLIC
from app.core.security import allow_map_tiles
from app.core.worker_cache import GENERATION_KEY, STARTED_KEY, WorkerCache

STORABLE = "medvirk.page_cache.storable"
MAX_PAGE_BYTES = 128 * 1024


class PageKeys:
    """Which anonymous GETs the cache may answer, and under which key."""

    def __init__(self, app):
        # Every installed language, on or off: which are on is in the database, and the key holds the
        # visitor's order of them, so the page stored under it is right whichever are on.
        self.languages = tuple(line[0] for line in app.config["LANGUAGES"])
        self.default_language = app.config["BABEL_DEFAULT_LOCALE"]
        self.session_cookie = app.config.get("SESSION_COOKIE_NAME", "session")
        self.remember_cookie = app.config.get("REMEMBER_COOKIE_NAME", "remember_token")

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
        languages = preference_order(asked, cookie_lang, None, accept, self.languages, self.default_language)
        return (environ.get("HTTP_HOST", ""), environ.get("wsgi.url_scheme", ""), path, query, languages)


def _lang_arg(query: str) -> str | None:
    if "lang=" not in query:
        return None
    values = parse_qs(query).get("lang")
    return values[0] if values else None


class PageCacheMiddleware:
    """Answers anonymous GETs from the cache before Flask does any work."""

    def __init__(self, wsgi_app, cache: WorkerCache, keys: PageKeys):
        self.wsgi_app = wsgi_app
        self.cache = cache
        self.keys = keys

    def __call__(self, environ, start_response):
        environ[STARTED_KEY] = time.time()   # before anything is read: see worker_cache.fresh_after
        cache = self.cache
        key = self.keys.page_key(environ) if cache.enabled else None
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
        environ[GENERATION_KEY] = generation
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
            cache.store.put(("page", key), generation, (status, tuple(headers), body), environ[STARTED_KEY])
        return [body]


# --- in the app ----------------------------------------------------------------------------------------


def mark_storable(response):
    """Tell the middleware this answer is the same for every anonymous visitor in this language."""
    environ = request.environ
    if GENERATION_KEY not in environ:
        return response
    view = current_app.view_functions.get(request.endpoint or "")
    field = current_app.config.get("WTF_CSRF_FIELD_NAME", "csrf_token")
    if (getattr(view, "access", None) == PUBLIC and not getattr(request, "personal_page", False)
            and field not in g and not current_user.is_authenticated):
        environ[STORABLE] = True
    return response


class PersonalInSharedPart(RuntimeError):
    """A part kept for everyone asked for something of one person (a bug in its view or template)."""


class _Reader:
    """``current_user`` while a part kept for everyone is rendered: it tells whether the reader is logged in,
    which is part of the part's key, and nothing else of the person."""

    def __init__(self, authenticated: bool):
        self.is_authenticated = authenticated
        self.is_anonymous = not authenticated

    def __getattr__(self, name: str):
        raise PersonalInSharedPart(f"current_user.{name}")


class _Refused:
    """What a template may not use in a part kept for everyone: the session, the person's permissions
    (``can``), their menu (``nav_items``), their messages. Using it in any way is refused."""

    def __init__(self, name: str):
        self.name = name

    def __call__(self, *args, **kwargs):
        raise PersonalInSharedPart(self.name)

    __getattr__ = __getitem__ = __contains__ = __iter__ = __str__ = __html__ = __bool__ = __call__


def render_part(template: str, **context) -> Markup:
    """A template without a layout, rendered to put into a page. In a part kept for everyone (``shared``)
    ``current_user`` tells only whether someone is logged in, and messages cannot be shown."""
    if g.get("building_shared_part"):
        context.update(current_user=_Reader(bool(current_user.is_authenticated)),
                       **{name: _Refused(name) for name in ("get_flashed_messages", "can", "nav_items", "session")})
    return Markup(render_template(template, **context))  # nosec B704 - Jinja escaped it while rendering


def _built_for_everyone(build: Callable[[], Any]) -> tuple[Any, bool] | None:
    """``build()`` and whether it drew a map (the page then loads the map script: ``allow_map_tiles``), or
    None when it gave None. Refused (``PersonalInSharedPart``) when it made a form token: that is the
    session's own."""
    field = current_app.config.get("WTF_CSRF_FIELD_NAME", "csrf_token")
    token, outer, tiles = g.pop(field, None), g.get("building_shared_part", False), g.pop("map_tiles", False)
    g.building_shared_part = True
    try:
        value = build()
        if field in g:
            raise PersonalInSharedPart("a form token")
        drew_map = bool(g.get("map_tiles"))
    finally:
        g.building_shared_part = outer
        g.pop(field, None)
        if token is not None:
            setattr(g, field, token)
        g.map_tiles = tiles or g.get("map_tiles", False)
    return None if value is None else (value, drew_map)


def shared(key: tuple, build: Callable[[], Any]) -> Any:
    """What ``build()`` gives, the same for everyone who reads the page in this language and is (or is not)
    logged in: parts of a page and what the view needs to put them together, from the cache when it is
    there. None is not kept. The person's own part of the page (their name, their form tokens, whether
    they support an idea, their registration, messages) is drawn around it per request: a part that asks
    for any of it while it is built is refused (``PersonalInSharedPart``), kept or not, so a test of the
    page finds it. A part with a map makes its page load the map script, from the cache too."""
    if not worker_cache.current().enabled or g.get("page_parts_uncached"):
        built = _built_for_everyone(build)   # (a translated page's parts hold placeholders of that request only)
    else:
        built = worker_cache.kept(("fragment", request.host, current_locale(), bool(current_user.is_authenticated),
                                   *key), lambda: _built_for_everyone(build))
    if built is None:
        return None
    value, drew_map = built
    if drew_map:
        allow_map_tiles()
    return value


def fragment(key: tuple, template: str, context: Callable[[], dict]) -> Markup:
    """``template`` rendered with ``context()``: a part of a page that is the same for everyone who reads
    it in this language, from the cache when it is there (``context`` is then not called)."""
    return shared((template, *key), lambda: render_part(template, **context()))


def init_app(app) -> None:
    """After ``worker_cache.init_app``: the pages are kept in the worker's cache."""
    app.after_request(mark_storable)
    app.wsgi_app = PageCacheMiddleware(app.wsgi_app, app.extensions["worker_cache"], PageKeys(app))
