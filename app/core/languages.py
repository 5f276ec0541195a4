"""The interface languages: which are installed, which are on, and what each is called.

One home: ``LANGUAGES`` in ``config.py``, one line per language (code, its name in its own language and
script, direction, shown in the switcher). Adding a language is its catalogue
(``translations/<code>/LC_MESSAGES/messages.po``) and that line, no code. An administrator may switch an
installed language off in ``/admin/settings`` (``LANGUAGES_OFF``); the default language (Bokmål) never.

Whether a catalogue has been checked by a native speaker is read from its compiled header: a catalogue
that has not been carries ``Language-Team: <code> (not checked by a native speaker)``.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

from babel import Locale, UnknownLocaleError
from babel.support import Translations
from flask import current_app, has_request_context
from sqlalchemy.exc import SQLAlchemyError

from app.core import settings

Direction = Literal["ltr", "rtl"]
NOT_CHECKED = "not checked by a native speaker"


@dataclass(frozen=True)
class Language:
    code: str
    name: str              # in its own language and script
    direction: Direction
    in_switcher: bool
    checked: bool          # its catalogue has been checked by a native speaker


def default_code() -> str:
    return settings.configured("BABEL_DEFAULT_LOCALE") or "nb"


def installed() -> tuple[Language, ...]:
    """Every language configured, on or off."""
    return _installed(tuple(tuple(line) for line in current_app.config["LANGUAGES"]), _directories())


def installed_codes() -> tuple[str, ...]:
    return tuple(language.code for language in installed())


def switched_off() -> frozenset[str]:
    """Codes an administrator has switched off; never the default language."""
    try:
        off = settings.get("LANGUAGES_OFF")
    except SQLAlchemyError:
        # The database is away: every page (the outage page too) still needs its language, so the
        # configured ones, and the rest of the request does not ask the database for settings again.
        if has_request_context():
            settings.forget_overrides()
        off = settings.configured("LANGUAGES_OFF")
    return frozenset(off or ()) - {default_code()}


def offered() -> tuple[Language, ...]:
    """The languages on right now: the configured ones minus those an administrator switched off."""
    off = switched_off()
    return tuple(language for language in installed() if language.code not in off)


def offered_codes() -> tuple[str, ...]:
    return tuple(language.code for language in offered())


def get(code: str | None) -> Language | None:
    """An installed language (on or off) by its code."""
    return next((language for language in installed() if language.code == code), None)


def usable(code: str | None) -> str:
    """``code`` when it is offered, else the default language: what a page or a mail for someone who
    chose a language that has since been switched off is written in."""
    return code if code in offered_codes() else default_code()


def direction(code: str | None) -> Direction:
    """"rtl" or "ltr" for any language code, also one the interface does not speak (text written in
    Persian on a Bokmål page): the configured direction, else what Babel knows of the language."""
    language = get(code) if code else None
    if language is not None:
        return language.direction
    return _babel_direction(code or "")


@lru_cache(maxsize=256)
def _babel_direction(code: str) -> Direction:
    try:
        order = Locale.parse(code.replace("-", "_")).character_order
    except (ValueError, TypeError, UnknownLocaleError):
        return "ltr"
    return "rtl" if order == "right-to-left" else "ltr"


def _directories() -> tuple[str, ...]:
    directories = current_app.config.get("BABEL_TRANSLATION_DIRECTORIES", "translations")
    return tuple(directories.split(";")) if isinstance(directories, str) else tuple(directories)


@lru_cache(maxsize=8)
def _installed(lines: tuple[tuple, ...], directories: tuple[str, ...]) -> tuple[Language, ...]:
    return tuple(Language(code=code, name=name, direction=dir_, in_switcher=bool(shown),
                          checked=is_checked(code, directories))
                 for code, name, dir_, shown in lines)


def is_checked(code: str, directories: tuple[str, ...]) -> bool:
    """Whether the compiled catalogue of ``code`` says it has been checked by a native speaker. A language
    without a compiled catalogue (Bokmål, whose messages may all be the English ones) counts as checked:
    nothing says otherwise."""
    for directory in directories:
        catalogue = Translations.load(directory, [code])
        if isinstance(catalogue, Translations):
            return NOT_CHECKED not in catalogue.info().get("language-team", "")
    return True
