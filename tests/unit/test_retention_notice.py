"""The privacy notice states each retention period the code enforces, and purge enforces exactly that period."""
from __future__ import annotations

import logging
from datetime import timedelta

import pytest

from app.core import logs, settings
from app.core.db import utcnow
from app.extensions import db
from tests.helpers import make_user, soup

# Each retention setting, with the heading it has in /privacy (in English) and a distinctive value.
STATED = {
    "REGISTRATION_RETENTION_DAYS": ("Event registrations", 11),
    "FOLLOW_UNCONFIRMED_DAYS": ("Email addresses of people who follow a meeting place or an organisation", 13),
    "FEEDBACK_CONTACT_RETENTION_DAYS": ("Contact details, the place and the photos left with feedback", 17),
    "OUTBOX_RETENTION_DAYS": ("Copies of emails we have sent", 19),
    "AUDIT_RETENTION_DAYS": ("Record of what moderators and administrators do (audit log)", 23),
    "LOG_RETENTION_DAYS": ("Technical logs", 29),
    "UNVERIFIED_ACCOUNT_RETENTION_DAYS": ("Accounts where the email address was never confirmed", 31),
    "SURVEY_FREE_TEXT_RETENTION_DAYS": ("What you write in your own words in a survey", 37),
}
DISTINCT = {key: days for key, (_heading, days) in STATED.items()}


def test_every_retention_period_the_code_reads_is_stated_in_the_notice(app_factory):
    app = app_factory(**DISTINCT)
    with app.app_context():
        read_by_code = set(vars(settings.retention()).values())
    assert read_by_code == set(DISTINCT.values()), "a retention setting is missing from STATED or from retention()"

    page = soup(app.test_client().get("/privacy?lang=en"))
    for key, (heading, days) in STATED.items():
        term = page.find("dt", string=heading)
        assert term is not None, f"/privacy has no entry for {key}"
        assert f"{days} days" in term.find_next_sibling("dd").get_text(), f"/privacy states another period for {key}"


def _add(app, row):
    with app.app_context():
        db.session.add(row)
        db.session.commit()


def _outbox(app, age):
    from app.core.models import OutboxMessage

    _add(app, OutboxMessage(recipient="x@example.no", locale="nb", template="t", subject="s", body="b",
                            created_at=utcnow() - age))


def _audit(app, age):
    from app.core.models import AuditEntry

    _add(app, AuditEntry(action="test", target_type="User", target_id="1", changed_fields=[],
                         created_at=utcnow() - age))


def _follow(app, age):
    from app.follows.models import Follow
    from tests.helpers import make_organisation

    organisation = make_organisation(app)
    n = age.days
    _add(app, Follow(organisation_id=organisation, email=f"f{n}@example.no", token_nonce=f"n{n}",
                     token_hash=f"h{n}", created_at=utcnow() - age))


def _unverified(app, age):
    from app.accounts.models import User

    user_id = make_user(app, role="unverified").id
    with app.app_context():
        db.session.get(User, user_id).created_at = utcnow() - age
        db.session.commit()


def _feedback_contact(app, age):
    from app.districts.services import get_district
    from app.feedback import services as feedback

    with app.test_request_context():
        item = feedback.submit_feedback(get_district("lademoen"), "Melding", {}, None, "Navn", "a@example.no",
                                        None, True, "1.2.3.4")
        item.created_at = utcnow() - age
        db.session.commit()


def _kept(model, column):
    def count(_app):
        return db.session.scalar(db.select(db.func.count()).select_from(model).where(column))
    return count


def _counters():
    from app.accounts.models import User
    from app.core.models import AuditEntry, OutboxMessage
    from app.feedback.models import Feedback
    from app.follows.models import Follow

    return {
        "OUTBOX_RETENTION_DAYS": (_outbox, _kept(OutboxMessage, OutboxMessage.id.is_not(None))),
        "AUDIT_RETENTION_DAYS": (_audit, _kept(AuditEntry, AuditEntry.action == "test")),
        "FOLLOW_UNCONFIRMED_DAYS": (_follow, _kept(Follow, Follow.id.is_not(None))),
        "UNVERIFIED_ACCOUNT_RETENTION_DAYS": (_unverified, _kept(User, User.verified_at.is_(None))),
        "FEEDBACK_CONTACT_RETENTION_DAYS": (_feedback_contact, _kept(Feedback, Feedback.contact_email.is_not(None))),
    }


@pytest.mark.parametrize("key", ["OUTBOX_RETENTION_DAYS", "AUDIT_RETENTION_DAYS", "FOLLOW_UNCONFIRMED_DAYS",
                                 "UNVERIFIED_ACCOUNT_RETENTION_DAYS", "FEEDBACK_CONTACT_RETENTION_DAYS"])
def test_purge_keeps_data_for_the_stated_period_and_not_a_day_longer(app_factory, key):
    app = app_factory(**DISTINCT)
    add, count = _counters()[key]
    days = DISTINCT[key]
    add(app, timedelta(days=days - 1))
    add(app, timedelta(days=days + 1))
    with app.app_context():
        assert count(app) == 2
    result = app.test_cli_runner().invoke(args=["privacy", "purge"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        assert count(app) == 1, f"{key}: purge should remove exactly the entry older than {days} days"


def test_logs_go_to_one_file_a_day_and_purge_deletes_days_past_the_period(app_factory, tmp_path):
    app = app_factory(LOG_DIR=str(tmp_path), **DISTINCT)
    root = logging.getLogger()
    try:
        logging.getLogger("medvirk.test").warning("written to today's file")
        today = logs.today()
        assert "written to today's file" in logs.file_for(tmp_path, today).read_text()
        old = logs.file_for(tmp_path, today - timedelta(days=30))
        edge = logs.file_for(tmp_path, today - timedelta(days=29))
        other = tmp_path / "not-a-medvirk-log.txt"
        for path in (old, edge, other):
            path.write_text("line\n")
        result = app.test_cli_runner().invoke(args=["privacy", "purge"])
        assert result.exit_code == 0, result.output
        assert "1 log files" in result.output
        assert not old.exists()
        assert edge.exists() and other.exists() and logs.file_for(tmp_path, today).exists()
    finally:
        for handler in [h for h in root.handlers if isinstance(h, logs.DailyFileHandler)]:
            root.removeHandler(handler)
            handler.close()
