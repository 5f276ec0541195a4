"""Posters for the notice board, and passing a page on: what is printed leads back to the page."""
from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest
import segno

from app.core.db import utcnow
from app.extensions import db
from tests.helpers import make_event, make_organisation, soup


def qr_payload_matches(page, url: str) -> bool:
    """Whether the QR code drawn on the page is exactly the QR code of ``url``.

    No QR decoder is installed, so the dark modules are read back from the SVG path and compared
    with segno's code for the address, at each error correction level."""
    svg = page.select_one(".poster-qr svg")
    if svg is None:
        return False
    size = int(svg["viewbox"].split()[2])
    x = y = 0.0
    dark: set[tuple[int, int]] = set()
    for command, a, b in re.findall(r"([Mmh])(-?[\d.]+)(?:[ ,](-?[\d.]+))?", svg.find("path", stroke=True)["d"]):
        if command == "M":
            x, y = float(a), float(b)
        elif command == "m":
            x, y = x + float(a), y + float(b)
        else:
            dark |= {(int(y), int(x) + i) for i in range(int(float(a)))}
            x += float(a)
    for level in "lmqh":
        code = segno.make(url, error=level, boost_error=False, micro=False)
        border = (size - len(code.matrix)) // 2
        expected = {(r + border, c + border) for r, row in enumerate(code.matrix) for c, on in enumerate(row) if on}
        if expected == dark:
            return True
    return False


def _base(app) -> str:
    return app.config["BASE_URL"].rstrip("/")


def _facts(page) -> dict[str, str]:
    return {dt.get_text(strip=True): " ".join(dt.find_next_sibling("dd").get_text(" ").split()) for dt in page.find_all("dt")}


def test_an_events_poster_has_its_title_time_place_and_a_code_leading_to_the_event(app, client):
    event_id = make_event(app, make_organisation(app), title="Språkkafé på torsdag", address="Nonnegata 14")
    event_page = soup(client.get(f"/events/{event_id}?lang=nb"))
    response = client.get(f"/events/{event_id}/poster?lang=nb")
    assert response.status_code == 200
    poster = soup(response)
    assert poster.find("h1").get_text(strip=True) == "Språkkafé på torsdag"
    facts = _facts(poster)
    assert facts["Når"] == _facts(event_page)["Når"]          # the time as the event's page gives it
    assert facts["Hvor"] == "Nonnegata 14"
    assert "Vi snakker norsk" in poster.find(class_="poster-text").get_text()
    url = f"{_base(app)}/events/{event_id}"
    assert url in poster.find(class_="poster-url").get_text()
    assert qr_payload_matches(poster, url)
    assert not qr_payload_matches(poster, f"{_base(app)}/events/{event_id + 1}")  # the check can fail
    # Printable as it is: no menu, no inline code (the CSP allows none), a style sheet for A4.
    assert poster.find("header") is None and poster.find("nav", class_="main-nav") is None
    assert all(script.get("src") for script in poster.find_all("script"))
    assert not poster.find_all("style") and not poster.find_all(style=True)
    assert "/static/poster.css" in [link["href"] for link in poster.find_all("link", rel="stylesheet")]


def test_a_weekly_series_poster_names_its_later_dates(app, client):
    organisation = make_organisation(app)
    ids = [make_event(app, organisation, title="Leksehjelp", starts_in_days=7 * week + 1, series_id="s" * 32)
           for week in range(3)]
    facts = _facts(soup(client.get(f"/events/{ids[0]}/poster?lang=nb")))
    with app.app_context():
        from zoneinfo import ZoneInfo

        from app.events.models import Event

        starts = db.session.get(Event, ids[2]).starts_at
        last = (starts if starts.tzinfo else starts.replace(tzinfo=ZoneInfo("UTC"))).astimezone(ZoneInfo("Europe/Oslo"))
    dates = facts["Flere datoer"].split(" · ")
    assert len(dates) == 2 and f" {last.day}. " in f" {dates[1]}", dates  # "tir. 22. des."
    assert "Flere datoer" not in _facts(soup(client.get(f"/events/{ids[2]}/poster?lang=nb")))


def test_the_posters_text_is_in_the_chosen_language(app, client):
    event_id = make_event(app, make_organisation(app))
    english = soup(client.get(f"/events/{event_id}/poster?lang=en"))
    assert english.find("html")["lang"] == "en" and "When" in _facts(english)
    assert "Everyone is welcome." in english.get_text()
    nynorsk = soup(client.get(f"/events/{event_id}/poster?lang=nn"))
    assert nynorsk.find("html")["lang"] == "nn" and "Everyone is welcome." not in nynorsk.get_text()


def test_the_code_leads_to_the_sites_own_address_whatever_host_the_request_named(app, client):
    event_id = make_event(app, make_organisation(app))
    poster = soup(client.get(f"/events/{event_id}/poster", headers={"Host": "evil.example"}))
    assert qr_payload_matches(poster, f"{_base(app)}/events/{event_id}")
    assert "evil.example" not in str(poster)


def test_cancelled_held_and_missing_events_have_no_poster(app, client):
    organisation = make_organisation(app)
    cancelled = make_event(app, organisation, status="cancelled", cancelled_at=utcnow())
    held = make_event(app, organisation, status="held")
    assert client.get(f"/events/{cancelled}").status_code == 200   # the page says it is cancelled ...
    assert client.get(f"/events/{cancelled}/poster").status_code == 404   # ... but nobody prints it
    assert client.get(f"/events/{held}/poster").status_code == 404
    assert client.get("/events/999999/poster").status_code == 404


def _place(app, **fields) -> int:
    from app.districts.services import get_district
    from app.meeting_places.models import MeetingPlace

    with app.app_context():
        place = MeetingPlace(district_id=get_district("lademoen").id, name="Bydelskafeen", address="Innherredsveien 60",
                             opening_hours="Mandag 10–20", description_html="<p>Kaffe og <em>brettspill</em>.</p>",
                             **fields)
        db.session.add(place)
        db.session.commit()
        return place.id


def test_a_meeting_places_poster_has_its_name_hours_address_next_events_and_code(app, client):
    place_id = _place(app)
    make_event(app, make_organisation(app, districts=("lademoen",)), district="lademoen", title="Brettspillkveld",
               meeting_place_id=place_id)
    poster = soup(client.get(f"/meeting-places/{place_id}/poster?lang=en"))
    assert poster.find("h1").get_text(strip=True) == "Bydelskafeen"
    facts = _facts(poster)
    assert facts["Where"] == "Innherredsveien 60" and facts["Opening hours"] == "Mandag 10–20"
    assert poster.find(class_="poster-text").get_text() == "Kaffe og brettspill."
    assert "Brettspillkveld" in poster.find(class_="poster-events").get_text()
    assert qr_payload_matches(poster, f"{_base(app)}/meeting-places/{place_id}")


def test_a_retired_meeting_place_has_no_poster_and_a_merged_one_leads_to_the_other(app, client):
    kept = _place(app)
    retired = _place(app, retired_at=utcnow())
    merged = _place(app, merged_into_id=kept)
    assert client.get(f"/meeting-places/{retired}/poster").status_code == 404
    response = client.get(f"/meeting-places/{merged}/poster")
    assert response.status_code == 301 and urlsplit(response.headers["Location"]).path == f"/meeting-places/{kept}/poster"


def test_a_districts_poster_invites_people_and_leads_to_the_district(app, client):
    make_event(app, make_organisation(app), title="Nabolagsmiddag")
    poster = soup(client.get("/districts/mollenberg/poster?lang=en"))
    assert "Møllenberg" in poster.find("h1").get_text()
    assert "Nabolagsmiddag" in poster.find(class_="poster-events").get_text()
    assert poster.select_one("main.poster.d-mollenberg") is not None
    assert qr_payload_matches(poster, f"{_base(app)}/districts/mollenberg")


def test_a_retired_or_unknown_district_has_no_poster(app, client):
    from app.districts.models import District

    with app.app_context():
        db.session.execute(db.update(District).where(District.slug == "mollenberg").values(retired_at=utcnow()))
        db.session.commit()
    assert client.get("/districts/mollenberg").status_code == 200
    assert client.get("/districts/mollenberg/poster").status_code == 404
    assert client.get("/districts/nowhere/poster").status_code == 404


@pytest.mark.parametrize("kind", ["event", "place", "district"])
def test_pages_offer_their_address_to_share_and_their_poster_without_third_parties(app, client, kind):
    if kind == "event":
        path = f"/events/{make_event(app, make_organisation(app))}"
    elif kind == "place":
        path = f"/meeting-places/{_place(app)}"
    else:
        path = "/districts/lademoen"
    page = soup(client.get(path + "?lang=en"))
    box = page.find(attrs={"data-share": True})
    assert box.find("input")["value"] == _base(app) + path and box.find("input").has_attr("readonly")
    assert box.find("label", attrs={"for": box.find("input")["id"]}) is not None
    assert box.find("button").has_attr("hidden")   # only share.js shows it, where it can work
    assert box.find("a", href=path + "/poster") is not None
    assert client.get(path + "/poster").status_code == 200
    assert "/static/share.js" in [script.get("src") for script in page.find_all("script")]
    # Nothing on the page is fetched from, or sends the reader to, another site to share.
    addresses = [tag.get("src") or tag.get("href") or "" for tag in page.find_all(["script", "img", "iframe", "link", "a"])]
    assert not [a for a in addresses if a.startswith(("http:", "https:", "//")) and "share" in a.lower()]
