"""Reading numbers from a query string without trusting them."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

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


EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)
MAX_MICROS = (datetime(9999, 1, 1, tzinfo=timezone.utc) - EPOCH) // timedelta(microseconds=1)


def micros_of(moment: datetime) -> int:
    """A moment as whole microseconds since 1970: how a date stands in a page key in a URL."""
    return (moment - EPOCH) // timedelta(microseconds=1)


def moment_of(micros: int) -> datetime | None:
    """The moment ``micros_of`` gave, or None for a number no date has."""
    return EPOCH + timedelta(microseconds=micros) if 0 <= micros <= MAX_MICROS else None


def whole_numbers(text: str | None, parts: int) -> list[int] | None:
    """``parts`` whole numbers (0 to MAX_MICROS) joined by dots, as page keys write them; None for anything else."""
    found = (text or "").split(".")
    if len(found) != parts or not all(p.isascii() and p.isdigit() and len(p) <= 18 for p in found):
        return None
    return [int(p) for p in found]
