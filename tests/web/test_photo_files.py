"""Photo files as browsers get them: the right type, never sniffed, shown inline under a safe name, cached
long when public, and private or held photos only for those who may see them."""
from __future__ import annotations

import io
from datetime import timedelta

from PIL import Image

from app.core.db import utcnow
from tests.helpers import PASSWORD, Browser, make_idea, make_user
from tests.photo_samples import make_feedback, make_photo


def test_a_public_photo_is_served_as_webp_and_jpeg_with_safe_headers_and_a_long_cache(app, client):
    author = make_user(app)
    key = make_photo(app, idea_id=make_idea(app, author), by_id=author.id)
    for ext, mimetype, fmt in (("webp", "image/webp", "WEBP"), ("jpg", "image/jpeg", "JPEG")):
        response = client.get(f"/photos/{key}-640.{ext}")
        assert response.status_code == 200
        assert response.mimetype == mimetype
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert response.headers["Content-Disposition"] == f'inline; filename="photo-640.{ext}"'
        assert "max-age=31536000" in response.headers["Cache-Control"]
        assert "public" in response.headers["Cache-Control"]
        assert "Set-Cookie" not in response.headers
        img = Image.open(io.BytesIO(response.data))
        assert img.format == fmt and img.width == 640 and not img.getexif()


def test_a_signed_in_reader_gets_a_public_photo_cached_in_their_own_browser_only(app, client, login_as):
    author = make_user(app)
    key = make_photo(app, idea_id=make_idea(app, author), by_id=author.id)
    login_as("resident")
    response = client.get(f"/photos/{key}-320.jpg")
    assert response.status_code == 200
    assert response.headers["Cache-Control"].startswith("private, max-age=31536000")


def test_a_width_or_key_that_was_never_made_is_not_found(app, client):
    author = make_user(app)
    key = make_photo(app, idea_id=make_idea(app, author), by_id=author.id)
    assert client.get(f"/photos/{key}-800.jpg").status_code == 404
    assert client.get(f"/photos/{'a' * 24}-640.jpg").status_code == 404
    assert client.get(f"/photos/{key}-640.png").status_code == 404


def _signed_in(app, login_as, role: str, **fields) -> Browser:
    browser = Browser(app)
    login_as(role, browser=browser, **fields)
    return browser


def test_feedback_photos_are_not_found_for_visitors_residents_and_other_districts_moderators(app, client, login_as):
    key = make_photo(app, feedback_id=make_feedback(app, district="lademoen"))
    path = f"/photos/{key}-640.webp"
    assert client.get(path).status_code == 404
    assert _signed_in(app, login_as, "resident").get(path).status_code == 404
    assert _signed_in(app, login_as, "moderator", districts=("mollenberg",)).get(path).status_code == 404
    for browser in (_signed_in(app, login_as, "moderator", districts=("lademoen",)), _signed_in(app, login_as, "admin")):
        response = browser.get(path)
        assert response.status_code == 200
        assert response.headers["Cache-Control"] == "private, no-store"


def test_a_held_photo_is_seen_by_its_uploader_and_moderators_only(app, client, login_as):
    author = make_user(app)
    key = make_photo(app, idea_id=make_idea(app, author), by_id=author.id, held=True)
    path = f"/photos/{key}-320.jpg"
    assert client.get(path).status_code == 404
    assert _signed_in(app, login_as, "resident").get(path).status_code == 404
    uploader = Browser(app)
    uploader.submit("/account/login", {"email": author.email, "password": PASSWORD})
    assert uploader.get(path).status_code == 200
    assert _signed_in(app, login_as, "moderator", districts=("lademoen",)).get(path).status_code == 200


def test_a_hidden_idea_hides_its_photos(app, client):
    author = make_user(app)
    key = make_photo(app, idea_id=make_idea(app, author, hidden_at=utcnow(), hidden_reason="spam"), by_id=author.id)
    assert client.get(f"/photos/{key}-320.jpg").status_code == 404


def test_a_hidden_photo_is_gone_for_the_public(app, client):
    author = make_user(app)
    key = make_photo(app, idea_id=make_idea(app, author), by_id=author.id, hidden_at=utcnow() - timedelta(minutes=1))
    assert client.get(f"/photos/{key}-320.jpg").status_code == 404
