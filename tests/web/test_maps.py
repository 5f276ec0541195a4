"""Maps on public pages: without script each is an SVG with numbered pins and the same numbers in a list that
links to each item; the page carries what the map script needs, and only a page with a map loads it and lets
in tiles from the tile host."""
from __future__ import annotations

import json
from datetime import datetime, timedelta

from app.core.db import OSLO
from app.districts.services import get_district
from app.events.models import Event
from app.extensions import db
from app.meeting_places.models import MeetingPlace
from app.places.geometry import round_point
from tests.helpers import PASSWORD, Browser, make_event, make_idea, make_organisation, make_user, soup

TILES = "https://tiles.example.no/topo/{z}/{y}/{x}.png"


def _place(app, name="Lademoen bydelshus", district="lademoen", address="Innherredsveien 60", lat=63.4352, lon=10.424) -> int:
    with app.app_context():
        place = MeetingPlace(district_id=get_district(district).id, name=name, address=address, latitude=lat, longitude=lon)
        db.session.add(place)
        db.session.commit()
        return place.id


def _located_idea(app, title="Benker ved Lademoen kirke", lat=63.43612, lon=10.42777, district="lademoen",
                  label="Mellomveien 3") -> int:
    return make_idea(app, make_user(app), district=district, title=title,
                     location_lat=lat, location_lon=lon, location_label=label)


def _map(page, map_id):
    figure = page.find("figure", id=map_id)
    assert figure is not None, f"no {map_id} on the page"
    return figure, json.loads(figure["data-map"])


def _numbered(figure) -> dict[int, tuple[str, str]]:
    """The list under the map: number -> (link text, link)."""
    return {int(li["value"]): (li.a.get_text(strip=True), li.a["href"]) for li in figure.select("ol.map-list li")}


def _csp_img(response) -> list[str]:
    policy = response.headers["Content-Security-Policy"]
    return next(part.split()[1:] for part in policy.split(";") if part.split()[0] == "img-src")


def test_the_district_page_shows_its_places_events_and_ideas_on_a_map_that_works_without_script(app, client):
    place = _place(app)
    organisation = make_organisation(app, districts=("lademoen",))
    at_place = make_event(app, organisation, district="lademoen", title="Strikkekafé", meeting_place_id=place)
    elsewhere = make_event(app, organisation, district="lademoen", title="Ryddedag i parken", address="Mellomveien 40",
                           latitude=63.4378, longitude=10.431)
    nowhere = make_event(app, organisation, district="lademoen", title="Møte et sted")
    idea = _located_idea(app)
    unlocated = make_idea(app, make_user(app), district="lademoen", title="En idé uten sted")

    page = soup(client.get("/districts/lademoen?lang=en"))
    figure, data = _map(page, "district-map")
    svg = figure.find("svg")
    assert svg["role"] == "img" and svg.find("title").get_text() and svg.find("desc").get_text()
    listed = _numbered(figure)
    assert listed == {1: ("Lademoen bydelshus", f"/meeting-places/{place}"), 2: ("Strikkekafé", f"/events/{at_place}"),
                      3: ("Ryddedag i parken", f"/events/{elsewhere}"), 4: ("Benker ved Lademoen kirke", f"/ideas/{idea}")}
    assert [m.get_text() for m in svg.select(".marker-number")] == ["1", "2", "3", "4"]
    # The list says what and where; it is folded on this long page.
    items = figure.select("ol.map-list li")
    # An idea's street is shown without its house number (the public map shows it to about 50 m).
    assert "Innherredsveien 60" in items[0].get_text() and "(idea, Mellomveien)" in items[3].get_text()
    assert figure.find("details").find("ol", class_="map-list")
    assert f"/events/{nowhere}" not in str(figure) and f"/ideas/{unlocated}" not in str(figure)
    # The map script gets the same pins: the event at the place at the place's point, the idea rounded.
    pins = {pin[0]: pin for pin in data["pins"]}
    assert pins[2][1:3] == [63.4352, 10.424] and pins[3][1:3] == [63.4378, 10.431]
    assert pins[4][1:3] == list(round_point(63.43612, 10.42777)) and pins[4][1:3] != [63.43612, 10.42777]
    assert [pin[5] for pin in data["pins"]] == [href for _label, href in listed.values()]
    assert data["outlines"] and data["outlines"][0]["type"] in ("Polygon", "MultiPolygon")
    assert data["text"]["zoomIn"] == "Zoom in"


def test_the_exact_point_of_an_idea_is_nowhere_in_a_public_page(app, client):
    _located_idea(app, lat=63.436123, lon=10.427771)
    for path in ("/districts/lademoen", "/ideas/?view=map"):
        text = client.get(path).get_data(as_text=True)
        assert "63.436123" not in text and "10.427771" not in text, path


def test_a_map_page_lets_in_tiles_from_the_tile_host_only(app_factory):
    app = app_factory(MAP_TILE_URL=TILES)
    _place(app)
    client = app.test_client()
    for path in ("/districts/lademoen", "/ideas/?view=map", "/events/?view=map", "/meeting-places/1"):
        response = client.get(path)
        assert response.status_code == 200, path
        assert _csp_img(response) == ["'self'", "data:", "https://tiles.example.no"], path
        page = soup(response)
        scripts = [s["src"] for s in page.find_all("script")]
        assert any(src.endswith("/vendor/leaflet/leaflet.js") for src in scripts) and any(src.endswith("/map.js") for src in scripts)
        assert _map(page, page.find("figure", class_="place-map")["id"])[1]["tiles"]["url"] == TILES


def test_pages_without_a_map_neither_load_the_map_script_nor_let_in_the_tile_host(app_factory):
    app = app_factory(MAP_TILE_URL=TILES)
    place = _place(app, lat=None, lon=None)   # not placed yet: its page has no map
    client = app.test_client()
    for path in ("/", "/ideas/", "/events/", "/meeting-places/", f"/meeting-places/{place}", "/account/login"):
        response = client.get(path)
        assert _csp_img(response) == ["'self'", "data:"], path
        text = response.get_data(as_text=True)
        assert "tiles.example.no" not in text and "leaflet" not in text and "map.js" not in text, path


def test_the_ideas_map_keeps_the_filters_and_shows_only_ideas_with_a_place(app, client):
    here = _located_idea(app)
    other = _located_idea(app, title="Lys i Tempeparken", lat=63.4145, lon=10.406, district="tempe-sorgenfri", label="Tempeveien 22")
    make_idea(app, make_user(app), district="lademoen", title="Uten sted")

    page = soup(client.get("/ideas/?district=lademoen&view=map&lang=en"))
    figure, data = _map(page, "ideas-map")
    assert _numbered(figure) == {1: ("Benker ved Lademoen kirke", f"/ideas/{here}")}
    assert "1 idea with a place" in page.find(id="results").get_text()
    assert len(data["outlines"]) == 1          # the chosen district's outline
    # Filtering again stays on the map; the switch keeps the district.
    assert page.find("form", class_="filters").find("input", attrs={"name": "view"})["value"] == "map"
    switch = {a.get_text(): a["href"] for a in page.select("nav ul.tabs-plain a")}
    assert switch["List"].startswith("/ideas/?district=lademoen") and "view" not in switch["List"]
    assert switch["Map"].startswith("/ideas/?") and "district=lademoen" in switch["Map"] and "view=map" in switch["Map"]

    every = soup(client.get("/ideas/?view=map"))
    assert {href for _t, href in _numbered(_map(every, "ideas-map")[0]).values()} == {f"/ideas/{here}", f"/ideas/{other}"}
    # The list view is as it was: every idea, and no map.
    assert soup(client.get("/ideas/?district=lademoen")).find("figure", class_="place-map") is None


def test_the_events_map_shows_each_event_at_its_meeting_place_or_its_own_address(app, client):
    place = _place(app, name="Møllenberg bydelskafé", district="mollenberg", address="Rosenborggata 5", lat=63.432, lon=10.4195)
    organisation = make_organisation(app)
    at_place = make_event(app, organisation, title="Språkkafé", meeting_place_id=place)
    own = make_event(app, organisation, title="Loppemarked", address="Nonnegata 14", latitude=63.4315, longitude=10.415)
    make_event(app, organisation, title="Uten sted")

    page = soup(client.get("/events/?view=map&lang=en"))
    figure, data = _map(page, "events-map")
    assert sorted(href for _t, href in _numbered(figure).values()) == sorted([f"/events/{at_place}", f"/events/{own}"])
    points = {pin[5]: pin[1:3] for pin in data["pins"]}
    assert points[f"/events/{at_place}"] == [63.432, 10.4195] and points[f"/events/{own}"] == [63.4315, 10.415]
    assert "Rosenborggata 5" in figure.get_text() and "Nonnegata 14" in figure.get_text()


def test_a_meeting_place_page_shows_its_point(app, client):
    place = _place(app)
    page = soup(client.get(f"/meeting-places/{place}"))
    figure, data = _map(page, "place-map")
    assert _numbered(figure) == {1: ("Lademoen bydelshus", f"/meeting-places/{place}")}
    assert data["pins"][0][1:3] == [63.4352, 10.424]


def test_an_event_at_an_address_is_placed_by_the_address_search_when_it_is_saved(app, client, login_as):
    organiser = login_as("resident")
    organisation = make_organisation(app, organiser)
    when = datetime.now(OSLO).replace(tzinfo=None, second=0, microsecond=0) + timedelta(days=9)
    response = client.submit(f"/events/new?organisation={organisation}", _event_form(when, address="Nonnegata 14"))
    assert response.status_code == 302
    with app.app_context():
        event = db.session.scalar(db.select(Event))
        assert (event.latitude, event.longitude) == (63.4315, 10.415)
        event_id = event.id
    # A new address is looked up again; an address the search does not know leaves no point.
    client.submit(f"/events/{event_id}/edit", _event_form(when, address="Et sted ingen har hørt om"))
    with app.app_context():
        assert db.session.get(Event, event_id).latitude is None


def test_an_event_is_saved_without_a_point_when_the_address_search_does_not_answer(app_factory, hanging_geocoder):
    app = app_factory(GEOCODER_URL=hanging_geocoder.url, GEOCODER_TIMEOUT_SECONDS=0.5)
    client = Browser(app)
    organiser = make_user(app)
    assert client.submit("/account/login", {"email": organiser.email, "password": PASSWORD}).status_code == 302
    organisation = make_organisation(app, organiser)
    when = datetime.now(OSLO).replace(tzinfo=None, second=0, microsecond=0) + timedelta(days=9)
    response = client.submit(f"/events/new?organisation={organisation}", _event_form(when, address="Nonnegata 14"))
    assert response.status_code == 302
    with app.app_context():
        event = db.session.scalar(db.select(Event))
        assert event.address == "Nonnegata 14" and event.latitude is None


def _event_form(when: datetime, **fields) -> dict:
    values = {"title": "Loppemarked", "description": "Kjøp og selg brukte ting.", "district": "mollenberg",
              "meeting_place": "", "address": "Nonnegata 14", "starts_at": when.strftime("%Y-%m-%dT%H:%M"),
              "ends_at": (when + timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"), "capacity": "", "registration_deadline": "",
              "effort_area": "", "languages": ["nb"], "audience": "everyone", "repeat_weeks": "1"}
    values.update(fields)
    return values


MAP_PAGES = ["/districts/lademoen", "/ideas/?view=map", "/ideas/?view=map&district=lademoen&page=2",
             "/events/?view=map", "/events/?view=map&district=lademoen"]


def _measure(app, client, paths):
    from tests.helpers import count_queries

    counts, sizes = {}, {}
    for path in paths:
        client.get(path)
        with count_queries(app) as queries:
            response = client.get(path)
        assert response.status_code == 200, path
        counts[path], sizes[path] = len(queries), len(response.get_data())
    return counts, sizes


def test_map_pages_run_as_many_queries_with_many_located_items_and_stay_under_50_kb(app, client):
    organisation = make_organisation(app, districts=("lademoen",))
    place = _place(app)
    make_event(app, organisation, district="lademoen", meeting_place_id=place)
    _located_idea(app)
    paths = MAP_PAGES + [f"/meeting-places/{place}"]
    few, _sizes = _measure(app, client, paths)

    author = make_user(app)
    for n in range(45):
        place = _place(app, name=f"Møteplass nummer {n} med et ganske langt navn", address=f"Innherredsveien {n + 100}",
                        lat=63.433 + n / 10000, lon=10.42 + n / 5000)
        make_event(app, organisation, district="lademoen", title=f"Arrangement nummer {n} med en lang tittel",
                   meeting_place_id=place, starts_in_days=1 + n / 10)
        make_idea(app, author, district="lademoen", title=f"Idé nummer {n} om noe i nabolaget som trengs",
                  location_lat=63.434 + n / 10000, location_lon=10.421 + n / 5000, location_label=f"Mellomveien {n + 1}")
    many, sizes = _measure(app, client, paths)
    assert many == few
    assert all(size < 50_000 for size in sizes.values()), sizes


def test_a_title_with_quotes_and_markup_stays_text_in_the_map_data(app, client):
    title = "Benker' onmouseover='alert(1)' <script>x</script>"
    idea = _located_idea(app, title=title)
    page = soup(client.get("/districts/lademoen"))
    figure, data = _map(page, "district-map")
    assert not figure.has_attr("onmouseover") and not figure.find("script")
    assert [pin[4] for pin in data["pins"]] == [title] and _numbered(figure)[1] == (title, f"/ideas/{idea}")


def test_a_map_page_from_the_page_cache_still_loads_the_map_and_lets_in_the_tiles(app_factory, tmp_path):
    """The list and map of /ideas/ are kept in the page cache (whole pages for visitors, the part under the
    heading for people logged in): a page put together from the cache must still load the map script."""
    app = app_factory(MAP_TILE_URL=TILES, PAGE_CACHE_SECONDS=30, PAGE_CACHE_GENERATION_FILE=str(tmp_path / "generation"))
    _located_idea(app)
    visitor = app.test_client()
    member = Browser(app)
    user = make_user(app)
    assert member.submit("/account/login", {"email": user.email, "password": PASSWORD}).status_code == 302
    for client in (visitor, member, visitor, member):
        for path in ("/ideas/?view=map", "/events/?view=map"):
            response = client.get(path)
            assert _csp_img(response) == ["'self'", "data:", "https://tiles.example.no"], path
            assert "/static/map.js" in response.get_data(as_text=True), path
        listed = client.get("/ideas/")
        assert _csp_img(listed) == ["'self'", "data:"] and "map.js" not in listed.get_data(as_text=True)
