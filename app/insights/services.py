"""What the insights page, the exports and the API show, built from one set of figures."""
from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field

from app.core.i18n import format_decimal, format_percent, gettext
from app.districts.models import District, EffortArea
from app.districts.services import list_districts, list_effort_areas
from app.insights import charts, periods
from app.insights.charts import Chart
from app.insights.figures import Figure, Figures, compute
from app.insights.indicators import BY_KEY, CELL_INDICATORS, DEFINITIONS_VERSION, LICENCE, RATINGS, SMALLEST_GROUP
from app.insights.periods import Period

PARTICIPATION = ("ideas", "feedback", "comments", "supports")
MEETING = ("events", "registrations", "attendance", "participants")
COMPARED = ("ideas", "feedback", "registrations")
KEY_FIGURES = ("ideas", "feedback", "comments", "supports", "events", "registrations", "attendance", "participants")


class ScopeError(ValueError):
    pass


def choose_districts(slugs: list[str]) -> tuple[list[District], list[District]]:
    """(chosen, all): the districts named, or all of them when none is."""
    every = list_districts()
    by_slug = {d.slug: d for d in every}
    unknown = [slug for slug in slugs if slug not in by_slug]
    if unknown:
        raise ScopeError(gettext("Choose districts from the list."))
    chosen = [d for d in every if d.slug in slugs] if slugs else every
    return chosen, every


def exact_for(user, districts: list[District]) -> frozenset[int]:
    """Districts whose exact figures this person may see: those they moderate (admins: all)."""
    return frozenset(d.id for d in districts if d.is_moderated_by(user))


def figures_for(period: Period, districts: list[District], user=None) -> Figures:
    exact = exact_for(user, districts) if user is not None else frozenset()
    return compute(period, districts, list_effort_areas(), exact)


# --- exports ------------------------------------------------------------------------------------


def export_rows(figures: Figures) -> list[dict]:
    """One row per period × district × effort area × indicator, in a fixed order, zeros included,
    so two downloads line up row for row. Ratings are per district and quarter (no effort area)."""
    rows = []
    areas: list[EffortArea | None] = [*figures.areas, None]
    for bucket in figures.period.buckets:
        for district in figures.districts:
            for area in areas:
                for key in CELL_INDICATORS:
                    figure = figures.cell(district.id, area.id if area else None, bucket, key)
                    rows.append(_row(bucket, district, area, key, figure))
    for quarter in figures.period.quarters:
        for district in figures.districts:
            for key in RATINGS:
                figure = figures.rating(district.id, quarter, key)
                rows.append(_row(quarter, district, None, key, figure))
                count = Figure(None if figure.suppressed else figure.people or 0, figure.people, figure.suppressed)
                rows.append(_row(quarter, district, None, f"{key}_count", count))
    return rows


def _row(period: str, district: District, area: EffortArea | None, key: str, figure: Figure) -> dict:
    return {"period": period, "district": district.slug, "effort_area": area.number if area else None,
            "indicator": key, "value": figure.value, "suppressed": figure.suppressed}


SUPPRESSION = (f"Cells built from fewer than {SMALLEST_GROUP} people have value null and suppressed true, and so do "
               "some others, chosen so that no hidden cell can be worked out from those shown (by subtracting months "
               "from their quarter, quarters from their year, or ideas from submissions). A cell is hidden or shown "
               "the same whatever period, step or districts are asked for. See /insights/about.")


def export_document(figures: Figures) -> dict:
    """The JSON export and the API's indicators: the rows with what they are and under which licence."""
    exact = {d.id for d in figures.districts} <= figures.exact_district_ids
    return {
        "licence": LICENCE,
        "definitions_version": DEFINITIONS_VERSION,
        "period": {"from": figures.period.first_month, "to": figures.period.last_month,
                   "by": figures.period.step.value},
        "districts": [d.slug for d in figures.districts],
        "suppression": None if exact else SUPPRESSION,
        "rows": export_rows(figures),
    }


def public_document(period: Period, districts: list[District]) -> dict:
    """The figures as anyone may see them, whoever asks: for the API."""
    return export_document(figures_for(period, districts, None))


EXPORT_COLUMNS = ("period", "district", "effort_area", "indicator", "value", "suppressed")


def as_csv(document: dict) -> str:
    """The rows as CSV with a header row: empty for none, true or false for suppressed."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=EXPORT_COLUMNS, lineterminator="\r\n")
    writer.writeheader()
    for row in document["rows"]:
        writer.writerow({**row, "effort_area": "" if row["effort_area"] is None else row["effort_area"],
                         "value": "" if row["value"] is None else row["value"],
                         "suppressed": "true" if row["suppressed"] else "false"})
    return out.getvalue()


# --- the page -----------------------------------------------------------------------------------


def number(value: float | int | None, digits: int = 0) -> str:
    if value is None:
        return gettext("fewer than %(n)s", n=SMALLEST_GROUP)
    return format_decimal(round(value, digits), format="#,##0" + ("." + "0" * digits if digits else ""))


@dataclass
class Sum:
    value: int | float
    partial: bool          # some cell in it was built from too few people and is left out

    @property
    def text(self) -> str:
        return number(self.value) + ("*" if self.partial else "")


def _sum(figures: Figures, key: str, **where) -> Sum:
    return Sum(*figures.total(key, **where))


def _names() -> dict[str, str]:
    return {key: str(indicator.name) for key, indicator in BY_KEY.items()}


def _over_time_chart(figures: Figures, chart_id: str, title: str, keys: tuple[str, ...]) -> tuple[charts.Chart, list]:
    names, buckets = _names(), figures.period.buckets
    table = [(periods.label(b), [_sum(figures, key, buckets=[b]) for key in keys]) for b in buckets]
    series = [charts.Series(names[key], [row[1][i].value for row in table]) for i, key in enumerate(keys)]
    parts = []
    for i, key in enumerate(keys):
        total = sum(row[1][i].value for row in table)
        peak = max(table, key=lambda row: row[1][i].value) if table else None
        if total and peak:
            parts.append(gettext("%(indicator)s: %(total)s in all, most in %(period)s (%(peak)s).",
                                 indicator=names[key], total=number(total), period=peak[0],
                                 peak=number(peak[1][i].value)))
        else:
            parts.append(gettext("%(indicator)s: none counted.", indicator=names[key]))
    chart = charts.bar_chart(chart_id, title, " ".join(parts), [row[0] for row in table], series)
    return chart, table


def _district_chart(figures: Figures) -> tuple[charts.Chart, list]:
    names = _names()
    table = [(d.name, [_sum(figures, key, district_ids=[d.id]) for key in COMPARED]) for d in figures.districts]
    series = [charts.Series(names[key], [row[1][i].value for row in table]) for i, key in enumerate(COMPARED)]
    parts = []
    for i, key in enumerate(COMPARED):
        leader = max(table, key=lambda row: row[1][i].value)
        if leader[1][i].value:
            parts.append(gettext("Most %(indicator)s: %(district)s (%(value)s).", indicator=names[key].lower(),
                                 district=leader[0], value=number(leader[1][i].value)))
    summary = " ".join(parts) or gettext("Nothing counted in this period.")
    return charts.bar_chart("districts", gettext("The districts compared"), summary,
                            [row[0] for row in table], series), table


@dataclass
class Overview:
    figures: Figures
    key_figures: list[tuple[str, Sum]]
    share_answered: float | None
    charts: list[tuple[charts.Chart, list, tuple[str, ...]]]       # chart, its table rows, its columns
    # Label, the effort area (None for "not yet routed", so the page can mark Bokmål standing in), figures.
    by_area: list[tuple[str, EffortArea | None, list[Sum]]]
    # Texts are None where there is no figure at all (nothing to take a share, median or mean of).
    responses: list[tuple[District, list[tuple[str, Sum, str | None, str | None, str | None]]]]
    ratings: list[tuple[str, list[str | None]]]     # quarter, then each district's three ratings
    exact: bool
    # Per rating: its chart (quarters, a bar per district) and its table rows (quarter, each district's text).
    rating_charts: list[tuple[Chart, list[tuple[str, list[str | None]]]]] = field(default_factory=list)

    @property
    def share_text(self) -> str | None:
        return None if self.share_answered is None else format_percent(self.share_answered)

    @property
    def heading(self) -> str:
        buckets = self.figures.period.buckets
        first, last = periods.label(buckets[0]), periods.label(buckets[-1])
        return first if first == last else gettext("%(first)s to %(last)s", first=first, last=last)


def overview(figures: Figures) -> Overview:
    names = _names()
    participation = _over_time_chart(figures, "participation", gettext("Ideas, feedback, comments and supports over time"), PARTICIPATION)
    meeting = _over_time_chart(figures, "meeting", gettext("Events and registrations over time"), MEETING)
    compared = _district_chart(figures)
    by_area: list[tuple[str, EffortArea | None, list[Sum]]] = [
        (f"{a.number}. {a.title}", a, [_sum(figures, key, area_ids=[a.id]) for key in KEY_FIGURES])
        for a in figures.areas]
    by_area.append((gettext("Not yet routed"), None, [_sum(figures, key, area_ids=[None]) for key in KEY_FIGURES]))
    responses = []
    for district in figures.districts:
        rows = []
        for bucket in figures.period.buckets:
            submissions = _sum(figures, "submissions", district_ids=[district.id], buckets=[bucket])
            share = figures.share_answered(district_ids=[district.id], buckets=[bucket])
            rows.append((periods.label(bucket), submissions,
                         None if share is None else format_percent(share),
                         _median_text(figures.district_median(district.id, bucket, "days_to_routing"),
                                      gettext("fewer than %(n)s routed", n=SMALLEST_GROUP)),
                         _median_text(figures.district_median(district.id, bucket, "days_to_answer"),
                                      gettext("fewer than %(n)s answers", n=SMALLEST_GROUP))))
        responses.append((district, rows))
    ratings = []
    rated = []
    for quarter in figures.period.quarters:
        found = [figures.rating(district.id, quarter, key) for district in figures.districts for key in RATINGS]
        if any(figure.people for figure in found):
            ratings.append((periods.label(quarter), [_rating_text(figure) for figure in found]))
            rated.append(quarter)
    return Overview(
        figures=figures,
        key_figures=[(names[key], _sum(figures, key)) for key in KEY_FIGURES],
        share_answered=figures.share_answered(),
        charts=[(*participation, PARTICIPATION), (*meeting, MEETING), (*compared, COMPARED)],
        by_area=by_area, responses=responses, ratings=ratings,
        exact=bool(figures.exact_district_ids & {d.id for d in figures.districts}),
        rating_charts=[_rating_chart(figures, key, rated) for key in RATINGS] if rated else [],
    )


RATING_TITLES = {
    "rating_safety": lambda: gettext("Safety: mean rating per quarter"),
    "rating_wellbeing": lambda: gettext("Well-being: mean rating per quarter"),
    "rating_belonging": lambda: gettext("Belonging: mean rating per quarter"),
}


def _rating_chart(figures: Figures, key: str, quarters: list[str]) -> tuple[charts.Chart, list]:
    """One rating, the programme's outcome measure, as a bar per district and quarter on the 1–5
    scale, with the number of ratings over each bar where it fits and always in the table."""
    found = {(d.id, q): figures.rating(d.id, q, key) for d in figures.districts for q in quarters}

    def shown(figure: Figure) -> bool:
        return not figure.suppressed and figure.value is not None

    series = [charts.Series(d.name, [found[(d.id, q)].value if shown(found[(d.id, q)]) else None for q in quarters])
              for d in figures.districts]
    notes: list[list[str | None]] = [[f"({number(found[(d.id, q)].people)})" if shown(found[(d.id, q)]) else None
                                      for q in quarters] for d in figures.districts]
    rows = [(periods.label(q), [_rating_text(found[(d.id, q)]) for d in figures.districts]) for q in quarters]
    parts = []
    for d in figures.districts:
        latest = next((q for q in reversed(quarters) if shown(found[(d.id, q)])), None)
        if latest is None:
            parts.append(gettext("%(district)s: no mean shown.", district=d.name))
        else:
            figure = found[(d.id, latest)]
            parts.append(gettext("%(district)s: %(mean)s in %(quarter)s, from %(count)s ratings.", district=d.name,
                                 mean=number(figure.value, 1), quarter=periods.label(latest),
                                 count=number(figure.people)))
    summary = " ".join([gettext("From 1 (not at all) to 5 (very); the number of ratings in brackets."), *parts])
    chart = charts.bar_chart(f"ratings-{key.removeprefix('rating_')}", RATING_TITLES[key](), summary,
                             [periods.label(q) for q in quarters], series, top=5, notes=notes)
    return chart, rows


def _rating_text(figure: Figure) -> str | None:
    if figure.suppressed:
        return gettext("fewer than %(n)s ratings", n=SMALLEST_GROUP)
    return None if figure.value is None else f"{number(figure.value, 1)} ({number(figure.people)})"


def _median_text(figure: Figure | None, hidden: str) -> str | None:
    """The median in days; where hidden, what it is too few of, so a column of days never reads
    "fewer than 5" as if it meant under five days."""
    if figure is None or (figure.value is None and not figure.suppressed):
        return None
    return hidden if figure.suppressed else number(figure.value, 1)
