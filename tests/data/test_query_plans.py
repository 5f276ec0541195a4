"""Every statement the main pages run reads the big tables through an index, never by a full scan.

One app on a small demo data set (``app.demo.generate.build`` with small amounts, then ``ANALYZE``).
Each main page is requested as the person who uses it (a visitor, a resident, an organiser, a
moderator), every SELECT it runs is kept with its parameters, and the database is asked how it would
run that statement:

- **SQLite** (always): ``EXPLAIN QUERY PLAN``, after telling the planner the big tables hold a thousand
  times the rows they do (``as_if_grown``: otherwise it rightly reads a 20-row table whole). A plan line
  fails when it reads a big table

  - by ``SCAN <table>`` (the whole table), or ``SEARCH <table> USING AUTOMATIC ... INDEX`` (an index
    SQLite builds over the whole table for this one statement);
  - by ``SCAN <table> USING [COVERING] INDEX`` (a walk along an index), unless it is an *ordered walk
    that stops*: the statement has a ``LIMIT`` and nothing is sorted beside the walk (no ``USE TEMP
    B-TREE FOR ORDER BY`` at its level), so the walk gives rows in the order asked and ends after the
    page's rows; or the index is partial (``CREATE INDEX ... WHERE``, such as the moderation queue's
    index of what waits), so the walk reads the rows its condition keeps, not the table;
  - by ``SEARCH <table> USING INDEX ix (a=? ...)`` when, by the measured statistics, the columns given
    pick more than 5 % of the table (and more than 20 rows of the small data set) — a status, a kind,
    a district — unless it is an ordered walk that stops, as above. A lookup by a key, by an id of
    another row, or by a range (a period, a page) passes.
- **PostgreSQL** (when ``TEST_DATABASE_URL`` points at one): ``EXPLAIN (FORMAT JSON)`` with
  ``enable_seqscan`` off. On a small data set PostgreSQL rightly reads small tables whole, so the
  check does not ask what it would pick here but whether it *can* do without a full read: with
  sequential scans priced out, a ``Seq Scan`` on a big table that is left means no index serves the
  statement. What the planner picks at ten times the demo's size is printed by
  ``benchmarks/query_plans.py``.

A table is *big* when its rows grow with use, so that a page reading it whole gets slower every week:
``BIG_TABLES`` says what each one grows with. Lookup tables that stay small whatever happens
(districts, effort areas and their sub-themes, settings, meeting places, organisations, answer
templates, posting blocks, the kept rollups of insights and registrations, a handful of rows per
district and month) may be read whole.

``ALLOWED`` lists the reads that may stay as they are, and (marked temporary) the full reads the pages
still make, each with its reason; on SQLite an entry that no longer matches anything fails the test,
so the list only shrinks.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from urllib.parse import urlsplit

import pytest
from sqlalchemy import event, func, select, text

from app.core.db import utcnow
from app.extensions import db
from tests.helpers import PASSWORD, Browser, build_app, discard_app, make_user, soup

# The tables whose rows grow with use, and what they grow with.
BIG_TABLES = {
    "submissions": "every idea, comment and piece of feedback",
    "ideas": "every idea residents propose",
    "comments": "every comment on an idea",
    "comment_revisions": "every edit of a comment",
    "feedback": "every piece of feedback",
    "supports": "every resident who backs an idea",
    "status_changes": "every step of every submission's history",
    "reports": "every report of a comment, idea or photo",
    "review_requests": "every request to look at a decision again",
    "internal_notes": "every note moderators leave on an item",
    "photos": "every photo on an idea, feedback, event or meeting place",
    "photo_reviews": "every decision on a photo",
    "events": "every event and every week of a weekly series",
    "event_translations": "every event in every language it is written in",
    "event_reviews": "every event sent to moderators",
    "registrations": "every seat anyone takes",
    "users": "every account",
    "recovery_codes": "ten per staff account",
    "follows": "every follow of a meeting place or organisation",
    "memberships": "every organiser of every organisation",
    "organisation_applications": "every application to join",
    "organisation_invitations": "every invitation sent",
    "outbox_messages": "every mail sent",
    "audit_entries": "every staff action and every read of personal data",
    "form_drafts": "every form left half filled in",
    "form_submissions": "every form sent (kept to refuse a second send)",
    "machine_translations": "every text translated into every language",
}

# Statements that may read as they do: (page, as a pattern, start of the plan line, why).
ALLOWED: list[tuple[str, str, str]] = [
    # SQLite's statistics know only the average number of accounts per role, which the residents make
    # large; the staff (a handful) are found by the role index.
    (r"moderator /moderation/.*", "SEARCH users USING INDEX ix_users_role",
     "the staff an item can be assigned to, found by role"),
]
# TEMPORARY: these are the full reads found when the test was written, left to the owners of the pages
# to remove; an entry that no longer matches anything fails the test, so the list only shrinks.
ALLOWED += [
    # Insights (and the API's indicators, the same figures).
    (r"(visitor|moderator) (/insights/|/api/v1/indicators)", "SCAN status_changes",
     "the time to route and to answer is worked out from every submission's history"),
    (r"(visitor|moderator) (/insights/|/api/v1/indicators)", "SEARCH events USING INDEX ix_events_status_starts_at",
     "events and registrations per month are counted from every published event"),
]


def allowed(finding: Finding) -> str | None:
    for page, line, reason in ALLOWED:
        if re.fullmatch(page, finding.page) and finding.plan_line.startswith(line):
            return reason
    return None


@dataclass
class Finding:
    page: str
    table: str
    statement: str
    plan_line: str

    def __str__(self) -> str:
        return f"{self.page}: {self.plan_line}\n    {' '.join(self.statement.split())[:400]}"


def _head(statement: str) -> str:
    return " ".join(statement.split())[:60]


def _is_select(statement: str) -> bool:
    return statement.lstrip().upper().startswith(("SELECT", "WITH"))


_SCAN = re.compile(r"^(SCAN|SEARCH) (\w+)(?: AS (\w+))?(.*)$")


def sqlite_findings(page: str, statement: str, plan: list[tuple[int, int, str]],
                    stats: dict[str, list[int]] | None = None, partial: frozenset[str] = frozenset()) -> list[Finding]:
    """The plan lines of one statement that read a big table whole (the rule in the module's docstring).

    ``plan`` is EXPLAIN QUERY PLAN's rows (id, parent, detail); a sort belongs to the scan it sits beside.
    ``stats`` (index name -> ``sqlite_stat1`` numbers as measured) tells how much of its table a lookup
    by an index's leading columns reads; ``partial`` names the partial indexes (``CREATE INDEX ... WHERE``)."""
    sorted_under = {parent for _id, parent, detail in plan if detail.startswith("USE TEMP B-TREE FOR ORDER BY")}
    limited = re.search(r"\bLIMIT\b", statement, re.IGNORECASE) is not None
    found = []
    for _id, parent, line in plan:
        match = _SCAN.match(line)
        if not match or match.group(2) not in BIG_TABLES:
            continue
        verb, table, rest = match.group(1), match.group(2), match.group(4)
        ordered_walk = limited and parent not in sorted_under
        if verb == "SEARCH":
            bad = "AUTOMATIC" in rest or (not ordered_walk and _share_read(rest, stats or {}) > BROAD)
        elif " USING " in rest and "INDEX" in rest:
            index = rest.rsplit(" ", 1)[-1]
            bad = not ordered_walk and index not in partial
        else:
            bad = True
        if bad:
            found.append(Finding(page, table, statement, line))
    return found


# A lookup that reads more than this share of its table (by the measured statistics), and more than
# BROAD_ROWS rows of the small data set, is a full read: a status, a kind, a district picks a good part
# of a table whatever its size.
BROAD, BROAD_ROWS = 0.05, 20
_LOOKUP = re.compile(r"USING (?:COVERING )?INDEX (\w+) \(([^)]*)\)")


def _share_read(rest: str, stats: dict[str, list[int]]) -> float:
    """The share of the table a ``SEARCH ... USING INDEX ix (a=? AND b=?)`` reads: rows per key of the
    columns it is given, over the rows. Ranges (``a>?``) are taken as narrow: a period or a page."""
    match = _LOOKUP.search(rest)
    if not match or match.group(1) not in stats or any(op in match.group(2) for op in "<>"):
        return 0.0
    rows, *per_key = stats[match.group(1)]
    given = match.group(2).count("=")
    if not rows or not 0 < given <= len(per_key) or per_key[given - 1] < BROAD_ROWS:
        return 0.0
    return per_key[given - 1] / rows


def sqlite_partial_indexes(connection) -> frozenset[str]:
    return frozenset(connection.exec_driver_sql(
        "SELECT name FROM sqlite_master WHERE type = 'index' AND sql LIKE '% WHERE %'").scalars())


def sqlite_stats(connection) -> dict[str, list[int]]:
    return {index: [int(n) for n in stat.split(" ") if n.isdigit()]
            for _table, index, stat in connection.exec_driver_sql("SELECT tbl, idx, stat FROM sqlite_stat1").all()
            if index and stat}


def sqlite_plan(connection, statement: str, parameters) -> list[tuple[int, int, str]]:
    rows = connection.exec_driver_sql(f"EXPLAIN QUERY PLAN {statement}", parameters).all()
    return [(row[0], row[1], row[3]) for row in rows]


def postgresql_findings(page: str, statement: str, plan: dict) -> list[Finding]:
    found = []

    def walk(node: dict) -> None:
        if node.get("Node Type") == "Seq Scan" and node.get("Relation Name") in BIG_TABLES:
            line = f"Seq Scan on {node['Relation Name']}" + (f" (filter {node['Filter']})" if "Filter" in node else "")
            found.append(Finding(page, node["Relation Name"], statement, line))
        for child in node.get("Plans", ()):
            walk(child)

    walk(plan["Plan"])
    return found


def postgresql_plan(connection, statement: str, parameters) -> dict:
    row = connection.exec_driver_sql(f"EXPLAIN (FORMAT JSON) {statement}", parameters).scalar_one()
    return (row if isinstance(row, list) else json.loads(row))[0]


# --- the data and the people ------------------------------------------------------------------------------

AMOUNTS = {"ideas": 300, "comments": 600, "feedback": 200, "events": 120, "registrations": 1000}


def build_site():
    """One app on the small data set, and the people who open the pages: {role: email}."""
    from app.demo.generate import ORGANISER_EMAIL, RESIDENT_EMAIL, build

    app = build_app()
    people = {
        "resident": make_user(app, email=RESIDENT_EMAIL).email,
        "organiser": make_user(app, email=ORGANISER_EMAIL).email,
        "moderator": make_user(app, role="moderator", districts=("lademoen", "mollenberg")).email,
    }
    with app.app_context():
        build(amounts=AMOUNTS)
        # Enough waiting in the moderator's districts for the queue to have a second page.
        db.session.execute(text("UPDATE submissions SET status = 'new' WHERE kind = 'feedback' AND id IN "
                                "(SELECT id FROM submissions WHERE kind = 'feedback' ORDER BY id DESC LIMIT 80)"))
        db.session.commit()
        with db.engine.begin() as conn:
            conn.exec_driver_sql("ANALYZE")
            if conn.dialect.name == "sqlite":
                app.extensions["measured_stats"] = sqlite_stats(conn)
                as_if_grown(conn)
    return app, people


GROWTH = 1000


def as_if_grown(connection, factor: int = GROWTH) -> None:
    """Tell SQLite's planner the big tables hold ``factor`` times the rows they do, keys as selective as now.

    ``ANALYZE`` writes a row count and the rows per key of each index into ``sqlite_stat1``; SQLite lets
    an application edit them. With the row counts multiplied the planner sees a big table where the
    small data set has a small one (and would rightly read a 2-row table whole); rows per key are kept,
    so an index is as useful as in the sample. A statement that still scans a big table has no index
    it could use."""
    rows = connection.exec_driver_sql("SELECT tbl, idx, stat FROM sqlite_stat1").all()
    for table, index, stat in rows:
        if table not in BIG_TABLES or not stat:
            continue
        count, *per_key = stat.split(" ")
        grown = " ".join([str(int(count) * factor), *per_key])
        connection.exec_driver_sql("UPDATE sqlite_stat1 SET stat = ? WHERE tbl = ? AND idx IS ?", (grown, table, index))
    connection.exec_driver_sql("ANALYZE sqlite_schema")


@pytest.fixture(scope="module")
def site():
    app, people = build_site()
    from app.moderation import routing

    with app.app_context():
        # Routing suggestions read every routed item once, when a process first needs them (and then at
        # most hourly); what a page's view reads is the check for newer decisions, which the test sees.
        routing.model()
    yield app, people
    discard_app(app)


def _ids(app) -> dict:
    from app.districts.models import District
    from app.events.models import Event, EventStatus
    from app.ideas.models import Comment
    from app.meeting_places.models import MeetingPlace
    from app.organisations.models import Organisation
    from app.submissions.models import Submission

    with app.app_context():
        idea = db.session.execute(select(Comment.idea_id).group_by(Comment.idea_id)
                                  .order_by(func.count().desc()).limit(1)).scalar_one()
        event_id = db.session.scalar(select(Event.id).where(Event.status == EventStatus.PUBLISHED,
                                                            Event.starts_at > utcnow()).order_by(Event.starts_at).limit(1))
        busiest = db.session.execute(text("SELECT event_id FROM registrations GROUP BY event_id "
                                          "ORDER BY count(*) DESC LIMIT 1")).scalar_one()
        place = db.session.scalar(select(MeetingPlace.id).order_by(MeetingPlace.id).limit(1))
        organisation = db.session.scalar(select(Organisation.id).order_by(Organisation.id).limit(1))
        # In Lademoen, one of the moderator's districts (the test's and the demo's moderator).
        waiting = db.session.scalar(select(Submission.id).join(District, District.id == Submission.district_id)
                                    .where(Submission.kind == "idea", Submission.status == "new",
                                           District.slug == "lademoen")
                                    .order_by(Submission.id.desc()).limit(1))
    return {"idea": idea, "event": event_id, "busiest": busiest, "place": place, "organisation": organisation,
            "waiting": waiting}


def _next_link(response) -> str | None:
    if response.mimetype.endswith("json"):
        body = response.get_json()
        link = (body.get("links") or {}).get("next")
        if not link:
            return None
        parts = urlsplit(link)
        return parts.path + (f"?{parts.query}" if parts.query else "")
    anchor = soup(response).find("a", rel="next")
    return anchor["href"] if anchor else None


def pages() -> dict[str, list[str]]:
    """The main pages, by who opens them; ``{idea}`` and the like are filled in from the data. A page
    ending in ``+next`` is opened, then its own link to the next page is followed."""
    idea_lists = ["/ideas/", "/ideas/?sort=supported", "/ideas/?district=lademoen", "/ideas/?area=3",
                  "/ideas/?status=new", "/ideas/?status=routed", "/ideas/?status=in_progress", "/ideas/?status=answered",
                  "/ideas/?status=done", "/ideas/?status=not_pursued", "/ideas/?q=benker", "/ideas/?q=benker&sort=supported",
                  "/ideas/?district=mollenberg&area=2&sort=supported", "/ideas/?view=map",
                  "/ideas/?view=map&district=lademoen"]
    return {
        "visitor": [
            "/", "/districts/", "/districts/lademoen", "/districts/tempe-sorgenfri", "/effort-areas/3",
            *idea_lists, "/ideas/+next", "/ideas/?sort=supported+next", "/ideas/?district=lademoen+next",
            "/ideas/{idea}", "/ideas/{idea}?comments=2",
            "/events/", "/events/?page=2", "/events/?district=lademoen", "/events/?area=2", "/events/?audience=youth",
            "/events/?free=1", "/events/?view=map", "/events/{event}", "/events/{busiest}",
            "/meeting-places/", "/meeting-places/{place}", "/organisations/",
            "/organisations/{organisation}", "/insights/",
            "/api/v1/districts", "/api/v1/effort-areas", "/api/v1/ideas", "/api/v1/ideas+next",
            "/api/v1/ideas?sort=supported", "/api/v1/ideas?district=lademoen&status=done", "/api/v1/ideas?q=benker",
            "/api/v1/ideas.geojson", "/api/v1/ideas/{idea}", "/api/v1/events", "/api/v1/events+next",
            "/api/v1/events/{event}", "/api/v1/meeting-places", "/api/v1/meeting-places.geojson",
            "/api/v1/meeting-places/{place}", "/api/v1/indicators",
        ],
        "resident": ["/", "/account/", "/ideas/", "/ideas/{idea}", "/events/", "/events/{event}",
                     "/meeting-places/{place}", "/organisations/{organisation}"],
        "organiser": ["/organiser/", "/organiser/events/{busiest}", "/organiser/events/{event}"],
        "moderator": ["/moderation/", "/moderation/+next", "/moderation/?sort=newest", "/moderation/?kind=idea",
                      "/moderation/?kind=feedback", "/moderation/?district=lademoen&area=3", "/moderation/?age=old",
                      "/moderation/?q=benker", "/moderation/items/idea/{waiting}", "/insights/"],
    }


def _log_in(app, people, role: str, password: str = PASSWORD) -> Browser:
    browser = Browser(app)
    if role != "visitor":
        response = browser.submit("/account/login", {"email": people[role], "password": password})
        assert response.status_code == 302, f"logging in as {role} failed"
    return browser


def run_pages(app, people: dict[str, str], password: str = PASSWORD) -> dict[str, list[tuple[str, object]]]:
    """Every SELECT of every main page, with its parameters: {page: [(statement, parameters), ...]}."""
    ids = _ids(app)
    with app.app_context():
        engine = db.engine
    statements: list[tuple[str, object]] = []

    def keep(conn, cursor, statement, parameters, context, executemany):
        if _is_select(statement) and not executemany:
            statements.append((statement, parameters))

    ran: dict[str, list[tuple[str, object]]] = {}
    for role, paths in pages().items():
        browser = _log_in(app, people, role, password)
        for path in paths:
            follow = path.endswith("+next")
            url = path.removesuffix("+next").format(**ids)
            if follow:
                url = _next_link(browser.get(url))
                assert url, f"{path}: no next page"
            event.listen(engine, "before_cursor_execute", keep)
            try:
                response = browser.get(url)
            finally:
                event.remove(engine, "before_cursor_execute", keep)
            assert response.status_code == 200, f"{role} {url}: {response.status_code}"
            ran[f"{role} {path}"] = list(statements)
            statements.clear()
    return ran


def findings_of(app, ran) -> list[Finding]:
    found: list[Finding] = []
    with app.app_context(), db.engine.connect() as connection:
        postgres = connection.dialect.name == "postgresql"
        if postgres:
            connection.exec_driver_sql("SET enable_seqscan = off")
        stats = app.extensions.get("measured_stats") or ({} if postgres else sqlite_stats(connection))
        partial = frozenset() if postgres else sqlite_partial_indexes(connection)
        for page, statements in ran.items():
            for statement, parameters in statements:
                if postgres:
                    found += postgresql_findings(page, statement, postgresql_plan(connection, statement, parameters))
                else:
                    found += sqlite_findings(page, statement, sqlite_plan(connection, statement, parameters), stats,
                                             partial)
        connection.rollback()
    return found


def test_the_main_pages_read_big_tables_through_an_index(site):
    app, people = site
    ran = run_pages(app, people)
    assert sum(len(s) for s in ran.values()) > 300, "too few statements captured: is the listener on?"
    found = findings_of(app, ran)
    new = [f for f in found if allowed(f) is None]
    assert not new, f"{len(new)} full reads of big tables:\n" + "\n".join(str(f) for f in new)
    if db_is_sqlite(app):
        used = {(page, line) for page, line, _reason in ALLOWED
                for f in found if re.fullmatch(page, f.page) and f.plan_line.startswith(line)}
        gone = [(page, line) for page, line, _reason in ALLOWED if (page, line) not in used]
        assert not gone, "no longer read whole, take them off ALLOWED:\n" + "\n".join(map(str, gone))


def db_is_sqlite(app) -> bool:
    return app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite")
