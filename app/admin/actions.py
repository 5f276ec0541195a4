"""The one way an administration button is handled: a POST that checks the page's token, does one
thing, commits it, says how it went and goes back to the page it came from."""
from __future__ import annotations

from typing import Any, Callable

from flask import flash
from werkzeug.wrappers import Response

from app.core.forms import ActionForm
from app.core.i18n import gettext as _
from app.core.rules import RuleBroken
from app.extensions import db


def expired() -> None:
    flash(_("The page had expired. Press the button again."), "error")


def button(act: Callable[[], Any], done: str | Callable[[Any], str], back: Response) -> Response:
    """Do ``act`` and commit, then say ``done`` (or ``done(result)``); a broken rule is rolled back
    and said instead. A page whose token has expired changes nothing."""
    if not ActionForm().validate_on_submit():
        expired()
        return back
    try:
        result = act()
    except RuleBroken as broken:
        db.session.rollback()
        flash(str(broken.message), "error")
    else:
        db.session.commit()
        flash(done(result) if callable(done) else done, "success")
    return back
