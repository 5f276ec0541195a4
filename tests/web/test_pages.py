"""The public pages: districts, effort areas, the pages about the service, health."""
from __future__ import annotations

import pytest

from app import create_app
from app.districts.models import District
from app.extensions import db
from tests.helpers import count_queries, make_idea, make_user, soup

PUBLIC_PAGES = ["/", "/districts/", "/districts/lademoen", "/districts/tempe-sorgenfri", "/districts/mollenberg",
                "/effort-areas/1", "/effort-areas/2", "/effort-areas/3", "/effort-areas/4",
                "/privacy", "/accessibility", "/house-rules", "/account/register", "/account/login", "/account/reset",
                "/ideas/", "/districts/lademoen/feedback"]


@pytest.mark.parametrize("path", PUBLIC_PAGES)
def test_public_page_is_in_the_layout_with_landmarks(client, path):
    response = client.get(path)
    assert response.status_code == 200
    page = soup(response)
    assert page.find("main", id="main") is not None
    assert page.find("a", class_="skip-link")["href"] == "#main"
    assert page.find("header") and page.find("footer") and page.find("h1")
    assert len(response.get_data()) < 50_000
    # The Content-Security-Policy allows no inline code: none may be written.
    assert all(script.get("src") for script in page.find_all("script"))
    assert not page.find_all("style") and not page.find_all(style=True)
    assert not [tag for tag in page.find_all(True) if any(attr.startswith("on") for attr in tag.attrs)]


def test_home_lists_the_three_districts_and_four_effort_areas(client):
    page = soup(client.get("/?lang=en"))
    links = {a["href"] for a in page.find_all("a")}
    assert {"/districts/lademoen", "/districts/tempe-sorgenfri", "/districts/mollenberg"} <= links
    assert {f"/effort-areas/{n}" for n in range(1, 5)} <= links


def test_effort_area_shows_the_agreements_bokmal_text(client):
    page = client.get("/effort-areas/3?lang=nb").get_data(as_text=True)
    assert "Å skape gode bo- og nærmiljø" in page
    assert "Sosial boligpolitikk" in page
    assert "trygghet, trivsel og tilhørighet" in page


def test_effort_area_in_nynorsk_and_english_is_marked_as_an_unofficial_translation(client):
    english = soup(client.get("/effort-areas/1?lang=en"))
    assert "Opportunities for all" in english.find("h1").get_text()
    assert english.find(class_="notice") is not None
    assert soup(client.get("/effort-areas/1?lang=nn")).find(class_="notice") is not None
    assert soup(client.get("/effort-areas/1?lang=nb")).find(class_="notice") is None


def test_district_page_in_each_language(client):
    for lang in ("nb", "nn", "en"):
        page = soup(client.get(f"/districts/mollenberg?lang={lang}"))
        assert page.find("h1").get_text(strip=True) == "Møllenberg"
        assert page.find("html")["lang"] == lang


def test_unknown_district_and_effort_area_are_404(client):
    assert client.get("/districts/saupstad").status_code == 404
    assert client.get("/effort-areas/9").status_code == 404
    assert client.get("/effort-areas/x").status_code == 404


def test_a_fourth_district_needs_no_code(app, client):
    with app.app_context():
        db.session.add(District(slug="saupstad", name_nb="Saupstad", name_nn="Saupstad", name_en="Saupstad",
                                description_nb="Ny bydel.", description_nn="Ny bydel.", description_en="New district."))
        db.session.commit()
    assert client.get("/districts/saupstad").status_code == 200
    assert "/districts/saupstad" in client.get("/").get_data(as_text=True)


@pytest.mark.parametrize("lang, actions", [
    ("nb", ["Foreslå en idé", "Se hva som skjer", "Gi tilbakemelding"]),
    ("nn", ["Kom med ein idé", "Sjå kva som skjer", "Gi tilbakemelding"]),
    ("en", ["Propose an idea", "See what is happening", "Give feedback"]),
])
def test_home_offers_three_actions_before_anything_else_to_read(client, lang, actions):
    main = soup(client.get(f"/?lang={lang}")).find("main")
    row = main.find("ul", class_="actions")
    assert [a.get_text(strip=True) for a in row.find_all("a", class_="button")] == actions
    assert [a["href"] for a in row.find_all("a")] == ["/ideas/new", "/events/", "/feedback/"]
    # straight after the lead paragraph: before the district cards and the longer text
    assert row.find_previous_sibling() is main.find("p", class_="lead")


def test_district_page_shows_three_ideas_per_status_newest_first_and_links_to_the_rest(app, client):
    from datetime import timedelta

    from app.core.db import utcnow
    from app.ideas.models import Idea

    author = make_user(app)
    now = utcnow()
    for n in range(8):
        make_idea(app, author, title=f"Ferdig idé {n}", status="done", effort_area_id=3, updated_at=now - timedelta(days=n))
    for n in range(2):
        make_idea(app, author, title=f"Svart idé {n}", status="answered", effort_area_id=1)
    make_idea(app, author, title="Ferdig på Møllenberg", district="mollenberg", status="done", effort_area_id=3)
    client.get("/districts/lademoen")
    with count_queries(app) as few:
        page = soup(client.get("/districts/lademoen?lang=en"))
    done = page.find(id="outcome-done")
    assert done.get_text(strip=True) == "Carried out (8)"
    assert [a.get_text() for a in done.find_next_sibling("ul").find_all("a")] == ["Ferdig idé 0", "Ferdig idé 1", "Ferdig idé 2"]
    see_all = done.find_next_sibling("p").find("a")
    assert see_all.get_text() == "See all 8"
    assert see_all["href"] in ("/ideas/?status=done&district=lademoen", "/ideas/?district=lademoen&status=done")
    listed = soup(client.get(see_all["href"])).get_text()
    assert "Ferdig idé 7" in listed and "Svart idé 0" not in listed and "Ferdig på Møllenberg" not in listed
    answered = page.find(id="outcome-answered")
    assert len(answered.find_next_sibling("ul").find_all("li")) == 2
    after = answered.find_next_sibling("ul").find_next_sibling()
    assert after is None or "See all" not in after.get_text()  # all of them shown: nothing more to see
    # thirty more ideas under the same status cost no more queries
    for n in range(30):
        make_idea(app, author, title=f"Mer {n}", status="done", effort_area_id=3, updated_at=now - timedelta(days=20 + n))
    with count_queries(app) as many:
        client.get("/districts/lademoen?lang=en")
    assert len(many) == len(few)
    with app.app_context():
        assert db.session.query(Idea).count() == 41


def test_district_page_shows_the_start_of_a_long_answer_and_links_to_the_whole_of_it(app, client):
    from app.submissions.models import StatusChange

    idea = make_idea(app, make_user(app), title="Lys i Lademoen", status="done", effort_area_id=3)
    answer = " ".join(["Vi har satt opp nye lys langs gangveien ved parken."] * 12) + " Siste setning."
    with app.app_context():
        db.session.add(StatusChange(submission_id=idea, old_status="routed", new_status="done", effort_area_id=3,
                                    public_answer=answer, public_answer_html=f"<p>{answer}</p>"))
        short = make_idea(app, make_user(app), title="Benk ved elva", status="done", effort_area_id=3)
        db.session.add(StatusChange(submission_id=short, old_status="routed", new_status="done", effort_area_id=3,
                                    public_answer="Benken er satt opp.", public_answer_html="<p>Benken er satt opp.</p>"))
        db.session.commit()
    for lang, link_text in (("nb", "Les hele svaret"), ("nn", "Les heile svaret"), ("en", "Read the whole answer")):
        page = soup(client.get(f"/districts/lademoen?lang={lang}"))
        whole_short, shown = page.select("#outcome-done ~ ul .answer")
        assert whole_short.get_text() == "Benken er satt opp."  # short: shown whole, nothing more to read
        text = shown.get_text()
        assert len(text) < 220 and text.endswith("…") and "Siste setning" not in text
        assert text.startswith("Vi har satt opp nye lys") and shown["lang"] == "nb"  # no nn or en text: Bokmål, said so
        [link] = page.find_all("a", string=link_text)
        assert link["href"] == f"/ideas/{idea}#answer"
    # The idea's own page gives the whole answer, where the link points.
    whole = soup(client.get(f"/ideas/{idea}")).find(id="answer")
    assert answer in whole.get_text()


@pytest.mark.parametrize("path", ["/", "/districts/", "/districts/lademoen", "/effort-areas/3"])
def test_query_count_does_not_grow_with_the_number_of_districts(app, client, path):
    client.get(path)
    with count_queries(app) as before:
        client.get(path)
    with app.app_context():
        for n in range(5):
            db.session.add(District(slug=f"extra-{n}", name_nb=f"Ekstra {n}", name_nn=f"Ekstra {n}", name_en=f"Extra {n}"))
        db.session.commit()
    with count_queries(app) as after:
        client.get(path)
    # A district page also draws its map: its meeting places and its newest ideas with a place are two more.
    assert len(after) == len(before) <= (8 if path == "/districts/lademoen" else 6)


def test_privacy_notice_states_controller_and_retention_from_settings(app_factory):
    app = app_factory(REGISTRATION_RETENTION_DAYS=12, CONTACT_ORGANISATION="Testkommune")
    text = app.test_client().get("/privacy?lang=en").get_data(as_text=True)
    assert "Testkommune" in text
    assert "12 days" in text


def test_accessibility_statement_points_to_the_official_statement(app_factory):
    app = app_factory(ACCESSIBILITY_STATEMENT_URL="https://uustatus.no/nb/erklaringar/test")
    page = soup(app.test_client().get("/accessibility"))
    assert page.find("a", href="https://uustatus.no/nb/erklaringar/test") is not None


def test_footer_links_to_privacy_accessibility_and_house_rules(client):
    footer = soup(client.get("/")).find("footer")
    hrefs = {a["href"] for a in footer.find_all("a")}
    assert {"/privacy", "/accessibility", "/house-rules"} <= hrefs


def test_healthz_answers_200_when_the_database_answers(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json["database"] == "up"


def test_healthz_and_pages_answer_503_when_the_database_does_not(tmp_path):
    down = create_app("testing", {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/missing/db.sqlite3"})
    client = down.test_client()
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json["database"] == "down"
    page = client.get("/districts/lademoen")
    assert page.status_code == 503
    assert soup(page).find("main") is not None
