"""Organiser pages: my events, participants, adding a person, attendance, the CSV export and messages."""
from __future__ import annotations

import csv
import io
import itertools
from datetime import timedelta

import pytest

from app.core.db import utcnow
from app.core.models import AuditEntry
from app.events.models import Event, Registration
from app.extensions import db
from app.organiser import services
from tests.helpers import PASSWORD, count_queries, form_fields, make_user, outbox, soup

_order = itertools.count(1)

def _organisation(app, *members, name="Naboklubben", district="lademoen", status="approved") -> int:
    from app.districts.services import get_district
    from app.organisations.models import Membership, Organisation

    with app.app_context():
        org = Organisation(name=name, description="Vi møtes og hjelper hverandre.", description_html="",
                           contact_email="klubb@example.no", status=status)
        org.districts = [get_district(district)]
        org.memberships = [Membership(user_id=member.id) for member in members]
        db.session.add(org)
        db.session.commit()
        return org.id


def _event(app, organisation_id, district="lademoen", starts_in=timedelta(days=7), hours=2, capacity=10,
           title="Nabokaffe", status="published", series_id=None) -> int:
    from app.districts.services import get_district

    with app.app_context():
        starts = utcnow() + starts_in
        event = Event(organisation_id=organisation_id, district_id=get_district(district).id, title=title,
                      address="Lademoen kirke", starts_at=starts, ends_at=starts + timedelta(hours=hours),
                      capacity=capacity, seats_taken=0, status=status, series_id=series_id)
        db.session.add(event)
        db.session.commit()
        return event.id


def _register(app, event_id, name=None, email=None, phone=None, user=None, party=1, status="confirmed",
              needs=None, locale="nb") -> int:
    """A registration written straight to the database (the registration pages are tested elsewhere)."""
    from app.core import secret_links
    from app.events.registration import MANAGE

    with app.app_context():
        nonce = secret_links.new_nonce()
        at = utcnow() - timedelta(days=20) + timedelta(seconds=next(_order))
        registration = Registration(
            event_id=event_id, user_id=user.id if user else None, name=name, email=email, phone=phone,
            party_size=party, access_needs=needs, status=status, locale=locale, queued_at=at,
            confirmed_at=at if status == "confirmed" else None, token_nonce=nonce,
            token_hash=secret_links.digest(secret_links.token_for(MANAGE, nonce)))
        db.session.add(registration)
        if status == "confirmed":
            db.session.get(Event, event_id).seats_taken += party
        db.session.commit()
        return registration.id


def _registration(app, registration_id) -> Registration:
    with app.app_context():
        registration = db.session.get(Registration, registration_id)
        db.session.expunge_all()
        return registration


def _log_in(client, user):
    assert client.submit("/account/login", {"email": user.email, "password": PASSWORD}).status_code == 302


def _csrf(client) -> str:
    return form_fields(client.get("/account/"))["csrf_token"]


@pytest.fixture
def organiser(app, client):
    """Signed in as an organiser (English pages) of an approved organisation in Lademoen."""
    user = make_user(app, display_name="Olga Organisator", locale="en")
    _log_in(client, user)
    user.organisation_id = _organisation(app, user)
    return user


# ---- who may ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("role,expected", [
    ("visitor", 302), ("resident", 403), ("organiser_elsewhere", 403), ("organiser", 200),
    ("moderator", 200), ("moderator_elsewhere", 403), ("admin", 200)])
def test_who_may_see_the_participants_and_their_contact_details(app, client, login_as, role, expected):
    owner = make_user(app, locale="en")
    event = _event(app, _organisation(app, owner))
    _register(app, event, name="Gjest Gjestesen", email="gjest@example.no", phone="912 34 567", needs="Rullestol")
    if role == "organiser":
        _log_in(client, owner)
    elif role == "organiser_elsewhere":
        _organisation(app, login_as("resident", locale="en"), name="Andre lag")
    elif role == "moderator":
        login_as("moderator", districts=("lademoen",), locale="en")
    elif role == "moderator_elsewhere":
        login_as("moderator", districts=("mollenberg",), locale="en")
    else:
        login_as(role, locale="en")

    page = client.get(f"/organiser/events/{event}")
    export = client.get(f"/organiser/events/{event}/participants.csv")
    for response in (page, export):
        assert response.status_code == expected
        text = response.get_data(as_text=True)
        for detail in ("gjest@example.no", "912 34 567", "Gjest Gjestesen"):
            assert (detail in text) == (expected == 200), (detail, response.request.path)
        # Access needs are for the organisers alone.
        assert ("Rullestol" in text) == (role == "organiser"), response.request.path
        if expected == 302:
            assert "/account/login" in response.headers["Location"]
        if expected == 200:
            assert response.headers["Cache-Control"] == "no-store"
    if expected == 200:
        forms = {f.get("action") for f in soup(page).find_all("form")}
        may_change = role == "organiser"
        assert (f"/organiser/events/{event}" in forms) == may_change
        assert (f"/organiser/events/{event}/message" in forms) == may_change
        assert ("Only the event's organisers can change it" in page.get_data(as_text=True)) == (not may_change)


def test_moderators_and_admins_only_read(app, client, login_as):
    owner = make_user(app)
    event = _event(app, _organisation(app, owner), starts_in=timedelta(hours=-1))
    guest = _register(app, event, name="Gjest", email="gjest@example.no")
    for role in ("moderator", "admin"):
        login_as(role, districts=("lademoen",) if role == "moderator" else ())
        token = _csrf(client)
        assert client.post(f"/organiser/events/{event}", data={"add-csrf_token": token, "add-name": "Per",
                                                               "add-phone": "912 34 567"}).status_code == 403
        assert client.post(f"/organiser/events/{event}/attendance",
                           data={"csrf_token": token, "came": str(guest)}).status_code == 403
        assert client.post(f"/organiser/events/{event}/message", data={
            "message-csrf_token": token, "message-subject_nb": "Hei", "message-body_nb": "Hei alle"}).status_code == 403
        client.post("/account/logout", data={"csrf_token": token})
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(Registration.id))) == 1
    assert _registration(app, guest).attended is None
    assert outbox(app) == []


def test_a_missing_event_is_not_found(app, client, organiser):
    assert client.get("/organiser/events/999").status_code == 404


# ---- my events ---------------------------------------------------------------------------------------

def test_my_events_lists_my_organisations_events_with_seats_waitlist_and_status(app, client, organiser):
    org = organiser.organisation_id
    soon = _event(app, org, title="Strikkekafé", capacity=10)
    _register(app, soon, name="A", party=2)
    _register(app, soon, name="B")
    _register(app, soon, name="C", status="waitlisted")
    _register(app, soon, name="D", status="waitlisted")
    _register(app, soon, name="E", status="cancelled")
    _event(app, org, title="Venter på godkjenning", starts_in=timedelta(days=9), status="held")
    _event(app, org, title="Avlyst juletrefest", starts_in=timedelta(days=12), status="cancelled", capacity=None)
    _event(app, org, title="Forrige ukes dugnad", starts_in=timedelta(days=-5))
    _event(app, org, title="Gammel grillfest", starts_in=timedelta(days=-40))
    _event(app, _organisation(app, make_user(app), name="Andres lag"), title="Andres arrangement")
    _organisation(app, organiser, name="Søkt, ikke godkjent", status="pending")

    response = client.get("/organiser/")
    assert response.status_code == 200 and response.headers["Cache-Control"] == "no-store"
    text = response.get_data(as_text=True)
    assert "Naboklubben" in text and "Søkt, ikke godkjent" not in text
    assert "Andres arrangement" not in text and "Gammel grillfest" not in text
    assert text.index("Strikkekafé") < text.index("Venter på godkjenning") < text.index("Avlyst juletrefest") \
        < text.index("Forrige ukes dugnad")
    row = soup(response).find("a", string="Strikkekafé").find_parent("tr")
    cells = [td.get_text(" ", strip=True) for td in row.find_all("td")]
    assert cells[1] == "3 of 10" and cells[2] == "2"
    # The same weekday-and-month wording as everywhere else, not "11/12/2026, 10:00".
    assert row.find("time").get_text(strip=True).split(" ")[0] in (
        "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
    assert row.find("a", href=f"/organiser/events/{soon}") is not None
    assert row.find("a", href=f"/events/{soon}") is not None
    assert row.find("a", href=f"/events/{soon}/edit") is not None
    held = soup(response).find("a", string="Venter på godkjenning").find_parent("tr")
    assert "Waiting for approval" in held.get_text()
    cancelled = soup(response).find("a", string="Avlyst juletrefest").find_parent("tr")
    assert "Cancelled" in cancelled.get_text() and cancelled.find("a", href=lambda h: h and h.endswith("/edit")) is None
    assert soup(response).find("a", href=f"/events/new?organisation={org}") is not None


def test_a_weekly_series_is_one_row_with_every_date_s_participants_and_edit_links(app, client, organiser):
    org = organiser.organisation_id
    weeks = [_event(app, org, title="Babysang", starts_in=timedelta(days=3 + 7 * n), series_id="babysang-uke")
             for n in range(6)]
    _register(app, weeks[0], name="A", party=2)
    _register(app, weeks[0], name="B", status="waitlisted")
    alone = _event(app, org, title="Strikkekafé", starts_in=timedelta(days=4))

    response = client.get("/organiser/")
    page = soup(response)
    assert [a.get_text() for a in page.select("table.stack tbody th > a")] == ["Babysang", "Strikkekafé"]
    row = page.find("a", string="Babysang").find_parent("tr")
    assert "6 times left" in row.get_text(" ", strip=True)
    cells = [td.get_text(" ", strip=True) for td in row.find_all("td", recursive=False)]
    assert cells[1] == "2 of 10" and cells[2] == "1"   # the next date's seats
    dates = row.find("details", class_="series-dates")
    assert dates is not None and len(dates.find_all("time")) == 6
    for week in weeks:
        assert dates.find("a", href=f"/organiser/events/{week}") is not None
        assert dates.find("a", href=f"/events/{week}/edit") is not None
    assert page.find("a", href=f"/organiser/events/{alone}").find_parent("details") is None


def test_my_events_without_an_organisation_points_to_applying(app, client, login_as):
    login_as("resident", locale="en")
    response = client.get("/organiser/")
    assert response.status_code == 200
    assert soup(response).find("a", href="/organisations/apply") is not None


def test_my_events_runs_the_same_number_of_queries_for_3_or_30_events(app, client, organiser):
    def add_events(n):
        for i in range(n):
            event = _event(app, organiser.organisation_id, title=f"Kafé {i}", capacity=2,
                           starts_in=timedelta(days=(i % 20) - 10))
            _register(app, event, name="Kari", email=f"kari{i}@example.no", needs="Trenger tolk")
            _register(app, event, name="Ola", phone="912 34 567")
            _register(app, event, name="Per", status="waitlisted")

    def measure():
        client.get("/organiser/")
        with count_queries(app) as queries:
            response = client.get("/organiser/")
        assert response.status_code == 200
        return len(queries), response.get_data(as_text=True).count("/organiser/events/")

    for n in range(8):   # a series: its dates add no queries either
        _event(app, organiser.organisation_id, title="Babysang", starts_in=timedelta(days=2 + 7 * n), series_id="s")
    add_events(3)
    few, shown = measure()
    assert shown == 3 + 8 + 1   # the series: each date, and its next date in the row
    add_events(27)
    many, shown = measure()
    # The next few and the last few that ended; the rest are a link away.
    assert shown == 8 + 1 + (services.OVERVIEW_CARDS - 1) + services.OVERVIEW_ENDED
    assert many == few


def test_all_of_an_organisation_s_coming_and_ended_events_are_a_link_away_a_page_at_a_time(app, client, organiser):
    org = organiser.organisation_id
    for day in range(services.LIST_CARDS + 5):
        _event(app, org, title=f"Kafé {day:02d}", starts_in=timedelta(days=1 + day))
    for day in range(3):
        _event(app, org, title=f"Dugnad {day}", starts_in=timedelta(days=-60 - day))
    _event(app, _organisation(app, make_user(app), name="Andres lag"), title="Andres arrangement")

    overview = soup(client.get("/organiser/"))
    shown = [a.get_text() for a in overview.select("table.stack tbody th > a")]
    assert shown == [f"Kafé {day:02d}" for day in range(services.OVERVIEW_CARDS)]   # nothing ended in 30 days
    links = {a.get_text(strip=True).split(":")[0]: a["href"] for a in overview.select("a[href*='organisation=']")}
    coming = links["All coming events"]
    first = soup(client.get(coming))
    assert [a.get_text() for a in first.select("table.stack tbody th > a")] == [
        f"Kafé {day:02d}" for day in range(services.LIST_CARDS)]
    second = soup(client.get(first.find("a", string="Next page")["href"]))
    assert [a.get_text() for a in second.select("table.stack tbody th > a")] == [
        f"Kafé {day:02d}" for day in range(services.LIST_CARDS, services.LIST_CARDS + 5)]
    ended = soup(client.get(links["All events that have ended"]))
    assert [a.get_text() for a in ended.select("table.stack tbody th > a")] == ["Dugnad 0", "Dugnad 1", "Dugnad 2"]
    # Only the organisation's own organisers see its list.
    other = _organisation(app, make_user(app), name="Tredje lag")
    assert client.get(f"/organiser/?organisation={other}").status_code == 404


# ---- adding a person without email ---------------------------------------------------------------

def test_an_organiser_adds_a_person_without_email(app, client, organiser):
    event = _event(app, organiser.organisation_id, capacity=3)
    _register(app, event, name="Først", party=2)
    page = f"/organiser/events/{event}"
    response = client.submit(page, {"add-name": "Åse Ødegård", "add-phone": "+47 912 34 567", "add-party_size": "1",
                                    "add-access_needs": "Trenger heis"})
    assert response.status_code == 302
    with app.app_context():
        added = db.session.scalar(db.select(Registration).where(Registration.name == "Åse Ødegård"))
        assert added.added_by_organiser and added.status == "confirmed" and added.email is None
        assert added.phone == "+47 912 34 567" and added.access_needs == "Trenger heis"
        entry = db.session.scalar(db.select(AuditEntry).where(AuditEntry.action == "registration.add_by_organiser"))
        assert entry.target_id == str(added.id) and "Åse" not in str(entry.changes) + str(entry.changed_fields)
    assert outbox(app) == []
    followed = client.get(page).get_data(as_text=True)
    assert "Åse Ødegård is added and has a seat." in followed and "+47 912 34 567" in followed

    # the event is full now: the next one waits
    assert client.submit(page, {"add-name": "Bjørn", "add-phone": "41 22 33 44", "add-party_size": "2"}).status_code == 302
    assert "Bjørn is added to the waitlist" in client.get(page).get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(db.select(Registration.status).where(Registration.name == "Bjørn")) == "waitlisted"


@pytest.mark.parametrize("values,field", [({"add-name": "", "add-phone": "912 34 567"}, "name"),
                                          ({"add-name": "Per", "add-phone": "ring meg"}, "phone"),
                                          ({"add-name": "Per", "add-phone": ""}, "phone"),
                                          ({"add-name": "Per", "add-phone": "912 34 567", "add-party_size": "9"},
                                           "party_size")])
def test_adding_a_person_shows_errors_beside_the_fields_and_keeps_what_was_typed(app, client, organiser, values, field):
    event = _event(app, organiser.organisation_id)
    response = client.submit(f"/organiser/events/{event}", dict({"add-access_needs": "Høreslynge"}, **values))
    assert response.status_code == 400
    page = soup(response)
    assert page.find(id=f"add-{field}-error") is not None
    assert page.find("a", href=f"#add-{field}") is not None  # the error summary links to it
    assert page.find("input", {"name": "add-phone"})["value"] == values["add-phone"]
    assert page.find("textarea", {"name": "add-access_needs"}).text.strip() == "Høreslynge"
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(Registration.id))) == 0


def test_adding_a_person_after_registration_has_closed_is_refused_with_a_reason(app, client, organiser):
    event = _event(app, organiser.organisation_id, starts_in=timedelta(hours=-1))
    page = client.get(f"/organiser/events/{event}")
    assert "This event has started, so registration is closed." in page.get_data(as_text=True)
    values = form_fields(page)
    values.update({"add-csrf_token": values.get("csrf_token"), "add-name": "Per Sen", "add-phone": "912 34 567",
                   "add-party_size": "1", "add-submission_id": "closed-registration-form"})
    response = client.post(f"/organiser/events/{event}", data=values)
    assert response.status_code == 400
    alert = soup(response).find(id="add-refused").find_parent(attrs={"role": "alert"})
    assert "This event has started, so registration is closed." in alert.get_text()
    assert soup(response).find("input", {"name": "add-name"})["value"] == "Per Sen"
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(Registration.id))) == 0


# ---- attendance ----------------------------------------------------------------------------------

def test_attendance_cannot_be_marked_before_the_event_starts(app, client, organiser):
    event = _event(app, organiser.organisation_id, starts_in=timedelta(hours=3))
    guest = _register(app, event, name="Kari")
    page = client.get(f"/organiser/events/{event}")
    assert soup(page).find("input", {"name": "came"}) is None
    response = client.submit(f"/organiser/events/{event}", {"came": str(guest)},
                             action=f"/organiser/events/{event}/attendance")
    assert response.status_code == 302
    assert "You can mark who came once the event has started." in client.get(response.headers["Location"]).get_data(as_text=True)
    assert _registration(app, guest).attended is None


def test_attendance_is_saved_after_the_start_and_audited_without_names(app, client, organiser):
    event = _event(app, organiser.organisation_id, starts_in=timedelta(minutes=-30))
    came = _register(app, event, name="Kari Kom")
    stayed_away = _register(app, event, name="Ola Uteble")
    waiting = _register(app, event, name="Per Venter", status="waitlisted")
    page = client.get(f"/organiser/events/{event}")
    boxes = soup(page).find_all("input", {"name": "came"})
    assert sorted(int(box["value"]) for box in boxes) == sorted([came, stayed_away])
    for box in boxes:  # every checkbox has a label that names the person
        label = soup(page).find("label", attrs={"for": box["id"]})
        assert "Came" in label.get_text()
    shown = [box["value"] for box in soup(page).find_all("input", {"name": "shown"})]
    assert sorted(shown) == sorted([str(came), str(stayed_away)])
    response = client.submit(f"/organiser/events/{event}", {"came": [str(came), str(waiting)], "shown": shown},
                             action=f"/organiser/events/{event}/attendance")
    assert response.status_code == 302
    assert _registration(app, came).attended is True
    assert _registration(app, stayed_away).attended is False
    assert _registration(app, waiting).attended is None
    with app.app_context():
        entries = db.session.scalars(db.select(AuditEntry).where(AuditEntry.action == "registration.attendance")).all()
        assert sorted(int(e.target_id) for e in entries) == sorted([came, stayed_away])
        for entry in entries:
            assert entry.target_type == "Registration" and entry.changed_fields == ["attended"] and not entry.changes
    # the saved state is shown ticked
    ticked = soup(client.get(f"/organiser/events/{event}")).find("input", {"name": "came", "value": str(came)})
    assert ticked.has_attr("checked")


def test_access_needs_are_no_longer_shown_once_the_event_is_over(app, client, organiser):
    over = _event(app, organiser.organisation_id, starts_in=timedelta(days=-1))
    _register(app, over, name="Kari", needs="Trenger tolk")
    for path in (f"/organiser/events/{over}", f"/organiser/events/{over}/participants.csv"):
        text = client.get(path).get_data(as_text=True)
        assert "Kari" in text and "Trenger tolk" not in text


# ---- export ----------------------------------------------------------------------------------------

def test_the_csv_export_opens_in_excel_and_cannot_carry_formulas(app, client, organiser):
    event = _event(app, organiser.organisation_id, capacity=3)
    account = make_user(app, email="konto@example.no", display_name="Kontohaver")
    _register(app, event, name="Åse Ødegård", email="ase@example.no", phone="+47 912 34 567", party=2,
              needs="@SUM(A1)")
    _register(app, event, user=account)
    _register(app, event, name='=HYPERLINK("http://evil.example","klikk")', phone="-1+1", status="waitlisted")
    _register(app, event, name="Avmeldt", status="cancelled")

    response = client.get(f"/organiser/events/{event}/participants.csv")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert response.headers["Cache-Control"] == "no-store"
    assert response.headers["Content-Disposition"].startswith("attachment; filename=")
    assert response.data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(response.data.decode("utf-8-sig")), delimiter=";"))
    assert rows == [
        ["Status", "Name", "People", "Access needs", "Email", "Phone", "Came"],
        ["confirmed", "Åse Ødegård", "2", "'@SUM(A1)", "ase@example.no", "'+47 912 34 567", ""],
        ["confirmed", "Kontohaver", "1", "", "konto@example.no", "", ""],
        ["waitlist", "'=HYPERLINK(\"http://evil.example\",\"klikk\")", "1", "", "", "'-1+1", ""],
    ]


# ---- message to everyone registered ----------------------------------------------------------------

MESSAGE = {"message-subject_nb": "Husk matpakke", "message-body_nb": "Ta med matpakke og godt humør.",
           "message-subject_nn": "Hugs matpakke", "message-body_nn": "Ta med matpakke og godt humør, alle saman."}


def test_a_message_reaches_everyone_registered_in_their_own_language(app, client, organiser):
    event = _event(app, organiser.organisation_id, capacity=2)
    account = make_user(app, email="konto@example.no", locale="nn")
    _register(app, event, user=account)
    _register(app, event, name="Guest", email="guest@example.no", locale="en")
    _register(app, event, name="Venter", email="venter@example.no", locale="nb", status="waitlisted")
    _register(app, event, name="Avmeldt", email="avmeldt@example.no", status="cancelled")
    _register(app, event, name="Uten epost", phone="912 34 567", status="waitlisted")

    response = client.submit(f"/organiser/events/{event}", MESSAGE, action=f"/organiser/events/{event}/message")
    assert response.status_code == 302
    assert "The message was sent to 3 people." in client.get(response.headers["Location"]).get_data(as_text=True)
    mails = {mail.recipient: mail for mail in outbox(app)}
    assert set(mails) == {"konto@example.no", "guest@example.no", "venter@example.no"}
    assert mails["konto@example.no"].subject == "Hugs matpakke"
    assert "alle saman" in mails["konto@example.no"].body and mails["konto@example.no"].locale == "nn"
    # no English text was written: the first language given is used, inside a mail in English
    assert mails["guest@example.no"].subject == "Husk matpakke" and mails["guest@example.no"].locale == "en"
    assert "Ta med matpakke og godt humør." in mails["guest@example.no"].body
    assert mails["venter@example.no"].subject == "Husk matpakke"
    for mail in mails.values():
        assert "klubb@example.no" in mail.body  # where to answer
    with app.app_context():
        entry = db.session.scalar(db.select(AuditEntry).where(AuditEntry.action == "event.message"))
        assert entry.target_id == str(event) and entry.changes["recipients"] == [None, 3]


def test_a_message_in_one_language_only_goes_to_everyone_in_that_language(app, client, organiser):
    event = _event(app, organiser.organisation_id)
    _register(app, event, name="Bokmål", email="nb@example.no", locale="nb")
    _register(app, event, name="English", email="en@example.no", locale="en")
    response = client.submit(f"/organiser/events/{event}", {"message-subject_en": "Bring a packed lunch",
                                                            "message-body_en": "Please bring a packed lunch."},
                             action=f"/organiser/events/{event}/message")
    assert response.status_code == 302
    assert {mail.subject for mail in outbox(app)} == {"Bring a packed lunch"}


@pytest.mark.parametrize("values,field", [
    ({}, "subject_nb"),
    ({"message-subject_nn": "Hugs matpakke"}, "body_nn"),
    ({"message-body_en": "Please bring a packed lunch."}, "subject_en")])
def test_a_message_needs_a_subject_and_a_text_in_at_least_one_language(app, client, organiser, values, field):
    event = _event(app, organiser.organisation_id)
    _register(app, event, name="Kari", email="kari@example.no")
    response = client.submit(f"/organiser/events/{event}", values, action=f"/organiser/events/{event}/message")
    assert response.status_code == 400
    page = soup(response)
    assert page.find(id=f"message-{field}-error") is not None
    for name, value in values.items():
        element = page.find(attrs={"name": name})
        assert (element.get("value") or element.text.strip()) == value
    assert outbox(app) == []


def test_messages_are_limited_to_five_an_hour_per_event(app, client, organiser):
    event = _event(app, organiser.organisation_id)
    _register(app, event, name="Kari", email="kari@example.no")
    url, action = f"/organiser/events/{event}", f"/organiser/events/{event}/message"
    for _ in range(5):
        assert client.submit(url, MESSAGE, action=action).status_code == 302
    refused = client.submit(url, dict(MESSAGE, **{"message-body_nb": "Enda en påminnelse."}), action=action)
    assert refused.status_code == 429 and int(refused.headers["Retry-After"]) > 0
    page = soup(refused)
    assert "Only 5 messages an hour" in page.find(id="message-refused").find_parent(attrs={"role": "alert"}).get_text()
    assert page.find("textarea", {"name": "message-body_nb"}).text.strip() == "Enda en påminnelse."
    assert len(outbox(app)) == 5
    # another event has its own allowance
    other = _event(app, organiser.organisation_id, title="Annet")
    _register(app, other, name="Ola", email="ola@example.no")
    assert client.submit(f"/organiser/events/{other}", MESSAGE,
                         action=f"/organiser/events/{other}/message").status_code == 302


def test_a_message_with_nobody_to_mail_says_so(app, client, organiser):
    event = _event(app, organiser.organisation_id)
    _register(app, event, name="Uten epost", phone="912 34 567")
    response = client.submit(f"/organiser/events/{event}", MESSAGE, action=f"/organiser/events/{event}/message")
    assert response.status_code == 400
    assert "Nobody registered has an email address" in response.get_data(as_text=True)
    assert outbox(app) == []


def test_a_double_click_adds_one_person_and_sends_one_message(app, client, organiser):
    event = _event(app, organiser.organisation_id)
    _register(app, event, name="Gjest", email="gjest@example.no")
    page = f"/organiser/events/{event}"
    add = form_fields(client.get(page), page)
    add.update({"add-name": "Per Telefon", "add-phone": "912 34 567", "add-party_size": "3"})
    for _ in range(2):
        assert client.post(page, data=add).status_code == 302
    message = form_fields(client.get(page), f"{page}/message")
    message.update({"message-subject_en": "Bring a cup", "message-body_en": "We have run out of cups."})
    for _ in range(2):
        assert client.post(f"{page}/message", data=message).status_code == 302
    with app.app_context():
        from app.events.models import Event, Registration

        names = list(db.session.scalars(db.select(Registration.name).where(Registration.event_id == event)))
        assert sorted(names) == ["Gjest", "Per Telefon"]
        assert db.session.get(Event, event).seats_taken == 4
    assert [m.subject for m in outbox(app, "gjest@example.no") if m.template == "organiser_message"] == ["Bring a cup"]


def test_a_big_event_is_listed_a_hundred_at_a_time_and_attendance_keeps_the_other_pages(app, client, organiser):
    from app.organiser.services import PER_PAGE

    event = _event(app, organiser.organisation_id, starts_in=timedelta(minutes=-30), capacity=None)
    ids = [_register(app, event, name=f"Deltaker {n:03d}") for n in range(PER_PAGE + 20)]
    waiting = [_register(app, event, name=f"Venter {n}", status="waitlisted") for n in range(3)]
    first = client.get(f"/organiser/events/{event}")
    assert len(first.get_data()) < 50_000
    assert len(soup(first).select("table tbody tr")) == PER_PAGE
    second = client.get(f"/organiser/events/{event}?page=2")
    text = second.get_data(as_text=True)
    assert "Deltaker 119" in text and "Deltaker 000" not in text and "Venter 2" in text
    places = [td.get_text() for td in soup(second).select("#waitlist-caption ~ tbody tr td:first-child")]
    assert places == ["1", "2", "3"]
    # Ticking on page 2 leaves page 1 as it was.
    shown = [box["value"] for box in soup(second).find_all("input", {"name": "shown"})]
    assert sorted(map(int, shown)) == sorted(ids[PER_PAGE:])
    client.submit(f"/organiser/events/{event}?page=2", {"came": [str(ids[-1])], "shown": shown, "page": "2"},
                  action=f"/organiser/events/{event}/attendance")
    assert _registration(app, ids[-1]).attended is True and _registration(app, ids[-2]).attended is False
    assert _registration(app, ids[0]).attended is None and _registration(app, waiting[0]).attended is None


def test_my_events_shows_the_soonest_of_all_my_organisations_and_links_to_the_rest(app, client, organiser):
    later = _organisation(app, organiser, name="Seinere lag")
    for day in range(services.OVERVIEW_CARDS):
        _event(app, organiser.organisation_id, title=f"Kafé {day}", starts_in=timedelta(days=1 + day))
    _event(app, later, title="Langt fram", starts_in=timedelta(days=60))

    page = soup(client.get("/organiser/"))
    assert [a.get_text() for a in page.select("table.stack tbody th > a")] == [
        f"Kafé {day}" for day in range(services.OVERVIEW_CARDS)]
    section = page.find("section", attrs={"aria-labelledby": f"org-{later}"})
    assert "No coming events." not in section.get_text()
    assert section.find("a", href=f"/organiser/?organisation={later}") is not None
