"""A weekly series shows as one card with its dates inside, on every page that lists events."""
from __future__ import annotations

from datetime import timedelta

import pytest

from app.core.db import OSLO
from app.extensions import db
from tests.helpers import Browser, count_queries, make_event, make_organisation, soup

WEEKS = 6


def _place(app) -> int:
    from app.districts.services import get_district
    from app.meeting_places.models import MeetingPlace

    with app.app_context():
        place = MeetingPlace(district_id=get_district("mollenberg").id, name="Biblioteket", address="Peter Egges plass 1")
        db.session.add(place)
        db.session.commit()
        return place.id


def _series(app, organisation: int, place: int, title: str, series_id: str, first_day: float = 2,
            weeks: int = WEEKS, **fields) -> list[int]:
    """``weeks`` weekly occurrences sharing a series id, as the organiser's form makes them."""
    return [make_event(app, organisation, title=title, starts_in_days=first_day + 7 * week, series_id=series_id,
                       meeting_place_id=place, **fields) for week in range(weeks)]


@pytest.fixture
def listed(app):
    organisation = make_organisation(app)
    place = _place(app)
    ids = _series(app, organisation, place, "Språkkafé hver uke", "cafe")
    make_event(app, organisation, title="Dugnad i parken", starts_in_days=3, meeting_place_id=place)
    return {"organisation": organisation, "place": place, "series": ids}


def _pages(listed) -> list[str]:
    return ["/?lang=en", "/districts/mollenberg?lang=en", f"/meeting-places/{listed['place']}?lang=en",
            f"/organisations/{listed['organisation']}?lang=en", "/events/?lang=en"]


def test_a_six_week_series_is_one_card_on_every_list_with_its_dates_inside(app, listed):
    browser = Browser(app)
    for path in _pages(listed):
        page = soup(browser.get(path))
        titles = [a.get_text() for a in page.select(".card h3 a")]
        assert titles.count("Språkkafé hver uke") == 1, (path, titles)
        assert "Dugnad i parken" in titles, path
        [card] = [c for c in page.select(".card") if c.h3.get_text() == "Språkkafé hver uke"]
        dates = card.select("details.series-dates li a")
        assert [a["href"] for a in dates] == [f"/events/{event_id}" for event_id in listed["series"]], path
        assert card.h3.a["href"] == f"/events/{listed['series'][0]}"


def test_the_series_card_says_which_weekday_and_time_the_next_date_and_how_many_are_left(app, listed):
    from app.events.models import Event

    with app.app_context():
        first = db.session.get(Event, listed["series"][0]).starts_at.astimezone(OSLO)
    english = soup(Browser(app).get("/events/?lang=en")).select_one(".card.series .series-when").get_text(" ", strip=True)
    assert english == (f"Every {first:%A} {first:%H:%M} · next: {first.day} {first:%b} · 6 times left")
    norsk = soup(Browser(app).get("/events/?lang=nb")).select_one(".card.series .series-when").get_text(" ", strip=True)
    weekday = ["mandag", "tirsdag", "onsdag", "torsdag", "fredag", "lørdag", "søndag"][first.weekday()]
    assert norsk.startswith(f"Hver {weekday} {first:%H:%M} · neste: {first.day}. ")
    assert norsk.endswith("· 6 ganger igjen")
    nynorsk = soup(Browser(app).get("/events/?lang=nn")).select_one(".card.series .series-when").get_text(" ", strip=True)
    assert nynorsk.endswith("· 6 gonger att")


def test_a_full_next_date_points_to_the_next_date_with_free_seats(app, listed):
    from app.events.models import Event

    with app.app_context():
        first, second = (db.session.get(Event, i) for i in listed["series"][:2])
        first.seats_taken = first.capacity
        second.seats_taken = second.capacity
        db.session.commit()
    card = soup(Browser(app).get("/events/?lang=en")).select_one(".card.series")
    seats = card.select(".meta")[-1]
    assert seats.get_text(" ", strip=True).startswith("Full")
    free = seats.select_one("a")
    assert free["href"] == f"/events/{listed['series'][2]}"
    assert free.get_text().startswith("free seats")


def test_a_series_reached_by_the_free_seats_filter_counts_only_the_dates_with_seats(app, listed):
    from app.events.models import Event

    with app.app_context():
        first = db.session.get(Event, listed["series"][0])
        first.seats_taken = first.capacity
        db.session.commit()
    page = soup(Browser(app).get("/events/?lang=en&free=1"))
    card = page.select_one(".card.series")
    assert card.h3.a["href"] == f"/events/{listed['series'][1]}"
    assert card.select_one(".series-when").get_text(" ", strip=True).endswith("5 times left")
    assert page.select_one("#results").get_text(strip=True) == "2 upcoming events"


def test_list_pages_query_the_same_whether_there_is_one_series_or_many(app, listed):
    browser = Browser(app)
    paths = _pages(listed)

    def measure():
        counts = {}
        for path in paths:
            browser.get(path)   # caches that are not per request
            with count_queries(app) as queries:
                assert browser.get(path).status_code == 200, path
            counts[path] = len(queries)
        return counts

    few = measure()
    for n in range(8):
        _series(app, listed["organisation"], listed["place"], f"Kurs {n}", f"kurs-{n}", first_day=1 + n / 10)
    assert measure() == few


def test_a_moved_occurrence_still_groups_but_does_not_claim_a_weekday(app, listed):
    from app.events.models import Event

    with app.app_context():
        moved = db.session.get(Event, listed["series"][3])
        moved.starts_at += timedelta(days=1)
        moved.ends_at += timedelta(days=1)
        db.session.commit()
    card = soup(Browser(app).get("/events/?lang=en")).select_one(".card.series")
    assert card.select_one(".series-when").get_text(" ", strip=True).startswith("6 dates · next:")


def test_an_occurrence_page_lists_the_other_dates_with_their_seats(app, listed):
    from app.events.models import Event

    with app.app_context():
        first = db.session.get(Event, listed["series"][0])
        first.seats_taken = first.capacity
        db.session.get(Event, listed["series"][2]).status = "cancelled"
        db.session.commit()
    page = soup(Browser(app).get(f"/events/{listed['series'][1]}?lang=en"))
    rows = [" ".join(li.get_text(" ").split()) for li in page.select("#series-title ~ ul li")]
    assert len(rows) == WEEKS - 1
    assert rows[0].endswith("Full") and rows[1].endswith("Cancelled") and rows[2].endswith("10 seats left")


def test_a_half_year_series_lists_its_next_eight_dates_and_counts_the_rest(app, listed):
    ids = _series(app, listed["organisation"], listed["place"], "Strikkekafé", "strikk", first_day=0.5, weeks=26)
    card = soup(Browser(app).get("/events/?lang=en")).select_one(".card.series")
    assert card.h3.get_text(strip=True) == "Strikkekafé"
    assert [a["href"] for a in card.select("details li a")] == [f"/events/{i}" for i in ids[:8]]
    assert card.select("details li")[-1].get_text(strip=True) == "and 18 more dates"
    assert card.select_one(".series-when").get_text(" ", strip=True).endswith("26 times left")


def test_a_half_year_series_full_for_nine_weeks_points_to_the_tenth_date(app, listed):
    from app.events.models import Event

    ids = _series(app, listed["organisation"], listed["place"], "Strikkekafé", "strikk", first_day=0.5, weeks=26)
    with app.app_context():
        for event_id in ids[:9]:
            event = db.session.get(Event, event_id)
            event.seats_taken = event.capacity
        db.session.commit()
    card = soup(Browser(app).get("/events/?lang=en")).select_one(".card.series")
    assert card.h3.get_text(strip=True) == "Strikkekafé"
    assert card.select_one(".series-when").get_text(" ", strip=True).endswith("26 times left")
    free = card.select(".meta")[-1].select_one("a")
    assert free["href"] == f"/events/{ids[9]}" and free.get_text().startswith("free seats")


def test_list_pages_load_only_the_dates_a_card_shows_however_long_the_series(app, listed):
    from sqlalchemy import event as sql_event

    from app.events.models import Event

    _series(app, listed["organisation"], listed["place"], "Strikkekafé", "strikk", first_day=0.5, weeks=26)
    browser = Browser(app)
    loaded: list[int] = []

    def count(target, context):
        loaded.append(target.id)

    sql_event.listen(Event, "load", count)
    try:
        for path in _pages(listed):
            loaded.clear()
            page = soup(browser.get(path))
            assert "and 18 more dates" in page.get_text(), path
            assert len(loaded) <= 2 * 8 + 1, (path, len(loaded))   # two series of at most eight, one single event
    finally:
        sql_event.remove(Event, "load", count)


def test_a_half_year_series_moved_after_its_eighth_date_does_not_claim_a_weekday(app, listed):
    from app.events.models import Event

    ids = _series(app, listed["organisation"], listed["place"], "Strikkekafé", "strikk", first_day=0.5, weeks=26)
    with app.app_context():
        moved = db.session.get(Event, ids[20])
        moved.starts_at += timedelta(days=1)
        moved.ends_at += timedelta(days=1)
        db.session.commit()
    card = soup(Browser(app).get("/events/?lang=en")).select_one(".card.series")
    assert card.select_one(".series-when").get_text(" ", strip=True).startswith("26 dates · next:")
