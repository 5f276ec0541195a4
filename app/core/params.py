"""Reading numbers from a query string without trusting them."""
from __future__ import annotations

from dataclasses import dataclass

from werkzeug.routing import IntegerConverter

MAX_INT = 2**31 - 1  # what every database here stores in an INTEGER


def positive_int(value: str | None, default: int | None = None) -> int | None:
    """A whole number from 1 to MAX_INT, else ``default``: a huge or odd value is never passed on."""
    if value is None or not (value.isascii() and value.isdigit()):
        return default
    number = int(value)
    return number if 0 < number <= MAX_INT else default


def page_count(total: int, per_page: int) -> int:
    """How many pages ``total`` rows fill: at least one, so page 1 always exists."""
    return max(1, -(-total // per_page))


@dataclass
class Page:
    """Which page of a list is shown, of how many rows, for the pager under it."""
    page: int
    total: int
    per_page: int

    @property
    def pages(self) -> int:
        return page_count(self.total, self.per_page)


class BoundedIntegerConverter(IntegerConverter):
    """``<int:...>`` in every URL, capped at MAX_INT: a larger number is a 404, not a database error."""

    def __init__(self, map, *args, **kwargs):
        kwargs.setdefault("max", MAX_INT)
        super().__init__(map, *args, **kwargs)
