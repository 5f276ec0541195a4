"""The one mail path.

``send_mail`` renders the message in the recipient's language and writes it
to the outbox in the current transaction. Nothing leaves before that
transaction commits; if it rolls back, the message is gone with it.

Backends (``MAIL_BACKEND``):
- ``console``: development; prints the message after commit, keeps it in the outbox as sent.
- ``outbox``: tests; keeps it queued in the outbox only.
- ``smtp``: keeps it queued; ``flask mail send`` (cron, every minute) or ``flask mail send --watch``
  (a process of its own) delivers it and records the outcome, trying again later when the server
  does not take it (``MAIL_RETRY_BASE_SECONDS``, ``MAIL_RETRY_MAX_SECONDS``, ``MAIL_MAX_ATTEMPTS``).

Log lines name a message by its id and an error by its class: never an address or a body.
"""
from __future__ import annotations

import logging
import re
import smtplib
import sys
from datetime import datetime, timedelta
from email.message import EmailMessage

from flask import current_app, render_template
from flask_babel import force_locale
from sqlalchemy import event
from sqlalchemy.orm import Session

from app.core import audit, languages, secret_links, settings, throttle
from app.core.db import utcnow
from app.core.i18n import lazy_gettext as _l
from app.core.models import OutboxMessage, OutboxStatus
from app.core.rules import RuleBroken
from app.core.validators import fold_lines
from app.extensions import db

log = logging.getLogger(__name__)

_PENDING_KEY = "medvirk_pending_mail"


def send_mail(
    recipient: str,
    locale: str,
    template: str,
    subject,
    unsubscribe_url: str | secret_links.SecretLink | None = None,
    attachments: list[dict] | None = None,
    **context,
) -> OutboxMessage:
    """Queue a mail to ``recipient`` written in ``locale`` (their account's language, or the one the page was
    in when they filled in the form; Bokmål when that language is no longer offered).

    ``subject`` is a lazy string (``_l``) so it is translated here, in the
    recipient's language. Mails that are not strictly needed pass an
    ``unsubscribe_url`` that works without logging in.

    A link that opens something without logging in is passed as a ``SecretLink``
    (``app.core.secret_links.kind``), never as a URL: the outbox keeps a marker
    and the token is made when the mail is sent. A body with a token in clear is
    refused (ValueError).
    """
    locale = languages.usable(locale)   # a language switched off since the recipient chose it: Bokmål
    with force_locale(locale), secret_links.collecting() as links:
        subject_text = fold_lines(str(subject))
        body = render_template(f"mail/{template}.txt", unsubscribe_url=unsubscribe_url, **context)
        headers = {}
        if unsubscribe_url:
            headers["List-Unsubscribe"] = f"<{fold_lines(str(unsubscribe_url))}>"
    _refuse_clear_tokens(template, [_without_typed_text(body, context), *headers.values()])
    backend = settings.get("MAIL_BACKEND")
    message = OutboxMessage(
        recipient=recipient,
        locale=locale,
        template=template,
        subject=subject_text,
        body=body,
        headers=headers,
        links=links or None,
        attachments=attachments or None,
        status=OutboxStatus.SENT if backend == "console" else OutboxStatus.QUEUED,
        sent_at=utcnow() if backend == "console" else None,
    )
    db.session.add(message)
    db.session.flush()
    if backend == "console":
        db.session.info.setdefault(_PENDING_KEY, []).append((message.id, recipient, subject_text, *as_sent(message)))
    return message


def within_address_cap(address: str, purpose: str = "account-mail", per_hour: int | None = None) -> bool:
    """Whether one more mail of ``purpose`` may go to ``address`` this hour, counting it when it may.
    For mail sent to an address a stranger can type into a form (a password reset, a registration):
    over the cap the mail is quietly not sent, and the form answers the same, so it tells nothing."""
    limit = f"{per_hour or settings.get('ACCOUNT_MAILS_PER_ADDRESS_PER_HOUR')} per hour"
    key = secret_links.digest(address.strip().lower())   # no addresses in the rate limiter's store
    if throttle.retry_after(limit, purpose, key) is not None:
        return False
    throttle.hit(limit, purpose, key)
    return True


def as_sent(message: OutboxMessage) -> tuple[str, dict]:
    """The body and headers as they leave: the secret links' tokens made now, from the stored references
    and SECRET_KEY. Only for handing to the mail server (or the console); never stored or shown."""
    links = message.links or {}
    return (secret_links.render(message.body, links),
            {name: secret_links.render(value, links) for name, value in (message.headers or {}).items()})


def _token_links() -> re.Pattern:
    """A link to any page that takes a ``<token>`` whose token is not a marker."""
    adapter = current_app.url_map.bind("localhost")
    prefixes = set()
    for rule in current_app.url_map.iter_rules():
        if "token" in rule.arguments and rule.arguments <= {"token"}:
            prefixes.add(adapter.build(rule.endpoint, {"token": "TOKEN"}).split("TOKEN")[0])
    alternatives = "|".join(re.escape(prefix) for prefix in sorted(prefixes))
    # A token the app makes is long (43 characters or more); "/follows/sent" is a page, not a token.
    return re.compile(rf"(?:{alternatives})[A-Za-z0-9_.-]{{20,}}")


def _without_typed_text(body: str, context: dict) -> str:
    """The body less the texts handed in as plain strings that are not a bare link (a moderator's answer,
    an organiser's message): what a person wrote is stored with them anyway, and the check is for links
    the code builds, which come as a bare URL."""
    for value in context.values():
        if isinstance(value, str) and value.strip() and not re.fullmatch(r"https?://\S+", value.strip()):
            body = body.replace(value, "")
    return body


def _refuse_clear_tokens(template: str, texts: list[str]) -> None:
    pattern = _token_links()
    if any(pattern.search(text) for text in texts):
        raise ValueError(f"mail {template} carries a secret link in clear: pass a SecretLink (app/core/secret_links.py)")


def _deliver_console(app, pending) -> None:
    for _id, recipient, subject, body, _headers in pending:
        print(f"\n--- mail to {recipient}: {subject}\n{body}\n---", file=sys.stderr, flush=True)


def _smtp_message(message: OutboxMessage) -> EmailMessage:
    # Every header value folded to one line, whatever a form let through or an older row holds:
    # a line break in a header makes the mail library refuse the whole message.
    body, headers = as_sent(message)
    msg = EmailMessage()
    msg["From"] = fold_lines(settings.get("MAIL_FROM"))
    msg["To"] = fold_lines(message.recipient)
    msg["Subject"] = fold_lines(message.subject)
    for name, value in headers.items():
        msg[name] = fold_lines(value)
    msg.set_content(body)
    for attachment in message.attachments or ():
        maintype, subtype = attachment["content_type"].split("/", 1)
        msg.add_attachment(attachment["content"].encode(), maintype=maintype, subtype=subtype,
                           filename=attachment["filename"])
    return msg


class _Connection:
    """One SMTP connection for a round, opened when the first message needs it. When it cannot be
    opened, the rest of the round is not tried against the server again."""

    def __init__(self):
        self.smtp: smtplib.SMTP | None = None
        self.refused: str | None = None

    def send(self, message: EmailMessage) -> None:
        if self.refused is not None:
            raise _NotConnected(self.refused)
        smtp = self.smtp if self.smtp is not None else self._open()
        try:
            smtp.send_message(message)
        except smtplib.SMTPServerDisconnected:
            self.smtp = None   # the next message opens a new connection
            raise

    def _open(self) -> smtplib.SMTP:
        smtp = None
        try:
            smtp = smtplib.SMTP(settings.get("MAIL_SERVER"), settings.get("MAIL_PORT"),
                                timeout=settings.get("MAIL_TIMEOUT_SECONDS"))
            if settings.get("MAIL_USE_TLS"):
                smtp.starttls()
            if settings.get("MAIL_USERNAME"):
                smtp.login(settings.get("MAIL_USERNAME"), settings.get("MAIL_PASSWORD") or "")
        except (OSError, smtplib.SMTPException) as exc:
            if smtp is not None:
                smtp.close()
            self.refused = f"{_describe(exc)} while connecting"
            raise _NotConnected(self.refused) from None
        self.smtp = smtp
        return smtp

    def close(self) -> None:
        if self.smtp is not None:
            try:
                self.smtp.quit()
            except (OSError, smtplib.SMTPException):
                pass
            self.smtp = None


class _NotConnected(Exception):
    pass


def _describe(exc: BaseException) -> str:
    """What went wrong, without what the server said back: its text can hold the recipient's address."""
    name = type(exc).__name__
    code = getattr(exc, "smtp_code", None)
    if code is None and isinstance(exc, smtplib.SMTPRecipientsRefused):
        codes = sorted({str(answer[0]) for answer in exc.recipients.values()})
        code = "/".join(codes) or None
    return f"{name} {code}" if code else name


def retry_delay(attempts: int) -> timedelta:
    """How long to wait after the ``attempts``-th failed try: the base, doubled each time, capped."""
    base = settings.get("MAIL_RETRY_BASE_SECONDS")
    return timedelta(seconds=min(base * 2 ** min(attempts - 1, 30), settings.get("MAIL_RETRY_MAX_SECONDS")))


def due_filter(now: datetime):
    return OutboxMessage.next_attempt_at.is_(None) | (OutboxMessage.next_attempt_at <= now)


def deliver_queued(limit: int = 100, now: datetime | None = None) -> dict[str, int]:
    """Send queued mail that is due over SMTP (``flask mail send``): outside any request, so a slow
    or failing mail server never holds up or fails what a person did. A message the server did not
    take waits longer after each try (``retry_delay``) and is given up after ``MAIL_MAX_ATTEMPTS``.

    The caller commits. On PostgreSQL the messages of a round are locked and skipped by any other
    sender running at the same time, so a message is never sent twice."""
    now = now or utcnow()
    queued = db.session.scalars(
        db.select(OutboxMessage)
        .where(OutboxMessage.status == OutboxStatus.QUEUED, due_filter(now))
        .order_by(OutboxMessage.id).limit(limit)
        .with_for_update(skip_locked=True)
    ).all()
    counts = {"sent": 0, "retry": 0, "failed": 0}
    if not queued:
        return counts
    max_attempts = settings.get("MAIL_MAX_ATTEMPTS")
    connection = _Connection()
    try:
        for message in queued:
            message.attempts += 1
            try:
                connection.send(_smtp_message(message))
            except Exception as exc:  # one message the server or the mail library refuses must not stop the rest
                # An error class and an SMTP code only: what the server says back can hold the address.
                message.last_error = str(exc) if isinstance(exc, _NotConnected) else _describe(exc)
                if message.attempts >= max_attempts:
                    message.status, message.next_attempt_at = OutboxStatus.FAILED, None
                    counts["failed"] += 1
                    log.error("mail %s given up after %s attempts: %s", message.id, message.attempts,
                              message.last_error)
                else:
                    message.next_attempt_at = now + retry_delay(message.attempts)
                    counts["retry"] += 1
                    log.warning("mail %s not delivered (attempt %s): %s", message.id, message.attempts,
                                message.last_error)
            else:
                message.status, message.sent_at = OutboxStatus.SENT, utcnow()
                message.last_error = message.next_attempt_at = None
                counts["sent"] += 1
    finally:
        connection.close()
    db.session.flush()
    return counts


def status_counts(since: datetime | None = None) -> dict[str, int]:
    """How many messages there are in each status (of those written since ``since``), and ``all``."""
    stmt = db.select(OutboxMessage.status, db.func.count()).group_by(OutboxMessage.status)
    if since is not None:
        stmt = stmt.where(OutboxMessage.created_at >= since)
    counts: dict[str, int] = {status: 0 for status in (OutboxStatus.SENT, OutboxStatus.QUEUED, OutboxStatus.FAILED)}
    counts.update({status: count for status, count in db.session.execute(stmt)})
    counts["all"] = sum(counts.values())
    return counts


def outbox_page(status: str | None, page: int, per_page: int, columns) -> list[OutboxMessage]:
    """Newest first, only ``columns`` loaded; every status when ``status`` is None."""
    stmt = db.select(OutboxMessage).options(db.load_only(*columns))
    if status is not None:
        stmt = stmt.where(OutboxMessage.status == status)
    return list(db.session.scalars(stmt.order_by(OutboxMessage.created_at.desc(), OutboxMessage.id.desc())
                                   .limit(per_page).offset((page - 1) * per_page)))


def requeue(message: OutboxMessage) -> None:
    """Put a message back in the queue to be tried at once, as if new (its attempts start again).
    With the console backend it is written out right after commit, like new mail."""
    message.attempts, message.next_attempt_at = 0, None
    if settings.get("MAIL_BACKEND") == "console":
        message.status, message.sent_at, message.last_error = OutboxStatus.SENT, utcnow(), None
        db.session.info.setdefault(_PENDING_KEY, []).append(
            (message.id, message.recipient, message.subject, *as_sent(message)))
    else:
        message.status, message.sent_at = OutboxStatus.QUEUED, None
    db.session.flush()


def retry(message: OutboxMessage, actor) -> None:
    """An administrator sends a failed or waiting message again: back in the queue at once, its
    attempts counted from nought (``requeue``), and an audit entry ``mail.retry``."""
    if message.status == OutboxStatus.SENT:
        raise RuleBroken(_l("This message has already been sent."))
    before = (message.status, message.attempts)
    requeue(message)
    audit.record(actor, "mail.retry", message,
                 changes={"status": (before[0], message.status), "attempts": (before[1], message.attempts)})


def retry_failed(actor, limit: int = 1000) -> int:
    """Every failed message (the oldest ``limit``) back in the queue, each with its own audit entry."""
    failed = db.session.scalars(
        db.select(OutboxMessage).where(OutboxMessage.status == OutboxStatus.FAILED)
        .order_by(OutboxMessage.id).limit(limit)
    ).all()
    for message in failed:
        retry(message, actor)
    return len(failed)


_BACKENDS = {"console": _deliver_console}


# Registered once for every session: which app is running is read at commit time.
@event.listens_for(Session, "after_commit")
def _after_commit(session):
    pending = session.info.pop(_PENDING_KEY, None)
    if pending:
        app = current_app._get_current_object()  # type: ignore[attr-defined]  # a LocalProxy's own method
        deliver = _BACKENDS.get(app.config["MAIL_BACKEND"])
        if deliver:
            deliver(app, pending)


@event.listens_for(Session, "after_rollback")
def _after_rollback(session):
    session.info.pop(_PENDING_KEY, None)
