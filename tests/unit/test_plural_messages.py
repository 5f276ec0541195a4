"""A sentence that counts days, hours, minutes, times or seats is a plural entry (ngettext): Polish and
Ukrainian say "2 godziny" but "5 godzin", "22 godziny", so one form cannot be right for every number."""
from __future__ import annotations

import re
from pathlib import Path

from babel.messages.pofile import read_po

CATALOGUE = Path(__file__).resolve().parents[2] / "translations" / "messages.pot"
# ("Repeat for between 1 and %(max)d weeks." names a fixed limit, 26, in a range: its translator writes it once.)
COUNTED = re.compile(r"%\(\w+\)d (?:more )?(?:days?|hours?|minutes?|times?|seats?)\b")


def test_sentences_that_count_are_plural_entries():
    with CATALOGUE.open("rb") as source:
        catalogue = read_po(source)
    single = [message.id for message in catalogue
              if message.id and not message.pluralizable and COUNTED.search(message.id)]
    assert single == [], f"use ngettext for these (the number decides the word's form): {single}"
