"""The description at /api/openapi.json: valid OpenAPI 3.1, complete, and strict enough to catch drift."""
from __future__ import annotations

import re

import schemathesis

from app.api.params import KEY_PATTERN, MAX_SKIPPED
from app.districts.services import seed
from app.extensions import db

OPERATIONS_WITH_QUERY = {"/api/v1/ideas", "/api/v1/events", "/api/v1/meeting-places", "/api/v1/indicators",
                         "/api/v1/ideas.geojson", "/api/v1/meeting-places.geojson"}


def _document(client) -> dict:
    response = client.get("/api/openapi.json")
    assert response.status_code == 200 and response.mimetype == "application/json"
    return response.get_json()


def test_it_is_valid_openapi_3_1_about_public_data_under_nlod(app, client):
    schemathesis.openapi.from_wsgi("/api/openapi.json", app).validate()
    document = _document(client)
    assert document["openapi"] == "3.1.0"
    info = document["info"]
    assert info["title"] == "Medvirk API" and info["version"]
    assert "public" in info["description"] and "NLOD" in info["description"]
    assert info["license"]["url"] in ("https://data.norge.no/nlod/no/2.0", "https://data.norge.no/nlod/en/2.0")
    assert document["servers"] == [{"url": "/"}]


def test_every_api_route_is_described_and_nothing_else(app, client):
    routes = {re.sub(r"<(?:int:)?([a-z_]+)>", r"{\1}", rule.rule) for rule in app.url_map.iter_rules()
              if rule.rule == "/api/v1" or rule.rule.startswith("/api/v1/")}
    assert set(_document(client)["paths"]) == routes


def test_every_operation_names_its_answers_and_every_parameter_its_schema(client):
    document = _document(client)
    parameters = document["components"]["parameters"]
    for path, item in document["paths"].items():
        assert set(item) == {"get"}, path
        operation = item["get"]
        expected = {"200", "304", "429"} | ({"400"} if path in OPERATIONS_WITH_QUERY else set())
        expected |= {"404"} if "{" in path else set()
        assert set(operation["responses"]) == expected, path
        for parameter in operation.get("parameters", []):
            if "$ref" in parameter:
                parameter = parameters[parameter["$ref"].rsplit("/", 1)[1]]
            assert parameter["schema"]["type"] in ("string", "integer", "boolean", "array"), (path, parameter)
    # Numbered pages skip rows: only the first MAX_SKIPPED rows' pages; the rest by key (after, before).
    assert parameters["page"]["schema"] == {"type": "integer", "minimum": 1, "maximum": MAX_SKIPPED // 20, "default": 1}
    assert parameters["feature_page"]["schema"]["maximum"] == MAX_SKIPPED // 200
    assert parameters["after"]["schema"] == parameters["before"]["schema"] == {
        "type": "string", "pattern": f"^{KEY_PATTERN}$"}
    assert parameters["q"]["schema"]["maxLength"] == 200


def _objects(schema, where: str = ""):
    if isinstance(schema, dict):
        kinds = schema.get("type")
        if kinds == "object" or (isinstance(kinds, list) and "object" in kinds):
            yield where, schema
        for key, value in schema.items():
            yield from _objects(value, f"{where}/{key}")
    elif isinstance(schema, list):
        for n, value in enumerate(schema):
            yield from _objects(value, f"{where}/{n}")


def test_every_object_in_an_answer_is_closed_and_nullable_fields_say_so(client):
    schemas = _document(client)["components"]["schemas"]
    objects = list(_objects(schemas))
    assert len(objects) > 10
    for where, schema in objects:
        assert schema.get("additionalProperties") is False, where
    assert schemas["Idea"]["properties"]["effort_area"]["type"] == ["integer", "null"]
    assert schemas["Event"]["properties"]["capacity"]["type"] == ["integer", "null"]


def test_districts_and_effort_areas_are_listed_from_the_data(app, client):
    from app.districts.seed_data import DISTRICTS, EFFORT_AREAS

    parameters = _document(client)["components"]["parameters"]
    assert parameters["district"]["schema"]["enum"] == ["lademoen", "tempe-sorgenfri", "mollenberg"]
    assert parameters["area"]["schema"]["enum"] == [1, 2, 3, 4]
    fourth = dict(DISTRICTS[0], slug="saupstad")
    with app.app_context():
        seed(DISTRICTS + [fourth], EFFORT_AREAS)
        db.session.commit()
    assert _document(client)["components"]["parameters"]["district"]["schema"]["enum"][-1] == "saupstad"
    assert client.get("/api/v1/ideas?district=saupstad").status_code == 200
