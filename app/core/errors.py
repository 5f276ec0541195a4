"""Error pages in the layout, in the visitor's language; never a traceback."""
from __future__ import annotations

import logging
import uuid

from flask import current_app, g, render_template, request
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import OperationalError
from werkzeug.exceptions import HTTPException

from app.core import json_api
from app.core.i18n import lazy_gettext as _l

log = logging.getLogger("medvirk.errors")

MESSAGES = {
    400: (_l("Something in the request was wrong"), _l("We could not understand what was sent. Go back, check the form and try again.")),
    403: (_l("You do not have access to this page"), _l("Your account does not give access to this page. If you think it should, contact us.")),
    404: (_l("We could not find the page"), _l("The address may be mistyped, or the page may have been moved or removed.")),
    405: (_l("That cannot be done here"), _l("This page does not accept that kind of request. Go back and use the buttons on the page.")),
    413: (_l("What you sent is too large"), _l("Shorten the text or send a smaller file, then try again.")),
    429: (_l("Too many attempts"), _l("You have tried too many times in a short while. Wait a minute and try again.")),
    500: (_l("Something went wrong on our side"), _l("The error has been logged and we will look at it. Please try again in a little while.")),
    503: (_l("The service is not available right now"), _l("We are working on it. Please try again in a little while.")),
}
UNVERIFIED_MESSAGE = _l("Confirm your email address first. We sent you a link when you registered; you can ask for a new one on your account page.")


def render_error(code: int, incident: str | None = None, description: str | None = None):
    if json_api.is_json_request():
        return json_api.problem(code, incident=incident)
    title, message = MESSAGES.get(code, MESSAGES[500])
    if code == 403 and description == "unverified":
        message = UNVERIFIED_MESSAGE
    return render_template("errors/error.html", code=code, title=title, message=message, incident=incident), code


def init_app(app) -> None:
    @app.errorhandler(CSRFError)
    def _csrf_error(error):
        # Give the form back with what was typed: the view runs again and its
        # FlaskForm fails its own CSRF check, so nothing is changed and the
        # form shows a plain "please send it again" message.
        view = current_app.view_functions.get(request.endpoint or "")
        if view is not None and getattr(view, "access", None) is not None and not g.get("csrf_retry"):
            g.csrf_retry = True
            try:
                return current_app.ensure_sync(view)(**(request.view_args or {}))
            except HTTPException as error:  # the view's own refusal, e.g. its rate limit
                return _http_error(error)
        return render_error(400)

    @app.errorhandler(HTTPException)
    def _http_error(error: HTTPException):
        response = current_app.make_response(render_error(error.code or 500, description=error.description))
        if error.code == 429:
            retry = getattr(error, "retry_after", None) or 60
            response.headers["Retry-After"] = str(int(retry))
        if error.code == 405 and error.get_response().headers.get("Allow"):
            response.headers["Allow"] = error.get_response().headers["Allow"]
        return response

    @app.errorhandler(Exception)
    def _unhandled(error: Exception):
        if isinstance(error, HTTPException):
            return _http_error(error)
        if isinstance(error, OperationalError):
            try:
                from app.extensions import db

                db.session.rollback()
            except Exception:  # pragma: no cover
                pass
            log.error("database unavailable on %s %s: %s", request.method, request.path, type(error.orig).__name__)
            return render_error(503)
        incident = uuid.uuid4().hex[:12]
        log.exception("incident %s on %s %s", incident, request.method, request.path)
        try:
            from app.extensions import db

            db.session.rollback()
        except Exception:  # pragma: no cover - the database itself failed
            pass
        return render_error(500, incident=incident)
