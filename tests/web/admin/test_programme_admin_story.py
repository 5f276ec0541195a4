"""One working day at the programme office, in the browser alone: an admin makes a new colleague the
moderator for Tempe-Sorgenfri, corrects the Nynorsk text of effort area 2, adds a meeting place, blocks a
spammer, sees that last night's mails went out and sends the one that failed again; the audit log shows
every step, with the admin's name."""
from __future__ import annotations

from datetime import timedelta

from app.core.db import utcnow
from app.core.models import AuditEntry, OutboxMessage, OutboxStatus
from app.extensions import db
from tests import fake_smtp
from tests.helpers import PASSWORD, Browser, link_in, make_idea, make_user, outbox, soup

STEPS = ["user.invite", "user.accept_invitation", "effort_area.update", "meeting_place.create", "user.block",
         "mail.retry"]


def _last_nights_mail(app) -> tuple[list[int], int]:
    night = utcnow().replace(hour=1, minute=0, second=0, microsecond=0) - timedelta(days=1)
    with app.app_context():
        rows = [OutboxMessage(recipient=f"deltaker{n}@example.no", locale="nb", template="event_reminder",
                              subject="Påminnelse: Dugnad", body="…", headers={}, created_at=night, sent_at=night,
                              status=OutboxStatus.SENT, attempts=1) for n in range(2)]
        rows.append(OutboxMessage(recipient="borte@example.no", locale="nb", template="event_reminder",
                                  subject="Påminnelse: Dugnad", body="…", headers={}, created_at=night, attempts=5,
                                  status=OutboxStatus.FAILED, last_error="ConnectionRefusedError while connecting"))
        db.session.add_all(rows)
        db.session.commit()
        return [row.id for row in rows[:2]], rows[2].id


def test_a_programme_admin_runs_medvirk_from_the_browser_and_the_audit_log_shows_each_step(
        app, client, login_as, monkeypatch):
    admin = login_as("admin", two_factor=True, display_name="Programkontoret")
    spammer = make_user(app, display_name="Kjøp billig")
    spam = make_idea(app, spammer, title="Billige klokker her", body="Kjøp billige klokker på nettsiden vår i dag.")
    sent, failed = _last_nights_mail(app)

    # A new colleague becomes the moderator for Tempe-Sorgenfri: invited, chooses a password, sets up the app.
    invited = client.submit("/admin/people/invite", {
        "email": "ny.kollega@trondheim.kommune.no", "display_name": "Ny Kollega", "role": "moderator",
        "districts": "tempe-sorgenfri", "locale": "nn"})
    assert invited.status_code == 302
    colleague = Browser(app, second_factor=False)
    accepted = colleague.submit(link_in(outbox(app, "ny.kollega@trondheim.kommune.no")[0], "/account/invitation/"),
                                {"password": PASSWORD})
    assert accepted.headers["Location"].startswith("/account/two-factor/setup")
    person = soup(client.get(invited.headers["Location"] + "?lang=en"))
    assert "Tempe-Sorgenfri" in person.find("dl", class_="facts").get_text()

    # The Nynorsk text of effort area 2 is corrected, and the public page shows it at once.
    form = soup(client.get("/admin/effort-areas/2/edit"))
    old = form.find("textarea", {"name": "description_nn"}).text.strip()
    assert client.submit("/admin/effort-areas/2/edit",
                         {"description_nn": old + "\n\nTeksten er retta av programkontoret."}).status_code == 302
    assert "Teksten er retta av programkontoret." in Browser(app).get("/effort-areas/2?lang=nn").get_data(as_text=True)

    # A meeting place is added from the administration's list.
    add = soup(client.get("/admin/places")).find("a", href=lambda href: href and href.startswith("/meeting-places/new"))
    assert client.submit(add["href"], {"district": "tempe-sorgenfri", "name": "Sorgenfri nærmiljøsenter",
                                       "address": "Sorgenfrivegen 20", "step_free_entrance": "yes",
                                       "accessible_toilet": "yes", "hearing_loop": "unknown"}).status_code == 302
    assert "Sorgenfri nærmiljøsenter" in Browser(app).get("/meeting-places/").get_data(as_text=True)

    # The spammer is found by name and blocked: their idea leaves the public pages and they are told.
    found = soup(client.get("/admin/people?q=billig"))
    assert found.find("a", href=f"/admin/people/{spammer.id}") is not None
    assert client.submit(f"/admin/people/{spammer.id}/block", {"reason": "Reklame for klokker", "confirm": "y"},
                         page=f"/admin/people/{spammer.id}").status_code == 302
    assert Browser(app).get(f"/ideas/{spam}").status_code == 404
    assert [m.template for m in outbox(app, spammer.email)][-1] == "account_blocked"

    # Last night's mail: two went out, one failed; it is sent again and goes out on the next round.
    mail_page = soup(client.get("/admin/mail?lang=en"))
    assert all("Sent" in mail_page.find(id=f"message-{n}").get_text() for n in sent)
    assert "ConnectionRefusedError" in mail_page.find(id=f"message-{failed}").get_text()
    assert client.submit(f"/admin/mail/{failed}/retry", {}, page="/admin/mail").status_code == 302
    server = fake_smtp.install(monkeypatch)
    app.test_cli_runner().invoke(args=["mail", "send"])
    assert "borte@example.no" in [m["To"] for m in server.received]

    # The audit log has every step, each by the admin (the invitation accepted by the colleague).
    with app.app_context():
        entries = db.session.execute(db.select(AuditEntry.action, AuditEntry.actor_id)
                                     .where(AuditEntry.action.in_(STEPS)).order_by(AuditEntry.id)).all()
    assert [action for action, _ in entries] == STEPS
    assert all(actor == admin.id for action, actor in entries if action != "user.accept_invitation")
    log = soup(client.get("/moderation/audit?lang=en")).find("table").get_text(" ", strip=True)
    for label in ("Invited as staff", "Effort area changed", "Meeting place added", "Account blocked", "Mail sent again"):
        assert label in log
    assert "Programkontoret" in log
