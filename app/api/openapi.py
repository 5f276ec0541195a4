"""The OpenAPI 3.1 description of the API, served at /api/openapi.json.

Every object is closed (``additionalProperties: false``), so an answer that
drifts from this description fails the schema tests. Value lists come from
the code that checks them; districts and effort areas are data, so their
lists are filled in from the database when the document is asked for.

To describe a new endpoint, add its schema to ``SCHEMAS`` and its path to
``PATHS`` with ``_get``.
"""
from __future__ import annotations

from typing import Any

from app.api import geojson
from app.api.params import KEY_PATTERN, SEARCH_MAX_LENGTH, max_page
from app.core.params import MAX_INT
from app.events.models import SPOKEN_LANGUAGES, Audience, EventStatus
from app.ideas.services import PER_PAGE, SORTS
from app.insights.indicators import CELL_INDICATORS, RATINGS
from app.insights.periods import AGREEMENT_YEARS, FIRST_YEAR, LAST_YEAR, Step
from app.submissions.models import Status

Schema = dict[str, Any]
# A year from FIRST_YEAR to LAST_YEAR (2020–2035), or a month of one.
YEAR_OR_MONTH = "^20(2[0-9]|3[0-5])(-(0[1-9]|1[0-2]))?$"
INDICATOR_KEYS = [*CELL_INDICATORS, *(key for rating in RATINGS for key in (rating, f"{rating}_count"))]

INFO: Schema = {
    "title": "Medvirk API",
    "version": "1.0.0",
    "summary": "Public data of Medvirk, the participation platform of the area-based initiatives in Trondheim.",
    "description": (
        "Read-only access to what Medvirk shows everyone: the districts Lademoen, Tempe-Sorgenfri and Møllenberg, "
        "the four effort areas of the agreement, residents' ideas with the municipality's public answers, "
        "upcoming events and the social meeting places. All of it is public data, and none of it tells who "
        "wrote an idea or who registered for an event.\n\n"
        "The data may be reused under the Norwegian Licence for Open Government Data (NLOD) 2.0.\n\n"
        "Answers carry a strong `ETag` and may be cached for 60 seconds; send it back in `If-None-Match` to get "
        "304 Not Modified when nothing has changed. Texts that exist in Bokmål, Nynorsk and English are given in "
        "all three, so answers do not depend on the language asked for. Query parameters the API does not know "
        "are ignored; a known parameter with a value it does not allow is answered with 400. Requests are "
        "limited per client address (429 with `Retry-After`). Errors are problem details (RFC 9457).\n\n"
        "Points are WGS 84 (latitude and longitude in decimal degrees); an idea's point is rounded to about 50 m, as "
        "on the public map. The `.geojson` answers are GeoJSON (RFC 7946) for map programs, longitude first, with "
        "only the things that have a point. Where a feedback is about is never given: it is personal data."
    ),
    "license": {"name": "Norwegian Licence for Open Government Data (NLOD) 2.0",
                "url": "https://data.norge.no/nlod/en/2.0"},
}
TAGS = [
    {"name": "index", "description": "Where to start: what the API has."},
    {"name": "districts", "description": "The districts and the agreement's effort areas."},
    {"name": "ideas", "description": "Residents' public ideas and the municipality's answers."},
    {"name": "events", "description": "Upcoming events of volunteer organisations."},
    {"name": "meeting-places", "description": "Social meeting places and their accessibility."},
    {"name": "maps", "description": "Boundaries, meeting places and ideas as GeoJSON (RFC 7946), longitude first."},
    {"name": "indicators", "description": "The figures of /insights/, as public as there: see /insights/about. A cell "
                                          "built from fewer than 5 people is suppressed, and so are a few others, "
                                          "chosen so that no suppressed cell can be worked out from those published "
                                          "(months add up to quarters and quarters to years; submissions are ideas "
                                          "plus feedback). A cell is suppressed or published the same whatever "
                                          "period, step or districts are asked for."},
    {"name": "surveys", "description": "The area survey's results, round by round and district by district, as "
                                       "public as /insights/surveys: only closed rounds; figures of fewer than 5 "
                                       "people, and a few hidden with them, suppressed; free text never."},
]


# --- building blocks ---------------------------------------------------------------------------------------

def _ref(name: str, kind: str = "schemas") -> Schema:
    return {"$ref": f"#/components/{kind}/{name}"}


def _object(properties: dict[str, Schema], description: str | None = None) -> Schema:
    schema: Schema = {"type": "object", "properties": properties, "required": list(properties),
                      "additionalProperties": False}
    if description:
        schema["description"] = description
    return schema


def _nullable(schema: Schema) -> Schema:
    return {**schema, "type": [schema["type"], "null"]}


def _enum(values: list[str] | list[int], kind: str = "string") -> Schema:
    return {"type": kind, "enum": list(values)}


ID: Schema = {"type": "integer", "minimum": 1, "maximum": MAX_INT}
COUNT: Schema = {"type": "integer", "minimum": 0}
TEXT: Schema = {"type": "string"}
HTML: Schema = {"type": "string", "description": "Sanitised HTML, safe to show as it is."}
PATH: Schema = {"type": "string", "format": "uri-reference", "description": "A path on this site."}
# Absolute, on the site's configured address: it works wherever the answer is read.
LINK: Schema = {"type": "string", "format": "uri", "pattern": "^https?://",
                "description": "The address of its page on this site."}
MOMENT: Schema = {"type": "string", "format": "date-time", "description": "UTC, ISO 8601 with offset."}
SLUG: Schema = {"type": "string", "pattern": "^[a-z0-9-]+$"}
AREA_NUMBER: Schema = {"type": "integer", "minimum": 1}
LATITUDE: Schema = {"type": "number", "minimum": -90, "maximum": 90}
LONGITUDE: Schema = {"type": "number", "minimum": -180, "maximum": 180}
POINT: Schema = {**_object({"latitude": LATITUDE, "longitude": LONGITUDE}), "type": ["object", "null"],
                 "description": "Where it is, in WGS 84 decimal degrees; null: not known."}


PAGE_NUMBER: Schema = {"type": ["integer", "null"], "minimum": 1, "maximum": MAX_INT,
                       "description": "The number of the page asked for by page; null when asked for by key "
                                      "(after or before)."}


def _page_of(item: str) -> Schema:
    return _object({
        "items": {"type": "array", "items": _ref(item)},
        "page": PAGE_NUMBER,
        "per_page": {"type": "integer", "minimum": 1},
        "total": COUNT,
        "pages": {"type": "integer", "minimum": 1},
        "links": _ref("PageLinks"),
    })


def _list_of(item: str) -> Schema:
    return _object({"items": {"type": "array", "items": _ref(item)}})


# --- what the answers hold ---------------------------------------------------------------------------------

IDEA: dict[str, Schema] = {
    "id": ID,
    "url": LINK,
    "title": TEXT,
    "body_html": HTML,
    "language": {"type": "string", "pattern": "^[a-z]{2,3}$", "description": "The language the idea is written in (ISO 639 code, e.g. nb, en, ar)."},
    "district": {**SLUG, "description": "The district's slug."},
    "effort_area": {**_nullable(AREA_NUMBER), "description": "Its effort area's number; null until a moderator routes it."},
    "status": _enum([status.value for status in Status]),
    "support_count": COUNT,
    "comment_count": {**COUNT, "description": "Comments anyone can read."},
    "created_at": MOMENT,
    "duplicate_of": {**_nullable(ID), "description": "The idea a moderator found this one to be the same as."},
    "location": {**POINT, "description": "The place the idea is about, rounded to about 50 m as on the public map; "
                                        "null: none given."},
}


# --- GeoJSON (RFC 7946) ----------------------------------------------------------------------------------------

def _geometry(kind: str, coordinates: Schema) -> Schema:
    return _object({"type": _enum([kind]), "coordinates": coordinates})


def _array(items: Schema, least: int = 1) -> Schema:
    return {"type": "array", "items": items, "minItems": least}


def _feature(ident: Schema, geometry: Schema, properties: dict[str, Schema]) -> Schema:
    return _object({"type": _enum(["Feature"]), "id": ident, "geometry": geometry, "properties": _object(properties)})


def _features(item: str, description: str) -> Schema:
    return _object({"type": _enum(["FeatureCollection"]), "features": {"type": "array", "items": _ref(item)}},
                   description)


POSITION: Schema = {"type": "array", "prefixItems": [LONGITUDE, LATITUDE], "items": {"type": "number"},
                    "minItems": 2, "maxItems": 2, "description": "Longitude, latitude (WGS 84)."}
# A closed ring: its first and last positions are the same, so a triangle has four.
RING: Schema = _array(_ref("Position"), least=4)
GEOJSON: dict[str, Schema] = {
    "Position": POSITION,
    "Point": _geometry("Point", _ref("Position")),
    "Polygon": _geometry("Polygon", _array(RING)),
    "MultiPolygon": _geometry("MultiPolygon", _array(_array(RING))),
    "DistrictFeature": _feature(SLUG, {
        "oneOf": [_ref("Polygon"), _ref("MultiPolygon"), {"type": "null"}],
        "description": "Its boundary; null: none is stored yet."}, {
        "slug": SLUG,
        "name": _ref("InEveryLanguage"),
        "active": {"type": "boolean", "description": "false: retired."},
        "url": LINK,
        "boundary": {"type": ["string", "null"], "enum": ["official", "approximate", None],
                     "description": "official: the municipality's boundary; approximate: drawn from well-known streets "
                                    "and landmarks; null: no boundary."},
        "boundary_updated_at": {**_nullable(MOMENT), "description": "When the boundary was last changed."},
    }),
    "MeetingPlaceFeature": _feature(ID, _ref("Point"), {
        "id": ID, "url": LINK, "name": TEXT, "district": SLUG, "address": TEXT}),
    "IdeaFeature": _feature(ID, {**_ref("Point"), "description": "Rounded to about 50 m, as on the public map."}, {
        "id": ID, "url": LINK, "title": TEXT, "district": SLUG, "effort_area": _nullable(AREA_NUMBER),
        "status": _enum([status.value for status in Status]), "support_count": COUNT, "created_at": MOMENT}),
    "DistrictFeatures": _features("DistrictFeature", "Every district, in its order, with its boundary."),
    "MeetingPlaceFeatures": _features("MeetingPlaceFeature", "The meeting places in use that have a point, by name."),
    "IdeaFeaturePage": _object({
        "type": _enum(["FeatureCollection"]),
        "features": {"type": "array", "items": _ref("IdeaFeature")},
        "page": PAGE_NUMBER,
        "per_page": {"type": "integer", "minimum": 1},
        "total": {**COUNT, "description": "Ideas with a point that match, on every page."},
        "pages": {"type": "integer", "minimum": 1},
        "links": _ref("PageLinks"),
    }, f"Public ideas with a point, newest first, {geojson.PER_PAGE} a page; the paging members are foreign "
       "members, which RFC 7946 allows."),
}

SCHEMAS: dict[str, Schema] = {
    "InEveryLanguage": _object({"nb": TEXT, "nn": TEXT, "en": TEXT},
                               "The same text in Bokmål, Nynorsk and English."),
    "District": _object({
        "slug": SLUG,
        "position": {"type": "integer", "description": "Where it comes in lists."},
        "active": {"type": "boolean", "description": "false: retired, it takes nothing new; what it holds is still "
                                                     "listed and counted."},
        "name": _ref("InEveryLanguage"),
        "description": _ref("InEveryLanguage"),
        "url": LINK,
        "calendar_url": {**LINK, "description": "The district's events as an iCalendar feed."},
    }),
    "SubTheme": _object({"slug": SLUG, "title": _ref("InEveryLanguage")}),
    "EffortArea": _object({
        "number": AREA_NUMBER,
        "title": _ref("InEveryLanguage"),
        # The short plain name residents see on cards, filters and forms, and one line saying what belongs there.
        "public_name": _ref("InEveryLanguage"),
        "public_explanation": _ref("InEveryLanguage"),
        "goal": _ref("InEveryLanguage"),
        "description": _ref("InEveryLanguage"),
        "sub_themes": {"type": "array", "items": _ref("SubTheme")},
        "url": LINK,
    }),
    "Idea": _object(IDEA),
    "Answer": _object({
        "status": _enum([status.value for status in Status]),
        "answered_at": MOMENT,
        "answer_html": {**HTML, "description": "The answer in Bokmål, which every reader can fall back to."},
        "answer_html_by_language": _object({"nb": HTML, "nn": _nullable(HTML), "en": _nullable(HTML)},
                                           "The answer in Bokmål, Nynorsk and English; null where it was not "
                                           "written in that language (its readers are shown the Bokmål text)."),
    }, "A public answer from the municipality, given when the idea got that status."),
    "IdeaWithAnswers": _object(IDEA | {"answers": {"type": "array", "items": _ref("Answer")}}),
    "Organisation": _object({"id": ID, "name": TEXT, "url": LINK}),
    "Event": _object({
        "id": ID,
        "url": LINK,
        "calendar_url": {**LINK, "description": "The event as an iCalendar file."},
        "title": TEXT,
        "description_html": HTML,
        "language": {**_nullable({"type": "string", "pattern": "^[a-z]{2,3}$"}),
                     "description": "The language title and description are written in (ISO 639 code); null: not known."},
        "translations": {"type": "array", "items": _ref("EventTranslation"),
                         "description": "Title and description as the organisers wrote them in other languages."},
        "starts_at": MOMENT,
        "ends_at": MOMENT,
        "registration_deadline": {**_nullable(MOMENT), "description": "null: registration is open until it starts."},
        "district": SLUG,
        "meeting_place": {**_nullable(ID), "description": "null when it is held at another address."},
        "address": {**TEXT, "description": "Where it is: the meeting place's name and address, or the address."},
        "location": {**POINT, "description": "At a meeting place: the place's point. Elsewhere: the event's own, "
                                            "if it was given; else null."},
        "organisation": _ref("Organisation"),
        "effort_area": _nullable(AREA_NUMBER),
        "audience": _enum([audience.value for audience in Audience]),
        "languages": {"type": "array", "items": _enum(list(SPOKEN_LANGUAGES))},
        "capacity": {**_nullable({"type": "integer", "minimum": 1}), "description": "null: no limit."},
        "seats_left": {**_nullable(COUNT), "description": "null: no limit."},
        "status": _enum([EventStatus.PUBLISHED.value, EventStatus.CANCELLED.value]),
        "series_id": {**_nullable(TEXT), "description": "Shared by the weekly occurrences of one event."},
    }),
    "EventTranslation": _object({
        "language": {"type": "string", "pattern": "^[a-z]{2,3}$", "description": "ISO 639 code, e.g. en, so, ar."},
        "title": TEXT,
        "description_html": HTML,
    }, "The organisers' own version of an event's texts in one language (not a machine translation)."),
    "MeetingPlace": _object({
        "id": ID,
        "url": LINK,
        "name": TEXT,
        "district": SLUG,
        "address": TEXT,
        "location": POINT,
        "opening_hours": {**TEXT, "description": "Plain text, lines separated by newlines."},
        "description_html": HTML,
        "accessibility": _object({
            "step_free_entrance": _nullable({"type": "boolean"}),
            "accessible_toilet": _nullable({"type": "boolean"}),
            "hearing_loop": _nullable({"type": "boolean"}),
            "notes": TEXT,
        }, "null: not known yet."),
        "contact": _object({"email": _nullable(TEXT), "phone": _nullable(TEXT)},
                           "How to reach the meeting place itself."),
    }),
    "IndicatorRow": _object({
        "period": {"type": "string", "pattern": "^[0-9]{4}(-Q[1-4]|-[0-9]{2})?$",
                   "description": "A calendar year (2025), quarter (2025-Q1) or month (2025-03), Oslo time."},
        "district": SLUG,
        "effort_area": {**_nullable(AREA_NUMBER),
                        "description": "null: not yet routed, or a rating (ratings are per district and quarter)."},
        "indicator": _enum(INDICATOR_KEYS),
        "value": {"type": ["number", "null"],
                  "description": "null when suppressed, or when there is nothing to take a median or mean of."},
        "suppressed": {"type": "boolean",
                       "description": "true: not published, because it is built from fewer than 5 people, or because "
                                      "it is hidden with such a cell so that the cell cannot be worked out by "
                                      "subtraction. The two are not told apart. Never true for events."},
    }, "One figure: see /insights/about for what each indicator counts."),
    "Indicators": _object({
        "licence": _object({"name": TEXT, "url": {"type": "string", "format": "uri"}}),
        "definitions_version": TEXT,
        "period": _object({"from": {"type": "string", "pattern": "^[0-9]{4}-[0-9]{2}$"},
                           "to": {"type": "string", "pattern": "^[0-9]{4}-[0-9]{2}$"},
                           "by": _enum([step.value for step in Step])}),
        "districts": {"type": "array", "items": SLUG},
        "suppression": {**_nullable(TEXT), "description": "How cells are suppressed, in words (English)."},
        "rows": {"type": "array", "items": _ref("IndicatorRow")},
    }, "One row per period, district, effort area and indicator, zeros included, in a fixed order."),
    "SurveyRound": _object({
        "id": ID, "label": TEXT, "reach": _enum(["open", "codes", "invitations"]),
        "opens": {"type": "string", "format": "date"}, "closes": {"type": "string", "format": "date"},
        "self_selected": {"type": "boolean", "description": "true for an open link: those who answered chose to."},
    }, "A round of a survey: when it ran and how people were reached."),
    "Survey": _object({
        "id": ID, "title": TEXT,
        "rounds": {"type": "array", "items": {**_ref("SurveyRound"), "description": "Oldest first."}},
        "published": {"type": "array", "items": ID,
                      "description": "The rounds whose results are published: those that have closed."},
    }, "An area survey with a round that has opened."),
    "SurveyList": _list_of("Survey"),
    "SurveyQuestion": _object({
        "key": TEXT, "version": {"type": "integer", "minimum": 1},
        "kind": _enum(["single", "multiple", "scale", "number", "text"]), "wording": TEXT,
        "categories": {"type": "array", "items": TEXT},
        "shown_if": {**_nullable({"type": "object"}), "properties": {
            "question": TEXT, "answers": {"type": "array", "items": TEXT}},
            "required": ["question", "answers"], "additionalProperties": False},
    }, "A question as worded (in Bokmål); the same key and version means the same words in every round."),
    "SurveyResultRow": _object({
        "round": ID, "round_label": TEXT, "reach": _enum(["open", "codes", "invitations"]),
        "district": {**TEXT, "description": "A district's slug, or all."},
        "question": _nullable(TEXT), "version": _nullable({"type": "integer", "minimum": 1}),
        "kind": _nullable(_enum(["single", "multiple", "scale", "number", "text"])),
        "figure": _enum(["answer_sets", "channel", "reached", "response_rate", "answers", "count", "share", "mean",
                         "median"]),
        "category": {**_nullable(TEXT), "description": "The choice, the point of the scale or the channel."},
        "value": {"type": ["number", "null"], "description": "null when suppressed."},
        "suppressed": {"type": "boolean",
                       "description": "true: not published, because it is built from fewer than 5 people, or because "
                                      "it is hidden with such a figure so that it cannot be worked out by "
                                      "subtraction."},
    }, "One figure of a closed round. Free-text questions have only their number of answers."),
    "SurveyResults": _object({
        "licence": _object({"name": TEXT, "url": {"type": "string", "format": "uri"}}),
        "survey": _object({"id": ID, "title": TEXT}),
        "rounds": {"type": "array", "items": _ref("SurveyRound")},
        "questions": {"type": "array", "items": _ref("SurveyQuestion")},
        "suppression": {**TEXT, "description": "How figures are suppressed, in words (English)."},
        "rows": {"type": "array", "items": _ref("SurveyResultRow")},
    }, "The results of a survey's closed rounds, as /insights/surveys shows them."),
    "PageLinks": _object({"next": _nullable(PATH), "prev": _nullable(PATH)},
                         "The neighbouring pages with the same filters; null where there is none. They go by key "
                         "(after or before an item of this page), so every page costs the same to read however "
                         "deep: follow next to read a whole list."),
    "DistrictList": _list_of("District"),
    "EffortAreaList": _list_of("EffortArea"),
    "IdeaPage": _page_of("Idea"),
    "EventPage": _page_of("Event"),
    "MeetingPlaceList": _list_of("MeetingPlace"),
    **GEOJSON,
    "Index": _object({
        "title": TEXT,
        "openapi": {**LINK, "description": "This API described in OpenAPI 3.1."},
        "documentation": {**LINK, "description": "The same description as a page for people."},
        "endpoints": {"type": "array", "items": _object({
            "path": {**TEXT, "description": "Its path; a part in braces is the id of one thing."},
            "method": _enum(["GET"]),
            "summary": TEXT,
            # A URI template rather than a URI: braces are not allowed in a URI.
            "url": {"type": "string", "pattern": "^https?://[^ ]+$",
                    "description": "Its absolute address; a part in braces stands for the id of one thing."},
        })},
    }, "What the API has: every endpoint of /api/v1, and where it is described."),
    "Problem": {
        "type": "object",
        "description": "RFC 9457 problem details, in the language of the request.",
        "properties": {
            "title": TEXT,
            "status": {"type": "integer", "minimum": 400, "maximum": 599},
            "detail": TEXT,
            "parameter": {**TEXT, "description": "The query parameter whose value is not allowed."},
            "incident": {**TEXT, "description": "Give this when you contact us about a server error."},
        },
        "required": ["title", "status", "detail"],
        "additionalProperties": False,
    },
}

HEADERS: dict[str, Schema] = {
    "ETag": {"description": "A strong validator of the answer; send it back in If-None-Match.",
             "required": True, "schema": TEXT},
    "Cache-Control": {"description": "public, max-age=60", "required": True, "schema": TEXT},
    "Retry-After": {"description": "Seconds to wait before asking again.", "required": True,
                    "schema": {"type": "string", "pattern": "^[0-9]+$"}},
}


def _problem(description: str, *headers: str) -> Schema:
    response: Schema = {"description": description,
                        "content": {"application/problem+json": {"schema": _ref("Problem")}}}
    if headers:
        response["headers"] = {name: _ref(name, "headers") for name in headers}
    return response


RESPONSES: dict[str, Schema] = {
    "NotModified": {"description": "Nothing has changed since the ETag given in If-None-Match.",
                    "headers": {"ETag": _ref("ETag", "headers"), "Cache-Control": _ref("Cache-Control", "headers")}},
    "BadRequest": _problem("A query parameter has a value that is not allowed; `parameter` names it."),
    "NotFound": _problem("There is no such public thing: it never existed, or it is not public (any more)."),
    "TooManyRequests": _problem("Too many requests from this address; wait as Retry-After says.", "Retry-After"),
}


# --- query and path parameters ------------------------------------------------------------------------------

def _query(name: str, schema: Schema, description: str) -> Schema:
    return {"name": name, "in": "query", "required": False, "schema": schema, "description": description}


def _parameters(district_slugs: list[str], area_numbers: list[int]) -> dict[str, Schema]:
    key = {"type": "string", "pattern": f"^{KEY_PATTERN}$"}

    def page(per_page: int) -> Schema:
        most = max_page(per_page)
        return _query("page", {"type": "integer", "minimum": 1, "maximum": most, "default": 1},
                      f"Which page of {per_page}, up to page {most}; a page past the last one is empty. Deeper pages "
                      "are read by key: follow links.next. Left aside when after or before is given.")

    return {
        "after": _query("after", key, "The page after this key, as links.next gives it (opaque: a key not from "
                                      "links.next or links.prev is refused). Wins over before and page."),
        "before": _query("before", key, "The page before this key, as links.prev gives it. Wins over page."),
        "district": _query("district", _enum(district_slugs), "Only those in this district (its slug)."),
        "area": _query("area", _enum(area_numbers, "integer"), "Only those in this effort area (its number)."),
        "page": page(PER_PAGE),
        "feature_page": page(geojson.PER_PAGE),
        "status": _query("status", _enum([status.value for status in Status]), "Only ideas with this status."),
        "q": _query("q", {"type": "string", "maxLength": SEARCH_MAX_LENGTH},
                    "Words that must all be in the title or text, as on /ideas/; punctuation is ignored."),
        "sort": _query("sort", {**_enum(list(SORTS)), "default": SORTS[0]},
                       "newest: newest first; supported: most supported first."),
        "audience": _query("audience", _enum([audience.value for audience in Audience]),
                           "Only events for this audience."),
        "start": _query("start", {"type": "string", "format": "date"},
                        "Only events still going on at or after the start of this day (Oslo time)."),
        "end": _query("end", {"type": "string", "format": "date"},
                      "Only events that start before the end of this day (Oslo time)."),
        "free_seats": _query("free_seats", {"type": "boolean", "default": False},
                             "true: only events with seats left (or no limit)."),
        "districts": {**_query("district", {"type": "array", "items": _enum(district_slugs), "uniqueItems": True},
                               "Only these districts (give district once for each); none: all."),
                      "style": "form", "explode": True},
        "from": _query("from", {"type": "string", "pattern": YEAR_OR_MONTH},
                       f"The first year (2025) or month (2025-03), {FIRST_YEAR} to {LAST_YEAR}; default "
                       f"{AGREEMENT_YEARS[0]}, when the agreement starts. Counting by quarter or year widens it to "
                       "the start of its quarter or year."),
        "to": _query("to", {"type": "string", "pattern": YEAR_OR_MONTH},
                     f"The last year or month, included; default {AGREEMENT_YEARS[1]}. from and to may come in "
                     "either order."),
        "by": _query("by", {**_enum([step.value for step in Step]), "default": Step.YEAR.value},
                     "Count by calendar year, quarter or month."),
    }


def _in_path(name: str) -> Schema:
    return {"name": name, "in": "path", "required": True, "schema": ID}


def _get(operation_id: str, tag: str, summary: str, answer: str, query: tuple[str, ...] = (),
         in_path: str | None = None, media_type: str = "application/json") -> Schema:
    ok = {"description": "OK", "headers": {"ETag": _ref("ETag", "headers"), "Cache-Control": _ref("Cache-Control", "headers")},
          "content": {media_type: {"schema": _ref(answer)}}}
    responses: Schema = {"200": ok, "304": _ref("NotModified", "responses")}
    if query:
        responses["400"] = _ref("BadRequest", "responses")
    if in_path:
        responses["404"] = _ref("NotFound", "responses")
    responses["429"] = _ref("TooManyRequests", "responses")
    parameters = [_ref(name, "parameters") for name in query] + ([_in_path(in_path)] if in_path else [])
    operation: Schema = {"operationId": operation_id, "tags": [tag], "summary": summary, "responses": responses}
    if parameters:
        operation["parameters"] = parameters
    return {"get": operation}


PATHS: dict[str, Schema] = {
    "/api/v1": _get("getIndex", "index", "The endpoints of this API and where they are described.", "Index"),
    "/api/v1/districts": _get("listDistricts", "districts", "The districts, in their order.", "DistrictList"),
    "/api/v1/effort-areas": _get("listEffortAreas", "districts", "The effort areas with their sub-themes.",
                                 "EffortAreaList"),
    "/api/v1/ideas": _get("listIdeas", "ideas", "Public ideas, as /ideas/ lists them, 20 a page.", "IdeaPage",
                          query=("district", "area", "status", "q", "sort", "page", "after", "before")),
    "/api/v1/ideas/{idea_id}": _get("getIdea", "ideas", "One public idea and the municipality's answers to it.",
                                    "IdeaWithAnswers", in_path="idea_id"),
    "/api/v1/events": _get("listEvents", "events", "Upcoming published events, soonest first, 20 a page.",
                           "EventPage", query=("district", "area", "audience", "start", "end", "free_seats", "page", "after",
                                  "before")),
    "/api/v1/events/{event_id}": _get("getEvent", "events", "One published or cancelled event.", "Event",
                                      in_path="event_id"),
    "/api/v1/meeting-places": _get("listMeetingPlaces", "meeting-places", "Meeting places in use, by name.",
                                   "MeetingPlaceList", query=("district",)),
    "/api/v1/indicators": _get("getIndicators", "indicators",
                               "The indicators of /insights/, with cells of fewer than 5 people, and those hidden "
                               "with them, suppressed.",
                               "Indicators", query=("from", "to", "by", "districts")),
    "/api/v1/surveys": _get("listSurveys", "surveys", "Area surveys with a round that has opened.", "SurveyList"),
    "/api/v1/surveys/{survey_id}/results": _get("getSurveyResults", "surveys",
                                                "The results of a survey's closed rounds, with figures of fewer "
                                                "than 5 people, and those hidden with them, suppressed.",
                                                "SurveyResults", in_path="survey_id"),
    "/api/v1/meeting-places/{place_id}": _get("getMeetingPlace", "meeting-places", "One meeting place in use.",
                                              "MeetingPlace", in_path="place_id"),
    "/api/v1/districts.geojson": _get("getDistrictFeatures", "maps", "The districts' boundaries, each saying whether "
                                      "it is the official or an approximate one.", "DistrictFeatures",
                                      media_type=geojson.MEDIA_TYPE),
    "/api/v1/meeting-places.geojson": _get("getMeetingPlaceFeatures", "maps", "Meeting places in use that have a "
                                           "point.", "MeetingPlaceFeatures", query=("district",),
                                           media_type=geojson.MEDIA_TYPE),
    "/api/v1/ideas.geojson": _get("getIdeaFeatures", "maps", f"Public ideas that have a point, rounded to about 50 m, "
                                  f"newest first, {geojson.PER_PAGE} a page.", "IdeaFeaturePage",
                                  query=("district", "area", "status", "q", "feature_page", "after", "before"),
                                  media_type=geojson.MEDIA_TYPE),
}


def index(base_url: str, openapi_url: str, documentation_url: str) -> Schema:
    """The answer at /api/v1: every endpoint described here, so that the index and the description cannot
    drift apart."""
    base = base_url.rstrip("/")
    return {
        "title": INFO["title"],
        "openapi": openapi_url,
        "documentation": documentation_url,
        "endpoints": [{"path": path, "method": method.upper(), "summary": operation["summary"], "url": base + path}
                      for path, item in PATHS.items() for method, operation in item.items()],
    }


def document(district_slugs: list[str], area_numbers: list[int], server: str = "/") -> Schema:
    return {
        "openapi": "3.1.0",
        "info": INFO,
        "servers": [{"url": server}],
        "tags": TAGS,
        "paths": PATHS,
        "components": {
            "schemas": SCHEMAS,
            "parameters": _parameters(district_slugs, area_numbers),
            "responses": RESPONSES,
            "headers": HEADERS,
        },
    }
