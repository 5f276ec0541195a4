"""A stand-in for a LibreTranslate server, for development and tests.

``make_app(mode)`` is the WSGI application a test serves on loopback (tests/translation_fixtures.py). It
answers ``GET /languages`` and ``POST /translate`` in LibreTranslate's shapes; ``received`` (when given)
collects every text sent to it, so a test can see exactly what left the site. Modes: ``normal``
translates; ``slow`` answers only when ``release`` is set (or after 30 s); ``down`` answers 503;
``garbage`` answers HTML with status 200. ``translated`` is the same translation without HTTP, used when
``TRANSLATE_URL = "fixture:"``.

Translations are deterministic: "[en] " and the text, so a test knows what to expect. Tigrinya is not
offered (as on a real LibreTranslate today), so pages meet a language the service cannot translate.
``source: "auto"`` is answered as LibreTranslate answers it: the service guesses each text's language
(here: Bokmål, unless the text starts with "[xx] ", as a translation by this server does) and gives it in
``detectedLanguage``; a text already in the target language comes back unchanged.
"""
from __future__ import annotations

import json
import threading

CODES = ("en", "nb", "ar", "so", "pl", "uk", "fa", "ur", "es", "fr", "de", "sv", "da", "ru", "tr")


def languages() -> list[dict]:
    return [{"code": code, "name": code, "targets": [other for other in CODES if other != code]} for code in CODES]


AUTO = "auto"


def detected(text: str) -> str:
    """The language this server "finds" in a text sent with ``source: "auto"``."""
    prefix = text[1:3]
    return prefix if text.startswith("[") and text[3:5] == "] " and prefix in CODES else "nb"


def translated(text: str, source: str, target: str) -> str:
    if source == AUTO:
        source = detected(text)
    return text if source == target else f"[{target}] {text}"


def make_app(mode: str = "normal", release: threading.Event | None = None, received: list | None = None,
             api_key: str | None = None):
    """``received`` gets one dict per text sent: text, source, target, and ``request`` (the how-manieth
    translate request it came in, from 1), so a test can count the calls."""
    release = release or threading.Event()
    calls = [0]

    def answer(start_response, status: str, data) -> list[bytes]:
        body = json.dumps(data, ensure_ascii=False).encode("utf-8")
        start_response(status, [("Content-Type", "application/json"), ("Content-Length", str(len(body)))])
        return [body]

    def app(environ, start_response):
        path = environ.get("PATH_INFO", "")
        if mode == "slow":
            release.wait(30)
        if mode == "down":
            start_response("503 Service Unavailable", [("Content-Type", "text/plain")])
            return [b"down for maintenance"]
        if mode == "garbage":
            start_response("200 OK", [("Content-Type", "text/html")])
            return [b"<html><body>Vedlikehold {\"translatedText\": </body></html>"]
        if path.endswith("/languages") and environ.get("REQUEST_METHOD") == "GET":
            return answer(start_response, "200 OK", languages())
        if not path.endswith("/translate") or environ.get("REQUEST_METHOD") != "POST":
            return answer(start_response, "404 Not Found", {"error": "Not found"})
        try:
            length = int(environ.get("CONTENT_LENGTH") or 0)
            data = json.loads(environ["wsgi.input"].read(length))
        except (ValueError, KeyError):
            return answer(start_response, "400 Bad Request", {"error": "Invalid request"})
        if api_key is not None and data.get("api_key") != api_key:
            return answer(start_response, "403 Forbidden", {"error": "Invalid API key"})
        texts = data.get("q")
        texts = texts if isinstance(texts, list) else [texts]
        source, target = data.get("source"), data.get("target")
        if (source not in CODES and source != AUTO) or target not in CODES:
            return answer(start_response, "400 Bad Request", {"error": f"{source} → {target} is not available"})
        calls[0] += 1
        if received is not None:
            received.extend({"text": text, "source": source, "target": target, "request": calls[0]} for text in texts)
        data = {"translatedText": [translated(str(text), source, target) for text in texts]}
        if source == AUTO:   # LibreTranslate says what it found, one entry per text
            data["detectedLanguage"] = [{"confidence": 90.0, "language": detected(str(text))} for text in texts]
        return answer(start_response, "200 OK", data)

    return app
