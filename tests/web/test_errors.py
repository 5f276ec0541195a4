"""Error pages: in the layout, translated, and never a traceback."""
from __future__ import annotations

import logging

import pytest
from flask import abort

from app.core.permissions import public
from tests.helpers import soup


@pytest.fixture
def failing_app(app):
    @app.get("/_test/boom")
    @public
    def boom():
        raise RuntimeError("secret detail")

    @app.get("/_test/abort/<int:code>")
    @public
    def abort_with(code):
        abort(code)

    return app


@pytest.mark.parametrize("code", [400, 403, 404, 405, 429, 500, 503])
def test_error_pages_are_in_the_layout_and_translated(failing_app, code):
    client = failing_app.test_client()
    nb = client.get(f"/_test/abort/{code}")
    en = client.get(f"/_test/abort/{code}?lang=en")
    assert nb.status_code == en.status_code == code
    assert soup(nb).find("main") is not None and soup(nb).find("h1") is not None
    assert soup(nb).find("h1").get_text() != soup(en).find("h1").get_text()


def test_500_shows_an_incident_id_that_is_in_the_log_and_no_traceback(failing_app, caplog):
    with caplog.at_level(logging.ERROR):
        response = failing_app.test_client().get("/_test/boom?lang=en")
    assert response.status_code == 500
    text = response.get_data(as_text=True)
    assert "Traceback" not in text and "secret detail" not in text
    incident = soup(response).find("main").get_text()
    logged = " ".join(r.getMessage() for r in caplog.records)
    ids = [word.strip(".") for word in incident.split() if len(word.strip(".")) == 12 and word.strip(".").isalnum()]
    assert ids and ids[0] in logged


def test_503_says_when_to_try_again(failing_app):
    response = failing_app.test_client().get("/_test/abort/503")
    assert response.status_code == 503 and int(response.headers["Retry-After"]) > 0


def test_405_for_wrong_method(client):
    response = client.post("/privacy")
    assert response.status_code in (400, 405)  # CSRF is checked before the method is refused
    response = client.get("/account/logout")
    assert response.status_code == 405
    assert "POST" in response.headers["Allow"]


@pytest.mark.parametrize("path", ["/ideas/99999999999999999999", "/effort-areas/99999999999999999999",
                                  "/meeting-places/99999999999999999999", "/ideas/?page=²", "/ideas/1?comments=²",
                                  "/ideas/?page=99999999999999999999999"])
def test_odd_numbers_in_addresses_give_a_page_not_a_crash(client, path):
    assert client.get(path).status_code in (200, 404)


def test_a_stale_form_on_a_rate_limited_page_gets_429_not_500(app, client, login_as):
    login_as("resident")
    statuses = {client.post("/account/email", data={"csrf_token": "stale"}).status_code for _ in range(12)}
    assert 500 not in statuses and 429 in statuses
