"""An account whose address is not confirmed yet is never worse off than a visitor: it registers
for an event as a guest would (its place held for the mailed link), and where it needs a confirmed
address it gets a plain page that sends the link again, and the link leads back to where it was."""
from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

from app.events.models import Registration, RegistrationStatus
from app.extensions import db
from tests.helpers import Browser, link_in, make_event, make_idea, make_organisation, make_user, outbox, soup

RAW_ERROR_WORDS = ("403", "Feilkode", "Du har ikke tilgang")


def _registration(app, event_id):
    with app.app_context():
        registration = db.session.scalar(db.select(Registration).where(Registration.event_id == event_id))
        if registration is not None:
            db.session.expunge(registration)
        return registration


def _assert_plain(response):
    text = soup(response).find("main").get_text()
    for word in RAW_ERROR_WORDS:
        assert word not in text, word
    return text


def test_an_unconfirmed_account_registers_for_an_event_with_its_own_address(app, client, login_as):
    event_id = make_event(app, make_organisation(app, make_user(app)), capacity=5)
    user = login_as("unverified")
    page = client.get(f"/events/{event_id}/register")
    assert page.status_code == 200
    assert user.email in _assert_plain(page)

    response = client.submit(f"/events/{event_id}/register", {"party_size": "2"})
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/events/{event_id}/register/sent")
    registration = _registration(app, event_id)
    assert registration.user_id == user.id and registration.status == RegistrationStatus.PENDING
    [mail] = outbox(app, user.email)
    assert mail.template == "registration_pending"

    # Until the mail is opened the event page says so and shows no link that would confirm it.
    event_page = client.get(f"/events/{event_id}")
    text = _assert_plain(event_page)
    assert "Vi har sendt deg en lenke på e-post" in text
    assert not soup(event_page).select("a[href^='/registrations/']")
    assert not soup(client.get("/account/")).select("main a[href^='/registrations/']")

    manage = link_in(mail, "/registrations/")
    confirmed = client.submit(manage, {}, action=manage + "/confirm")
    assert confirmed.status_code == 302
    assert _registration(app, event_id).status == RegistrationStatus.CONFIRMED
    assert "Du er påmeldt (2 personer)" in client.get(f"/events/{event_id}").get_data(as_text=True)


def test_proposing_an_idea_explains_and_the_new_link_leads_back(app, client, login_as):
    user = login_as("unverified")
    page = client.get("/ideas/new?district=lademoen")
    assert page.status_code == 403   # for programs; a person reads a plain page with a button
    text = _assert_plain(page)
    assert "Bekreft e-postadressen din først" in text and user.email in text
    response = client.submit("/ideas/new?district=lademoen", {}, action="/account/verify/resend")
    assert response.status_code == 302 and response.headers["Location"] == "/ideas/new?district=lademoen"
    verify = link_in(outbox(app, user.email)[-1], "/account/verify/")
    opened = client.get(verify)
    assert opened.headers["Location"] == "/ideas/new?district=lademoen"
    assert client.get("/ideas/new?district=lademoen").status_code == 200


def test_the_link_opened_in_another_browser_leads_to_login_and_then_back(app, client, login_as):
    user = login_as("unverified")
    client.submit("/ideas/new", {}, action="/account/verify/resend")
    verify = link_in(outbox(app, user.email)[-1], "/account/verify/")
    opened = Browser(app).get(verify)
    location = urlsplit(opened.headers["Location"])
    assert location.path == "/account/login" and parse_qs(location.query)["next"] == ["/ideas/new"]


def test_a_next_from_another_site_is_not_signed_into_the_link(app, client, login_as):
    user = login_as("unverified")
    client.submit("/account/", {"next": "//evil.example/"}, action="/account/verify/resend")
    verify = link_in(outbox(app, user.email)[-1], "/account/verify/")
    assert "evil" not in client.get(verify).headers["Location"]


def test_supporting_commenting_and_following_explain_instead_of_a_raw_error(app, client, login_as):
    author = make_user(app)
    idea_id = make_idea(app, author)
    place_org = make_organisation(app, make_user(app))
    user = login_as("unverified")
    idea_page = client.get(f"/ideas/{idea_id}")
    # The comment box says what to do, with the button right there.
    assert soup(idea_page).select("#comments form[action='/account/verify/resend']")

    supported = client.submit(f"/ideas/{idea_id}", {}, action=f"/ideas/{idea_id}/support",
                              headers={"Referer": f"http://localhost/ideas/{idea_id}"})
    assert "Send lenken på nytt" in _assert_plain(supported)
    assert soup(supported).select_one("input[name=next]")["value"] == f"/ideas/{idea_id}"

    followed = client.get(f"/organisations/{place_org}/follow")
    assert "Send lenken på nytt" in _assert_plain(followed)
    assert user.email in _assert_plain(followed)


def test_a_comment_sent_before_confirming_is_kept_for_afterwards(app, client, login_as):
    idea_id = make_idea(app, make_user(app))
    login_as("unverified")
    values = {"body": "Jeg er enig, og benkene bør ha ryggstø."}
    page = client.get(f"/ideas/{idea_id}")
    from tests.helpers import form_fields
    data = form_fields(page)
    data.update(values)
    answer = client.client.post(f"/ideas/{idea_id}/comments", data=data, headers={"Referer": f"http://localhost/ideas/{idea_id}"})
    assert "Det du skrev, er tatt vare på" in _assert_plain(answer)


def test_a_new_account_made_from_the_login_page_is_led_back_by_its_first_link(app, client):
    login = soup(client.get("/account/login?next=/events/"))
    create = login.find("main").find("a", string="Opprett konto")
    assert create["href"] == "/account/register?next=/events/"
    client.submit(create["href"], {"email": "ny.her@example.no", "display_name": "Ny", "password": "blå sykkel under broen"})
    verify = link_in(outbox(app, "ny.her@example.no")[-1], "/account/verify/")
    location = urlsplit(Browser(app).get(verify).headers["Location"])
    assert location.path == "/account/login" and parse_qs(location.query)["next"] == ["/events/"]
