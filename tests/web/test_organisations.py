"""Organisations: apply, approval in the moderation queue, members as organisers."""
from __future__ import annotations

import pytest

from app.extensions import db
from app.organisations.models import Membership, Organisation, OrganisationApplication
from tests.helpers import PASSWORD, Browser, form_fields, link_in, make_user, outbox, soup

APPLICATION = {"name": "Språkkafeen på Møllenberg", "description": "Vi driver språkkafé hver onsdag for alle som vil øve norsk.",
               "contact_email": "Kafe@Example.no", "districts": ["mollenberg", "lademoen"]}


def _apply(app, browser, **overrides):
    return browser.submit("/organisations/apply", dict(APPLICATION, **overrides))


def _organisation(app):
    with app.app_context():
        org = db.session.scalar(db.select(Organisation))
        db.session.expunge_all()
        return org


def test_an_application_waits_in_each_named_districts_queue_and_approval_makes_the_applicant_organiser(app, client, login_as):
    applicant = login_as("resident", locale="en")
    response = _apply(app, client)
    assert response.status_code == 302
    org = _organisation(app)
    assert org.status == "pending" and org.contact_email == "kafe@example.no"
    assert client.get(f"/organisations/{org.id}").status_code == 200  # the applicant sees it
    assert Browser(app).get(f"/organisations/{org.id}").status_code == 404
    assert "Språkkafeen" not in Browser(app).get("/organisations/").get_data(as_text=True)
    with app.app_context():
        applications = db.session.scalars(db.select(OrganisationApplication)).all()
        assert sorted(a.district.slug for a in applications) == ["lademoen", "mollenberg"]
        application_id = applications[0].id
        kind_district = applications[0].district.slug
    moderator = Browser(app)
    login_as("moderator", browser=moderator, districts=(kind_district,))
    assert f"/moderation/items/organisation/{application_id}" in moderator.get("/moderation/?kind=organisation").get_data(as_text=True)
    page = f"/moderation/items/organisation/{application_id}"
    assert moderator.submit(page, {}, action=f"{page}/accept").status_code == 302
    assert _organisation(app).status == "approved"
    assert "/moderation/items/organisation/" not in moderator.get("/moderation/?kind=organisation").get_data(as_text=True)
    [mail] = outbox(app, applicant.email)
    assert mail.locale == "en" and "approved" in mail.subject
    assert "Språkkafeen" in Browser(app).get("/organisations/").get_data(as_text=True)


def test_declining_needs_a_reason_that_the_applicant_is_told(app, client, login_as):
    applicant = login_as("resident")
    _apply(app, client, districts=["lademoen"])
    with app.app_context():
        application_id = db.session.scalar(db.select(OrganisationApplication.id))
    moderator = Browser(app)
    login_as("moderator", browser=moderator, districts=("lademoen",))
    page = f"/moderation/items/organisation/{application_id}"
    refused = moderator.submit(page, {"decline-reason": ""}, action=f"{page}/decline")
    assert refused.status_code == 400 and soup(refused).find(id="decline-reason-error") is not None
    assert moderator.submit(page, {"decline-reason": "Dette er en bedrift."}, action=f"{page}/decline").status_code == 302
    assert _organisation(app).status == "declined"
    assert "Dette er en bedrift." in outbox(app, applicant.email)[-1].body


def test_moderators_of_other_districts_cannot_decide(app, client, login_as):
    login_as("resident")
    _apply(app, client, districts=["mollenberg"])
    with app.app_context():
        application_id = db.session.scalar(db.select(OrganisationApplication.id))
    other = Browser(app)
    login_as("moderator", browser=other, districts=("lademoen",))
    assert other.get(f"/moderation/items/organisation/{application_id}").status_code == 403


@pytest.mark.parametrize("field,value", [("name", "x"), ("description", "For kort"), ("contact_email", "feil"),
                                         ("districts", [])])
def test_bad_applications_are_refused_beside_the_field(app, client, login_as, field, value):
    login_as("resident")
    response = _apply(app, client, **{field: value})
    assert response.status_code == 400
    page = soup(response)
    assert page.find(id=f"{field}-error") is not None
    assert page.find("input", {"name": "contact_email"})["value"] == (value if field == "contact_email" else "Kafe@Example.no")
    assert _organisation(app) is None


def test_a_double_submitted_application_makes_one_organisation(app, client, login_as):
    login_as("resident")
    values = form_fields(client.get("/organisations/apply"), "/organisations/apply")
    values.update({k: v for k, v in APPLICATION.items()})
    assert client.post("/organisations/apply", data=values).status_code == 302
    assert client.post("/organisations/apply", data=values).status_code == 302
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(Organisation.id))) == 1


def _approved(app, owner):
    from app.accounts.models import User
    from app.districts.services import get_district
    from app.organisations import services

    with app.test_request_context():
        org = services.apply(db.session.get(User, owner.id), "Naboklubben", "Vi møtes og hjelper hverandre i nabolaget.",
                             "klubb@example.no", [get_district("lademoen")])
        org.status = "approved"
        db.session.commit()
        return org.id


def test_organisers_add_and_remove_members_and_can_hand_over(app, client, login_as):
    owner = login_as("resident")
    org = _approved(app, owner)
    newcomer = make_user(app, email="ny.medlem@example.no")
    assert client.submit(f"/organisations/{org}/members", {"email": "NY.MEDLEM@example.no"}).status_code == 302
    refused = client.submit(f"/organisations/{org}/members", {"email": "ikke en adresse"})
    assert refused.status_code == 400 and soup(refused).find(id="email-error") is not None
    # The newcomer joins by accepting the mailed invitation, logged in with that address.
    link = link_in(outbox(app, "ny.medlem@example.no")[0], "/organisations/invitations/")
    invitee = Browser(app)
    invitee.submit("/account/login", {"email": newcomer.email, "password": PASSWORD})
    assert invitee.submit(link, {}).status_code == 302
    # hand over: the owner leaves, the newcomer stays as organiser
    assert client.submit(f"/organisations/{org}/members", {}, action=f"/organisations/{org}/members/{owner.id}/remove").status_code == 302
    with app.app_context():
        members = db.session.scalars(db.select(Membership.user_id)).all()
    assert members == [newcomer.id]
    assert client.get(f"/organisations/{org}/members").status_code == 403  # no longer a member


def test_the_last_organiser_cannot_leave_and_outsiders_cannot_manage(app, client, login_as):
    owner = login_as("resident")
    org = _approved(app, owner)
    client.submit(f"/organisations/{org}/members", {}, action=f"/organisations/{org}/members/{owner.id}/remove")
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(Membership.user_id))) == 1
    outsider = Browser(app)
    outsider.submit("/account/login", {"email": make_user(app).email, "password": PASSWORD})
    assert outsider.get(f"/organisations/{org}/members").status_code == 403
    token = form_fields(outsider.get("/account/"))["csrf_token"]
    assert outsider.post(f"/organisations/{org}/members/{owner.id}/remove", data={"csrf_token": token}).status_code == 403


def test_the_list_of_organisations_marks_each_district_with_its_emblem(app):
    from tests.helpers import make_organisation

    make_organisation(app, make_user(app), districts=("lademoen", "mollenberg"), name="Naboklubben")
    page = soup(Browser(app).get("/organisations/?lang=nb"))
    tags = page.select("li.card .district-tag")
    assert [(tag.get_text(), tag["class"][-1]) for tag in tags] == [("Lademoen", "d-lademoen"),
                                                                    ("Møllenberg", "d-mollenberg")]


def test_the_application_asks_the_language_of_the_text_and_keeps_the_choice(app, client, login_as):
    login_as("resident")
    form = soup(client.get("/organisations/apply?lang=en"))
    assert form.select_one("details.text-language select[name=language]") is not None
    assert _apply(app, client, description="Vi hjelper folk med lekser, kvar veke.", language="nn").status_code == 302
    assert _organisation(app).language == "nn"
