"""The fake address register on loopback (app/places/fake_geocoder.py), as pytest fixtures.

``fake_geocoder`` answers from the fixture addresses; ``hanging_geocoder`` never answers in time;
``garbage_geocoder`` answers HTML. Each returns a ``FakeGeocoder`` with ``url`` (for ``GEOCODER_URL``) and
``requests`` (what the app sent: path, query string, cookie, referrer).
"""
from __future__ import annotations

import threading
from dataclasses import dataclass, field

import pytest
from werkzeug.serving import WSGIRequestHandler, make_server

from app.places.fake_geocoder import make_app


@dataclass
class FakeGeocoder:
    url: str
    requests: list = field(default_factory=list)


class QuietHandler(WSGIRequestHandler):
    """No access log: the query string is what a person typed, perhaps their address."""

    def log_request(self, *args, **kwargs) -> None:
        pass


def _serve(mode: str):
    release = threading.Event()
    requests: list = []
    server = make_server("127.0.0.1", 0, make_app(mode, release=release, requests=requests), threaded=True,
                         request_handler=QuietHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield FakeGeocoder(url=f"http://127.0.0.1:{server.server_port}/adresser/v1/", requests=requests)
    finally:
        release.set()
        server.shutdown()
        server.server_close()
        thread.join(5)


@pytest.fixture
def fake_geocoder():
    yield from _serve("normal")


@pytest.fixture
def hanging_geocoder():
    yield from _serve("hanging")


@pytest.fixture
def garbage_geocoder():
    yield from _serve("garbage")
