""""Min side" lists the meeting places and organisations a resident follows, each with a stop button."""
from __future__ import annotations

from app.extensions import db
from app.follows.models import Follow
from tests.helpers import count_queries, make_organisation, make_user, soup
from tests.web.test_follows import _place


def _follow(app, user, place_id=None, organisation_id=None) -> None:
    from app.accounts.models import User
    from app.follows import services
    from app.meeting_places.models import MeetingPlace
    from app.organisations.models import Organisation

    with app.test_request_context():
        target = db.session.get(MeetingPlace, place_id) if place_id else db.session.get(Organisation, organisation_id)
        services.follow(target, db.session.get(User, user.id))
        db.session.commit()


def _follows(app, user) -> int:
    with app.app_context():
        return db.session.scalar(db.select(db.func.count()).select_from(Follow).where(Follow.user_id == user.id))


def test_my_page_lists_what_i_follow_and_a_button_stops_it(app, client, login_as):
    me = login_as("resident")
    place = _place(app, name="Bydelskafeen")
    organisation = make_organisation(app, name="Naboklubben")
    _follow(app, me, place_id=place)
    _follow(app, me, organisation_id=organisation)
    section = soup(client.get("/account/")).select_one("#following")
    links = [(a.get_text(strip=True), a["href"]) for a in section.select("li > a")]
    assert links == [("Bydelskafeen", f"/meeting-places/{place}"), ("Naboklubben", f"/organisations/{organisation}")]
    stop = section.select_one(f"form[action='/meeting-places/{place}/follow']")
    assert stop["method"] == "post" and stop.select_one("input[name=csrf_token]")
    assert stop.find("button").get_text(" ", strip=True) == "Slutt å følge Bydelskafeen"

    response = client.submit("/account/", {"unfollow": "1", "next": "/account/#following"},
                             action=f"/meeting-places/{place}/follow")
    assert response.status_code == 302 and response.headers["Location"] == "/account/#following"
    after = soup(client.get("/account/"))
    assert "Du følger ikke lenger Bydelskafeen." in after.get_text()
    assert [a.get_text(strip=True) for a in after.select("#following li > a")] == ["Naboklubben"]
    assert _follows(app, me) == 1


def test_my_page_says_so_when_i_follow_nothing(client, login_as):
    login_as("resident")
    assert "Du følger ingen møteplass eller organisasjon ennå" in soup(client.get("/account/")).select_one("#following").get_text()


def test_only_my_own_follows_are_listed_and_stopped(app, client, login_as):
    other = make_user(app)
    place = _place(app)
    _follow(app, other, place_id=place)
    me = login_as("resident")
    assert soup(client.get("/account/")).select("#following li") == []
    # Pressing stop on a place someone else follows touches only one's own follow.
    client.submit("/account/", {"unfollow": "1", "next": "/account/"}, action=f"/meeting-places/{place}/follow")
    assert _follows(app, other) == 1 and _follows(app, me) == 0


def test_a_stop_button_never_leads_off_the_site(app, client, login_as):
    me = login_as("resident")
    place = _place(app)
    _follow(app, me, place_id=place)
    response = client.submit("/account/", {"unfollow": "1", "next": "//evil.example/"},
                             action=f"/meeting-places/{place}/follow")
    assert "evil" not in response.headers["Location"]


def test_a_visitor_cannot_stop_a_residents_follow(app, client):
    resident = make_user(app)
    place = _place(app)
    _follow(app, resident, place_id=place)
    response = client.submit(f"/meeting-places/{place}/follow", {"unfollow": "1", "email": resident.email})
    assert response.status_code in (302, 400, 429)
    assert _follows(app, resident) == 1


def test_my_page_costs_the_same_queries_with_one_follow_or_many(app, client, login_as):
    me = login_as("resident")
    _follow(app, me, place_id=_place(app, name="Kafé 0"))
    client.get("/account/")
    with count_queries(app) as few:
        client.get("/account/")
    for n in range(1, 5):
        _follow(app, me, place_id=_place(app, name=f"Kafé {n}"))
        _follow(app, me, organisation_id=make_organisation(app, name=f"Klubb {n}"))
    client.get("/account/")
    with count_queries(app) as many:
        client.get("/account/")
    assert len(few) == len(many)
