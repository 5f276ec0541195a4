"""Which writes retire the kept pages and parts: a support or a login does not (others may see the count
a little late), the person who made it sees it at once, and anything else (a hidden idea) shows to
everyone at once. Whatever is kept, nobody ever sees another person's part of a page."""
from __future__ import annotations

import re

import pytest

from app.core import worker_cache
from tests.helpers import (
    PASSWORD,
    Browser,
    count_queries,
    make_event,
    make_idea,
    make_organisation,
    make_user,
)

SUPPORTED = "Trekk tilbake støtten min"     # the button of someone who supports the idea


@pytest.fixture
def cached_app(app_factory, tmp_path):
    return app_factory(PAGE_CACHE_SECONDS=30, PAGE_CACHE_GENERATION_FILE=str(tmp_path / "generation"))


def _logged_in(app, role: str = "resident", user=None, **fields) -> tuple[Browser, object]:
    user = user or make_user(app, role, **fields)
    person = Browser(app)
    assert person.submit("/account/login", {"email": user.email, "password": PASSWORD}).status_code == 302
    person.get("/account/")   # shows "You are logged in" once
    return person, user


def _cost(app, client, path: str) -> tuple[int, str]:
    with count_queries(app) as statements:
        response = client.get(path)
    assert response.status_code == 200
    return len(statements), response.get_data(as_text=True)


def _support(person: Browser, idea_id: int, withdraw: bool = False) -> None:
    data = {"withdraw": "1"} if withdraw else {}
    response = person.submit(f"/ideas/{idea_id}", data, action=f"/ideas/{idea_id}/support")
    assert response.status_code == 302


def test_a_support_shows_at_once_to_its_giver_and_leaves_the_others_pages_kept(cached_app):
    author = make_user(cached_app)
    idea_id = make_idea(cached_app, author, title="Benker i skyggen")
    giver, _ = _logged_in(cached_app)
    reader, _ = _logged_in(cached_app)
    visitor = cached_app.test_client()
    for client in (giver, reader, visitor):
        client.get("/ideas/")
    _, visitors_list = _cost(cached_app, visitor, "/ideas/")

    _support(giver, idea_id)

    page = giver.get(f"/ideas/{idea_id}").get_data(as_text=True)
    assert "1 innbygger støtter denne ideen." in page and SUPPORTED in page
    assert "1 støtte" in giver.get("/ideas/").get_data(as_text=True)
    cost, readers_list = _cost(cached_app, reader, "/ideas/")
    assert cost <= 1                                        # the person alone: the list is still kept
    assert "Benker i skyggen" in readers_list
    assert _cost(cached_app, visitor, "/ideas/") == (0, visitors_list)
    assert SUPPORTED not in reader.get(f"/ideas/{idea_id}").get_data(as_text=True)

    _support(giver, idea_id, withdraw=True)
    page = giver.get(f"/ideas/{idea_id}").get_data(as_text=True)
    assert "0 innbyggere støtter denne ideen." in page and SUPPORTED not in page
    assert "1 støtte" not in giver.get("/ideas/").get_data(as_text=True)


def test_a_login_leaves_the_kept_pages_kept(cached_app):
    make_idea(cached_app, make_user(cached_app), title="Benker i skyggen")
    later = make_user(cached_app)
    reader, _ = _logged_in(cached_app)
    visitor = cached_app.test_client()
    reader.get("/ideas/")
    visitor.get("/ideas/")
    _logged_in(cached_app, user=later)
    assert _cost(cached_app, visitor, "/ideas/")[0] == 0
    assert _cost(cached_app, reader, "/ideas/")[0] <= 1


def test_a_hidden_idea_is_gone_for_everyone_at_once(cached_app):
    author = make_user(cached_app)
    author_browser = Browser(cached_app)
    author_browser.submit("/account/login", {"email": author.email, "password": PASSWORD})
    idea_id = make_idea(cached_app, author, title="Naboen heter Ola Nordmann")
    reader, _ = _logged_in(cached_app)
    visitor = cached_app.test_client()
    everyone = (author_browser, reader, visitor)
    for client in everyone:
        for path in ("/ideas/", f"/ideas/{idea_id}", "/districts/lademoen", "/"):
            assert "Naboen heter Ola Nordmann" in client.get(path).get_data(as_text=True) or path == "/"

    moderator, _ = _logged_in(cached_app, "moderator", districts=("lademoen",))
    item = f"/moderation/items/idea/{idea_id}"
    assert moderator.submit(item, {"hide-reason": "personal_data", "hide-explanation": "Et navn."},
                            action=f"{item}/hide").status_code == 302

    for client in everyone:
        for path in ("/ideas/", f"/ideas/{idea_id}", "/districts/lademoen", "/"):
            assert "Ola Nordmann" not in client.get(path).get_data(as_text=True), path


def _token(html: str) -> str | None:
    """The session's own part of a form token (each page signs it anew, with the time)."""
    found = re.search(r'name="csrf_token" value="([^".]+)\.', html)
    return found.group(1) if found else None


def test_with_parts_kept_nobody_sees_another_persons_part_of_a_page(cached_app):
    """Two residents and an organiser read the same pages in turn, parts kept; each page of theirs holds
    their own token and registration, never another's; the visitors' kept pages hold no token nor message."""
    organiser_user = make_user(cached_app, display_name="Orga Nisatorsen")
    organisation = make_organisation(cached_app, organiser_user, districts=("lademoen",))
    event_id = make_event(cached_app, organisation, district="lademoen", capacity=10)
    idea_id = make_idea(cached_app, make_user(cached_app, display_name="Ida Forfatter"), title="Benker i skyggen")
    people = {}
    for name in ("Kari Supporter", "Per Påmeldt"):
        browser, user = _logged_in(cached_app, display_name=name)
        people[name] = browser
    organiser = Browser(cached_app)
    organiser.submit("/account/login", {"email": organiser_user.email, "password": PASSWORD})
    organiser.get("/organiser/")
    people["Orga Nisatorsen"] = organiser
    _support(people["Kari Supporter"], idea_id)
    assert people["Per Påmeldt"].submit(f"/events/{event_id}/register", {"party_size": "2"}).status_code == 302
    tokens = {name: _token(browser.get("/account/").get_data(as_text=True)) for name, browser in people.items()}
    assert len(set(tokens.values())) == 3 and None not in tokens.values()

    paths = ["/", "/ideas/", f"/ideas/{idea_id}", "/districts/lademoen", "/events/", f"/events/{event_id}",
             f"/organisations/{organisation}", "/account/"]
    for _ in range(2):   # the second round from the kept parts
        for path in paths:
            for name, browser in people.items():
                html = browser.get(path).get_data(as_text=True)
                for other, token in tokens.items():
                    assert (token in html) == (other == name), (path, name, other)
                    if path != f"/organisations/{organisation}" and other != name:
                        assert other not in html, (path, name)
                assert (SUPPORTED in html) == (name == "Kari Supporter" and path == f"/ideas/{idea_id}"), (path, name)
                assert ("Du er påmeldt" in html) == (name == "Per Påmeldt" and path == f"/events/{event_id}"), (path, name)

    for path in paths[:-1]:
        visitor = cached_app.test_client()
        html = visitor.get(path).get_data(as_text=True)
        again = cached_app.test_client()
        assert _cost(cached_app, again, path) == (0, html)
        assert "csrf_token" not in html and "Du er påmeldt" not in html and SUPPORTED not in html
        assert not any(name in html for name in ("Kari Supporter", "Per Påmeldt"))


@pytest.mark.parametrize(("statement", "retires"), [
    ("INSERT INTO supports (idea_id, user_id, created_at, created_month) VALUES (?, ?, ?, ?)", False),
    ("DELETE FROM supports WHERE supports.idea_id = ? AND supports.user_id = ?", False),
    ("UPDATE ideas SET support_count=(ideas.support_count + ?) WHERE ideas.id = ?", False),
    ("UPDATE ideas SET support_count=(ideas.support_count - %(support_count_1)s::INTEGER) WHERE ideas.id = "
     "%(id_1)s::INTEGER AND ideas.support_count > %(support_count_2)s::INTEGER", False),
    ('UPDATE "users" SET "last_login_at"=%(last_login_at)s WHERE users.id = %(id_1)s', False),
    ("UPDATE users SET password_hash=?, last_login_at=? WHERE users.id = ?", True),
    ("UPDATE users SET last_login_at=?, session_version=? WHERE users.id = ?", True),
    ("UPDATE users SET blocked_at=? WHERE users.id = ?", True),
    ("UPDATE ideas SET support_count=?, title=? WHERE ideas.id = ?", True),
    ("UPDATE ideas SET support_count=(SELECT count(*) FROM supports WHERE a = 1), body='a, b=c' WHERE id = ?", True),
    ("UPDATE submissions SET hidden_at=? WHERE submissions.id = ?", True),
    ("INSERT INTO ideas (id, title, support_count) VALUES (?, ?, ?)", True),
    ("DELETE FROM ideas WHERE ideas.id = ?", True),
    ("INSERT INTO users (email) VALUES (?)", True),
])
def test_which_writes_retire_the_kept_pages(statement, retires):
    assert (worker_cache._kind_of_write(statement) is None) == retires


def test_a_part_kept_for_everyone_cannot_hold_anything_of_one_person(cached_app):
    from flask_login import login_user
    from jinja2 import ChoiceLoader, DictLoader

    from app.accounts.models import User
    from app.core import page_cache
    from app.extensions import db

    cached_app.jinja_env.loader = ChoiceLoader([DictLoader({
        "name.html": "{{ current_user.display_name }}", "token.html": "{{ csrf_token() }}",
        "message.html": "{{ get_flashed_messages() }}",
        "welcome.html": "{% if current_user.is_authenticated %}Velkommen{% else %}Logg inn{% endif %}",
        # A moderator's button, the moderator's menu and the session are the person's too.
        "staff.html": "{% if can('moderate') %}Skjul{% endif %}", "menu.html": "{{ nav_items() }}",
        "session.html": "{{ session.get('_user_id') }}",
    }), cached_app.jinja_env.loader])
    person = make_user(cached_app, "moderator", display_name="Kari Nordmann")
    with cached_app.test_request_context("/"):
        login_user(db.session.get(User, person.id))
        for template in ("name.html", "token.html", "message.html", "staff.html", "menu.html", "session.html"):
            with pytest.raises(page_cache.PersonalInSharedPart):
                page_cache.fragment((), template, dict)
        assert page_cache.fragment((), "welcome.html", dict) == "Velkommen"
    with cached_app.test_request_context("/"):
        assert page_cache.fragment((), "welcome.html", dict) == "Logg inn"   # kept apart from the logged-in one
