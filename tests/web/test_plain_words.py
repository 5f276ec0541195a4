"""Residents meet the effort areas by short plain names and the statuses in plain words; the
agreement's official titles stay, exactly as it writes them, on each effort area's own page."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from app.core.models import AuditEntry
from app.districts.models import EffortArea
from app.districts.seed_data import EFFORT_AREAS
from app.extensions import db
from app.ideas.models import Idea
from tests.helpers import Browser, make_idea, make_user, soup

AGREEMENT = Path("/work/shared/seed/intensjonsavtale-omradesatsinger-trondheim-2024.txt")
OFFICIAL_4 = "Forsknings, Utviklings- og Innovasjonssamarbeid"


def _area(app, number: int) -> EffortArea:
    return db.session.scalar(db.select(EffortArea).where(EffortArea.number == number))


def _route(app, idea_id: int, number: int, status: str = "routed") -> None:
    with app.app_context():
        idea = db.session.get(Idea, idea_id)
        idea.effort_area_id, idea.status = _area(app, number).id, status
        db.session.commit()


# --- the agreement's titles and the plain names ------------------------------------------------------


def test_the_seeded_titles_are_the_agreements_own_words():
    numbered = re.findall(r"^(\d)\) (.+)$", AGREEMENT.read_text(encoding="utf-8"), re.MULTILINE) \
        if AGREEMENT.exists() else [("4", OFFICIAL_4)]
    titles = {area["number"]: area["title"]["nb"] for area in EFFORT_AREAS}
    for number, title in numbered:
        assert titles[int(number)] == title.strip()
    assert titles[4] == OFFICIAL_4


def test_every_effort_area_has_a_short_plain_name_and_one_line_in_every_language():
    for area in EFFORT_AREAS:
        for locale in ("nb", "nn", "en"):
            name, line = area["public_name"][locale], area["public_explanation"][locale]
            assert 0 < len(name) <= 30 and name != area["title"][locale]
            assert 0 < len(line) <= 120 and "\n" not in line


def test_seed_fills_plain_names_only_where_empty(app):
    with app.app_context():
        mine = _area(app, 1)
        mine.public_name_nb = "Jobb og skole"  # an admin's own wording
        empty = _area(app, 3)
        empty.public_name_nn = empty.public_explanation_en = ""
        db.session.commit()
    runner = app.test_cli_runner()
    first = runner.invoke(args=["seed"])
    assert first.exit_code == 0 and "plain names filled in for 1 effort areas" in first.output
    assert "plain names filled in for 0 effort areas" in runner.invoke(args=["seed"]).output
    with app.app_context():
        assert _area(app, 1).public_name_nb == "Jobb og skole"
        assert (_area(app, 3).public_name_nn, _area(app, 3).public_explanation_en) == (
            "Bustad og nærmiljø", "Homes, safety, traffic, outdoor spaces and meeting places where you live.")


# --- what residents see ------------------------------------------------------------------------------


def test_cards_filters_and_forms_name_the_area_plainly_and_its_page_keeps_the_official_title(app, client, login_as):
    author = make_user(app)
    idea_id = make_idea(app, author, title="Lys på stien langs elva")
    _route(app, idea_id, 3)
    card = soup(client.get("/ideas/?lang=nb")).select_one(".idea-summary")
    assert "Bolig og nærmiljø" in card.get_text() and "Å skape gode bo- og nærmiljø" not in card.get_text()
    assert "Sendt til riktig fagområde" in card.get_text()
    options = [o.get_text(strip=True) for o in soup(client.get("/ideas/?lang=nb")).select("select#area option")]
    assert options == ["Alle temaer", "Muligheter for alle", "Fellesskap og nabolag", "Bolig og nærmiljø",
                       "Kunnskap og forskning"]
    idea_page = soup(client.get(f"/ideas/{idea_id}?lang=nb")).select_one(".facts").get_text(" ", strip=True)
    assert "Tema Bolig og nærmiljø" in idea_page
    area_page = soup(client.get("/effort-areas/4?lang=nb"))
    assert area_page.h1.get_text(strip=True) == OFFICIAL_4
    assert "Kunnskap og forskning" in area_page.select_one(".lead").get_text()
    login_as("resident")
    form = soup(client.get("/ideas/new?lang=nb"))
    labels = [o.get_text(strip=True) for o in form.select("select[name=effort_area] option")][1:]
    assert labels == ["Muligheter for alle", "Fellesskap og nabolag", "Bolig og nærmiljø", "Kunnskap og forskning"]
    nn = soup(client.get("/?lang=nn")).select_one(".effort-areas").get_text(" ", strip=True)
    assert "Bustad og nærmiljø" in nn and "Bustader, tryggleik, trafikk" in nn


@pytest.mark.parametrize(("status", "words"), [
    ("new", "Mottatt"), ("routed", "Sendt til riktig fagområde"), ("in_progress", "Vi jobber med den"),
    ("done", "Gjennomført"), ("not_pursued", "Ikke aktuelt nå – se svaret"),
])
def test_statuses_are_in_plain_words(app, client, status, words):
    idea_id = make_idea(app, make_user(app))
    if status != "new":
        _route(app, idea_id, 2, status)
    facts = soup(client.get(f"/ideas/{idea_id}?lang=nb")).select_one(".facts").get_text(" ", strip=True)
    assert words in facts


def test_a_new_idea_says_its_status_once(app, client):
    idea_id = make_idea(app, make_user(app))
    page = soup(client.get(f"/ideas/{idea_id}?lang=nb")).select_one(".idea").get_text(" ", strip=True)
    card = soup(client.get("/ideas/?lang=nb")).select_one(".idea-summary").get_text(" ", strip=True)
    for text in (page, card):
        assert text.count("Mottatt") == 1 and "Ikke behandlet" not in text


# --- the administration ------------------------------------------------------------------------------


@pytest.fixture
def admin(client, login_as):
    user = login_as("admin", two_factor=True)
    client.set_cookie("lang", "en")
    return user


def test_an_admin_changes_a_plain_name_and_the_audit_log_names_the_field(app, client, admin):
    page = soup(client.get("/admin/effort-areas/2/edit"))
    assert page.find("input", {"name": "public_name_nb"})["value"] == "Fellesskap og nabolag"
    response = client.submit("/admin/effort-areas/2/edit", {"public_name_nb": "Naboskap",
                                                           "public_explanation_en": "Doing things together."})
    assert response.status_code == 302
    [entry] = _entries(app)
    assert sorted(entry.changed_fields) == ["public_explanation_en", "public_name_nb"]
    assert "plain name in Bokmål" in soup(client.get("/moderation/audit")).select("tbody tr")[0].get_text()
    assert "Naboskap" in Browser(app).get("/?lang=nb").get_data(as_text=True)
    areas = soup(client.get("/admin/districts")).find(id="areas-title").find_parent("section").get_text()
    assert "Community and neighbours" in areas and "Bygge lokalsamfunn" not in areas and "Build" in areas


def _entries(app):
    with app.app_context():
        return list(db.session.scalars(db.select(AuditEntry).where(AuditEntry.action == "effort_area.update")))


@pytest.mark.parametrize(("data", "field", "message"), [
    ({"public_name_nb": ""}, "public_name_nb", "Give the plain name in Bokmål"),
    ({"public_name_en": "x" * 61}, "public_name_en", "under 60 characters"),
    ({"public_explanation_nn": "a\u0007b"}, "public_explanation_nn", ""),
])
def test_a_wrong_plain_name_is_refused_beside_its_field_and_nothing_is_saved(app, client, admin, data, field, message):
    response = client.submit("/admin/effort-areas/1/edit", data)
    assert response.status_code == 400
    error = soup(response).find(id=f"{field}-error")
    assert error is not None and message in error.get_text()
    assert _entries(app) == []


def test_norwegian_is_a_spoken_language_bokmaal_is_only_written(app, client):
    from tests.helpers import make_event, make_organisation

    event_id = make_event(app, make_organisation(app), languages="nb,ar")
    for lang, words in (("nb", "Norsk, Arabisk"), ("nn", "Norsk, Arabisk"), ("en", "Norwegian, Arabic")):
        facts = soup(client.get(f"/events/{event_id}?lang={lang}")).get_text(" ", strip=True)
        assert words in facts and "norsk bokmål" not in facts.lower() and "Norwegian Bokmål" not in facts, lang
