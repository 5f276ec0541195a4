"""The LibreTranslate client: what it sends, what it accepts back, and that it never waits long."""
from __future__ import annotations

import time

import pytest

from app.translation import provider
from app.translation.provider import LibreTranslate, TranslationUnavailable


def _deadline(seconds: float = 2.5) -> float:
    return time.monotonic() + seconds


def test_texts_go_in_one_request_and_come_back_in_order(app_factory, fake_translator):
    app = app_factory(TRANSLATE_URL=fake_translator.url)
    with app.app_context():
        service = provider.current()
        assert service.translate(["Hei", "Takk for sist"], "nb", "en", _deadline()) == ["[en] Hei", "[en] Takk for sist"]
    assert fake_translator.received == [{"text": "Hei", "source": "nb", "target": "en", "request": 1},
                                        {"text": "Takk for sist", "source": "nb", "target": "en", "request": 1}]


def test_pairs_are_asked_once_and_kept(app_factory, fake_translator):
    app = app_factory(TRANSLATE_URL=fake_translator.url)
    with app.app_context():
        service = provider.current()
        pairs = provider.known_pairs(service, _deadline())
        assert "en" in pairs["ar"] and "ti" not in pairs
        assert provider.known_pairs(service, 0.0, ask=False) == pairs
        assert provider.provider_code("nn", pairs["ar"]) == "nb"


def test_no_url_is_no_provider_and_fixture_is_offline(app_factory):
    with app_factory().app_context():
        assert provider.current() is None
    with app_factory(TRANSLATE_URL="fixture:").app_context():
        assert provider.current().translate(["Hei"], "nb", "en", _deadline()) == ["[en] Hei"]


@pytest.mark.parametrize("server", ["down_translator", "garbage_translator"])
def test_a_failing_service_is_unavailable(app_factory, server, request):
    fake = request.getfixturevalue(server)
    service = LibreTranslate(fake.url)
    with pytest.raises(TranslationUnavailable):
        service.translate(["Hei"], "nb", "en", _deadline())
    with pytest.raises(TranslationUnavailable):
        service.pairs(_deadline())


def test_a_slow_service_is_given_up_on_time(slow_translator):
    started = time.monotonic()
    with pytest.raises(TranslationUnavailable):
        LibreTranslate(slow_translator.url).translate(["Hei"], "nb", "en", _deadline(0.5))
    assert time.monotonic() - started < 1.0


def test_nothing_but_http_is_called():
    with pytest.raises(TranslationUnavailable):
        LibreTranslate("file:///etc/passwd").translate(["Hei"], "nb", "en", _deadline())
