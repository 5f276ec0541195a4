"""Calendar files (RFC 5545) for one event and for a district's events, made with icalendar."""
from __future__ import annotations

from datetime import datetime, timedelta

from icalendar import Calendar, Timezone
from icalendar import Event as CalendarEvent

from app.core import settings
from app.core.db import OSLO, utcnow
from app.core.urls import site_url
from app.events.models import Event, EventStatus

PRODID = "-//Medvirk//Trondheim kommune//NO"


def _calendar(name: str | None = None) -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    if name:
        calendar.add("x-wr-calname", name)
        calendar.add("x-wr-timezone", "Europe/Oslo")
    return calendar


def _component(event: Event, stamp: datetime, language: str | None) -> CalendarEvent:
    link = site_url("events.show", event_id=event.id)
    host = settings.get("BASE_URL").split("//", 1)[-1].split("/", 1)[0]
    item = CalendarEvent()
    item.add("uid", f"event-{event.id}@{host}")
    item.add("dtstamp", stamp)
    item.add("last-modified", event.updated_at or stamp)
    item.add("dtstart", event.starts_at.astimezone(OSLO))
    item.add("dtend", event.ends_at.astimezone(OSLO))
    # The organisers' own translation for the reader's language when there is one.
    item.add("summary", event.title_in(language))
    # Many calendar apps show only the description, so the page's address goes there too.
    item.add("description", f"{event.description_in(language)}\n\n{link}".strip())
    item.add("location", event.where)
    item.add("url", link)
    item.add("organizer", f"mailto:{event.organisation.contact_email}", parameters={"CN": event.organisation.name})
    cancelled = event.status == EventStatus.CANCELLED
    item.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    # Each change must raise SEQUENCE, or some calendar apps keep the old time: seconds since creation do.
    item.add("sequence", max(0, int((event.updated_at - event.created_at).total_seconds()))
             if event.updated_at and event.created_at else 0)
    return item


def _finish(calendar: Calendar, events: list[Event]) -> bytes:
    # One VTIMEZONE covering the events' dates, not every rule since 1970. A calendar needs at least
    # one component, so a feed without events still carries the time zone.
    first = min((e.starts_at for e in events), default=utcnow()).astimezone(OSLO).date()
    last = max((e.ends_at for e in events), default=utcnow()).astimezone(OSLO).date() + timedelta(days=1)
    calendar.add_component(Timezone.from_tzid("Europe/Oslo", first_date=first, last_date=last))
    return calendar.to_ical()


def event_calendar(event: Event, language: str | None = None) -> bytes:
    calendar = _calendar()
    calendar.add("method", "PUBLISH")
    calendar.add_component(_component(event, utcnow(), language))
    return _finish(calendar, [event])


def district_calendar(name: str, events: list[Event], language: str | None = None) -> bytes:
    calendar = _calendar(name)
    stamp = utcnow()
    for event in events:
        calendar.add_component(_component(event, stamp, language))
    return _finish(calendar, events)


def event_attachment(event: Event, language: str | None = None) -> dict:
    """The event's calendar file, to attach to a mail to a reader of ``language``."""
    return {"filename": f"event-{event.id}.ics", "content_type": "text/calendar",
            "content": event_calendar(event, language).decode()}
