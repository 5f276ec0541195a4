"""Languages: choosing the locale, and formatting for it.

Order: ``?lang=`` (then remembered in a cookie), the cookie, the account's
preference (Bokmål when that language has been switched off), ``Accept-Language``
(``no`` and ``nb-NO`` mean Bokmål), ``nb``. Which languages there are is
``app/core/languages.py``.
"""
from __future__ import annotations

import re
from datetime import date, datetime, time
from typing import Literal

from babel import dates, numbers
from flask import g, request
from flask_babel import (  # noqa: F401  (re-exported: one import site)
    get_locale,
    get_timezone,
    gettext,
    lazy_gettext,
    ngettext,
    to_user_timezone,
)
from flask_login import current_user

from app.core import languages, settings
from app.core.db import OSLO

LANG_COOKIE = "lang"
# Accept-Language tags that mean one of ours under another name ("no" is Norwegian, written in Bokmål
# by most; "nob"/"nno" are the three-letter codes). Any other tag counts by its primary subtag: ar-SA is ar.
_ALIASES = {"no": "nb", "nob": "nb", "nno": "nn"}


def supported() -> tuple[str, ...]:
    """The codes of the languages offered right now."""
    return languages.offered_codes()


def requested_locale() -> str | None:
    """A valid ``?lang=`` on this request, if any."""
    lang = request.args.get("lang", "")
    return lang if lang in supported() else None


def choose_language(asked: str | None, cookie: str | None, account: str | None, accept,
                    languages: tuple[str, ...], default: str) -> str:
    """The rule: the first of ``asked``, ``cookie`` and ``account`` we have; else ``Accept-Language`` in
    the order the browser prefers them, a regional tag (ar-SA) counting as its language; else ``default``.
    An account whose language has been switched off gets ``default``, not the browser's guess."""
    for candidate in preference_order(asked, cookie, account, accept, languages, default):
        if candidate in languages:
            return candidate
    return default


def preference_order(asked: str | None, cookie: str | None, account: str | None, accept,
                     languages: tuple[str, ...], default: str) -> tuple[str, ...]:
    """The languages of ``languages`` a visitor would take, best first, up to ``default`` (which is always
    offered). The page cache keys pages by this, outside a request and without knowing which languages an
    administrator has switched off: the first of these that is on is the page's language."""
    order: list[str] = []
    chosen = [asked, cookie, account]
    if account:
        chosen.append(default)   # an account's language switched off: Bokmål, not the browser's guess
    for tag, _quality in sorted(accept, key=lambda item: -item[1]):
        primary = tag.replace("_", "-").split("-")[0].lower()
        chosen.append(_ALIASES.get(primary, primary))
    chosen.append(default)
    for candidate in chosen:
        if candidate in languages and candidate not in order:
            order.append(candidate)
            if candidate == default:
                break
    return tuple(order)


def select_locale() -> str:
    lang = requested_locale() or request.cookies.get(LANG_COOKIE)
    if lang in supported():
        return lang
    account = current_user.locale if current_user and current_user.is_authenticated else None
    return choose_language(None, None, account, request.accept_languages, supported(),
                           settings.get("BABEL_DEFAULT_LOCALE"))


def remember_locale(response):
    lang = requested_locale()
    if lang and request.cookies.get(LANG_COOKIE) != lang:
        response.set_cookie(
            LANG_COOKIE, lang, max_age=365 * 24 * 3600, samesite="Lax", httponly=True,
            secure=settings.get("SESSION_COOKIE_SECURE", False),
        )
    return response


def current_locale() -> str:
    return str(get_locale() or settings.get("BABEL_DEFAULT_LOCALE"))


def html_lang() -> str:
    return current_locale()


def current_language() -> languages.Language | None:
    return languages.get(current_locale())


def current_direction() -> str:
    """"rtl" or "ltr": the direction of the page's language (``<html dir>``)."""
    return languages.direction(current_locale())


def localized(obj, field: str, locale: str | None = None) -> str:
    """``obj.<field>_<locale>``, falling back to Bokmål, the agreement's language."""
    locale = locale or current_locale()
    value = getattr(obj, f"{field}_{locale}", None)
    return value or getattr(obj, f"{field}_nb")


# Dates and times go through these, not flask_babel's: English is shown the way a Norwegian site
# writes it, British with a 24-hour clock ("Saturday 19 December 2026, 12:00"), not American
# ("Saturday, December 19, 2026, 12:00 PM"). Always in the site's time zone (Europe/Oslo).
_FULL_DATE = {"en": "EEEE d MMMM y"}


def _date_locale() -> str:
    locale = current_locale()
    return "en_GB" if locale == "en" else locale


def format_date(value: date | datetime, format: str = "medium") -> str:
    if isinstance(value, datetime):
        value = to_user_timezone(value).date()  # the day it is in Oslo, not in UTC
    if format == "full":
        format = _FULL_DATE.get(current_locale(), format)
    return dates.format_date(value, format, locale=_date_locale())


_NAMED: tuple[Literal["short", "medium", "long", "full"], ...] = ("short", "medium", "long", "full")
_DAY_PERIOD = re.compile(r"[\s\u202f\xa0]*(?<![A-Za-z'])[abB]+(?![A-Za-z'])[\s\u202f\xa0]*")


def _clock(pattern: str) -> str:
    """A time pattern on the 24-hour clock: Arabic, Somali and Tigrinya write "5:00 PM" by default, but
    times here sit beside Oslo's timetables and posters, which all use 17:00."""
    if not re.search(r"[hK]", pattern):
        return pattern
    pattern = _DAY_PERIOD.sub(" ", pattern).strip().replace("h", "H").replace("K", "H")
    return re.sub(r"(?<!H)H(?!H)", "HH", pattern)   # 09:00, as everywhere else on the site


def format_datetime(value: datetime, format: str = "medium") -> str:
    if format not in _NAMED:
        return dates.format_datetime(value, format, tzinfo=get_timezone(), locale=_date_locale())
    local = to_user_timezone(value)
    # as Babel joins a named date and time, with the time on the 24-hour clock
    return (str(dates.get_datetime_format(format, locale=_date_locale())).replace("'", "")
            .replace("{0}", format_time(local, format))
            .replace("{1}", dates.format_date(local, format, locale=_date_locale())))


def format_time(value: datetime | time, format: str = "medium") -> str:
    if isinstance(value, datetime):
        value = to_user_timezone(value)
    if format in _NAMED:
        format = _clock(dates.get_time_format(format, locale=_date_locale()).pattern)
    return dates.format_time(value, format, locale=_date_locale())


# Numbers in Western (Latin) digits in every language, Arabic too: counts and shares sit beside codes,
# house numbers, dates and phone numbers written in those digits, and mixing two digit systems in one line
# of right-to-left text makes it hard to read. (CLDR's Arabic already defaults to them; asking for them
# keeps it so for any regional variant whose default is Arabic-Indic digits.)
def format_decimal(number, format: str | None = None) -> str:
    return numbers.format_decimal(number, format=format, locale=current_locale(), numbering_system="latn")


def format_percent(number, format: str | None = None) -> str:
    return numbers.format_percent(number, format=format, locale=current_locale(), numbering_system="latn")


def format_when(value: datetime | None, format: str = "medium") -> str:
    return "" if value is None else format_datetime(value, format)


def format_day(value: datetime | None, format: str = "long") -> str:
    return "" if value is None else format_date(value, format)


def _day_and_time(day: str, clock: str) -> str:
    """A day and a time joined the language's way: "…, 18:00" in most, "…، 18:00" in Arabic."""
    return str(dates.get_datetime_format("medium", locale=_date_locale())).replace("'", "").replace(
        "{1}", day).replace("{0}", clock)


def format_period(start: datetime, end: datetime) -> str:
    """An event's time in Oslo, e.g. "torsdag 3. desember 2026, 18:00–20:00" or, in English,
    "Thursday 3 December 2026, 18:00–20:00"."""
    same_day = start.astimezone(OSLO).date() == end.astimezone(OSLO).date()
    first = _day_and_time(format_date(start, 'full'), format_time(start, 'short'))
    if same_day:
        return f"{first}–{format_time(end, 'short')}"
    return f"{first} – {_day_and_time(format_date(end, 'full'), format_time(end, 'short'))}"


def format_moment(value: datetime | None) -> str:
    """When something was written, the way the rest of the site writes dates, with the Oslo time:
    "6. desember 2026, 17:43" / "6 December 2026, 17:43" (not "06.12.2026, 17:43" or "06/12/2026")."""
    return "" if value is None else _day_and_time(format_date(value, 'long'), format_clock(value))


def format_weekday(value: datetime) -> str:
    """The Oslo weekday of a moment ("tirsdag", "tysdag", "Tuesday")."""
    return format_date(value, "EEEE")


def format_clock(value: datetime) -> str:
    """The Oslo time of day on the 24-hour clock a Norwegian site uses, in every language ("18:00")."""
    return format_time(value, "HH:mm")


def format_short_day(value: datetime, weekday: bool = False) -> str:
    """Day and short month in Oslo, in the language's own order ("8. des.", "8 Dec"); with ``weekday``
    also the short weekday ("tir. 8. des.", "Tue 8 Dec")."""
    return dates.format_skeleton("MMMEd" if weekday else "MMMd", to_user_timezone(value), locale=_date_locale())


def init_app(app) -> None:
    app.after_request(remember_locale)
    app.jinja_env.globals.update(
        current_locale=current_locale,
        current_direction=current_direction,
        current_language=current_language,
        offered_languages=languages.offered,
        interface_language=languages.get,
        localized=localized,
    )
    app.jinja_env.filters.update(when=format_when, day=format_day, period=format_period, weekday=format_weekday,
                                 clock=format_clock, short_day=format_short_day, moment=format_moment)

    @app.before_request
    def _locale_for_g():
        g.lang_requested = requested_locale()
