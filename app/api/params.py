"""Query parameters of the API, read strictly.

A value the OpenAPI document does not allow is answered with 400 naming the
parameter, never ignored: a mistyped filter must not look like an answer.
Parameters the API does not know are ignored, as HTTP caches and tools add
their own. Each reader gives the value as the services take it.
"""
from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from datetime import date
from typing import TypeVar

from flask import request

from app.core.i18n import gettext as _
from app.core.params import MAX_INT, MAX_MICROS, positive_int
from app.districts.models import District, EffortArea
from app.districts.services import list_districts, list_effort_areas
from app.insights import periods
from app.insights.periods import Period, Step
from app.insights.services import ScopeError, choose_districts

SEARCH_MAX_LENGTH = 200  # what /ideas/ searches for, at most
_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
T = TypeVar("T")


class BadParameter(Exception):
    def __init__(self, name: str, detail: str):
        super().__init__(detail)
        self.name = name
        self.detail = detail


def _given(name: str) -> str | None:
    values = request.args.getlist(name)
    if len(values) > 1:
        raise BadParameter(name, _("Give %(name)s only once.", name=name))
    return values[0] if values else None


def _not_one_of(name: str, choices: Sequence[str]) -> BadParameter:
    return BadParameter(name, _("%(name)s must be one of: %(choices)s.", name=name, choices=", ".join(choices)))


def choice(name: str, choices: Sequence[str]) -> str | None:
    value = _given(name)
    if value is not None and value not in choices:
        raise _not_one_of(name, choices)
    return value


# Pages asked for by number skip rows (OFFSET): at most this many, so no page costs more than the first few.
# Beyond, a list is read by key: each answer's links.next and links.prev.
MAX_SKIPPED = 1000
# A page key as links.next and links.prev write it: "<value>.<id>", the value at most MAX_MICROS (a moment in
# microseconds since 1970, before the year 9999, or a number of supporters), the id at most MAX_INT.


def _at_most(most: int) -> str:
    """A regular expression of the whole numbers from 1 to ``most`` written plainly (no sign, no leading 0)."""
    digits, choices = str(most), [f"[1-9][0-9]{{0,{len(str(most)) - 2}}}"]
    for place, digit in enumerate(digits):
        lowest, rest = (1 if place == 0 else 0), len(digits) - place - 1
        if int(digit) > lowest:
            choices.append(digits[:place] + f"[{lowest}-{int(digit) - 1}]" + (f"[0-9]{{{rest}}}" if rest else ""))
    return "|".join([*choices, digits])


KEY_PATTERN = f"(0|{_at_most(MAX_MICROS)})[.]({_at_most(MAX_INT)})"
_KEY = re.compile(KEY_PATTERN)
KEYS = ("after", "before")


def max_page(per_page: int) -> int:
    return MAX_SKIPPED // per_page


def page(per_page: int) -> int:
    """The page asked for by number (1 when none is), up to ``max_page(per_page)``."""
    value = _given("page")
    if value is None:
        return 1
    number, most = positive_int(value), max_page(per_page)
    if number is None:
        raise BadParameter("page", _("%(name)s must be a whole number from 1 to %(max)d.", name="page", max=most))
    if number > most:
        raise BadParameter("page", _("Pages after %(max)d are read by key: follow links.next from the page before.",
                                     max=most))
    return number


def key(parse: Callable[[str], T | None]) -> tuple[T | None, T | None]:
    """The key of the page asked for, as (after, before); neither when the page is asked for by number. A key is
    only what links.next and links.prev give: anything else is refused. ``after`` wins over ``before``, and a key
    over ``page``."""
    found: dict[str, T | None] = {}
    for name in KEYS:
        value = _given(name)
        if value is None:
            found[name] = None
            continue
        parsed = parse(value) if _KEY.fullmatch(value) else None
        if parsed is None:
            raise BadParameter(name, _("%(name)s must be a key from links.next or links.prev of this list.", name=name))
        found[name] = parsed
    if found["after"] is not None:   # the description says which wins: after, then before, then page
        return found["after"], None
    return None, found["before"]


def district() -> District | None:
    slug = _given("district")
    if slug is None:
        return None
    districts = list_districts()
    found = next((d for d in districts if d.slug == slug), None)
    if found is None:
        raise _not_one_of("district", [d.slug for d in districts])
    return found


def effort_area() -> EffortArea | None:
    value = _given("area")
    if value is None:
        return None
    areas = list_effort_areas()
    found = next((a for a in areas if str(a.number) == value), None)
    if found is None:
        raise _not_one_of("area", [str(a.number) for a in areas])
    return found


def search() -> str | None:
    value = _given("q")
    if value is not None and len(value) > SEARCH_MAX_LENGTH:
        raise BadParameter("q", _("%(name)s can be at most %(max)d characters long.", name="q", max=SEARCH_MAX_LENGTH))
    return (value or "").strip() or None


def day(name: str) -> date | None:
    value = _given(name)
    if value is None:
        return None
    try:
        if not _DAY.fullmatch(value):
            raise ValueError(value)
        return date.fromisoformat(value)
    except ValueError:
        raise BadParameter(name, _("%(name)s must be a date written as YYYY-MM-DD.", name=name)) from None


def districts() -> tuple[list[District], bool]:
    """Several districts (``district`` given again for each), or all of them when none is;
    and whether that is all of them."""
    slugs = request.args.getlist("district")
    if len(set(slugs)) < len(slugs):  # the description says each at most once: a repeat may be a mistake
        raise BadParameter("district", _("Give each district only once."))
    try:
        chosen, every = choose_districts(slugs)
    except ScopeError:
        raise _not_one_of("district", [d.slug for d in list_districts()]) from None
    return chosen, len(chosen) == len(every)


def period() -> Period:
    """Whole years, quarters or months, as /insights/ counts them; the two ends in either order."""
    step = choice("by", [s.value for s in Step])
    ends = {name: _given(name) for name in ("from", "to")}
    for name, value in ends.items():
        if value == "":  # the page's form sends an empty end for "the agreement's years"; a program leaves it out
            raise BadParameter(name, _("Give a year (2025) or a month (2025-03)."))
    try:
        return periods.parse(ends["from"], ends["to"], step, for_reading=False)
    except periods.PeriodError as problem:
        raise BadParameter(problem.field, str(problem)) from None


def flag(name: str) -> bool:
    value = choice(name, ("true", "false"))
    return value == "true"
