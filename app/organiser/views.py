"""Organiser pages: my events, one event's participants, attendance, the CSV export and a message to everyone.

Every page here shows or leads to names and contact details, so each is marked personal (never cached).
"""
from __future__ import annotations

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy.exc import IntegrityError

from app.core.db import utcnow
from app.core.forms import ActionForm
from app.core.i18n import current_locale, ngettext
from app.core.i18n import gettext as _
from app.core.once import create_once
from app.core.params import positive_int
from app.core.permissions import Permission, require, writes_on_get
from app.events import registration as seats
from app.events import services as events
from app.events.models import RegistrationStatus
from app.extensions import db
from app.organiser import events as _event_pages  # noqa: F401  (its pages join bp)
from app.organiser import services
from app.organiser.blueprint import bp
from app.organiser.forms import MESSAGE_LANGUAGES, AddPersonForm, MessageForm


def _personal() -> None:
    request.personal_page = True


@bp.route("/organiser/")
@require(Permission.PARTICIPATE)
def index():
    _personal()
    chosen = positive_int(request.args.get("organisation"))
    if chosen is not None:
        return _organisation_events(chosen)
    groups, waiting = services.overview(current_user)
    return render_template("organiser/index.html", groups=groups, waiting=waiting, past_days=services.PAST_DAYS)


def _organisation_events(organisation_id: int):
    """One organisation's coming events, or those that have ended, a page at a time."""
    organisation = next((org for org in events.organiser_of(current_user) if org.id == organisation_id), None)
    if organisation is None:
        abort(404)
    ended = request.args.get("ended") == "1"
    found, waiting = services.organisation_events(
        organisation, ended, events.EventKey.parse(request.args.get("after")),
        events.EventKey.parse(request.args.get("before")), positive_int(request.args.get("page"), 1))
    return render_template("organiser/organisation_events.html", organisation=organisation, ended=ended,
                           page=found, waiting=waiting,
                           filters={"organisation": organisation.id, "ended": "1" if ended else None})


def _event(event_id: int):
    """The event, for someone who may see its participants."""
    _personal()
    event = events.get(event_id)
    if event is None:
        abort(404)
    if not event.can_see_participants(current_user):
        abort(403)
    return event


def _managed(event_id: int):
    event = _event(event_id)
    if not event.can_manage(current_user):
        abort(403)
    return event


def _page(event, add_form=None, message_form=None, refused: dict | None = None, status: int = 200):
    manage = event.can_manage(current_user)
    now = utcnow()
    return render_template(
        "organiser/participants.html", event=event, manage=manage,
        listed=services.participant_page(event, positive_int(request.args.get("page"), 1)),
        show_needs=services.shows_access_needs(event, current_user, now), attendance_open=services.attendance_open(event, now),
        closed_reason=seats.closed_reason(event, now),
        add_form=add_form or AddPersonForm(prefix="add", formdata=None),
        message_form=message_form or MessageForm(prefix="message", formdata=None),
        languages=MESSAGE_LANGUAGES, refused=refused or {},
    ), status


@bp.route("/organiser/events/<int:event_id>", methods=["GET", "POST"])
@require(Permission.PARTICIPATE)
@writes_on_get
def participants(event_id: int):
    event = _event(event_id)
    if request.method == "GET":
        services.note_reading(event, current_user, "registration.list_read")
        db.session.commit()
        return _page(event)
    if not event.can_manage(current_user):
        abort(403)
    form = AddPersonForm(prefix="add")
    if not form.validate_on_submit():
        return _page(event, add_form=form, status=400)
    try:  # a double click adds one person
        once = create_once(form, "organiser-add", lambda: services.add_person(
            event, current_user, form.name.data, form.phone.data, form.party_size.data, form.access_needs.data,
            current_locale()))
    except seats.RegistrationClosed as closed:
        return _page(events.get(event_id), add_form=form, refused={"add": closed.message}, status=400)
    except IntegrityError:  # the same form at the same moment: the other request added the person
        once = None
    if once is not None and once.new:
        _tell_added(once.record)
    return redirect(url_for("organiser.participants", event_id=event_id))


def _tell_added(registration) -> None:
    if registration.status == RegistrationStatus.CONFIRMED:
        flash(_("%(name)s is added and has a seat.", name=registration.name), "success")
    else:
        flash(_("%(name)s is added to the waitlist: the event is full.", name=registration.name), "success")


@bp.route("/organiser/events/<int:event_id>/attendance", methods=["POST"])
@require(Permission.PARTICIPATE)
def attendance(event_id: int):
    event = _managed(event_id)
    back = redirect(url_for("organiser.participants", event_id=event_id,
                            page=positive_int(request.form.get("page"), 1), _anchor="confirmed-title"))
    if not ActionForm().validate_on_submit():
        flash(_("The page was open too long, so for your safety the form was not sent. "
                "Check what you typed and send it again."), "error")
        return back
    came = {number for value in request.form.getlist("came") if (number := positive_int(value)) is not None}
    shown = {number for value in request.form.getlist("shown") if (number := positive_int(value)) is not None}
    try:
        services.mark_attendance(event, came, shown, current_user)
        db.session.commit()
    except services.OrganiserError as error:
        db.session.rollback()
        flash(str(error.message), "error")
        return back
    flash(_("Attendance is saved."), "success")
    return back


@bp.route("/organiser/events/<int:event_id>/participants.csv")
@require(Permission.PARTICIPATE)
@writes_on_get
def participants_csv(event_id: int):
    event = _event(event_id)
    body = services.participants_csv(event, current_user)
    services.note_reading(event, current_user, "registration.export")
    db.session.commit()
    response = Response(body.encode("utf-8"), content_type="text/csv; charset=utf-8")
    filename = f"participants-{event.id}-{event.starts_at.date().isoformat()}.csv"
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/organiser/events/<int:event_id>/message", methods=["POST"])
@require(Permission.PARTICIPATE)
def message(event_id: int):
    event = _managed(event_id)
    form = MessageForm(prefix="message")
    if not form.validate_on_submit():
        return _page(event, message_form=form, status=400)
    try:  # a double click sends once
        once = create_once(form, "organiser-message", lambda: services.send_message(event, form.texts(), current_user),
                           target=lambda _sent: event.id)
    except services.OrganiserError as error:
        page = _page(events.get(event_id), message_form=form, refused={"message": error.message}, status=error.status)
        if error.status == 429:
            return page[0], 429, {"Retry-After": str(services.message_wait(event) or 60)}
        return page
    except IntegrityError:  # the same form at the same moment: the other request sent it
        once = None
    if once is not None and once.new:
        flash(ngettext("The message was sent to %(num)d person.", "The message was sent to %(num)d people.",
                       once.record), "success")
    return redirect(url_for("organiser.participants", event_id=event_id))
