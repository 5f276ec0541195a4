"""Photos in S3-compatible object storage, against a real server (SeaweedFS on loopback, tests/seaweedfs.py):
files go in, come out and go away; several app servers on one database and one bucket share the photos;
a transaction that does not commit leaves no file, and the sweep finds what slipped through."""
from __future__ import annotations

from datetime import timedelta

import pytest

from app import create_app
from app.extensions import db
from app.photos import services
from app.photos.models import Photo
from app.photos.storage import S3Storage, storage
from tests.helpers import Browser, make_idea, make_user
from tests.photo_samples import make_photo, phone_jpeg


def _objects(s3_server, bucket_name: str) -> list[str]:
    listing = s3_server.client().list_objects_v2(Bucket=bucket_name)
    return sorted(item["Key"] for item in listing.get("Contents", []))


def test_a_file_goes_in_comes_out_and_goes_away(s3_server, bucket):
    backend = S3Storage(bucket, endpoint_url=s3_server.endpoint_url, access_key=s3_server.access_key,
                        secret_key=s3_server.secret_key)
    name = "abcdefghijklmnopqrstuvwx-640.webp"
    backend.put(name, b"RIFF0000WEBPdata", "image/webp")
    assert backend.open(name) == b"RIFF0000WEBPdata"
    assert [item.name for item in backend.names()] == [name]
    head = s3_server.client().head_object(Bucket=bucket, Key=name)
    assert head["ContentType"] == "image/webp"
    backend.delete(name)
    assert backend.open(name) is None
    assert list(backend.names()) == []
    backend.delete(name)   # deleting what is gone is no error


def test_a_prefix_keeps_the_photos_apart_from_the_rest_of_the_bucket(s3_server, bucket):
    s3_server.client().put_object(Bucket=bucket, Key="backups/other.txt", Body=b"x")
    backend = S3Storage(bucket, "medvirk/photos", endpoint_url=s3_server.endpoint_url,
                        access_key=s3_server.access_key, secret_key=s3_server.secret_key)
    backend.put("abcdefghijklmnopqrstuvwx-320.jpg", b"\xff\xd8\xff", "image/jpeg")
    assert [item.name for item in backend.names()] == ["abcdefghijklmnopqrstuvwx-320.jpg"]
    assert "medvirk/photos/abcdefghijklmnopqrstuvwx-320.jpg" in _objects(s3_server, bucket)


def test_two_app_servers_on_one_database_and_one_bucket_see_each_others_photos(app_factory, s3_server, bucket,
                                                                               tmp_path):
    config = s3_server.config(bucket)
    first = app_factory(**config)
    if first.config["SQLALCHEMY_DATABASE_URI"] == "sqlite://":
        # In memory each app would have a database of its own: both use one file instead.
        first = app_factory(SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'shared.sqlite'}", **config)
    second = create_app("testing", dict(config, SQLALCHEMY_DATABASE_URI=first.config["SQLALCHEMY_DATABASE_URI"]))
    try:
        author = make_user(first)
        key = make_photo(first, idea_id=make_idea(first, author), by_id=author.id)
        path = f"/photos/{key}-640.webp"
        from_first, from_second = Browser(first).get(path), Browser(second).get(path)
        assert from_second.status_code == 200 and from_second.mimetype == "image/webp"
        assert from_second.data == from_first.data
        assert len(_objects(s3_server, bucket)) == 6   # three widths, WebP and JPEG

        with second.test_request_context():
            services.remove_photo(db.session.scalar(db.select(Photo).where(Photo.key == key)))
            db.session.commit()
        assert Browser(first).get(path).status_code == 404
        assert _objects(s3_server, bucket) == []
    finally:
        with second.app_context():
            db.engine.dispose()


def test_a_transaction_that_does_not_commit_leaves_no_file_in_the_bucket(app_factory, s3_server, bucket):
    app = app_factory(**s3_server.config(bucket))
    author = make_user(app)
    idea_id = make_idea(app, author)
    with app.test_request_context():
        from app.ideas.models import Idea

        services.add_photo(db.session.get(Idea, idea_id), phone_jpeg(), alt_text="Benken", by=None)
        assert len(_objects(s3_server, bucket)) == 6
        db.session.rollback()
    assert _objects(s3_server, bucket) == []


def test_the_sweep_removes_files_without_a_photo_and_reports_photos_without_files(app_factory, s3_server, bucket):
    app = app_factory(**s3_server.config(bucket))
    author = make_user(app)
    key = make_photo(app, idea_id=make_idea(app, author), by_id=author.id)
    client = s3_server.client()
    client.put_object(Bucket=bucket, Key="orphanorphanorphanorphan-320.jpg", Body=b"\xff\xd8\xff")
    client.delete_object(Bucket=bucket, Key=f"{key}-1280.jpg")
    with app.app_context():
        young = services.sweep()
        assert young.removed == []   # the orphan may be an upload whose row is on its way
        report = services.sweep(grace=timedelta(0))
        assert report.removed == ["orphanorphanorphanorphan-320.jpg"]
        assert [name for _id, name in report.missing] == [f"{key}-1280.jpg"]
        assert storage().open(f"{key}-640.webp") is not None
    assert "orphanorphanorphanorphan-320.jpg" not in _objects(s3_server, bucket)


@pytest.mark.parametrize("name", ["../../etc/passwd", "a-1.webp", "abcdefghijklmnopqrstuvwx-640.svg"])
def test_only_photo_file_names_reach_the_bucket(s3_server, bucket, name):
    backend = S3Storage(bucket, endpoint_url=s3_server.endpoint_url, access_key=s3_server.access_key,
                        secret_key=s3_server.secret_key)
    with pytest.raises(ValueError):
        backend.put(name, b"x", "image/webp")
