"""Photo files as browsers get them: the right type, never sniffed, shown inline under a safe name, cached
long when public, and private or held photos only for those who may see them."""
from __future__ import annotations

import io
from datetime import timedelta

from bs4 import BeautifulSoup
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


def test_the_picture_macro_offers_webp_and_jpeg_at_every_width_lazily_with_its_size_and_description(app):
    from flask import render_template_string

    from app.extensions import db
    from app.photos.models import Photo

    author = make_user(app)
    key = make_photo(app, idea_id=make_idea(app, author), by_id=author.id, alt_text="Benken <ved> lekeplassen")
    with app.test_request_context():
        photo = db.session.scalar(db.select(Photo).where(Photo.key == key))
        html = render_template_string('{% from "photos/_picture.html" import picture %}{{ picture(photo) }}',
                                      photo=photo)
    page = BeautifulSoup(html, "html.parser")
    source, img = page.select_one("picture source"), page.select_one("picture img")
    assert source["type"] == "image/webp"
    assert source["srcset"] == ", ".join(f"/photos/{key}-{w}.webp {w}w" for w in (320, 640, 1280))
    assert img["srcset"] == ", ".join(f"/photos/{key}-{w}.jpg {w}w" for w in (320, 640, 1280))
    assert img["src"] == f"/photos/{key}-640.jpg"
    assert (img["width"], img["height"]) == ("1280", "960")
    assert img["loading"] == "lazy" and img["alt"] == "Benken <ved> lekeplassen" and img["sizes"]
    assert "<ved>" not in html


def test_the_photo_part_of_a_form_numbers_each_photo_and_explains_why_a_description_is_needed(app):
    from flask import render_template_string
    from flask_wtf import FlaskForm

    from app.photos.forms import photo_fields

    class Form(FlaskForm):
        photos = photo_fields(2)

    with app.test_request_context("/?lang=en"):
        html = render_template_string('{% from "photos/_form.html" import photo_fields %}{{ photo_fields(form.photos) }}',
                                      form=Form(meta={"csrf": False}))
    assert 'for="photos-0-file">Photo 1' in html and 'for="photos-1-alt_text">What photo 2 shows' in html
    assert 'accept="image/jpeg,image/png,image/webp,image/heic,image/heif' in html
    assert 'type="file"' in html and "read aloud" in html


def _validated_photo_form():
    from flask_wtf import FlaskForm

    from app.photos.forms import photo_fields

    class Form(FlaskForm):
        photos = photo_fields(2)

    form = Form(meta={"csrf": False})
    form.validate()
    return form


def test_a_refused_photo_gets_its_message_beside_its_own_field_and_in_the_summary(app):
    from flask import render_template_string

    from tests import photo_samples

    data = {"photos-0-file": (io.BytesIO(photo_samples.SVG_WITH_SCRIPT), "benken.jpg"), "photos-0-alt_text": "Benken",
            "photos-1-alt_text": "Tekst uten bilde"}
    with app.test_request_context("/?lang=en", method="POST", data=data, content_type="multipart/form-data"):
        form = _validated_photo_form()
        html = render_template_string(
            '{% from "_macros/forms.html" import error_summary %}{% from "photos/_form.html" import photo_fields %}'
            '{{ error_summary(form) }}{{ photo_fields(form.photos) }}', form=form)
    page = BeautifulSoup(html, "html.parser")
    assert page.select_one(".error-summary a")["href"] == "#photos-0-file"
    assert "not a photo we can take" in page.select_one("#photos-0-file-error").get_text()
    assert page.select_one("#photos-1-alt_text-error") is None   # a description without a photo is left alone
    assert page.select_one("#photos-0-alt_text")["value"] == "Benken"


def test_a_photo_without_a_description_is_asked_for_one(app):
    from tests import photo_samples

    data = {"photos-0-file": (io.BytesIO(photo_samples.webp()), "benk.webp"), "photos-0-alt_text": "  "}
    with app.test_request_context("/?lang=en", method="POST", data=data, content_type="multipart/form-data"):
        form = _validated_photo_form()
        assert form.photos[0].form.alt_text.errors == ["Describe the photo in a few words, for those who cannot see it."]
        assert form.photos[0].form.processed is not None
