"""The page cache: public pages are built once for every anonymous visitor in the same language,
never hold anything of one person, and a write anywhere makes them stale in every worker."""
from __future__ import annotations

import os

import pytest

from app.extensions import db
from tests.helpers import PASSWORD, Browser, count_queries, make_comment, make_idea, make_user, soup


@pytest.fixture
def cached_app(app_factory, tmp_path):
    """An app with the page cache on and its generation in a file of this test."""
    return app_factory(PAGE_CACHE_SECONDS=30, PAGE_CACHE_GENERATION_FILE=str(tmp_path / "generation"))


def _logged_in(app) -> Browser:
    person = Browser(app)
    user = make_user(app)
    assert person.submit("/account/login", {"email": user.email, "password": PASSWORD}).status_code == 302
    person.get("/account/")   # shows "You are logged in" once
    return person


def _get(app, path, **kwargs):
    """A new visitor (no cookies) asks for ``path``; the statements it cost and the answer."""
    with count_queries(app) as statements:
        response = app.test_client().get(path, **kwargs)
    assert response.status_code == 200
    return len(statements), response


def test_a_second_visitor_gets_the_page_without_a_query(cached_app):
    author = make_user(cached_app)
    make_idea(cached_app, author, title="Benker i skyggen")
    first_cost, first = _get(cached_app, "/ideas/")
    second_cost, second = _get(cached_app, "/ideas/")
    assert first_cost > 0 and second_cost == 0
    assert second.get_data() == first.get_data()
    assert "Benker i skyggen" in second.get_data(as_text=True)


def test_each_language_has_its_own_page(cached_app):
    _get(cached_app, "/ideas/", headers={"Accept-Language": "en"})
    _, english = _get(cached_app, "/ideas/", headers={"Accept-Language": "en"})
    _, bokmal = _get(cached_app, "/ideas/", headers={"Accept-Language": "nb-NO"})
    client = cached_app.test_client()
    client.set_cookie("lang", "nn")
    nynorsk = client.get("/ideas/")
    assert soup(english).html["lang"] == "en"
    assert soup(bokmal).html["lang"] == "nb"
    assert soup(nynorsk).html["lang"] == "nn"


def test_asking_for_a_language_still_remembers_it(cached_app):
    _get(cached_app, "/ideas/?lang=en", headers={"Cookie": "lang=en"})   # stored by someone who chose English before
    response = cached_app.test_client().get("/ideas/?lang=en")
    assert response.status_code == 200 and soup(response).html["lang"] == "en"
    assert "lang=en" in response.headers.get("Set-Cookie", "")


def test_a_logged_in_person_never_gets_the_visitors_page_nor_leaves_theirs(cached_app):
    _get(cached_app, "/ideas/")                      # a visitor's page is stored
    person = _logged_in(cached_app)
    theirs = person.get("/ideas/")
    assert "/account/logout" in theirs.get_data(as_text=True)
    assert theirs.headers["Cache-Control"] == "no-store"
    _, visitor = _get(cached_app, "/ideas/")
    assert "/account/logout" not in visitor.get_data(as_text=True)
    assert "csrf_token" not in visitor.get_data(as_text=True)


def test_a_page_with_a_form_is_never_stored(cached_app):
    """The login form carries the visitor's own CSRF token: each visitor gets their own."""
    first = cached_app.test_client().get("/account/login")
    second = cached_app.test_client().get("/account/login")
    tokens = [soup(r).find("input", {"name": "csrf_token"})["value"] for r in (first, second)]
    assert tokens[0] != tokens[1]
    assert "session=" in second.headers.get("Set-Cookie", "")


def test_a_flashed_message_is_shown_to_the_visitor_it_was_for(cached_app):
    _get(cached_app, "/ideas/")
    client = cached_app.test_client()
    with client.session_transaction() as session:
        session["_flashes"] = [("success", "Takk for tilbakemeldingen!")]
    page = client.get("/ideas/").get_data(as_text=True)
    assert "Takk for tilbakemeldingen!" in page
    _, later = _get(cached_app, "/ideas/")
    assert "Takk for tilbakemeldingen!" not in later.get_data(as_text=True)


def _shared_database(app) -> str:
    url = app.config["SQLALCHEMY_DATABASE_URI"]
    return url if not url.startswith("sqlite") else ""


# Where the workers share the generation: a file, and Redis when the suite has one.
STORES = ["file"] + (["redis"] if os.environ.get("TEST_REDIS_URL") else [])


@pytest.mark.parametrize("store", STORES)
def test_a_write_in_one_worker_makes_the_page_stale_in_another(app_factory, tmp_path, store):
    """Two app instances (two gunicorn workers) on one database and one generation store."""
    url = _shared_database(app_factory()) or f"sqlite:///{tmp_path / 'shared.sqlite3'}"
    settings = {"SQLALCHEMY_DATABASE_URI": url, "PAGE_CACHE_SECONDS": 30,
                "PAGE_CACHE_GENERATION_FILE": str(tmp_path / "generation"),
                "PAGE_CACHE_REDIS_URL": os.environ["TEST_REDIS_URL"] if store == "redis" else None}
    first, second = app_factory(**settings), app_factory(**settings)
    author = make_user(first)
    idea_id = make_idea(first, author, title="Lys i undergangen")
    path = f"/ideas/{idea_id}"
    for worker in (first, second):
        _get(worker, path)
    cost, before = _get(second, path)
    assert cost == 0 and "Helt enig, det er mørkt der" not in before.get_data(as_text=True)

    make_comment(first, author, idea_id, body="Helt enig, det er mørkt der")   # committed in the first worker

    cost, after = _get(second, path)
    assert cost > 0
    assert "Helt enig, det er mørkt der" in after.get_data(as_text=True)


def test_a_blocked_person_is_logged_out_in_every_worker_at_once(app_factory, tmp_path):
    """Each worker keeps the account behind a session until a write: blocking is one."""
    from app.accounts.models import User
    from app.core.db import utcnow

    url = _shared_database(app_factory()) or f"sqlite:///{tmp_path / 'shared.sqlite3'}"
    settings = {"SQLALCHEMY_DATABASE_URI": url, "PAGE_CACHE_SECONDS": 30,
                "PAGE_CACHE_GENERATION_FILE": str(tmp_path / "generation")}
    first, second = app_factory(**settings), app_factory(**settings)
    person = _logged_in(first)
    other = second.test_client()       # the same browser, its next request served by the other worker
    other.set_cookie("session", person.client.get_cookie("session").value)
    for _ in range(2):
        assert "/account/logout" in other.get("/ideas/").get_data(as_text=True)

    with first.app_context():
        user = db.session.scalar(db.select(User).order_by(User.id.desc()))
        user.blocked_at = utcnow()
        db.session.commit()

    assert "/account/logout" not in other.get("/ideas/").get_data(as_text=True)


def test_a_change_held_back_by_a_rollback_keeps_the_page(cached_app):
    author = make_user(cached_app)
    make_idea(cached_app, author)
    _get(cached_app, "/ideas/")
    with cached_app.app_context():
        from app.ideas.models import Idea

        db.session.execute(db.update(Idea).values(title="Aldri lagret"))
        db.session.rollback()
    cost, _ = _get(cached_app, "/ideas/")
    assert cost == 0


def test_logged_in_people_share_the_list_but_keep_their_own_header(cached_app):
    author = make_user(cached_app)
    make_idea(cached_app, author, title="Benker i skyggen")
    people = [_logged_in(cached_app), _logged_in(cached_app)]
    people[0].get("/ideas/")
    with count_queries(cached_app) as statements:
        page = people[1].get("/ideas/")
    assert len(statements) <= 2       # the person (and nothing of the list)
    html = page.get_data(as_text=True)
    assert "Benker i skyggen" in html and "/account/logout" in html
    token = soup(page).find("form", action="/account/logout").find("input", {"name": "csrf_token"})["value"]
    assert token != soup(people[0].get("/ideas/")).find("form", action="/account/logout").find(
        "input", {"name": "csrf_token"})["value"]

    make_idea(cached_app, author, title="Gatelys i Rosendalsgata")
    assert "Gatelys i Rosendalsgata" in people[1].get("/ideas/").get_data(as_text=True)


def test_the_event_page_keeps_each_persons_registration_apart(cached_app):
    from tests.helpers import make_event, make_organisation

    organiser = make_user(cached_app)
    event_id = make_event(cached_app, make_organisation(cached_app, organiser), capacity=10)
    path = f"/events/{event_id}"
    _, first = _get(cached_app, path)
    assert "10 ledige plasser" in first.get_data(as_text=True)
    person = _logged_in(cached_app)
    assert "Du er påmeldt" not in person.get(path).get_data(as_text=True)
    assert person.submit(f"/events/{event_id}/register", {"party_size": "2"}).status_code == 302
    mine = person.get(path).get_data(as_text=True)
    assert "Du er påmeldt (2 personer)" in mine and "8 ledige plasser" in mine
    _, visitor = _get(cached_app, path)
    text = visitor.get_data(as_text=True)
    assert "Du er påmeldt" not in text and "8 ledige plasser" in text


def test_without_its_generation_store_the_site_works_uncached(app_factory):
    """Redis down: every page is built afresh, and writes still go through."""
    app = app_factory(PAGE_CACHE_SECONDS=30, PAGE_CACHE_REDIS_URL="redis://127.0.0.1:1/0")
    author = make_user(app)
    make_idea(app, author, title="Benker i skyggen")
    _get(app, "/ideas/")
    cost, page = _get(app, "/ideas/")
    assert cost > 0 and "Benker i skyggen" in page.get_data(as_text=True)
    person = _logged_in(app)
    assert "/account/logout" in person.get("/ideas/").get_data(as_text=True)


def test_stored_settings_are_read_again_only_after_settings_change(cached_app):
    """Any write makes pages stale, but only a settings change makes a worker read the settings again:
    the first page after an ordinary write costs no statement for them."""
    from app.core import settings_admin
    from app.core.models import Setting

    def settings_reads(path):
        with count_queries(cached_app) as statements:
            response = cached_app.test_client().get(path)
        return sum("FROM settings" in s for s in statements), response.get_data(as_text=True)

    assert settings_reads("/privacy")[0] == 1
    make_idea(cached_app, make_user(cached_app))          # an ordinary write: pages are built again
    assert settings_reads("/privacy")[0] == 0
    with cached_app.test_request_context():
        settings_admin.save({"CONTACT_EMAIL": "ny.kontakt@example.no"}, None)
        db.session.commit()
    reads, page = settings_reads("/privacy")
    assert reads == 1 and "ny.kontakt@example.no" in page
    with cached_app.app_context():                         # removing the value is a settings write too
        db.session.delete(db.session.get(Setting, "CONTACT_EMAIL"))
        db.session.commit()
    reads, page = settings_reads("/privacy")
    assert reads == 1 and "ny.kontakt@example.no" not in page


def test_a_language_switched_off_never_serves_another_visitors_page(app_factory, tmp_path):
    """The cache key is the visitor's order of languages, not one guess: which are on lives in the database."""
    app = app_factory(PAGE_CACHE_SECONDS=30, PAGE_CACHE_GENERATION_FILE=str(tmp_path / "generation"), LANGUAGES_OFF=("pl",))

    def lang(header):
        return soup(_get(app, "/ideas/", headers={"Accept-Language": header})[1]).find("html")["lang"]

    assert lang("pl,en;q=0.5") == "en" and lang("pl,en;q=0.5") == "en"   # the second from the cache
    assert lang("pl") == "nb" and lang("pl,nb;q=0.5") == "nb"
    assert lang("pl,uk;q=0.5") == "uk"
