"""Answers from the address register that are JSON only in name: each is "not answering just now", never
an error page."""
from __future__ import annotations

import pytest

from app.places import geocoder
from app.places.geocoder import GeocoderUnavailable


@pytest.mark.parametrize("body", [
    pytest.param(b"[" * 100_000, id="nested-deeper-than-the-parser-goes"),
    pytest.param(b'{"adresser": [{"adressetekst": "Nonnegata 14", "representasjonspunkt": {"lat": 1' + b"0" * 4000
                 + b', "lon": 10.4}}]}', id="a-4000-digit-latitude"),
])
def test_an_answer_no_address_can_be_read_from_is_unavailable(app_factory, monkeypatch, body):
    app = app_factory(GEOCODER_URL="http://127.0.0.1:9/adresser/v1/")
    monkeypatch.setattr(geocoder, "_fetch", lambda url, timeout: body)
    with app.test_request_context(), pytest.raises(GeocoderUnavailable):
        geocoder.search("Nonnegata 14")


def test_the_district_finder_says_so_for_such_an_answer(app_factory, monkeypatch):
    app = app_factory(GEOCODER_URL="http://127.0.0.1:9/adresser/v1/")
    monkeypatch.setattr(geocoder, "_fetch", lambda url, timeout: b"[" * 100_000)
    with app.test_request_context():
        with pytest.raises(GeocoderUnavailable) as refused:
            geocoder.search("Nonnegata 14")
    assert refused.value.status == 503
