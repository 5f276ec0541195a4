"""A stand-in for the address register's search API, for development and tests: it answers
``GET <base>/sok?sok=...`` in the same JSON shape as Kartverket's ``adresser/v1/sok``, from the
addresses in ``addresses.json`` (real streets of Lademoen, Møllenberg, Tempe-Sorgenfri and a few
outside them; the points are invented but lie inside the seeded boundaries).

``make_app(mode)`` is the WSGI application a test serves on loopback (tests/places_fixtures.py):
``normal`` answers, ``hanging`` never answers until ``release`` is set, ``garbage`` answers HTML with
status 200. ``answer(params)`` is the same search without HTTP, used when ``GEOCODER_URL = "fixture:"``.
"""
from __future__ import annotations

import json
import threading
import unicodedata
from functools import cache
from pathlib import Path
from urllib.parse import parse_qs

FIXTURE = Path(__file__).with_name("addresses.json")


@cache
def addresses() -> list[dict]:
    return json.loads(FIXTURE.read_text(encoding="utf-8"))["adresser"]


def _folded(text: str) -> str:
    """Lower case without accents, as Kartverket's ``asciiKompatibel`` search treats them (ø stays ø)."""
    text = unicodedata.normalize("NFKD", text.casefold())
    return " ".join("".join(c for c in text if not unicodedata.combining(c)).replace(",", " ").split())


def answer(params: dict) -> dict:
    """The search's JSON answer: every address whose text (with postcode and place) holds each typed word."""
    words = _folded(str(params.get("sok", ""))).split()
    try:
        per_page = max(1, min(int(params.get("treffPerSide", 10)), 100))
    except (TypeError, ValueError):
        per_page = 10
    hits = [
        a for a in addresses()
        if words and all(
            any(part.startswith(w) for part in _folded(f"{a['adressetekst']} {a['postnummer']} {a['poststed']}").split())
            for w in words
        )
    ]
    return {
        "metadata": {"side": 0, "treffPerSide": per_page, "totaltAntallTreff": len(hits), "viserFra": 0,
                     "viserTil": min(len(hits), per_page), "sokeStreng": str(params.get("sok", ""))},
        "adresser": hits[:per_page],
    }


def make_app(mode: str = "normal", release: threading.Event | None = None, requests: list | None = None):
    """A WSGI app answering ``.../sok``; ``requests`` (when given) collects each request's query string, so a
    test can see exactly what was sent."""
    release = release or threading.Event()

    def app(environ, start_response):
        query = environ.get("QUERY_STRING", "")
        if requests is not None:
            requests.append({"path": environ.get("PATH_INFO", ""), "query": query,
                             "cookie": environ.get("HTTP_COOKIE"), "referer": environ.get("HTTP_REFERER")})
        if not environ.get("PATH_INFO", "").endswith("/sok"):
            start_response("404 Not Found", [("Content-Type", "text/plain")])
            return [b"not found"]
        if mode == "hanging":
            release.wait(30)
            start_response("504 Gateway Timeout", [("Content-Type", "text/plain")])
            return [b"too late"]
        if mode == "garbage":
            start_response("200 OK", [("Content-Type", "text/html")])
            return [b"<html><body>Vedlikehold {\"adresser\": </body></html>"]
        params = {k: v[0] for k, v in parse_qs(query).items()}
        body = json.dumps(answer(params), ensure_ascii=False).encode("utf-8")
        start_response("200 OK", [("Content-Type", "application/json; charset=utf-8"),
                                  ("Content-Length", str(len(body)))])
        return [body]

    return app
