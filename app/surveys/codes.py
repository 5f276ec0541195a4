"""One-time survey codes: making them, hashing them, and the CSV and printable sheet they go out on.

A code is typed from a letter, so it is short and has no characters to misread (no 0/O, no 1/I): ten
characters from 32, 50 bits, shown as two groups of five. Only an HMAC of it with the secret key is
stored: a copy of the database alone gives no code, and with thousands of codes out a guess still has
about one chance in a hundred billion.
"""
from __future__ import annotations

import csv
import secrets
import unicodedata
from pathlib import Path

from markupsafe import Markup, escape

from app.core import settings
from app.core.files import private_file
from app.core.qr import qr_svg
from app.core.secret_links import token_for

ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
LENGTH = 10
GROUP = 5


def new_codes(count: int) -> list[str]:
    made: set[str] = set()
    while len(made) < count:
        raw = "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))
        made.add(f"{raw[:GROUP]}-{raw[GROUP:]}")
    return sorted(made)


def normalise(code: str) -> str:
    """What was typed, as stored: case, spaces and dashes of any kind (a phone may turn - into –) do not matter."""
    return "".join(c for c in (code or "") if not c.isspace() and unicodedata.category(c) != "Pd").upper()


def code_hash(code: str) -> str:
    """The code keyed with the secret key, as a secret link's token is made from its nonce."""
    return token_for("survey-code", normalise(code))


def answer_url(round_id: int, code: str) -> str:
    """Where a code leads: the round's page with the code filled in."""
    return f"{settings.get('BASE_URL').rstrip('/')}/surveys/{round_id}/code/{code}"


def write_sheets(folder: Path, stem: str, round_id: int, district_slug: str, title: str,
                 codes: list[str]) -> tuple[Path, Path]:
    """``<stem>.csv`` (code, district, URL: for a print shop's mail merge) and ``<stem>.html`` (a printable
    sheet of slips, each with its QR code). The files hold codes that open the survey: for the owner alone."""
    csv_path = private_file(folder / f"{stem}.csv")
    with csv_path.open("w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(["code", "district", "url"])
        for code in codes:
            writer.writerow([code, district_slug, answer_url(round_id, code)])
    html_path = private_file(folder / f"{stem}.html")
    slips = Markup("\n").join(_slip(title, round_id, code) for code in codes)
    html_path.write_text(_SHEET.format(title=escape(title), district=escape(district_slug), slips=slips),
                         encoding="utf-8")
    return csv_path, html_path


# The slip is printed in Bokmål, as the sheet is (the survey itself opens in the reader's language).
HOW_TO_ANSWER = "Skann koden med mobilen, eller gå til adressen og skriv inn koden. Koden kan brukes én gang."


def _slip(title: str, round_id: int, code: str) -> Markup:
    url = answer_url(round_id, code)
    return Markup(
        '<section class="slip">{qr}<div><p class="title">{title}</p><p class="how">{how}</p>'
        '<p class="url">{base}</p><p class="code">{code}</p></div></section>'
    ).format(how=HOW_TO_ANSWER, qr=qr_svg(url), title=title, base=url.rsplit("/code/", 1)[0], code=code)


# Plain print styles, no script and nothing fetched: eight slips to an A4 page, cut along the lines.
_SHEET = """<!doctype html>
<html lang="nb">
<head>
<meta charset="utf-8">
<title>{title} – {district}</title>
<style>
  @page {{ size: A4; margin: 10mm; }}
  body {{ font-family: sans-serif; margin: 0; }}
  main {{ display: grid; grid-template-columns: repeat(auto-fill, minmax(85mm, 1fr)); gap: 0; }}
  .slip {{ display: flex; gap: 4mm; align-items: center; padding: 5mm; height: 62mm; box-sizing: border-box;
           border: 1px dashed #999; break-inside: avoid; }}
  .slip svg {{ width: 36mm; height: 36mm; flex: none; }}
  .title {{ font-weight: bold; margin: 0 0 2mm; }}
  .how {{ font-size: 10pt; margin: 0 0 2mm; }}
  .url {{ font-size: 9pt; margin: 0 0 2mm; word-break: break-all; }}
  .code {{ font-family: monospace; font-size: 16pt; letter-spacing: 1px; margin: 0; }}
</style>
</head>
<body>
<main>
{slips}
</main>
</body>
</html>
"""
