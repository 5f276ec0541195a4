"""A resident deletes their account: the personal data goes, public contributions stay as by
"deleted user", a future seat goes to the waitlist, and a restored backup does not bring them back."""
from __future__ import annotations

import shutil
import sqlite3

from sqlalchemy import text

from app.core.db import utcnow
from app.extensions import db
from tests.helpers import (
    PASSWORD,
    Browser,
    make_comment,
    make_event,
    make_idea,
    make_organisation,
    make_user,
    outbox,
    soup,
)

NAME, EMAIL, PHONE = "Ragnhild Sletteby", "ragnhild.sletteby@example.no", "41234567"


def _person_with_a_history(app) -> dict:
    from app.events import registration as seats
    from app.events.models import Event
    from app.feedback.models import Feedback
    from app.follows.models import Follow
    from app.ideas.models import Idea, Support

    me = make_user(app, email=EMAIL, display_name=NAME)
    other = make_user(app, email="ventende@example.no")
    idea = make_idea(app, me, title="Lys i Lademoparken")
    others_idea = make_idea(app, other, title="Benker ved elva")
    comment = make_comment(app, me, others_idea, body="Godt forslag!")
    organisation = make_organisation(app, name="Turlaget")
    event = make_event(app, organisation, title="Kveldstur", capacity=1)
    with app.test_request_context(method="POST"):
        full = db.session.get(Event, event)
        from app.accounts.models import User

        seats.register(full, user=db.session.get(User, me.id), phone=PHONE)
        seats.register(full, user=db.session.get(User, other.id))   # on the waitlist
        db.session.add(Support(idea_id=others_idea, user_id=me.id, created_at=utcnow(), created_month="2026-11"))
        db.session.get(Idea, others_idea).support_count = 1
        db.session.add(Follow(organisation_id=organisation, user_id=me.id, token_nonce="n", token_hash="h"))
        db.session.add(Feedback(district_id=full.district_id, body="Mørkt under brua.", receipt_code="DELE0001",
                                contact_name=NAME, contact_email=EMAIL, contact_phone=PHONE, contact_consent=True))
        db.session.commit()
    return {"me": me, "other": other, "idea": idea, "others_idea": others_idea, "comment": comment, "event": event}


def _delete(browser: Browser, password: str = PASSWORD):
    return browser.submit("/account/delete", {"password": password}, page="/account/delete")


def _log_in(app, user) -> Browser:
    browser = Browser(app)
    assert browser.submit("/account/login", {"email": user.email, "password": PASSWORD}).status_code == 302
    return browser


def test_deleting_the_account_erases_the_person_and_keeps_the_public_record(app):
    from app.events.models import Registration
    from app.feedback.models import Feedback
    from app.ideas.models import Idea

    made = _person_with_a_history(app)
    browser = _log_in(app, made["me"])
    assert soup(browser.get("/account/delete?lang=en")).find("h1").get_text(strip=True) == "Delete your account"
    response = _delete(browser)
    assert response.status_code == 302
    with app.app_context():
        tables = [t.name for t in db.metadata.sorted_tables]
        for table in tables:
            for row in db.session.execute(text(f'SELECT * FROM "{table}"')):
                flat = " ".join(str(value) for value in row)
                assert EMAIL not in flat and NAME not in flat and PHONE not in flat, table
        assert db.session.get(Idea, made["idea"]).author_id is None
        assert db.session.get(Idea, made["others_idea"]).support_count == 1
        waiting = db.session.scalar(db.select(Registration).where(Registration.user_id == made["other"].id))
        assert waiting.status == "confirmed"          # the freed seat went to the waitlist
        feedback = db.session.scalar(db.select(Feedback).where(Feedback.receipt_code == "DELE0001"))
        assert feedback.body == "Mørkt under brua." and feedback.contact_email is None
    page = Browser(app).get(f"/ideas/{made['idea']}?lang=en")
    assert "deleted user" in page.get_data(as_text=True) and NAME not in page.get_data(as_text=True)
    assert outbox(app, made["other"].email)      # told about the seat
    assert browser.get("/account/").status_code == 302          # logged out
    again = Browser(app).submit("/account/login", {"email": EMAIL, "password": PASSWORD})
    assert again.status_code != 302


def test_a_wrong_password_deletes_nothing_and_says_so_beside_the_field(app):
    made = _person_with_a_history(app)
    browser = _log_in(app, made["me"])
    response = _delete(browser, "feil passord")
    assert response.status_code == 400
    error = soup(response).find(id="password-error")
    assert error is not None and error.get_text(strip=True)
    empty = _delete(browser, "")
    assert empty.status_code == 400 and soup(empty).find(id="password-error") is not None
    assert browser.get("/account/").status_code == 200


def test_the_database_file_keeps_no_trace_after_a_checkpoint(app_factory, tmp_path):
    app = app_factory(SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'live.sqlite3'}")
    made = _person_with_a_history(app)
    assert _delete(_log_in(app, made["me"])).status_code == 302
    with app.app_context():
        db.engine.dispose()
    connection = sqlite3.connect(tmp_path / "live.sqlite3")
    assert connection.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()[0] == 0
    connection.close()
    raw = b"".join(path.read_bytes() for path in tmp_path.glob("live.sqlite3*"))
    for trace in (EMAIL, NAME, PHONE):
        assert trace.encode() not in raw, trace


def test_a_restored_backup_does_not_bring_an_erased_person_back(app_factory, tmp_path):
    log = tmp_path / "erasures.log"
    app = app_factory(SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'live.sqlite3'}", ERASURE_LOG=str(log))
    made = _person_with_a_history(app)
    runner = app.test_cli_runner()
    assert runner.invoke(args=["backup", str(tmp_path / "before.sqlite3")]).exit_code == 0
    assert _delete(_log_in(app, made["me"])).status_code == 302
    assert log.read_text().split() == [str(made["me"].id)]
    with app.app_context():
        db.engine.dispose()
    for leftover in tmp_path.glob("live.sqlite3-*"):
        leftover.unlink()
    shutil.copy(tmp_path / "before.sqlite3", tmp_path / "live.sqlite3")     # the restore
    with app.app_context():
        assert db.session.execute(text("SELECT count(*) FROM users WHERE email = :e"), {"e": EMAIL}).scalar() == 1
        db.session.remove()
    result = runner.invoke(args=["privacy", "reapply-erasures"])
    assert result.exit_code == 0 and "1 account" in result.output
    with app.app_context():
        assert db.session.execute(text("SELECT count(*) FROM users WHERE email = :e"), {"e": EMAIL}).scalar() == 0
        db.session.remove()
    assert "0 account" in runner.invoke(args=["privacy", "reapply-erasures"]).output


def test_visitors_are_sent_to_log_in_and_others_keep_their_accounts(app, client):
    assert client.get("/account/delete").status_code == 302
    someone = make_user(app)
    other = make_user(app)
    assert _delete(_log_in(app, someone)).status_code == 302
    assert _log_in(app, other).get("/account/").status_code == 200
