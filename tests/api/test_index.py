"""/api/v1 says what the API has, /open-data says it to people, and every link in an answer is absolute on
BASE_URL, whatever Host the request names."""
from __future__ import annotations

import html
import re

from config import TestingConfig
from tests.helpers import make_event, make_idea, make_organisation, make_user

BASE = TestingConfig.BASE_URL
FORGED = {"Host": "angriper.example"}


def _api_paths(app) -> set[str]:
    return {re.sub(r"<(?:int:)?([a-z_]+)>", r"{\1}", rule.rule) for rule in app.url_map.iter_rules()
            if rule.rule == "/api/v1" or rule.rule.startswith("/api/v1/")}


def test_the_index_lists_every_endpoint_and_where_the_api_is_described(app, client):
    body = client.get("/api/v1").get_json()
    assert {endpoint["path"] for endpoint in body["endpoints"]} == _api_paths(app)
    assert all(endpoint["method"] == "GET" and endpoint["summary"] for endpoint in body["endpoints"])
    assert body["openapi"] == f"{BASE}/api/openapi.json" and body["documentation"] == f"{BASE}/open-data"
    ideas = next(e for e in body["endpoints"] if e["path"] == "/api/v1/ideas/{idea_id}")
    assert ideas["url"] == f"{BASE}/api/v1/ideas/{{idea_id}}"
    assert client.get(body["openapi"].removeprefix(BASE)).status_code == 200


def test_the_index_is_described_in_the_openapi_document(client):
    operation = client.get("/api/openapi.json").get_json()["paths"]["/api/v1"]["get"]
    assert operation["responses"]["200"]["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/Index"}


def test_links_in_answers_are_absolute_on_base_url_even_with_a_forged_host(app):
    author = make_user(app)
    idea = make_idea(app, author)
    organisation = make_organisation(app, make_user(app))
    event = make_event(app, organisation, starts_in_days=3)
    client = app.test_client()
    answers = [client.get(path, headers=FORGED).get_data(as_text=True)
               for path in ("/api/v1", "/api/v1/districts", "/api/v1/effort-areas", "/api/v1/ideas",
                            f"/api/v1/ideas/{idea}", "/api/v1/events", f"/api/v1/events/{event}",
                            "/api/v1/districts.geojson")]
    links = [link for answer in answers for link in re.findall(r'"(?:url|calendar_url|openapi|documentation)": ?"([^"]*)"', answer)]
    assert len(links) > 15
    assert all(link.startswith(f"{BASE}/") for link in links), links
    assert not any("angriper" in answer for answer in answers)
    [listed] = client.get("/api/v1/ideas", headers=FORGED).get_json()["items"]
    assert listed["url"] == f"{BASE}/ideas/{idea}"


def test_the_api_page_names_every_path_its_parameters_and_fields(client):
    document = client.get("/api/openapi.json").get_json()
    page = client.get("/open-data")
    assert page.status_code == 200
    text = html.unescape(page.get_data(as_text=True)).replace("<wbr>", "")
    for path in document["paths"]:
        assert f"GET {path}</code>" in text, path
    # Parameters and nested fields of the answer, as the document names them.
    assert "<code>free_seats</code>" in text and "<code>answers[].answer_html_by_language.nn</code>" in text
    assert "<script" not in text.split("</header>", 1)[1]


def test_the_api_page_is_in_the_readers_language_and_linked_from_every_page(client):
    assert 'href="/open-data"' in client.get("/").get_data(as_text=True)
    for language, heading in (("nb", "Åpne data"), ("nn", "Opne data"), ("en", "Open data")):
        text = client.get(f"/open-data?lang={language}").get_data(as_text=True)
        assert f"<h1>{heading}" in text, language
