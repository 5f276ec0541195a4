"""The one mail path: written in the recipient's language, sent only after commit."""
from __future__ import annotations

import socketserver
import threading
from datetime import datetime, timedelta, timezone
from types import SimpleNamespace

import pytest

from app.accounts.models import User
from app.core.i18n import lazy_gettext as _l
from app.core.mail import send_mail
from app.core.models import OutboxStatus
from app.extensions import db
from tests.helpers import make_user, outbox


def test_mail_is_written_in_the_recipients_language(app, client):
    make_user(app, email="engelsk@example.no", locale="en")
    client.submit("/account/reset?lang=nb", {"email": "engelsk@example.no"})
    [mail] = outbox(app, "engelsk@example.no")
    assert mail.locale == "en"
    assert mail.subject == "Choose a new password for Medvirk"
    assert "Open this link" in mail.body


def test_a_rolled_back_change_sends_no_mail(app_factory, capsys):
    app = app_factory(MAIL_BACKEND="console")
    with app.test_request_context():
        send_mail("a@example.no", "nb", "account_exists", _l("Hello"), user=User(display_name="A"),
                  login_url="x", reset_url="y")
        db.session.rollback()
    assert outbox(app) == []
    assert "a@example.no" not in capsys.readouterr().err


def test_console_backend_prints_only_after_commit(app_factory, capsys):
    app = app_factory(MAIL_BACKEND="console")
    with app.test_request_context():
        send_mail("b@example.no", "nb", "account_exists", _l("Hello"), user=User(display_name="B"),
                  login_url="x", reset_url="y")
        assert "b@example.no" not in capsys.readouterr().err
        db.session.commit()
    assert "b@example.no" in capsys.readouterr().err
    [message] = outbox(app)
    assert message.status == OutboxStatus.SENT


class FakeSmtpServer:
    """Just enough SMTP to accept mail on a local port, keeping what it received."""

    def __init__(self):
        self.received: list[str] = []
        self.server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), self._handler())
        self.port = self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def _handler(self):
        received = self.received

        class Handler(socketserver.StreamRequestHandler):
            def handle(self):
                self.wfile.write(b"220 fake ESMTP\r\n")
                data = None
                for raw in self.rfile:
                    line = raw.decode("utf-8", "replace").rstrip("\r\n")
                    if data is not None:
                        if line == ".":
                            received.append("\n".join(data))
                            data = None
                            self.wfile.write(b"250 queued\r\n")
                        else:
                            data.append(line)
                        continue
                    verb = line[:4].upper()
                    if verb == "EHLO":
                        self.wfile.write(b"250 fake\r\n")
                    elif verb == "DATA":
                        data = []
                        self.wfile.write(b"354 go ahead\r\n")
                    elif verb == "QUIT":
                        self.wfile.write(b"221 bye\r\n")
                        return
                    else:
                        self.wfile.write(b"250 ok\r\n")

        return Handler

    def close(self):
        self.server.shutdown()
        self.server.server_close()


def test_smtp_mail_waits_in_the_outbox_and_a_failing_server_does_not_fail_the_request(app_factory):
    # Nothing listens on port 9; no wait between tries here (the back-off: tests/unit/test_mail_delivery.py).
    app = app_factory(MAIL_BACKEND="smtp", MAIL_SERVER="127.0.0.1", MAIL_PORT=9, MAIL_RETRY_BASE_SECONDS=0)
    make_user(app, email="smtp@example.no")
    from tests.helpers import Browser

    response = Browser(app).submit("/account/reset", {"email": "smtp@example.no"})
    assert response.status_code == 302
    [message] = outbox(app, "smtp@example.no")
    assert message.status == OutboxStatus.QUEUED and message.attempts == 0

    runner = app.test_cli_runner()
    for attempt in range(1, 6):
        result = runner.invoke(args=["mail", "send"])
        assert result.exit_code == 0, result.output
        [message] = outbox(app, "smtp@example.no")
        assert message.attempts == attempt and message.last_error
    assert message.status == OutboxStatus.FAILED


def test_queued_mail_is_delivered_over_smtp(app_factory):
    server = FakeSmtpServer()
    try:
        app = app_factory(MAIL_BACKEND="smtp", MAIL_SERVER="127.0.0.1", MAIL_PORT=server.port, MAIL_USE_TLS=False)
        make_user(app, email="levert@example.no")
        from tests.helpers import Browser

        Browser(app).submit("/account/reset", {"email": "levert@example.no"})
        result = app.test_cli_runner().invoke(args=["mail", "send"])
        assert "1 sent" in result.output
        [message] = outbox(app, "levert@example.no")
        assert message.status == OutboxStatus.SENT and message.sent_at is not None
        assert len(server.received) == 1 and "levert@example.no" in server.received[0]
    finally:
        server.close()


def test_a_secret_link_built_by_the_code_is_refused_in_clear(app):
    """A link to a token page passed as a URL, not as a SecretLink, would be stored in the outbox: refused."""
    with app.test_request_context():
        link = "https://medvirk.example/account/reset/" + "A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8S9t0U1v"
        with pytest.raises(ValueError, match="secret link in clear"):
            send_mail("c@example.no", "nb", "reset_password", _l("Hello"), user=User(display_name="C"),
                      reset_url=link, minutes=30)
        db.session.rollback()


def test_what_a_person_wrote_is_mailed_even_when_it_names_a_token_page(app):
    """A moderator's answer or an organiser's message is the person's text, whatever addresses it names."""
    with app.test_request_context():
        pasted = "Se /follows/sent og https://medvirk.example/account/reset/A1b2C3d4E5f6G7h8I9j0K1l2M3n4 her."
        start = datetime(2026, 12, 10, 17, tzinfo=timezone.utc)
        event = SimpleNamespace(title="Kafé", starts_at=start, ends_at=start + timedelta(hours=2),
                                organisation=SimpleNamespace(name="Lag", contact_email="lag@example.no"),
                                title_in=lambda language: "Kafé")
        mail = send_mail("d@example.no", "nb", "organiser_message", _l("Hello"), text=pasted, link="x",
                         event_link="y", event=event, registration=SimpleNamespace(display_name="D", status="confirmed"))
        assert pasted in mail.body
        db.session.rollback()
