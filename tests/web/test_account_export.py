"""A resident downloads everything held about them, and nothing about anyone else."""
from __future__ import annotations

import json

from app.core.db import utcnow
from app.extensions import db
from tests.helpers import (
    PASSWORD,
    Browser,
    count_queries,
    make_comment,
    make_event,
    make_idea,
    make_organisation,
    make_user,
    soup,
)


def _give_them_one_of_everything(app, me, other) -> dict:
    from app.core.models import OutboxMessage
    from app.districts.services import get_district
    from app.events.models import Registration
    from app.feedback.models import Feedback
    from app.follows.models import Follow
    from app.ideas.models import Support
    from app.submissions.models import Report

    idea = make_idea(app, me, title="Benker ved elva", body="Flere benker langs elva.")
    others_idea = make_idea(app, other, title="Noen andres idé", body="Ikke min.")
    make_comment(app, me, others_idea, body="Min kommentar om elva.")
    make_comment(app, other, idea, body="Andres kommentar.")
    organisation = make_organisation(app, me, name="Elvelaget")
    event = make_event(app, organisation, title="Elvevandring")
    with app.app_context():
        lademoen = get_district("lademoen").id
        db.session.add(Support(idea_id=others_idea, user_id=me.id, created_at=utcnow()))
        db.session.add(Report(district_id=lademoen, target_id=others_idea, reporter_id=me.id, reason="spam",
                              details="Reklame, tror jeg.", author_id=me.id))
        db.session.add(Registration(event_id=event, user_id=me.id, status="confirmed", access_needs="Rullestol",
                                    token_nonce="a", token_hash="ha"))
        db.session.add(Registration(event_id=event, name="Annen Gjest", email="annen@example.no", phone="99999999",
                                    status="confirmed", token_nonce="b", token_hash="hb"))
        db.session.add(Follow(organisation_id=organisation, email=me.email.upper(), confirmed_at=utcnow(),
                              token_nonce="c", token_hash="hc"))
        db.session.add(OutboxMessage(recipient=me.email, locale="nb", template="x", subject="Hei fra Medvirk",
                                     body="Din idé er besvart."))
        db.session.add(OutboxMessage(recipient=other.email, locale="nb", template="x", subject="Til en annen",
                                     body="Ikke til deg."))
        db.session.add(Feedback(district_id=lademoen, body="Mørkt under brua.", receipt_code="MINE0001",
                                contact_email=me.email, contact_name="Meg", contact_consent=True, rating_safety=2))
        db.session.add(Feedback(district_id=lademoen, body="Andres tilbakemelding.", receipt_code="OTHR0001",
                                contact_email=other.email))
        db.session.commit()
    return {"idea": idea, "event": event}


def test_the_download_holds_everything_about_me_and_nothing_about_others(app, client, login_as):
    me = login_as("resident", display_name="Meg Selv")
    other = make_user(app, email="annen.beboer@example.no", display_name="Annen Beboer")
    made = _give_them_one_of_everything(app, me, other)
    response = client.get("/account/export")
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("application/json")
    assert "attachment" in response.headers["Content-Disposition"]
    assert "no-store" in response.headers["Cache-Control"]
    data = json.loads(response.data)
    assert data["profile"]["email"] == me.email and data["profile"]["display_name"] == "Meg Selv"
    assert [i["title"] for i in data["ideas"]] == ["Benker ved elva"] and data["ideas"][0]["id"] == made["idea"]
    assert [c["text"] for c in data["comments"]] == ["Min kommentar om elva."]
    assert [s["title"] for s in data["supports"]] == ["Noen andres idé"]
    assert [r["details"] for r in data["reports"]] == ["Reklame, tror jeg."]
    assert [(r["title"], r["access_needs"]) for r in data["registrations"]] == [("Elvevandring", "Rullestol")]
    assert [f["organisation"] for f in data["follows"]] == ["Elvelaget"]
    assert [o["organisation"] for o in data["organisations"]] == ["Elvelaget"]
    assert [m["subject"] for m in data["mail_sent_to_you"]] == ["Hei fra Medvirk"]
    assert [f["text"] for f in data["feedback_with_your_address"]] == ["Mørkt under brua."]
    text = response.get_data(as_text=True)
    for someone_elses in ("Annen Beboer", "annen.beboer@example.no", "Andres kommentar", "annen@example.no",
                          "99999999", "Til en annen", "Andres tilbakemelding"):
        assert someone_elses not in text


def test_an_unconfirmed_address_does_not_open_mail_and_feedback_sent_to_it(app, client):
    from app.core.models import OutboxMessage
    from app.districts.services import get_district
    from app.feedback.models import Feedback

    me = make_user(app, role="unverified", email="ikke.bekreftet@example.no")
    with app.app_context():
        db.session.add(Feedback(district_id=get_district("lademoen").id, body="Noen andres ord.",
                                receipt_code="UNVE0001", contact_email=me.email))
        db.session.add(OutboxMessage(recipient=me.email, locale="nb", template="x", subject="Bekreft", body="..."))
        db.session.commit()
    browser = Browser(app)
    assert browser.submit("/account/login", {"email": me.email, "password": PASSWORD}).status_code == 302
    data = json.loads(browser.get("/account/export").data)
    assert data["feedback_with_your_address"] == [] and data["mail_sent_to_you"] == []
    assert data["profile"]["email"] == me.email


def test_visitors_are_sent_to_log_in(client):
    response = client.get("/account/export")
    assert response.status_code == 302 and "/account/login" in response.headers["Location"]


def test_the_account_page_links_to_the_download(client, login_as):
    login_as("resident", locale="en")
    link = soup(client.get("/account/?lang=en")).find("a", string="Download my data (JSON)")
    assert link["href"] == "/account/export"


def test_the_query_count_does_not_grow_with_what_i_have_done(app, client, login_as):
    me = login_as("resident")
    other = make_user(app)
    _give_them_one_of_everything(app, me, other)
    with count_queries(app) as few:
        client.get("/account/export")
    for n in range(5):
        idea = make_idea(app, me, title=f"Idé {n}")
        make_comment(app, me, idea, body=f"Kommentar {n}")
    with count_queries(app) as many:
        client.get("/account/export")
    assert len(few) == len(many)
