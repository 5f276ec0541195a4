"""The one exception a service raises when a business rule says no."""
from __future__ import annotations


class RuleBroken(Exception):
    """``message`` is shown to the person (beside ``field`` when the form has it)."""

    def __init__(self, message, field: str | None = None):
        super().__init__(str(message))
        self.message = message
        self.field = field
