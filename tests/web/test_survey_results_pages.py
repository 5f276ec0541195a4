"""The area survey's results in public: the comparison page, its downloads and the API show the same
figures, hide the same ones, and never a word of free text."""
from __future__ import annotations

import csv
import io

import pytest

from app.surveys.models import Channel
from tests.helpers import count_queries, make_user, soup
from tests.survey_fixtures import make_survey_round
from tests.survey_results_fixtures import SECRET_TEXT, add_answers, close, known_data


@pytest.fixture
def closed(app):
    ids = make_survey_round(app, make_user(app, role="admin").id)
    known_data(app, ids)
    close(app, ids)
    return ids


def _everything(client, ids) -> dict[str, str]:
    pages = {path: client.get(path) for path in (
        "/insights/", "/insights/surveys", f"/insights/surveys/{ids.survey}", "/insights/about",
        f"/insights/surveys/{ids.survey}/results.csv", f"/insights/surveys/{ids.survey}/results.json",
        "/api/v1/surveys", f"/api/v1/surveys/{ids.survey}/results", "/api/openapi.json")}
    for path, response in pages.items():
        assert response.status_code == 200, path
    return {path: response.get_data(as_text=True) for path, response in pages.items()}


def test_free_text_appears_on_no_public_page_download_or_api_answer(client, closed):
    for path, body in _everything(client, closed).items():
        assert SECRET_TEXT not in body and "Kari" not in body, path


def test_the_page_compares_the_answers_and_hides_small_figures(client, closed):
    page = soup(client.get(f"/insights/surveys/{closed.survey}?lang=en"))
    assert page.h1.get_text(strip=True) == "The area survey"
    tables = {t.caption.get_text(strip=True): t for t in page.select("section.survey-question table")}
    assert "Møllenberg" in tables and "All districts" in tables
    text = page.get_text(" ", strip=True)
    assert "50 % (10)" in text              # Møllenberg's 4s and 5s
    assert " hidden " in text               # Lademoen's points of the scale
    assert "3.7" in text                    # Lademoen's mean stays
    assert page.find("svg") is not None and "self-selected" in text


def test_the_downloads_and_the_api_hide_the_same_figures(client, closed):
    path = f"/insights/surveys/{closed.survey}/results"
    from_csv = list(csv.DictReader(io.StringIO(client.get(path + ".csv").get_data(as_text=True))))
    as_json = client.get(path + ".json")
    api = client.get(f"/api/v1/surveys/{closed.survey}/results").get_json()
    assert as_json.headers["Link"] == '<https://data.norge.no/nlod/no/2.0>; rel="license"'
    assert as_json.get_json()["rows"] == api["rows"]
    assert len(from_csv) == len(api["rows"])
    for row, line in zip(api["rows"], from_csv, strict=True):
        assert (line["suppressed"] == "true") == row["suppressed"]
        assert (row["value"] is None) == (line["value"] == "") or not row["suppressed"]
    hidden = [row for row in api["rows"] if row["suppressed"]]
    assert hidden and all(row["value"] is None for row in hidden)
    text_rows = [row for row in api["rows"] if row["question"] == "anything_else"]
    assert {row["figure"] for row in text_rows} == {"answers"}
    assert api["licence"]["url"] == "https://data.norge.no/nlod/no/2.0"


def test_a_survey_without_an_opened_round_is_not_found(client, app):
    ids = make_survey_round(app, make_user(app, role="admin").id, opens_in_days=3, closes_in_days=30)
    for path in (f"/insights/surveys/{ids.survey}", f"/insights/surveys/{ids.survey}/results.csv",
                 f"/api/v1/surveys/{ids.survey}/results"):
        assert client.get(path).status_code == 404, path
    assert client.get("/api/v1/surveys").get_json() == {"items": []}


def test_an_open_round_is_named_with_its_closing_day_and_its_figures_wait(client, app):
    ids = make_survey_round(app, make_user(app, role="admin").id)
    known_data(app, ids)
    page = soup(client.get(f"/insights/surveys/{ids.survey}?lang=en"))
    assert "høsten 2026 is open until" in page.get_text(" ", strip=True)
    assert not page.select("section.survey-question")


def test_the_insights_page_links_the_survey_and_labels_feedback_ratings_self_selected(client):
    page = soup(client.get("/insights/?lang=en"))
    assert page.find("a", href="/insights/surveys")
    assert "chose to send feedback (self-selected)" in page.select_one("#ratings-self-selected").get_text()


def test_the_about_page_describes_the_area_survey(client):
    section = soup(client.get("/insights/about?lang=en")).find(id="survey")
    text = section.find_next("ul").get_text(" ", strip=True)
    assert "self-selected" in text and "response rate" in text and "deleted" in text


def test_the_pages_cost_the_same_number_of_queries_however_many_answered(app, client, closed):
    def costs() -> list[int]:
        found = []
        for path in (f"/insights/surveys/{closed.survey}", f"/insights/surveys/{closed.survey}/results.json",
                     f"/api/v1/surveys/{closed.survey}/results", "/insights/surveys", "/api/v1/surveys"):
            with count_queries(app) as statements:
                assert client.get(path).status_code == 200
            found.append(len(statements))
        return found

    before = costs()
    add_answers(app, closed, "lademoen", [{"safety": 2, "uses": "no"}] * 50, Channel.PAPER)
    assert costs() == before


def test_the_index_lists_surveys_with_their_rounds_and_the_page_reads_in_every_direction(client, closed):
    index = soup(client.get("/insights/surveys?lang=en"))
    link = index.find("a", href=f"/insights/surveys/{closed.survey}")
    assert link.get_text(strip=True) == "The area survey" and "høsten 2026" in link.parent.get_text()
    arabic = client.get(f"/insights/surveys/{closed.survey}?lang=ar")
    assert arabic.status_code == 200 and soup(arabic).find("svg") is not None
    norwegian = soup(client.get(f"/insights/surveys/{closed.survey}?lang=nb")).get_text(" ", strip=True)
    assert "3,7" in norwegian and "skjult" in norwegian and "Områdeundersøkelsen" in norwegian
