"""Photos sent with private feedback: for the district's moderators alone (on the feedback's moderation
page), never tied to an account, and deleted, files too, with the contact details after the retention
period, or when the person who left their address deletes their account."""
from __future__ import annotations

import io
from datetime import timedelta

import pytest
from sqlalchemy import select

from app.core.db import utcnow
from app.extensions import db
from app.feedback.models import Feedback
from app.photos.models import Photo
from app.photos.storage import storage
from tests import photo_samples as samples
from tests.helpers import PASSWORD, Browser, make_idea, make_user, soup
from tests.photo_samples import make_photo
from tests.seaweedfs import bucket, s3_server  # noqa: F401  (fixtures, found by pytest by name)
from tests.web.test_idea_photos import post_with_files

CONTACT = "nabo.med.bilde@example.no"


@pytest.fixture(params=["folder", "bucket"])
def storage_settings(request) -> dict:
    """Where photos are kept: on disk (the default), or in a bucket of a real S3 server (as in production
    with several app servers); what is deleted must be gone from either."""
    if request.param == "folder":
        return {}
    return request.getfixturevalue("s3_server").config(request.getfixturevalue("bucket"))


def _send(app, browser=None, **fields):
    browser = browser or Browser(app)
    data = {"body": "Lyset i undergangen er ødelagt.", "photos-0-file": (io.BytesIO(samples.phone_jpeg()), "lys.jpg"),
            "photos-0-alt_text": "Den mørke undergangen ved Innherredsveien"} | fields
    return post_with_files(browser, "/districts/lademoen/feedback", data)


def _photo(app) -> Photo | None:
    with app.app_context():
        photo = db.session.scalar(select(Photo))
        db.session.expunge_all()
        return photo


def _files_exist(app, photo: Photo) -> list[bool]:
    with app.app_context():
        return [storage().open(name) is not None for name in photo.file_names()]


def test_a_visitor_sends_feedback_with_a_photo_that_only_the_districts_moderators_see(app_factory):
    app = app_factory(FEEDBACK_MIN_SECONDS=0)
    response = _send(app)
    assert response.status_code == 302
    photo = _photo(app)
    assert photo is not None and photo.private and photo.uploaded_by_id is None
    with app.app_context():
        feedback_id = db.session.scalar(select(Feedback.id))
    path = f"/photos/{photo.key}-640.jpg"

    moderator = Browser(app)
    moderator.submit("/account/login", {"email": make_user(app, role="moderator", districts=("lademoen",)).email,
                                        "password": PASSWORD})
    page = soup(moderator.get(f"/moderation/items/feedback/{feedback_id}"))
    img = page.select_one(".item-text picture img")
    assert img is not None and img["alt"] == "Den mørke undergangen ved Innherredsveien"
    served = moderator.get(path)
    assert served.status_code == 200 and "no-store" in served.headers["Cache-Control"]

    other = Browser(app)
    other.submit("/account/login", {"email": make_user(app, role="moderator", districts=("mollenberg",)).email,
                                    "password": PASSWORD})
    resident = Browser(app)
    resident.submit("/account/login", {"email": make_user(app).email, "password": PASSWORD})
    for browser in (Browser(app), resident, other):
        assert browser.get(path).status_code == 404
    receipt = response.headers["Location"].split("?")[0]
    assert photo.key not in Browser(app).get(receipt).get_data(as_text=True)


def test_feedback_from_someone_signed_in_is_not_tied_to_them_through_its_photo(app_factory):
    app = app_factory(FEEDBACK_MIN_SECONDS=0)

    browser = Browser(app)
    user = make_user(app)
    browser.submit("/account/login", {"email": user.email, "password": PASSWORD})
    assert _send(app, browser).status_code == 302
    assert _photo(app).uploaded_by_id is None
    exported = browser.get("/account/export").get_json()
    assert _photo(app).key not in str(exported)


def test_a_file_we_cannot_take_is_refused_beside_it_and_the_feedback_is_kept(app_factory):
    app = app_factory(FEEDBACK_MIN_SECONDS=0)
    response = _send(app, **{"photos-0-file": (io.BytesIO(samples.php_polyglot()), "lys.jpg")})
    assert response.status_code == 400
    page = soup(response)
    assert page.find(id="photos-0-file-error") is not None
    assert page.find(id="body").get_text().strip() == "Lyset i undergangen er ødelagt."
    with app.app_context():
        assert db.session.scalar(select(Feedback.id)) is None


def test_the_purge_deletes_feedback_photos_and_their_files_with_the_contact_details(app_factory, storage_settings):
    app = app_factory(FEEDBACK_MIN_SECONDS=0, **storage_settings)
    assert _send(app).status_code == 302
    photo = _photo(app)
    assert all(_files_exist(app, photo))
    with app.app_context():
        db.session.scalar(select(Feedback)).created_at = utcnow() - timedelta(days=300)
        db.session.commit()
    app.test_cli_runner().invoke(args=["privacy", "purge"])
    assert _photo(app) is not None  # not yet past the retention period
    with app.app_context():
        db.session.scalar(select(Feedback)).created_at = utcnow() - timedelta(days=400)
        db.session.commit()
    result = app.test_cli_runner().invoke(args=["privacy", "purge"])
    assert result.exit_code == 0, result.output
    assert _photo(app) is None
    assert not any(_files_exist(app, photo))
    with app.app_context():
        assert db.session.scalar(select(Feedback)) is not None  # the feedback itself stays


def test_deleting_an_account_deletes_its_idea_photos_and_the_photos_of_feedback_with_its_address(app_factory,
                                                                                                storage_settings):
    app = app_factory(FEEDBACK_MIN_SECONDS=0, **storage_settings)

    user = make_user(app, email=CONTACT)
    idea_key = make_photo(app, idea_id=make_idea(app, user), by_id=user.id)
    assert _send(app, contact_email=CONTACT, contact_consent="y").status_code == 302
    with app.app_context():
        photos = list(db.session.scalars(select(Photo)))
        db.session.expunge_all()
    assert {p.key for p in photos} > {idea_key} and len(photos) == 2
    browser = Browser(app)
    browser.submit("/account/login", {"email": CONTACT, "password": PASSWORD})
    assert browser.submit("/account/delete", {"password": PASSWORD}).status_code == 302
    with app.app_context():
        assert db.session.scalars(select(Photo)).all() == []
    for photo in photos:
        assert not any(_files_exist(app, photo))


def test_the_data_export_links_the_photos_on_ones_own_ideas(app, client, login_as):

    me = login_as("resident")
    key = make_photo(app, idea_id=make_idea(app, me), by_id=me.id, alt_text="Benken min")
    other = make_user(app)
    other_key = make_photo(app, idea_id=make_idea(app, other), by_id=other.id)
    exported = client.get("/account/export").get_json()
    [photo] = exported["ideas"][0]["photos"]
    assert photo["description"] == "Benken min" and f"/photos/{key}-1280.jpg" in photo["file"]
    assert client.get(photo["file"].split("localhost", 1)[-1]).status_code == 200
    assert other_key not in str(exported)


def test_refused_photos_count_against_the_hourly_limit_before_they_are_read(app_factory, monkeypatch):
    app = app_factory(FEEDBACK_MIN_SECONDS=0, FEEDBACK_PER_HOUR=2)
    from app.photos import forms

    reads = []
    real_process = forms.process
    monkeypatch.setattr(forms, "process", lambda stream: reads.append(1) or real_process(stream))
    browser = Browser(app)
    def broken():
        return {"photos-0-file": (io.BytesIO(samples.truncated_jpeg()), "lys.jpg")}

    assert [_send(app, browser, **broken()).status_code for _ in range(2)] == [400, 400]
    refused = _send(app, browser, **broken())
    assert refused.status_code == 429
    assert len(reads) == 2   # the third photo was never read
    assert soup(refused).find(id="body").get_text().strip() == "Lyset i undergangen er ødelagt."
