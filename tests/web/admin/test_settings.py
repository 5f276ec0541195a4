"""/admin/settings: an admin changes pre-moderation, the reports before hiding, how long data is kept and
the contact details; the site follows at once, in every worker, and the audit log says so."""
from __future__ import annotations

from datetime import timedelta

import pytest

from app.core import settings
from app.core.db import utcnow
from app.core.models import AuditEntry, OutboxMessage, Setting
from app.extensions import db
from app.ideas.models import Comment, Idea
from config import Config
from tests.helpers import (
    PASSWORD,
    Browser,
    count_queries,
    form_fields,
    give_standing,
    make_comment,
    make_idea,
    make_user,
    soup,
)

URL = "/admin/settings"


@pytest.fixture
def admin(login_as):
    return login_as("admin", two_factor=True)


def _stored(app) -> dict:
    with app.app_context():
        return {row.key: row.value for row in db.session.scalars(db.select(Setting))}


def _audit(app, action="settings.update") -> list[AuditEntry]:
    with app.app_context():
        entries = db.session.scalars(db.select(AuditEntry).where(AuditEntry.action == action)
                                     .order_by(AuditEntry.id)).all()
        db.session.expunge_all()
        return list(entries)


def _save(client, **values):
    return client.submit(URL, {name: value for name, value in values.items()})


def test_the_page_shows_each_default_and_saving_it_unchanged_stores_nothing(app, client, admin):
    app.config.update(MAX_REPORTS_BEFORE_HIDING=3, OUTBOX_RETENTION_DAYS=90, PREMODERATE=frozenset({"events"}))
    page = client.get(f"{URL}?lang=en")
    assert page.status_code == 200
    html = soup(page)
    assert html.select_one("nav.admin-sections a[aria-current=page]")["href"] == URL
    assert "Leave it empty to use the default: 3." in html.find(id="max_reports_before_hiding-hint").get_text()
    assert "Leave it empty to use the default: 90." in html.find(id="outbox_retention_days-hint").get_text()
    assert "Leave it empty to use the default: " + app.config["CONTACT_EMAIL"] in html.find(id="contact_email-hint").get_text()
    assert "The default is: Events." in html.find(id="premoderate_default-hint").get_text()
    fields = form_fields(page, URL)
    assert fields["max_reports_before_hiding"] == "" and fields["contact_email"] == ""
    assert fields["premoderate_default"] == "y" and fields["premoderate"] == "events"
    for element in html.select("form input:not([type=hidden])"):   # every input has its label
        assert html.find("label", attrs={"for": element["id"]}) is not None, element

    response = client.submit(URL, {})
    assert response.status_code == 302
    assert "Nothing was changed." in client.get(f"{URL}?lang=en").get_data(as_text=True)
    assert _stored(app) == {} and _audit(app) == []


def test_saving_stores_the_changed_values_and_the_audit_log_shows_what_changed(app, client, admin):
    response = _save(client, max_reports_before_hiding="2", premoderate=["ideas", "comments"], premoderate_default=None,
                     outbox_retention_days="45", contact_email="Bydel@Example.no ",
                     accessibility_statement_url="https://uustatus.no/nb/erklaringer/publisert/medvirk")
    assert response.status_code == 302 and response.headers["Location"] == URL
    assert _stored(app) == {"MAX_REPORTS_BEFORE_HIDING": 2, "PREMODERATE": ["comments", "ideas"],
                            "OUTBOX_RETENTION_DAYS": 45, "CONTACT_EMAIL": "bydel@example.no",
                            "ACCESSIBILITY_STATEMENT_URL": "https://uustatus.no/nb/erklaringer/publisert/medvirk"}
    with app.app_context():
        assert db.session.get(Setting, "CONTACT_EMAIL").updated_by_id == admin.id
    [entry] = _audit(app)
    assert entry.actor_id == admin.id and entry.target_type == "Setting"
    assert entry.changed_fields == sorted(["MAX_REPORTS_BEFORE_HIDING", "PREMODERATE", "OUTBOX_RETENTION_DAYS",
                                           "CONTACT_EMAIL", "ACCESSIBILITY_STATEMENT_URL"])
    assert entry.changes["MAX_REPORTS_BEFORE_HIDING"] == [None, 2]
    assert entry.changes["PREMODERATE"] == [None, ["comments", "ideas"]]
    assert "CONTACT_EMAIL" not in entry.changes                     # the contact details: which changed, not to what
    page = client.get(f"{URL}?lang=en")
    assert "Innstillingene er lagret." in page.get_data(as_text=True)
    assert form_fields(page, URL)["max_reports_before_hiding"] == "2"
    assert "premoderate_default" not in form_fields(page, URL)

    log = soup(client.get("/moderation/audit?lang=en")).find("table").get_text(" ", strip=True)
    assert "Settings changed" in log and "reports before hiding: the default → 2" in log
    assert "pre-moderation: the default → comments, ideas" in log
    assert "contact email" in log and "bydel@example.no" not in log


def _audit_log(client) -> str:
    return soup(client.get("/moderation/audit?lang=en")).find("table").get_text(" ", strip=True)


def test_an_emptied_field_goes_back_to_the_default_and_stores_nothing(app, client, admin):
    _save(client, max_reports_before_hiding="7", contact_phone="+47 900 00 000", premoderate=["events"],
          premoderate_default=None)
    assert set(_stored(app)) == {"MAX_REPORTS_BEFORE_HIDING", "CONTACT_PHONE", "PREMODERATE"}
    assert _save(client, max_reports_before_hiding="", contact_phone="", premoderate_default="y").status_code == 302
    assert _stored(app) == {}
    entry = _audit(app)[-1]
    assert entry.changes["MAX_REPORTS_BEFORE_HIDING"] == [7, None]
    assert entry.changed_fields == ["CONTACT_PHONE", "MAX_REPORTS_BEFORE_HIDING", "PREMODERATE"]
    assert "reports before hiding: 7 → the default" in _audit_log(client)


@pytest.mark.parametrize("field, typed, message", [
    ("max_reports_before_hiding", "0", "Give a whole number from 1 to 50."),
    ("max_reports_before_hiding", "tre", "Not a valid integer value."),
    ("audit_retention_days", "30", "Give a whole number from 365 to 3650."),
    ("registration_retention_days", "99999999999999999999", "Give a whole number from 1 to 365."),
    ("contact_email", "ikke en adresse", "Enter an email address in the right form, like name@example.no."),
    ("contact_dpo_email", "dpo@", "Enter an email address in the right form, like name@example.no."),
    ("contact_phone", "ring meg", "Enter a phone number with digits only, like 912 34 567."),
    ("contact_organisation", "K", "The name must be between 2 and 200 characters long."),
    ("accessibility_statement_url", "javascript:alert(1)", "Enter a web address that starts with https://"),
    ("accessibility_statement_url", "uustatus.no", "Enter a web address that starts with https://"),
])
def test_a_wrong_value_is_refused_beside_its_field_keeping_what_was_typed(app, client, admin, field, typed, message):
    response = client.submit(f"{URL}?lang=en", {field: typed, "contact_address": "Kongens gate 1"})
    assert response.status_code == 400
    page = soup(response)
    assert message in page.find(id=f"{field}-error").get_text()
    assert page.find(id=field)["value"] == typed
    assert page.find(id=field)["aria-invalid"] == "true"
    assert page.find(id="contact_address")["value"] == "Kongens gate 1"
    assert page.select_one(".error-summary a")["href"] == f"#{field}"
    assert _stored(app) == {} and _audit(app) == []


def test_the_footer_privacy_notice_and_accessibility_statement_show_stored_contact_details(app, client, admin):
    _save(client, contact_organisation="Bydelskontoret", contact_email="bydel@example.no", contact_phone="+47 73 00 00 00",
          contact_address="Torget 1, 7011 Trondheim", contact_dpo_email="vern@example.no",
          accessibility_statement_url="https://uustatus.no/nb/erklaringer/publisert/1234")
    visitor = Browser(app)
    footer = soup(visitor.get("/?lang=en")).find("footer").get_text()
    assert "Bydelskontoret" in footer and "bydel@example.no" in footer and "+47 73 00 00 00" in footer
    privacy = visitor.get("/privacy?lang=en").get_data(as_text=True)
    for value in ("Bydelskontoret", "Torget 1, 7011 Trondheim", "mailto:bydel@example.no", "mailto:vern@example.no"):
        assert value in privacy
    accessibility = soup(visitor.get("/accessibility?lang=en"))
    assert accessibility.find("a", href="https://uustatus.no/nb/erklaringer/publisert/1234") is not None
    assert "bydel@example.no" in accessibility.get_text()


def test_the_privacy_notice_states_a_stored_retention_period(app, client, admin):
    _save(client, outbox_retention_days="45", registration_retention_days="14")
    page = soup(Browser(app).get("/privacy?lang=en"))
    assert "45 days" in page.find("dt", string="Copies of emails we have sent").find_next_sibling("dd").get_text()
    assert "14 days" in page.find("dt", string="Event registrations").find_next_sibling("dd").get_text()


def test_privacy_purge_keeps_data_for_the_stored_period(app, client, admin):
    app.config["OUTBOX_RETENTION_DAYS"] = 90
    _save(client, outbox_retention_days="10")
    with app.app_context():
        for days in (8, 12):
            db.session.add(OutboxMessage(recipient="x@example.no", locale="nb", template="t", subject=f"{days}",
                                         body="b", created_at=utcnow() - timedelta(days=days)))
        db.session.commit()
    result = app.test_cli_runner().invoke(args=["privacy", "purge"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        assert db.session.scalars(db.select(OutboxMessage.subject)).all() == ["8"]


def test_premoderation_switched_on_for_ideas_holds_a_new_idea(app, client, admin):
    author = make_user(app)
    _save(client, premoderate=["ideas"], premoderate_default=None)
    held = make_idea(app, author, title="Venter på godkjenning")
    _save(client, premoderate_default="y")
    shown = make_idea(app, author, title="Vises med en gang")
    with app.app_context():
        assert db.session.get(Idea, held).held_at is not None
        assert db.session.get(Idea, shown).held_at is None


def test_a_lower_reports_threshold_hides_after_fewer_reports(app, client, admin):
    _save(client, max_reports_before_hiding="1")
    author = make_user(app)
    comment = make_comment(app, author, make_idea(app, author), body="Stygg kommentar")
    reporter = Browser(app)
    reporter.submit("/account/login", {"email": give_standing(app, make_user(app)).email, "password": PASSWORD})
    assert reporter.submit(f"/ideas/comments/{comment}/report", {"reason": "harassment"}).status_code == 302
    with app.app_context():
        stored = db.session.get(Comment, comment)
        assert stored.hidden_at is not None and stored.hidden_by_reports


def test_a_stored_value_is_read_once_per_request(app, client, admin):
    _save(client, contact_email="bydel@example.no", max_reports_before_hiding="4")
    visitor = Browser(app)
    visitor.get("/privacy")
    with count_queries(app) as statements:
        visitor.get("/privacy")
    assert sum("FROM settings" in s for s in statements) == 1


def test_a_change_reaches_every_worker_at_their_next_request(app_factory, tmp_path):
    """Two app instances (two workers) on one database with the page cache on: the second has the page
    cached, the admin saves in the first, and the second's next request shows the new value."""
    probe = app_factory()
    url = probe.config["SQLALCHEMY_DATABASE_URI"]
    url = url if not url.startswith("sqlite") else f"sqlite:///{tmp_path / 'shared.sqlite3'}"
    shared = {"SQLALCHEMY_DATABASE_URI": url, "PAGE_CACHE_SECONDS": 30,
              "PAGE_CACHE_GENERATION_FILE": str(tmp_path / "generation")}
    first, second = app_factory(**shared), app_factory(**shared)
    for _ in range(2):
        before = second.test_client().get("/privacy?lang=en")
    with count_queries(second) as statements:
        cached = second.test_client().get("/privacy?lang=en")
    assert statements == [] and cached.get_data() == before.get_data()   # served from the page cache
    assert "ny-kontakt@example.no" not in before.get_data(as_text=True)

    user = make_user(first, role="admin")
    admin = Browser(first)
    admin.submit("/account/login", {"email": user.email, "password": PASSWORD})
    assert admin.submit(URL, {"contact_email": "ny-kontakt@example.no", "outbox_retention_days": "33"}).status_code == 302

    after = second.test_client().get("/privacy?lang=en").get_data(as_text=True)
    assert "ny-kontakt@example.no" in after
    assert "33 days" in after


def test_kinds_ticked_while_the_default_is_ticked_are_not_ignored_silently(app, client, admin):
    response = client.submit(f"{URL}?lang=en", {"premoderate": ["ideas"], "premoderate_default": "y"})
    assert response.status_code == 400
    page = soup(response)
    assert "Untick this box" in page.find(id="premoderate_default-error").get_text()
    assert page.find(id="premoderate-0").has_attr("checked")
    assert _stored(app) == {}


def test_the_fault_service_address_is_set_here_and_both_forms_send_residents_there_and_to_112(app, client, admin,
                                                                                                login_as):
    resident = Browser(app)
    login_as("resident", browser=resident)

    def notices() -> list:
        return [soup(resident.get(path)).find("aside", class_="help-elsewhere")
                for path in ("/districts/lademoen/feedback?lang=en", "/ideas/new?lang=en")]

    for notice in notices():
        assert "112" in notice.get_text() and "110" in notice.get_text() and "113" in notice.get_text()
        assert notice.find("a", string="Report a fault to the municipality")["href"] == app.config["MUNICIPAL_FAULT_REPORT_URL"]
    assert _save(client, municipal_fault_report_url="javascript:alert(1)").status_code == 400
    assert _save(client, municipal_fault_report_url="https://bydel.example.no/meld-feil").status_code == 302
    for notice in notices():
        assert notice.find("a", string="Report a fault to the municipality")["href"] == "https://bydel.example.no/meld-feil"
    [entry] = _audit(app)
    assert entry.changes["MUNICIPAL_FAULT_REPORT_URL"] == [None, "https://bydel.example.no/meld-feil"]


def test_photos_are_held_by_default_and_an_admin_can_switch_that_off_and_on_again(app, client, admin):
    assert "photos" in Config.PREMODERATE          # a deployment that sets nothing holds photos
    app.config.update(PREMODERATE=Config.PREMODERATE)
    page = client.get(f"{URL}?lang=en")
    html = soup(page)
    assert "The default is: Photos from residents and organisers." in html.find(id="premoderate_default-hint").get_text()
    assert "Photos moderators and administrators add are never held." in html.find(id="premoderate-hint").get_text()
    assert form_fields(page, URL)["premoderate"] == "photos"
    with app.test_request_context():
        assert settings.is_premoderated("photos")

    assert _save(client, premoderate=[], premoderate_default=None).status_code == 302
    assert _stored(app) == {"PREMODERATE": []}
    with app.test_request_context():
        assert not settings.is_premoderated("photos")
    assert "pre-moderation: the default → nothing" in _audit_log(client)

    assert _save(client, premoderate=["photos", "events"], premoderate_default=None).status_code == 302
    assert _stored(app) == {"PREMODERATE": ["events", "photos"]}
    with app.test_request_context():
        assert settings.is_premoderated("photos") and settings.is_premoderated("events")
    assert "pre-moderation: nothing → events, photos" in _audit_log(client)


# --- languages ------------------------------------------------------------------------------------------

ALL_BUT_BOKMAL = [line[0] for line in Config.LANGUAGES if line[0] != "nb"]


def test_an_admin_switches_a_language_off_and_on_and_its_accounts_read_bokmal_meanwhile(app, client, admin):
    html = soup(client.get(f"{URL}?lang=en"))
    boxes = {box["value"]: box for box in html.select("input[name=languages_on]")}
    assert sorted(boxes) == sorted(ALL_BUT_BOKMAL) and all(box.has_attr("checked") for box in boxes.values())
    assert boxes["ar"].find_parent(class_="choice")["lang"] == "ar"   # each in its own name and language

    assert _save(client, languages_on=[code for code in ALL_BUT_BOKMAL if code != "pl"]).status_code == 302
    assert _stored(app) == {"LANGUAGES_OFF": ["pl"]}
    [entry] = _audit(app)
    assert entry.changes["LANGUAGES_OFF"] == [None, ["pl"]]
    assert "languages switched off: the default → pl" in _audit_log(client)

    visitor = Browser(app)
    page = soup(visitor.get("/?lang=pl"))
    assert page.find("html")["lang"] == "nb"
    assert page.select_one("nav.languages a[hreflang=pl]") is None and page.select_one("nav.languages a[hreflang=uk]")
    reader = Browser(app)
    user = make_user(app, role="resident", email="polak@example.no", locale="pl")
    reader.submit("/account/login", {"email": user.email, "password": PASSWORD})
    assert soup(reader.get("/", headers={"Accept-Language": "en"})).find("html")["lang"] == "nb"
    profile = soup(reader.get("/account/"))
    assert "pl" not in [box["value"] for box in profile.select("input[name=profile-locale]")]

    assert _save(client, languages_on=ALL_BUT_BOKMAL).status_code == 302   # on again: as configured, nothing stored
    assert _stored(app) == {}
    assert soup(reader.get("/")).find("html")["lang"] == "pl"


def test_bokmal_cannot_be_switched_off(app, client, admin):
    response = _save(client, languages_on=["nb", "zz"])
    assert response.status_code == 400
    assert _stored(app) == {}
    with app.test_request_context():
        settings_row = Setting(key="LANGUAGES_OFF", value=["nb", "en"])   # stored by hand: Bokmål stays on
        db.session.add(settings_row)
        db.session.commit()
    page = soup(Browser(app).get("/?lang=nb"))
    assert page.find("html")["lang"] == "nb" and page.select_one("nav.languages a[hreflang=en]") is None


@pytest.mark.parametrize("role, status", [("resident", 403), ("moderator", 403), ("admin", 302)])
def test_only_admins_switch_languages(app, client, login_as, role, status):
    login_as(role, two_factor=role != "resident")
    token = form_fields(client.get("/account/"))["csrf_token"] if role != "admin" else None
    if role == "admin":
        response = _save(client, languages_on=["en"])
    else:
        assert client.get(URL).status_code == 403
        response = client.post(URL, data={"csrf_token": token, "languages_on": ["en"]})
    assert response.status_code == status
    assert ("LANGUAGES_OFF" in _stored(app)) is (role == "admin")
