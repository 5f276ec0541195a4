"""The API's endpoints: thin views over the same services as the pages, answering in JSON."""
from __future__ import annotations

from datetime import date

from flask import Blueprint, Response, abort, request
from flask_login import AnonymousUserMixin

from app.api import geojson, openapi, params, serialise
from app.core import json_api, settings
from app.core.db import OSLO, utcnow
from app.core.json_api import json_response, problem
from app.core.permissions import public
from app.core.urls import site_url
from app.districts.services import list_districts, list_effort_areas
from app.events import services as events
from app.events.models import Audience
from app.extensions import limiter
from app.ideas import services as ideas
from app.insights import services as insights
from app.insights import surveys
from app.meeting_places import services as places
from app.submissions.models import Status
from app.submissions.visibility import is_publicly_visible

bp = Blueprint("api", __name__)


@bp.record_once
def _answer_as_programs_expect(state) -> None:
    if not state.url_prefix:
        raise RuntimeError("The API needs an address of its own: register it with a url_prefix such as /api.")
    json_api.serve_under(state.app, state.url_prefix)


# One limit per client address across the whole API, not one per endpoint.
limiter.shared_limit(lambda: settings.get("API_RATE_LIMIT"), scope="api")(bp)

MAX_AGE = 60  # seconds a cache may keep an answer
NOBODY = AnonymousUserMixin()  # what the API shows, it shows to everyone


@bp.errorhandler(params.BadParameter)
def _bad_parameter(error: params.BadParameter) -> Response:
    return problem(400, error.detail, parameter=error.name)


@bp.after_request
def _cacheable(response: Response) -> Response:
    """Answers are public and the same for everyone: caches may keep them a minute, and a client that
    sends the ETag it has gets 304 without the body."""
    if response.status_code == 200 and request.method in ("GET", "HEAD"):
        response.cache_control.public = True
        response.cache_control.max_age = MAX_AGE
        response.add_etag()
        response.make_conditional(request)
    return response


def _given(**values) -> dict:
    """The filters as asked for (only those given), for links to other pages."""
    return {name: value for name, value in values.items() if value is not None}


def _numbered(page: int, after: object | None, before: object | None) -> int | None:
    """The page's number when it was asked for by number; None when by key (its number is not counted)."""
    return None if after is not None or before is not None else page


# --- the description ------------------------------------------------------------------------------------------

@bp.get("/openapi.json")
@public
def openapi_document():
    document = openapi.document([d.slug for d in list_districts()], [a.number for a in list_effort_areas()],
                                server=request.script_root or "/")
    return json_response(document)


@bp.get("/v1")
@public
def index():
    return json_response(openapi.index(settings.get("BASE_URL"), site_url("api.openapi_document"),
                                       site_url("api_docs.reference_page")))


# --- districts and effort areas -----------------------------------------------------------------------------------

@bp.get("/v1/districts")
@public
def districts():
    return json_response({"items": [serialise.district(d) for d in list_districts()]})


@bp.get("/v1/districts.geojson")
@public
def district_features():
    return json_response(geojson.collection([geojson.district(d) for d in list_districts()]),
                         mimetype=geojson.MEDIA_TYPE)


@bp.get("/v1/effort-areas")
@public
def effort_areas():
    return json_response({"items": [serialise.effort_area(a) for a in list_effort_areas()]})


# --- ideas ------------------------------------------------------------------------------------------------------

@bp.get("/v1/ideas")
@public
def idea_list():
    district, area = params.district(), params.effort_area()
    status = params.choice("status", [s.value for s in Status])
    sort = params.choice("sort", ideas.SORTS)
    q, page = params.search(), params.page(ideas.PER_PAGE)
    after, before = params.key(ideas.ListKey.parse)
    found = ideas.list_ideas(district=district, area=area, status=status, q=q, sort=sort or ideas.SORTS[0], page=page,
                             after=after, before=before)
    filters = _given(district=district.slug if district else None, area=area.number if area else None,
                     status=status, q=q, sort=sort)
    items = [serialise.idea(idea, comments) for idea, comments in found.items]
    return json_response(serialise.page_of("api.idea_list", items, _numbered(found.page, after, before), found.per_page,
                                           found.total, filters, (found.previous_key, found.next_key)))


@bp.get("/v1/ideas.geojson")
@public
def idea_features():
    district, area = params.district(), params.effort_area()
    status = params.choice("status", [s.value for s in Status])
    q, page = params.search(), params.page(geojson.PER_PAGE)
    after, before = params.key(ideas.ListKey.parse)
    found = ideas.list_ideas(district=district, area=area, status=status, q=q, page=page,
                             per_page=geojson.PER_PAGE, located=True, after=after, before=before)
    filters = _given(district=district.slug if district else None, area=area.number if area else None,
                     status=status, q=q)
    features = [geojson.idea(idea) for idea, _comments in found.items]
    body = geojson.collection([f for f in features if f is not None],
                              **serialise.paging("api.idea_features", _numbered(found.page, after, before),
                                                 found.per_page, found.total, filters,
                                                 (found.previous_key, found.next_key), empty=not found.items))
    return json_response(body, mimetype=geojson.MEDIA_TYPE)


@bp.get("/v1/ideas/<int:idea_id>")
@public
def idea_detail(idea_id: int):
    idea = ideas.get_idea(idea_id)
    if idea is None or not is_publicly_visible(idea):
        abort(404)
    return json_response(serialise.idea_with_answers(idea, ideas.public_comment_count(idea)))


# --- events -----------------------------------------------------------------------------------------------------

def _narrowing(start: date | None, end: date | None) -> tuple[date | None, date | None]:
    """Only upcoming events are listed, so a start already past narrows nothing, and every event starts before
    the last day there is; leaving such days out keeps the service's date arithmetic in range (it overflows)."""
    today = utcnow().astimezone(OSLO).date()
    return (start if start is not None and start > today else None), (end if end is not None and end < date.max else None)


def _upcoming_filters() -> tuple[events.Filters, dict]:
    """The filters for the service, and as asked for (for links to other pages)."""
    district, area = params.district(), params.effort_area()
    audience = params.choice("audience", [a.value for a in Audience])
    start, end, free_seats = params.day("start"), params.day("end"), params.flag("free_seats")
    after, before = _narrowing(start, end)
    filters = events.Filters(district=district, effort_area_id=area.id if area else None, audience=audience,
                             free_seats=free_seats, start=after, end=before)
    given = _given(district=district.slug if district else None, area=area.number if area else None,
                   audience=audience, start=start.isoformat() if start else None,
                   end=end.isoformat() if end else None, free_seats="true" if free_seats else None)
    return filters, given


@bp.get("/v1/events")
@public
def event_list():
    filters, given = _upcoming_filters()
    page = params.page(events.PER_PAGE)
    after, before = params.key(events.EventKey.parse)
    found = events.list_upcoming(filters, page, after=after, before=before)
    items = [serialise.event(event) for event in found.events]
    return json_response(serialise.page_of("api.event_list", items, _numbered(page, after, before), events.PER_PAGE,
                                           found.total, given, (found.previous_key, found.next_key)))


@bp.get("/v1/events/<int:event_id>")
@public
def event_detail(event_id: int):
    event = events.get(event_id)
    if event is None or not event.is_visible_to(NOBODY):
        abort(404)
    return json_response(serialise.event(event))


# --- indicators -------------------------------------------------------------------------------------------------

@bp.get("/v1/indicators")
@public
def indicators():
    # Public figures only: cells of fewer than five people, and those hidden with them, are hidden here whoever asks.
    period = params.period()
    chosen, _every = params.districts()
    return json_response(insights.public_document(period, chosen))


# --- the area survey ---------------------------------------------------------------------------------------------

@bp.get("/v1/surveys")
@public
def survey_list():
    return json_response({"items": surveys.survey_list()})


@bp.get("/v1/surveys/<int:survey_id>/results")
@public
def survey_results(survey_id: int):
    # The same figures as /insights/surveys/<id>: closed rounds only, small figures suppressed, no free text.
    survey = surveys.get_published_survey(survey_id)
    if survey is None:
        abort(404)
    return json_response(surveys.export_document(surveys.survey_results(survey)))


# --- meeting places ---------------------------------------------------------------------------------------------

@bp.get("/v1/meeting-places")
@public
def meeting_place_list():
    return json_response({"items": [serialise.meeting_place(p) for p in places.list_places(params.district())]})


@bp.get("/v1/meeting-places.geojson")
@public
def meeting_place_features():
    features = [geojson.meeting_place(p) for p in places.list_places(params.district())]
    return json_response(geojson.collection([f for f in features if f is not None]), mimetype=geojson.MEDIA_TYPE)


@bp.get("/v1/meeting-places/<int:place_id>")
@public
def meeting_place_detail(place_id: int):
    place = places.get_place(place_id)
    if place is None or place.retired_at is not None:
        abort(404)
    return json_response(serialise.meeting_place(place))
