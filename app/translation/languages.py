"""The languages a text may be written in (more than the interface speaks), their names and directions."""
from __future__ import annotations

from functools import cache

from babel import Locale, UnknownLocaleError

from app.core import languages

# Offered in "Language of your text" and accepted from it: the interface's languages first, then the
# languages most often written here. Detection may find a few more (app/translation/detect.py).
WRITTEN = ("nb", "nn", "en", "ar", "so", "ti", "pl", "uk", "fa", "ur", "es", "fr", "de", "sv", "da", "ru", "tr",
           "sw")
# ISO 639-1 codes lingua may find a text to be in (app/translation/detect.py; "ti" is found by its script).
# Not Danish: it took short Bokmål for Danish, and a Danish text read as Bokmål is read by everyone here
# (an author who writes Danish can still choose it).
DETECTED = ("nb", "nn", "en", "ar", "so", "pl", "uk", "fa", "ur", "es", "fr", "de", "sv", "ru", "tr",
            "sw", "it", "pt", "lt", "ro", "vi", "th", "zh")
_DETECTABLE = frozenset(DETECTED) | {"ti"}
# Bokmål and Nynorsk readers read each other's texts: no translation is offered between them.
_READ_ALIKE = {"nn": "nb", "no": "nb"}


@cache
def _locale(code: str) -> Locale | None:
    try:
        return Locale.parse(code)
    except (UnknownLocaleError, ValueError):
        return None


def is_known(code: str | None) -> bool:
    return bool(code) and (code in WRITTEN or code in _detected())


def _detected() -> frozenset[str]:
    return _DETECTABLE


def own_name(code: str) -> str:
    """The language's name in itself ("العربية", "Soomaali"), as someone who writes it looks for it."""
    locale = _locale(code)
    name = locale.get_display_name(locale) if locale is not None else None
    return (name[:1].upper() + name[1:]) if name else code


def direction(code: str | None) -> str:
    """"rtl" or "ltr" for any code (the registry's, which also knows content-only languages such as "fa")."""
    return languages.direction(code)


def read_alike(code: str | None) -> str | None:
    return _READ_ALIKE.get(code, code) if code else code


def same_language(one: str | None, other: str | None) -> bool:
    return read_alike(one) == read_alike(other)
