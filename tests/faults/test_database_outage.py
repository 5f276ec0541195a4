"""The database going away and coming back while the app runs.

The app reaches PostgreSQL through a proxy these tests cut and restore (tests/faults/proxy.py):
pages answer a translated 503 page and come back by themselves, and a form sent meanwhile is
given back on the error page, ready to be sent again once.
"""
from __future__ import annotations

import logging
import re
import time
from contextlib import contextmanager

import pytest
from sqlalchemy import event, func, select

from app.core.models import FormSubmission
from app.extensions import db
from app.feedback.models import Feedback
from app.ideas.models import Idea
from tests.helpers import PASSWORD, Browser, form_fields, make_event, make_idea, make_organisation, make_user, soup

TITLES = {"nb": "Tjenesten er ikke tilgjengelig akkurat nå", "en": "The service is not available right now"}
# Markup in what was typed must come back as text.
IDEA_TITLE = "Sykkelstativ ved Rema på hjørnet"
IDEA_BODY = "Det trengs sykkelstativ ved butikken – <b>minst</b> ti plasser.\nGjerne med tak over, så setene holder seg tørre."
NEVER_SHOWN = ("Traceback", "psycopg", "OperationalError", "sqlalchemy", "SELECT ", "INSERT ", "127.0.0.1:")


def assert_outage_page(response, lang: str = "nb") -> None:
    """The 503 page: in the layout, in the asked-for language, nothing technical, a time to come back."""
    assert response.status_code == 503
    assert re.fullmatch(r"\d+", response.headers.get("Retry-After", "")), response.headers
    page = soup(response)
    assert page.find("html")["lang"] == lang
    assert page.find("main") is not None and page.find("header") is not None and page.find("footer") is not None
    assert page.find("h1").get_text(strip=True) == TITLES[lang]
    text = response.get_data(as_text=True)
    assert not [word for word in NEVER_SHOWN if word in text]


def count(app, model, *where) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model).where(*where))


@contextmanager
def cut_while(app, proxy, statement: str | None = None, at_commit: bool = False):
    """Cut the proxy in the middle of a request: right after a statement starting with ``statement``
    ran (a row is written, the next statement fails), or just before the COMMIT is sent."""
    with app.app_context():
        engine = db.engine
    wrote = []

    def after_execute(conn, cursor, sql, parameters, context, executemany):
        if statement and sql.lstrip().startswith(statement):
            wrote.append(sql)
            if not at_commit:
                proxy.cut()

    def before_commit(conn):
        if at_commit and (wrote or not statement):
            proxy.cut()

    event.listen(engine, "after_cursor_execute", after_execute)
    event.listen(engine, "commit", before_commit)
    try:
        yield wrote
    finally:
        event.remove(engine, "after_cursor_execute", after_execute)
        event.remove(engine, "commit", before_commit)


# --- pages and the health check -------------------------------------------------------------------------


def test_pages_answer_a_translated_503_while_the_database_is_cut_and_work_again_after(app, client, proxy):
    idea = make_idea(app, make_user(app))
    pages = ["/", "/ideas/", f"/ideas/{idea}"]
    for page in pages:
        assert client.get(page).status_code == 200  # the pool now holds a live connection
    connections = proxy.accepted

    proxy.cut()
    for page in pages:
        for lang in ("nb", "en"):
            assert_outage_page(client.get(page, headers={"Accept-Language": lang}), lang)
        assert_outage_page(Browser(app).get(page + "?lang=en", headers={"Accept-Language": "nb"}), "en")

    api = client.get("/api/v1/ideas")  # a program reading the API gets the same answer as data
    assert api.status_code == 503 and api.mimetype == "application/problem+json" and api.headers["Retry-After"]
    assert api.json["status"] == 503 and not [word for word in NEVER_SHOWN if word in api.get_data(as_text=True)]

    proxy.restore()
    # The very next request works: the pooled connection that was cut is found dead and replaced.
    assert [client.get(page).status_code for page in pages] == [200, 200, 200]
    assert proxy.accepted > connections


def test_with_no_connection_in_the_pool_a_request_fails_at_once_and_the_next_connects_after_restore(app, client, proxy):
    with app.app_context():
        db.engine.dispose()
    proxy.cut()
    started = time.monotonic()
    assert_outage_page(client.get("/ideas/"))
    assert time.monotonic() - started < 2
    proxy.restore()
    assert client.get("/ideas/").status_code == 200


def test_health_check_answers_503_while_cut_and_200_after(app, client, proxy):
    assert client.get("/healthz").json == {"status": "ok", "database": "up"}
    proxy.cut()
    down = client.get("/healthz")
    assert down.status_code == 503 and down.json["database"] == "down"
    proxy.restore()
    up = client.get("/healthz")
    assert up.status_code == 200 and up.json["database"] == "up"


@pytest.mark.parametrize("role", ["visitor", "resident"])
def test_static_files_load_while_the_database_is_cut(app, client, proxy, login_as, role):
    login_as(role)
    proxy.cut()
    with client.get("/static/style.css") as response:
        assert response.status_code == 200 and b"{" in response.data


def test_a_file_is_still_served_when_the_connection_dies_after_the_request_read_from_it(app, client, proxy):
    """The style sheet's request reads the stored settings, then the connection goes: ending the request
    (a rollback on a dead connection) must not turn the file into a 500 or leave it open."""
    with cut_while(app, proxy, statement="SELECT settings") as read:
        with client.get("/static/style.css") as response:
            assert response.status_code == 200 and b"{" in response.data
    assert read, "the request did not read the settings, so nothing was cut under it"
    proxy.restore()
    with client.get("/ideas/") as response:   # the next request takes a new connection
        assert response.status_code == 200


def test_a_signed_in_resident_gets_the_503_page_and_is_still_signed_in_after(app, client, proxy, login_as):
    login_as("resident")
    proxy.cut()
    # Loading the signed-in person is the first thing that fails, before any view runs.
    for path in ("/", "/account/"):
        response = client.get(path)
        assert_outage_page(response)
        page = soup(response)
        # Who is signed in cannot be looked up: no account links that would only fail too.
        assert page.find("a", href="/account/login") is None and page.find("form", action="/account/logout") is None
        assert response.headers["Cache-Control"] == "no-store"
    proxy.restore()
    assert client.get("/account/").status_code == 200


def test_each_failure_is_one_log_line_without_personal_data(app, client, proxy, login_as, caplog):
    user = login_as("resident", display_name="Kari Nordmann")
    values = _idea_values(client)
    visitor = Browser(app)
    login = dict(form_fields(visitor.get("/account/login"), "/account/login"), email=user.email, password=PASSWORD)
    proxy.cut()
    with caplog.at_level(logging.DEBUG):
        client.get("/ideas/1")
        client.post("/ideas/new", data=values)
        visitor.post("/account/login", data=login)
    problems = [r for r in caplog.records if r.levelno >= logging.WARNING]
    assert len(problems) == 3, [r.getMessage() for r in problems]
    assert all(r.name == "medvirk.errors" and r.exc_info is None for r in problems)
    logged = "\n".join(caplog.text.splitlines() + [r.getMessage() for r in caplog.records])
    for personal in (user.email, user.display_name, PASSWORD, IDEA_TITLE, "sykkelstativ", values["submission_id"]):
        assert personal not in logged


# --- nothing typed is lost --------------------------------------------------------------------------------


FAILURE_POINTS = {
    # The session's user cannot be loaded: the view never runs.
    "loading the signed-in person": dict(),
    # The idea's first row is written, then the connection is gone: the rest fails.
    "halfway through writing": dict(statement="INSERT INTO submissions"),
    # Everything is written, and the COMMIT cannot be sent.
    "at commit": dict(statement="INSERT INTO ideas", at_commit=True),
}


@pytest.mark.parametrize("failure", FAILURE_POINTS)
def test_an_idea_posted_during_an_outage_comes_back_on_the_error_page_and_is_created_once_when_sent_again(
        app, client, proxy, login_as, failure):
    login_as("resident")
    form_page = client.get("/ideas/new")
    values = _idea_values(client)
    with cut_while(app, proxy, **FAILURE_POINTS[failure]) as wrote:
        if not FAILURE_POINTS[failure]:
            proxy.cut()
        response = client.post("/ideas/new", data=values)
    assert bool(wrote) == ("statement" in FAILURE_POINTS[failure])  # the failure came where the test meant it to
    assert_outage_page(response)

    # What was typed, in fields that can be copied from and edited, labelled as on the form.
    resend = soup(response).find("form", action="/ideas/new")
    assert resend is not None and resend["method"] == "post"
    body, title = resend.find("textarea", {"name": "body"}), resend.find("input", {"name": "title"})
    assert body.text.removeprefix("\n") == IDEA_BODY and title["value"] == IDEA_TITLE
    for element in (body, title):
        assert not element.has_attr("readonly") and not element.has_attr("disabled")
        label = resend.find("label", attrs={"for": element["id"]}).get_text(strip=True)
        assert label == _label_on(form_page, element["name"])
    assert "<b>minst</b>" not in response.get_data(as_text=True)  # escaped, not markup
    assert resend.find("input", {"name": "csrf_token"})["value"]
    assert resend.find("button", type="submit") is not None

    proxy.restore()
    # Nothing half-written is left behind.
    assert count(app, Idea, Idea.title == IDEA_TITLE) == 0
    assert count(app, FormSubmission, FormSubmission.token == values["submission_id"]) == 0

    # "Send again" posts what the page holds, with its own fresh CSRF token: the idea is made once.
    again = form_fields(response, "/ideas/new")
    assert again["submission_id"] == values["submission_id"]
    created = client.post(resend["action"], data=again)
    assert created.status_code == 302 and re.fullmatch(r"/ideas/\d+", created.headers["Location"])
    twice = client.post(resend["action"], data=again)
    assert twice.headers["Location"] == created.headers["Location"]
    assert count(app, Idea, Idea.title == IDEA_TITLE) == 1
    with app.app_context():
        idea = db.session.scalar(select(Idea).where(Idea.title == IDEA_TITLE))
        assert idea.body == IDEA_BODY and idea.district.slug == "lademoen"


def test_feedback_sent_by_a_visitor_during_an_outage_is_given_back_and_sent_once_after(app, client, proxy):
    url = "/districts/lademoen/feedback"
    form_page = client.get(url)
    values = form_fields(form_page, url)
    text = "Gatelyset i Nonnegata har vært mørkt i to uker.\n\nDet er utrygt å gå der om kvelden."
    values.update(body=text, rating_safety="2", contact_name="Ola Hansen", contact_email="ola@example.no",
                  contact_consent="y")
    proxy.cut()
    response = client.post(url, data=values)
    assert_outage_page(response)
    resend = soup(response).find("form", action=url)
    assert resend.find("textarea", {"name": "body"}).text.removeprefix("\n") == text
    assert resend.find("input", {"name": "contact_email"})["value"] == "ola@example.no"
    # Choices are kept unseen, and come back when it is sent again.
    assert resend.find("input", {"name": "rating_safety", "type": "hidden"})["value"] == "2"
    label = resend.find("label", attrs={"for": resend.find("textarea", {"name": "body"})["id"]}).get_text(strip=True)
    assert label == _label_on(form_page, "body")

    proxy.restore()
    assert count(app, Feedback) == 0
    again = form_fields(response, url)
    sent = client.post(url, data=again)
    assert sent.status_code == 302 and "/feedback/" in sent.headers["Location"]
    client.post(url, data=again)
    assert count(app, Feedback) == 1


def test_a_comment_and_a_guest_registration_are_given_back_to_the_address_they_were_sent_to(
        app, client, proxy, login_as):
    idea = make_idea(app, make_user(app))
    event_id = make_event(app, make_organisation(app))
    guest = Browser(app)
    registration_page = guest.get(f"/events/{event_id}/register")
    registration = form_fields(registration_page, f"/events/{event_id}/register")
    registration.update(name="Amina Yusuf", email="amina@example.no", party_size="2", access_needs="Rullestol")
    login_as("resident")
    idea_page = client.get(f"/ideas/{idea}")
    comment = form_fields(idea_page, f"/ideas/{idea}/comments")
    comment["body"] = "Enig! Og gjerne en benk ved siden av."

    proxy.cut()
    for browser, url, form_page, values, shown in (
        (client, f"/ideas/{idea}/comments", idea_page, comment, {"body": comment["body"]}),
        (guest, f"/events/{event_id}/register", registration_page, registration,
         {"name": "Amina Yusuf", "email": "amina@example.no", "access_needs": "Rullestol"}),
    ):
        response = browser.post(url, data=values)
        assert_outage_page(response)
        resend = soup(response).find("form", action=url)
        assert resend is not None, url
        for name, value in shown.items():
            element = resend.find(["input", "textarea"], {"name": name})
            assert (element.text.removeprefix("\n") if element.name == "textarea" else element["value"]) == value
            assert resend.find("label", attrs={"for": element["id"]}).get_text(strip=True) == _label_on(form_page, name)
        # Only what was typed is shown; the rest goes back unseen, the one-time id with it.
        assert {e["name"] for e in resend.find_all(["textarea", "input"]) if e.get("type") != "hidden"} == set(shown)
        assert form_fields(response, url)["submission_id"] == values["submission_id"]


def test_a_form_with_a_prefix_comes_back_with_a_fresh_token_under_its_own_name(app, client, proxy, login_as):
    login_as("moderator", districts=("lademoen",))
    page = f"/moderation/items/idea/{make_idea(app, make_user(app))}"
    item_page = client.get(page)
    values = dict(form_fields(item_page, f"{page}/note"), **{"note-body": "Ringte bydelskontoret om benkene."})
    proxy.cut()
    response = client.post(f"{page}/note", data=values)
    assert_outage_page(response)
    resend = soup(response).find("form", action=f"{page}/note")
    note = resend.find("textarea", {"name": "note-body"})
    assert resend.find("label", attrs={"for": note["id"]}).get_text(strip=True) == _label_on(item_page, "note-body")
    assert resend.find("input", {"name": "note-csrf_token"})["value"]
    proxy.restore()
    assert client.post(f"{page}/note", data=form_fields(response, f"{page}/note")).status_code == 302
    assert "Ringte bydelskontoret om benkene." in client.get(page).get_data(as_text=True)


def test_a_password_is_never_given_back(app, client, proxy, login_as):
    user = make_user(app)
    values = form_fields(client.get("/account/login"), "/account/login")
    values.update(email=user.email, password=PASSWORD)
    proxy.cut()
    response = client.post("/account/login", data=values)
    assert_outage_page(response)
    assert PASSWORD not in response.get_data(as_text=True)
    resend = soup(response).find("form", action=re.compile(r"^/account/login"))
    assert resend.find("input", {"name": "email"})["value"] == user.email
    assert resend.find("input", {"name": "password"}) is None and resend.find("input", type="password") is None


def test_a_stale_form_sent_during_an_outage_still_gets_the_error_page_with_the_text(app, client, proxy, login_as):
    login_as("resident")
    values = _idea_values(client)
    values["csrf_token"] = "expired"
    proxy.cut()
    response = client.post("/ideas/new", data=values)
    assert_outage_page(response)
    assert soup(response).find("textarea", {"name": "body"}).text.removeprefix("\n") == IDEA_BODY


# --- helpers ------------------------------------------------------------------------------------------------


def _idea_values(client) -> dict[str, str]:
    values = form_fields(client.get("/ideas/new"), "/ideas/new")
    values.update(district="lademoen", title=IDEA_TITLE, body=IDEA_BODY, publish="1")
    return values


def _label_on(form_page, name: str) -> str:
    page = soup(form_page)
    element = page.find(["input", "textarea"], {"name": name})
    return page.find("label", attrs={"for": element["id"]}).get_text(" ", strip=True).removesuffix(" (valgfritt)")
