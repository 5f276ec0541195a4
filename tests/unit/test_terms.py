"""One word for each thing, in every catalogue: the terms residents meet are the plain ones chosen in
translations/README.md, and the Nynorsk catalogue follows one norm."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]

# (pattern in a translation, what to say instead): retired everywhere in nb and nn.
RETIRED = [
    (r"støttespill|støttespel", "supporters are “støtter”"),
    (r"\bkarakter", "the 1–5 scores are a “vurdering”"),
    (r"norsk bokmål", "a spoken language is “Norsk”"),
]
# Nynorsk: "bli – blir – vart – blitt" and "gi – gir – gav – gitt".
RETIRED_NN = [
    (r"\b(vert|verte|vorte|blei)\b", "Nynorsk uses “blir”"),
    (r"\b(gje|gjev|gjeve|gjevne)\b", "Nynorsk uses “gi”"),
    (r"\bviss\b", "Nynorsk uses “dersom”"),
]
REPORT = re.compile(r"\breports?\b|\breported\b|\breporting\b", re.IGNORECASE)
REPORT_NOUN_MELDING = re.compile(r"\bmelding(en|er|ene|a|ar|ane)?\b", re.IGNORECASE)


def _messages(locale):
    with (ROOT / "translations" / locale / "LC_MESSAGES" / "messages.po").open("rb") as f:
        for message in read_po(f, locale=locale):
            if message.id:
                ids = message.id if isinstance(message.id, tuple) else (message.id,)
                strings = message.string if isinstance(message.string, tuple) else (message.string,)
                yield ids[0], " ".join(strings)


@pytest.mark.parametrize("locale", ["nb", "nn"])
def test_retired_terms_are_gone(locale):
    rules = RETIRED + (RETIRED_NN if locale == "nn" else [])
    found = [(msgid, why) for msgid, text in _messages(locale) for pattern, why in rules
             if re.search(pattern, text, re.IGNORECASE)]
    assert not found, f"{locale}: {found[:5]}"


@pytest.mark.parametrize("locale", ["nb", "nn"])
def test_a_report_about_content_is_a_rapport_not_a_melding(locale):
    found = [msgid for msgid, text in _messages(locale) if REPORT.search(msgid) and REPORT_NOUN_MELDING.search(text)]
    assert not found, f"{locale}: {found[:5]}"


@pytest.mark.parametrize("locale", ["nb", "nn"])
def test_the_scores_have_one_name_and_a_second_look_another(locale):
    messages = dict(_messages(locale))
    assert "vurdering" in messages["Ratings"].lower()
    assert "vurdering" in messages["Write something or give at least one rating."]
    reviews = [msgid for msgid, text in messages.items() if re.search(r"\breview\b", msgid, re.I) and "vurdering" in text]
    assert not reviews, f"{locale}: a review is not a rating: {reviews[:3]}"
    assert messages["%(num)d supporter"].split() == ["%(num)d", "støtte", "%(num)d", "støtter"]


def test_the_nynorsk_norm_is_written_down():
    readme = (ROOT / "translations" / "README.md").read_text(encoding="utf-8")
    assert "blir" in readme and "vart" in readme and "gi" in readme and "rapport" in readme and "vurdering" in readme
