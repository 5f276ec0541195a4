"""The address lookup: what it sends, what it gives back, and that a slow or broken address register
answers within three seconds with GeocoderUnavailable instead of holding the page."""
from __future__ import annotations

import time
from urllib.parse import parse_qs

import pytest

from app.places import geocoder
from app.places.geocoder import Candidate, GeocoderUnavailable


def test_candidates_come_back_with_their_points(app_factory, fake_geocoder):
    app = app_factory(GEOCODER_URL=fake_geocoder.url)
    with app.test_request_context():
        found = geocoder.search("Nonnegata 14")
    assert found[0] == Candidate(label="Nonnegata 14", lat=63.4315, lon=10.415, postcode="7014", place="TRONDHEIM")


def test_only_the_typed_text_and_fixed_parameters_are_sent(app_factory, fake_geocoder):
    app = app_factory(GEOCODER_URL=fake_geocoder.url)
    with app.test_request_context(headers={"Cookie": "session=secret", "Referer": "https://medvirk.example/x"}):
        geocoder.search("  Mellomveien   18 ", limit=3)
    (sent,) = fake_geocoder.requests
    assert sent["path"] == "/adresser/v1/sok"
    assert parse_qs(sent["query"]) == {"sok": ["Mellomveien 18"], "treffPerSide": ["3"], "side": ["0"],
                                       "utkoordsys": ["4258"], "asciiKompatibel": ["true"], "kommunenummer": ["5001"]}
    assert sent["cookie"] is None and sent["referer"] is None


def test_nothing_found_is_an_empty_list(app_factory, fake_geocoder):
    app = app_factory(GEOCODER_URL=fake_geocoder.url)
    with app.test_request_context():
        assert geocoder.search("Storgata 999 Hammerfest") == []
        assert geocoder.search("   ") == []
    assert len(fake_geocoder.requests) == 1     # blank text is not sent at all


def test_a_hanging_address_register_gives_up_within_its_time(app_factory, hanging_geocoder):
    app = app_factory(GEOCODER_URL=hanging_geocoder.url)
    started = time.monotonic()
    with app.test_request_context(), pytest.raises(GeocoderUnavailable):
        geocoder.search("Innherredsveien 60")
    assert time.monotonic() - started < 3.0


def test_an_answer_that_is_not_json_is_unavailable_not_an_error(app_factory, garbage_geocoder):
    app = app_factory(GEOCODER_URL=garbage_geocoder.url)
    with app.test_request_context(), pytest.raises(GeocoderUnavailable):
        geocoder.search("Innherredsveien 60")


def test_nothing_listening_is_unavailable(app_factory):
    app = app_factory(GEOCODER_URL="http://127.0.0.1:9/adresser/v1/")
    with app.test_request_context(), pytest.raises(GeocoderUnavailable):
        geocoder.search("Innherredsveien 60")


@pytest.mark.parametrize("answer", [[], {"adresser": "x"}, {"adresser": [{"adressetekst": "A 1"}]}, {"nothing": 1}])
def test_an_answer_of_the_wrong_shape_is_unavailable(app, monkeypatch, answer):
    monkeypatch.setattr(geocoder.fake_geocoder, "answer", lambda params: answer)
    with app.test_request_context(), pytest.raises(GeocoderUnavailable):
        geocoder.search("A 1")


def test_the_fixture_setting_answers_without_any_network(app):
    with app.test_request_context():
        labels = [c.label for c in geocoder.search("tempeveien")]
    assert labels == ["Tempeveien 22", "Tempeveien 11"]
