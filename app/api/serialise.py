"""What the API tells about each kind of public thing: exactly what its public page shows, in JSON.

Never who wrote, registered for or created anything, and never where a feedback is about (that is personal
data; only ideas, meeting places and events have a place here, an idea's rounded as on the public map). Texts that exist in
every language are given in all of them, so an answer is the same whatever
language was asked for and caches well. A thing's ``url`` is absolute and built on BASE_URL, never on the
request's Host header, so an answer kept by a shared cache or copied into another program still points here
(and a forged Host cannot put another address into it). Links between pages of a list stay paths.
"""
from __future__ import annotations

from typing import Any

from flask import url_for

from app.core.db import iso_utc
from app.core.i18n import localized
from app.core.params import page_count
from app.core.urls import site_url
from app.districts.models import District, EffortArea, SubTheme
from app.districts.services import LOCALES
from app.events.models import Event
from app.ideas.models import Idea
from app.meeting_places.models import MeetingPlace
from app.places.geometry import round_point
from app.submissions.models import StatusChange

Json = dict[str, Any]


def in_every_language(obj: object, field: str) -> dict[str, str]:
    """As the site shows the text in each language (Bokmål where a translation is missing)."""
    return {locale: localized(obj, field, locale) for locale in LOCALES}


def point(lat: float | None, lon: float | None) -> Json | None:
    """A point in WGS 84, or None where there is none."""
    if lat is None or lon is None:
        return None
    return {"latitude": lat, "longitude": lon}


def idea_point(item: Idea) -> Json | None:
    """An idea's point as the public map shows it: rounded to about 50 m, so it points at a street, not a door."""
    if item.location_lat is None or item.location_lon is None:
        return None
    return point(*round_point(item.location_lat, item.location_lon))


def event_point(item: Event) -> Json | None:
    """An event at a meeting place is where the place is; elsewhere, its own point if it has one."""
    if item.meeting_place is not None:
        return place_point(item.meeting_place)
    return point(item.latitude, item.longitude)


def place_point(item: MeetingPlace) -> Json | None:
    return point(item.latitude, item.longitude)


def district(item: District) -> Json:
    return {
        "slug": item.slug,
        "position": item.position,
        "active": item.active,
        "name": in_every_language(item, "name"),
        "description": in_every_language(item, "description"),
        "url": site_url("districts.show", slug=item.slug),
        "calendar_url": site_url("events.district_ics", slug=item.slug),
    }


def _sub_theme(item: SubTheme) -> Json:
    return {"slug": item.slug, "title": in_every_language(item, "label")}


def effort_area(item: EffortArea) -> Json:
    return {
        "number": item.number,
        "title": in_every_language(item, "title"),
        "public_name": in_every_language(item, "public_name"),
        "public_explanation": in_every_language(item, "public_explanation"),
        "goal": in_every_language(item, "goal"),
        "description": in_every_language(item, "description"),
        "sub_themes": [_sub_theme(theme) for theme in item.sub_themes],
        "url": site_url("districts.effort_area", number=item.number),
    }


def idea(item: Idea, comment_count: int) -> Json:
    return {
        "id": item.id,
        "url": site_url("ideas.show", idea_id=item.id),
        "title": item.title,
        "body_html": item.body_html,
        "language": item.language,
        "district": item.district.slug,
        "effort_area": item.effort_area.number if item.effort_area else None,
        "status": item.status,
        "support_count": item.support_count,
        "comment_count": comment_count,
        "created_at": iso_utc(item.created_at),
        "duplicate_of": item.duplicate_of_id,
        "location": idea_point(item),
    }


def _answer(change: StatusChange) -> Json:
    return {"status": change.new_status, "answered_at": iso_utc(change.created_at), "answer_html": change.public_answer_html,
            "answer_html_by_language": {"nb": change.public_answer_html, "nn": change.public_answer_nn_html,
                                        "en": change.public_answer_en_html}}


def idea_with_answers(item: Idea, comment_count: int) -> Json:
    """One idea and the municipality's public answers to it, oldest first."""
    answers = [_answer(change) for change in item.history if change.public_answer_html]
    return idea(item, comment_count) | {"answers": answers}


def event(item: Event) -> Json:
    return {
        "id": item.id,
        "url": site_url("events.show", event_id=item.id),
        "calendar_url": site_url("events.event_ics", event_id=item.id),
        "title": item.title,
        "description_html": item.description_html,
        "language": item.language,
        "translations": [{"language": t.language, "title": t.title, "description_html": t.description_html}
                         for t in item.translations],
        "starts_at": iso_utc(item.starts_at),
        "ends_at": iso_utc(item.ends_at),
        "registration_deadline": iso_utc(item.registration_deadline),
        "district": item.district.slug,
        "meeting_place": item.meeting_place_id,
        "address": item.where,
        "location": event_point(item),
        "organisation": {
            "id": item.organisation_id,
            "name": item.organisation.name,
            "url": site_url("organisations.show", organisation_id=item.organisation_id),
        },
        "effort_area": item.effort_area.number if item.effort_area else None,
        "audience": item.audience,
        "languages": item.language_codes,
        "capacity": item.capacity,
        "seats_left": item.seats_left,
        "status": item.status,
        "series_id": item.series_id,
    }


def meeting_place(item: MeetingPlace) -> Json:
    return {
        "id": item.id,
        "url": site_url("meeting_places.show", place_id=item.id),
        "name": item.name,
        "district": item.district.slug,
        "address": item.address,
        "location": place_point(item),
        "opening_hours": item.opening_hours,
        "description_html": item.description_html,
        "accessibility": {
            "step_free_entrance": item.step_free_entrance,
            "accessible_toilet": item.accessible_toilet,
            "hearing_loop": item.hearing_loop,
            "notes": item.accessibility_notes,
        },
        # The place's own contact details, shown on its page; never a person's.
        "contact": {"email": item.contact_email, "phone": item.contact_phone},
    }


def page_of(endpoint: str, items: list[Json], page: int | None, per_page: int, total: int, filters: dict,
            keys: tuple[object | None, object | None] = (None, None)) -> Json:
    """A page of a list, with links to its neighbours that keep the filters."""
    return {"items": items} | paging(endpoint, page, per_page, total, filters, keys, empty=not items)


def paging(endpoint: str, page: int | None, per_page: int, total: int, filters: dict,
           keys: tuple[object | None, object | None] = (None, None), empty: bool = False) -> Json:
    """Where a page is among the others (``page`` None: it was asked for by key), and links to its neighbours
    that keep the filters. The links go by key (``after``/``before`` the page's last/first item, ``keys`` as
    (previous, next)), so following them costs the same on every page; a numbered page past the last one links
    back to the last."""
    pages = page_count(total, per_page)
    previous_key, next_key = keys
    if previous_key is not None:
        previous: str | None = url_for(endpoint, **filters, before=str(previous_key))
    elif empty and page is not None and page > 1:
        previous = url_for(endpoint, **filters, page=min(page - 1, pages))
    else:
        previous = None
    return {
        "page": page, "per_page": per_page, "total": total, "pages": pages,
        "links": {"next": url_for(endpoint, **filters, after=str(next_key)) if next_key is not None else None,
                  "prev": previous},
    }
