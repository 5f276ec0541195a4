"""Delivering the outbox: what the mail server receives, trying again later with a growing wait, giving
up after the configured number of tries, the sender that keeps running, and that no request ever waits
for the mail server or sends anything its rollback took back."""
from __future__ import annotations

import logging
import os
import signal
import smtplib
from datetime import timedelta

import pytest

from app.accounts.models import User
from app.core import mail, secret_links
from app.core.db import utcnow
from app.core.i18n import lazy_gettext as _l
from app.core.models import AuditEntry, OutboxMessage, OutboxStatus
from app.core.permissions import public
from app.extensions import db
from tests import fake_smtp
from tests.helpers import Browser, make_user, outbox

SMTP = {"MAIL_BACKEND": "smtp", "MAIL_SERVER": "mail.example.no", "MAIL_PORT": 2525}


@pytest.fixture
def mail_server(monkeypatch):
    return fake_smtp.install(monkeypatch)


# Secret links whose token is the reference itself: enough to see a token made at send time.
RESET = secret_links.kind("test-reset", "accounts.reset_password", lambda reference: reference)
STOP = secret_links.kind("test-unsubscribe", "accounts.unsubscribe", lambda reference: reference)


def _queue(app, recipient="kari@example.no", attachments=None, unsubscribe_url=None) -> int:
    with app.test_request_context():
        message = mail.send_mail(recipient, "nb", "account_exists", _l("Hello"), user=User(display_name="Kari"),
                                 login_url="https://medvirk.example.no/account/login",
                                 reset_url=RESET("HEMMELIG"),
                                 unsubscribe_url=unsubscribe_url, attachments=attachments)
        db.session.commit()
        return message.id


def _message(app, message_id) -> OutboxMessage:
    with app.app_context():
        message = db.session.get(OutboxMessage, message_id)
        db.session.expunge(message)
        return message


def _round(app, now=None) -> dict:
    with app.app_context():
        counts = mail.deliver_queued(now=now)
        db.session.commit()
        return counts


def test_a_queued_message_reaches_the_server_with_its_headers_and_attachment_and_is_marked_sent(app_factory, mail_server):
    app = app_factory(**SMTP, MAIL_USE_TLS=True, MAIL_USERNAME="medvirk", MAIL_PASSWORD="hemmelig",
                      MAIL_FROM="Medvirk <ikke-svar@medvirk.example.no>")
    ics = {"filename": "dugnad.ics", "content_type": "text/calendar", "content": "BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n"}
    message_id = _queue(app, attachments=[ics], unsubscribe_url=STOP("abc"))
    stored = _message(app, message_id)
    assert "HEMMELIG" not in stored.body and "abc" not in str(stored.headers)

    result = app.test_cli_runner().invoke(args=["mail", "send"])

    assert result.exit_code == 0, result.output
    assert "1 sent, 0 to retry, 0 given up" in result.output
    [connection] = mail_server.connections
    assert connection == {"host": "mail.example.no", "port": 2525, "timeout": 10, "tls": True, "login": "medvirk"}
    [received] = mail_server.received
    assert received["From"] == "Medvirk <ikke-svar@medvirk.example.no>"
    assert received["To"] == "kari@example.no"
    assert received["Subject"] == "Hello"
    assert received["List-Unsubscribe"] == "<http://127.0.0.1:5000/account/unsubscribe/abc>"
    assert "http://127.0.0.1:5000/account/reset/HEMMELIG" in received.get_body(("plain",)).get_content()
    [attachment] = list(received.iter_attachments())
    assert attachment.get_filename() == "dugnad.ics" and attachment.get_content_type() == "text/calendar"
    assert b"BEGIN:VCALENDAR" in attachment.get_payload(decode=True)
    assert mail_server.quits == 1
    sent = _message(app, message_id)
    assert sent.status == OutboxStatus.SENT and sent.sent_at is not None
    assert sent.attempts == 1 and sent.last_error is None and sent.next_attempt_at is None


def test_a_failing_server_is_tried_again_each_time_after_twice_the_wait_and_never_before(app_factory, mail_server, caplog):
    app = app_factory(**SMTP, MAIL_RETRY_BASE_SECONDS=60, MAIL_RETRY_MAX_SECONDS=3600, MAIL_MAX_ATTEMPTS=10)
    mail_server.refuse_message = smtplib.SMTPDataError(451, b"4.3.0 try again later, kari@example.no")
    message_id = _queue(app)
    now = utcnow()
    waits = []
    for attempt in range(1, 9):
        assert _round(app, now) == {"sent": 0, "retry": 1, "failed": 0}
        message = _message(app, message_id)
        assert message.attempts == attempt and message.status == OutboxStatus.QUEUED
        assert message.last_error == "SMTPDataError 451"
        waits.append((message.next_attempt_at - now).total_seconds())
        # A second before it is due, it is left alone: no connection, no attempt.
        tried = len(mail_server.connections)
        assert _round(app, message.next_attempt_at - timedelta(seconds=1)) == {"sent": 0, "retry": 0, "failed": 0}
        assert len(mail_server.connections) == tried and _message(app, message_id).attempts == attempt
        now = message.next_attempt_at
    assert waits == [60, 120, 240, 480, 960, 1920, 3600, 3600]   # 1, 2, 4... minutes, at most an hour

    mail_server.refuse_message = None
    assert _round(app, now) == {"sent": 1, "retry": 0, "failed": 0}
    sent = _message(app, message_id)
    assert sent.status == OutboxStatus.SENT and sent.attempts == 9
    assert sent.last_error is None and sent.next_attempt_at is None
    # The log names the message and the error class, never the address or what the server said.
    lines = [r.getMessage() for r in caplog.records if r.name == "app.core.mail"]
    assert lines and all(f"mail {message_id} " in line for line in lines)
    assert not any("kari@example.no" in line or "try again later" in line for line in lines)


def test_after_the_configured_number_of_tries_the_message_is_marked_failed_with_the_error(app_factory, mail_server):
    app = app_factory(**SMTP, MAIL_MAX_ATTEMPTS=3, MAIL_RETRY_BASE_SECONDS=0)
    mail_server.refuse_connection = ConnectionRefusedError(111, "Connection refused")
    message_id = _queue(app)
    runner = app.test_cli_runner()
    outputs = [runner.invoke(args=["mail", "send"]).output for _ in range(3)]
    assert "0 sent, 1 to retry, 0 given up" in outputs[0] and "0 sent, 0 to retry, 1 given up" in outputs[2]
    failed = _message(app, message_id)
    assert failed.status == OutboxStatus.FAILED and failed.attempts == 3
    assert failed.last_error == "ConnectionRefusedError while connecting" and failed.next_attempt_at is None

    mail_server.refuse_connection = None
    assert "0 sent, 0 to retry, 0 given up" in runner.invoke(args=["mail", "send"]).output
    assert mail_server.received == [] and _message(app, message_id).attempts == 3


def test_an_unreachable_server_costs_one_connection_a_round_and_a_try_for_each_message(app_factory, mail_server):
    app = app_factory(**SMTP)
    mail_server.refuse_connection = TimeoutError("timed out")
    ids = [_queue(app, recipient=f"person{n}@example.no") for n in range(3)]
    assert _round(app) == {"sent": 0, "retry": 3, "failed": 0}
    assert len(mail_server.connections) == 1
    assert {_message(app, i).last_error for i in ids} == {"TimeoutError while connecting"}


def test_a_message_the_server_refuses_does_not_stop_the_others(app_factory, mail_server):
    app = app_factory(**SMTP)
    mail_server.refuse_recipient["nei@example.no"] = smtplib.SMTPRecipientsRefused(
        {"nei@example.no": (550, b"5.1.1 nei@example.no: no such user")})
    refused, taken = _queue(app, recipient="nei@example.no"), _queue(app, recipient="ja@example.no")
    assert _round(app) == {"sent": 1, "retry": 1, "failed": 0}
    assert _message(app, refused).last_error == "SMTPRecipientsRefused 550"   # not the address the server named
    assert _message(app, taken).status == OutboxStatus.SENT
    assert [m["To"] for m in mail_server.received] == ["ja@example.no"]


def test_the_sender_that_keeps_running_commits_each_round_and_stops_cleanly_on_ctrl_c(app_factory, mail_server):
    app = app_factory(**SMTP)
    first = _queue(app, recipient="first@example.no")
    rounds = []
    real = mail.deliver_queued

    def deliver(limit=100, now=None):
        rounds.append(limit)
        if len(rounds) == 2:
            # The first round was committed and its session closed before this one began.
            assert not db.session().in_transaction()
            assert db.session.get(OutboxMessage, first).status == OutboxStatus.SENT
            _queue(app, recipient="second@example.no")
            os.kill(os.getpid(), signal.SIGINT)   # Ctrl-C: this round still finishes and is committed
        return real(limit, now)

    handler = signal.getsignal(signal.SIGINT)
    mail.deliver_queued = deliver
    try:
        result = app.test_cli_runner().invoke(args=["mail", "send", "--watch", "--interval", "1", "--limit", "5"])
    finally:
        mail.deliver_queued = real
    assert result.exit_code == 0, result.output
    assert result.output.strip().endswith("Stopped.")
    assert rounds == [5, 5]
    assert [m["To"] for m in mail_server.received] == ["first@example.no", "second@example.no"]
    assert {m.status for m in outbox(app)} == {OutboxStatus.SENT}
    assert signal.getsignal(signal.SIGINT) is handler


def test_a_request_with_smtp_and_an_unreachable_server_never_opens_a_connection(app_factory, mail_server):
    app = app_factory(MAIL_BACKEND="smtp", MAIL_SERVER="192.0.2.1", MAIL_PORT=25)   # no such server
    mail_server.refuse_connection = TimeoutError("timed out")
    user = make_user(app, email="glemsk@example.no")
    response = Browser(app).submit("/account/reset", {"email": user.email})
    assert response.status_code == 302
    assert mail_server.connections == []
    [message] = outbox(app, user.email)
    assert message.status == OutboxStatus.QUEUED and message.attempts == 0


def test_a_request_that_fails_after_queuing_mail_leaves_no_message_and_prints_nothing(app_factory, capsys, caplog):
    app = app_factory(MAIL_BACKEND="console")

    @app.get("/fails-after-mail")
    @public
    def fails_after_mail():
        mail.send_mail("rulles@example.no", "nb", "account_exists", _l("Hello"), user=User(display_name="R"),
                       login_url="x", reset_url="y")
        db.session.add(AuditEntry(action=None, target_type="Test"))   # breaks a NOT NULL constraint
        db.session.flush()
        return "never"

    with caplog.at_level(logging.CRITICAL, logger="medvirk.errors"):
        response = app.test_client().get("/fails-after-mail")
    assert response.status_code == 500
    assert outbox(app) == []
    assert "rulles@example.no" not in capsys.readouterr().err


def test_a_retried_message_with_the_console_backend_is_written_out_after_commit(app_factory, capsys):
    app = app_factory(MAIL_BACKEND="console")
    with app.app_context():
        message = OutboxMessage(recipient="igjen@example.no", locale="nb", template="password_changed",
                                subject="Passordet ditt er endret", body="Hei.", status=OutboxStatus.FAILED,
                                attempts=5, last_error="SMTPDataError 554")
        db.session.add(message)
        db.session.commit()
        mail.retry(message, None)
        assert "igjen@example.no" not in capsys.readouterr().err
        db.session.commit()
    assert "igjen@example.no" in capsys.readouterr().err
    [sent] = outbox(app)
    assert sent.status == OutboxStatus.SENT and sent.attempts == 0 and sent.last_error is None
