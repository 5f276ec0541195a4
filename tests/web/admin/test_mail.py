"""/admin/mail: what was sent, what waits and what failed, never a message's body; sending a message again."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from app.core.db import utcnow
from app.core.models import AuditEntry, OutboxMessage, OutboxStatus
from app.extensions import db
from tests import fake_smtp
from tests.helpers import PASSWORD, Browser, count_queries, form_fields, make_user, soup

URL = "/admin/mail"
SECRET = "https://medvirk.example.no/account/reset/HEMMELIG-LENKE"


@pytest.fixture
def admin(login_as):
    return login_as("admin", two_factor=True)


@pytest.fixture
def mail_server(monkeypatch):
    return fake_smtp.install(monkeypatch)


def _add(app, status, recipient="kari@example.no", subject="Velg et nytt passord", created_at=None, **fields) -> int:
    now = utcnow()
    with app.app_context():
        message = OutboxMessage(recipient=recipient, locale="nb", template=fields.pop("template", "reset_password"),
                                subject=subject, body=f"Åpne lenken: {SECRET}", status=status,
                                created_at=created_at or now, **fields)
        if status == OutboxStatus.SENT:
            message.sent_at = message.sent_at or (created_at or now) + timedelta(seconds=30)
            message.attempts = message.attempts or 1
        db.session.add(message)
        db.session.commit()
        return message.id


def _get(app, message_id) -> OutboxMessage:
    with app.app_context():
        message = db.session.get(OutboxMessage, message_id)
        db.session.expunge(message)
        return message


def _rows(response) -> list:
    return soup(response).select("table tbody tr")


def _retry(client, message_id, tab="failed"):
    page = f"{URL}?status={tab}"
    return client.submit(page, {}, action=f"{URL}/{message_id}/retry")


def test_the_outbox_shows_each_message_newest_first_with_tabs_and_counts_and_never_a_body(app, client, admin):
    night = datetime(2026, 3, 10, 1, 15, tzinfo=timezone.utc)          # 02:15 in Oslo
    sent = _add(app, "sent", recipient="sendt@example.no", created_at=night, template="event_reminder",
                subject="Påminnelse: Dugnad")
    failed = _add(app, "failed", recipient="feilet@example.no", created_at=night + timedelta(minutes=5), attempts=5,
                  last_error="SMTPRecipientsRefused 550")
    waiting = _add(app, "queued", recipient="venter@example.no", created_at=night + timedelta(minutes=10), attempts=2,
                   last_error="TimeoutError while connecting", next_attempt_at=night + timedelta(minutes=14))

    response = client.get(f"{URL}?lang=en")
    assert response.status_code == 200
    page = soup(response)
    assert page.select_one("nav.admin-sections a[aria-current=page]")["href"] == URL
    tabs = [a.get_text(strip=True) for a in page.select("nav.tabs:not(.admin-sections) a")]
    assert tabs == ["All (3)", "Sent (1)", "Not yet sent (1)", "Failed (1)"]
    assert [row["id"] for row in _rows(response)] == [f"message-{waiting}", f"message-{failed}", f"message-{sent}"]
    assert page.find("table").find("caption") is not None
    assert all(th.get("scope") == "col" for th in page.select("table thead th"))
    assert page.select_one("div.table-wrap[role=region][tabindex='0']")["aria-labelledby"] == "mail-caption"

    sent_row = page.find(id=f"message-{sent}").get_text(" ", strip=True)
    assert "sendt@example.no" in sent_row and "Påminnelse: Dugnad" in sent_row and "event_reminder" in sent_row
    assert "2:15" in sent_row and "2:15:30" not in sent_row and "Sent" in sent_row   # Oslo time, short
    failed_row = page.find(id=f"message-{failed}")
    assert "SMTPRecipientsRefused 550" in failed_row.get_text() and "Failed" in failed_row.get_text()
    assert failed_row.find("button").get_text(" ", strip=True).startswith("Send again")
    waiting_row = page.find(id=f"message-{waiting}").get_text(" ", strip=True)
    assert "2:29" in waiting_row and "Not yet sent" in waiting_row       # the next try, 01:29 UTC
    assert page.find(id=f"message-{sent}").find("button") is None  # sent mail is not sent twice

    for tab in ("", "?status=sent", "?status=waiting", "?status=failed"):
        assert "HEMMELIG-LENKE" not in client.get(f"{URL}{tab}").get_data(as_text=True)

    only_failed = client.get(f"{URL}?status=failed&lang=en")
    assert [row["id"] for row in _rows(only_failed)] == [f"message-{failed}"]
    assert soup(only_failed).select_one("nav.tabs:not(.admin-sections) a[aria-current=page]").get_text(strip=True) == "Failed (1)"
    assert [row["id"] for row in _rows(client.get(f"{URL}?status=waiting"))] == [f"message-{waiting}"]
    assert [row["id"] for row in _rows(client.get(f"{URL}?status=nonsense"))] == [
        f"message-{waiting}", f"message-{failed}", f"message-{sent}"]


def test_the_outbox_is_paginated_and_costs_the_same_queries_for_few_and_many(app, client, admin):
    start = utcnow() - timedelta(days=1)
    _add(app, "sent", created_at=start)
    _add(app, "failed", created_at=start, attempts=5, last_error="SMTPDataError 554")
    client.get(URL)
    with count_queries(app) as few:
        client.get(URL)
    with app.app_context():
        for n in range(58):
            db.session.add(OutboxMessage(recipient=f"p{n}@example.no", locale="nb", template="verify_email",
                                         subject=f"Melding {n}", body="b", status=("sent", "queued", "failed")[n % 3],
                                         created_at=start + timedelta(minutes=n), attempts=1))
        db.session.commit()
    with count_queries(app) as many:
        first = client.get(URL)
    assert len(many) == len(few)
    assert len(_rows(first)) == 50
    assert soup(first).find("a", rel="next")["href"] == f"{URL}?page=2"
    second = client.get(f"{URL}?page=2")
    assert len(_rows(second)) == 10
    assert soup(second).find("a", rel="next") is None
    failed_page = client.get(f"{URL}?status=failed&page=99")   # past the end: the last page
    assert len(_rows(failed_page)) == 20


def test_retrying_a_failed_message_queues_it_at_once_and_is_audited(app, client, admin):
    message_id = _add(app, "failed", attempts=5, last_error="SMTPDataError 554",
                      created_at=utcnow() - timedelta(hours=8))
    response = _retry(client, message_id)
    assert response.status_code == 302 and response.headers["Location"] == f"{URL}?status=failed"
    message = _get(app, message_id)
    assert message.status == "queued" and message.attempts == 0 and message.next_attempt_at is None
    assert "står i køen igjen" in client.get(URL).get_data(as_text=True)   # said in the language it was done in
    with app.app_context():
        [entry] = db.session.scalars(db.select(AuditEntry).where(AuditEntry.action == "mail.retry")).all()
        assert (entry.actor_id, entry.target_type, entry.target_id) == (admin.id, "OutboxMessage", str(message_id))
        assert entry.changes == {"status": ["failed", "queued"], "attempts": [5, 0]}


def test_a_waiting_message_can_be_tried_now(app, client, admin):
    message_id = _add(app, "queued", attempts=3, next_attempt_at=utcnow() + timedelta(minutes=8),
                      last_error="TimeoutError while connecting")
    row = soup(client.get(f"{URL}?status=waiting&lang=en")).find(id=f"message-{message_id}")
    assert row.find("button").get_text(" ", strip=True).startswith("Try now")
    assert _retry(client, message_id, tab="waiting").status_code == 302
    message = _get(app, message_id)
    assert message.status == "queued" and message.attempts == 0 and message.next_attempt_at is None


def test_a_sent_message_is_not_sent_again(app, client, admin):
    message_id = _add(app, "sent")
    token = form_fields(client.get("/admin/settings"))["csrf_token"]   # the page offers no button for it
    response = client.post(f"{URL}/{message_id}/retry", data={"csrf_token": token})
    assert response.status_code == 302
    assert "Denne meldingen er allerede sendt." in client.get(URL).get_data(as_text=True)
    assert _get(app, message_id).attempts == 1
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(AuditEntry.id))) == 0


def test_retrying_without_the_pages_token_changes_nothing(app, client, admin):
    message_id = _add(app, "failed", attempts=5)
    response = client.post(f"{URL}/{message_id}/retry", data={})
    assert response.status_code in (302, 400)
    assert _get(app, message_id).status == "failed"


def test_an_unknown_message_is_not_found(app, client, admin):
    token = form_fields(client.get("/admin/settings"))["csrf_token"]
    assert client.post(f"{URL}/999999/retry", data={"csrf_token": token}).status_code == 404


def test_every_failed_message_can_be_sent_again_at_once(app, client, admin):
    failed = [_add(app, "failed", recipient=f"f{n}@example.no", attempts=5) for n in range(3)]
    sent = _add(app, "sent")
    page = soup(client.get(f"{URL}?lang=en"))
    assert page.find("button", string="Send the 3 failed messages again") is not None
    response = client.submit(URL, {}, action=f"{URL}/retry-failed")
    assert response.status_code == 302
    assert "3 failed messages are back in the queue." in client.get(f"{URL}?lang=en").get_data(as_text=True)
    assert {_get(app, i).status for i in failed} == {"queued"} and _get(app, sent).status == "sent"
    with app.app_context():
        targets = db.session.scalars(db.select(AuditEntry.target_id).where(AuditEntry.action == "mail.retry")).all()
    assert sorted(targets) == sorted(str(i) for i in failed)
    assert soup(client.get(f"{URL}?lang=en")).find("button", string=lambda s: s and "failed message" in s) is None


def test_with_the_console_backend_a_retried_message_is_written_out_at_once(app_factory, capsys):
    app = app_factory(MAIL_BACKEND="console")
    client = Browser(app)
    user = make_user(app, role="admin")
    client.submit("/account/login", {"email": user.email, "password": PASSWORD})
    message_id = _add(app, "failed", recipient="konsoll@example.no", attempts=5)
    capsys.readouterr()
    assert _retry(client, message_id).status_code == 302
    assert "konsoll@example.no" in capsys.readouterr().err
    message = _get(app, message_id)
    assert message.status == "sent" and message.attempts == 0


def test_an_admin_sees_last_nights_mail_retries_the_one_that_failed_and_the_audit_log_shows_it(
        app, client, admin, mail_server):
    """Done when: an admin sees that last night's mails went out and retries the one that failed, and the
    audit log shows it."""
    night = utcnow().replace(hour=1, minute=0, second=0, microsecond=0) - timedelta(days=1)
    reminders = [_add(app, "sent", recipient=f"deltaker{n}@example.no", template="event_reminder",
                      subject="Påminnelse: Dugnad i Lademoparken", created_at=night + timedelta(minutes=n))
                 for n in range(3)]
    failed = _add(app, "failed", recipient="feil@example.no", template="event_reminder",
                  subject="Påminnelse: Dugnad i Lademoparken", created_at=night + timedelta(minutes=3), attempts=5,
                  last_error="ConnectionRefusedError while connecting")

    overview = soup(client.get(f"{URL}?lang=en"))
    assert [a.get_text(strip=True) for a in overview.select("nav.tabs:not(.admin-sections) a")] == [
        "All (4)", "Sent (3)", "Not yet sent (0)", "Failed (1)"]
    for message_id in reminders:
        assert "Sent" in overview.find(id=f"message-{message_id}").get_text()
    failed_row = overview.find(id=f"message-{failed}")
    assert "ConnectionRefusedError while connecting" in failed_row.get_text()

    assert _retry(client, failed, tab="all").status_code == 302
    result = app.test_cli_runner().invoke(args=["mail", "send"])
    assert "1 sent, 0 to retry, 0 given up" in result.output
    assert [m["To"] for m in mail_server.received] == ["feil@example.no"]
    assert _get(app, failed).status == "sent"
    assert "Sent (4)" in client.get(f"{URL}?lang=en").get_data(as_text=True)

    log = soup(client.get("/moderation/audit?lang=en")).find("table")
    [row] = [tr for tr in log.select("tbody tr") if "Mail sent again" in tr.get_text()]
    assert f"Email {failed}" in row.get_text(" ", strip=True)
    assert "status: failed → not yet sent" in row.get_text(" ", strip=True)
