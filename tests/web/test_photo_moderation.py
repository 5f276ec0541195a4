"""Photos on events and meeting places, and moderating photos: an organiser's event picture waits for a
check (its organiser sees it marked so, nobody else gets the file), a moderator approves or removes it in
the queue, anyone may report a photo they see, and the moderators of a district keep the photos of its
meeting places (up to five, the entrance first)."""
from __future__ import annotations

import io
from datetime import datetime, timedelta

import pytest
from sqlalchemy import func, select

from app.core.db import OSLO
from app.core.models import AuditEntry
from app.events.models import Event
from app.extensions import db
from app.meeting_places.models import MeetingPlace
from app.photos.models import Photo
from app.photos.review import PhotoReview
from app.photos.storage import storage
from app.submissions.models import Report
from tests.helpers import (
    PASSWORD,
    Browser,
    count_queries,
    give_standing,
    make_event,
    make_organisation,
    make_user,
    outbox,
    soup,
)
from tests.photo_samples import make_photo, phone_jpeg

HELD = {"PREMODERATE": frozenset({"photos"}), "REGISTRATION_MIN_SECONDS": 0}


def _upload(data: bytes | None = None, name: str = "IMG_0001.jpg"):
    return (io.BytesIO(data or phone_jpeg((800, 600))), name)


def _event_form(**fields) -> dict:
    start = datetime.now(OSLO).replace(hour=18, minute=0, second=0, microsecond=0, tzinfo=None) + timedelta(days=9)
    values = {"title": "Strikkekafé på Møllenberg", "description": "Vi strikker og prater.",
              "district": "mollenberg", "meeting_place": "", "address": "Rosenborg gate 10",
              "starts_at": start.strftime("%Y-%m-%dT%H:%M"),
              "ends_at": (start + timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"),
              "capacity": "10", "registration_deadline": "", "effort_area": "", "languages": ["nb"],
              "audience": "everyone", "repeat_weeks": "1"}
    values.update(fields)
    return values


def _signed_in(app, user) -> Browser:
    browser = Browser(app)
    response = browser.submit("/account/login", {"email": user.email, "password": PASSWORD})
    assert response.status_code == 302
    return browser


def _photos(app, **where) -> list[Photo]:
    with app.app_context():
        found = list(db.session.scalars(select(Photo).filter_by(**where).order_by(Photo.position, Photo.id)))
        db.session.expunge_all()
        return found


def _file_status(browser, key: str) -> int:
    return browser.get(f"/photos/{key}-320.jpg").status_code


def _organiser_with_picture(app, **form):
    organiser = make_user(app, locale="nb")
    make_organisation(app, organiser)
    browser = _signed_in(app, organiser)
    response = browser.submit("/events/new", _event_form(**form) | {
        "picture-0-file": _upload(), "picture-0-alt_text": "Garnnøster i mange farger på et bord"})
    assert response.status_code == 302, soup(response).select(".error-message")
    event_id = int(response.headers["Location"].rsplit("/", 1)[1])
    return organiser, browser, event_id


def test_an_event_picture_waits_for_a_check_then_shows_on_the_event_page_and_its_card(app_factory):
    app = app_factory(**HELD)
    organiser, browser, event_id = _organiser_with_picture(app)
    [photo] = _photos(app, event_id=event_id)
    assert photo.held_at is not None and photo.alt_text == "Garnnøster i mange farger på et bord"

    own = soup(browser.get(f"/events/{event_id}"))
    assert own.select_one("figure img")["alt"] == "Garnnøster i mange farger på et bord"
    assert "Venter på kontroll" in own.select_one("figure figcaption").get_text()
    assert _file_status(browser, photo.key) == 200

    visitor = Browser(app)
    assert soup(visitor.get(f"/events/{event_id}")).select("img") == []
    assert soup(visitor.get("/events/")).select(".cards img") == []
    assert _file_status(visitor, photo.key) == 404
    assert _file_status(_signed_in(app, make_user(app)), photo.key) == 404

    moderator = _signed_in(app, make_user(app, role="moderator", districts=("mollenberg",)))
    queue = soup(moderator.get("/moderation/?kind=photo"))
    [link] = [a["href"] for a in queue.select("a[id^=item-link-]")]
    page = soup(moderator.get(link))
    assert page.select_one(".item-text img")["alt"] == "Garnnøster i mange farger på et bord"
    assert moderator.submit(link, {}, action=f"{link}/accept").status_code == 302

    assert _photos(app, event_id=event_id)[0].held_at is None
    shown = soup(visitor.get(f"/events/{event_id}"))
    assert shown.select_one("figure img")["alt"] == "Garnnøster i mange farger på et bord"
    assert shown.select_one("figure img")["width"] and shown.select_one("figure img")["height"]
    assert shown.find("a", href=f"/photos/{photo.key}/report") is not None
    card = soup(visitor.get("/events/")).select_one(".cards li")
    assert card.select_one("img")["alt"] == "Garnnøster i mange farger på et bord"
    assert _file_status(visitor, photo.key) == 200
    with app.app_context():
        assert db.session.scalar(select(AuditEntry.action).where(AuditEntry.action == "photo.approve")) == "photo.approve"


def test_a_moderator_removes_a_held_picture_and_its_files_are_deleted(app_factory):
    app = app_factory(**HELD)
    organiser, browser, event_id = _organiser_with_picture(app)
    [photo] = _photos(app, event_id=event_id)
    with app.app_context():
        review_id = db.session.scalar(select(PhotoReview.id))
        names = photo.file_names()
        assert all(storage().open(name) is not None for name in names)
    moderator = _signed_in(app, make_user(app, role="moderator", districts=("mollenberg",)))
    link = f"/moderation/items/photo/{review_id}"
    refused = moderator.submit(link, {"decline-reason": ""}, action=f"{link}/decline")
    assert refused.status_code == 400 and soup(refused).find(id="decline-reason-error") is not None
    assert "Hvorfor fjernes bildet?" in soup(refused).find("label", attrs={"for": "decline-reason"}).get_text()
    assert moderator.submit(link, {"decline-reason": "Barn som kan kjennes igjen."},
                            action=f"{link}/decline").status_code == 302
    assert _photos(app, event_id=event_id) == []
    with app.app_context():
        assert all(storage().open(name) is None for name in names)
        assert db.session.get(PhotoReview, review_id).status == "not_pursued"
        assert db.session.scalar(select(func.count()).select_from(AuditEntry).where(AuditEntry.action == "photo.remove")) == 1
    assert soup(moderator.get("/moderation/?kind=photo")).select("a[id^=item-link-]") == []
    assert soup(browser.get(f"/events/{event_id}")).select("figure img") == []
    mail = outbox(app, organiser.email)[-1]
    assert "Barn som kan kjennes igjen." in mail.body and "Garnnøster i mange farger" in mail.body
    assert f"/events/{event_id}" in mail.body


def test_photos_moderators_and_admins_add_are_not_held_and_need_no_check(app_factory):
    app = app_factory(**HELD)
    place_id = _place(app)
    admin = _signed_in(app, make_user(app, role="admin"))
    _add_place_photo(admin, place_id, "Inngangen med rampe")
    [photo] = _photos(app, meeting_place_id=place_id)
    assert photo.held_at is None
    assert _file_status(Browser(app), photo.key) == 200
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(PhotoReview)) == 0


def test_a_report_on_a_photo_reaches_the_queue_and_upholding_it_hides_the_photo(app, client):
    place_id = _place(app)
    admin = make_user(app, role="admin")
    key = make_photo(app, place_id=place_id, by_id=admin.id, alt_text="Inngangen med trapp")
    page = soup(client.get(f"/meeting-places/{place_id}"))
    report_url = f"/photos/{key}/report"
    assert page.find("a", href=report_url) is not None
    assert client.get(report_url).status_code == 302        # sign in first

    resident = _signed_in(app, make_user(app))
    form = resident.get(report_url)
    assert form.status_code == 200
    missing = resident.submit(report_url, {"reason": None})
    assert missing.status_code == 400 and soup(missing).find(id="reason-error") is not None
    response = resident.submit(report_url, {"reason": "personal_data", "details": "Ansiktet til naboen min."})
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/meeting-places/{place_id}")
    with app.app_context():
        report = db.session.scalar(select(Report))
        assert report.photo_id is not None and report.target_id is None and report.district_id is not None
        report_id = report.id

    moderator = _signed_in(app, make_user(app, role="moderator", districts=("lademoen",)))
    queue = soup(moderator.get("/moderation/?kind=report"))
    assert [a["href"] for a in queue.select("a[id^=item-link-]")] == [f"/moderation/items/report/{report_id}"]
    item = soup(moderator.get(f"/moderation/items/report/{report_id}"))
    assert item.select_one(".item-text img")["alt"] == "Inngangen med trapp"
    assert "Ansiktet til naboen min." in item.get_text()
    link = f"/moderation/items/report/{report_id}"
    assert moderator.submit(link, {}, action=f"{link}/uphold").status_code == 302

    [photo] = _photos(app, meeting_place_id=place_id)
    assert photo.hidden_at is not None and photo.hidden_reason == "personal_data"
    assert _file_status(Browser(app), key) == 404
    assert soup(Browser(app).get(f"/meeting-places/{place_id}")).select("main img") == []
    assert Browser(app).get(report_url).status_code in (302, 404)
    assert resident.get(report_url).status_code == 404


def test_enough_reports_hide_a_photo_until_a_moderator_dismisses_them(app_factory):
    app = app_factory(MAX_REPORTS_BEFORE_HIDING=1)
    place_id = _place(app)
    key = make_photo(app, place_id=place_id, by_id=make_user(app, role="admin").id)
    resident = _signed_in(app, make_user(app))
    reporter = make_user(app)
    give_standing(app, reporter)
    assert _signed_in(app, reporter).submit(f"/photos/{key}/report", {"reason": "spam"}).status_code == 302
    assert _file_status(Browser(app), key) == 404
    assert resident.get(f"/photos/{key}/report").status_code == 404

    with app.app_context():
        report_id = db.session.scalar(select(Report.id))
    moderator = _signed_in(app, make_user(app, role="moderator", districts=("lademoen",)))
    link = f"/moderation/items/report/{report_id}"
    assert moderator.submit(link, {}, action=f"{link}/dismiss").status_code == 302
    assert _file_status(Browser(app), key) == 200


def test_nobody_reports_their_own_photo_or_the_same_photo_twice(app, client):
    place_id = _place(app)
    admin = make_user(app, role="admin")
    key = make_photo(app, place_id=place_id, by_id=admin.id)
    own = _signed_in(app, admin)
    assert own.submit(f"/photos/{key}/report?lang=en", {"reason": "spam"}).status_code == 302
    resident = _signed_in(app, make_user(app))
    assert resident.submit(f"/photos/{key}/report", {"reason": "spam"}).status_code == 302
    assert resident.submit(f"/photos/{key}/report", {"reason": "spam"}).status_code == 302
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Report)) == 1


# --- meeting places -------------------------------------------------------------------------------------------


def _place(app, district: str = "lademoen") -> int:
    from app.districts.services import get_district

    with app.app_context():
        place = MeetingPlace(district_id=get_district(district).id, name="Lademoen kirke, kjelleren",
                             address="Kirkegata 1, 7042 Trondheim")
        db.session.add(place)
        db.session.commit()
        return place.id


def _add_place_photo(browser, place_id: int, alt_text: str, lang: str = "nb"):
    return browser.submit(f"/meeting-places/{place_id}/photos?lang={lang}",
                          {"photos-0-file": _upload(), "photos-0-alt_text": alt_text})


def test_an_admin_adds_five_photos_entrance_first_and_a_sixth_is_refused_beside_the_field(app, client):
    place_id = _place(app)
    admin = _signed_in(app, make_user(app, role="admin", locale="en"))
    page = soup(admin.get(f"/meeting-places/{place_id}/photos?lang=en"))
    assert "The first one is of the entrance" in page.get_text()
    for n in range(5):
        response = _add_place_photo(admin, place_id, f"Bilde {n + 1}", lang="en")
        assert response.status_code == 302, soup(response).select(".error-message")
    refused = _add_place_photo(admin, place_id, "Bilde 6", lang="en")
    assert refused.status_code == 400
    page = soup(refused)
    assert "at most 5 photos" in page.find(id="photos-0-file-error").get_text()
    assert page.find(id="photos-0-alt_text")["value"] == "Bilde 6"
    assert page.select_one(".error-summary a")["href"] == "#photos-0-file"
    assert [p.alt_text for p in _photos(app, meeting_place_id=place_id)] == [f"Bilde {n}" for n in range(1, 6)]

    # The third becomes the first (the entrance), and the second is removed: the rest close up.
    photos = _photos(app, meeting_place_id=place_id)
    for _ in range(2):
        photos = _photos(app, meeting_place_id=place_id)
        third = photos[2] if _ == 0 else photos[1]
        url = f"/meeting-places/{place_id}/photos/{third.id}/earlier"
        assert admin.submit(f"/meeting-places/{place_id}/photos", {}, action=url).status_code == 302
    photos = _photos(app, meeting_place_id=place_id)
    assert [p.alt_text for p in photos] == ["Bilde 3", "Bilde 1", "Bilde 2", "Bilde 4", "Bilde 5"]
    url = f"/meeting-places/{place_id}/photos/{photos[2].id}/remove"
    assert admin.submit(f"/meeting-places/{place_id}/photos", {}, action=url).status_code == 302
    photos = _photos(app, meeting_place_id=place_id)
    assert [(p.alt_text, p.position) for p in photos] == [("Bilde 3", 0), ("Bilde 1", 1), ("Bilde 4", 2), ("Bilde 5", 3)]

    shown = soup(client.get(f"/meeting-places/{place_id}?lang=en"))
    assert [img["alt"] for img in shown.select(".place-photos img")] == ["Bilde 3", "Bilde 1", "Bilde 4", "Bilde 5"]
    assert shown.select_one(".place-photos figcaption").get_text().startswith("Entrance:")
    card = soup(client.get("/meeting-places/")).find("a", href=f"/meeting-places/{place_id}").find_parent("li")
    assert [img["alt"] for img in card.select("img")] == ["Bilde 3"]


def test_a_moderator_of_another_district_cannot_add_or_remove_photos_of_a_place_here(app):
    place_id = _place(app, "lademoen")
    key = make_photo(app, place_id=place_id, by_id=make_user(app, role="admin").id)
    [photo] = _photos(app, key=key)
    other = _signed_in(app, make_user(app, role="moderator", districts=("mollenberg",)))
    assert other.get(f"/meeting-places/{place_id}/photos").status_code == 403
    home = _signed_in(app, make_user(app, role="moderator", districts=("lademoen",)))
    form_page = f"/meeting-places/{place_id}/photos"
    assert home.get(form_page).status_code == 200
    token = soup(home.get(form_page)).find("input", attrs={"name": "csrf_token"})["value"]
    for url in (form_page, f"{form_page}/{photo.id}/remove", f"{form_page}/{photo.id}/earlier"):
        response = other.client.post(url, data={"csrf_token": token, "photos-0-file": _upload(),
                                                "photos-0-alt_text": "Ikke min bydel"})
        assert response.status_code in (400, 403), url
        assert response.status_code == 403 or url == form_page
    assert [p.alt_text for p in _photos(app, meeting_place_id=place_id)] == ["En knekt benk ved lekeplassen"]
    assert _add_place_photo(home, place_id, "Inngangen").status_code == 302


def test_lists_with_pictures_need_as_many_queries_for_many_cards_as_for_one(app, client):
    admin = make_user(app, role="admin")
    organiser = make_user(app)
    organisation = make_organisation(app, organiser)

    def add(n: int) -> None:
        for i in range(n):
            event_id = make_event(app, organisation, title=f"Kafé {i}", starts_in_days=3 + i)
            make_photo(app, event_id=event_id, by_id=organiser.id)
            make_photo(app, place_id=_place(app), by_id=admin.id)

    add(1)
    counts = []
    for _ in range(2):
        for path in ("/events/", "/meeting-places/", "/districts/mollenberg"):
            client.get(path)
        with count_queries(app) as events:
            page = client.get("/events/")
        with count_queries(app) as places:
            client.get("/meeting-places/")
        counts.append((len(events), len(places)))
        assert soup(page).select(".cards img")
        add(8)
    assert counts[0] == counts[1]
    assert counts[1][1] <= 3


@pytest.mark.parametrize("lang", ["nb", "en"])
def test_the_event_form_explains_the_picture_and_keeps_what_was_typed_when_the_file_is_refused(app_factory, lang):
    app = app_factory(**HELD)
    organiser = make_user(app, locale=lang)
    make_organisation(app, organiser)
    browser = _signed_in(app, organiser)
    response = browser.submit(f"/events/new?lang={lang}", _event_form(title="Strikkekafé <b>") | {
        "picture-0-file": (io.BytesIO(b"<svg onload='alert(1)'></svg>"), "bilde.jpg"),
        "picture-0-alt_text": "Et bilde"})
    assert response.status_code == 400
    page = soup(response)
    assert page.find(id="picture-0-file-error") is not None
    assert page.find(id="title")["value"] == "Strikkekafé <b>"
    assert page.find(id="picture-0-alt_text")["value"] == "Et bilde"
    assert page.select_one("form[action^='/events/new']")["enctype"] == "multipart/form-data"
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Event)) == 0


def test_an_organiser_replaces_and_removes_the_picture_and_a_series_gets_it_on_every_time(app_factory):
    app = app_factory(**HELD)
    organiser, browser, event_id = _organiser_with_picture(app, repeat_weeks="3")
    with app.app_context():
        events = list(db.session.scalars(select(Event.id).order_by(Event.starts_at)))
        assert db.session.scalar(select(func.count()).select_from(PhotoReview)) == 1
    assert [len(_photos(app, event_id=e)) for e in events] == [1, 1, 1]
    moderator = _signed_in(app, make_user(app, role="moderator", districts=("mollenberg",)))
    with app.app_context():
        review_id = db.session.scalar(select(PhotoReview.id))
    link = f"/moderation/items/photo/{review_id}"
    assert "3" in soup(moderator.get(link)).select_one(".item-text").get_text()
    assert moderator.submit(link, {}, action=f"{link}/accept").status_code == 302
    assert all(p.held_at is None for e in events for p in _photos(app, event_id=e))

    edit = f"/events/{events[1]}/edit"
    response = browser.submit(edit, {"scope": "one", "picture-0-file": _upload(),
                                     "picture-0-alt_text": "Et nytt bilde"})
    assert response.status_code == 302, soup(response).select(".error-message")
    assert [p.alt_text for p in _photos(app, event_id=events[1])] == ["Et nytt bilde"]
    assert _photos(app, event_id=events[1])[0].held_at is not None
    assert [p.alt_text for p in _photos(app, event_id=events[0])] == ["Garnnøster i mange farger på et bord"]

    response = browser.submit(f"/events/{events[0]}/edit", {"scope": "later", "remove_picture": "y"})
    assert response.status_code == 302
    assert [len(_photos(app, event_id=e)) for e in events] == [0, 0, 0]
