"""Every administration page, in Bokmål and English at phone width: no axe violations, no sideways
scrolling; and the administration used by keyboard alone."""
from __future__ import annotations

from urllib.parse import urlsplit

import pytest

from app.core.models import OutboxMessage, OutboxStatus
from app.extensions import db
from tests.browser.test_accessibility import assert_accessible
from tests.browser.test_keyboard import tab_to
from tests.helpers import PASSWORD, make_event, make_organisation, make_user, totp_code


@pytest.fixture(scope="module")
def admin_world(live_server):
    """One of each thing the administration's pages are about, and an admin to look at them."""
    from app.districts.services import get_district
    from app.meeting_places.models import MeetingPlace

    app = live_server.app
    resident = make_user(app, display_name="Kari Nordmann")
    organiser = make_user(app, display_name="Ola Arrangør")
    organisation = make_organisation(app, organiser, districts=("lademoen",))
    make_event(app, organisation, district="lademoen")
    with app.test_request_context():
        place = MeetingPlace(district_id=get_district("tempe-sorgenfri").id, name="Tempe nabolagshus",
                             address="Tempevegen 1")
        db.session.add(place)
        message = OutboxMessage(recipient="kari@example.no", locale="nb", template="verify_email", subject="Bekreft",
                                body="x", headers={}, status=OutboxStatus.FAILED, attempts=5,
                                last_error="SMTPRecipientsRefused")
        db.session.add(message)
        db.session.commit()
        ids = {"user_id": resident.id, "slug": "tempe-sorgenfri", "number": 2, "place_id": place.id,
               "organisation_id": organisation, "message_id": message.id}
    admin = make_user(app, role="admin", two_factor=True)
    # The area survey's builder: a survey with a round, and the question it asks last.
    from tests.survey_fixtures import make_survey_round

    survey = make_survey_round(app, admin.id)
    ids.update(survey_id=survey.survey, round_id=survey.round, question_id=survey.questions["which"])
    return {"admin": admin, "ids": ids}


def _admin_pages(app, ids) -> list[str]:
    paths = []
    with app.test_request_context():
        from flask import url_for

        for rule in app.url_map.iter_rules():
            if rule.endpoint.startswith("admin.") and "GET" in rule.methods:
                paths.append(url_for(rule.endpoint, **{name: ids[name] for name in rule.arguments}))
    return sorted(paths)


def _login(page, live_server, email):
    page.goto(f"{live_server.url}/account/login")
    page.fill("#email", email)
    page.fill("#password", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url("**/account/two-factor?**")
    page.fill("#code", totp_code(live_server.app, email))
    page.click("main form[action='/account/two-factor'] button[type=submit]")
    page.wait_for_url(lambda url: not urlsplit(url).path.startswith(("/account/login", "/account/two-factor")))


@pytest.mark.parametrize("lang", ["nb", "en"])
def test_administration_pages_have_no_axe_violations(live_server, page, admin_world, lang):
    _login(page, live_server, admin_world["admin"].email)
    paths = _admin_pages(live_server.app, admin_world["ids"])
    assert len(paths) >= 10, paths
    for path in paths:
        response = page.goto(f"{live_server.url}{path}?lang={lang}")
        assert response.status == 200, path
        assert page.locator("html").get_attribute("lang") == lang
        assert_accessible(page, f"{path} ({lang})")


@pytest.mark.parametrize("lang", ["nb", "en"])
def test_administration_forms_with_errors_have_no_axe_violations(live_server, page, admin_world, lang):
    _login(page, live_server, admin_world["admin"].email)
    user_id = admin_world["ids"]["user_id"]
    for path, fill in (
        ("/admin/people/invite", {}),
        (f"/admin/people/{user_id}", {"#reason": ""}),
        ("/admin/settings", {"#max_reports_before_hiding": "0", "#contact_email": "ikke-en-adresse"}),
        ("/admin/districts/new", {"#slug": "Ø"}),
    ):
        page.goto(f"{live_server.url}{path}?lang={lang}")
        for selector, value in fill.items():
            page.fill(selector, value)
        form = "main form[action$='/block']" if "/people/" in path and "invite" not in path else "main form[method=post]"
        page.locator(f"{form} button[type=submit]").last.click()
        page.wait_for_selector(".error-summary")
        assert_accessible(page, f"{path} with errors ({lang})")


def test_an_admin_makes_a_resident_moderator_by_keyboard_alone(live_server, page, admin_world):
    from app.accounts.models import User

    app = live_server.app
    colleague = make_user(app, display_name="Kollega Tastatur")
    admin = admin_world["admin"]
    page.goto(f"{live_server.url}/account/login?lang=en")
    tab_to(page, "#email")
    page.keyboard.type(admin.email)
    page.keyboard.press("Tab")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url("**/account/two-factor?**")
    tab_to(page, "#code")
    page.keyboard.type(totp_code(app, admin.email))
    page.keyboard.press("Enter")
    page.wait_for_url(lambda url: not urlsplit(url).path.startswith(("/account/login", "/account/two-factor")))
    page.goto(f"{live_server.url}/admin/people?lang=en")
    tab_to(page, "#q", limit=60)
    page.keyboard.type("Kollega Tastatur")
    page.keyboard.press("Enter")
    page.wait_for_url("**q=Kollega**")
    tab_to(page, f"main a[href='/admin/people/{colleague.id}']", limit=80)
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/admin/people/{colleague.id}")
    tab_to(page, "input[name=role]", limit=80)  # a radio group is one stop; the arrow keys choose in it
    page.keyboard.press("ArrowDown")
    assert page.evaluate("document.activeElement.value") == "moderator" and page.is_checked("input[value=moderator]")
    tab_to(page, "input[name=districts][value=tempe-sorgenfri]", limit=20)
    page.keyboard.press("Space")
    tab_to(page, "form[action$='/role'] button[type=submit]", limit=20)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    with app.app_context():
        stored = db.session.get(User, colleague.id)
        assert stored.role == "moderator" and [d.slug for d in stored.districts] == ["tempe-sorgenfri"]
