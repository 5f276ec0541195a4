"""The indicators in the API: the same figures as the public download, for everyone who asks."""
from __future__ import annotations

import json

import pytest

from tests.data.test_indicators import build


@pytest.fixture
def figures_app(app):
    build(app)
    return app


def test_the_api_gives_the_same_figures_as_the_public_download(figures_app, client):
    query = "from=2025&to=2025&by=quarter&district=mollenberg"
    api = client.get(f"/api/v1/indicators?{query}")
    assert api.status_code == 200
    download = json.loads(client.get(f"/insights/export.json?{query}").data)
    assert api.get_json() == download
    rows = {(r["period"], r["effort_area"], r["indicator"]): r for r in api.get_json()["rows"]}
    assert rows[("2025-Q1", 1, "ideas")]["value"] == 6
    assert rows[("2025-Q3", 2, "registrations")] == {"period": "2025-Q3", "district": "mollenberg", "effort_area": 2,
                                                     "indicator": "registrations", "value": None, "suppressed": True}


def test_several_districts_or_all(figures_app, client):
    both = client.get("/api/v1/indicators?from=2025&to=2025&district=lademoen&district=mollenberg").get_json()
    assert both["districts"] == ["lademoen", "mollenberg"]
    assert {row["district"] for row in both["rows"]} == {"lademoen", "mollenberg"}
    every = client.get("/api/v1/indicators?from=2025&to=2025").get_json()
    assert every["districts"] == ["lademoen", "tempe-sorgenfri", "mollenberg"]


def test_moderators_get_public_figures_from_the_api(figures_app, client, login_as):
    login_as("moderator", districts=("mollenberg",))
    rows = client.get("/api/v1/indicators?from=2025&to=2025&district=mollenberg").get_json()["rows"]
    hidden = next(r for r in rows if r["effort_area"] == 1 and r["indicator"] == "days_to_answer")
    assert hidden == {"period": "2025", "district": "mollenberg", "effort_area": 1, "indicator": "days_to_answer",
                      "value": None, "suppressed": True}


@pytest.mark.parametrize("query, parameter", [
    ("from=1999", "from"), ("to=2025-00", "to"), ("by=week", "by"), ("district=atlantis", "district"),
    ("from=2025&from=2026", "from"), ("district=lademoen&district=mollenberg&district=lademoen", "district"),
])
def test_choices_it_cannot_count_are_refused_with_the_parameter_named(app, client, query, parameter):
    response = client.get(f"/api/v1/indicators?{query}")
    assert response.status_code == 400
    assert response.headers["Content-Type"] == "application/problem+json"
    assert response.get_json()["parameter"] == parameter


def test_the_ends_may_come_in_either_order_and_months_are_not_capped(app, client):
    """Programs read the figures, not people: a long monthly series is fine, and every value the
    description allows is answered."""
    period = client.get("/api/v1/indicators?from=2026&to=2025-03&by=quarter").get_json()["period"]
    assert period == {"from": "2025-01", "to": "2026-12", "by": "quarter"}
    monthly = client.get("/api/v1/indicators?from=2024&to=2028&by=month&district=lademoen").get_json()
    assert len({row["period"] for row in monthly["rows"] if row["period"][5:6] != "Q"}) == 60
