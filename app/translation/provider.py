"""Machine translation through one interface; the first provider speaks LibreTranslate's HTTP API.

LibreTranslate is open source and a municipality can run it on its own servers, so nothing written here
need leave its network. Configured by ``TRANSLATE_URL`` (the service's base address) and
``TRANSLATE_API_KEY`` (from the environment only; empty when the service needs none). No URL: ``current()``
is None and pages offer no translation at all. ``TRANSLATE_URL = "fixture:"`` translates with the offline
stand-in in app/translation/fake_libretranslate.py (development), never touching the network.

Never slow: one page's translations, from resolving the host to the last byte of every answer, are given
``TRANSLATE_TIMEOUT_SECONDS`` (2.5 s) in all, in a thread the page waits for at most that long, so the page
is out within 3 s with the texts as written and a plain message when the service is slow or down. Answers
are bounded in size, redirects are not followed (any status but 200 is a failure), at most
``_RUNNING`` calls run at once in a process, and the texts are never logged (only why a call failed).
"""
from __future__ import annotations

import http.client
import json
import logging
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol
from urllib.parse import urlsplit

from flask import current_app

from app.core import deadline_calls
from app.translation import fake_libretranslate

log = logging.getLogger("medvirk.translation.provider")
MAX_ANSWER_BYTES = 1024 * 1024
MAX_BATCH_CHARS = 60_000          # one page's texts; more than that is left as written
LANGUAGES_KEPT_SECONDS = 3600     # which pairs the service has: asked again after an hour
LANGUAGES_RETRY_SECONDS = 60      # after a failed ask: no page waits on a service that is down
# Provider calls under way at once in this process: past this, a page says "not answering" at once.
_RUNNING = threading.BoundedSemaphore(8)


class TranslationUnavailable(Exception):
    """The service did not answer in time, or answered something unusable."""

    def __init__(self, reason: str = ""):
        super().__init__(reason)
        self.reason = reason


class Provider(Protocol):
    name: str

    def pairs(self, deadline: float) -> dict[str, frozenset[str]]:
        """Source language → the languages it can be translated into."""

    def translate(self, texts: Sequence[str], source: str, target: str, deadline: float) -> list[str]:
        """``texts`` (all in ``source``) in ``target``, in the same order."""


def current() -> Provider | None:
    """The configured provider, or None when translation is not configured."""
    url = (current_app.config.get("TRANSLATE_URL") or "").strip()
    if not url:
        return None
    if url.startswith("fixture:"):
        return FixtureProvider()
    return LibreTranslate(url, current_app.config.get("TRANSLATE_API_KEY") or "")


def budget() -> float:
    return float(current_app.config.get("TRANSLATE_TIMEOUT_SECONDS", 2.5))


def _unavailable(reason: str) -> TranslationUnavailable:
    log.warning("translation unavailable: %s", reason)   # the reason only: never the texts
    return TranslationUnavailable(reason)


# --- which pairs, kept per process ----------------------------------------------------------------------

_PAIRS: dict[str, tuple[float, dict[str, frozenset[str]] | None]] = {}
_PAIRS_LOCK = threading.Lock()


def known_pairs(provider: Provider, deadline: float, *, ask: bool = True) -> dict[str, frozenset[str]] | None:
    """The provider's pairs, kept for an hour; None when it could not say (and ``ask`` is False, or it failed
    within the last minute)."""
    now = time.monotonic()
    with _PAIRS_LOCK:
        kept = _PAIRS.get(provider.name)
    if kept is not None and kept[0] > now:
        return kept[1]
    if not ask:
        return None
    try:
        pairs: dict[str, frozenset[str]] | None = provider.pairs(deadline)
        keep_until = now + LANGUAGES_KEPT_SECONDS
    except TranslationUnavailable:
        pairs, keep_until = None, now + LANGUAGES_RETRY_SECONDS
    with _PAIRS_LOCK:
        _PAIRS[provider.name] = (keep_until, pairs)
    return pairs


def forget_pairs() -> None:
    with _PAIRS_LOCK:
        _PAIRS.clear()


AUTO = fake_libretranslate.AUTO   # "source": the service finds the language of each text itself

# LibreTranslate's older models call Bokmål "no"; Nynorsk readers read Bokmål.
_ALIASES = {"nb": ("nb", "no"), "nn": ("nb", "no"), "no": ("no", "nb")}


def provider_code(code: str, offered) -> str | None:
    """Our code as the provider names it, or None when it has no such language."""
    for candidate in _ALIASES.get(code, (code,)):
        if candidate in offered:
            return candidate
    return None


# --- LibreTranslate ---------------------------------------------------------------------------------------


@dataclass
class LibreTranslate:
    url: str
    api_key: str = ""

    @property
    def name(self) -> str:
        return self.url

    def pairs(self, deadline: float) -> dict[str, frozenset[str]]:
        body = _call(self.url.rstrip("/") + "/languages", None, deadline)
        try:
            data = json.loads(body)
            return {str(item["code"]): frozenset(str(code) for code in item.get("targets") or ())
                    for item in data if isinstance(item, dict) and isinstance(item.get("code"), str)}
        except (ValueError, RecursionError, TypeError, KeyError, AttributeError):
            raise _unavailable("languages: answer of the wrong shape") from None

    def translate(self, texts: Sequence[str], source: str, target: str, deadline: float) -> list[str]:
        payload = {"q": list(texts), "source": source, "target": target, "format": "text"}
        if self.api_key:
            payload["api_key"] = self.api_key
        body = _call(self.url.rstrip("/") + "/translate", json.dumps(payload).encode("utf-8"), deadline)
        try:
            data = json.loads(body)
        except (ValueError, RecursionError):
            raise _unavailable("translate: not JSON") from None
        translated = data.get("translatedText") if isinstance(data, dict) else None
        if isinstance(translated, str) and len(texts) == 1:
            translated = [translated]
        if (not isinstance(translated, list) or len(translated) != len(texts)
                or not all(isinstance(item, str) for item in translated)):
            raise _unavailable("translate: answer of the wrong shape")
        return translated


class FixtureProvider:
    """The offline stand-in: the fake server's translations without HTTP (``TRANSLATE_URL = "fixture:"``)."""

    name = "fixture:"

    def pairs(self, deadline: float) -> dict[str, frozenset[str]]:
        return {item["code"]: frozenset(item["targets"]) for item in fake_libretranslate.languages()}

    def translate(self, texts: Sequence[str], source: str, target: str, deadline: float) -> list[str]:
        return [fake_libretranslate.translated(text, source, target) for text in texts]


# --- HTTP within a deadline -------------------------------------------------------------------------------


def _call(url: str, body: bytes | None, deadline: float) -> bytes:
    """The answer to a GET (``body`` None) or JSON POST of ``url``, by ``deadline``, or TranslationUnavailable."""
    if time.monotonic() >= deadline:
        raise _unavailable("no time left")
    try:
        return deadline_calls.call_by(deadline, _RUNNING, "translation", "too many translations under way",
                                      lambda outcome: _request(url, body, deadline, outcome))
    except deadline_calls.CallUnfinished as unfinished:
        raise _unavailable(unfinished.reason) from None


def _request(url: str, body: bytes | None, deadline: float, outcome: dict[str, object]) -> bytes:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError("TRANSLATE_URL must be an http or https URL")
    connection_type = http.client.HTTPSConnection if parts.scheme == "https" else http.client.HTTPConnection
    connection = connection_type(parts.hostname, parts.port, timeout=max(0.05, deadline - time.monotonic()))
    outcome["connection"] = connection
    response = None
    try:
        path = parts.path + ("?" + parts.query if parts.query else "")
        headers = {"Accept": "application/json", "User-Agent": "Medvirk"}
        if body is None:
            connection.request("GET", path, headers=headers)
        else:
            connection.request("POST", path, body=body, headers={**headers, "Content-Type": "application/json"})
        response = connection.getresponse()
        if response.status != 200:   # a redirect is a failure too: the service is where it was configured
            raise ValueError(f"HTTP {response.status}")
        return deadline_calls.read_bounded(connection, response, deadline, MAX_ANSWER_BYTES)
    finally:
        if response is not None:
            response.close()
        connection.close()
