"""What makes Medvirk recognisable outside its pages: the icon, the app manifest, the theme colour."""
from __future__ import annotations

import json
import re
from pathlib import Path

from tests.helpers import soup


def test_the_manifest_names_medvirk_and_every_icon_it_lists_is_an_image(client):
    response = client.get("/manifest.webmanifest?lang=en")
    assert response.status_code == 200
    assert response.mimetype == "application/manifest+json"
    manifest = json.loads(response.get_data(as_text=True))
    assert manifest["name"] == "Medvirk" and manifest["short_name"] == "Medvirk"
    assert manifest["start_url"] == "/" and manifest["display"] == "standalone" and manifest["lang"] == "en"
    assert manifest["theme_color"] and manifest["background_color"]
    sizes = set()
    for icon in manifest["icons"]:
        image = client.get(icon["src"])
        assert image.status_code == 200, icon["src"]
        assert image.mimetype == icon["type"]
        if icon["type"] == "image/png":
            data = image.get_data()
            assert data.startswith(b"\x89PNG\r\n\x1a\n")
            width, height = int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
            assert icon["sizes"] == f"{width}x{height}"
        sizes.add((icon["sizes"], icon.get("purpose", "any")))
        image.close()
    assert {("192x192", "any"), ("512x512", "any"), ("512x512", "maskable")} <= sizes


def test_every_page_links_the_icons_the_manifest_and_the_theme_colour(client):
    page = soup(client.get("/"))
    links = {" ".join(link["rel"]): link["href"] for link in page.find_all("link")}
    assert links["manifest"] == "/manifest.webmanifest"
    assert links["apple-touch-icon"].endswith(".png")
    assert page.find("meta", attrs={"name": "theme-color"})["content"] == json.loads(
        client.get("/manifest.webmanifest").get_data(as_text=True))["theme_color"]
    for link in page.find_all("link", rel=["icon", "apple-touch-icon"]):
        image = client.get(link["href"])
        assert image.status_code == 200 and image.mimetype.startswith("image/"), link["href"]
        image.close()


def test_the_old_favicon_address_answers_with_the_icon(client):
    response = client.get("/favicon.ico", follow_redirects=True)
    assert response.status_code == 200 and response.mimetype == "image/png"
    assert response.get_data().startswith(b"\x89PNG")
    response.close()


STYLESHEET = Path(__file__).resolve().parents[2] / "app" / "static" / "style.css"


def _rules(selector: str) -> str:
    """The declarations of the style sheet's rules for exactly this selector ("" when there are none)."""
    return "".join(re.findall(r"(?:^|\n)" + re.escape(selector) + r"\s*\{([^}]*)\}", STYLESHEET.read_text()))


def test_each_district_has_its_own_colour_and_shape_beside_its_name(client):
    page = soup(client.get("/?lang=nb"))
    cards = page.select("li.district-card")
    districts = [("lademoen", "Lademoen"), ("tempe-sorgenfri", "Tempe-Sorgenfri"), ("mollenberg", "Møllenberg")]
    assert [(next(c for c in card["class"] if c.startswith("d-"))[2:], card.get_text(strip=True)) for card in cards] == districts
    shapes = {_rules(f".d-{slug}") for slug, _name in districts}
    assert all("--d:" in rules and "--d-shape:" in rules for rules in shapes)
    assert len({re.search(r"--d-shape:([^;]+);", rules).group(1) for rules in shapes}) == len(districts)  # not colour alone
    # The shape is drawn by the style sheet, beside the name: nothing to understand is in an image.
    assert not page.select(".district-card img")


def test_a_district_added_later_is_shown_with_the_neutral_emblem(app, client):
    from app.districts.models import District
    from app.extensions import db

    with app.app_context():
        db.session.add(District(slug="saupstad", position=9, name_nb="Saupstad", name_nn="Saupstad", name_en="Saupstad"))
        db.session.commit()
    card = soup(client.get("/")).select_one("li.district-card.d-saupstad")
    assert card is not None and card.get_text(strip=True) == "Saupstad"
    assert _rules(".d-saupstad") == ""  # nothing of its own: the defaults on :root apply
    assert "--d-shape:" in _rules(":root") and "--d:" in _rules(":root")


def test_each_effort_area_has_a_decorative_drawing(client):
    page = soup(client.get("/"))
    items = page.select("ol.effort-areas > li")
    assert [item["class"] for item in items] == [[f"area-{n}"] for n in range(1, 5)]
    assert all("--a-art:" in _rules(f".area-{n}") for n in range(1, 5))
    assert not page.select(".effort-areas img")
