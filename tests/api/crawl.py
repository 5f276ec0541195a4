"""Every answer the API gives for the data in a database: every page of every list and every detail
(of everything there is, public or not: what is not public answers 404)."""
from __future__ import annotations

import json
from collections.abc import Iterator

from sqlalchemy import select
from werkzeug.test import TestResponse

from app.events.models import Event
from app.extensions import db
from app.ideas.models import Idea
from app.meeting_places.models import MeetingPlace

LISTS = ("/api/v1/districts", "/api/v1/effort-areas", "/api/v1/ideas", "/api/v1/events", "/api/v1/meeting-places",
         "/api/v1/districts.geojson", "/api/v1/meeting-places.geojson", "/api/v1/ideas.geojson")
DOCUMENT = "/api/openapi.json"


def detail_paths(app) -> list[str]:
    with app.app_context():
        return ([f"/api/v1/ideas/{i}" for i in db.session.scalars(select(Idea.id).order_by(Idea.id))]
                + [f"/api/v1/events/{i}" for i in db.session.scalars(select(Event.id).order_by(Event.id))]
                + [f"/api/v1/meeting-places/{i}" for i in db.session.scalars(select(MeetingPlace.id).order_by(MeetingPlace.id))])


def list_pages(client) -> Iterator[tuple[str, TestResponse]]:
    for path in LISTS:
        while path is not None:
            response = client.get(path)
            yield path, response
            path = (json.loads(response.get_data(as_text=True)).get("links") or {}).get("next")


def crawl(app, client) -> Iterator[tuple[str, TestResponse]]:
    yield DOCUMENT, client.get(DOCUMENT)
    yield from list_pages(client)
    for path in detail_paths(app):
        yield path, client.get(path)
