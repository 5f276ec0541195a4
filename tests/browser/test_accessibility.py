"""Every page, in Bokmål and English at phone width: no axe violations, no sideways scrolling."""
from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from app.accounts import services
from app.accounts.models import User
from app.core import secret_links
from app.extensions import db
from app.moderation import reports
from tests.helpers import PASSWORD, make_user, totp_code

WCAG_21_AA = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}
PUBLIC_PAGES = [
    "/", "/districts/", "/districts/lademoen", "/districts/tempe-sorgenfri", "/districts/mollenberg",
    "/effort-areas/1", "/effort-areas/2", "/effort-areas/3", "/effort-areas/4",
    "/privacy", "/accessibility", "/house-rules",
    "/account/register", "/account/register/sent", "/account/login", "/account/reset", "/account/reset/sent",
    "/account/verify/not-a-valid-link", "/no-such-page",
    "/ideas/", "/ideas/?q=benker&district=lademoen", "/districts/lademoen/feedback",
]
_axe = Axe()


def assert_accessible(page, label: str) -> None:
    results = _axe.run(page, options=WCAG_21_AA)
    assert results.violations_count == 0, f"{label}:\n{results.generate_report()}"
    page.set_viewport_size({"width": 320, "height": 800})
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    page.set_viewport_size({"width": 375, "height": 800})
    assert overflow <= 0, f"{label}: scrolls sideways by {overflow}px at 320px"


@pytest.mark.parametrize("lang", ["nb", "en"])
@pytest.mark.parametrize("path", PUBLIC_PAGES)
def test_public_pages_have_no_axe_violations(live_server, page, path, lang):
    page.goto(f"{live_server.url}{path}{'&' if '?' in path else '?'}lang={lang}")
    assert page.locator("html").get_attribute("lang") == lang
    assert_accessible(page, f"{path} ({lang})")


def _login(page, live_server, email):
    page.goto(f"{live_server.url}/account/login")
    page.fill("#email", email)
    page.fill("#password", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url(lambda url: "/account/login" not in url)
    if "/account/two-factor" in page.url:  # staff: then the code from the authenticator app
        page.fill("#code", totp_code(live_server.app, email))
        page.click("main form[action='/account/two-factor'] button[type=submit]")
    page.wait_for_url(lambda url: not urlsplit(url).path.startswith(("/account/login", "/account/two-factor")))


@pytest.mark.parametrize("lang", ["nb", "en"])
def test_pages_for_people_with_an_account_have_no_axe_violations(live_server, page, lang):
    app = live_server.app
    user = make_user(app, role="moderator", locale=lang)
    with app.test_request_context():
        stored = db.session.get(User, user.id)
        reset = services.reset_token(stored)
        unsubscribe = "unsubscribe/" + secret_links.token_of(services.unsubscribe_url(stored, "idea_updates"))
    for path in (f"/account/reset/{reset}", f"/account/{unsubscribe}"):
        page.goto(f"{live_server.url}{path}?lang={lang}")
        assert_accessible(page, f"{path} ({lang})")
    _login(page, live_server, user.email)
    page.goto(f"{live_server.url}/account/?lang={lang}")
    assert_accessible(page, f"/account/ ({lang})")
    page.goto(f"{live_server.url}/account/delete?lang={lang}")
    assert_accessible(page, f"/account/delete ({lang})")
    page.click("main button[type=submit]")
    page.wait_for_selector(".error-summary")
    assert_accessible(page, f"/account/delete with an error ({lang})")


@pytest.mark.parametrize("lang", ["nb", "en"])
def test_two_step_login_pages_have_no_axe_violations(live_server, page, lang):
    import pyotp

    app = live_server.app
    admin = make_user(app, role="admin", locale=lang, two_factor=False)
    page.goto(f"{live_server.url}/account/login?lang={lang}")
    page.fill("#email", admin.email)
    page.fill("#password", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url("**/account/two-factor/setup**")
    assert page.locator("img.qr-code").evaluate("img => img.complete && img.naturalWidth > 0")
    assert_accessible(page, f"/account/two-factor/setup ({lang})")
    page.fill("#code", f"{(int(pyotp.TOTP(_secret_on(page)).now()) + 1) % 1_000_000:06d}")  # one off: wrong
    page.click("main button[type=submit]")
    page.wait_for_selector(".error-summary")
    assert_accessible(page, f"/account/two-factor/setup with an error ({lang})")
    page.fill("#code", pyotp.TOTP(_secret_on(page)).now())
    page.click("main button[type=submit]")
    page.wait_for_selector("ol.recovery-codes")
    assert_accessible(page, f"recovery codes ({lang})")
    page.goto(f"{live_server.url}/account/?lang={lang}")
    assert_accessible(page, f"/account/ for staff ({lang})")
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/account/login?lang={lang}")
    page.fill("#email", admin.email)
    page.fill("#password", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url("**/account/two-factor?**")
    assert_accessible(page, f"/account/two-factor ({lang})")
    page.fill("#recovery_code", "feil")
    page.click("main form[action='/account/two-factor/recovery'] button[type=submit]")
    page.wait_for_selector(".error-summary")
    assert_accessible(page, f"/account/two-factor with an error ({lang})")


def _secret_on(page) -> str:
    return "".join(page.inner_text("code.secret").split())


@pytest.fixture(scope="module")
def content(live_server):
    """An idea with comments (one hidden), a hidden idea and a piece of feedback on the live server."""
    from app.core.db import utcnow
    from app.districts.services import get_district
    from app.feedback import services as feedback
    from tests.helpers import make_comment, make_idea

    app = live_server.app
    author = make_user(app, display_name="Amina")
    idea = make_idea(app, author, title="Benker i Lademoparken",
                     body="Det trengs **flere benker**:\n\n- ved lekeplassen\n- ved stien\n\nSe https://trondheim.kommune.no/")
    make_comment(app, author, idea, body="Enig! Særlig ved lekeplassen.")
    make_comment(app, author, idea, body="Skjult", hidden_at=utcnow(), hidden_reason="spam")
    hidden = make_idea(app, author, title="Skjult idé", hidden_at=utcnow(), hidden_reason="harassment")
    with app.test_request_context():
        sent = feedback.submit_feedback(get_district("mollenberg"), "Mørkt i undergangen.", {"safety": 2}, None,
                                        None, None, None, False, "127.0.0.1")
        db.session.commit()
        code = sent.receipt_code
    own = make_idea(app, author, title="Amina sin egen idé")
    return {"idea": idea, "hidden": hidden, "code": code, "author": author.email, "own": own}


@pytest.mark.parametrize("lang", ["nb", "en"])
def test_idea_and_feedback_pages_have_no_axe_violations(live_server, page, content, lang):
    for path in (f"/ideas/{content['idea']}", f"/ideas/{content['hidden']}", f"/feedback/{content['code']}"):
        page.goto(f"{live_server.url}{path}?lang={lang}")
        assert_accessible(page, f"{path} ({lang})")
    _login(page, live_server, make_user(live_server.app).email)
    for path in ("/ideas/new?district=lademoen", f"/ideas/{content['idea']}", f"/ideas/{content['idea']}/report"):
        page.goto(f"{live_server.url}{path}{'&' if '?' in path else '?'}lang={lang}")
        assert_accessible(page, f"{path} ({lang}, logged in)")
    # the preview, with similar ideas listed
    page.goto(f"{live_server.url}/ideas/new?district=lademoen&lang={lang}")
    page.fill("#title", "Flere benker ved stien")
    page.fill("#body", "Det trengs benker langs stien i Lademoparken, for eldre som går tur.")
    page.click("main button[name=preview]")
    page.wait_for_selector(".preview")
    assert_accessible(page, f"idea preview ({lang})")


@pytest.mark.parametrize("lang", ["nb", "en"])
def test_an_authors_pages_have_no_axe_violations(live_server, page, content, lang):
    _login(page, live_server, content["author"])
    own = content["own"]
    for path in (f"/ideas/{own}", f"/ideas/{own}/edit", f"/ideas/{own}/withdraw"):
        page.goto(f"{live_server.url}{path}?lang={lang}")
        assert_accessible(page, f"{path} ({lang}, author)")
    page.goto(f"{live_server.url}/ideas/new?lang={lang}")
    page.fill("#title", "x")
    page.click("main button[name=preview]")
    page.wait_for_selector(".error-summary")
    assert_accessible(page, f"idea form with errors ({lang})")


def test_feedback_form_with_errors_has_no_axe_violations(live_server, page):
    page.goto(f"{live_server.url}/districts/lademoen/feedback?lang=en")
    page.fill("#contact_email", "meg@example.no")
    page.click("main button[type=submit]")
    page.wait_for_selector(".error-summary")
    assert page.locator("#contact_consent-error").is_visible()
    assert_accessible(page, "feedback with errors")


def test_form_with_errors_has_no_axe_violations(live_server, page):
    page.goto(f"{live_server.url}/account/register?lang=en")
    page.fill("#email", "not-an-address")
    page.click("main button[type=submit]")
    summary = page.locator(".error-summary")
    assert summary.is_visible()
    # app.js moves focus to the summary once the page has loaded
    # (Playwright's own check: a polled script would need 'unsafe-eval', which the page's CSP refuses)
    expect(page.locator(".error-summary")).to_be_focused(timeout=5000)
    assert page.locator("#email").get_attribute("aria-invalid") == "true"
    assert_accessible(page, "register with errors")


def test_the_axe_check_does_find_violations(page):
    """Guards the harness: a page with an unlabelled field and no language must fail."""
    page.set_content("<html><body><main><input type='text'><img src='x.png'></main></body></html>")
    assert _axe.run(page, options=WCAG_21_AA).violations_count > 0


@pytest.fixture(scope="module")
def moderation_content(live_server, content):
    """One of each kind of item waiting in Lademoen."""
    from app.accounts.models import User
    from app.districts.services import get_district
    from app.feedback import services as feedback
    from app.ideas.models import Comment, Idea
    from app.moderation import services as moderation
    from tests.helpers import make_comment, make_idea

    app = live_server.app
    author, reporter = make_user(app), make_user(app)
    idea = make_idea(app, author, title="Lys under brua", body="Det er mørkt under brua om kvelden.")
    comment = make_comment(app, author, idea, body="Kommentar som meldes")
    with app.test_request_context():
        fb = feedback.submit_feedback(get_district("lademoen"), "Utrygt ved stasjonen.", {"safety": 1}, None,
                                      "Ola", "ola@example.no", None, True, "1.1.1.1")
        report = reports.report(db.session.get(Comment, comment), db.session.get(User, reporter.id), "harassment", "Stygt")
        hidden = db.session.get(Idea, idea)
        hidden_copy = make_idea(app, author, title="Skjult for vurdering")
        target = db.session.get(Idea, hidden_copy)
        target.hidden_at, target.hidden_reason = target.created_at, "spam"
        review = reports.request_review(target, db.session.get(User, author.id), "Jeg har rettet det.")
        db.session.commit()
        from app.districts.services import get_effort_area

        template = moderation.save_template(None, get_effort_area(3), "Lys", {
            "nb": "Vi melder det videre.", "nn": "Vi melder det vidare.", "en": "We pass it on."},
            db.session.get(User, author.id))
        db.session.commit()
        ids = {"idea": idea, "feedback": fb.id, "comment": comment, "report": report.id, "review": review.id,
               "template": template.id}
        del hidden
    return ids


@pytest.mark.parametrize("lang", ["nb", "en"])
def test_moderation_pages_have_no_axe_violations(live_server, page, moderation_content, lang):
    moderator = make_user(live_server.app, role="moderator", districts=("lademoen", "mollenberg"))
    _login(page, live_server, moderator.email)
    paths = ["/moderation/", "/moderation/?kind=idea&age=old", "/moderation/audit", "/moderation/templates"]
    paths += [f"/moderation/items/{kind}/{item_id}" for kind, item_id in moderation_content.items() if kind != "template"]
    paths += [f"/moderation/templates/{moderation_content['template']}/edit"]
    for path in paths:
        page.goto(f"{live_server.url}{path}{'&' if '?' in path else '?'}lang={lang}")
        assert_accessible(page, f"{path} ({lang}, moderator)")


@pytest.mark.parametrize("lang", ["nb", "en"])
def test_meeting_place_pages_have_no_axe_violations(live_server, page, lang):
    from app.demo.generate import _places
    from app.districts.services import list_districts
    from app.meeting_places.models import MeetingPlace

    app = live_server.app
    with app.app_context():
        _places({d.slug: d.id for d in list_districts()})
        db.session.commit()
        place_id = db.session.scalar(db.select(MeetingPlace.id).order_by(MeetingPlace.id))
    for path in ("/meeting-places/", "/meeting-places/?district=mollenberg", f"/meeting-places/{place_id}"):
        page.goto(f"{live_server.url}{path}{'&' if '?' in path else '?'}lang={lang}")
        assert_accessible(page, f"{path} ({lang})")
    _login(page, live_server, make_user(app, role="moderator", districts=("lademoen",)).email)
    for path in ("/meeting-places/new", f"/meeting-places/{place_id}/edit"):
        page.goto(f"{live_server.url}{path}?lang={lang}")
        assert_accessible(page, f"{path} ({lang}, moderator)")
    page.goto(f"{live_server.url}/meeting-places/new?lang={lang}")
    page.click("main button[type=submit]")
    page.wait_for_selector(".error-summary")
    assert_accessible(page, f"meeting place form with errors ({lang})")


@pytest.mark.parametrize("lang", ["nb", "en"])
def test_organisation_pages_have_no_axe_violations(live_server, page, lang):
    from app.accounts.models import User
    from app.districts.services import get_district
    from app.organisations import services
    from app.organisations.models import OrganisationApplication

    app = live_server.app
    owner = make_user(app)
    with app.test_request_context():
        org = services.apply(db.session.get(User, owner.id), f"Naboklubben {lang}", "Vi møtes og hjelper hverandre.",
                             "klubb@example.no", [get_district("lademoen")])
        db.session.commit()
        org_id = org.id
        application_id = db.session.scalar(db.select(OrganisationApplication.id).where(
            OrganisationApplication.organisation_id == org_id))
    _login(page, live_server, make_user(app, role="moderator", districts=("lademoen",)).email)
    for path in (f"/moderation/items/organisation/{application_id}", "/organisations/apply"):
        page.goto(f"{live_server.url}{path}?lang={lang}")
        assert_accessible(page, f"{path} ({lang})")
    page.goto(f"{live_server.url}/moderation/items/organisation/{application_id}?lang={lang}")
    page.click("form[action$='/accept'] button")
    page.wait_for_load_state()
    for path in ("/organisations/", f"/organisations/{org_id}"):
        page.goto(f"{live_server.url}{path}?lang={lang}")
        assert_accessible(page, f"{path} ({lang})")
    page.context.clear_cookies()  # now as the organiser
    _login(page, live_server, owner.email)
    page.goto(f"{live_server.url}/organisations/{org_id}/members?lang={lang}")
    assert_accessible(page, f"members ({lang})")
