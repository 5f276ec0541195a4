"""English is the source language: fill each empty English msgstr with its msgid.

Run by ``make translations`` after the catalogues are updated; a message
whose English wording should differ from its msgid can be edited by hand and
is left alone.
"""
import sys
from pathlib import Path

from babel.messages.pofile import read_po, write_po

path = Path(__file__).with_name("en") / "LC_MESSAGES" / "messages.po"
with path.open("rb") as f:
    catalog = read_po(f, locale="en")
filled = 0
for message in catalog:
    if not message.id:
        continue
    if isinstance(message.id, tuple):
        if not all(message.string):
            message.string = tuple(message.id)
            filled += 1
    elif not message.string:
        message.string = message.id
        filled += 1
    message.flags.discard("fuzzy")
with path.open("wb") as f:
    write_po(f, catalog, width=76)
print(f"en: filled {filled} messages", file=sys.stderr)
