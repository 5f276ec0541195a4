"""Addresses read by programs (the JSON API) rather than people.

Their answers are public data, the same for everyone, so that shared caches
may keep them: no session is read or saved there and no cookie is set, and
because no credentials are ever used, any web page may read them (CORS).
Errors there are RFC 9457 problem details in JSON, not pages.
"""
from __future__ import annotations

from typing import Any

from flask import Flask, Response, current_app, has_request_context, request
from flask.sessions import SecureCookieSession, SecureCookieSessionInterface

from app.core.i18n import lazy_gettext as _l

_PREFIXES = "medvirk.json_api_prefixes"
PROBLEM_MIMETYPE = "application/problem+json"

TITLES = {
    400: _l("The request has a value that is not allowed"),
    404: _l("Not found"),
    405: _l("Method not allowed"),
    429: _l("Too many requests"),
    500: _l("Something went wrong on our side"),
    503: _l("The service is not available right now"),
}
OTHER_TITLE = _l("The request could not be answered")
DETAILS = {
    400: _l("Check the query parameters against the API description at /api/openapi.json."),
    404: _l("There is nothing public at this address."),
    405: _l("This address answers GET requests only."),
    429: _l("Too many requests from your address in a short while. Wait as many seconds as Retry-After says."),
    500: _l("The error has been logged and we will look at it. Please try again in a little while."),
    503: _l("Please try again in a little while."),
}


def serve_under(app: Flask, prefix: str) -> None:
    """Make every address under ``prefix`` answer as described above."""
    app.extensions.setdefault(_PREFIXES, []).append(prefix.rstrip("/") + "/")
    if not isinstance(app.session_interface, SessionInterface):
        app.session_interface = SessionInterface()
        app.after_request(_open_to_every_origin)


def _is_under(app: Flask, path: str) -> bool:
    return path.startswith(tuple(app.extensions.get(_PREFIXES, ())))


def is_json_request() -> bool:
    return has_request_context() and _is_under(current_app, request.path)


class _Discarded(SecureCookieSession):
    """A session that whatever runs may write to, and that is never saved."""


class SessionInterface(SecureCookieSessionInterface):
    """The usual signed-cookie session everywhere else."""

    def open_session(self, app: Flask, request) -> SecureCookieSession | None:
        if _is_under(app, request.path):
            return _Discarded()
        return super().open_session(app, request)

    def save_session(self, app: Flask, session, response: Response) -> None:
        if isinstance(session, _Discarded):
            # Hooks for pages (the language remembered from ?lang=) must not make a shared answer personal.
            response.headers.remove("Set-Cookie")
            return
        super().save_session(app, session, response)


def _open_to_every_origin(response: Response) -> Response:
    if not is_json_request():
        return response
    response.headers["Access-Control-Allow-Origin"] = "*"
    response.headers["Access-Control-Expose-Headers"] = (
        "ETag, Retry-After, X-RateLimit-Limit, X-RateLimit-Remaining, X-RateLimit-Reset")
    if request.method == "OPTIONS":
        response.headers["Access-Control-Allow-Methods"] = "GET, HEAD, OPTIONS"
        response.headers["Access-Control-Allow-Headers"] = "If-None-Match"
        response.headers["Access-Control-Max-Age"] = "86400"
    return response


def json_response(body: Any, status: int = 200, mimetype: str = "application/json") -> Response:
    """Keys sorted and no spaces, so the same data is always the same bytes (and the same ETag)."""
    text = current_app.json.dumps(body, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return current_app.response_class(text, status=status, mimetype=mimetype)


def problem(status: int, detail: str | None = None, **members: Any) -> Response:
    """An error as RFC 9457 problem details, in the language of the request; never cached."""
    body = {"title": str(TITLES.get(status, OTHER_TITLE)), "status": status,
            "detail": str(detail or DETAILS.get(status, OTHER_TITLE))}
    body.update({name: value for name, value in members.items() if value is not None})
    response = json_response(body, status=status, mimetype=PROBLEM_MIMETYPE)
    response.headers["Cache-Control"] = "no-store"
    return response
