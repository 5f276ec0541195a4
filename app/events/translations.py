"""The organisers' own title and description of an event in other languages.

A reader of that language is shown them instead of the original, and is offered no machine translation
of them. A weekly series shares them: a version written for one occurrence is kept for it and its later
ones, as a change of the title is. Functions flush; the view commits."""
from __future__ import annotations

from sqlalchemy import select

from app.accounts.models import User
from app.core import audit, languages, settings
from app.core.i18n import lazy_gettext as _l
from app.core.rules import Forbidden
from app.core.sanitize import markdown_to_html
from app.events import services
from app.events.models import Event, EventStatus, EventTranslation
from app.extensions import db

MAX_TITLE = 140
MAX_DESCRIPTION = 5000


def languages_for(event: Event) -> list[str]:
    """The interface languages an organiser may write a version in: those offered, but not the event's own."""
    return [code for code in languages.offered_codes() if code != event.language]


def _check(event: Event, actor: User) -> None:
    if not event.can_manage(actor):
        raise Forbidden()
    if event.status == EventStatus.CANCELLED:
        raise services.EventError(_l("A cancelled event cannot be changed."))


def _hold_if_premoderated(targets: list[Event], actor: User) -> None:
    """A new text must be seen by a moderator when events are held for approval, as an edit of the title is:
    otherwise an approved event could say anything in another language."""
    if not settings.is_premoderated("events"):
        return
    held = [t for t in targets if t.status == EventStatus.PUBLISHED]
    for target in held:
        target.status = EventStatus.HELD
    db.session.flush()
    if held and services._waiting_review(held[0]) is None:
        services._queue_review(held[0], actor)


def save(event: Event, language: str, title: str, description: str, actor: User) -> EventTranslation:
    """Add or change the version in ``language`` of this occurrence and its later ones; the one of ``event``."""
    _check(event, actor)
    title, description = (title or "").strip(), (description or "").strip()
    if language not in languages_for(event):
        raise services.EventError(_l("Choose one of the languages in the list."), field="language")
    if not title:
        raise services.EventError(_l("Write the title in this language."), field="title")
    if len(title) > MAX_TITLE:
        raise services.EventError(_l("Keep it under %(max)d characters.", max=MAX_TITLE), field="title")
    if len(description) > MAX_DESCRIPTION:
        raise services.EventError(_l("Keep it under %(max)d characters.", max=MAX_DESCRIPTION), field="description")
    html = str(markdown_to_html(description))   # cleaned exactly as the event's own description
    targets = services.series_of(event, later_only=True)
    kept = {(t.event_id, t.language): t for t in db.session.scalars(select(EventTranslation).where(
        EventTranslation.event_id.in_([e.id for e in targets]), EventTranslation.language == language))}
    changed_any = False
    for target in targets:
        found = kept.get((target.id, language))
        before = None if found is None else (found.title, found.description)
        if found is None:
            found = EventTranslation(language=language, title=title, description=description, description_html=html)
            target.translations.append(found)
        else:
            found.title, found.description, found.description_html = title, description, html
        changed = [name for name, old, new in (("title", before and before[0], title),
                                                ("description", before and before[1], description))
                   if before is None or old != new]
        if changed:
            changed_any = True
            db.session.flush()
            audit.record(actor, "event.translation", target, changed,
                         {"language": (None if before is None else language, language)})
    if changed_any:
        _hold_if_premoderated(targets, actor)
    return next(t for t in event.translations if t.language == language)


def remove(event: Event, language: str, actor: User) -> int:
    """Remove the version in ``language`` from this occurrence and its later ones; how many were removed."""
    _check(event, actor)
    targets = services.series_of(event, later_only=True)
    removed = 0
    for target in targets:
        for found in [t for t in target.translations if t.language == language]:
            target.translations.remove(found)
            removed += 1
            db.session.flush()
            audit.record(actor, "event.translation_removed", target, ["title", "description"],
                         {"language": (language, None)})
    return removed
