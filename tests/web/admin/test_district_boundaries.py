"""A district's boundary in /admin/districts: the seeded one marked approximate, an official one uploaded as a
file or pasted, previewed on the map before saving, audited, matched against at once; and a bad upload
refused beside its field with the old boundary kept."""
from __future__ import annotations

import io
import json
from urllib.parse import urlencode

import pytest

from app.core.models import AuditEntry
from app.districts.models import District
from app.extensions import db
from tests.helpers import soup

URL = "/admin/districts/mollenberg/boundary"
# Møllenberg stretched west over the river to take in Munkegata: an address that was outside every district.
WIDER = {"type": "Polygon", "coordinates": [[[10.390, 63.4285], [10.424, 63.4285], [10.424, 63.4333],
                                              [10.390, 63.4333], [10.390, 63.4285]]]}
MUNKEGATA = {"address": "Munkegata 1", "lang": "en"}


@pytest.fixture
def admin(client, login_as):
    user = login_as("admin", two_factor=True)
    client.set_cookie("lang", "en")
    return user


def mollenberg(app) -> District:
    with app.app_context():
        district = db.session.scalar(db.select(District).where(District.slug == "mollenberg"))
        db.session.expunge(district)
        return district


def district_of_munkegata(client) -> str:
    page = soup(client.get("/districts/find?" + urlencode(MUNKEGATA)))
    link = page.select_one(".found-places li a")
    return link.get_text() if link else "outside"


def test_the_seeded_boundary_is_shown_on_a_map_and_said_to_be_approximate(app, client, admin):
    page = soup(client.get(URL))
    assert "This boundary is approximate" in page.get_text()
    assert len(page.select("#boundary-map path.area")) == 3
    assert len(page.select("#boundary-map path.area.current")) == 1
    listing = soup(client.get("/admin/districts"))
    assert "Approximate" in listing.get_text()
    assert listing.find("a", href=URL)
    edit = soup(client.get("/admin/districts/mollenberg/edit"))
    assert " ".join(edit.find("a", href=URL).parent.get_text().split()) == "Boundary of Møllenberg (approximate)"


def test_an_official_boundary_uploaded_as_a_file_is_previewed_then_saved_and_used_at_once(app, client, admin):
    before = mollenberg(app).boundary
    assert district_of_munkegata(client) == "outside"
    file = (io.BytesIO(json.dumps({"type": "Feature", "geometry": WIDER}).encode()), "mollenberg.geojson")
    preview = client.submit(URL, {"boundary_file": file, "preview": "1"}, content_type="multipart/form-data")
    assert preview.status_code == 200
    page = soup(preview)
    assert "It is not saved yet" in page.get_text()
    assert "It overlaps" not in page.get_text()
    assert mollenberg(app).boundary == before                          # nothing saved by looking
    pasted = page.find("textarea", id="boundary").get_text()          # saving sends what was previewed
    saved = client.submit(URL, {"boundary": pasted})
    assert saved.status_code == 302
    district = mollenberg(app)
    assert district.boundary_official and district.boundary != before
    assert district_of_munkegata(client) == "Møllenberg"
    assert "This is the official boundary" in soup(client.get(URL)).get_text()
    with app.app_context():
        (entry,) = db.session.scalars(db.select(AuditEntry).where(AuditEntry.action == "district.boundary")).all()
        assert entry.target_type == "District" and entry.changes == {"boundary_official": [False, True]}


def test_a_boundary_overlapping_another_district_is_pointed_out_in_the_preview(client, admin):
    lademoen_and_more = {"type": "Polygon", "coordinates": [[[10.41, 63.432], [10.43, 63.432], [10.43, 63.44],
                                                             [10.41, 63.44], [10.41, 63.432]]]}
    page = soup(client.submit(URL, {"boundary": json.dumps(lademoen_and_more), "preview": "1"}))
    assert "It overlaps Lademoen" in page.get_text()


BAD = {
    "broken": ('{"type": "Polygon", "coordinates": [[[10.41, 63.43], [10.42', "This is not GeoJSON"),
    "self-intersecting": (json.dumps({"type": "Polygon", "coordinates": [[[10.41, 63.43], [10.42, 63.44], [10.42, 63.43],
                                                                          [10.41, 63.44], [10.41, 63.43]]]}),
                          "The boundary crosses itself"),
    "outside Norway": (json.dumps({"type": "Polygon", "coordinates": [[[2.35, 48.85], [2.36, 48.85], [2.36, 48.86],
                                                                       [2.35, 48.85]]]}), "outside Norway"),
    "oversized": (json.dumps({"type": "Polygon", "coordinates": [[[10.4 + i * 1e-6, 63.43] for i in range(20_001)]
                                                                 + [[10.5, 63.5], [10.4, 63.43]]]}), "too many points"),
    "not an area": (json.dumps({"type": "LineString", "coordinates": [[10.41, 63.43], [10.42, 63.44]]}), "an area"),
}


@pytest.mark.parametrize("kind", BAD)
def test_a_bad_file_is_refused_beside_its_field_and_the_old_boundary_stays(app, client, admin, kind):
    text, message = BAD[kind]
    before = mollenberg(app)
    response = client.submit(URL, {"boundary_file": (io.BytesIO(text.encode()), "grense.geojson")},
                             content_type="multipart/form-data")
    assert response.status_code == 400
    page = soup(response)
    assert message in page.find(id="boundary_file-error").get_text()
    assert page.select_one(".error-summary a")["href"] == "#boundary_file"
    after = mollenberg(app)
    assert (after.boundary, after.boundary_official, after.boundary_updated_at) == (
        before.boundary, before.boundary_official, before.boundary_updated_at)
    with app.app_context():
        assert not db.session.scalars(db.select(AuditEntry).where(AuditEntry.action == "district.boundary")).all()


def test_bad_pasted_text_is_refused_beside_the_text_box_and_kept_there(client, admin):
    text = '{"type": "Polygon"'
    page = soup(client.submit(URL, {"boundary": text}))
    assert "This is not GeoJSON" in page.find(id="boundary-error").get_text()
    assert page.find("textarea", id="boundary").get_text().strip() == text


def test_a_file_that_is_not_text_is_refused(client, admin):
    response = client.submit(URL, {"boundary_file": (io.BytesIO(b"\x89PNG\r\n\x1a\n\xff\xfe"), "kart.png")},
                             content_type="multipart/form-data")
    assert "This is not GeoJSON" in soup(response).find(id="boundary_file-error").get_text()


def test_sending_nothing_asks_for_a_file_or_text(client, admin):
    response = client.submit(URL, {})
    assert response.status_code == 400
    assert "Choose a GeoJSON file or paste its text" in soup(response).find(id="boundary_file-error").get_text()


def test_a_district_cannot_be_named_like_the_address_search_beside_the_district_pages(client, admin):
    response = client.submit("/admin/districts/new", {"slug": "find", "name_nb": "Finn", "position": "9"})
    assert response.status_code == 400
    assert "That short name is taken" in soup(response).find(id="slug-error").get_text()
