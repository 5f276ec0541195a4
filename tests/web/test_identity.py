"""What makes Medvirk recognisable outside its pages: the icon, the app manifest, the theme colour."""
from __future__ import annotations

import json

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
