"""The language a text is written in, found offline when it is written.

lingua-language-detector ships its models inside the package, so nothing leaves the server. The detector
knows only the languages people here write in (the residents' languages and the interface's), which keeps
it small and makes it surer among them; it is built once per process, on first use (about a second).
lingua has no Tigrinya: a text mostly in Ethiopic script (Ge'ez) is taken as Tigrinya, the language
written in it by most people in these districts (Amharic shares the script).
"""
from __future__ import annotations

import threading
import unicodedata
from functools import cache

from flask import current_app, has_app_context

from app.translation.languages import DETECTED, is_known

# Fewer letters than this and any guess is a coin toss ("Ja!", "OK").
MIN_LETTERS = 6
# Under this many letters ("Eg er einig.", "Flott idé") lingua often names a neighbouring language with
# some confidence; only a near-certain answer (another script, Polish diacritics) counts there.
SHORT_LETTERS = 25
SHORT_CONFIDENCE = 0.9
# How much surer the best language must be than the next (lingua's relative distance): under it, None.
MIN_DISTANCE = 0.08
_LOCK = threading.Lock()


@cache
def _detector(high_accuracy: bool = False):
    """lingua's low-accuracy mode (trigrams only) takes about 25 MB and a quarter of a second to load; the
    high-accuracy mode about 380 MB per worker and several seconds, for surer answers on short texts
    (``LANGUAGE_DETECTION_HIGH_ACCURACY``)."""
    from lingua import IsoCode639_1, Language, LanguageDetectorBuilder

    languages = [Language.from_iso_code_639_1(getattr(IsoCode639_1, code.upper())) for code in DETECTED]
    builder = LanguageDetectorBuilder.from_languages(*languages).with_minimum_relative_distance(MIN_DISTANCE)
    return (builder if high_accuracy else builder.with_low_accuracy_mode()).build()


def _high_accuracy() -> bool:
    return bool(current_app.config.get("LANGUAGE_DETECTION_HIGH_ACCURACY")) if has_app_context() else False


def _ethiopic_share(text: str) -> tuple[int, int]:
    letters = [c for c in text if c.isalpha()]
    ethiopic = sum(1 for c in letters if "\u1200" <= c <= "\u139f" or "\u2d80" <= c <= "\u2ddf")
    return ethiopic, len(letters)


def detect_language(text: str) -> str | None:
    """The ISO 639-1 code of the language ``text`` is written in, or None when it is too short or unsure."""
    text = unicodedata.normalize("NFC", text or "")[:2000]   # a few paragraphs say as much as a whole essay
    ethiopic, letters = _ethiopic_share(text)
    if letters < MIN_LETTERS:
        return None
    if ethiopic * 2 > letters:
        return "ti"
    high = _high_accuracy()
    with _LOCK:   # one detector per process, shared by the worker's threads
        if letters < SHORT_LETTERS:
            best = _detector(high).compute_language_confidence_values(text)[0]
            found = best.language if best.value >= SHORT_CONFIDENCE else None
        else:
            found = _detector(high).detect_language_of(text)
    return found.iso_code_639_1.name.lower() if found is not None else None


def language_of(*parts: str | None, chosen: str | None = None) -> str | None:
    """The language of a text written in parts (a title and a body): the author's choice when they made
    one (a code we know), else what the parts read as together."""
    if chosen and is_known(chosen):
        return chosen
    return detect_language("\n".join(part for part in parts if part))
