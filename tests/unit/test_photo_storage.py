"""A photo's files and its row never part ways (on disk here; in a bucket: tests/data/test_photo_storage_s3.py):
a transaction that does not commit leaves no file, a deletion takes the files only once committed, and
`flask photos sweep` removes files no photo names and reports photos whose files are gone."""
from __future__ import annotations

import os
import time

import pytest

from app.extensions import db
from app.ideas.models import Idea
from app.photos import services
from app.photos.models import Photo
from app.photos.storage import FileStorage
from tests.helpers import make_idea, make_user
from tests.photo_samples import make_photo, phone_jpeg


@pytest.fixture
def folder(tmp_path):
    return tmp_path / "photos"


@pytest.fixture
def photo_app(app_factory, folder):
    return app_factory(PHOTO_STORAGE_URL=f"file://{folder}")


def _files(folder) -> list[str]:
    return sorted(os.listdir(folder)) if folder.exists() else []


def _photo(key: str) -> Photo:
    return db.session.scalar(db.select(Photo).where(Photo.key == key))


def test_the_files_of_a_photo_are_written_whole_and_for_the_app_alone(photo_app, folder):
    author = make_user(photo_app)
    key = make_photo(photo_app, idea_id=make_idea(photo_app, author), by_id=author.id)
    assert _files(folder) == sorted(f"{key}-{w}.{ext}" for w in (320, 640, 1280) for ext in ("jpg", "webp"))
    assert all(oct((folder / name).stat().st_mode)[-3:] == "600" for name in _files(folder))
    assert oct(folder.stat().st_mode)[-3:] == "700"


def test_a_transaction_that_rolls_back_leaves_no_file(photo_app, folder):
    idea_id = make_idea(photo_app, make_user(photo_app))
    with photo_app.test_request_context():
        services.add_photo(db.session.get(Idea, idea_id), phone_jpeg(), alt_text="Benken", by=None)
        assert len(_files(folder)) == 6
        db.session.rollback()
    assert _files(folder) == []


def test_a_session_closed_without_a_commit_leaves_no_file(photo_app, folder):
    """A request that fails after the photo was stored ends its session without committing."""
    idea_id = make_idea(photo_app, make_user(photo_app))
    with photo_app.test_request_context():
        services.add_photo(db.session.get(Idea, idea_id), phone_jpeg(), alt_text="Benken", by=None)
        db.session.close()
    assert _files(folder) == []


def test_a_failed_commit_removes_the_stored_files(photo_app, folder):
    idea_id = make_idea(photo_app, make_user(photo_app))
    with photo_app.test_request_context():
        services.add_photo(db.session.get(Idea, idea_id), phone_jpeg(), alt_text="Benken", by=None)
        db.session.add(Photo(key="x" * 24, alt_text="", width=1, height=1, widths="1"))  # no owner: refused
        with pytest.raises(Exception):  # noqa: B017  (the database's own error, whichever it is)
            db.session.commit()
        db.session.rollback()
    assert _files(folder) == []


def test_a_removed_photo_loses_its_files_once_the_removal_is_committed(photo_app, folder):
    author = make_user(photo_app)
    key = make_photo(photo_app, idea_id=make_idea(photo_app, author), by_id=author.id)
    with photo_app.test_request_context():
        services.remove_photo(_photo(key))
        assert len(_files(folder)) == 6      # not yet: the removal may still be rolled back
        db.session.rollback()
    assert len(_files(folder)) == 6
    with photo_app.test_request_context():
        services.remove_photo(_photo(key))
        db.session.commit()
    assert _files(folder) == []


def test_deleting_the_photos_of_an_owner_deletes_their_files(photo_app, folder):
    author = make_user(photo_app)
    idea_id = make_idea(photo_app, author)
    make_photo(photo_app, idea_id=idea_id, by_id=author.id)
    make_photo(photo_app, idea_id=idea_id, by_id=author.id)
    with photo_app.test_request_context():
        assert services.delete_files_of(db.session.get(Idea, idea_id)) == 2
        db.session.commit()
    assert _files(folder) == []


def test_the_sweep_removes_old_files_without_a_photo_and_reports_photos_without_files(photo_app, folder):
    author = make_user(photo_app)
    key = make_photo(photo_app, idea_id=make_idea(photo_app, author), by_id=author.id)
    backend = FileStorage(folder)
    backend.put("oldoldoldoldoldoldoldold-320.jpg", b"\xff\xd8\xff", "image/jpeg")
    backend.put("newnewnewnewnewnewnewnew-320.jpg", b"\xff\xd8\xff", "image/jpeg")
    two_hours_ago = time.time() - 2 * 3600
    os.utime(folder / "oldoldoldoldoldoldoldold-320.jpg", (two_hours_ago, two_hours_ago))
    (folder / f"{key}-640.webp").unlink()
    (folder / "notes.txt").write_text("not a photo: left alone")

    result = photo_app.test_cli_runner().invoke(args=["photos", "sweep"])
    assert result.exit_code == 0
    assert "Removed 1 file(s)" in result.output
    assert f"Photo 1 is missing its file {key}-640.webp" in result.output
    assert "oldoldoldoldoldoldoldold-320.jpg" not in _files(folder)
    assert "newnewnewnewnewnewnewnew-320.jpg" in _files(folder)   # may be an upload on its way
    assert "notes.txt" in _files(folder) and f"{key}-320.jpg" in _files(folder)


def test_a_dry_run_of_the_sweep_removes_nothing(photo_app, folder):
    FileStorage(folder).put("oldoldoldoldoldoldoldold-320.jpg", b"\xff\xd8\xff", "image/jpeg")
    os.utime(folder / "oldoldoldoldoldoldoldold-320.jpg", (time.time() - 7200, time.time() - 7200))
    result = photo_app.test_cli_runner().invoke(args=["photos", "sweep", "--dry-run"])
    assert "Would remove 1 file(s)" in result.output
    assert _files(folder) == ["oldoldoldoldoldoldoldold-320.jpg"]
