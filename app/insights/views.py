"""Insights: the indicators as a page with charts and tables, CSV and JSON downloads, and their data dictionary."""
from __future__ import annotations

import json

from flask import Blueprint, Response, abort, render_template, request
from flask_login import current_user

from app.core import settings as app_settings
from app.core.permissions import public
from app.insights import periods, services
from app.insights import surveys as survey_results
from app.insights.forms import InsightsForm
from app.insights.indicators import BY_KEY, CHANGES, DEFINITIONS_VERSION, INDICATORS, LICENCE, SMALLEST_GROUP

bp = Blueprint("insights", __name__, template_folder="templates")


class Choice:
    """The period and districts asked for, and each problem with the field it belongs to."""

    def __init__(self):
        self.errors: list[tuple[str, str]] = []
        slugs = [slug for slug in request.args.getlist("district") if slug]
        try:
            self.period = periods.parse(request.args.get("from"), request.args.get("to"), request.args.get("by"))
        except periods.PeriodError as problem:
            self.errors.append((problem.field, str(problem)))
            self.period = periods.parse(None, None, None)
        try:
            self.districts, self.every_district = services.choose_districts(slugs)
        except services.ScopeError as problem:
            self.errors.append(("district", str(problem)))
            self.districts, self.every_district = services.choose_districts([])

    @property
    def all_districts(self) -> bool:
        return len(self.districts) == len(self.every_district)

    def figures(self):
        return services.figures_for(self.period, self.districts, current_user)

    def query(self) -> dict:
        return {**self.period.query(), "district": [] if self.all_districts else [d.slug for d in self.districts]}


@bp.route("/")
@public
def index():
    choice = Choice()
    form = InsightsForm(request.args)
    form.district.choices = [(d.slug, d.name) for d in choice.every_district]
    if choice.errors:
        for name, message in choice.errors:
            field = {"from": form.start, "to": form.end}.get(name) or form[name]
            field.errors = [message]
        return render_template("insights/index.html", form=form, overview=None, smallest=SMALLEST_GROUP), 400
    query = choice.query()
    form.district.data = query["district"]   # none ticked means all, as the hint says
    form.start.data, form.end.data, form.by.data = query["from"][:4], query["to"][:4], query["by"]
    return render_template("insights/index.html", form=form, overview=services.overview(choice.figures()),
                           query=query, indicators=BY_KEY, smallest=SMALLEST_GROUP)


def _attachment(response: Response, choice: Choice, extension: str) -> Response:
    query = choice.period.query()
    name = f"medvirk-indicators-{query['from']}-{query['to']}-{query['by']}.{extension}"
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    response.headers["Link"] = f'<{LICENCE["url"]}>; rel="license"'
    return response


@bp.route("/export.csv")
@public
def export_csv():
    choice = Choice()
    if choice.errors:
        return Response(choice.errors[0][1], status=400, content_type="text/plain; charset=utf-8")
    # Exact only in the districts this person moderates, as on the page.
    document = services.export_document(choice.figures())
    response = Response(services.as_csv(document).encode("utf-8"), content_type="text/csv; charset=utf-8")
    return _attachment(response, choice, "csv")


@bp.route("/export.json")
@public
def export_json():
    choice = Choice()
    if choice.errors:
        name, message = choice.errors[0]
        body = json.dumps({"error": message, "field": name}, ensure_ascii=False)
        return Response(body, status=400, content_type="application/json")
    # Exact only in the districts this person moderates, as on the page.
    document = services.export_document(choice.figures())
    response = Response(json.dumps(document, ensure_ascii=False), content_type="application/json")
    return _attachment(response, choice, "json")


@bp.route("/about")
@public
def about():
    return render_template("insights/about.html", indicators=INDICATORS, changes=CHANGES,
                           version=DEFINITIONS_VERSION, licence=LICENCE, smallest=SMALLEST_GROUP,
                           retention=app_settings.get("SURVEY_FREE_TEXT_RETENTION_DAYS"))


# --- the area survey's results -----------------------------------------------------------------------


@bp.route("/surveys")
@public
def surveys():
    return render_template("insights/surveys.html", surveys=survey_results.survey_list(language=None))


def _published_survey(survey_id: int):
    survey = survey_results.get_published_survey(survey_id)
    if survey is None:
        abort(404)
    return survey


@bp.route("/surveys/<int:survey_id>")
@public
def survey(survey_id: int):
    found = _published_survey(survey_id)
    shown = survey_results.page(found, survey_results.survey_results(found))
    return render_template("insights/survey.html", smallest=SMALLEST_GROUP, **shown)


def _survey_download(survey_id: int, extension: str, body: str, content_type: str) -> Response:
    response = Response(body.encode("utf-8"), content_type=content_type)
    response.headers["Content-Disposition"] = f'attachment; filename="medvirk-survey-{survey_id}.{extension}"'
    response.headers["Link"] = f'<{LICENCE["url"]}>; rel="license"'
    return response


@bp.route("/surveys/<int:survey_id>/results.csv")
@public
def survey_export_csv(survey_id: int):
    document = survey_results.export_document(survey_results.survey_results(_published_survey(survey_id)))
    return _survey_download(survey_id, "csv", survey_results.as_csv(document), "text/csv; charset=utf-8")


@bp.route("/surveys/<int:survey_id>/results.json")
@public
def survey_export_json(survey_id: int):
    document = survey_results.export_document(survey_results.survey_results(_published_survey(survey_id)))
    return _survey_download(survey_id, "json", json.dumps(document, ensure_ascii=False), "application/json")
