"""The mail outbox: what was sent, what waits and what failed, and sending a message again.

Never a message's body: bodies hold links that log a person in or let them choose a password."""
from __future__ import annotations

from types import SimpleNamespace

from flask import abort, redirect, render_template, request, url_for
from flask_login import current_user

from app.admin import actions
from app.admin.blueprint import bp
from app.core import mail
from app.core.i18n import gettext as _
from app.core.i18n import ngettext
from app.core.models import OutboxMessage, OutboxStatus
from app.core.params import page_count, positive_int
from app.core.permissions import Permission, require
from app.extensions import db

PER_PAGE = 50
# The tabs, by the name in the address: which status each shows (None: all).
TABS = {
    "all": None,
    "sent": OutboxStatus.SENT,
    "waiting": OutboxStatus.QUEUED,
    "failed": OutboxStatus.FAILED,
}
# What the list shows of a message; the body is never loaded.
SHOWN = (OutboxMessage.id, OutboxMessage.recipient, OutboxMessage.template, OutboxMessage.subject,
         OutboxMessage.status, OutboxMessage.attempts, OutboxMessage.last_error, OutboxMessage.created_at,
         OutboxMessage.sent_at, OutboxMessage.next_attempt_at)


def _tab(value: str | None) -> str:
    return value if value in TABS else "all"


@bp.get("/mail", endpoint="mail")
@require(Permission.ADMINISTER)
def mail_index():
    tab = _tab(request.args.get("status"))
    counts = mail.status_counts()
    status = TABS[tab]
    total = counts["all"] if status is None else counts.get(status, 0)
    pages = page_count(total, PER_PAGE)
    page = min(positive_int(request.args.get("page"), 1), pages)
    messages = mail.outbox_page(status, page, PER_PAGE, SHOWN)
    tab_counts = {name: counts["all"] if value is None else counts.get(value, 0) for name, value in TABS.items()}
    return render_template("admin/mail/index.html", messages=messages, tab=tab, counts=tab_counts,
                           page=SimpleNamespace(page=page, pages=pages),
                           filters={"status": tab} if tab != "all" else {})


def _back(tab: str | None):
    tab = _tab(tab)
    return redirect(url_for("admin.mail", **({"status": tab} if tab != "all" else {})))


@bp.post("/mail/<int:message_id>/retry", endpoint="mail_retry")
@require(Permission.ADMINISTER)
def mail_retry(message_id: int):
    # Locked, and read after any sender that holds it has committed: a message that was just sent is not sent twice.
    message = db.session.get(OutboxMessage, message_id, with_for_update=True, populate_existing=True)
    if message is None:
        abort(404)
    return actions.button(lambda: mail.retry(message, current_user),
                          _("Message %(id)d is back in the queue and will be sent again shortly.", id=message_id),
                          _back(request.form.get("status")))


@bp.post("/mail/retry-failed", endpoint="mail_retry_failed")
@require(Permission.ADMINISTER)
def mail_retry_failed():
    return actions.button(lambda: mail.retry_failed(current_user), _retried, _back(request.form.get("status")))


def _retried(count: int) -> str:
    if not count:
        return _("No message had failed.")
    return ngettext("%(num)d failed message is back in the queue.", "%(num)d failed messages are back in the queue.", count)
