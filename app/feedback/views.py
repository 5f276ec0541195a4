"""Feedback pages: the form for a district, and the status page behind a receipt code."""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from werkzeug.exceptions import TooManyRequests
from wtforms.fields.choices import SelectChoice

from app.core import clients, robots
from app.core.forms import effort_area_choices
from app.core.i18n import gettext as _
from app.core.once import create_once
from app.core.params import positive_int
from app.core.permissions import public
from app.core.uploads import accepts_upload
from app.districts.services import get_district, get_effort_area, list_effort_areas, shown_open_districts
from app.feedback import services
from app.feedback.forms import MAX_PHOTOS, FeedbackForm, ReceiptLookupForm
from app.photos import services as photos
from app.photos.forms import chosen_photos, photo_form_bytes
from app.places import picking
from app.places.item_maps import picker

bp = Blueprint("feedback", __name__, template_folder="templates")


@bp.record_once
def _template_names(state) -> None:
    # The moderation page of a piece of feedback shows its photos (to its district's moderators alone).
    state.app.jinja_env.globals["feedback_photos"] = photos.visible_photos


def _render_form(form: FeedbackForm, district, refused=None, status: int = 200, picked=None, elsewhere=None):
    # The time the form was first shown travels with it, so fixing a mistake quickly is not taken for a robot;
    # a missing or forged one starts again.
    robots.keep_started(form)
    return render_template("feedback/new.html", form=form, district=district, refused=refused, picked=picked,
                           elsewhere=elsewhere, place_map=picker([district], form),
                           lookup=ReceiptLookupForm(formdata=None)), status


def _rating(value: str | None) -> int | None:
    number = positive_int(value)
    return number if number and number <= 5 else None


@bp.route("/districts/<slug>/feedback", methods=["GET", "POST"])
@accepts_upload(photo_form_bytes(MAX_PHOTOS))   # a visitor's post stays bounded: this, and FEEDBACK_PER_HOUR
@public
def new(slug: str):
    district = get_district(slug)
    if district is None:
        abort(404)
    if district.retired_at is not None:
        return render_template("feedback/closed.html", district=district), 410
    form = FeedbackForm()
    form.topic.choices = [SelectChoice("", _("No particular topic"))] + effort_area_choices(list_effort_areas())
    if request.method == "POST" and (early := _before_reading(form, district)) is not None:
        return early
    if request.method == "GET" or not form.validate_on_submit():
        return _render_form(form, district, status=200 if request.method == "GET" else 400)
    picked, page = _place_or_page(form, district)
    if page is not None:
        return page
    try:
        once = create_once(form, "feedback", lambda: _send(form, district, clients.client_key(), picked.location),
                           target=lambda feedback: feedback.receipt_code)
    except services.FeedbackRefused as refused:
        return _render_form(form, district, refused=refused.message, status=refused.status)
    return _sent(once, picked)


def _sent(once, picked: picking.Picked):
    if not once.new:
        return redirect(url_for("feedback.status", code=once.earlier.target_id))
    flash(_("Thank you! Your feedback has reached the municipality."), "success")
    if picked.notice:
        flash(_("The place could not be found on the map, so it is kept in your own words."), "info")
    return redirect(url_for("feedback.status", code=once.record.receipt_code, new=1))


def _place_or_page(form: FeedbackForm, district):
    """(the place picked, None), or (None, the form shown again: an address to choose, a point refused)."""
    try:
        picked = picking.pick(form, district)
    except picking.PlaceRefused as refused:
        picking.keep_refused(form, refused)
        form.place.errors = [*form.place.errors, refused.message]
        return None, _render_form(form, district, status=400, elsewhere=refused.elsewhere)
    picking.keep(form, picked)
    if not picked.settled:
        form.place.errors = [*form.place.errors, _("Choose the place you mean below, or “The whole district”.")]
        return None, _render_form(form, district, status=400, picked=picked)
    return picked, None


def _place_step(form: FeedbackForm, district):
    """"Find the place" (the words looked up, nothing sent), or this district's form reached with the
    button on another district's form whose point is in this one: shown with everything typed kept.
    Only the page's own token is checked; the rest is checked when it is sent."""
    form.validate()
    expired = bool(form.csrf_token.errors)
    for f in form:
        if f is not form.csrf_token:
            f.errors = []
    if expired or request.form.get("switch_to"):
        return _render_form(form, district, status=400 if expired else 200)
    picked = picking.look_up(form.place.data)
    picking.keep(form, picked)
    return _render_form(form, district, picked=picked)


def _before_reading(form: FeedbackForm, district):
    """The page for a post answered before its form is read: photos from a client over the limit, or the
    place step; None for a post to read."""
    refused = _photos_refused()
    if refused is not None:
        return _render_form(form, district, refused=refused.message, status=refused.status)
    # "Find the place" with nothing to find is the form's own button (Enter in another field presses it).
    if form.find_place.data and form.place.data or request.form.get("switch_to"):
        return _place_step(form, district)
    return None


def _photos_refused() -> services.FeedbackRefused | None:
    """Photos are checked while the form is validated, seconds of work each: a client sending them again
    and again is stopped before that (``services.count_photo_attempt``)."""
    if not any(upload.filename for upload in request.files.values()):
        return None
    try:
        services.count_photo_attempt(clients.client_key())
    except services.FeedbackRefused as refused:
        return refused
    return None


def _send(form: FeedbackForm, district, client: str, location: picking.Location):
    """The feedback the form describes, once it passed the robot checks; its time stamp is spent."""
    services.check_not_a_robot(form.started.data, form.website.data, client)
    topic = positive_int(form.topic.data)
    feedback = services.submit_feedback(
        district, form.body.data,
        {name: _rating(getattr(form, f"rating_{name}").data) for name in ("safety", "wellbeing", "belonging")},
        get_effort_area(topic) if topic else None, form.contact_name.data, form.contact_email.data,
        form.contact_phone.data, bool(form.contact_consent.data), client, location=location,
        pictures=[(chosen.processed, chosen.alt_text) for chosen in chosen_photos(form.photos)],
        language=form.language.data,
    )
    robots.spend(form.started.data)
    return feedback


def _index_page(lookup: ReceiptLookupForm, status: int = 200):
    return render_template("feedback/index.html", districts=shown_open_districts(), lookup=lookup), status


@bp.route("/feedback/")
@public
def index():
    """The way in to private feedback from the menu: which district, and the reference code box."""
    return _index_page(ReceiptLookupForm(formdata=None))


@bp.route("/feedback/find")
@public
def find():
    """The reference code box: on to the code's own page, written as the receipt writes it. Nothing is
    looked up here; the code's page counts wrong codes per client (services.find_by_code)."""
    if "code" not in request.args:   # the box's own address opened bare: the page with the box
        return _index_page(ReceiptLookupForm(formdata=None))
    lookup = ReceiptLookupForm(request.args)
    if lookup.validate():
        code = services.normalise_code(lookup.code.data)
        if code:
            return redirect(url_for("feedback.status", code=code))
        lookup.code.errors.append(_("A reference code is 12 letters and digits, like ABCD-EFGH-JKLM. "
                                    "Check what you typed."))
    return _index_page(lookup, 400)


@bp.route("/feedback/<code>")
@public
def status(code: str):
    try:
        feedback = services.find_by_code(code, clients.client_key())
    except services.TooManyGuesses as refused:
        error = TooManyRequests()
        error.retry_after = refused.wait
        raise error from None
    if feedback is None:
        lookup = ReceiptLookupForm(formdata=None, code=code)
        return render_template("feedback/not_found.html", lookup=lookup), 404
    return render_template("feedback/status.html", feedback=feedback, just_sent=request.args.get("new") == "1")
