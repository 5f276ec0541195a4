""""Fewer than 5" cannot be undone by subtraction.

The tester fetched the indicators by month, quarter and year through the public API and
subtracted: the months shown from their quarter, the quarters from their year, districts from a
total, areas from a sum. Over 2024–2026 that gave 154 hidden cells back exactly. These tests do
the same on generated data full of small cells (three districts, four effort areas and "not yet
routed", every month of 2024–2026, 0–12 of everything), with everything a visitor can fetch: the
API (all districts and each one alone), both downloads and the insights pages, whose totals over
districts, effort areas and periods are equations too. What can be worked out is compared with
the true counts, computed here straight from the generated rows.
"""
from __future__ import annotations

import csv
import io
import random
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from fractions import Fraction

import pytest

from app.extensions import db
from tests.helpers import build_app, discard_app, soup

UTC = timezone.utc
YEARS = ("2024", "2025", "2026")
QUARTERS = tuple(f"{year}-Q{q}" for year in YEARS for q in range(1, 5))
MONTHS = tuple(f"{year}-{month:02d}" for year in YEARS for month in range(1, 13))
BUCKETS = {"year": YEARS, "quarter": QUARTERS, "month": MONTHS}
SLUGS = ("lademoen", "tempe-sorgenfri", "mollenberg")
AREAS = (1, 2, 3, 4, None)
# The figures that are hidden when small; participants add up only roughly, but an attacker may try.
ATTACKED = ("ideas", "feedback", "submissions", "answered", "comments", "supports", "registrations", "attendance",
            "participants")
# The page's names of the figures (lang=en).
NAMES = {"Ideas": "ideas", "Feedback forms": "feedback", "Comments": "comments", "Supports": "supports",
         "Events": "events", "Registrations": "registrations", "Attendance": "attendance",
         "Unique participants": "participants", "Submissions": "submissions"}
SMALLEST = 5


def months_of(bucket: str) -> tuple[str, ...]:
    if len(bucket) == 4:
        return tuple(m for m in MONTHS if m.startswith(bucket))
    if "-Q" in bucket:
        first = (int(bucket[-1]) - 1) * 3 + 1
        return tuple(f"{bucket[:4]}-{month:02d}" for month in range(first, first + 3))
    return (bucket,)


def children(bucket: str) -> tuple[str, ...]:
    if len(bucket) == 4:
        return tuple(f"{bucket}-Q{q}" for q in range(1, 5))
    return months_of(bucket) if "-Q" in bucket else ()


# --- the data, and its true counts ----------------------------------------------------------------


@dataclass
class Truth:
    """What was generated, per district, effort area and month: rows of (indicator, person)."""

    rows: dict[tuple, list[tuple[str, object]]] = field(default_factory=lambda: defaultdict(list))
    # Months whose registrations are folded: (registrations, attended, participants) as the aggregates keep them.
    folded: dict[tuple, tuple[int, int, int]] = field(default_factory=dict)

    def value(self, indicator: str, slug: str, area: int | None, bucket: str) -> int:
        months = months_of(bucket)
        kept = [who for m in months for name, who in self.rows[(slug, area, m)] if name == indicator]
        folded = [self.folded[(slug, area, m)] for m in months if (slug, area, m) in self.folded]
        if indicator == "submissions":
            return sum(self.value(part, slug, area, bucket) for part in ("ideas", "feedback"))
        if indicator == "participants":
            return len(set(kept)) + sum(f[2] for f in folded)
        extra = {"registrations": 0, "attendance": 1}.get(indicator)
        return len(kept) + (sum(f[extra] for f in folded) if extra is not None else 0)


def _small(rng: random.Random) -> int:
    """0–12, most of them under 5: the kind of table that gave cells away."""
    return rng.choice((0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 6, 7, 8, 10, 12))


def generate(app) -> Truth:
    from app.accounts.models import User
    from app.districts.services import get_district, get_effort_area
    from app.events.models import Event, Registration, RegistrationAggregate
    from app.feedback.models import Feedback
    from app.ideas.models import Comment, Idea, Support
    from app.organisations.models import Organisation

    rng = random.Random(315)
    truth = Truth()
    serial = iter(range(1, 1_000_000))
    with app.app_context():
        districts = {slug: get_district(slug).id for slug in SLUGS}
        areas = {number: get_effort_area(number).id for number in AREAS if number}
        pool = [User(email=f"p{n}@example.no", display_name=f"Person {n}", verified_at=datetime(2023, 1, 1, tzinfo=UTC))
                for n in range(40)]
        organisation = Organisation(name="Lag", description="Lag", description_html="<p>Lag</p>",
                                    contact_email="lag@example.no", status="approved")
        db.session.add_all([*pool, organisation])
        db.session.flush()
        people = [user.id for user in pool]
        for slug in SLUGS:
            for area in AREAS:
                area_id = areas.get(area)
                for month in MONTHS:
                    rows = truth.rows[(slug, area, month)]
                    day = datetime(int(month[:4]), int(month[5:]), 15, 12, 0, tzinfo=UTC)
                    ideas = []
                    for author in rng.sample(people, _small(rng)):
                        answered = rng.random() < 0.4
                        ideas.append(Idea(author_id=author, district_id=districts[slug], effort_area_id=area_id,
                                          title="Idé", body="Tekst", body_html="<p>Tekst</p>", created_at=day,
                                          status="answered" if answered else "new"))
                        rows += [("ideas", author)] + ([("answered", author)] if answered else [])
                    for _ in range(_small(rng)):
                        answered, form = rng.random() < 0.4, next(serial)
                        # Everyone rates safety, so its number of ratings is the district's feedback total.
                        wellbeing = rng.randint(1, 5) if rng.random() < 0.6 else None
                        db.session.add(Feedback(district_id=districts[slug], effort_area_id=area_id, body="Hei",
                                                receipt_code=f"R{form}", created_at=day,
                                                status="answered" if answered else "new",
                                                rating_safety=rng.randint(1, 5), rating_wellbeing=wellbeing))
                        rows += [("feedback", form)] + ([("answered", form)] if answered else [])
                        rows += [("rating_wellbeing", form)] if wellbeing else []
                    db.session.add_all(ideas)
                    db.session.flush()
                    if ideas:
                        for author in rng.sample(people, _small(rng)):
                            db.session.add(Comment(author_id=author, district_id=districts[slug], idea_id=ideas[0].id,
                                                   body="Enig", body_html="<p>Enig</p>", created_at=day))
                            rows.append(("comments", author))
                        for supporter in rng.sample(people, _small(rng)):
                            db.session.add(Support(idea_id=ideas[0].id, user_id=supporter, created_at=day))
                            rows.append(("supports", supporter))
                    if rng.random() < 0.3:
                        continue
                    if month < "2025":
                        # Registrations already deleted: only their monthly figures are left.
                        registrations = _small(rng)
                        if registrations:
                            attended, participants = rng.randint(0, registrations), rng.randint(1, registrations)
                            db.session.add(RegistrationAggregate(
                                month=month, district_id=districts[slug], effort_area_id=area_id, audience="everyone",
                                events=1, registrations=registrations, seats=registrations, attended=attended,
                                participants=participants))
                            truth.folded[(slug, area, month)] = (registrations, attended, participants)
                        continue
                    event = Event(organisation_id=organisation.id, district_id=districts[slug], effort_area_id=area_id,
                                  title="Kafé", starts_at=day + timedelta(hours=5), ends_at=day + timedelta(hours=7),
                                  capacity=None, status="published")
                    db.session.add(event)
                    db.session.flush()
                    for person in rng.sample(people, _small(rng)):
                        attended = rng.random() < 0.6
                        token = next(serial)
                        db.session.add(Registration(event_id=event.id, user_id=person, status="confirmed",
                                                    attended=attended, token_nonce=f"n{token}", token_hash=f"h{token}"))
                        rows += [("registrations", person), ("participants", person)]
                        rows += [("attendance", person)] if attended else []
        db.session.commit()
    return truth


# --- everything published -------------------------------------------------------------------------

Cell = tuple[str, str, object, str]     # period, district, effort area, indicator


@dataclass
class Published:
    sources: dict[str, dict[Cell, tuple[object, bool]]] = field(default_factory=dict)   # (value, suppressed)
    exact_totals: list[tuple[list[Cell], int]] = field(default_factory=list)           # page totals without *
    pages: int = 0

    @property
    def cells(self) -> dict[Cell, tuple[object, bool]]:
        merged: dict[Cell, tuple[object, bool]] = {}
        for rows in self.sources.values():
            merged.update(rows)
        return merged


def _rows(rows: list[dict]) -> dict[Cell, tuple[object, bool]]:
    return {(r["period"], r["district"], r["effort_area"], r["indicator"]): (r["value"], r["suppressed"]) for r in rows}


def _csv_rows(text: str) -> dict[Cell, tuple[object, bool]]:
    def number(value: str):
        if value == "":
            return None
        return float(value) if "." in value else int(value)

    return {(r["period"], r["district"], int(r["effort_area"]) if r["effort_area"] else None, r["indicator"]):
            (number(r["value"]), r["suppressed"] == "true") for r in csv.DictReader(io.StringIO(text))}


def _figure(text: str) -> tuple[int, bool]:
    """A page's sum: "1,234" is exact; "1,234*" leaves hidden figures out."""
    return int(text.rstrip("*").replace(",", "")), text.endswith("*")


def _read_page(html, by: str, slugs: tuple[str, ...], published: Published) -> None:
    """Each sum on the page, as the cells it adds up; only those without * are equations."""
    whole = [(year, slug, area) for year in YEARS for slug in slugs for area in AREAS]

    def total(region, indicator: str, text: str) -> None:
        value, partial = _figure(text)
        if not partial and indicator in ATTACKED:   # events are public, never hidden
            published.exact_totals.append(([(*cell, indicator) for cell in region], value))

    for item in html.select(".key-figures > div"):
        name = item.find("dt").get_text(strip=True)
        if name in NAMES:
            total(whole, NAMES[name], item.find("dd").get_text(strip=True))
    for table in html.select("table.figures"):
        caption = table.find("caption")
        heads = [NAMES.get(th.get_text(strip=True)) for th in table.select("thead th")][1:]
        rows = [[td.get_text(strip=True) for td in tr.find_all("td")] for tr in table.select("tbody tr")]
        if caption.get("id") in ("participation-caption", "meeting-caption"):
            regions = [[(bucket, slug, area) for slug in slugs for area in AREAS] for bucket in BUCKETS[by]]
        elif caption.get("id") == "districts-caption":
            regions = [[(year, slug, area) for year in YEARS for area in AREAS] for slug in slugs]
        elif caption.get("id") == "by-area-caption":
            regions = [[(year, slug, area) for year in YEARS for slug in slugs] for area in AREAS]
        elif caption.get("id", "").startswith("answers-"):
            slug = caption["id"].removeprefix("answers-")
            regions = [[(bucket, slug, area) for area in AREAS] for bucket in BUCKETS[by]]
            heads = ["submissions"] + [None] * (len(heads) - 1)
        else:
            continue
        assert len(regions) == len(rows), caption.get("id")
        for region, texts in zip(regions, rows, strict=True):
            for indicator, text in zip(heads, texts, strict=True):
                if indicator:
                    total(region, indicator, text)


def fetch_everything(client) -> Published:
    published = Published()
    for by in BUCKETS:
        query = f"from=2024&to=2026&by={by}"
        published.sources[f"api {by}"] = _rows(client.get(f"/api/v1/indicators?{query}").get_json()["rows"])
        for slug in SLUGS:
            answer = client.get(f"/api/v1/indicators?{query}&district={slug}").get_json()
            published.sources[f"api {by} {slug}"] = _rows(answer["rows"])
        published.sources[f"json {by}"] = _rows(client.get(f"/insights/export.json?{query}").get_json()["rows"])
        published.sources[f"csv {by}"] = _csv_rows(client.get(f"/insights/export.csv?{query}").data.decode())
        for slugs in (SLUGS, *((slug,) for slug in SLUGS)):
            district = "".join(f"&district={slug}" for slug in slugs) if len(slugs) == 1 else ""
            page = client.get(f"/insights/?{query}{district}&lang=en")
            assert page.status_code == 200
            _read_page(soup(page), by, slugs, published)
            published.pages += 1
    return published


@pytest.fixture(scope="module")
def world():
    app = build_app()
    try:
        truth = generate(app)
        published = fetch_everything(app.test_client())
        yield truth, published
    finally:
        discard_app(app)


# --- the attacks ----------------------------------------------------------------------------------

Equation = tuple[dict[Cell, int], int]


def equations(published: Published, truth: Truth) -> list[Equation]:
    """Every sum a visitor knows holds: each year is its quarters, each quarter its months (per district
    and effort area), submissions are ideas plus feedback, each exact total on a page is its cells, and
    a number of ratings is the district's feedback of the quarter where everyone rated (a visitor can
    guess that from the quarters where nothing is hidden; here it is taken as known where it is true)."""
    found: list[Equation] = []
    for slug in SLUGS:
        for area in AREAS:
            for indicator in ATTACKED:
                for parent in (*YEARS, *QUARTERS):
                    found.append(({(parent, slug, area, indicator): 1,
                                   **{(child, slug, area, indicator): -1 for child in children(parent)}}, 0))
            for bucket in (*YEARS, *QUARTERS, *MONTHS):
                found.append(({(bucket, slug, area, "submissions"): 1, (bucket, slug, area, "ideas"): -1,
                               (bucket, slug, area, "feedback"): -1}, 0))
    for cells, value in published.exact_totals:
        found.append(({cell: 1 for cell in cells}, value))
    for (quarter, slug, _area, indicator), (value, suppressed) in published.cells.items():
        if indicator.endswith("_count") and not suppressed and value:
            if value == sum(truth.value("feedback", slug, area, quarter) for area in AREAS):
                found.append(({(quarter, slug, area, "feedback"): 1 for area in AREAS}, value))
    return found


def subtract_everything(published: Published, found: list[Equation]) -> dict[Cell, Fraction]:
    """What an attacker with a spreadsheet does: wherever a sum has only one unknown left, work it
    out, and go round again with what was learned (year − other quarters − months, total − other
    districts, ...)."""
    cells = published.cells
    known = {cell: Fraction(value) for cell, (value, suppressed) in cells.items() if not suppressed and value is not None}
    recovered: dict[Cell, Fraction] = {}
    progress = True
    while progress:
        progress = False
        for coefficients, constant in found:
            unknown = [cell for cell in coefficients if cell not in known]
            if len(unknown) != 1:
                continue
            cell = unknown[0]
            rest = constant - sum(c * known[other] for other, c in coefficients.items() if other != cell)
            known[cell] = recovered[cell] = Fraction(rest, 1) / coefficients[cell]
            progress = True
    return recovered


def determined(published: Published, found: list[Equation]) -> set[Cell]:
    """The hidden cells the published equations pin down, whatever the arithmetic: those whose unit
    vector lies in the row space of the equations over the hidden cells (exact Gauss–Jordan, done per
    group of hidden cells that share an equation)."""
    hidden = {cell for cell, (_value, suppressed) in published.cells.items() if suppressed}
    rows = [{cell: Fraction(c) for cell, c in coefficients.items() if cell in hidden} for coefficients, _ in found]
    rows = [row for row in rows if row]
    parent: dict[Cell, Cell] = {}

    def root(cell: Cell) -> Cell:
        while parent.setdefault(cell, cell) != cell:
            parent[cell] = parent[parent[cell]]
            cell = parent[cell]
        return cell

    for row in rows:
        first, *rest = row
        for cell in rest:
            parent[root(cell)] = root(first)
    groups: dict[Cell, list[dict]] = defaultdict(list)
    for row in rows:
        groups[root(next(iter(row)))].append(row)
    pinned: set[Cell] = set()
    for group in groups.values():
        pivots: dict[Cell, dict[Cell, Fraction]] = {}
        for row in group:
            row = dict(row)
            for pivot, reduced in pivots.items():
                factor = row.get(pivot)
                if factor:
                    for cell, c in reduced.items():
                        row[cell] = row.get(cell, 0) - factor * c
                    row = {cell: c for cell, c in row.items() if c}
            if not row:
                continue
            pivot = next(iter(row))
            scale = row[pivot]
            row = {cell: c / scale for cell, c in row.items()}
            for other, reduced in pivots.items():
                factor = reduced.get(pivot)
                if factor:
                    for cell, c in row.items():
                        reduced[cell] = reduced.get(cell, 0) - factor * c
                    pivots[other] = {cell: c for cell, c in reduced.items() if c}
            pivots[pivot] = row
        pinned |= {pivot for pivot, row in pivots.items() if len(row) == 1}
    return pinned


def _small_ones(truth: Truth, cells) -> list[tuple[Cell, int]]:
    return sorted(((cell, true) for cell in cells
                   if (true := truth.value(cell[3], cell[1], cell[2], cell[0])) < SMALLEST), key=str)


def test_p03_subtracting_published_figures_gives_no_hidden_count_back(world):
    truth, published = world
    recovered = subtract_everything(published, equations(published, truth))
    exact = [cell for cell, value in recovered.items() if value == truth.value(cell[3], cell[1], cell[2], cell[0])]
    small = _small_ones(truth, exact)
    assert not small, f"{len(small)} hidden counts under {SMALLEST} worked out exactly, e.g. {small[:5]}"


def test_p03_no_hidden_figure_is_pinned_down_by_the_published_equations(world):
    truth, published = world
    pinned = determined(published, equations(published, truth))
    small = _small_ones(truth, pinned)
    assert not small, f"{len(small)} hidden counts under {SMALLEST} follow from what is shown, e.g. {small[:5]}"
    assert not pinned, f"{len(pinned)} hidden figures follow from what is shown, e.g. {sorted(pinned, key=str)[:5]}"


def test_the_same_cell_shows_the_same_figure_in_the_api_the_downloads_and_every_choice(world):
    _truth, published = world
    seen: dict[Cell, tuple[object, bool]] = {}
    for name, rows in published.sources.items():
        for cell, figure in rows.items():
            assert seen.setdefault(cell, figure) == figure, (name, cell, seen[cell], figure)
    assert {cell[0] for cell in seen} >= set(YEARS) | set(QUARTERS) | set(MONTHS)
    assert published.pages == 12 and published.exact_totals


def test_hidden_figures_are_hidden_and_what_is_shown_is_true(world):
    truth, published = world
    for (period, slug, area, indicator), (value, suppressed) in published.cells.items():
        if indicator not in ATTACKED:
            continue
        true = truth.value(indicator, slug, area, period)
        assert (value is None) == suppressed, (period, slug, area, indicator)
        assert suppressed or value == true, (period, slug, area, indicator, value, true)
    for cells, value in published.exact_totals:
        assert value == sum(truth.value(c[3], c[1], c[2], c[0]) for c in cells)


def test_years_of_five_people_or_more_stay_published(world):
    """Researchers keep the figures they need most: a year is hidden only when it is small itself, and
    a rating only when it is small or its number is the feedback total beside a hidden figure."""
    truth, published = world
    for slug in SLUGS:
        for quarter in QUARTERS:
            rated = sum(truth.value("rating_wellbeing", slug, area, quarter) for area in AREAS)
            every = sum(truth.value("feedback", slug, area, quarter) for area in AREAS)
            if SMALLEST <= rated < every:
                assert published.cells[(quarter, slug, None, "rating_wellbeing")][1] is False, (quarter, slug)
    for slug in SLUGS:
        for area in AREAS:
            for year in YEARS:
                for indicator in ("ideas", "feedback", "comments", "supports"):
                    people = {who for m in months_of(year) for name, who in truth.rows[(slug, area, m)] if name == indicator}
                    if len(people) >= SMALLEST:
                        assert published.cells[(year, slug, area, indicator)][1] is False, (year, slug, area, indicator)


@pytest.mark.parametrize("lang, heading", [("en", "How small figures are protected"),
                                           ("nb", "Slik beskytter vi små tall"), ("nn", "Slik vernar vi små tal")])
def test_the_method_is_written_down_on_the_about_page_and_linked_from_the_insights_page(client, lang, heading):
    about = client.get(f"/insights/about?lang={lang}")
    assert about.status_code == 200
    section = soup(about).find(id="hidden")
    assert section.get_text(strip=True) == heading
    assert section.find_next("ol") and section.find_next("h3")
    insights = soup(client.get(f"/insights/?lang={lang}"))
    assert insights.find("a", href="/insights/about#hidden").get_text(strip=True) == heading
