"""Looking up an address: one interface to the national address register's open search API (Kartverket /
Geonorge "adresser", no key needed), configured by ``GEOCODER_URL``.

Privacy: the only thing sent is the text the person typed (``sok=``), with fixed parameters; no cookie,
no referrer, nothing about the person. The typed text is never logged (it may be a home address).

Never slow: the whole lookup, from resolving the host to the last byte, is given
``GEOCODER_TIMEOUT_SECONDS`` (2.5 s, so the page saying so is out within 3 s). It runs in a thread of
its own that the caller waits for at most that long; the thread's own socket timeouts end it soon after. A timeout, an HTTP error or an answer of the
wrong shape all raise ``GeocoderUnavailable``, which pages turn into a plain message and the list of
districts.

``GEOCODER_URL = "fixture:"`` (the development and testing default) answers from the fixture in
app/places/fake_geocoder.py without any network, so ``make run`` works offline.
"""
from __future__ import annotations

import http.client
import json
import logging
import threading
import time
from dataclasses import dataclass
from urllib.parse import urlencode, urlsplit

from flask import current_app

from app.core import deadline_calls
from app.core.i18n import lazy_gettext as _l
from app.core.rules import RuleBroken
from app.places import fake_geocoder

log = logging.getLogger("medvirk.places.geocoder")
MAX_ANSWER_BYTES = 512 * 1024   # five addresses are about 3 KB
MAX_QUERY_CHARS = 100
# Lookups under way at once in this process. A register that trickles its answer keeps a lookup's thread
# alive a little past the 3 s the page waits; past this many, a page says "not answering" at once rather
# than start yet another thread.
_RUNNING = threading.BoundedSemaphore(8)


@dataclass(frozen=True)
class Candidate:
    label: str        # "Innherredsveien 7"
    lat: float
    lon: float
    postcode: str
    place: str        # "TRONDHEIM"


class GeocoderUnavailable(RuleBroken):
    """The address lookup did not answer in time, or answered something unusable."""

    def __init__(self, reason: str = ""):
        super().__init__(_l("The address search is not answering just now. Choose your district from the list."),
                         field="address", status=503)
        self.reason = reason


def search(text: str, *, limit: int = 5) -> list[Candidate]:
    """Up to ``limit`` addresses matching ``text`` (best first); an empty list when none match."""
    text = " ".join(text.split())[:MAX_QUERY_CHARS]
    if not text:
        return []
    config = current_app.config
    base = config.get("GEOCODER_URL") or ""
    timeout = float(config.get("GEOCODER_TIMEOUT_SECONDS", 2.5))
    params = {"sok": text, "treffPerSide": limit, "side": 0, "utkoordsys": "4258", "asciiKompatibel": "true"}
    if config.get("GEOCODER_MUNICIPALITY"):
        params["kommunenummer"] = config["GEOCODER_MUNICIPALITY"]
    if base.startswith("fixture:"):
        return _candidates(fake_geocoder.answer(params), limit)   # development and tests: no network at all
    body = _fetch(base.rstrip("/") + "/sok?" + urlencode(params), timeout)
    try:
        data = json.loads(body)
    except (ValueError, RecursionError):   # RecursionError: "[[[[..." nested deeper than the parser goes
        raise _unavailable("not JSON") from None
    return _candidates(data, limit)


def _unavailable(reason: str) -> GeocoderUnavailable:
    log.warning("geocoder unavailable: %s", reason)
    return GeocoderUnavailable(reason)


def _candidates(data, limit: int) -> list[Candidate]:
    if not isinstance(data, dict) or not isinstance(data.get("adresser"), list):
        raise _unavailable("answer of the wrong shape")
    found = []
    for item in data["adresser"]:
        try:
            point = item["representasjonspunkt"]
            lat, lon = point["lat"], point["lon"]
            if isinstance(lat, bool) or isinstance(lon, bool):
                continue
            lat, lon = float(lat), float(lon)
            label = str(item["adressetekst"]).strip()[:200]
        except (KeyError, TypeError, ValueError, OverflowError):
            continue          # one odd address is skipped; the others are still useful
        if not label or not (-90 <= lat <= 90 and -180 <= lon <= 180):
            continue
        found.append(Candidate(label=label, lat=lat, lon=lon, postcode=str(item.get("postnummer") or "")[:10],
                               place=str(item.get("poststed") or "")[:60]))
        if len(found) >= limit:
            break
    if data["adresser"] and not found:
        raise _unavailable("no usable address in the answer")
    return found


def _fetch(url: str, timeout: float) -> bytes:
    """The body of a GET of ``url``, within ``timeout`` seconds in all, or GeocoderUnavailable."""
    deadline = time.monotonic() + timeout
    try:
        return deadline_calls.call_by(deadline, _RUNNING, "geocoder", "too many lookups under way",
                                      lambda outcome: _get(url, deadline, outcome))
    except deadline_calls.CallUnfinished as unfinished:
        raise _unavailable(unfinished.reason) from None


def _get(url: str, deadline: float, outcome: dict[str, object]) -> bytes:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError("GEOCODER_URL must be an http or https URL")
    connection_type = http.client.HTTPSConnection if parts.scheme == "https" else http.client.HTTPConnection
    remaining = max(0.05, deadline - time.monotonic())
    connection = connection_type(parts.hostname, parts.port, timeout=remaining)
    outcome["connection"] = connection
    response = None
    try:
        path = parts.path + ("?" + parts.query if parts.query else "")
        connection.request("GET", path, headers={"Accept": "application/json", "User-Agent": "Medvirk"})
        response = connection.getresponse()
        if response.status != 200:
            raise ValueError(f"HTTP {response.status}")
        return deadline_calls.read_bounded(connection, response, deadline, MAX_ANSWER_BYTES)
    finally:
        if response is not None:
            response.close()
        connection.close()
