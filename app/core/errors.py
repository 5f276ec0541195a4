"""Error pages in the layout, in the visitor's language; never a traceback."""
from __future__ import annotations

import logging
import uuid

from flask import current_app, g, render_template, request
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from app.core import drafts, json_api, outage, settings
from app.core.i18n import lazy_gettext as _l
from app.core.rules import RuleBroken
from app.extensions import db, login_manager

log = logging.getLogger("medvirk.errors")

MESSAGES = {
    400: (_l("Something in the request was wrong"), _l("We could not understand what was sent. Go back, check the form and try again.")),
    403: (_l("You do not have access to this page"), _l("Your account does not give access to this page. If you think it should, contact us.")),
    404: (_l("We could not find the page"), _l("The address may be mistyped, or the page may have been moved or removed.")),
    405: (_l("That cannot be done here"), _l("This page does not accept that kind of request. Go back and use the buttons on the page.")),
    413: (_l("What you sent is too large"), _l("Shorten the text or send a smaller file, then try again.")),
    429: (_l("Too many attempts"), _l("You have tried too many times in a short while. Wait a minute and try again.")),
    500: (_l("Something went wrong on our side"), _l("The error has been logged and we will look at it. Please try again in a little while.")),
    409: (_l("Someone else changed this at the same time"), _l("Go back, look at how it is now and try again.")),
    503: (_l("The service is not available right now"), _l("We are working on it. Please try again in a little while.")),
}


def render_error(code: int, incident: str | None = None, description: str | None = None, **context):
    if json_api.is_json_request():
        return json_api.problem(code, incident=incident)
    if code == 403 and description == "unverified":
        return _confirm_first()
    title, message = MESSAGES.get(code, MESSAGES[500])
    return render_template("errors/error.html", code=code, title=title, message=message, incident=incident,
                           **context), code


def _confirm_first():
    """An account whose address is not confirmed yet asked for something that needs it: a plain page
    that says so and sends the link again, which leads back here once opened. No error code on it."""
    rule = request.url_rule
    back = (request.full_path.rstrip("?") if request.method == "GET" and rule is not None
            else drafts.return_path())
    return render_template("errors/confirm_email.html", back=back, kept=g.get("draft_kept", False)), 403


def rule_broken(error: RuleBroken):
    """A refusal the view did not catch (a forgotten pre-check, say): its status and its message,
    in the layout or as problem details, never a 500. Nothing the service flushed is kept."""
    db.session.rollback()
    if json_api.is_json_request():
        return json_api.problem(error.status, detail=str(error.message))
    title, _message = MESSAGES.get(error.status, MESSAGES[400])
    return render_template("errors/error.html", code=error.status, title=title, message=error.message), error.status


def database_unavailable(error: Exception):
    """The 503 page, the same wherever the database failed: loading the signed-in person, in the
    view, or at commit. A form posted meanwhile is given back on the page (app/core/outage.py)."""
    try:
        db.session.rollback()  # whatever this request had written is not kept
    except Exception:  # the rollback found the connection gone too; closing forgets it
        db.session.close()
    # Drawing the page must not ask the database again: the page is drawn as for a visitor,
    # without the account links (the session cookie is left as it is).
    login_manager._update_request_context_with_user()
    settings.forget_overrides()
    # The endpoint, not the path: a path can carry a receipt code or a token.
    log.error("database unavailable on %s %s: %s", request.method, request.endpoint or "-",
              type(getattr(error, "orig", None) or error).__name__)
    response = current_app.make_response(render_error(503, outage=True, resend=outage.posted_form()))
    response.headers["Retry-After"] = str(outage.RETRY_AFTER_SECONDS)
    response.headers["Cache-Control"] = "no-store"
    return response


def end_session_on_a_dead_connection(_error=None) -> None:
    """Ending a request rolls its transaction back; when the connection died after the request's last
    statement (a style sheet that read the settings, say), that rollback fails, and the answer already
    made would become a 500 with its file left open. The connection is thrown away instead: the next
    request takes a new one. Registered after Flask-SQLAlchemy's own, so it runs first."""
    try:
        db.session.remove()
    except Exception as error:
        if not outage.is_database_unavailable(error):
            raise
        db.session().invalidate()   # the scoped session's own: closes without asking the server
        db.session.remove()


def init_app(app) -> None:
    app.teardown_appcontext(end_session_on_a_dead_connection)

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
            except RuleBroken as error:
                return rule_broken(error)
            except Exception as error:
                if outage.is_database_unavailable(error):
                    return database_unavailable(error)
                raise
        return render_error(400)

    app.register_error_handler(RuleBroken, rule_broken)

    @app.errorhandler(HTTPException)
    def _http_error(error: HTTPException):
        response = current_app.make_response(render_error(error.code or 500, description=error.description))
        if error.code == 429:
            retry = getattr(error, "retry_after", None) or 60
            response.headers["Retry-After"] = str(int(retry))
        if error.code == 503:
            response.headers["Retry-After"] = str(outage.RETRY_AFTER_SECONDS)
        if error.code == 405 and error.get_response().headers.get("Allow"):
            response.headers["Allow"] = error.get_response().headers["Allow"]
        return response

    @app.errorhandler(Exception)
    def _unhandled(error: Exception):
        if isinstance(error, HTTPException):
            return _http_error(error)
        if outage.is_database_unavailable(error):
            return database_unavailable(error)
        incident = uuid.uuid4().hex[:12]
        # The endpoint, not the path: a path can carry a receipt code or a token.
        log.exception("incident %s on %s %s", incident, request.method, request.endpoint or "-")
        try:
            db.session.rollback()
        except Exception:  # pragma: no cover - the database itself failed
            pass
        return render_error(500, incident=incident)
