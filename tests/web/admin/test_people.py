"""People in the administration: finding them, roles and districts, inviting staff, sending links again,
blocking and unblocking, and lifting a block on posting in a district."""
from __future__ import annotations

import re

from app.accounts.models import User
from app.core.models import AuditEntry, FormSubmission
from app.extensions import db
from tests.helpers import (
    PASSWORD,
    Browser,
    count_queries,
    form_fields,
    link_in,
    make_comment,
    make_event,
    make_idea,
    make_organisation,
    make_user,
    outbox,
    soup,
)

# --- helpers -------------------------------------------------------------------------------------------------------


def _user(app, user_id: int) -> User:
    with app.app_context():
        user = db.session.get(User, user_id)
        slugs = [d.slug for d in user.districts]
        db.session.expunge(user)
        user.slugs = slugs
        return user


def _entries(app, action: str | None = None) -> list[AuditEntry]:
    with app.app_context():
        query = db.select(AuditEntry).where(AuditEntry.target_type == "User").order_by(AuditEntry.id)
        if action:
            query = query.where(AuditEntry.action == action)
        entries = list(db.session.scalars(query))
        db.session.expunge_all()
        return entries


def _no_personal_values(entry: AuditEntry, *values: str) -> None:
    text = repr((entry.action, entry.target_id, entry.changed_fields, entry.changes))
    for value in values:
        assert value not in text, (value, text)


def _signed_in(app, user) -> Browser:
    browser = Browser(app)
    assert browser.submit("/account/login", {"email": user.email, "password": PASSWORD}).status_code == 302
    return browser


def _rows(page) -> list[list[str]]:
    return [[cell.get_text(" ", strip=True) for cell in row.find_all(["th", "td"])]
            for row in soup(page).select("table.queue tbody tr")]


def _error_beside(page, field_id: str) -> str:
    error = soup(page).find(id=f"{field_id}-error")
    assert error is not None, f"no error beside {field_id}"
    return error.get_text(" ", strip=True)


# --- the list --------------------------------------------------------------------------------------------------------


def test_the_list_shows_each_person_with_role_districts_state_and_recent_activity(app, client, login_as):
    login_as("admin")
    writer = make_user(app, display_name="Øystein Skriver", email="oystein@example.no")
    idea = make_idea(app, writer)
    make_comment(app, writer, idea)
    make_comment(app, writer, idea)
    make_user(app, role="moderator", districts=("lademoen", "mollenberg"), display_name="Mona Moderator")
    make_user(app, role="unverified", display_name="Ulf Ubekreftet")
    page = client.get("/admin/people?lang=en")
    assert page.status_code == 200
    rows = {row[0]: row for row in _rows(page)}
    assert rows["Øystein Skriver"][1:] == ["oystein@example.no", "Resident", "–", "yes", "no", "1", "2", "0", "0"]
    assert rows["Mona Moderator"][2:4] == ["Moderator", "Lademoen, Møllenberg"]
    assert rows["Ulf Ubekreftet"][4] == "no"
    table = soup(page).select_one("table.queue")
    assert table.caption is not None and all(th.has_attr("scope") for th in table.select("th"))
    assert soup(page).select_one("div.table-wrap[role=region][aria-labelledby][tabindex]") is not None
    assert soup(page).select_one("nav.admin-sections a[aria-current=page]")["href"] == "/admin/people"


def test_search_by_part_of_a_name_or_address_in_any_case_and_filter_by_role_and_blocked(app, client, login_as):
    login_as("admin")
    make_user(app, display_name="Øystein Vik", email="vik@example.no")
    make_user(app, display_name="Kari Hansen", email="kari.h@eksempel.no")
    make_user(app, role="moderator", display_name="Mona Moderator", email="mona@example.no")
    blocked = make_user(app, display_name="Bent Blokkert")
    with app.app_context():
        from app.core.db import utcnow

        db.session.get(User, blocked.id).blocked_at = utcnow()
        db.session.commit()

    def names(query: str) -> list[str]:
        return sorted(row[0] for row in _rows(client.get(f"/admin/people?{query}")))

    assert names("q=øYST") == ["Øystein Vik"]
    assert names("q=hans") == ["Kari Hansen"]
    assert names("q=EKSEMPEL") == ["Kari Hansen"]
    assert names("q=%25") == []   # a wildcard is a character like any other
    assert names("role=moderator") == ["Mona Moderator"]
    assert names("blocked=yes") == ["Bent Blokkert"]
    assert "Bent Blokkert" not in names("blocked=no")
    for odd in ("role=king", "blocked=maybe", "page=99999999999999999999", "q=" + "x" * 300):
        assert client.get(f"/admin/people?{odd}").status_code == 200, odd


def test_the_list_is_paginated_by_25_and_keeps_the_filters(app, client, login_as):
    login_as("admin")
    for n in range(27):
        make_user(app, display_name=f"Nabo {n:02d}")
    first = client.get("/admin/people?q=nabo")
    assert len(_rows(first)) == 25
    following = soup(first).select_one("nav.pagination a[rel=next]")["href"]
    assert "q=nabo" in following and "page=2" in following
    assert [row[0] for row in _rows(client.get(following))] == ["Nabo 25", "Nabo 26"]


def test_the_list_runs_as_many_queries_for_many_people_as_for_few(app, client, login_as):
    login_as("admin")
    make_user(app)
    with count_queries(app) as few:
        assert client.get("/admin/people").status_code == 200
    organisation = make_organisation(app)
    event_id = make_event(app, organisation)
    from app.events import registration as seats
    from app.events.models import Event

    for n in range(30):
        person = make_user(app, role="moderator" if n % 3 == 0 else "resident",
                           districts=("lademoen", "mollenberg") if n % 3 == 0 else ())
        idea = make_idea(app, person, title=f"Forslag nummer {n}")
        make_comment(app, person, idea)
        with app.test_request_context():
            seats.register(db.session.get(Event, event_id), user=db.session.get(User, person.id))
            db.session.commit()
    with count_queries(app) as many:
        page = client.get("/admin/people")
    assert page.status_code == 200 and len(_rows(page)) == 25
    assert len(many) == len(few), "\n".join(many)


# --- a person's page ------------------------------------------------------------------------------------------------------


def test_a_persons_page_shows_the_facts_and_never_a_secret(app, client, login_as):
    login_as("admin")
    moderator = make_user(app, role="moderator", districts=("mollenberg",), display_name="Mona Moderator")
    idea = make_idea(app, moderator)
    make_comment(app, moderator, idea)
    with app.app_context():
        stored = db.session.get(User, moderator.id)
        secrets = [stored.password_hash, stored.totp_secret]
    text = client.get(f"/admin/people/{moderator.id}?lang=en").get_data(as_text=True)
    page = soup(client.get(f"/admin/people/{moderator.id}?lang=en"))
    facts = {dt.get_text(strip=True): dd.get_text(" ", strip=True) for dt, dd in
             zip(page.select("dl.facts")[0].find_all("dt"), page.select("dl.facts")[0].find_all("dd"), strict=True)}
    assert facts["Email address"] == moderator.email
    assert facts["Role"] == "Moderator" and facts["Moderates"] == "Møllenberg"
    assert facts["Two-step login set up"] == "yes" and facts["Email confirmed"] == "yes"
    assert facts["Blocked"] == "no" and facts["Last login"] == "never"
    activity = page.select("dl.facts")[1].get_text(" ", strip=True)
    assert "Ideas 1" in activity and "Comments 1" in activity
    for secret in secrets + [PASSWORD]:
        assert secret not in text
    assert client.get("/admin/people/999999").status_code == 404


# --- roles and districts ---------------------------------------------------------------------------------------------------


def test_an_admin_makes_a_resident_moderator_of_two_districts(app, client, login_as):
    admin = login_as("admin")
    resident = make_user(app, email="kari@example.no", display_name="Kari Nordmann")
    person = f"/admin/people/{resident.id}"
    answer = client.submit(f"{person}/role", {"role": "moderator", "districts": ["lademoen", "mollenberg"]}, page=person)
    assert answer.status_code == 302 and answer.headers["Location"].endswith(person)
    stored = _user(app, resident.id)
    assert stored.role == "moderator" and stored.slugs == ["lademoen", "mollenberg"]
    [entry] = _entries(app, "user.grant_moderator")
    assert entry.actor_id == admin.id and entry.target_id == str(resident.id)
    assert entry.changes == {"role": ["resident", "moderator"], "districts": [[], ["lademoen", "mollenberg"]]}
    _no_personal_values(entry, "kari@example.no", "Kari Nordmann")
    page = soup(client.get(person))
    assert page.find("input", {"name": "districts", "value": "mollenberg"}).has_attr("checked")
    # Sent again as it is: nothing changes, nothing is logged.
    assert client.submit(f"{person}/role", {"districts": ["lademoen", "mollenberg"]}, page=person).status_code == 302
    assert len(_entries(app)) == 1


def test_a_moderator_needs_a_district_and_the_form_says_so_beside_the_field(app, client, login_as):
    login_as("admin")
    resident = make_user(app)
    person = f"/admin/people/{resident.id}"
    answer = client.submit(f"{person}/role", {"role": "moderator"}, page=person)
    assert answer.status_code == 400
    assert "bydel" in _error_beside(answer, "districts")
    assert soup(answer).find("input", {"name": "role", "value": "moderator"}).has_attr("checked")
    assert _user(app, resident.id).role == "resident" and _entries(app) == []


def test_a_demoted_moderator_loses_staff_pages_at_the_next_request(app, client, login_as):
    login_as("admin")
    moderator = make_user(app, role="moderator", districts=("lademoen",))
    theirs = _signed_in(app, moderator)
    assert theirs.get("/moderation/").status_code == 200
    version = _user(app, moderator.id).session_version
    person = f"/admin/people/{moderator.id}"
    assert client.submit(f"{person}/role", {"role": "resident", "districts": None}, page=person).status_code == 302
    stored = _user(app, moderator.id)
    assert stored.role == "resident" and stored.slugs == [] and stored.session_version == version + 1
    assert theirs.get("/moderation/").status_code == 302   # logged out: to the login page
    [entry] = _entries(app, "user.revoke_moderator")
    assert entry.changes["role"] == ["moderator", "resident"]


def test_taking_away_one_district_is_logged_and_ends_the_sessions(app, client, login_as):
    login_as("admin")
    moderator = make_user(app, role="moderator", districts=("lademoen", "mollenberg"))
    version = _user(app, moderator.id).session_version
    person = f"/admin/people/{moderator.id}"
    assert client.submit(f"{person}/role", {"role": "moderator", "districts": ["mollenberg"]}, page=person).status_code == 302
    stored = _user(app, moderator.id)
    assert stored.slugs == ["mollenberg"] and stored.session_version == version + 1
    [entry] = _entries(app, "user.revoke_moderator")
    assert entry.changes == {"districts": [["lademoen", "mollenberg"], ["mollenberg"]]}
    assert client.submit(f"{person}/role", {"role": "moderator", "districts": ["lademoen"]}, page=person).status_code == 302
    assert _entries(app, "user.change_districts")[0].changes == {"districts": [["mollenberg"], ["lademoen"]]}


def test_making_an_admin_does_not_end_their_sessions(app, client, login_as):
    login_as("admin")
    resident = make_user(app)
    version = _user(app, resident.id).session_version
    person = f"/admin/people/{resident.id}"
    assert client.submit(f"{person}/role", {"role": "admin"}, page=person).status_code == 302
    stored = _user(app, resident.id)
    assert stored.role == "admin" and stored.session_version == version
    assert [e.action for e in _entries(app)] == ["user.grant_admin"]


def test_an_admin_cannot_take_away_their_own_admin_role(app, client, login_as):
    admin = login_as("admin")
    person = f"/admin/people/{admin.id}?lang=en"
    answer = client.submit(f"/admin/people/{admin.id}/role?lang=en", {"role": "resident"}, page=person)
    assert answer.status_code == 400
    assert "your own administrator role" in _error_beside(answer, "role")
    assert _user(app, admin.id).role == "admin" and _entries(app) == []


def test_the_last_admin_keeps_the_role(app):
    from app.accounts import administration
    from app.core.db import utcnow
    from app.core.permissions import Role
    from app.core.rules import RuleBroken

    only = make_user(app, role="admin")
    blocked_admin = make_user(app, role="admin")
    former = make_user(app, role="admin")
    with app.test_request_context():
        db.session.get(User, blocked_admin.id).blocked_at = utcnow()
        other = db.session.get(User, former.id)
        target = db.session.get(User, only.id)
        other.role = "resident"   # the acting account has lost the role meanwhile: the rule still holds
        try:
            administration.set_role(target, Role.RESIDENT, [], other)
        except RuleBroken as broken:
            assert broken.field == "role"
        else:
            raise AssertionError("the last admin lost the role")
        db.session.rollback()


# --- invitations -----------------------------------------------------------------------------------------------------------


def _invite(client, **fields):
    data = {"email": "ny.moderator@example.no", "display_name": "Nora Ny", "role": "moderator",
            "districts": ["lademoen"], "locale": "nn"}
    data.update(fields)
    return client.submit("/admin/people/invite", data)


def test_an_invited_moderator_chooses_a_password_and_goes_on_to_set_up_two_step_login(app, client, login_as):
    admin = login_as("admin")
    page = client.get("/admin/people/invite")
    assert page.status_code == 200 and soup(page).find("input", {"name": "submission_id"}) is not None
    answer = _invite(client)
    assert answer.status_code == 302
    with app.app_context():
        invited = db.session.scalar(db.select(User).where(User.email == "ny.moderator@example.no"))
        assert invited.password_hash is None and invited.verified_at is None
        assert invited.role == "moderator" and [d.slug for d in invited.districts] == ["lademoen"]
        assert invited.locale == "nn"
        invited_id = invited.id
    assert answer.headers["Location"].endswith(f"/admin/people/{invited_id}")
    [entry] = _entries(app, "user.invite")
    assert entry.actor_id == admin.id and entry.changes["role"] == ["resident", "moderator"]
    _no_personal_values(entry, "ny.moderator@example.no", "Nora Ny")
    [mail] = outbox(app, "ny.moderator@example.no")
    assert mail.template == "invitation" and mail.locale == "nn"
    assert "Lademoen" in mail.body and "Nora Ny" in mail.body
    link = link_in(mail, "/account/invitation/")
    # The person's page says the invitation waits.
    assert soup(client.get(f"/admin/people/{invited_id}")).find(
        "form", action=f"/admin/people/{invited_id}/invitation") is not None

    invitee = Browser(app, second_factor=False)
    form = invitee.get(link)
    assert form.status_code == 200 and form.headers["Cache-Control"] == "no-store"
    done = invitee.submit(link, {"password": PASSWORD})
    assert done.status_code == 302 and done.headers["Location"].startswith("/account/two-factor/setup")
    stored = _user(app, invited_id)
    assert stored.verified_at is not None and stored.password_hash and stored.last_login_at is not None
    assert invitee.get("/account/two-factor/setup").status_code == 200   # logged in, setting it up
    assert invitee.get("/moderation/").status_code == 302                # staff pages wait for the second factor
    # The link worked once.
    again = Browser(app).get(link + "?lang=en")
    assert again.status_code == 400 and "send a new invitation" in again.get_data(as_text=True)
    assert [e.action for e in _entries(app)][-1] == "user.accept_invitation"
    # Accepted: no new invitation can be sent.
    client.submit(f"/admin/people/{invited_id}/invitation", {}, page=f"/admin/people/{invited_id}")
    assert len(outbox(app, "ny.moderator@example.no")) == 1


def test_an_expired_invitation_says_to_ask_for_a_new_one(app_factory):
    app = app_factory(SET_PASSWORD_MAX_AGE=-1)
    admin = make_user(app, role="admin")
    browser = _signed_in(app, admin)
    assert _invite(browser).status_code == 302
    link = link_in(outbox(app, "ny.moderator@example.no")[0], "/account/invitation/")
    page = Browser(app).get(link + "?lang=en")
    assert page.status_code == 400
    text = page.get_data(as_text=True)
    assert "Ask the administrator who invited you to send a new invitation" in text
    assert Browser(app).post(link, data={"password": PASSWORD}).status_code == 400
    assert Browser(app).get("/account/invitation/not-a-token").status_code == 400


def test_a_new_invitation_can_be_sent_while_the_first_is_not_accepted(app, client, login_as):
    login_as("admin")
    _invite(client, role="admin", districts=None)
    with app.app_context():
        invited_id = db.session.scalar(db.select(User.id).where(User.email == "ny.moderator@example.no"))
    person = f"/admin/people/{invited_id}"
    assert client.submit(f"{person}/invitation", {}, page=person).status_code == 302
    first, second = outbox(app, "ny.moderator@example.no")
    assert second.template == "invitation" and "/account/invitation/" in second.body
    assert [e.action for e in _entries(app)] == ["user.invite", "user.invite"]
    # Either link works until a password is chosen; then both are used up.
    invitee = Browser(app, second_factor=False)
    assert invitee.submit(link_in(second, "/account/invitation/"), {"password": PASSWORD}).status_code == 302
    assert Browser(app).get(link_in(first, "/account/invitation/")).status_code == 400


def test_inviting_an_address_that_has_an_account_points_to_that_person(app, client, login_as):
    login_as("admin")
    existing = make_user(app, email="finnes@example.no")
    answer = _invite(client, email="Finnes@Example.no")
    assert answer.status_code == 400
    assert _error_beside(answer, "email")
    assert soup(answer).find("a", href=f"/admin/people/{existing.id}") is not None
    assert soup(answer).find("input", {"name": "display_name"})["value"] == "Nora Ny"
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(User.id))) == 2
    assert outbox(app, "finnes@example.no") == [] and _entries(app) == []


def test_the_invitation_form_checks_every_field(app, client, login_as):
    login_as("admin")
    answer = client.submit("/admin/people/invite", {"email": "ikke-en-adresse", "display_name": "", "role": "resident",
                                                     "locale": "xx"})
    assert answer.status_code == 400
    for field_id in ("email", "display_name", "role", "locale"):
        assert _error_beside(answer, field_id)
    answer = _invite(client, districts=None)
    assert answer.status_code == 400 and _error_beside(answer, "districts")
    assert _entries(app) == []


def test_a_double_click_sends_one_invitation(app, client, login_as):
    login_as("admin")
    values = form_fields(client.get("/admin/people/invite"), "/admin/people/invite")
    values.update(email="dobbel@example.no", display_name="Dobbel Klikk", role="admin", locale="nb")
    first = client.post("/admin/people/invite", data=values)
    second = client.post("/admin/people/invite", data=values)
    assert first.status_code == second.status_code == 302
    assert first.headers["Location"] == second.headers["Location"]
    assert len(outbox(app, "dobbel@example.no")) == 1
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(FormSubmission.token))) == 1


# --- a new confirmation link ---------------------------------------------------------------------------------------------------


def test_an_unverified_resident_gets_a_new_confirmation_link(app, client, login_as):
    admin = login_as("admin")
    unverified = make_user(app, role="unverified", email="sein@example.no")
    person = f"/admin/people/{unverified.id}"
    assert client.submit(f"{person}/verification", {}, page=person).status_code == 302
    [mail] = outbox(app, "sein@example.no")
    assert mail.template == "verify_email"
    assert Browser(app).get(link_in(mail, "/account/verify/")).status_code == 302
    assert _user(app, unverified.id).verified_at is not None
    [entry] = _entries(app, "user.resend_verification")
    assert entry.actor_id == admin.id
    # Confirmed now: the button is gone, and a late press sends nothing.
    assert soup(client.get(person)).find("form", action=f"{person}/verification") is None
    client.post(f"{person}/verification", data=form_fields(client.get(person), f"{person}/role"))
    assert len(outbox(app, "sein@example.no")) == 1


# --- blocking ------------------------------------------------------------------------------------------------------------------------


def test_blocking_needs_a_reason_and_a_confirmation(app, client, login_as):
    login_as("admin")
    resident = make_user(app)
    person = f"/admin/people/{resident.id}"
    answer = client.submit(f"{person}/block", {"reason": "", "confirm": None}, page=person)
    assert answer.status_code == 400
    assert _error_beside(answer, "reason") and _error_beside(answer, "confirm")
    answer = client.submit(f"{person}/block", {"reason": "Trakassering", "confirm": None}, page=person)
    assert answer.status_code == 400 and soup(answer).find("textarea", {"name": "reason"}).text.strip() == "Trakassering"
    assert _user(app, resident.id).blocked_at is None


def test_a_blocked_persons_content_leaves_the_public_pages_and_comes_back_on_unblock(app, client, login_as):
    admin = login_as("admin")
    author = make_user(app, email="forfatter@example.no", display_name="Frida Forfatter")
    other = make_user(app)
    idea = make_idea(app, author, title="Benker ved elva")
    other_idea = make_idea(app, other, title="Lys i undergangen")
    make_comment(app, author, other_idea, body="Dette er en kommentar fra Frida.")
    theirs = _signed_in(app, author)
    assert theirs.get("/account/").status_code == 200
    version = _user(app, author.id).session_version
    visitor = Browser(app)

    def public_state() -> dict[str, bool]:
        listed = visitor.get("/ideas/").get_data(as_text=True)
        api = visitor.get("/api/v1/ideas").get_json()
        return {
            "list": "Benker ved elva" in listed,
            "page": visitor.get(f"/ideas/{idea}").status_code == 200,
            "api list": any(item["id"] == idea for item in api["items"]),
            "api page": visitor.get(f"/api/v1/ideas/{idea}").status_code == 200,
            "comment": "Dette er en kommentar fra Frida." in visitor.get(f"/ideas/{other_idea}").get_data(as_text=True),
            "comment in api": visitor.get(f"/api/v1/ideas/{other_idea}").get_json()["comment_count"] == 1,
        }

    assert all(public_state().values())
    person = f"/admin/people/{author.id}"
    answer = client.submit(f"{person}/block", {"reason": "Gjentatte personangrep i kommentarer", "confirm": "y"},
                           page=person)
    assert answer.status_code == 302
    stored = _user(app, author.id)
    assert stored.blocked_at is not None and stored.blocked_reason == "Gjentatte personangrep i kommentarer"
    assert stored.session_version == version + 1
    assert not any(public_state().values()), public_state()
    assert theirs.get("/account/").status_code == 302          # logged out at the next request
    login = Browser(app).submit("/account/login?lang=en", {"email": author.email, "password": PASSWORD},
                                action="/account/login?lang=en")
    # Refused like a wrong password, which does not tell whether the password was right; the notice by mail says why.
    assert login.status_code == 200 and "The email address or the password is not correct" in login.get_data(as_text=True)
    assert "personangrep" not in login.get_data(as_text=True)
    # Staff see the reason; the person gets a neutral notice with whom to contact.
    assert "Gjentatte personangrep i kommentarer" in client.get(person).get_data(as_text=True)
    [notice] = outbox(app, "forfatter@example.no")
    assert notice.template == "account_blocked" and "personangrep" not in notice.body
    with app.app_context():
        from app.core import settings

        assert settings.contact().email in notice.body
    [entry] = _entries(app, "user.block")
    assert entry.actor_id == admin.id and entry.changed_fields == ["blocked_at", "blocked_reason"]
    _no_personal_values(entry, "personangrep", "forfatter@example.no", "Frida")

    assert client.submit(f"{person}/unblock", {}, page=person).status_code == 302
    stored = _user(app, author.id)
    assert stored.blocked_at is None and stored.blocked_reason is None
    assert all(public_state().values()), public_state()
    assert _signed_in(app, author).get("/account/").status_code == 200
    notices = outbox(app, "forfatter@example.no")
    assert [m.template for m in notices] == ["account_blocked", "account_unblocked"]
    assert [e.action for e in _entries(app, "user.unblock")] == ["user.unblock"]


def test_a_second_click_on_block_changes_nothing(app, client, login_as):
    login_as("admin")
    resident = make_user(app, email="to.ganger@example.no")
    person = f"/admin/people/{resident.id}"
    values = form_fields(client.get(person), f"{person}/block")
    values.update(reason="Spam", confirm="y")
    assert client.post(f"{person}/block", data=values).status_code == 302
    assert client.post(f"{person}/block", data=values).status_code == 302
    assert len(outbox(app, "to.ganger@example.no")) == 1 and len(_entries(app, "user.block")) == 1


def test_an_admin_cannot_block_themselves(app, client, login_as):
    admin = login_as("admin")
    person = f"/admin/people/{admin.id}"
    assert soup(client.get(person)).find("form", action=f"{person}/block") is None
    values = form_fields(client.get(person), f"{person}/role")
    values.update(reason="Test", confirm="y")
    answer = client.post(f"{person}/block?lang=en", data=values)
    assert answer.status_code == 302
    assert "You cannot block yourself." in client.get(person + "?lang=en").get_data(as_text=True)
    assert _user(app, admin.id).blocked_at is None and _entries(app) == []


def test_lifting_a_block_on_posting_in_a_district(app, client, login_as):
    from app.districts.services import get_district
    from app.moderation.models import PostingBlock

    admin = login_as("admin")
    resident = make_user(app)
    with app.app_context():
        db.session.add(PostingBlock(user_id=resident.id, district_id=get_district("lademoen").id,
                                    reason="Gjentatt reklame", created_by_id=admin.id))
        db.session.commit()
    person = f"/admin/people/{resident.id}"
    page = client.get(person).get_data(as_text=True)
    assert "Gjentatt reklame" in page
    action = f"{person}/districts/lademoen/unblock"
    assert client.submit(action, {}, page=person).status_code == 302
    with app.app_context():
        assert db.session.scalar(db.select(PostingBlock).where(PostingBlock.user_id == resident.id)) is None
    [entry] = _entries(app, "user.unblock_in_district")
    assert entry.changes == {"district": ["lademoen", None]}
    # Pressed again: said so, nothing logged.
    client.submit(action, {}, page=person)
    assert len(_entries(app, "user.unblock_in_district")) == 1
    assert client.post(f"{person}/districts/oslo/unblock").status_code in (400, 404)


def test_no_personal_value_reaches_an_audit_entry_or_a_log_line(app, client, login_as, caplog):
    login_as("admin")
    with caplog.at_level("DEBUG"):
        _invite(client, email="hemmelig.person@example.no", display_name="Hemmelig Person")
        with app.app_context():
            invited_id = db.session.scalar(db.select(User.id).where(User.email == "hemmelig.person@example.no"))
        person = f"/admin/people/{invited_id}"
        client.submit(f"{person}/block", {"reason": "Hemmelig grunn", "confirm": "y"}, page=person)
        client.submit(f"{person}/unblock", {}, page=person)
    for entry in _entries(app):
        _no_personal_values(entry, "hemmelig", "Hemmelig")
    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert not re.search(r"hemmelig", logged, re.I)
