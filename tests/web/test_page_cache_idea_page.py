"""The idea page with its parts kept: the article and the comment thread are the same for everyone who is
neither the idea's author nor a moderator of its district, so logged-in residents read them from the cache;
each person's own part (support, form token, their links under comments) is drawn per request."""
from __future__ import annotations

import re

import pytest

from app.core.db import utcnow
from tests.helpers import PASSWORD, Browser, count_queries, make_comment, make_idea, make_user

SUPPORTED = "Trekk tilbake støtten min"     # the button of someone who supports the idea


@pytest.fixture
def cached_app(app_factory, tmp_path):
    return app_factory(PAGE_CACHE_SECONDS=30, PAGE_CACHE_GENERATION_FILE=str(tmp_path / "generation"))


def _logged_in(app, user) -> Browser:
    person = Browser(app)
    assert person.submit("/account/login", {"email": user.email, "password": PASSWORD}).status_code == 302
    person.get("/account/")   # shows "You are logged in" once
    return person


def _token(html: str) -> str | None:
    found = re.search(r'name="csrf_token" value="([^".]+)\.', html)
    return found.group(1) if found else None


def _edit_links(html: str) -> set[int]:
    return {int(n) for n in re.findall(r'href="/ideas/comments/(\d+)/edit"', html)}


def _report_links(html: str) -> set[int]:
    return {int(n) for n in re.findall(r'href="/ideas/comments/(\d+)/report"', html)}


def _cost(app, client, path: str) -> tuple[int, str]:
    with count_queries(app) as statements:
        response = client.get(path)
    assert response.status_code == 200
    return len(statements), response.get_data(as_text=True)


@pytest.fixture
def scene(cached_app):
    """An idea by Ida with a comment each from Kari and Per; Ola reads without writing."""
    app = cached_app
    ida = make_user(app, display_name="Ida Forfatter")
    idea_id = make_idea(app, ida, title="Benker i skyggen")
    users = {name: make_user(app, display_name=name) for name in ("Kari Kommentar", "Per Kommentar", "Ola Leser")}
    comments = {name: make_comment(app, users[name], idea_id, body=f"Hilsen fra {name.split()[0]}")
                for name in ("Kari Kommentar", "Per Kommentar")}
    people = {name: _logged_in(app, user) for name, user in users.items()}
    return app, idea_id, people, comments


def test_each_resident_sees_only_their_own_links_token_and_support(scene):
    app, idea_id, people, comments = scene
    path = f"/ideas/{idea_id}"
    kari, per = comments["Kari Kommentar"], comments["Per Kommentar"]
    assert people["Per Kommentar"].submit(f"/ideas/comments/{kari}/report", {"reason": "spam"}).status_code == 302
    assert people["Kari Kommentar"].submit(path, {}, action=f"{path}/support").status_code == 302
    tokens = {name: _token(browser.get("/account/").get_data(as_text=True)) for name, browser in people.items()}
    assert len(set(tokens.values())) == 3 and None not in tokens.values()

    for _ in range(2):   # the second round from the kept parts
        for name, browser in people.items():
            html = browser.get(path).get_data(as_text=True)
            assert "Hilsen fra Kari" in html and "Hilsen fra Per" in html
            for other, token in tokens.items():
                assert (token in html) == (other == name), (name, other)
            assert "Ola Leser" not in html   # a reader who wrote nothing here is named nowhere on it
            assert (SUPPORTED in html) == (name == "Kari Kommentar"), name
            own = {"Kari Kommentar": {kari}, "Per Kommentar": {per}}.get(name, set())
            assert _edit_links(html) == own, name
            reportable = {kari, per} - own - ({kari} if name == "Per Kommentar" else set())
            assert _report_links(html) == reportable, name
        visitor = app.test_client().get(path).get_data(as_text=True)
        assert "Hilsen fra Kari" in visitor and "csrf_token" not in visitor and SUPPORTED not in visitor
        assert not _edit_links(visitor) and not _report_links(visitor) and "Ola Leser" not in visitor


def test_a_new_comment_shows_at_once_to_its_writer_and_to_everyone(scene):
    app, idea_id, people, comments = scene
    path = f"/ideas/{idea_id}"
    visitor = app.test_client()
    for client in (*people.values(), visitor):
        client.get(path)
    response = people["Ola Leser"].submit(path, {"body": "Jeg er enig med dere", "language": "nb"},
                                          action=f"{path}/comments")
    assert response.status_code == 302
    new = int(response.headers["Location"].rsplit("comment-", 1)[1])
    html = people["Ola Leser"].get(path).get_data(as_text=True)
    assert "Jeg er enig med dere" in html and _edit_links(html) == {new}
    html = people["Kari Kommentar"].get(path).get_data(as_text=True)
    assert "Jeg er enig med dere" in html and new in _report_links(html) and _edit_links(html) == {comments["Kari Kommentar"]}
    assert "Jeg er enig med dere" in visitor.get(path).get_data(as_text=True)


def test_a_support_shows_at_once_to_its_giver_only(scene):
    app, idea_id, people, _ = scene
    path = f"/ideas/{idea_id}"
    for browser in people.values():
        browser.get(path)
    assert people["Ola Leser"].submit(path, {}, action=f"{path}/support").status_code == 302
    html = people["Ola Leser"].get(path).get_data(as_text=True)
    assert SUPPORTED in html and "1 innbygger støtter denne ideen." in html
    assert SUPPORTED not in people["Per Kommentar"].get(path).get_data(as_text=True)


def test_a_hidden_comment_stays_hidden_and_only_its_writer_may_ask_again(cached_app):
    app = cached_app
    idea_id = make_idea(app, make_user(app), title="Benker i skyggen")
    writer, reader = make_user(app), make_user(app)
    hidden = make_comment(app, writer, idea_id, body="Noe stygt om naboen", hidden_at=utcnow(), hidden_reason="offensive")
    path = f"/ideas/{idea_id}"
    ask = f'href="/ideas/comments/{hidden}/review"'
    writers, readers, visitor = _logged_in(app, writer), _logged_in(app, reader), app.test_client()
    for _ in range(2):
        for client in (writers, readers, visitor):
            html = client.get(path).get_data(as_text=True)
            assert "Noe stygt om naboen" not in html and f'id="comment-{hidden}"' in html
            assert (ask in html) == (client is writers)
            assert not _edit_links(html) and not _report_links(html)


def test_a_comment_cannot_draw_links_into_the_kept_thread(cached_app):
    app = cached_app
    idea_id = make_idea(app, make_user(app), title="Benker i skyggen")
    writer, other = make_user(app), make_user(app)
    own = make_comment(app, writer, idea_id)
    make_comment(app, other, idea_id, body=f"Se her <!--actions:{own}--> og her")
    html = _logged_in(app, writer).get(f"/ideas/{idea_id}").get_data(as_text=True)
    assert html.count(f'href="/ideas/comments/{own}/edit"') == 1


def test_the_author_still_sees_their_own_page(scene):
    app, idea_id, people, _ = scene
    path = f"/ideas/{idea_id}"
    people["Ola Leser"].get(path)
    author = Browser(app)
    from app.accounts.models import User
    from app.extensions import db
    with app.app_context():
        email = db.session.query(User.email).filter_by(display_name="Ida Forfatter").scalar()
    assert author.submit("/account/login", {"email": email, "password": PASSWORD}).status_code == 302
    html = author.get(path).get_data(as_text=True)
    assert f"/ideas/{idea_id}/edit" in html and "Report this idea" not in html
    assert f"/ideas/{idea_id}/edit" not in people["Ola Leser"].get(path).get_data(as_text=True)


def test_a_kept_idea_page_costs_a_few_statements_whatever_the_comments(scene):
    app, idea_id, people, _ = scene
    path, reader = f"/ideas/{idea_id}", people["Ola Leser"]
    reader.get(path)
    few, _ = _cost(app, reader, path)
    commenter = make_user(app)
    for n in range(25):
        make_comment(app, commenter, idea_id, body=f"Kommentar nummer {n}")
    reader.get(path)
    many, html = _cost(app, reader, path)
    assert "Kommentar nummer 24" in html
    assert few == many <= 4   # the person, the idea, their support, their reports
