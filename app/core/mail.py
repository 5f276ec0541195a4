"""The one mail path.

``send_mail`` renders the message in the recipient's language and writes it
to the outbox in the current transaction. Nothing leaves before that
transaction commits; if it rolls back, the message is gone with it.

Backends (``MAIL_BACKEND``):
- ``console``: development; prints the message after commit, keeps it in the outbox as sent.
- ``outbox``: tests; keeps it queued in the outbox only.
- ``smtp``: delivers after commit and records the outcome.
"""
from __future__ import annotations

import logging
import smtplib
import sys
from email.message import EmailMessage

from flask import current_app, render_template
from flask_babel import force_locale
from sqlalchemy import event, update
from sqlalchemy.orm import Session

from app.core import settings
from app.core.db import utcnow
from app.core.models import OutboxMessage
from app.extensions import db

log = logging.getLogger(__name__)

_PENDING_KEY = "medvirk_pending_mail"


def send_mail(
    recipient: str,
    locale: str,
    template: str,
    subject,
    unsubscribe_url: str | None = None,
    **context,
) -> OutboxMessage:
    """Queue a mail to ``recipient`` written in ``locale``.

    ``subject`` is a lazy string (``_l``) so it is translated here, in the
    recipient's language. Mails that are not strictly needed pass an
    ``unsubscribe_url`` that works without logging in.
    """
    with force_locale(locale):
        subject_text = str(subject)
        body = render_template(f"mail/{template}.txt", unsubscribe_url=unsubscribe_url, **context)
    headers = {}
    if unsubscribe_url:
        headers["List-Unsubscribe"] = f"<{unsubscribe_url}>"
    backend = settings.get("MAIL_BACKEND")
    message = OutboxMessage(
        recipient=recipient,
        locale=locale,
        template=template,
        subject=subject_text,
        body=body,
        headers=headers,
        status=OutboxMessage.STATUS_SENT if backend == "console" else OutboxMessage.STATUS_QUEUED,
        sent_at=utcnow() if backend == "console" else None,
    )
    db.session.add(message)
    db.session.flush()
    if backend in ("console", "smtp"):
        db.session.info.setdefault(_PENDING_KEY, []).append(
            (message.id, recipient, subject_text, body, headers)
        )
    return message


def _deliver_console(app, pending) -> None:
    for _id, recipient, subject, body, _headers in pending:
        print(f"\n--- mail to {recipient}: {subject}\n{body}\n---", file=sys.stderr, flush=True)


def _deliver_smtp(app, pending) -> None:
    cfg = app.config
    for message_id, recipient, subject, body, headers in pending:
        msg = EmailMessage()
        msg["From"] = cfg["MAIL_FROM"]
        msg["To"] = recipient
        msg["Subject"] = subject
        for name, value in headers.items():
            msg[name] = value
        msg.set_content(body)
        values: dict = {"attempts": OutboxMessage.attempts + 1}
        try:
            with smtplib.SMTP(cfg["MAIL_SERVER"], cfg["MAIL_PORT"], timeout=10) as smtp:
                if cfg["MAIL_USE_TLS"]:
                    smtp.starttls()
                if cfg["MAIL_USERNAME"]:
                    smtp.login(cfg["MAIL_USERNAME"], cfg["MAIL_PASSWORD"] or "")
                smtp.send_message(msg)
            values.update(status=OutboxMessage.STATUS_SENT, sent_at=utcnow(), last_error=None)
        except (OSError, smtplib.SMTPException) as exc:
            # The request already succeeded; the message stays queued for a retry.
            log.warning("mail %s not delivered: %s", message_id, type(exc).__name__)
            values.update(last_error=type(exc).__name__)
        with db.engine.begin() as conn:
            conn.execute(update(OutboxMessage).where(OutboxMessage.id == message_id).values(**values))


_BACKENDS = {"console": _deliver_console, "smtp": _deliver_smtp}


# Registered once for every session: which app is running is read at commit time.
@event.listens_for(Session, "after_commit")
def _after_commit(session):
    pending = session.info.pop(_PENDING_KEY, None)
    if pending:
        app = current_app._get_current_object()
        deliver = _BACKENDS.get(app.config["MAIL_BACKEND"])
        if deliver:
            deliver(app, pending)


@event.listens_for(Session, "after_rollback")
def _after_rollback(session):
    session.info.pop(_PENDING_KEY, None)
