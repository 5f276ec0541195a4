"""The administration's organisations: the list of all of them, one organisation's members and events,
changing its details, retiring and reinstating it, and merging a duplicate into the one to keep."""
from __future__ import annotations

from urllib.parse import urlsplit

import pytest

from app.core.models import AuditEntry
from app.core.rules import Forbidden
from app.events.models import Event
from app.extensions import db
from app.follows.models import Follow
from app.organisations.models import Membership, Organisation
from tests.helpers import PASSWORD, Browser, count_queries, make_event, make_organisation, make_user, soup


def _get(app, organisation_id: int) -> Organisation:
    with app.app_context():
        organisation = db.session.get(Organisation, organisation_id)
        organisation.district_slugs = sorted(d.slug for d in organisation.districts)
        organisation.member_ids = sorted(m.user_id for m in organisation.memberships)
        db.session.expunge_all()
        return organisation


def _audit(app, action: str) -> list[AuditEntry]:
    with app.app_context():
        entries = db.session.scalars(db.select(AuditEntry).where(AuditEntry.action == action)).all()
        db.session.expunge_all()
        return list(entries)


def _join(app, organisation_id: int, user) -> None:
    with app.app_context():
        db.session.add(Membership(organisation_id=organisation_id, user_id=user.id))
        db.session.commit()


def _follow(app, organisation_id: int, user=None, email=None, confirmed=True) -> None:
    from app.core.db import utcnow
    from app.follows import services as following

    with app.app_context():
        fields = {"user_id": user.id} if user is not None else {"email": email}
        follow = following._new(db.session.get(Organisation, organisation_id), locale="nb", **fields)
        follow.confirmed_at = utcnow() if confirmed else None
        db.session.add(follow)
        db.session.commit()


def _follows(app, organisation_id: int) -> list[tuple]:
    with app.app_context():
        return sorted((f.user_id or 0, f.email or "", f.confirmed_at is not None) for f in db.session.scalars(
            db.select(Follow).where(Follow.organisation_id == organisation_id)))


def _logged_in(app, user) -> Browser:
    browser = Browser(app)
    assert browser.submit("/account/login", {"email": user.email, "password": PASSWORD}).status_code == 302
    browser.get("/?lang=en")
    return browser


@pytest.fixture
def admin(client, login_as):
    user = login_as("admin", two_factor=True)
    client.get("/admin/?lang=en")
    return user


# ---- the list and one organisation ----------------------------------------------------------------------------------

def test_the_list_shows_each_organisation_with_its_status_districts_members_and_events(app, client, admin):
    from app.core.db import utcnow

    members = [make_user(app) for _ in range(3)]
    approved = make_organisation(app, members[0], districts=("lademoen", "mollenberg"), name="Naboklubben")
    _join(app, approved, members[1])
    for days in (3, -3):
        make_event(app, approved, district="lademoen", starts_in_days=days)
    make_organisation(app, members[2], name="Sjakklubben", status="pending")
    make_organisation(app, name="Reklamebyrået", status="declined")
    retired = make_organisation(app, name="Gamle lag")
    with app.app_context():
        db.session.get(Organisation, retired).retired_at = utcnow()
        db.session.commit()

    page = soup(client.get("/admin/organisations"))
    table = page.find("table")
    assert table.find("caption") is not None
    rows = {row.find("th").get_text(strip=True): [td.get_text(" ", strip=True) for td in row.find_all("td")]
            for row in table.select("tbody tr")}
    assert rows["Naboklubben"] == ["Approved", "Lademoen, Møllenberg", "2", "2"]
    assert rows["Sjakklubben"] == ["Waiting for approval", "Møllenberg", "1", "0"]
    assert rows["Reklamebyrået"][0] == "Declined"
    assert rows["Gamle lag"][0] == "Retired"
    assert list(rows)[-1] == "Gamle lag"
    assert page.find("a", string="Naboklubben")["href"] == f"/admin/organisations/{approved}"

    assert list(_names(client, "/admin/organisations?q=KLUBB")) == ["Naboklubben", "Sjakklubben"]
    assert list(_names(client, "/admin/organisations?status=retired")) == ["Gamle lag"]
    assert list(_names(client, "/admin/organisations?status=approved")) == ["Naboklubben"]
    assert client.get("/admin/organisations?status=nonsense").status_code == 200


def _names(client, path):
    return [row.find("th").get_text(strip=True) for row in soup(client.get(path)).select("table tbody tr")]


def test_the_list_needs_the_same_queries_for_few_or_many_and_is_paginated(app, client, admin):
    first = make_organisation(app, make_user(app), name="Aaa-laget", districts=("lademoen",))
    make_event(app, first, district="lademoen")
    client.get("/admin/organisations")
    with count_queries(app) as few:
        assert client.get("/admin/organisations").status_code == 200
    for n in range(30):
        organisation = make_organisation(app, make_user(app), name=f"Lag {n:02d}",
                                         districts=(("lademoen",), ("mollenberg", "tempe-sorgenfri"))[n % 2])
        make_event(app, organisation, district="lademoen")
    with count_queries(app) as many:
        response = client.get("/admin/organisations")
    assert len(many) == len(few)
    page = soup(response)
    assert len(page.select("table tbody tr")) == 25
    assert len(soup(client.get(page.find("a", rel="next")["href"])).select("table tbody tr")) == 6


def test_an_organisations_page_shows_its_members_with_addresses_and_its_events_with_status(app, client, admin):
    organiser = make_user(app, display_name="Kari Arrangør")
    organisation = make_organisation(app, organiser, districts=("lademoen",), name="Naboklubben")
    make_event(app, organisation, district="lademoen", title="Dugnad i parken", starts_in_days=5)
    make_event(app, organisation, district="lademoen", title="Sommerfest", starts_in_days=-30)
    make_event(app, organisation, district="lademoen", title="Avlyst kafé", starts_in_days=8, status="cancelled")
    response = client.get(f"/admin/organisations/{organisation}")
    assert response.status_code == 200 and response.headers["Cache-Control"] == "no-store"
    page = soup(response)
    members = page.find(id="members-title").find_parent("section")
    assert "Kari Arrangør" in members.get_text() and organiser.email in members.get_text()
    upcoming = page.find(id="upcoming-title").find_parent("section").get_text(" ")
    assert "Dugnad i parken" in upcoming and "published" in upcoming and "Avlyst kafé" in upcoming and "cancelled" in upcoming
    assert "Sommerfest" in page.find(id="past-title").find_parent("section").get_text()
    assert page.find("a", href=f"/admin/organisations/{organisation}/edit") is not None
    assert page.find("a", href=f"/admin/organisations/{organisation}/merge") is not None
    assert page.find("a", href=f"/admin/organisations/{organisation}/retire") is not None
    assert client.get("/admin/organisations/999999").status_code == 404


# ---- changing it ---------------------------------------------------------------------------------------------------

EDIT = {"name": "Naboklubben på Lademoen", "description": "Vi hjelper *hverandre* med store og små ting. <script>alert(1)</script>",
        "contact_email": "Post@Naboklubben.no", "districts": ["lademoen", "tempe-sorgenfri"]}


def test_an_admin_changes_an_organisation_and_the_public_page_shows_it(app, client, admin):
    organisation = make_organisation(app, make_user(app), districts=("lademoen",), name="Naboklubben")
    form = soup(client.get(f"/admin/organisations/{organisation}/edit"))
    assert form.find("input", {"name": "name"})["value"] == "Naboklubben"
    response = client.submit(f"/admin/organisations/{organisation}/edit", EDIT)
    assert response.status_code == 302
    changed = _get(app, organisation)
    assert changed.name == "Naboklubben på Lademoen" and changed.contact_email == "post@naboklubben.no"
    assert changed.district_slugs == ["lademoen", "tempe-sorgenfri"]
    assert "<em>hverandre</em>" in changed.description_html and "<script" not in changed.description_html
    public = Browser(app).get(f"/organisations/{organisation}").get_data(as_text=True)
    assert "Naboklubben på Lademoen" in public and "<script>alert" not in public
    [entry] = _audit(app, "organisation.update")
    assert entry.actor_id == admin.id and entry.target_id == str(organisation)
    assert set(entry.changed_fields) == {"name", "description", "contact_email", "districts"} and entry.changes == {}


@pytest.mark.parametrize("field,value", [("name", ""), ("description", "For kort"), ("contact_email", "feil"),
                                         ("districts", []), ("districts", ["atlantis"])])
def test_bad_values_are_refused_beside_the_field_keeping_what_was_typed(app, client, admin, field, value):
    organisation = make_organisation(app, districts=("lademoen",), name="Naboklubben")
    response = client.submit(f"/admin/organisations/{organisation}/edit", dict(EDIT, **{field: value}))
    assert response.status_code == 400
    page = soup(response)
    assert page.find(id=f"{field}-error") is not None
    if field != "description":
        assert page.find("textarea", {"name": "description"}).text.strip() == EDIT["description"]
    assert _get(app, organisation).name == "Naboklubben" and _audit(app, "organisation.update") == []


# ---- retiring and reinstating ---------------------------------------------------------------------------------------

def test_a_retired_organisation_leaves_the_public_list_and_publishes_nothing_new_but_its_past_events_stay(app, client, admin):
    organiser = make_user(app)
    organisation = make_organisation(app, organiser, districts=("lademoen",), name="Naboklubben")
    past = make_event(app, organisation, district="lademoen", starts_in_days=-10, title="Sommerfest")
    confirm = client.get(f"/admin/organisations/{organisation}/retire")
    assert confirm.status_code == 200 and _get(app, organisation).retired_at is None
    response = client.submit(f"/admin/organisations/{organisation}/retire", {})
    assert response.status_code == 302 and _get(app, organisation).retired_at is not None
    shown = soup(client.get(response.headers["Location"]))
    assert "Retired" in shown.find("dl").get_text()
    assert shown.find("form", action=f"/admin/organisations/{organisation}/reinstate") is not None

    visitor = Browser(app)
    assert "Naboklubben" not in visitor.get("/organisations/").get_data(as_text=True)
    assert visitor.get(f"/organisations/{organisation}").status_code == 404
    assert visitor.get(f"/organisations/{organisation}/follow").status_code == 404
    event_page = soup(visitor.get(f"/events/{past}?lang=en"))
    assert event_page.find("h1").get_text() == "Sommerfest"
    assert "Naboklubben" in event_page.find("dt", string="Organiser").find_next("dd").get_text()
    member = _logged_in(app, organiser)
    assert "is retired" in member.get(f"/organisations/{organisation}").get_data(as_text=True)
    assert member.get("/events/new").status_code == 403
    overview = soup(member.get("/organiser/"))
    assert "cannot publish new events" in overview.get_text() and not overview.select("a[href^=\"/events/new\"]")
    with app.app_context():
        from app.accounts.models import User
        from app.events import services

        with pytest.raises(Forbidden):
            services.create(db.session.get(Organisation, organisation), {}, 1, db.session.get(User, organiser.id))
    [entry] = _audit(app, "organisation.retire")
    assert entry.target_id == str(organisation) and entry.changes == {"retired": [False, True]}


def test_a_held_event_of_a_retired_organisation_cannot_be_published(app):
    from app.core.db import utcnow
    from app.events import services
    from app.events.models import EventReview

    organisation = make_organisation(app, districts=("lademoen",))
    event = make_event(app, organisation, district="lademoen", status="held")
    moderator = make_user(app, role="moderator", districts=("lademoen",))
    with app.test_request_context():
        from app.accounts.models import User

        db.session.get(Organisation, organisation).retired_at = utcnow()
        review = EventReview(event_id=event, district_id=db.session.get(Event, event).district_id)
        db.session.add(review)
        db.session.flush()
        with pytest.raises(services.EventError):
            services.decide(review, True, None, db.session.get(User, moderator.id))


def test_reinstating_brings_it_back_and_a_merged_one_cannot_be(app, client, admin):
    from app.core.db import utcnow

    organisation = make_organisation(app, districts=("lademoen",), name="Naboklubben")
    kept = make_organisation(app, districts=("lademoen",), name="Naboforeningen")
    merged = make_organisation(app, districts=("lademoen",), name="Naboforeningen (dobbel)")
    with app.app_context():
        db.session.get(Organisation, organisation).retired_at = utcnow()
        db.session.get(Organisation, merged).retired_at = utcnow()
        db.session.get(Organisation, merged).merged_into_id = kept
        db.session.commit()
    page = f"/admin/organisations/{organisation}"
    assert client.submit(page, {}, action=f"{page}/reinstate").status_code == 302
    assert _get(app, organisation).retired_at is None
    assert "Naboklubben" in Browser(app).get("/organisations/").get_data(as_text=True)
    [entry] = _audit(app, "organisation.reinstate")
    assert entry.target_id == str(organisation) and entry.changes == {"retired": [True, False]}
    page = f"/admin/organisations/{merged}"
    assert soup(client.get(page)).find("form", action=f"{page}/reinstate") is None
    response = client.submit(page, {}, action=f"{page}/reinstate")
    assert "cannot be reinstated" in client.get(response.headers["Location"]).get_data(as_text=True)
    assert _get(app, merged).retired_at is not None


# ---- merging --------------------------------------------------------------------------------------------------------

def test_merging_moves_members_events_and_followers_once_each_and_the_old_address_leads_to_the_kept_one(app, client, admin):
    both, only, kept_member, follower = (make_user(app) for _ in range(4))
    kept = make_organisation(app, kept_member, districts=("lademoen",), name="Naboklubben")
    duplicate = make_organisation(app, both, districts=("mollenberg",), name="Nabo-klubben")
    _join(app, kept, both)
    _join(app, duplicate, only)
    make_organisation(app, districts=("tempe-sorgenfri",), name="Sorgenfri idrettslag")
    make_organisation(app, districts=("lademoen",), name="Aaa ventende", status="pending")
    events = [make_event(app, duplicate, district="mollenberg", starts_in_days=days) for days in (4, -4)]
    _follow(app, kept, user=follower)
    _follow(app, duplicate, user=follower)
    _follow(app, duplicate, email="gjest@example.no", confirmed=False)

    page = soup(client.get(f"/admin/organisations/{duplicate}/merge"))
    options = [o.get_text() for o in page.select("select[name=keep] option")]
    assert options[1:] == ["Naboklubben (Lademoen)", "Sorgenfri idrettslag (Tempe-Sorgenfri)"]
    refused = client.submit(f"/admin/organisations/{duplicate}/merge", {"keep": str(kept)})
    assert refused.status_code == 400 and soup(refused).find(id="confirm-error") is not None

    response = client.submit(f"/admin/organisations/{duplicate}/merge", {"keep": str(kept), "confirm": "y"})
    assert response.status_code == 302
    assert urlsplit(response.headers["Location"]).path == f"/admin/organisations/{kept}"
    flashed = soup(client.get(response.headers["Location"])).find(class_="flash").get_text()
    assert flashed == ("Nabo-klubben is merged into Naboklubben. 2 members moved to it. 2 events moved to it. "
                       "2 followers now follow it.")
    result = _get(app, kept)
    assert result.member_ids == sorted([both.id, only.id, kept_member.id])
    assert result.district_slugs == ["lademoen", "mollenberg"]
    old = _get(app, duplicate)
    assert old.member_ids == [] and old.retired_at is not None and old.merged_into_id == kept
    with app.app_context():
        assert {db.session.get(Event, e).organisation_id for e in events} == {kept}
    assert _follows(app, duplicate) == []
    assert _follows(app, kept) == sorted([(follower.id, "", True), (0, "gjest@example.no", False)])

    visitor = Browser(app)
    moved = visitor.get(f"/organisations/{duplicate}")
    assert moved.status_code == 301 and urlsplit(moved.headers["Location"]).path == f"/organisations/{kept}"
    assert "Nabo-klubben" not in visitor.get("/organisations/").get_data(as_text=True)
    assert _logged_in(app, only).get("/events/new").status_code == 200   # an organiser of the kept one now
    [entry] = _audit(app, "organisation.merge")
    assert entry.target_id == str(duplicate) and entry.actor_id == admin.id
    assert entry.changes == {"merged_into": [None, kept], "retired": [False, True]}
    listed = soup(client.get("/admin/organisations?status=retired")).find("tbody").get_text(" ")
    assert "merged into Naboklubben" in listed


def test_an_organisation_merge_that_fails_halfway_changes_nothing(app, client, admin, monkeypatch):
    from app.follows import services as following

    member = make_user(app)
    kept = make_organisation(app, districts=("lademoen",), name="Naboklubben")
    duplicate = make_organisation(app, member, districts=("mollenberg",), name="Nabo-klubben")
    event = make_event(app, duplicate, district="mollenberg")

    def broken(source, target):
        raise RuntimeError("the database went away")

    monkeypatch.setattr(following, "move_all", broken)
    response = client.submit(f"/admin/organisations/{duplicate}/merge", {"keep": str(kept), "confirm": "y"})
    assert response.status_code == 500
    assert _get(app, duplicate).member_ids == [member.id] and _get(app, kept).member_ids == []
    assert _get(app, duplicate).retired_at is None and _get(app, kept).district_slugs == ["lademoen"]
    with app.app_context():
        assert db.session.get(Event, event).organisation_id == duplicate
    assert _audit(app, "organisation.merge") == []


def test_only_approved_active_organisations_are_merged_or_retired(app, client, admin):
    pending = make_organisation(app, name="Ventende lag", status="pending")
    for action in ("merge", "retire"):
        assert client.get(f"/admin/organisations/{pending}/{action}").status_code == 302
    response = client.submit(f"/admin/organisations/{pending}", {}, action=f"/admin/organisations/{pending}/retire")
    assert response.status_code == 302 and _get(app, pending).retired_at is None
    assert _audit(app, "organisation.retire") == []
