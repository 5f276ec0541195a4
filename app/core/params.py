"""Reading numbers from a query string without trusting them."""
from __future__ import annotations

MAX_INT = 2**31 - 1  # what every database here stores in an INTEGER


def positive_int(value: str | None, default: int | None = None) -> int | None:
    """A whole number from 1 to MAX_INT, else ``default``: a huge or odd value is never passed on."""
    if value is None or not value.isdigit():
        return default
    number = int(value)
    return number if 0 < number <= MAX_INT else default
