"""The indicators against one small data set counted by hand, on SQLite and on PostgreSQL.

Møllenberg, 2025 (Oslo time), as the public sees it:

- Effort area 1: 6 ideas by 5 people (one written 31 Dec 2024 23:30 UTC, which is
  1 Jan 2025 in Oslo), routed after 1, 2, 3, 4 and 10 days (median 3.0); 4 answered in
  public after 5, 7, 9 and 20 days (median 8.0, but only 4 people: suppressed); 5 comments
  by 5 people; 5 supports by 5 people. A withdrawn and a hidden idea are not counted.
- Effort area 2: 1 idea (1 person: suppressed); 2 published events and 1 cancelled;
  registrations kept: 6 (not cancelled) from 4 people, 2 attended (one party of 2);
  plus an aggregate for March of 10 registrations, 7 attended, 6 participants. Together
  16 registrations, 9 attended, 10 participants: shown.
- Effort area 3: 5 feedback forms routed after 2 days (median 2.0), none answered; safety
  rated 1–5 by all five (mean 3.0), well-being 4 by four of them (suppressed), belonging by none.
- Not routed: 4 feedback forms (4 people: suppressed).
- Lademoen: 1 idea (suppressed, also for Møllenberg's moderator).
"""
from __future__ import annotations

import csv
import io
import json
from datetime import datetime, timedelta, timezone

import pytest

from app.extensions import db
from tests.helpers import count_queries, make_user, soup

UTC = timezone.utc
BASE = datetime(2025, 2, 10, 12, 0, tzinfo=UTC)


def _at(days: float) -> datetime:
    return BASE + timedelta(days=days)


def build(app) -> dict:
    from app.districts.services import get_district, get_effort_area
    from app.events.models import Event, Registration, RegistrationAggregate
    from app.feedback.models import Feedback
    from app.ideas.models import Comment, Idea, Support
    from app.organisations.models import Organisation
    from app.submissions.models import StatusChange

    people = [make_user(app, email=f"person{n}@example.no") for n in range(1, 8)]
    with app.app_context():
        m, lade = get_district("mollenberg"), get_district("lademoen")
        area = {n: get_effort_area(n) for n in (1, 2, 3)}
        serial = iter(range(1, 10_000))

        def idea(author, district, created, effort_area=None, status="new", **state):
            item = Idea(author_id=author.id, district_id=district.id, title=f"Idé {next(serial)}", body="Tekst",
                        body_html="<p>Tekst</p>", created_at=created, status=status,
                        effort_area_id=effort_area.id if effort_area else None, **state)
            db.session.add(item)
            db.session.flush()
            return item

        routed_after, answered_after = [1, 2, 3, 4, 10], [5, 7, 9, 20]
        first = []
        for n, author in enumerate(people[:5]):
            item = idea(author, m, _at(n), area[1], status="answered" if n < 4 else "routed")
            db.session.add(StatusChange(submission_id=item.id, old_status="new", new_status="routed",
                                        effort_area_id=area[1].id, created_at=_at(n + routed_after[n])))
            if n < 4:
                db.session.add(StatusChange(submission_id=item.id, old_status="routed", new_status="answered",
                                            effort_area_id=area[1].id, public_answer="Svar",
                                            public_answer_html="<p>Svar</p>", created_at=_at(n + answered_after[n])))
            first.append(item)
        # Oslo is an hour ahead in winter: this is 1 January 2025 there.
        idea(people[0], m, datetime(2024, 12, 31, 23, 30, tzinfo=UTC), area[1], status="routed")
        idea(people[5], m, _at(20), area[2])
        idea(people[6], m, _at(3), area[1], withdrawn_at=_at(4))
        idea(people[6], m, _at(3), area[1], hidden_at=_at(4), hidden_reason="spam")
        idea(people[0], lade, _at(5), area[1])
        # An idea of December 2025 in UTC that is January 2026 in Oslo.
        idea(people[1], m, datetime(2025, 12, 31, 23, 30, tzinfo=UTC), area[1])

        for n, author in enumerate(people[:5]):
            db.session.add(Comment(author_id=author.id, district_id=m.id, idea_id=first[0].id, body="Enig",
                                   body_html="<p>Enig</p>", created_at=_at(60 + n)))
        for author in people[1:6]:
            db.session.add(Support(idea_id=first[0].id, user_id=author.id, created_at=_at(150)))

        codes = iter(f"CODE{n:04d}" for n in range(100))
        for n in range(4):
            db.session.add(Feedback(district_id=m.id, body="Hei", receipt_code=next(codes), created_at=_at(90 + n)))
        safety, wellbeing = [1, 2, 3, 4, 5], [4, 4, 4, 4, None]
        for n in range(5):
            item = Feedback(district_id=m.id, body="Hei", receipt_code=next(codes), created_at=_at(120 + n),
                            effort_area_id=area[3].id, status="routed", rating_safety=safety[n],
                            rating_wellbeing=wellbeing[n])
            db.session.add(item)
            db.session.flush()
            db.session.add(StatusChange(submission_id=item.id, old_status="new", new_status="routed",
                                        effort_area_id=area[3].id, created_at=_at(122 + n)))

        organisation = Organisation(name="Lag", description="Lag", description_html="<p>Lag</p>",
                                    contact_email="lag@example.no", status="approved")
        db.session.add(organisation)
        db.session.flush()
        september = datetime(2025, 9, 10, 16, 0, tzinfo=UTC)

        def event(status="published"):
            item = Event(organisation_id=organisation.id, district_id=m.id, effort_area_id=area[2].id, title="Kafé",
                         starts_at=september, ends_at=september + timedelta(hours=2), capacity=None, status=status)
            db.session.add(item)
            db.session.flush()
            return item

        one, two = event(), event()
        event("cancelled")
        tokens = iter(range(100))

        def register(target, status="confirmed", user=None, **fields):
            token = next(tokens)
            db.session.add(Registration(event_id=target.id, user_id=user.id if user else None, status=status,
                                        token_nonce=f"n{token}", token_hash=f"h{token}", **fields))

        register(one, user=people[0], party_size=2, attended=True)
        register(one, user=people[1])
        register(one, email="gjest@example.no", name="Gjest")
        register(two, "waitlisted", user=people[1])
        register(one, "cancelled", user=people[3])
        register(two, user=people[0])
        register(two, name="Kari Uten E-post", phone="900 00 000")
        db.session.add(RegistrationAggregate(month="2025-03", district_id=m.id, effort_area_id=area[2].id,
                                             audience="everyone", events=1, registrations=10, seats=10, attended=7,
                                             participants=6))
        db.session.commit()
        return {"moderator_districts": ("mollenberg",)}


@pytest.fixture
def fixture_app(app):
    build(app)
    return app


def _rows(client, query: str) -> dict:
    response = client.get(f"/insights/export.json?{query}")
    assert response.status_code == 200
    document = json.loads(response.data)
    return {(r["period"], r["district"], r["effort_area"], r["indicator"]): r for r in document["rows"]}


def _value(rows, period, district, area, indicator):
    return rows[(period, district, area, indicator)]["value"]


def test_public_figures_match_the_hand_count(fixture_app, client):
    rows = _rows(client, "from=2025&to=2025&by=year")
    m = ("2025", "mollenberg")
    expected = {
        (1, "ideas"): 6, (1, "comments"): 5, (1, "supports"): 5, (1, "submissions"): 6, (1, "answered"): 4,
        (1, "answered_share"): 0.667, (1, "days_to_routing"): 3.0,
        (2, "events"): 2, (2, "registrations"): 16, (2, "attendance"): 9, (2, "participants"): 10,
        (3, "feedback"): 5, (3, "submissions"): 5, (3, "answered"): 0, (3, "answered_share"): 0.0,
        (3, "days_to_routing"): 2.0,
        (4, "ideas"): 0, (None, "events"): 0,
    }
    for (area, indicator), value in expected.items():
        row = rows[(*m, area, indicator)]
        assert (row["value"], row["suppressed"]) == (value, False), (area, indicator)
    for area, indicator in [(1, "days_to_answer"), (2, "ideas"), (2, "submissions"), (None, "feedback"),
                            (None, "submissions"), (None, "answered_share")]:
        row = rows[(*m, area, indicator)]
        assert (row["value"], row["suppressed"]) == (None, True), (area, indicator)
    assert rows[("2025", "lademoen", 1, "ideas")]["suppressed"] is True
    assert _value(rows, "2025-Q2", "mollenberg", None, "rating_safety") == 3.0
    assert _value(rows, "2025-Q2", "mollenberg", None, "rating_safety_count") == 5
    assert rows[("2025-Q2", "mollenberg", None, "rating_wellbeing")]["suppressed"] is True
    assert rows[("2025-Q2", "mollenberg", None, "rating_wellbeing_count")]["value"] is None
    assert rows[("2025-Q2", "mollenberg", None, "rating_belonging")] == {
        "period": "2025-Q2", "district": "mollenberg", "effort_area": None, "indicator": "rating_belonging",
        "value": None, "suppressed": False}


def test_months_are_oslo_months(fixture_app, client):
    rows = _rows(client, "from=2024&to=2026&by=year&district=mollenberg")
    assert _value(rows, "2024", "mollenberg", 1, "ideas") == 0
    by_quarter = _rows(client, "from=2025&to=2026&by=quarter&district=mollenberg")
    # Five people wrote the six ideas of Q1, one of them on New Year's night.
    assert _value(by_quarter, "2025-Q1", "mollenberg", 1, "ideas") == 6
    # The idea of 31 December 23:30 UTC is in January 2026 in Oslo: one person, so hidden there.
    assert by_quarter[("2026-Q1", "mollenberg", 1, "ideas")]["suppressed"] is True
    assert by_quarter[("2025-Q4", "mollenberg", 1, "ideas")] == {
        "period": "2025-Q4", "district": "mollenberg", "effort_area": 1, "indicator": "ideas", "value": 0,
        "suppressed": False}


def test_purged_months_come_from_the_aggregates(fixture_app, client, login_as):
    rows = _rows(client, "from=2025&to=2025&by=quarter&district=mollenberg")
    # September: 4 people in the kept registrations, hidden. The year (16) is shown, so the first
    # quarter is hidden with it, or 16 − 10 would give September's 6 away.
    for quarter in ("2025-Q1", "2025-Q3"):
        for indicator in ("registrations", "attendance", "participants"):
            assert rows[(quarter, "mollenberg", 2, indicator)]["suppressed"] is True, (quarter, indicator)
    assert _value(rows, "2025-Q3", "mollenberg", 2, "events") == 2
    # March: only the aggregate (6 participants), as Møllenberg's moderator sees it.
    login_as("moderator", districts=("mollenberg",))
    exact = _rows(client, "from=2025&to=2025&by=quarter&district=mollenberg")
    assert _value(exact, "2025-Q1", "mollenberg", 2, "registrations") == 10
    assert _value(exact, "2025-Q1", "mollenberg", 2, "attendance") == 7
    assert _value(exact, "2025-Q1", "mollenberg", 2, "participants") == 6
    assert _value(exact, "2025-Q3", "mollenberg", 2, "registrations") == 6


def test_moderators_see_exact_figures_for_their_own_districts(fixture_app, client, login_as):
    login_as("moderator", districts=("mollenberg",))
    rows = _rows(client, "from=2025&to=2025&by=year")
    assert _value(rows, "2025", "mollenberg", 1, "days_to_answer") == 8.0
    assert _value(rows, "2025", "mollenberg", 2, "ideas") == 1
    assert _value(rows, "2025", "mollenberg", None, "feedback") == 4
    assert rows[("2025", "lademoen", 1, "ideas")]["suppressed"] is True
    exact_quarter = _rows(client, "from=2025&to=2025&by=quarter&district=mollenberg")
    assert _value(exact_quarter, "2025-Q2", "mollenberg", None, "rating_wellbeing") == 4.0
    assert _value(exact_quarter, "2025-Q2", "mollenberg", None, "rating_wellbeing_count") == 4
    assert "no-store" in client.get("/insights/export.json?from=2025&to=2025").headers["Cache-Control"]


def test_admins_see_every_district_exactly(fixture_app, client, login_as):
    login_as("admin")
    rows = _rows(client, "from=2025&to=2025&by=year")
    assert _value(rows, "2025", "lademoen", 1, "ideas") == 1


@pytest.mark.parametrize("ideas, shown", [(4, False), (5, True)])
def test_a_cell_needs_five_people(app, client, ideas, shown):
    from app.districts.services import get_district
    from app.ideas.models import Idea

    authors = [make_user(app, email=f"a{n}@example.no") for n in range(ideas)]
    with app.app_context():
        district = get_district("tempe-sorgenfri")
        for author in authors:
            db.session.add(Idea(author_id=author.id, district_id=district.id, title="Idé", body="Tekst",
                                body_html="<p>Tekst</p>", created_at=_at(0)))
        # The same person twice still counts once.
        db.session.add(Idea(author_id=authors[0].id, district_id=district.id, title="Idé", body="Tekst",
                            body_html="<p>Tekst</p>", created_at=_at(1)))
        db.session.commit()
    rows = _rows(client, "from=2025&to=2025&district=tempe-sorgenfri")
    row = rows[("2025", "tempe-sorgenfri", None, "ideas")]
    assert (row["value"], row["suppressed"]) == ((ideas + 1, False) if shown else (None, True))
    page = client.get("/insights/?from=2025&to=2025&district=tempe-sorgenfri&lang=en")
    key_figures = {dt.get_text(strip=True): dd.get_text(strip=True)
                   for dt, dd in zip(soup(page).select(".key-figures dt"), soup(page).select(".key-figures dd"), strict=True)}
    assert key_figures["Ideas"] == (str(ideas + 1) if shown else "0*")


def test_the_page_totals_add_only_what_is_shown(fixture_app, client):
    page = client.get("/insights/?from=2025&to=2025&district=mollenberg&lang=en")
    assert page.status_code == 200
    html = soup(page)
    key_figures = {dt.get_text(strip=True): dd.get_text(strip=True)
                   for dt, dd in zip(html.select(".key-figures dt"), html.select(".key-figures dd"), strict=True)}
    assert key_figures["Ideas"] == "6*"          # the one idea of area 2 is left out, and the sum says so
    assert key_figures["Feedback forms"] == "5*"
    assert key_figures["Registrations"] == "16"
    assert key_figures["Events"] == "2"
    charts = html.select("figure.chart")
    assert len(charts) == 6     # three of counts, three of ratings
    for chart in charts:
        for svg in chart.find_all("svg"):     # drawn wide and narrow; none where nothing is shown
            assert svg["role"] == "img" and svg["aria-describedby"] == chart.find("p")["id"]
        assert chart.find("table").find("caption").get_text(strip=True).startswith(chart.find("h3").get_text(strip=True))


def test_exports_parse_back_and_agree(fixture_app, client):
    query = "from=2025&to=2025&by=quarter"
    csv_response = client.get(f"/insights/export.csv?{query}")
    assert csv_response.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in csv_response.headers["Content-Disposition"]
    assert "nlod" in csv_response.headers["Link"]
    table = list(csv.DictReader(io.StringIO(csv_response.data.decode("utf-8"))))
    document = json.loads(client.get(f"/insights/export.json?{query}").data)
    assert document["licence"]["url"].startswith("https://data.norge.no/nlod")
    assert len(table) == len(document["rows"]) == 4 * 3 * 5 * 13 + 4 * 3 * 6
    for line, row in zip(table, document["rows"], strict=True):
        assert line == {"period": row["period"], "district": row["district"],
                        "effort_area": "" if row["effort_area"] is None else str(row["effort_area"]),
                        "indicator": row["indicator"], "value": "" if row["value"] is None else str(row["value"]),
                        "suppressed": "true" if row["suppressed"] else "false"}


@pytest.mark.parametrize("query, field", [
    ("from=2026&to=2025", "to"), ("from=1999", "from"), ("from=2025-13", "from"), ("from=abc", "from"),
    ("district=atlantis", "district"), ("from=2024&to=2028&by=month", "by"), ("by=week", "by"),
    ("by=MONTH", "by"), ("from=2020&to=2035&by=quarter", "by"),
])
def test_bad_choices_are_explained_beside_the_field(app, client, query, field):
    page = client.get(f"/insights/?{query}&lang=en")
    assert page.status_code == 400
    error = soup(page).find(id=f"{field}-error")
    assert error is not None and error.get_text(strip=True)
    assert client.get(f"/insights/export.csv?{query}").status_code == 400
    assert json.loads(client.get(f"/insights/export.json?{query}").data)["field"] == field


def test_the_page_keeps_what_was_chosen(fixture_app, client):
    html = soup(client.get("/insights/?from=2025&to=2026&by=quarter&district=mollenberg&district=lademoen&lang=en"))
    assert html.find("input", {"value": "mollenberg"}).has_attr("checked")
    assert not html.find("input", {"value": "tempe-sorgenfri"}).has_attr("checked")
    assert html.find(id="from").find("option", selected=True)["value"] == "2025"
    assert html.find(id="to").find("option", selected=True)["value"] == "2026"
    assert html.find("input", {"name": "by", "value": "quarter"}).has_attr("checked")
    assert "district=mollenberg" in html.find("a", string="Download CSV")["href"]


def test_the_query_count_does_not_grow_with_the_data(fixture_app, client):
    with count_queries(fixture_app) as few:
        assert client.get("/insights/").status_code == 200
    from app.districts.services import get_district
    from app.ideas.models import Idea

    more = [make_user(fixture_app, email=f"more{n}@example.no") for n in range(30)]
    with fixture_app.app_context():
        for n, author in enumerate(more * 10):
            db.session.add(Idea(author_id=author.id, district_id=get_district("lademoen").id, title="Idé",
                                body="Tekst", body_html="<p>Tekst</p>", created_at=_at(n)))
        db.session.commit()
    with count_queries(fixture_app) as many:
        assert client.get("/insights/").status_code == 200
    assert len(few) == len(many) <= 14


# Arabic and Ukrainian words take two bytes a letter: their pages are the largest.
@pytest.mark.parametrize("lang", ["nb", "ar", "uk"])
@pytest.mark.parametrize("query", ["", "by=quarter", "from=2024&to=2026&by=month"])
def test_the_page_stays_small(fixture_app, client, query, lang):
    page = client.get(f"/insights/?{query}&lang={lang}")
    assert page.status_code == 200
    assert len(page.data) < 50_000


def test_the_data_dictionary_explains_every_indicator(app, client):
    from app.insights.indicators import INDICATORS

    html = soup(client.get("/insights/about?lang=en"))
    for indicator in INDICATORS:
        section = html.find(id=f"indicator-{indicator.key}").find_parent("section")
        assert section.find("dt", string="Source") and section.find("dt", string="Limits")
    assert html.find("a", rel="license")["href"].startswith("https://data.norge.no/nlod")
    assert "2026-11-26" in html.get_text()


def test_counted_figures_are_kept_for_a_few_minutes(app_factory, monkeypatch):
    from app.insights import figures as counting

    app = app_factory(INSIGHTS_CACHE_SECONDS=300)
    client = app.test_client()
    monkeypatch.setattr(counting, "_kept", {})
    clock = [1000.0]
    monkeypatch.setattr(counting.time, "monotonic", lambda: clock[0])
    monkeypatch.setattr(counting, "_now", lambda: datetime(2026, 1, 1, tzinfo=UTC) + timedelta(seconds=clock[0]))
    with count_queries(app) as counted:
        first = _rows(client, "from=2025&to=2025")
    with count_queries(app) as kept:
        assert _rows(client, "from=2025&to=2025") == first
    assert len(counted) - len(kept) >= 8     # the eight counting statements are not run again
    # A new worker (nothing kept in it) reads what the first one stored instead of counting.
    monkeypatch.setattr(counting, "_kept", {})
    with count_queries(app) as stored:
        assert _rows(client, "from=2025&to=2025") == first
    assert len(stored) - len(kept) == 2      # the two kept rows, counts and medians
    authors = [make_user(app, email=f"later{n}@example.no") for n in range(5)]
    with app.app_context():
        from app.districts.services import get_district
        from app.ideas.models import Idea

        for author in authors:
            db.session.add(Idea(author_id=author.id, district_id=get_district("lademoen").id, title="Idé",
                                body="Tekst", body_html="<p>Tekst</p>", created_at=_at(0)))
        db.session.commit()
    assert _value(_rows(client, "from=2025&to=2025"), "2025", "lademoen", None, "ideas") == 0
    # Once they are older, the next visitor still gets the kept figures at once, without the counting,
    # while they are counted afresh beside the requests; a little later every page shows the new ones.
    clock[0] += 301
    later = []
    monkeypatch.setattr(counting, "_in_background", later.append)
    with count_queries(app) as found_old:
        assert _value(_rows(client, "from=2025&to=2025"), "2025", "lademoen", None, "ideas") == 0
    assert len(found_old) <= len(stored) + 2   # the claim to count them (an UPDATE and its commit)
    assert len(later) == 2                     # the counts and the medians, once each
    assert _value(_rows(client, "from=2025&to=2025"), "2025", "lademoen", None, "ideas") == 0
    assert len(later) == 2                     # claimed once: nobody else counts them meanwhile
    for work in later:
        work()
    clock[0] += counting.RECHECK_SECONDS
    assert _value(_rows(client, "from=2025&to=2025"), "2025", "lademoen", None, "ideas") == 5


def test_a_sum_with_one_hidden_part_is_hidden_too(fixture_app, client):
    """Lademoen's one idea of 2025 is hidden; with five feedback forms shown beside it, submissions
    (ideas + feedback) would give it away, so submissions, answered and the share are hidden too."""
    from app.districts.services import get_district, get_effort_area
    from app.feedback.models import Feedback

    with fixture_app.app_context():
        for n in range(5):
            db.session.add(Feedback(district_id=get_district("lademoen").id, body="Hei", receipt_code=f"LADE{n}",
                                    created_at=_at(10 + n), effort_area_id=get_effort_area(1).id, status="routed"))
        db.session.commit()
    rows = _rows(client, "from=2025&to=2025&district=lademoen")
    assert _value(rows, "2025", "lademoen", 1, "feedback") == 5
    for indicator in ("ideas", "submissions", "answered", "answered_share"):
        assert rows[("2025", "lademoen", 1, indicator)]["suppressed"] is True, indicator


def test_ratings_are_always_for_whole_quarters(fixture_app, client):
    """Counting April and May by month still rates the whole second quarter (the ratings were given in
    June), so two monthly choices cannot be subtracted to uncover a few ratings."""
    rows = _rows(client, "from=2025-04&to=2025-05&by=month&district=mollenberg")
    assert _value(rows, "2025-Q2", "mollenberg", None, "rating_safety") == 3.0
    assert _value(rows, "2025-Q2", "mollenberg", None, "rating_safety_count") == 5


def test_each_rating_has_its_own_chart_with_the_number_of_ratings(fixture_app, client):
    html = soup(client.get("/insights/?from=2025&to=2025&district=mollenberg&lang=en"))
    section = html.find(id="ratings").find_next_siblings("figure")
    titles = [figure.find("h3").get_text(strip=True) for figure in section]
    assert titles == ["Safety: mean rating per quarter", "Well-being: mean rating per quarter",
                      "Belonging: mean rating per quarter"]
    safety, wellbeing, belonging = section
    svg = safety.find("svg", class_="wide")
    assert svg["role"] == "img" and svg["aria-describedby"] == "ratings-safety-summary"
    assert len(svg.select("path.s0")) == 1 and svg.find("text", class_="count").get_text() == "(5)"
    assert "Møllenberg: 3.0 in Q2 2025, from 5 ratings." in safety.find(id="ratings-safety-summary").get_text()

    def cells(figure):
        return {tr.th.get_text(strip=True): tr.td.get_text(strip=True) for tr in figure.select("tbody tr")}

    assert cells(safety) == {"Q2 2025": "3.0 (5)"}
    # Four people rated well-being: hidden, so no bar, and the table says what there are too few of.
    assert cells(wellbeing) == {"Q2 2025": "fewer than 5 ratings"}
    assert not wellbeing.select("path") and not belonging.select("path")
    assert "no mean shown" in wellbeing.find("p").get_text()


def test_a_district_median_is_hidden_when_a_median_in_it_is(fixture_app, client):
    html = soup(client.get("/insights/?from=2025&to=2025&district=mollenberg&lang=en"))
    row = html.find(id="answers-mollenberg").find_parent("table").find("tbody").find("tr")
    cells = [td.get_text(" ", strip=True) for td in row.find_all("td")]
    # submissions, share answered, days to routing (every cell shown), days to a public answer (area 1 hidden)
    # A hidden median says what it is too few of: a bare "fewer than 5" in a column of days reads as days.
    assert cells[2] == "2.0" and cells[3] == "fewer than 5 answers"
    nb = soup(client.get("/insights/?from=2025&to=2025&district=mollenberg&lang=nb"))
    row = nb.find(id="answers-mollenberg").find_parent("table").find("tbody").find("tr")
    assert [td.get_text(" ", strip=True) for td in row.find_all("td")][3] == "færre enn 5 svar"


def test_registrations_without_confirmed_people_are_still_people(app, client):
    """Three people on a waitlist are three people: their cell is hidden, though none has a seat."""
    from app.events.models import Registration
    from tests.helpers import make_event, make_organisation

    organisation = make_organisation(app, districts=("tempe-sorgenfri",))
    event = make_event(app, organisation, district="tempe-sorgenfri", capacity=1, starts_in_days=-400)
    with app.app_context():
        from app.events.models import Event

        starts = db.session.get(Event, event).starts_at
        for n in range(3):
            db.session.add(Registration(event_id=event, status="waitlisted", name=f"Gjest {n}",
                                        email=f"vent{n}@example.no", token_nonce=f"v{n}", token_hash=f"vh{n}"))
        db.session.commit()
    year = str(starts.year)
    row = _rows(client, f"from={year}&to={year}&district=tempe-sorgenfri")[(year, "tempe-sorgenfri", None,
                                                                          "registrations")]
    assert (row["value"], row["suppressed"]) == (None, True)


def test_people_in_several_folded_months_are_not_added_up(app, client):
    """One person a month for five months may be one person: the year is hidden."""
    from app.districts.services import get_district
    from app.events.models import RegistrationAggregate

    with app.app_context():
        for month in range(1, 6):
            db.session.add(RegistrationAggregate(month=f"2025-{month:02d}", district_id=get_district("lademoen").id,
                                                 effort_area_id=None, audience="everyone", events=1, registrations=1,
                                                 seats=1, attended=1, participants=1))
        db.session.commit()
    row = _rows(client, "from=2025&to=2025&district=lademoen")[("2025", "lademoen", None, "registrations")]
    assert (row["value"], row["suppressed"]) == (None, True)


def test_a_cell_with_nothing_in_it_has_no_median_or_share(app, client):
    rows = _rows(client, "from=2025&to=2025&district=lademoen")
    for indicator in ("answered_share", "days_to_routing", "days_to_answer"):
        assert rows[("2025", "lademoen", 1, indicator)]["value"] is None
        assert rows[("2025", "lademoen", 1, indicator)]["suppressed"] is False
    assert rows[("2025", "lademoen", 1, "ideas")]["value"] == 0


def test_two_problems_are_both_explained_beside_their_fields(app, client):
    page = soup(client.get("/insights/?from=1999&district=atlantis&lang=en"))
    assert page.find(id="from-error") is not None and page.find(id="district-error") is not None
