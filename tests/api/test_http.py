"""How the API answers over HTTP: cacheable, conditional, open to any origin, without cookies,
rate limited, and with errors as problem details, never a 500."""
from __future__ import annotations

import re

import pytest
from flask import abort

from tests.api.crawl import LISTS, crawl
from tests.helpers import make_event, make_idea, make_organisation, make_user

PROBLEM = "application/problem+json"


def _some_of_everything(app) -> None:
    make_idea(app, make_user(app))
    make_event(app, make_organisation(app))


def test_every_answer_has_a_strong_etag_and_may_be_cached_a_minute(app, client):
    _some_of_everything(app)
    for path, response in crawl(app, client):
        if response.status_code != 200:
            continue
        assert re.fullmatch(r'"[0-9a-f]{40}"', response.headers["ETag"]), path
        assert response.headers["Cache-Control"] == "public, max-age=60", path
        assert response.mimetype == ("application/geo+json" if path.split("?")[0].endswith(".geojson")
                                     else "application/json"), path


def test_the_same_etag_gets_304_without_a_body_and_a_change_gets_a_new_answer(app, client):
    author = make_user(app)
    make_idea(app, author)
    first = client.get("/api/v1/ideas")
    etag = first.headers["ETag"]
    again = client.get("/api/v1/ideas", headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.get_data() == b""
    assert again.headers["ETag"] == etag and again.headers["Cache-Control"] == "public, max-age=60"
    assert client.get("/api/v1/ideas", headers={"If-None-Match": f'"other", W/{etag}'}).status_code == 304
    assert client.get("/api/v1/ideas", headers={"If-None-Match": '"other"'}).status_code == 200
    make_idea(app, author, title="Enda en idé")
    changed = client.get("/api/v1/ideas", headers={"If-None-Match": etag})
    assert changed.status_code == 200 and changed.headers["ETag"] != etag


def test_errors_are_never_cached(client):
    for path in ("/api/v1/ideas/999", "/api/v1/ideas?page=0", "/api/v1/nothing-here"):
        assert client.get(path).headers["Cache-Control"] == "no-store", path


def test_any_origin_may_read_the_answers_and_errors(client):
    for method, path in (("GET", "/api/v1/districts"), ("GET", "/api/v1/ideas?page=0"), ("GET", "/api/v1/ideas/999"),
                         ("GET", "/api/v1/nothing-here"), ("POST", "/api/v1/ideas")):
        response = client.open(path, method=method, headers={"Origin": "https://data.example"})
        assert response.headers["Access-Control-Allow-Origin"] == "*", (method, path)
        assert "Access-Control-Allow-Credentials" not in response.headers
    etag = client.get("/api/v1/districts").headers["ETag"]
    assert client.get("/api/v1/districts", headers={"If-None-Match": etag}).headers["Access-Control-Allow-Origin"] == "*"
    preflight = client.options("/api/v1/ideas", headers={"Origin": "https://data.example",
                                                         "Access-Control-Request-Method": "GET",
                                                         "Access-Control-Request-Headers": "if-none-match"})
    assert preflight.status_code == 200 and preflight.headers["Access-Control-Allow-Origin"] == "*"
    assert "GET" in preflight.headers["Access-Control-Allow-Methods"]
    assert preflight.headers["Access-Control-Allow-Headers"] == "If-None-Match"
    assert "ETag" in client.get("/api/v1/districts").headers["Access-Control-Expose-Headers"]
    assert "Access-Control-Allow-Origin" not in client.get("/ideas/").headers


@pytest.mark.parametrize("role", ["resident", "moderator", "admin"])
def test_no_cookie_is_set_and_a_signed_in_person_gets_what_everyone_gets(app, client, login_as, role):
    _some_of_everything(app)
    anonymous = {path: response.get_data() for path, response in crawl(app, app.test_client())}
    login_as(role)
    assert client.get_cookie("session") is not None
    for path, response in crawl(app, client):
        assert "Set-Cookie" not in response.headers, path
        assert "Cookie" not in response.headers.get("Vary", ""), path
        assert response.get_data() == anonymous[path], path
    for path in LISTS:
        response = client.get(f"{path}?lang=en")
        assert "Set-Cookie" not in response.headers and response.headers["Cache-Control"] == "public, max-age=60"
    assert "Set-Cookie" in client.get("/?lang=en").headers  # pages still remember the language


def test_an_address_under_the_api_that_does_not_exist_is_a_problem_in_json_and_pages_keep_their_error_page(client):
    response = client.get("/api/v2/ideas")
    assert response.status_code == 404 and response.mimetype == PROBLEM
    assert set(response.get_json()) == {"title", "status", "detail"} and response.get_json()["status"] == 404
    page = client.get("/no-such-page")
    assert page.status_code == 404 and page.mimetype == "text/html"


def test_only_get_is_answered(client):
    for method in ("POST", "PUT", "DELETE", "PATCH"):
        response = client.open("/api/v1/ideas", method=method)
        assert response.status_code == 405 and response.mimetype == PROBLEM, method
        assert set(response.headers["Allow"].split(", ")) == {"GET", "HEAD", "OPTIONS"}
    assert client.head("/api/v1/ideas").status_code == 200


def test_a_server_error_is_a_problem_with_an_incident_and_no_traceback(app, caplog):
    @app.get("/api/v1/_test/boom")
    def boom():
        raise RuntimeError("secret detail")

    @app.get("/api/v1/_test/unavailable")
    def unavailable():
        abort(503)

    boom.access = unavailable.access = "public"
    client = app.test_client()
    response = client.get("/api/v1/_test/boom")
    body = response.get_json()
    assert response.status_code == 500 and response.mimetype == PROBLEM
    assert "secret detail" not in response.get_data(as_text=True) and "Traceback" not in response.get_data(as_text=True)
    assert body["incident"] in caplog.text
    assert client.get("/api/v1/_test/unavailable").get_json()["status"] == 503


def test_too_many_requests_get_429_with_retry_after(app_factory):
    app = app_factory(API_RATE_LIMIT="3 per minute")
    client = app.test_client()
    assert [client.get("/api/v1/districts").status_code for _ in range(3)] == [200, 200, 200]
    response = client.get("/api/v1/ideas")
    assert response.status_code == 429 and response.mimetype == PROBLEM
    assert response.get_json()["status"] == 429
    assert response.headers["Retry-After"].isdigit() and int(response.headers["Retry-After"]) > 0
    assert response.headers["Access-Control-Allow-Origin"] == "*" and response.headers["Cache-Control"] == "no-store"
    assert client.get("/").status_code == 200  # the pages have limits of their own


ODD = ["q=%00", "q=%F0%9F%98%80%F0%9F%98%80", "q=" + "%C3%A6%C3%B8%C3%A5" * 66, "q=%22%27%3B+DROP+TABLE+ideas%3B--",
       "q=NEAR(lys+stien)", "q=lys*+OR+-x", "q=%FF%FE", "q=++", "page=99999999999999999999999", "page=%C2%B2",
       "page=%EF%BC%91", "district=%00", "district=Lademoen", "area=%D9%A3", "status=%E2%80%8Bnew", "sort=",
       "q=a&q=b", "page=1&page=2", "district[]=lademoen", "q=%E2%80%AE%E2%80%AD"]


@pytest.mark.parametrize("query", ODD)
def test_odd_values_never_give_a_server_error(app, client, query):
    make_idea(app, make_user(app), title="Lys på stien")
    for path in ("/api/v1/ideas", "/api/v1/events", "/api/v1/meeting-places", "/api/v1/ideas.geojson",
                 "/api/v1/meeting-places.geojson"):
        response = client.get(f"{path}?{query}")
        assert response.status_code in (200, 400), (path, query, response.status_code)
        assert response.mimetype in ("application/json", "application/geo+json", PROBLEM)


@pytest.mark.parametrize("path", ["/api/v1/ideas/99999999999999999999", "/api/v1/ideas/-1", "/api/v1/ideas/0",
                                  "/api/v1/events/1e3", "/api/v1/meeting-places/%C2%B2", "/api/v1/events/2147483648"])
def test_odd_ids_are_not_found(client, path):
    response = client.get(path)
    assert response.status_code == 404 and response.mimetype == PROBLEM
