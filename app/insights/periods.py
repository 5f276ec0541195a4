"""Periods the indicators are counted over: whole calendar years, quarters or months.

Public figures are only ever given for these fixed buckets, never for a span a
visitor draws freely. The buckets nest (a year is its four quarters, a quarter its
three months), and that is what ``app/insights/suppression.py`` protects: the
public sees the same figure for a bucket whichever period it was asked with.
"""
from __future__ import annotations

import enum
import re
from dataclasses import dataclass
from datetime import date

from sqlalchemy import Integer, String, cast, func, literal

from app.core.i18n import format_date
from app.core.i18n import gettext as _

# The agreement runs 2024–2028 and ends with a final evaluation.
AGREEMENT_YEARS = (2024, 2028)
FIRST_YEAR, LAST_YEAR = 2020, 2035
# Counting by month over more than three years, or by quarter over more than the agreement's five,
# makes tables no one can read (and pages too heavy for a phone).
MAX_MONTHS, MAX_QUARTERS = 36, 20

_YEAR = re.compile(r"^(\d{4})(?:-(\d{2}))?$")


class Step(enum.StrEnum):
    YEAR = "year"
    QUARTER = "quarter"
    MONTH = "month"


class PeriodError(ValueError):
    def __init__(self, message: str, field: str):
        super().__init__(message)
        self.field = field


@dataclass(frozen=True)
class Period:
    first_month: str   # "2025-01"
    last_month: str    # "2025-12"
    step: Step

    @property
    def buckets(self) -> list[str]:
        """Every bucket in the period, in order, whether or not anything happened in it."""
        seen: list[str] = []
        for month in months_between(self.first_month, self.last_month):
            key = bucket_of(month, self.step)
            if not seen or seen[-1] != key:
                seen.append(key)
        return seen

    @property
    def quarters(self) -> list[str]:
        return Period(self.first_month, self.last_month, Step.QUARTER).buckets

    @property
    def cover(self) -> list[str]:
        """The period as the fewest whole years, quarters and months: what a total over it adds up."""
        return cover(self.first_month, self.last_month)

    def whole_quarters(self) -> Period:
        """The quarters the period touches, whole: ratings are only ever given per quarter."""
        return Period(_widen(self.first_month, Step.QUARTER, False), _widen(self.last_month, Step.QUARTER, True),
                      Step.QUARTER)

    def query(self) -> dict[str, str]:
        """The period as query arguments, in the shortest form that names it."""
        first, last = self.first_month, self.last_month
        if self.step is not Step.MONTH and first.endswith("-01") and last.endswith("-12"):
            first, last = first[:4], last[:4]
        return {"from": first, "to": last, "by": self.step.value}


def months_between(first: str, last: str) -> list[str]:
    year, month = int(first[:4]), int(first[5:])
    months = []
    while f"{year:04d}-{month:02d}" <= last:
        months.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


def bucket_of(month: str, step: Step) -> str:
    if step is Step.YEAR:
        return month[:4]
    if step is Step.QUARTER:
        return f"{month[:4]}-Q{(int(month[5:]) + 2) // 3}"
    return month


def children(bucket: str) -> list[str]:
    """The buckets one level down: a year's quarters, a quarter's months; a month has none."""
    if len(bucket) == 4:
        return [f"{bucket}-Q{quarter}" for quarter in range(1, 5)]
    if "-Q" in bucket:
        first = (int(bucket[-1]) - 1) * 3 + 1
        return [f"{bucket[:4]}-{month:02d}" for month in range(first, first + 3)]
    return []


def tree(year: str) -> list[tuple[str, list[str]]]:
    """The sums a year holds: the year is its quarters, each quarter its months."""
    return [(parent, children(parent)) for parent in (year, *children(year))]


def cover(first: str, last: str) -> list[str]:
    """The months from first to last as the fewest whole years, quarters and months, in order."""
    months, found, at = months_between(first, last), [], 0
    while at < len(months):
        month = months[at]
        if month.endswith("-01") and at + 12 <= len(months):
            found.append(month[:4])
            at += 12
        elif (int(month[5:]) - 1) % 3 == 0 and at + 3 <= len(months):
            found.append(bucket_of(month, Step.QUARTER))
            at += 3
        else:
            found.append(month)
            at += 1
    return found


def bucket_sql(month_column, step: Step):
    """The same bucket as ``bucket_of``, computed by the database from a "YYYY-MM" column."""
    if step is Step.YEAR:
        return func.substr(month_column, 1, 4)
    if step is Step.QUARTER:
        quarter = (cast(func.substr(month_column, 6, 2), Integer) + 2) // 3
        return func.substr(month_column, 1, 4) + literal("-Q") + cast(quarter, String)
    return month_column


def label(bucket: str) -> str:
    """A bucket as a person reads it, in the page's language."""
    if "-Q" in bucket:
        year, quarter = bucket.split("-Q")
        return _("Q%(quarter)s %(year)s", quarter=quarter, year=year)
    if len(bucket) == 7:
        return format_date(date(int(bucket[:4]), int(bucket[5:]), 1), "MMM y")
    return bucket


def _month(value: str | None, field: str, end: bool) -> str | None:
    if not value:
        return None
    match = _YEAR.match(value.strip()) if value.isascii() else None
    if match is None:
        raise PeriodError(_("Give a year (2025) or a month (2025-03)."), field)
    year, month = int(match.group(1)), match.group(2)
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise PeriodError(_("Choose a year from %(first)s to %(last)s.", first=FIRST_YEAR, last=LAST_YEAR), field)
    if month is None:
        return f"{year:04d}-{12 if end else 1:02d}"
    if not 1 <= int(month) <= 12:
        raise PeriodError(_("Give a month from 01 to 12."), field)
    return f"{year:04d}-{month}"


def _widen(month: str, step: Step, end: bool) -> str:
    """Stretch a month to the start or end of its year or quarter, so every bucket is whole."""
    year, number = month[:4], int(month[5:])
    if step is Step.YEAR:
        return f"{year}-{12 if end else 1:02d}"
    if step is Step.QUARTER:
        first = (number - 1) // 3 * 3 + 1
        return f"{year}-{first + 2 if end else first:02d}"
    return month


def parse(first: str | None, last: str | None, step: str | None, *, for_reading: bool = True) -> Period:
    """A period from query arguments; anything missing is the agreement's years, counted by year.

    ``for_reading`` is the page and its downloads, where a period that ends before it starts is a
    mistake to point out and months are capped so the tables stay readable. The API takes the two
    ends in either order and any number of months."""
    if step and step not in Step.__members__.values():
        raise PeriodError(_("Choose to count by year, quarter or month."), "by")
    chosen = Step(step) if step else Step.YEAR
    first_month = _month(first, "from", end=False) or f"{AGREEMENT_YEARS[0]}-01"
    last_month = _month(last, "to", end=True) or f"{AGREEMENT_YEARS[1]}-12"
    if first_month > last_month:
        if for_reading:
            raise PeriodError(_("The period must end after it starts."), "to")
        # Each end read as the other: from 2026 to 2025 is 2025-01 to 2026-12.
        return parse(last or str(AGREEMENT_YEARS[1]), first or str(AGREEMENT_YEARS[0]), step, for_reading=False)
    first_month, last_month = _widen(first_month, chosen, False), _widen(last_month, chosen, True)
    period = Period(first_month, last_month, chosen)
    if for_reading and chosen is Step.MONTH and len(period.buckets) > MAX_MONTHS:
        raise PeriodError(_("Count by month over at most three years, or count by quarter or year."), "by")
    if for_reading and chosen is Step.QUARTER and len(period.buckets) > MAX_QUARTERS:
        raise PeriodError(_("Count by quarter over at most five years, or count by year."), "by")
    return period
