"""Erased personal data stayed readable in SQLite's write-ahead log: the tester deleted an account
and read the address and name straight out of ``medvirk.sqlite3-wal``. After an erasure the log is
checkpointed and emptied, and ``secure_delete`` has overwritten the freed cells, so neither file
holds a trace, without anyone running a checkpoint by hand."""
from __future__ import annotations

from tests.helpers import PASSWORD, Browser, make_comment, make_idea, make_user

NAME, EMAIL = "Ragnhild Sletteby", "ragnhild.sletteby@example.no"


def test_no_trace_in_the_database_files_right_after_deleting_the_account(app_factory, tmp_path):
    app = app_factory(SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'live.sqlite3'}")
    me = make_user(app, email=EMAIL, display_name=NAME)
    idea = make_idea(app, me, title="Lys i Lademoparken")
    make_comment(app, me, idea)
    browser = Browser(app)
    assert browser.submit("/account/login", {"email": EMAIL, "password": PASSWORD}).status_code == 302
    assert (tmp_path / "live.sqlite3-wal").exists()
    assert browser.submit("/account/delete", {"password": PASSWORD}).status_code == 302
    raw = b"".join(path.read_bytes() for path in tmp_path.glob("live.sqlite3*"))
    for trace in (EMAIL, NAME):
        assert trace.encode() not in raw, trace
