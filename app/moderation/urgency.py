"""Does a text look urgent? Words about danger, violence, threats, someone trapped, "akutt", "haster".

Only ever a hint for a moderator, who decides (``services.set_urgent``): a list of words cannot tell
"the crossing is dangerous for children" from an emergency, so nothing is marked by itself.

The lists are per language, as residents write them. An entry ending in ``*`` is a stem and matches
every word that begins with it ("truss*": trussel, trusler); any other entry matches the whole word
only ("vold" but not "voldsom"; "brann" but not "brannbilen", which is mostly about parking). Words of a phrase may be split by any white space. A pair in ``TOGETHER``
counts when both halves occur in the text ("heis" and "sitter fast"): neither is urgent alone.

All lists are matched against every text (a resident may write in any of them), so an entry must not be an
ordinary word in another language: English "fire" is Norwegian for four ("klokka fire"), so it is listed only
in phrases ("on fire", "the fire"); Norwegian "fare" (danger) is an English bus fare and "faren" is also
"the father", so they come in phrases too ("i fare", "fare for"); Norwegian "ran" is English ("I ran
home"); and "gun*" would catch "gunstig".
"""
from __future__ import annotations

import re
from functools import lru_cache

WORDS: dict[str, tuple[str, ...]] = {
    "nb": (
        "akutt*", "haster", "hastesak", "nødsituasjon*", "livsfare*", "livsfarlig*", "farlig", "farlige", "i fare",
        "fare for", "faren for", "stor fare", "faretruende", "vold", "voldelig*", "voldtekt*", "truss*", "trusl*", "truet", "truer", "truende",
        "drap*", "drepe*", "kniv*", "våpen", "skudd*", "skyting*", "brann", "brannen", "brannfare*", "brannfarlig*", "brenner", "gasslekkasje*",
        "overdose*", "selvmord*", "ta livet av", "blør", "blødning*", "innestengt*", "fastklemt*", "mishandl*",
        "overgrep*", "slått ned", "ranet", "ran meg", "ran oss", "ran ham", "ran henne",
    ),
    "nn": (
        "akutt*", "hastar", "haster", "hastesak", "naudsituasjon*", "livsfare*", "livsfarleg*", "farleg", "farlege",
        "i fare", "fare for", "faren for", "stor fare", "vald", "valdeleg*", "valdtekt*", "trugsmål*", "truga", "trugar", "trugande", "truar",
        "drap*", "drepe*", "kniv*", "våpen", "skot", "skyting*", "brann", "brannen", "brannfare*", "brannfarleg*",
        "brenn", "gasslekkasje*", "overdose*",
        "sjølvmord*", "ta livet av", "blør", "bløding*", "innestengd*", "fastklemd*", "mishandl*", "overgrep*",
        "slått ned", "rana", "rante",
    ),
    "en": (
        "urgent*", "emergenc*", "danger*", "life-threatening", "violen*", "rape*", "threat*", "murder*", "kill*",
        "knife", "knives", "weapon*", "gun", "guns", "gunman", "gunmen", "gunfire", "gunshot*", "gunpoint", "shooting",
        "shot", "a fire", "the fire", "on fire", "fire in", "fires", "fire alarm*", "gas leak*", "overdose*",
        "suicid*", "bleeding", "trapped", "abuse*", "assault*", "attacked", "robbed", "robbery",
    ),
}

# Both halves, anywhere in the text: a broken lift is a nuisance; a lift with someone stuck in it is not.
TOGETHER: tuple[tuple[tuple[str, ...], tuple[str, ...]], ...] = (
    (("heis*", "lift*", "elevator*"),
     ("sitter fast", "sit fast", "satt fast", "sitt fast", "sitje fast", "stuck", "stengt inne", "sperret inne",
      "sperra inne", "kommer ikke ut", "kjem ikkje ut", "can't get out", "cannot get out")),
)


def _pattern(entry: str) -> str:
    stem = entry.endswith("*")
    words = [re.escape(word) for word in entry.rstrip("*").split()]
    return r"(?<!\w)" + r"\s+".join(words) + (r"\w*" if stem else r"(?!\w)")


@lru_cache(maxsize=1)
def _compiled() -> tuple[re.Pattern, list[tuple[re.Pattern, re.Pattern]]]:
    entries = sorted({entry for words in WORDS.values() for entry in words}, key=len, reverse=True)
    single = re.compile("|".join(_pattern(e) for e in entries), re.IGNORECASE)
    pairs = [(re.compile("|".join(_pattern(e) for e in first), re.IGNORECASE),
              re.compile("|".join(_pattern(e) for e in second), re.IGNORECASE)) for first, second in TOGETHER]
    return single, pairs


def urgent_words(text: str | None) -> list[str]:
    """The words that make a text look urgent, as written there, once each; empty when none do."""
    if not text:
        return []
    single, pairs = _compiled()
    found = [m.group(0) for m in single.finditer(text)]
    for first, second in pairs:
        a, b = first.search(text), second.search(text)
        if a and b:
            found += [a.group(0), b.group(0)]
    seen: dict[str, str] = {}
    for word in found:
        seen.setdefault(" ".join(word.lower().split()), " ".join(word.split()))
    return list(seen.values())


def looks_urgent(text: str | None) -> bool:
    return bool(urgent_words(text))
