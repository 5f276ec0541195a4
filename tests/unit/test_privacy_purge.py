"""flask privacy purge deletes what the privacy notice says we delete, and nothing else."""
from __future__ import annotations

from datetime import timedelta

from app.accounts.models import User
from app.core.db import utcnow
from app.core.models import AuditEntry, OutboxMessage
from app.extensions import db
from tests.helpers import make_user


def _age(app, model, ident, days):
    with app.app_context():
        row = db.session.get(model, ident)
        row.created_at = utcnow() - timedelta(days=days)
        db.session.commit()


def _ids(app, model):
    with app.app_context():
        return set(db.session.scalars(db.select(model.id)))


def test_purge_removes_only_what_is_past_its_retention_period(app):
    old_unverified = make_user(app, role="unverified")
    new_unverified = make_user(app, role="unverified")
    old_verified = make_user(app)
    _age(app, User, old_unverified.id, 31)
    _age(app, User, old_verified.id, 400)
    with app.app_context():
        for _ in range(2):
            db.session.add(OutboxMessage(recipient="x@example.no", locale="nb", template="t", subject="s", body="b"))
            db.session.add(AuditEntry(action="test", target_type="User", target_id="1", changed_fields=[]))
        db.session.commit()
    outbox_ids, audit_ids = sorted(_ids(app, OutboxMessage)), sorted(_ids(app, AuditEntry))
    _age(app, OutboxMessage, outbox_ids[0], 91)
    _age(app, AuditEntry, audit_ids[0], 1826)

    runner = app.test_cli_runner()
    result = runner.invoke(args=["privacy", "purge"])
    assert result.exit_code == 0, result.output
    assert _ids(app, User) == {new_unverified.id, old_verified.id}
    assert _ids(app, OutboxMessage) == {outbox_ids[1]}
    assert _ids(app, AuditEntry) == {audit_ids[1]}

    again = runner.invoke(args=["privacy", "purge"])
    assert "0 unverified accounts" in again.output


def test_retention_periods_come_from_settings(app_factory):
    app = app_factory(UNVERIFIED_ACCOUNT_RETENTION_DAYS=2)
    user = make_user(app, role="unverified")
    _age(app, User, user.id, 3)
    app.test_cli_runner().invoke(args=["privacy", "purge"])
    assert user.id not in _ids(app, User)


def test_feedback_contact_details_are_removed_after_their_retention_period(app):
    from app.districts.services import get_district
    from app.feedback import services as feedback
    from app.feedback.models import Feedback

    with app.test_request_context():
        old = feedback.submit_feedback(get_district("lademoen"), "Gammel melding", {}, None, "Navn", "a@example.no",
                                       "12345678", True, "1.2.3.4")
        new = feedback.submit_feedback(get_district("lademoen"), "Ny melding", {}, None, "Navn", "b@example.no",
                                       None, True, "1.2.3.4")
        old.created_at = utcnow() - timedelta(days=366)
        db.session.commit()
        old_id, new_id = old.id, new.id
    app.test_cli_runner().invoke(args=["privacy", "purge"])
    with app.app_context():
        old, new = db.session.get(Feedback, old_id), db.session.get(Feedback, new_id)
        assert (old.contact_name, old.contact_email, old.contact_phone, old.contact_consent) == (None, None, None, False)
        assert old.body == "Gammel melding"  # the feedback itself stays, anonymous
        assert new.contact_email == "b@example.no"


def test_purge_deletes_follow_requests_never_confirmed_after_a_week(app):
    from app.follows.models import Follow
    from tests.helpers import make_organisation

    organisation = make_organisation(app)
    with app.app_context():
        for n, (confirmed, days) in enumerate(((False, 8), (False, 2), (True, 30))):
            db.session.add(Follow(organisation_id=organisation, email=f"f{n}@example.no", token_nonce=f"n{n}",
                                  token_hash=f"h{n}", confirmed_at=utcnow() if confirmed else None,
                                  created_at=utcnow() - timedelta(days=days)))
        db.session.commit()
    result = app.test_cli_runner().invoke(args=["privacy", "purge"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        assert sorted(db.session.scalars(db.select(Follow.email))) == ["f1@example.no", "f2@example.no"]
