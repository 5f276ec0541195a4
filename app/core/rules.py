"""The one exception a service raises when a business rule says no."""
from __future__ import annotations

from app.core.i18n import lazy_gettext as _l


class RuleBroken(Exception):
    """The one way a service says no; it never raises anything else for a refusal.

    ``message`` is shown to the person (beside ``field`` when the form has it);
    ``status`` is the HTTP status of the page that says so (429 for a limit).
    A view catches it where it can give the form back with the message; one it
    does not catch is answered centrally (app/core/errors.py) with a page in the
    layout, or problem details under the JSON API, carrying the message and the
    status: never a 500. The kinds a view may want to tell apart:

    - ``Forbidden`` (403): this person may not do this at all (the view's own
      permission check should have stopped them; the service checks again).
    - ``Conflict`` (409): someone else changed the thing since it was loaded.
    - a package's own subclass (``IdeaError``, ``EventError`` ...) for its rules.
    """

    def __init__(self, message, field: str | None = None, status: int = 400):
        super().__init__(message)  # a lazy text stays lazy: a refusal may be raised outside a request
        self.message = message
        self.field = field
        self.status = status


class Forbidden(RuleBroken):
    """The person may not do this (403)."""

    def __init__(self, message=None, field: str | None = None):
        super().__init__(message or _l("Your account does not give access to this page. If you think it should, contact us."),
                         field, status=403)


class Conflict(RuleBroken):
    """Someone else changed this since it was loaded (409)."""

    def __init__(self, message, field: str | None = None):
        super().__init__(message, field, status=409)
