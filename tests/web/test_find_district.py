""""Which district do I live in?": a visitor types an address on the home page, the districts page or
/districts/find and is told the district, or that it is outside the districts and whom to contact; a slow
or broken address register answers within three seconds with the list of districts, never an error."""
from __future__ import annotations

import time
from urllib.parse import parse_qs, urlencode

from tests.helpers import Browser, count_queries, soup


def find(client, address: str, lang: str = "en"):
    return client.get("/districts/find?" + urlencode({"address": address, "lang": lang}))


def error_beside(page, field_id: str) -> str:
    return page.find(id=f"{field_id}-error").get_text(" ", strip=True)


def test_the_home_page_and_the_districts_page_ask_which_district_you_live_in(client):
    for path in ("/?lang=en", "/districts/?lang=en"):
        page = soup(client.get(path))
        form = page.find("form", action="/districts/find")
        assert form["method"] == "get"
        assert form.find("label", attrs={"for": "address"}).get_text(strip=True) == "Your address or street"
        assert page.find(id="find-box-title").get_text(strip=True) == "Which district do I live in?"
    # On the home page it is in the districts' own section, right under their names (which come first, as
    # results do on every page: tests/browser/test_phone_layouts.py).
    home = soup(client.get("/?lang=en")).find("section", attrs={"aria-labelledby": "districts-title"})
    assert home.find("ul", class_="cards").find_next_sibling("section")["class"] == ["find-box"]


def test_an_address_in_a_district_is_answered_with_that_district(client):
    response = find(client, "Nonnegata 14")
    assert response.status_code == 200
    page = soup(response)
    (answer,) = page.select(".found-places li")
    assert " ".join(answer.get_text().split()) == "Nonnegata 14, 7014 Trondheim. District: Møllenberg"
    assert answer.a.get_text(strip=True) == "Møllenberg" and answer.a["href"] == "/districts/mollenberg"
    assert [m.get_text() for m in page.select("svg .marker-number")] == ["1"]


def test_a_street_in_two_districts_lists_each_address_with_its_own_district(client):
    page = soup(find(client, "Innherredsveien"))
    answers = {li.strong.get_text(): li.a.get_text() for li in page.select(".found-places li")}
    assert answers["Innherredsveien 60"] == "Lademoen"
    assert answers["Innherredsveien 8"] == "Møllenberg"


def test_an_address_outside_the_districts_says_whom_to_contact_instead(client):
    page = soup(find(client, "Munkegata 1"))
    text = page.find("main").get_text(" ", strip=True)
    assert "outside the districts" in text
    assert "This address is outside Lademoen, Tempe-Sorgenfri, and Møllenberg" in text
    assert page.find("a", href="https://www.trondheim.kommune.no/")
    assert page.find("a", href="tel:+4772540000")
    norsk = soup(client.get("/districts/find?address=Munkegata+1&lang=nb")).find("main").get_text(" ", strip=True)
    assert "utenfor Lademoen, Tempe-Sorgenfri og Møllenberg" in norsk


def test_an_address_not_found_says_so_and_offers_the_list(client):
    page = soup(find(client, "Finnesikkeveien 99"))
    assert "We found no address like that" in page.get_text()
    # A list of their own, each district a row tall enough to tap (.plain-list).
    assert [a["href"] for a in page.select("#all-districts-title + ul.plain-list a")] == [
        "/districts/lademoen", "/districts/tempe-sorgenfri", "/districts/mollenberg"]


def test_nothing_typed_is_refused_beside_the_field(client):
    response = find(client, "   ")
    assert response.status_code == 400
    assert error_beside(soup(response), "address") == "Error: Type your address or the name of your street."


def test_a_hanging_address_register_answers_within_three_seconds_with_the_districts(app_factory, hanging_geocoder,
                                                                                   caplog):
    client = Browser(app_factory(GEOCODER_URL=hanging_geocoder.url))
    started = time.monotonic()
    response = find(client, "Innherredsveien 60")
    assert time.monotonic() - started < 3.0
    assert response.status_code == 503
    page = soup(response)
    assert "The address search is not answering just now" in error_beside(page, "address")
    assert len(page.select("#all-districts-title + ul a")) == 3
    assert "geocoder unavailable: timed out" in caplog.text
    assert "Innherredsveien" not in caplog.text      # what was typed may be a home address: never logged


def test_an_address_register_answering_garbage_gets_the_same_plain_answer(app_factory, garbage_geocoder):
    client = Browser(app_factory(GEOCODER_URL=garbage_geocoder.url))
    response = find(client, "Innherredsveien 60")
    assert response.status_code == 503
    assert "Choose your district from the list" in error_beside(soup(response), "address")


def test_over_http_only_the_typed_text_is_sent(app_factory, fake_geocoder):
    client = Browser(app_factory(GEOCODER_URL=fake_geocoder.url))
    client.set_cookie("lang", "en")
    page = soup(find(client, "Tempeveien 22"))
    assert page.select_one(".found-places li a").get_text() == "Tempe-Sorgenfri"
    (sent,) = fake_geocoder.requests
    assert parse_qs(sent["query"])["sok"] == ["Tempeveien 22"]
    assert sent["cookie"] is None and sent["referer"] is None


def test_lookups_are_limited_per_connection_and_then_the_list_is_offered(app_factory):
    client = Browser(app_factory(ADDRESS_LOOKUPS_PER_HOUR=2))
    assert find(client, "Nonnegata 14").status_code == 200
    assert find(client, "Nonnegata 30").status_code == 200
    response = find(client, "Rosenborggata 5")
    assert response.status_code == 429
    page = soup(response)
    assert "Choose your district from the list" in error_beside(page, "address")
    assert len(page.select("#all-districts-title + ul a")) == 3


def test_an_answer_is_never_kept_by_a_cache_nor_indexed_but_the_empty_form_may_be(app_factory):
    client = Browser(app_factory(PAGE_CACHE_SECONDS=60))
    answer = find(client, "Nonnegata 14")
    assert answer.headers["Cache-Control"] == "no-store"
    assert answer.headers["X-Robots-Tag"] == "noindex, nofollow"
    bare = client.get("/districts/find")
    assert "no-store" not in bare.headers.get("Cache-Control", "") and "X-Robots-Tag" not in bare.headers


def test_the_answer_costs_the_same_statements_for_one_address_as_for_many(app, client):
    find(client, "Tempeveien 22")      # the language and the kept parts of the page, once
    with count_queries(app) as one:
        find(client, "Nonnegata 14")
    with count_queries(app) as many:
        find(client, "Innherredsveien")
    assert len(many) == len(one)
