"""The one exception a service raises when a business rule says no."""
from __future__ import annotations


class RuleBroken(Exception):
    """``message`` is shown to the person (beside ``field`` when the form has it);
    ``status`` is the HTTP status of the page that says so (429 for a limit)."""

    def __init__(self, message, field: str | None = None, status: int = 400):
        super().__init__(str(message))
        self.message = message
        self.field = field
        self.status = status
