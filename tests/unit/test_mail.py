"""The one mail path: written in the recipient's language, sent only after commit."""
from __future__ import annotations

from app.accounts.models import User
from app.core.i18n import lazy_gettext as _l
from app.core.mail import send_mail
from app.core.models import OutboxMessage
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
    assert message.status == OutboxMessage.STATUS_SENT


def test_smtp_failure_does_not_fail_the_request(app_factory, client):
    app = app_factory(MAIL_BACKEND="smtp", MAIL_SERVER="127.0.0.1", MAIL_PORT=9)  # nothing listens there
    make_user(app, email="smtp@example.no")
    from tests.helpers import Browser

    response = Browser(app).submit("/account/reset", {"email": "smtp@example.no"})
    assert response.status_code == 302
    [message] = outbox(app, "smtp@example.no")
    assert message.status == OutboxMessage.STATUS_QUEUED and message.attempts == 1 and message.last_error
