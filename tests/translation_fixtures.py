"""The fake LibreTranslate on loopback (app/translation/fake_libretranslate.py), as pytest fixtures.

``fake_translator`` translates; ``slow_translator`` never answers in time; ``down_translator`` answers
503; ``garbage_translator`` answers HTML. Each gives a ``FakeTranslator`` with ``url`` (for
``TRANSLATE_URL``) and ``received`` (every text the site sent: text, source, target).
"""
from __future__ import annotations

import threading
from dataclasses import dataclass, field

import pytest
from werkzeug.serving import make_server

from app.translation import provider
from app.translation.fake_libretranslate import make_app
from tests.places_fixtures import QuietHandler


@dataclass
class FakeTranslator:
    url: str
    received: list = field(default_factory=list)

    @property
    def texts(self) -> list[str]:
        return [item["text"] for item in self.received]

    @property
    def requests(self) -> int:
        """How many translate requests reached the service."""
        return len({item["request"] for item in self.received})


def _serve(mode: str, api_key: str | None = None):
    release = threading.Event()
    received: list = []
    server = make_server("127.0.0.1", 0, make_app(mode, release=release, received=received, api_key=api_key),
                         threaded=True, request_handler=QuietHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    provider.forget_pairs()   # each server is a new service: what another one offered is not known here
    try:
        yield FakeTranslator(url=f"http://127.0.0.1:{server.server_port}/", received=received)
    finally:
        release.set()
        server.shutdown()
        server.server_close()
        thread.join(5)
        provider.forget_pairs()


@pytest.fixture
def fake_translator():
    yield from _serve("normal")


@pytest.fixture
def keyed_translator():
    yield from _serve("normal", api_key="s3cret-key")


@pytest.fixture
def slow_translator():
    yield from _serve("slow")


@pytest.fixture
def down_translator():
    yield from _serve("down")


@pytest.fixture
def garbage_translator():
    yield from _serve("garbage")
