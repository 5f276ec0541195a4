"""The one mail path.

``send_mail`` renders the message in the recipient's language and writes it
to the outbox in the current transaction. Nothing leaves before that
transaction commits; if it rolls back, the message is gone with it.

Backends (``MAIL_BACKEND``):
- ``console``: development; prints the message after commit, keeps it in the outbox as sent.
- ``outbox``: tests; keeps it queued in the outbox only.
- ``smtp``: keeps it queued; ``flask mail send`` (cron) delivers it and records the outcome.
"""
from __future__ import annotations

import logging
import smtplib
import sys
from email.message import EmailMessage

from flask import current_app, render_template, url_for
from flask_babel import force_locale
from sqlalchemy import event
from sqlalchemy.orm import Session

from app.core import settings
from app.core.db import utcnow
from app.core.models import OutboxMessage
from app.extensions import db

log = logging.getLogger(__name__)

_PENDING_KEY = "medvirk_pending_mail"
MAX_ATTEMPTS = 5


def site_url(endpoint: str, **values) -> str:
    """An absolute link for a mail, built on BASE_URL, never on the request's Host header
    (a forged Host would otherwise put an attacker's address into a reset link)."""
    return settings.get("BASE_URL").rstrip("/") + url_for(endpoint, _external=False, **values)


def send_mail(
    recipient: str,
    locale: str,
    template: str,
    subject,
    unsubscribe_url: str | None = None,
    attachments: list[dict] | None = None,
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
        attachments=attachments or None,
        status=OutboxMessage.STATUS_SENT if backend == "console" else OutboxMessage.STATUS_QUEUED,
        sent_at=utcnow() if backend == "console" else None,
    )
    db.session.add(message)
    db.session.flush()
    if backend == "console":
        db.session.info.setdefault(_PENDING_KEY, []).append(
            (message.id, recipient, subject_text, body, headers)
        )
    return message


def _deliver_console(app, pending) -> None:
    for _id, recipient, subject, body, _headers in pending:
        print(f"\n--- mail to {recipient}: {subject}\n{body}\n---", file=sys.stderr, flush=True)


def _smtp_message(message: OutboxMessage) -> EmailMessage:
    msg = EmailMessage()
    msg["From"] = settings.get("MAIL_FROM")
    msg["To"] = message.recipient
    msg["Subject"] = message.subject
    for name, value in (message.headers or {}).items():
        msg[name] = value
    msg.set_content(message.body)
    for attachment in message.attachments or ():
        maintype, subtype = attachment["content_type"].split("/", 1)
        msg.add_attachment(attachment["content"].encode(), maintype=maintype, subtype=subtype,
                           filename=attachment["filename"])
    return msg


def deliver_queued(limit: int = 100) -> dict[str, int]:
    """Send queued mail over SMTP (``flask mail send``, from cron): outside any request,
    so a slow or failing mail server never holds up or fails what a person did."""
    queued = db.session.scalars(
        db.select(OutboxMessage)
        .where(OutboxMessage.status == OutboxMessage.STATUS_QUEUED)
        .order_by(OutboxMessage.id).limit(limit)
    ).all()
    counts = {"sent": 0, "retry": 0, "failed": 0}
    if not queued:
        return counts
    try:
        smtp = smtplib.SMTP(settings.get("MAIL_SERVER"), settings.get("MAIL_PORT"), timeout=10)
        if settings.get("MAIL_USE_TLS"):
            smtp.starttls()
        if settings.get("MAIL_USERNAME"):
            smtp.login(settings.get("MAIL_USERNAME"), settings.get("MAIL_PASSWORD") or "")
    except (OSError, smtplib.SMTPException) as exc:
        smtp, connect_error = None, type(exc).__name__
    for message in queued:
        message.attempts += 1
        try:
            if smtp is None:
                raise ConnectionError(connect_error)
            smtp.send_message(_smtp_message(message))
        except (OSError, smtplib.SMTPException) as exc:
            message.last_error = str(exc) if smtp is None else type(exc).__name__
            if message.attempts >= MAX_ATTEMPTS:
                message.status = OutboxMessage.STATUS_FAILED
                counts["failed"] += 1
            else:
                counts["retry"] += 1
            log.warning("mail %s not delivered (attempt %s): %s", message.id, message.attempts, message.last_error)
        else:
            message.status, message.sent_at, message.last_error = OutboxMessage.STATUS_SENT, utcnow(), None
            counts["sent"] += 1
    if smtp is not None:
        try:
            smtp.quit()
        except (OSError, smtplib.SMTPException):
            pass
    db.session.flush()
    return counts


_BACKENDS = {"console": _deliver_console}


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
