"""Event lists that stay as quick with a year of events as with a week's: paged by key, not by number."""
from __future__ import annotations

from app.events import services
from app.extensions import db
from tests.helpers import count_queries, make_event, make_organisation, soup


def _titles(response) -> list[str]:
    return [heading.get_text(strip=True) for heading in soup(response).select("ul.cards > li > h3")]


def _link(response, text: str) -> str | None:
    found = soup(response).find("a", string=text)
    return found["href"] if found is not None else None


def test_the_event_list_pages_by_key_and_a_series_is_one_card_where_its_first_date_falls(app, client):
    org = make_organisation(app)
    for day in range(25):
        make_event(app, org, title=f"Kafé {day:02d}", starts_in_days=1 + day)
    for week in range(4):   # its first date on the first page, its later ones among the second page's events
        make_event(app, org, title="Babysang", starts_in_days=1.5 + 7 * week, series_id="babysang")

    first = client.get("/events/?lang=en")
    assert first.status_code == 200
    assert "26 upcoming events" in first.get_data(as_text=True)
    assert _titles(first).count("Babysang") == 1 and len(_titles(first)) == services.PER_PAGE
    later = _link(first, "Next page")
    assert later is not None and "after=" in later and "page=" not in later
    assert _link(first, "Previous page") is None

    second = client.get(later)
    assert _titles(second) == [f"Kafé {day:02d}" for day in range(19, 25)]
    assert _link(second, "Next page") is None
    back = client.get(_link(second, "Previous page"))
    assert _titles(back) == _titles(first)
    assert _link(back, "Previous page") is None
    # An old link with a page number still shows that page.
    assert _titles(client.get("/events/?page=2&lang=en")) == _titles(second)
    # A key made up by hand shows the first page, not an error.
    assert _titles(client.get("/events/?after=x.y&lang=en")) == _titles(first)
    assert client.get("/events/?after=99999999999999999999.1&lang=en").status_code == 200


def test_a_late_page_of_events_costs_the_same_queries_as_the_first(app, client):
    org = make_organisation(app)
    for day in range(45):
        make_event(app, org, title=f"Kafé {day:02d}", starts_in_days=1 + day / 2)
    first = client.get("/events/?lang=en")
    with count_queries(app) as on_first:
        client.get("/events/?lang=en&district=mollenberg")
    later = client.get(_link(client.get(_link(first, "Next page")), "Next page"))
    assert _titles(later) == [f"Kafé {day:02d}" for day in range(40, 45)]
    with count_queries(app) as on_third:
        client.get(_link(first, "Next page").replace("lang=en", "district=mollenberg&lang=en"))
    assert len(on_third) == len(on_first)


def test_a_long_list_says_how_many_up_to_a_hundred(app, client, monkeypatch):
    monkeypatch.setattr(services, "COUNT_UP_TO", 10)
    org = make_organisation(app)
    for day in range(12):
        make_event(app, org, title=f"Kafé {day:02d}", starts_in_days=1 + day)
    assert "More than 10 upcoming events" in client.get("/events/?lang=en").get_data(as_text=True)
    monkeypatch.setattr(services, "COUNT_UP_TO", 12)
    assert "12 upcoming events" in client.get("/events/?lang=en&free=0").get_data(as_text=True)


def test_the_event_lists_read_events_through_an_index(app, client):
    """SQLite's plan of every statement the event list, a meeting place and an organisation run:
    the events table is never read from end to end."""
    from sqlalchemy import event as sql_event

    org = make_organisation(app)
    for week in range(3):
        make_event(app, org, title="Babysang", starts_in_days=1 + 7 * week, series_id="babysang")
    make_event(app, org, title="Kafé")
    seen: list[tuple[str, object]] = []
    with app.app_context():
        engine = db.engine
        if engine.dialect.name != "sqlite":
            return
    listener = lambda *args: seen.append((args[2], args[3]))  # noqa: E731
    sql_event.listen(engine, "before_cursor_execute", listener)
    try:
        for path in ("/events/", "/events/?district=mollenberg", "/events/?free=1&audience=youth",
                     f"/organisations/{org}"):
            assert client.get(path).status_code == 200
    finally:
        sql_event.remove(engine, "before_cursor_execute", listener)
    with app.app_context():
        connection = db.engine.raw_connection()
        for statement, parameters in seen:
            if " events" not in statement or not statement.lstrip().upper().startswith("SELECT"):
                continue
            plan = [row[3] for row in connection.execute("EXPLAIN QUERY PLAN " + statement, parameters)]
            assert not [step for step in plan if step.startswith("SCAN events")], (statement, plan)
        connection.close()
