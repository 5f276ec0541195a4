"""Private data reaches nobody who does not need it: not a public page, not a log line."""
from __future__ import annotations

import logging
import time

from app.core.permissions import PUBLIC
from app.extensions import db
from tests.helpers import Browser, form_fields, link_in, make_comment, make_idea, make_user, outbox

SECRET_TEXT = "Naboen min i tredje etasje slår barna sine"
SECRET_EMAIL = "hemmelig.kontakt@example.no"
SECRET_PHONE = "+47 912 34 567"
# Where the feedback is about: a point from the map (as pick-point.js sends it) with the person's own words.
SECRET_PLACE = {"place": "Bakgården bak nummer 7", "looked_up": "Bakgården bak nummer 7", "lat": "63.43721",
                "lon": "10.42654"}


def _public_paths(app, extra: list[str]) -> list[str]:
    paths = []
    for rule in app.url_map.iter_rules():
        view = app.view_functions.get(rule.endpoint)
        if getattr(view, "access", None) != PUBLIC or "GET" not in rule.methods or rule.endpoint == "static":
            continue
        if rule.arguments:
            continue
        paths.append(rule.rule)
    return paths + extra


def test_feedback_text_and_contact_details_appear_on_no_public_page_and_in_no_log(app, client, monkeypatch, caplog):
    author = make_user(app, email="forfatter@example.no", display_name="Synlig Navn")
    idea_id = make_idea(app, author)
    make_comment(app, author, idea_id)
    with caplog.at_level(logging.DEBUG):
        page = client.get("/districts/lademoen/feedback")
        values = form_fields(page, "/districts/lademoen/feedback")
        values.update(body=SECRET_TEXT, contact_name="Hemmelig Person", contact_email=SECRET_EMAIL,
                      contact_phone=SECRET_PHONE, contact_consent="y", rating_safety="1", **SECRET_PLACE)
        real = time.time
        monkeypatch.setattr(time, "time", lambda: real() + 5)
        response = client.post("/districts/lademoen/feedback", data=values)
        monkeypatch.setattr(time, "time", real)
        assert response.status_code == 302
        receipt = response.headers["Location"].split("?")[0]
        with app.app_context():
            from app.feedback.models import Feedback

            assert db.session.scalar(db.select(Feedback.location_label)) == SECRET_PLACE["place"]

        visitor, resident = Browser(app), Browser(app)
        resident.submit("/account/login", {"email": make_user(app).email, "password": "lilla giraff sykler hjem"})
        extra = [f"/ideas/{idea_id}", "/ideas/?view=map", "/events/?view=map", "/ideas/?q=naboen", "/ideas/?q=etasje", receipt, f"/api/v1/ideas/{idea_id}",
                 "/districts/lademoen/feedback", "/districts/mollenberg/feedback", "/account/verify/x",
                 "/account/reset/x", "/account/email/confirm/x", "/account/unsubscribe/x", "/account/invitation/x",
                 "/follows/x/confirm", "/follows/x/unsubscribe",
                 "/districts/lademoen", "/districts/tempe-sorgenfri", "/districts/mollenberg", "/districts/lademoen/poster",
                 "/effort-areas/1", "/effort-areas/2", "/effort-areas/3", "/effort-areas/4"]
        for browser in (visitor, resident):
            for path in _public_paths(app, extra) + ["/account/"]:
                text = browser.get(path).get_data(as_text=True)
                for secret in (SECRET_TEXT, SECRET_EMAIL, SECRET_PHONE, "Hemmelig Person", "forfatter@example.no",
                               SECRET_PLACE["place"], "63.4372", "10.4265"):
                    assert secret not in text, (path, secret)
    logged = "\n".join(record.getMessage() for record in caplog.records)
    for secret in (SECRET_TEXT, SECRET_EMAIL, SECRET_PHONE, SECRET_PLACE["place"], "63.4372"):
        assert secret not in logged


def test_authors_email_is_never_shown_with_their_ideas(app, client):
    author = make_user(app, email="skjult.adresse@example.no", display_name="Kari")
    idea_id = make_idea(app, author)
    make_comment(app, author, idea_id)
    text = client.get(f"/ideas/{idea_id}").get_data(as_text=True)
    assert "Kari" in text and "skjult.adresse@example.no" not in text


def test_registrations_appear_on_no_public_page_calendar_or_log(app_factory, caplog):
    """A guest's name, email, phone and access needs reach the organisers only."""
    from tests.helpers import make_event, make_organisation

    app = app_factory(REGISTRATION_MIN_SECONDS=0)
    organiser = make_user(app)
    organisation = make_organisation(app, organiser)
    event_id = make_event(app, organisation, capacity=1)
    secrets = {"name": "Hemmelig Gjest", "email": SECRET_EMAIL, "phone": SECRET_PHONE, "access_needs": "Rullestol og tolk"}
    with caplog.at_level(logging.DEBUG):
        guest = Browser(app)
        assert guest.submit(f"/events/{event_id}/register", dict(secrets, party_size="1")).status_code == 302
        waiting = Browser(app)
        assert waiting.submit(f"/events/{event_id}/register", {"name": "Hemmelig Nummer To", "email": "to@example.no",
                                                              "party_size": "1"}).status_code == 302
        for browser, address in ((guest, SECRET_EMAIL), (waiting, "to@example.no")):   # both open the mailed link
            link = link_in(outbox(app, address)[-1], "/registrations/")
            assert browser.submit(link, {}, action=f"{link}/confirm").status_code == 302
        visitor, resident = Browser(app), Browser(app)
        resident.submit("/account/login", {"email": make_user(app).email, "password": "lilla giraff sykler hjem"})
        extra = [f"/events/{event_id}", f"/events/{event_id}/register", f"/events/{event_id}/register/sent",
                 f"/events/{event_id}.ics",
                 "/districts/mollenberg/events.ics", f"/organisations/{organisation}", "/districts/mollenberg",
                 "/events/?district=mollenberg", "/registrations/not-a-token", "/registrations/not-a-token/cancel",
                 "/registrations/not-a-token/erase", f"/api/v1/events/{event_id}",
                 "/api/v1/events?district=mollenberg"]
        for browser in (visitor, resident):
            for path in _public_paths(app, extra):
                text = browser.get(path).get_data(as_text=True)
                for secret in list(secrets.values()) + ["Hemmelig Nummer To", "to@example.no"]:
                    assert secret not in text, (path, secret)
    logged = "\n".join(record.getMessage() for record in caplog.records)
    for secret in secrets.values():
        assert secret not in logged


def test_survey_free_text_appears_on_no_public_page_download_api_answer_or_log(app, caplog):
    from tests.survey_fixtures import make_survey_round
    from tests.survey_results_fixtures import SECRET_TEXT as SURVEY_TEXT
    from tests.survey_results_fixtures import close, known_data

    ids = make_survey_round(app, make_user(app, role="admin").id)
    known_data(app, ids)
    close(app, ids)
    extra = [f"/insights/surveys/{ids.survey}", f"/insights/surveys/{ids.survey}/results.csv",
             f"/insights/surveys/{ids.survey}/results.json", f"/api/v1/surveys/{ids.survey}/results"]
    # The answering pages, opened by someone else (a person's own answers are on their own review page only).
    extra += [f"/surveys/{ids.round}{tail}" for tail in ("", "/code/ABCDE-FGHJK", "/invitation/not-a-token", "/continue",
                                                         f"/questions/{ids.questions['anything_else']}", "/review",
                                                         "/thanks", "/print")]
    with caplog.at_level(logging.DEBUG):
        for browser in (Browser(app), Browser(app)):
            for path in _public_paths(app, extra):
                text = browser.get(path).get_data(as_text=True)
                assert SURVEY_TEXT not in text and "tredje etasje" not in text, path
    assert SURVEY_TEXT not in "\n".join(record.getMessage() for record in caplog.records)


def test_every_public_get_route_is_covered_by_the_leak_check(app):
    """New public routes with arguments must be added to the crawl above."""
    with_arguments = {
        rule.rule for rule in app.url_map.iter_rules()
        if getattr(app.view_functions.get(rule.endpoint), "access", None) == PUBLIC and rule.arguments
        and "GET" in rule.methods and rule.endpoint != "static"
    }
    covered = {"/districts/<slug>", "/effort-areas/<int:number>", "/ideas/<int:idea_id>", "/feedback/<code>",
               "/districts/<slug>/feedback", "/account/verify/<token>", "/account/reset/<token>",
               "/account/email/confirm/<token>", "/account/unsubscribe/<token>", "/account/invitation/<token>",
               "/meeting-places/<int:place_id>", "/organisations/<int:organisation_id>",
               "/meeting-places/<int:place_id>/follow", "/organisations/<int:organisation_id>/follow",
               "/follows/<token>/confirm", "/follows/<token>/unsubscribe",
               "/events/<int:event_id>", "/events/<int:event_id>/register", "/events/<int:event_id>.ics",
               "/events/<int:event_id>/register/sent", "/events/<int:event_id>/poster",
               "/meeting-places/<int:place_id>/poster", "/districts/<slug>/poster",
               "/districts/<slug>/events.ics", "/registrations/<token>", "/registrations/<token>/data",
               "/registrations/<token>/cancel", "/registrations/<token>/erase",
               "/api/v1/ideas/<int:idea_id>", "/api/v1/events/<int:event_id>", "/api/v1/meeting-places/<int:place_id>",
               "/photos/<string(length=24):key>-<int:width>.<any(webp, jpg):ext>",
               "/insights/surveys/<int:survey_id>", "/insights/surveys/<int:survey_id>/results.csv",
               "/insights/surveys/<int:survey_id>/results.json", "/api/v1/surveys/<int:survey_id>/results",
               "/surveys/<int:round_id>", "/surveys/<int:round_id>/code/<code>",
               "/surveys/<int:round_id>/invitation/<token>", "/surveys/<int:round_id>/continue",
               "/surveys/<int:round_id>/questions/<int:question_id>", "/surveys/<int:round_id>/review",
               "/surveys/<int:round_id>/thanks", "/surveys/<int:round_id>/print"}
    assert with_arguments <= covered, with_arguments - covered


def test_a_feedback_photo_reaches_no_visitor_or_resident_and_its_name_is_on_no_public_page(app):
    from tests.photo_samples import make_feedback, make_photo

    key = make_photo(app, feedback_id=make_feedback(app, district="lademoen"), alt_text="Porten til gården min")
    visitor, resident = Browser(app), Browser(app)
    resident.submit("/account/login", {"email": make_user(app).email, "password": "lilla giraff sykler hjem"})
    for browser in (visitor, resident):
        for width in (320, 640, 1280):
            for ext in ("webp", "jpg"):
                assert browser.get(f"/photos/{key}-{width}.{ext}").status_code == 404
        for path in _public_paths(app, ["/districts/lademoen", "/ideas/", "/api/v1/ideas"]):
            text = browser.get(path).get_data(as_text=True)
            assert key not in text and "Porten til gården min" not in text, path


def test_a_photo_sent_with_feedback_is_in_nobodys_data_export_and_on_no_public_page(app_factory):
    """Sent through the form, with the sender's address: not in their export (only the district's moderators
    may open it), nor in anyone else's, nor on a public page or in the API."""
    import io

    from sqlalchemy import select

    from app.extensions import db
    from app.photos.models import Photo
    from tests.photo_samples import phone_jpeg
    from tests.web.test_idea_photos import post_with_files

    app = app_factory(FEEDBACK_MIN_SECONDS=0)
    sender, other = make_user(app, email=SECRET_EMAIL), make_user(app)
    response = post_with_files(Browser(app), "/districts/lademoen/feedback", {
        "body": SECRET_TEXT, "contact_email": SECRET_EMAIL, "contact_consent": "y",
        "photos-0-file": (io.BytesIO(phone_jpeg()), "gården.jpg"), "photos-0-alt_text": "Porten til gården min"})
    assert response.status_code == 302
    with app.app_context():
        key = db.session.scalar(select(Photo.key))
    for user in (sender, other):
        browser = Browser(app)
        browser.submit("/account/login", {"email": user.email, "password": "lilla giraff sykler hjem"})
        exported = browser.get("/account/export").get_data(as_text=True)
        assert key not in exported and "Porten til gården min" not in exported
        for path in _public_paths(app, ["/districts/lademoen", "/ideas/", "/api/v1/ideas"]):
            text = browser.get(path).get_data(as_text=True)
            assert key not in text and "Porten til gården min" not in text, path
