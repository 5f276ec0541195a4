"""Organisers make, change and cancel their organisation's events (``/events/new``, ``/events/<id>/edit``
and ``/events/<id>/cancel``); the rules are in ``app/events/services.py``."""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from app.core import languages as interface_languages
from app.core.db import OSLO
from app.core.forms import ActionForm, show_beside
from app.core.i18n import gettext as _
from app.core.once import create_once
from app.core.params import positive_int
from app.core.permissions import Permission, require
from app.core.rules import RuleBroken
from app.core.uploads import accepts_upload
from app.districts.services import get_district, get_effort_area, list_effort_areas, open_districts
from app.events import pictures, services, translations
from app.events import registration as seats
from app.events.forms import CancelEventForm, EventForm, EventTranslationForm
from app.events.models import SPOKEN_LANGUAGES, Event, EventStatus
from app.events.views import YEARS, language_name
from app.extensions import db
from app.meeting_places.services import get_place, list_places
from app.organiser.blueprint import bp
from app.photos import services as photo_services
from app.photos.forms import ChosenPhoto, chosen_photos, photo_form_bytes


def _event_or_404(event_id: int) -> Event:
    event = services.get(event_id)
    if event is None or not event.is_visible_to(current_user):
        abort(404)
    return event


def _event_form(organisations, event: Event | None = None) -> EventForm:
    form = EventForm()
    form.organisation.choices = [SelectChoice(str(o.id), o.name) for o in organisations]
    districts = open_districts(keep=event.district if event else None)
    form.district.choices = [SelectChoice("", _("Choose a district"))] + [SelectChoice(d.slug, d.name) for d in districts]
    form.meeting_place.choices = [SelectChoice("", _("Somewhere else (write the address below)"))] + [
        SelectChoice(str(p.id), f"{p.name} ({p.district.name})") for p in list_places()
        if p.district.active or (event is not None and p.id == event.meeting_place_id)]
    form.effort_area.choices = [SelectChoice("", _("None in particular"))] + [
        SelectChoice(str(a.number), a.public_name) for a in list_effort_areas()]
    form.languages.choices = [SelectChoice(code, language_name(code)) for code in SPOKEN_LANGUAGES]
    if request.method == "GET":
        form.languages.data = ["nb"]
    return form


def _values(form: EventForm) -> dict | None:
    """What the form says, in the model's terms; None (with messages beside the fields) when it does not add up."""
    district = get_district(form.district.data or "")
    if district is None:
        form.district.errors.append(_("Choose a district."))
    place = None
    if form.meeting_place.data:
        place = get_place(positive_int(form.meeting_place.data) or 0)
        if place is None or place.retired_at is not None:
            form.meeting_place.errors.append(_("Choose a meeting place from the list."))
    elif not form.address.data:
        form.address.errors.append(_("Choose a meeting place, or write the address where it happens."))
    area = get_effort_area(positive_int(form.effort_area.data) or 0) if form.effort_area.data else None
    for field in (form.starts_at, form.ends_at, form.registration_deadline):
        if field.data is not None and field.data.year not in YEARS:
            field.errors.append(_("Choose a date between %(first)d and %(last)d.", first=YEARS[0], last=YEARS[-1]))
    languages = [code for code in (form.languages.data or []) if code in SPOKEN_LANGUAGES]
    if not languages:
        form.languages.errors.append(_("Choose at least one language."))
    if any(f.errors for f in form):
        return None

    def oslo(value):
        return None if value is None else value.replace(tzinfo=OSLO)

    return {"title": form.title.data, "description": form.description.data, "language": form.text_language.data,
            "district_id": district.id,
            "meeting_place_id": place.id if place else None, "address": "" if place else form.address.data,
            "capacity": form.capacity.data, "effort_area_id": area.id if area else None,
            "languages": ",".join(languages), "audience": form.audience.data,
            "starts_at": oslo(form.starts_at.data), "ends_at": oslo(form.ends_at.data),
            "registration_deadline": oslo(form.registration_deadline.data)}


def _fill(form: EventForm, event: Event) -> None:
    form.organisation.data = str(event.organisation_id)
    for name in ("title", "description", "address", "capacity", "audience"):
        getattr(form, name).data = getattr(event, name)
    form.district.data = event.district.slug
    form.meeting_place.data = str(event.meeting_place_id or "")
    form.effort_area.data = str(event.effort_area.number) if event.effort_area else ""
    form.languages.data = event.language_codes
    form.text_language.data = event.language or ""
    form.starts_at.data = event.starts_at.astimezone(OSLO).replace(tzinfo=None)
    form.ends_at.data = event.ends_at.astimezone(OSLO).replace(tzinfo=None)
    deadline = event.registration_deadline
    form.registration_deadline.data = deadline.astimezone(OSLO).replace(tzinfo=None) if deadline else None


@bp.route("/events/new", methods=["GET", "POST"])
@accepts_upload(photo_form_bytes(1))
@require(Permission.PARTICIPATE)
def new_event():
    organisations = services.organiser_of(current_user, publishing=True)
    if not organisations:
        abort(403)
    form = _event_form(organisations)
    if request.method == "GET":
        _fill_new(form, organisations)
    elif form.validate_on_submit():
        try:
            once = create_once(form, "event", lambda: _create_events(form, organisations),
                               target=lambda created: created[0].id)
        except RuleBroken as error:   # the event's rules, or the photo storage away
            show_beside(form, error)
        except _NotMade:
            pass  # the form's messages are beside its fields
        else:
            if once.new:
                _thank_for_event(once.record[0])
            return redirect(url_for("events.show", event_id=once.record[0].id if once.new else once.earlier_id))
    return render_template("events/form.html", form=form, event=None,
                           photos_checked=photo_services.held_by_default()), 400 if form.errors else 200


def _fill_new(form: EventForm, organisations) -> None:
    chosen = request.args.get("organisation")
    form.organisation.data = chosen if chosen in {str(o.id) for o in organisations} else str(organisations[0].id)
    first = next(o for o in organisations if str(o.id) == form.organisation.data)
    if len(first.districts) == 1:
        form.district.data = first.districts[0].slug


class _NotMade(Exception):
    """The form does not add up (its messages are beside the fields), or names no organisation of the organiser."""


def _create_events(form: EventForm, organisations) -> list[Event]:
    values = _values(form)
    organisation = next((o for o in organisations if str(o.id) == form.organisation.data), None)
    if values is None or organisation is None:
        raise _NotMade
    events = services.create(organisation, values, form.repeat_weeks.data or 1, current_user)
    pictures.change_picture(events, _chosen_picture(form), False, current_user)
    return events


def _chosen_picture(form: EventForm) -> ChosenPhoto | None:
    chosen = chosen_photos(form.picture)
    return chosen[0] if chosen else None


def _thank_for_event(event: Event) -> None:
    if event.status == EventStatus.HELD:
        flash(_("Thank you! A moderator will look at the event before it is published."), "success")
    else:
        flash(_("The event is published."), "success")


def _managed_event(event_id: int) -> Event:
    event = _event_or_404(event_id)
    if not event.can_manage(current_user):
        abort(403)
    return event


@bp.route("/events/<int:event_id>/edit", methods=["GET", "POST"])
@accepts_upload(photo_form_bytes(1))
@require(Permission.PARTICIPATE)
def edit_event(event_id: int):
    event = _managed_event(event_id)
    form = _event_form([event.organisation], event)
    if request.method == "GET":
        _fill(form, event)
    elif form.validate_on_submit():
        values = _values(form)
        if values is not None:
            try:
                changed = services.update(event, values, form.scope.data == "later", current_user)
                pictures.change_picture(changed, _chosen_picture(form), bool(form.remove_picture.data), current_user)
                db.session.commit()
            except RuleBroken as error:
                db.session.rollback()
                show_beside(form, error)
                event = _managed_event(event_id)
            else:
                if event.status == EventStatus.HELD:
                    flash(_("The event is saved. A moderator will look at it before it is shown to everyone."), "success")
                else:
                    flash(_("The event is saved. Everyone registered is told about a new time or place."), "success")
                return redirect(url_for("events.show", event_id=event.id))
    return render_template("events/form.html", form=form, event=event, current_picture=pictures.current_picture(event),
                           photos_checked=photo_services.held_by_default()), 400 if form.errors else 200


@bp.route("/events/<int:event_id>/cancel", methods=["GET", "POST"])
@require(Permission.PARTICIPATE)
def cancel_event(event_id: int):
    event = _managed_event(event_id)
    if event.is_cancelled:
        return redirect(url_for("events.show", event_id=event.id))
    form = CancelEventForm()
    if form.validate_on_submit():
        try:
            services.cancel(event, form.scope.data == "later", current_user, reason=form.reason.data)
        except services.EventError as error:
            db.session.rollback()
            flash(str(error.message), "error")
            return redirect(url_for("events.show", event_id=event.id))
        db.session.commit()
        flash(_("The event is cancelled, and everyone registered is told."), "success")
        return redirect(url_for("events.show", event_id=event.id))
    return render_template("events/cancel.html", form=form, event=event,
                           registered=len(seats.confirmed_and_waiting(event.id))), 400 if form.errors else 200


# --- the organisers' own translations of title and description ---------------------------------------------
# A page of their own, one language at a time, rather than more fields in the event form: on a phone the
# event form is long already, a re-shown form would lose a chosen picture, and the member who writes Somali
# or Arabic can add their version later without touching times and places.

def _translation_form(event: Event, language: str | None = None) -> EventTranslationForm:
    form = EventTranslationForm()
    written = {t.language for t in event.translations}
    codes = [language] if language else [c for c in translations.languages_for(event) if c not in written]
    form.language.choices = [SelectChoice(code, interface_languages.get(code).name, render_kw={"lang": code})  # type: ignore[union-attr]
                             for code in codes if interface_languages.get(code) is not None]
    if language:   # the text is in that language: marked so, for reading aloud and for its direction
        form.language.data = language
        for field in (form.title, form.description):
            field.render_kw = {"lang": language, "dir": interface_languages.direction(language)}
    return form


def _translations_page(event: Event, form: EventTranslationForm, editing: str | None = None):
    return render_template("organiser/translations.html", event=event, form=form, editing=editing,
                           remove_form=ActionForm(),
                           original=interface_languages.get(event.language) if event.language else None), \
        400 if form.errors else 200


def _save_translation(event: Event, form: EventTranslationForm, language: str):
    try:
        translations.save(event, language, form.title.data, form.description.data or "", current_user)
        db.session.commit()
    except RuleBroken as error:
        db.session.rollback()
        show_beside(form, error)
        return None
    flash(_("The title and description in %(language)s are saved.", language=interface_languages.get(language).name)  # type: ignore[union-attr]
          if event.status != EventStatus.HELD else
          _("Saved. A moderator will look at the event before it is shown to everyone."), "success")
    return redirect(url_for("organiser.event_translations", event_id=event.id))


@bp.route("/events/<int:event_id>/translations", methods=["GET", "POST"])
@require(Permission.PARTICIPATE)
def event_translations(event_id: int):
    """The event's title and description in other languages: those written, and a form to add one."""
    event = _managed_event(event_id)
    form = _translation_form(event)
    if request.method == "POST" and not event.is_cancelled:
        if form.validate_on_submit():
            done = _save_translation(event, form, form.language.data)
            if done is not None:
                return done
            event = _managed_event(event_id)
    return _translations_page(event, form)


@bp.route("/events/<int:event_id>/translations/<language_code>", methods=["GET", "POST"])
@require(Permission.PARTICIPATE)
def edit_event_translation(event_id: int, language_code: str):
    event = _managed_event(event_id)
    found = next((t for t in event.translations if t.language == language_code), None)
    if found is None:
        abort(404)
    form = _translation_form(event, language_code)
    if request.method == "GET":
        form.title.data, form.description.data = found.title, found.description
    elif form.validate_on_submit():
        done = _save_translation(event, form, language_code)
        if done is not None:
            return done
        event = _managed_event(event_id)
    return _translations_page(event, form, editing=language_code)


@bp.route("/events/<int:event_id>/translations/<language_code>/remove", methods=["POST"])
@require(Permission.PARTICIPATE)
def remove_event_translation(event_id: int, language_code: str):
    event = _managed_event(event_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    try:
        removed = translations.remove(event, language_code, current_user)
    except RuleBroken as error:
        db.session.rollback()
        flash(str(error.message), "error")
    else:
        db.session.commit()
        if removed:
            flash(_("The title and description in that language are removed."), "success")
    return redirect(url_for("organiser.event_translations", event_id=event.id))
