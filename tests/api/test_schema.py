"""Every operation answers as /api/openapi.json describes: for values generated from that description
(positive), for values outside it (negative: refused with 4xx, never a 5xx), and for everything in the
database. The checks are schemathesis' own: no server error, status code, content type, headers and body
as described, valid data accepted and invalid data refused."""
from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode
from schemathesis.core.failures import FailureGroup

from app.api import serialise
from app.api.openapi import PATHS
from tests.api.conftest import fill
from tests.api.crawl import detail_paths
from tests.helpers import build_app, discard_app

# Fixed and bounded, so a run is the same every time and quick.
BOUNDED = settings(max_examples=30, derandomize=True, deadline=None, database=None,
                   suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
DETAILS = {"ideas": ("/api/v1/ideas/{idea_id}", "idea_id"), "events": ("/api/v1/events/{event_id}", "event_id"),
           "meeting-places": ("/api/v1/meeting-places/{place_id}", "place_id")}


@pytest.fixture(scope="module")
def filled_app():
    """One filled app for the module: its tests only read (GET), so none sees another's traces."""
    app = fill(build_app())
    yield app
    discard_app(app)


def _schema(app):
    return schemathesis.openapi.from_wsgi("/api/openapi.json", app)


def check_operation(app, path: str, mode: GenerationMode) -> None:
    operation = _schema(app)[path]["GET"]

    @BOUNDED
    @given(case=operation.as_strategy(generation_mode=mode))
    def answers_as_described(case):
        case.call_and_validate()

    answers_as_described()


@pytest.mark.parametrize("path", sorted(PATHS))
def test_every_operation_answers_as_described(filled_app, path):
    check_operation(filled_app, path, GenerationMode.POSITIVE)


# Only operations with parameters can be sent values outside the description.
@pytest.mark.parametrize("path", sorted(path for path, item in PATHS.items() if item["get"].get("parameters")))
def test_every_operation_refuses_what_is_not_described(filled_app, path):
    check_operation(filled_app, path, GenerationMode.NEGATIVE)


def test_every_page_and_every_detail_in_the_database_is_as_described(filled_app):
    """Generated ids seldom exist, so each one there is (public or not) is asked for too."""
    schema = _schema(filled_app)
    for path in detail_paths(filled_app):
        kind, ident = path.removeprefix("/api/v1/").rsplit("/", 1)
        template, name = DETAILS[kind]
        schema[template]["GET"].Case(path_parameters={name: int(ident)}).call_and_validate()
    for path in ("/api/v1/ideas", "/api/v1/events"):
        pages = filled_app.test_client().get(path).get_json()["pages"]
        assert pages > 1, path
        for page in range(1, pages + 2):
            schema[path]["GET"].Case(query={"page": page}).call_and_validate()


def test_an_answer_that_drifts_from_the_description_fails(filled_app, monkeypatch):
    original = serialise.district
    monkeypatch.setattr(serialise, "district", lambda item: original(item) | {"undescribed": True})
    with pytest.raises(FailureGroup) as failures:
        check_operation(filled_app, "/api/v1/districts", GenerationMode.POSITIVE)
    assert "'undescribed' was unexpected" in str(failures.value.exceptions[0])
