"""The administration's meeting places: the list of all of them, adding one, retiring and
reinstating, and merging a duplicate into the place to keep."""
from __future__ import annotations

from urllib.parse import urlsplit

import pytest

from app.core.models import AuditEntry
from app.events.models import Event
from app.extensions import db
from app.follows.models import Follow
from app.meeting_places.models import MeetingPlace
from tests.helpers import Browser, count_queries, make_event, make_organisation, make_user, soup


def _place(app, name="Bydelskafeen", district="lademoen", **state) -> int:
    from app.districts.services import get_district

    with app.app_context():
        place = MeetingPlace(district_id=get_district(district).id, name=name, address="Innherredsveien 60", **state)
        db.session.add(place)
        db.session.commit()
        return place.id


def _retired(app, name="Gamle kafeen", district="lademoen", merged_into=None) -> int:
    from app.core.db import utcnow

    return _place(app, name=name, district=district, retired_at=utcnow(), merged_into_id=merged_into)


def _get(app, place_id: int) -> MeetingPlace:
    with app.app_context():
        place = db.session.get(MeetingPlace, place_id)
        db.session.expunge(place)
        return place


def _audit(app, action: str) -> list[AuditEntry]:
    with app.app_context():
        entries = db.session.scalars(db.select(AuditEntry).where(AuditEntry.action == action)).all()
        db.session.expunge_all()
        return list(entries)


def _follow(app, place_id: int, user=None, email=None, confirmed=True):
    from app.follows import services as following

    with app.app_context():
        place = db.session.get(MeetingPlace, place_id)
        fields = {"user_id": user.id} if user is not None else {"email": email}
        follow = following._new(place, locale="nb", **fields)
        if confirmed:
            from app.core.db import utcnow

            follow.confirmed_at = utcnow()
        db.session.add(follow)
        db.session.commit()
        return follow.id


def _follows(app, place_id: int) -> list[tuple]:
    with app.app_context():
        return sorted((f.user_id or 0, f.email or "", f.confirmed_at is not None) for f in db.session.scalars(
            db.select(Follow).where(Follow.meeting_place_id == place_id)))


@pytest.fixture
def admin(client, login_as):
    user = login_as("admin", two_factor=True)
    client.get("/admin/?lang=en")
    return user


# ---- the list --------------------------------------------------------------------------------------------------------

def test_an_admin_adds_a_place_in_tempe_sorgenfri_from_the_list_and_the_audit_log_shows_it(app, client, admin):
    page = soup(client.get("/admin/places"))
    add = page.find("a", string="Add a meeting place")
    assert add is not None
    form_page = client.get(add["href"])
    assert form_page.status_code == 200
    response = client.submit(add["href"], {"district": "tempe-sorgenfri", "name": "Sorgenfri nærmiljøsenter",
                                           "address": "Sorgenfriveien 20", "step_free_entrance": "yes",
                                           "accessible_toilet": "yes", "hearing_loop": "unknown"})
    assert response.status_code == 302
    with app.app_context():
        place = db.session.scalar(db.select(MeetingPlace).where(MeetingPlace.name == "Sorgenfri nærmiljøsenter"))
        assert place.district.slug == "tempe-sorgenfri"
        place_id = place.id
    log = soup(client.get("/moderation/audit?action=meeting_place.create"))
    rows = [" ".join(row.get_text(" ").split()) for row in log.select("table tbody tr")]
    assert len(rows) == 1
    assert "Meeting place added" in rows[0] and f"Meeting place {place_id}" in rows[0] and admin.display_name in rows[0]
    assert "Sorgenfri nærmiljøsenter" in client.get("/admin/places?district=tempe-sorgenfri").get_data(as_text=True)


def test_the_list_shows_every_place_with_its_district_upcoming_events_and_status(app, client, admin):
    organisation = make_organisation(app, districts=("lademoen",))
    active = _place(app, "Bydelskafeen")
    for days in (3, 10):
        make_event(app, organisation, district="lademoen", meeting_place_id=active, starts_in_days=days)
    make_event(app, organisation, district="lademoen", meeting_place_id=active, starts_in_days=-5)       # past
    make_event(app, organisation, district="lademoen", meeting_place_id=active, status="cancelled")     # not held
    retired = _retired(app, "Gamle kafeen")
    merged = _retired(app, "Bydelskafeen (dobbel)", merged_into=active)
    _place(app, "Møllenberg bibliotek", district="mollenberg")

    page = soup(client.get("/admin/places"))
    table = page.find("table")
    assert table.find("caption") is not None and table.find_parent("div", class_="table-wrap")["role"] == "region"
    rows = {row.find("th").get_text(" ").split("  ")[0].strip(): row for row in table.select("tbody tr")}
    text = {name: " ".join(row.get_text(" ").split()) for name, row in rows.items()}
    first = next(name for name in text if name.startswith("Bydelskafeen") and "dobbel" not in name)
    assert "Lademoen 2 In use" in text[first]
    assert rows[first].find("a", href=f"/meeting-places/{active}/edit") is not None
    assert rows[first].find("a", href=f"/admin/places/{active}/merge") is not None
    assert rows[first].find("a", href=f"/admin/places/{active}/retire") is not None
    old = next(name for name in text if name.startswith("Gamle"))
    assert "Retired" in text[old]
    assert rows[old].find("form", action=f"/admin/places/{retired}/reinstate") is not None
    assert rows[old].find("a", href=f"/meeting-places/{retired}/edit") is None
    double = next(name for name in text if "dobbel" in name)
    assert "Merged into Bydelskafeen" in text[double]
    assert rows[double].find("form") is None and rows[double].find("a", href=f"/admin/places/{merged}/merge") is None
    assert [tr.find("th").get_text(" ").split()[0] for tr in table.select("tbody tr")][-2:] == ["Bydelskafeen", "Gamle"]

    filtered = client.get("/admin/places?district=mollenberg").get_data(as_text=True)
    assert "Møllenberg bibliotek" in filtered and "Gamle kafeen" not in filtered
    searched = client.get("/admin/places?q=BYDELS").get_data(as_text=True)
    assert "Bydelskafeen (dobbel)" in searched and "Gamle kafeen" not in searched
    assert client.get("/admin/places?district=atlantis").status_code == 200


def test_the_list_needs_the_same_queries_for_few_or_many_places_and_is_paginated(app, client, admin):
    organisation = make_organisation(app, districts=("lademoen",))
    first = _place(app, "Aaa-huset")
    make_event(app, organisation, district="lademoen", meeting_place_id=first)
    client.get("/admin/places")
    with count_queries(app) as few:
        assert client.get("/admin/places").status_code == 200
    for n in range(30):
        place = _place(app, f"Sted {n:02d}", district=("lademoen", "mollenberg", "tempe-sorgenfri")[n % 3])
        make_event(app, organisation, district="lademoen", meeting_place_id=place)
        if n % 5 == 0:
            _retired(app, f"Gammelt sted {n:02d}", merged_into=place)
    with count_queries(app) as many:
        response = client.get("/admin/places")
    assert len(many) == len(few)
    page = soup(response)
    assert len(page.select("table tbody tr")) == 25
    assert "37 meeting places" in page.find(id="places-title").get_text()
    following = page.find("a", rel="next")["href"]
    assert len(soup(client.get(following)).select("table tbody tr")) == 12


# ---- retiring and reinstating ---------------------------------------------------------------------------------------

def test_retiring_a_place_takes_it_out_of_the_public_list_and_new_events_but_past_events_still_name_it(app, client, admin):
    organisation = make_organisation(app, districts=("lademoen",))
    place = _place(app, "Bydelskafeen")
    past = make_event(app, organisation, district="lademoen", meeting_place_id=place, starts_in_days=-10)
    make_event(app, organisation, district="lademoen", meeting_place_id=place, starts_in_days=4)

    confirm = client.get(f"/admin/places/{place}/retire")
    assert confirm.status_code == 200
    assert "1 upcoming event is still planned here" in confirm.get_data(as_text=True)
    assert _get(app, place).retired_at is None    # asking changes nothing
    response = client.submit(f"/admin/places/{place}/retire", {})
    assert response.status_code == 302
    assert _get(app, place).retired_at is not None
    assert "is retired" in client.get(response.headers["Location"]).get_data(as_text=True)

    visitor = Browser(app)
    assert "Bydelskafeen" not in visitor.get("/meeting-places/").get_data(as_text=True)
    assert visitor.get(f"/meeting-places/{place}").status_code == 404
    assert visitor.get(f"/meeting-places/{place}/follow").status_code == 404
    event_page = soup(visitor.get(f"/events/{past}?lang=en"))
    where = event_page.find("dt", string="Where").find_next("dd")
    assert "Bydelskafeen" in where.get_text() and where.find("a") is None
    organiser = Browser(app)
    with app.app_context():
        user = make_user(app)
        from app.organisations.models import Membership

        db.session.add(Membership(organisation_id=organisation, user_id=user.id))
        db.session.commit()
    from tests.helpers import PASSWORD

    organiser.submit("/account/login", {"email": user.email, "password": PASSWORD})
    options = [o["value"] for o in soup(organiser.get("/events/new")).select("select[name=meeting_place] option")]
    assert str(place) not in options

    [entry] = _audit(app, "meeting_place.retire")
    assert entry.actor_id == admin.id and entry.target_type == "MeetingPlace" and entry.target_id == str(place)
    assert entry.changes == {"retired": [False, True]}
    again = client.get(f"/admin/places/{place}/retire")
    assert again.status_code == 302   # already retired: back to the list


def test_reinstating_brings_a_retired_place_back(app, client, admin):
    place = _retired(app, "Gamle kafeen")
    page = client.get("/admin/places")
    response = client.submit("/admin/places", {}, action=f"/admin/places/{place}/reinstate")
    assert page.status_code == 200 and response.status_code == 302
    assert _get(app, place).retired_at is None
    assert "Gamle kafeen" in Browser(app).get("/meeting-places/").get_data(as_text=True)
    [entry] = _audit(app, "meeting_place.reinstate")
    assert entry.target_id == str(place) and entry.changes == {"retired": [True, False]}


def test_a_merged_place_cannot_be_reinstated(app, client, admin):
    kept = _place(app, "Bydelskafeen")
    merged = _retired(app, "Bydelskafeen (dobbel)", merged_into=kept)
    response = client.submit("/admin/places", {}, action=f"/admin/places/{merged}/reinstate")
    assert response.status_code == 302
    assert "cannot be reinstated" in client.get(response.headers["Location"]).get_data(as_text=True)
    assert _get(app, merged).retired_at is not None and _audit(app, "meeting_place.reinstate") == []


# ---- merging --------------------------------------------------------------------------------------------------------

def _merge_world(app):
    organisation = make_organisation(app, districts=("lademoen",))
    kept = _place(app, "Bydelskafeen")
    duplicate = _place(app, "Bydelskafe'n")
    earlier = _retired(app, "Bydelskafeen gammel", merged_into=duplicate)
    elsewhere = _place(app, "Møllenberg bibliotek", district="mollenberg")
    events = [make_event(app, organisation, district="lademoen", meeting_place_id=duplicate, starts_in_days=days)
              for days in (5, -20)]
    both, only = make_user(app), make_user(app)
    _follow(app, kept, user=both)
    _follow(app, duplicate, user=both)
    _follow(app, duplicate, user=only)
    _follow(app, kept, email="gjest@example.no", confirmed=False)
    _follow(app, duplicate, email="gjest@example.no", confirmed=True)
    return {"kept": kept, "duplicate": duplicate, "earlier": earlier, "elsewhere": elsewhere, "events": events,
            "both": both, "only": only}


def test_merging_moves_events_and_followers_once_each_and_the_old_address_leads_to_the_kept_place(app, client, admin):
    w = _merge_world(app)
    page = soup(client.get(f"/admin/places/{w['duplicate']}/merge"))
    options = {o["value"]: o.get_text() for o in page.select("select[name=keep] option")}
    assert set(options) == {"", str(w["kept"])}     # same district, in use, not itself
    text = " ".join(page.get_text(" ").split())
    assert "2 events at the duplicate move" in text and "3 followers move too" in text

    refused = client.submit(f"/admin/places/{w['duplicate']}/merge", {"keep": str(w["kept"])})
    assert refused.status_code == 400 and soup(refused).find(id="confirm-error") is not None
    assert soup(refused).find("option", selected=True)["value"] == str(w["kept"])
    assert _get(app, w["duplicate"]).retired_at is None
    wrong = client.submit(f"/admin/places/{w['duplicate']}/merge", {"keep": str(w["elsewhere"]), "confirm": "y"})
    assert wrong.status_code == 400 and soup(wrong).find(id="keep-error") is not None

    response = client.submit(f"/admin/places/{w['duplicate']}/merge", {"keep": str(w["kept"]), "confirm": "y"})
    assert response.status_code == 302
    flashed = soup(client.get(response.headers["Location"])).find(class_="flash").get_text()
    assert flashed == "Bydelskafe'n is merged into Bydelskafeen. 2 events moved to it. 3 followers now follow it."
    with app.app_context():
        assert {db.session.get(Event, e).meeting_place_id for e in w["events"]} == {w["kept"]}
        assert db.session.get(MeetingPlace, w["earlier"]).merged_into_id == w["kept"]
    duplicate = _get(app, w["duplicate"])
    assert duplicate.retired_at is not None and duplicate.merged_into_id == w["kept"]
    assert _follows(app, w["duplicate"]) == []
    assert _follows(app, w["kept"]) == sorted([(w["both"].id, "", True), (w["only"].id, "", True),
                                               (0, "gjest@example.no", True)])
    visitor = Browser(app)
    moved = visitor.get(f"/meeting-places/{w['duplicate']}")
    assert moved.status_code == 301 and urlsplit(moved.headers["Location"]).path == f"/meeting-places/{w['kept']}"
    assert visitor.get(f"/meeting-places/{w['earlier']}").status_code == 301
    assert "Bydelskafe'n" not in visitor.get("/meeting-places/").get_data(as_text=True)
    [entry] = _audit(app, "meeting_place.merge")
    assert entry.target_id == str(w["duplicate"]) and entry.actor_id == admin.id
    assert entry.changes == {"merged_into": [None, w["kept"]], "retired": [False, True]}
    assert set(entry.changed_fields) == {"events", "follows", "merged_into", "retired"}


def test_a_merge_that_fails_halfway_changes_nothing(app, client, admin, monkeypatch):
    from app.follows import services as following

    w = _merge_world(app)
    before = (_follows(app, w["kept"]), _follows(app, w["duplicate"]))

    def broken(source, target):
        raise RuntimeError("the database went away")

    monkeypatch.setattr(following, "move_all", broken)
    # It fails after the events were moved, in the same transaction.
    response = client.submit(f"/admin/places/{w['duplicate']}/merge", {"keep": str(w["kept"]), "confirm": "y"})
    assert response.status_code == 500
    with app.app_context():
        assert {db.session.get(Event, e).meeting_place_id for e in w["events"]} == {w["duplicate"]}
        assert db.session.get(MeetingPlace, w["earlier"]).merged_into_id == w["duplicate"]
    assert _get(app, w["duplicate"]).retired_at is None
    assert (_follows(app, w["kept"]), _follows(app, w["duplicate"])) == before
    assert _audit(app, "meeting_place.merge") == []


def test_a_retired_place_has_no_merge_page_and_moderators_have_no_admin_pages(app, client, admin, login_as):
    place = _retired(app)
    assert client.get(f"/admin/places/{place}/merge").status_code == 302
    assert client.get("/admin/places/999999/merge").status_code == 404
    moderator = Browser(app)
    login_as("moderator", browser=moderator, districts=("lademoen",))
    assert moderator.get("/admin/places").status_code == 403
    assert moderator.post(f"/admin/places/{place}/reinstate").status_code in (400, 403)


def test_saving_a_retired_place_leads_back_to_the_list_not_to_a_missing_page(app, client, admin):
    from app.core.db import utcnow

    place_id = _place(app, "Gamle bydelskafeen", retired_at=utcnow())
    response = client.submit(f"/meeting-places/{place_id}/edit", {"address": "Innherredsveien 62"})
    assert response.status_code == 302 and response.headers["Location"] == "/admin/places?district=lademoen"
    assert client.get(response.headers["Location"]).status_code == 200
    with app.app_context():
        assert db.session.get(MeetingPlace, place_id).address == "Innherredsveien 62"
