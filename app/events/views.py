"""Event pages: the list, one event, registration, the manage link, calendar files,
and creating, changing and cancelling events for organisers."""
from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from markupsafe import Markup
from sqlalchemy.exc import IntegrityError
from wtforms.fields.choices import SelectChoice

from app.core import clients, page_cache, posters, robots, settings
from app.core.db import iso_utc, utcnow
from app.core.forms import ActionForm, effort_area_choices
from app.core.i18n import current_locale
from app.core.i18n import gettext as _
from app.core.once import create_once
from app.core.params import positive_int
from app.core.permissions import Permission, has_permission, public
from app.core.qr import qr_svg
from app.core.security import allow_map_tiles
from app.core.urls import site_url
from app.districts.models import moderates
from app.districts.services import (
    get_district,
    shown_districts,
    shown_effort_areas,
)
from app.events import calendar, pictures, services
from app.events import registration as seats
from app.events.forms import (
    AUDIENCE_LABELS,
    ChangeRegistrationForm,
    EventFilterForm,
    GuestRegisterForm,
    RegisterForm,
)
from app.events.models import Event, EventStatus, Registration, RegistrationStatus
from app.extensions import db
from app.organisations.models import OrganisationStatus
from app.places import maps
from app.privacy.erasure import erase_registration as erase
from app.privacy.erasure import forget_on_disk
from app.privacy.export import registration_data as data

bp = Blueprint("events", __name__, template_folder="templates")

# --- reading ----------------------------------------------------------------------------------------------


YEARS = range(2020, 2101)  # what a date for an event can sensibly be; others are typing slips


def _date_arg(name: str) -> date | None:
    try:
        day = date.fromisoformat(request.args.get(name) or "")
    except ValueError:
        return None
    return day if day.year in YEARS else None


@bp.route("/events/")
@public
def index():
    if maps.map_view():
        allow_map_tiles()   # the map itself may come from the page cache below; its page still loads the map script
    # The list is the same for everyone: logged-in people get it from the page cache too.
    return render_template("events/index.html", organises=bool(services.organiser_of(current_user, publishing=True)),
                           content=page_cache.fragment((request.query_string,), "events/_index.html", _index_content))


def _index_content() -> dict:
    districts, areas = shown_districts(), shown_effort_areas()
    district = next((d for d in districts if d.slug == request.args.get("district")), None)
    area = next((a for a in areas if str(a.number) == request.args.get("area")), None)
    audience = request.args.get("audience") if request.args.get("audience") in AUDIENCE_LABELS else None
    on_map = maps.map_view()
    filters = services.Filters(district=district, start=_date_arg("start"), end=_date_arg("end"),
                               effort_area_id=area.id if area else None, audience=audience,
                               free_seats=request.args.get("free") == "1", located=on_map)
    after, before = services.EventKey.parse(request.args.get("after")), services.EventKey.parse(request.args.get("before"))
    found = services.upcoming_card_page(filters, after, None if after else before, positive_int(request.args.get("page"), 1))
    cards = found.cards
    form = EventFilterForm(request.args)
    form.district.choices = [SelectChoice("", _("All districts"))] + [SelectChoice(d.slug, d.name) for d in districts]
    form.area.choices = [SelectChoice("", _("All topics"))] + effort_area_choices(areas)
    form.audience.choices = [SelectChoice("", _("Everyone and all groups"))] + [
        SelectChoice(k, v) for k, v in AUDIENCE_LABELS.items()]
    kept = {"district": district.slug if district else None, "area": area.number if area else None,
            "audience": audience, "free": "1" if filters.free_seats else None,
            "start": filters.start.isoformat() if filters.start else None,
            "end": filters.end.isoformat() if filters.end else None, "view": maps.MAP_VIEW if on_map else None}
    waiting = {} if on_map else services.waitlist_lengths([c.event.id for c in cards])   # the map's list shows no seats
    return {"events": cards, "form": form, "waiting": waiting,
            "page": found, "filters": {k: v for k, v in kept.items() if v},
            "map": maps.events_map([c.event for c in cards], districts, district) if on_map else None}


def _event_or_404(event_id: int) -> Event:
    event = services.get(event_id)
    if event is None or not event.is_visible_to(current_user):
        abort(404)
    return event


def _own_registration(event: Event) -> Registration | None:
    if not current_user.is_authenticated:
        return None
    found = seats.find_existing(event, current_user, None)  # one per account and event
    return found if found is not None and found.status != RegistrationStatus.CANCELLED else None


@dataclass(frozen=True)
class EventPage:
    """What everyone who may see an event sees of it: kept in the page cache for a public event."""
    id: int
    title: str
    status: str
    organisation_id: int
    organisation_approved: bool
    district_id: int
    about: Markup
    registration: Markup
    series: Markup

    @property
    def is_cancelled(self) -> bool:
        return self.status == EventStatus.CANCELLED


def _event_page(event: Event) -> EventPage:
    return EventPage(
        id=event.id, title=event.title_in(current_locale()), status=event.status, organisation_id=event.organisation_id,
        organisation_approved=event.organisation.status == OrganisationStatus.APPROVED,
        district_id=event.district_id,
        about=page_cache.render_part("events/_about.html", event=event,
                                     waiting=services.waitlist_lengths([event.id]).get(event.id, 0)),
        registration=page_cache.render_part("events/_registration.html", event=event,
                                            closed=seats.closed_reason(event)),
        series=page_cache.render_part("events/_series.html", others=services.other_occurrences(event)))


def _public_event_page(event_id: int) -> EventPage | None:
    event = services.get(event_id)
    if event is None or event.status not in (EventStatus.PUBLISHED, EventStatus.CANCELLED):
        return None   # held, declined or missing: decided per person below, never kept
    return _event_page(event)


@bp.route("/events/<int:event_id>")
@public
def show(event_id: int):
    # A public event's page is the same for everyone but the registration part: that comes from the cache.
    page = page_cache.shared(("events.show", event_id), lambda: _public_event_page(event_id))
    if page is None:
        page = _event_page(_event_or_404(event_id))
    mine, member = services.personal_state(page.id, page.organisation_id, current_user)
    can_manage = member and page.organisation_approved
    own_picture = pictures.own_waiting_picture(page.id, current_user) if member else None
    if mine is not None or own_picture is not None:
        request.personal_page = True
    return render_template("events/show.html", page=page, mine=mine, own_picture=own_picture,
                           manage_link=url_for("events.manage_registration", token=seats.manage_token(mine))
                           if mine and not mine.awaiting_mail else None,
                           can_manage=can_manage,
                           can_see_participants=can_manage or moderates(current_user, page.district_id))


@bp.route("/events/<int:event_id>/poster")
@public
def poster(event_id: int):
    event = _event_or_404(event_id)   # the page's own rule: who may see the page may print it
    if event.is_cancelled:
        abort(404)  # a poster would send people to something that will not happen
    url = site_url("events.show", event_id=event.id)
    # A poster stays on the board for weeks: a weekly series names its later dates too.
    later = [o for o in services.other_occurrences(event, limit=6) if o.starts_at > event.starts_at and not o.is_cancelled]
    return render_template("events/poster.html", event=event, url=url, qr=qr_svg(url), later=later,
                           excerpt=posters.excerpt(event.description_html_in(current_locale())),
                           excerpt_language=event.human_translation_language(current_locale()) or event.language,
                           back_url=url_for("events.show", event_id=event.id),
                           call_to_action=_("Read more and sign up on Medvirk:") if event.capacity is not None
                           else _("Read more on Medvirk:"))


# --- registering ------------------------------------------------------------------------------------------

def _register_page(event: Event, form, status: int = 200, refused=None):
    if isinstance(form, GuestRegisterForm):
        robots.keep_started(form)
    return render_template("events/register.html", event=event, form=form, refused=refused,
                           by_mail=_by_mail(current_user),
                           closed=seats.closed_reason(event), hold_minutes=settings.get("GUEST_HOLD_MINUTES"),
                           waiting=services.waitlist_lengths([event.id]).get(event.id, 0)), status


def _after_registering(outcome: seats.Outcome, token: str | None = None):
    registration = outcome.registration
    token = token or outcome.token
    if registration.status == RegistrationStatus.CONFIRMED:
        flash(_("You are registered. Keep the link to this page: it lets you change or cancel your registration."), "success")
    else:
        flash(_("The event is full, so you are on the waitlist. We will mail you if a place opens."), "info")
    return redirect(url_for("events.manage_registration", token=token))


def _answer_again(used, event: Event):
    """The same form sent twice (a double click): the second answer shows what the first one did."""
    earlier = db.session.get(Registration, int(used.target_id)) if used.target_id else None
    if earlier is not None:
        return redirect(url_for("events.manage_registration", token=seats.manage_token(earlier)))
    if current_user.is_authenticated:
        return redirect(url_for("events.show", event_id=event.id))
    return render_template("events/already_registered.html", event=event), 200


@bp.route("/events/<int:event_id>/register", methods=["GET", "POST"])
@public
def register(event_id: int):
    event = _event_or_404(event_id)
    guest = not current_user.is_authenticated
    # An account whose address is not confirmed yet registers as a guest would, with the account's
    # address: the place is held until they open the mailed link. Never worse off than a visitor.
    if not guest and not has_permission(current_user, Permission.PARTICIPATE) and not _by_mail(current_user):
        abort(403)
    if not guest and _own_registration(event) is not None:
        return redirect(url_for("events.show", event_id=event.id))
    form = GuestRegisterForm() if guest else RegisterForm()
    if request.method == "GET" and seats.free_expired(event):
        db.session.commit()   # seats nobody confirmed in time are shown free again
    if request.method == "GET" or not form.validate_on_submit():
        return _register_page(event, form, 400 if form.errors else 200)
    client = clients.client_key()
    try:
        once = create_once(form, "registration", lambda: _registering(event, form, guest, client),
                           target=lambda outcome: _leads_back_to(outcome, guest))
    except seats.GuestRefused as refused:
        return _register_page(event, form, refused.status, refused=refused.message)
    except seats.RegistrationClosed as closed:
        return _register_page(event, form, 409, refused=closed.message)
    except IntegrityError as clash:
        return _registered_at_the_same_moment(event, form, guest, clash)
    return _answer_registered(event, once.record, guest, client) if once.new else _answer_again(once.earlier, event)


def _by_mail(user) -> bool:
    """A signed-in account that confirms its place by mail, as a guest does: its address is not confirmed yet."""
    return user.is_authenticated and user.verified_at is None and user.blocked_at is None


def _registering(event: Event, form, guest: bool, client: str) -> seats.Outcome:
    """Register what the form says (a guest's form after the robot checks, its time stamp spent)."""
    if guest:
        seats.check_guest(event, form.started.data, form.website.data, client)
    elif _by_mail(current_user):
        seats.check_confirmed_by_mail(event, client)
    outcome = seats.register(
        event, user=None if guest else current_user._get_current_object(),
        name=form.name.data if guest else None, email=form.email.data if guest else None,
        phone=form.phone.data if guest else None, party_size=int(form.party_size.data),
        access_needs=form.access_needs.data, locale=current_locale(),
        confirm_by_mail=guest or _by_mail(current_user))
    if guest:
        robots.spend(form.started.data)
    return outcome


def _leads_back_to(outcome: seats.Outcome, guest: bool) -> int | None:
    """Only a form that made the registration may lead to it again: one that found an existing
    registration for a typed email must never open that person's link, and a guest's link
    comes by mail only (opening it is what confirms the address)."""
    return None if outcome.already or guest or outcome.registration.unconfirmed else outcome.registration.id


def _registered_at_the_same_moment(event: Event, form, guest: bool, clash: IntegrityError):
    """Two requests for the same person at the same moment: the other one registered them."""
    if seats.find_existing(event, None if guest else current_user, form.email.data if guest else None) is None:
        raise clash
    return render_template("events/already_registered.html", event=event), 200


def _answer_registered(event: Event, outcome: seats.Outcome, guest: bool, client: str):
    by_mail = guest or outcome.registration.unconfirmed
    if by_mail:
        seats.count_guest(event, client)
    if outcome.already:
        if by_mail:
            # Never show the link here: typing someone's email must not hand over their registration,
            # and a place held for a mailed link is confirmed by opening that mail.
            return render_template("events/already_registered.html", event=event), 200
        return redirect(url_for("events.manage_registration", token=seats.manage_token(outcome.registration)))
    if by_mail:
        return redirect(url_for("events.registration_sent", event_id=event.id))
    return _after_registering(outcome)


@bp.route("/events/<int:event_id>/register/sent")
@public
def registration_sent(event_id: int):
    """After a guest's registration: the link is in their mail, never here (opening it confirms the address)."""
    event = _event_or_404(event_id)
    return render_template("events/check_mail.html", event=event, minutes=settings.get("GUEST_HOLD_MINUTES"))


def _registration_or_404(token: str) -> Registration:
    registration = seats.find_by_token(token)
    if registration is None:
        abort(404)
    request.personal_page = True
    return registration


@bp.route("/registrations/<token>", methods=["GET", "POST"])
@public
def manage_registration(token: str):
    registration = _registration_or_404(token)
    event = services.get(registration.event_id)
    if registration.unconfirmed and seats.free_expired(event):
        db.session.commit()   # shown as given back, not as still held
    form = ChangeRegistrationForm(prefix="change")
    if request.method == "GET":
        form.party_size.data = str(registration.party_size)
        form.access_needs.data = registration.access_needs or ""
        return _manage_page(registration, event, form, 200)
    if not form.validate_on_submit():
        return _manage_page(registration, event, form, 400)
    if registration.status == RegistrationStatus.CANCELLED or seats.closed_reason(event) is not None:
        flash(_("This registration can no longer be changed."), "error")
        return redirect(request.path)
    try:
        seats.change_party_size(registration, int(form.party_size.data))
        seats.change_access_needs(registration, form.access_needs.data)
        db.session.commit()
    except seats.SeatsUnavailable as full:
        db.session.rollback()
        form.party_size.errors.append(full.message)
        return _manage_page(registration, event, form, 409)
    flash(_("Your changes are saved."), "success")
    return redirect(request.path)


def _manage_page(registration: Registration, event: Event, form, status: int):
    return render_template("events/manage.html", registration=registration, event=event, form=form,
                           confirm_form=ActionForm(prefix="confirm"), position=seats.waitlist_position(registration),
                           closed=seats.closed_reason(event), can_cancel=_can_cancel(registration)), status


def _can_cancel(registration: Registration) -> bool:
    return registration.status != RegistrationStatus.CANCELLED and registration.event.starts_at > utcnow()


def _ask_once_more(registration: Registration, action: str, form: ActionForm):
    """A destructive step asks on a page of its own first, so it works the same without JavaScript."""
    return render_template("events/manage_confirm.html", registration=registration, event=registration.event,
                           action=action, form=form, token=request.view_args["token"])

@bp.route("/registrations/<token>/confirm", methods=["POST"])
@public
def confirm_registration(token: str):
    """The guest confirms from the mailed link's page (a button: mail scanners open links, they do not press)."""
    registration = _registration_or_404(token)
    if not ActionForm(prefix="confirm").validate_on_submit():
        flash(_("The page had expired. Press the button again."), "error")
        return redirect(url_for("events.manage_registration", token=token))
    try:
        seats.confirm(registration)
    except seats.NotConfirmedInTime as late:
        db.session.commit()   # the expired hold is given back either way
        flash(str(late.message), "error")
        return redirect(url_for("events.manage_registration", token=token))
    db.session.commit()
    if registration.status == RegistrationStatus.CONFIRMED:
        flash(_("Thank you: your place is confirmed. Keep the link to this page: it lets you change or cancel "
                "your registration."), "success")
    else:
        flash(_("Thank you: your address is confirmed, and you are on the waitlist. We will mail you if a place opens."),
              "info")
    return redirect(url_for("events.manage_registration", token=token))


@bp.route("/registrations/<token>/data")
@public
def registration_data(token: str):
    registration = _registration_or_404(token)
    body = json.dumps({"exported_at": iso_utc(utcnow()), "registration": data(registration)}, ensure_ascii=False,
                      indent=1)
    response = Response(body, content_type="application/json; charset=utf-8")
    response.headers["Content-Disposition"] = f'attachment; filename="medvirk-registration-{registration.event_id}.json"'
    return response


@bp.route("/registrations/<token>/erase", methods=["GET", "POST"])
@public
def erase_registration(token: str):
    registration = _registration_or_404(token)
    form = ActionForm(prefix="erase")
    if request.method == "GET":
        return _ask_once_more(registration, "erase", form)
    if not form.validate_on_submit():
        flash(_("The page had expired. Press the button again."), "error")
        return redirect(url_for("events.erase_registration", token=token))
    event_id = registration.event_id
    erase(registration)
    db.session.commit()
    forget_on_disk()
    flash(_("Your registration and the details in it are deleted."), "success")
    return redirect(url_for("events.show", event_id=event_id))


@bp.route("/registrations/<token>/cancel", methods=["GET", "POST"])
@public
def cancel_registration(token: str):
    registration = _registration_or_404(token)
    if not _can_cancel(registration):
        if registration.status != RegistrationStatus.CANCELLED:
            flash(_("The event has started, so the registration can no longer be cancelled here."), "error")
        return redirect(url_for("events.manage_registration", token=token))
    form = ActionForm(prefix="cancel")
    if request.method == "GET":
        return _ask_once_more(registration, "cancel", form)
    if not form.validate_on_submit():
        flash(_("The page had expired. Press the button again."), "error")
        return redirect(url_for("events.cancel_registration", token=token))
    waiting = registration.status == RegistrationStatus.WAITLISTED
    seats.cancel(registration)
    db.session.commit()
    if waiting:
        flash(_("You have left the waitlist. Thank you for letting us know."), "success")
    else:
        flash(_("Your registration is cancelled. Thank you for letting us know: your place goes to the next person."),
              "success")
    return redirect(url_for("events.manage_registration", token=token))


# --- calendar files ---------------------------------------------------------------------------------------

def _ics(body: bytes, filename: str) -> Response:
    response = Response(body, mimetype="text/calendar")
    response.headers["Content-Disposition"] = f'inline; filename="{filename}"'
    response.charset = "utf-8"
    return response


@bp.route("/events/<int:event_id>.ics")
@public
def event_ics(event_id: int):
    event = _event_or_404(event_id)
    return _ics(calendar.event_calendar(event, current_locale()), f"event-{event.id}.ics")


@bp.route("/districts/<slug>/events.ics")
@public
def district_ics(slug: str):
    district = get_district(slug)
    if district is None:
        abort(404)
    return _ics(calendar.district_calendar(f"Medvirk – {district.name}", services.calendar_feed(district), current_locale()),
                f"{district.slug}.ics")


# --- for templates ----------------------------------------------------------------------------------------

def language_name(code: str) -> str:
    from babel import Locale

    # A spoken language: Norwegian is spoken, Bokmål is only written, so "nb" is named "Norsk".
    spoken = "no" if code == "nb" else code
    name = Locale.parse(current_locale()).languages.get(spoken, code)
    return name[:1].upper() + name[1:]



@bp.app_template_global("audience_label")
def audience_label(audience: str) -> str:
    return str(AUDIENCE_LABELS.get(audience, audience))


bp.add_app_template_filter(language_name, "language_name")
bp.add_app_template_global(utcnow, "now")
