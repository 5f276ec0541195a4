"""Meeting place pages: the catalogue per district, one place, and keeping them up to date."""
from __future__ import annotations

from dataclasses import dataclass, field

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from app.core import page_cache, posters
from app.core.forms import ActionForm
from app.core.i18n import gettext as _
from app.core.permissions import Permission, has_permission, public, require
from app.core.qr import qr_svg
from app.core.rules import Forbidden, RuleBroken
from app.core.uploads import accepts_upload
from app.core.urls import site_url
from app.districts.services import list_districts, open_districts
from app.events.services import next_cards
from app.extensions import db
from app.follows import services as following
from app.meeting_places import locating, services
from app.meeting_places import photos as place_photos
from app.meeting_places.forms import PlaceForm, PlacePhotoForm
from app.photos.forms import chosen_photos, photo_form_bytes
from app.places import maps

bp = Blueprint("meeting_places", __name__, template_folder="templates")


@bp.route("/")
@public
def index():
    districts = list_districts()
    chosen = next((d for d in districts if d.slug == request.args.get("district")), None)
    places = services.list_places(chosen, with_photos=True)
    by_district = [(d, [p for p in places if p.district_id == d.id]) for d in districts if chosen in (None, d)]
    # A retired district leaves the choice of districts; its places are still listed.
    by_district = [(d, shown) for d, shown in by_district if d.active or shown or d == chosen]
    return render_template("meeting_places/index.html", by_district=by_district, chosen=chosen,
                           districts=[d for d in districts if d.active or d == chosen])


@bp.route("/<int:place_id>")
@public
def show(place_id: int):
    place = services.get_place(place_id)
    if place is not None and place.merged_into_id is not None:
        # A duplicate merged into another place: its old address leads there for good.
        return redirect(url_for("meeting_places.show", place_id=place.merged_into_id), 301)
    if place is None or place.retired_at is not None:
        abort(404)
    # What everyone sees is kept (for logged-in people too); following and changing it are the person's own.
    content = page_cache.fragment((place.id,), "meeting_places/_show.html", lambda: {
        "place": place, "events": next_cards(limit=10, meeting_place_id=place.id), "place_map": maps.place_map(place)})
    return render_template("meeting_places/show.html", place=place, follow=following.summary(place, current_user),
                           content=content)


@bp.route("/<int:place_id>/poster")
@public
def poster(place_id: int):
    place = services.get_place(place_id)
    if place is not None and place.merged_into_id is not None:
        return redirect(url_for("meeting_places.poster", place_id=place.merged_into_id), 301)
    if place is None or place.retired_at is not None:
        abort(404)  # as the page: a retired place has none
    url = site_url("meeting_places.show", place_id=place.id)
    return render_template("meeting_places/poster.html", place=place, url=url, qr=qr_svg(url),
                           excerpt=posters.excerpt(place.description_html or ""),
                           cards=next_cards(limit=posters.EVENTS, meeting_place_id=place.id),
                           back_url=url_for("meeting_places.show", place_id=place.id),
                           call_to_action=_("Opening hours, events and how to get there on Medvirk:"))


def _editable_districts(place=None):
    """The districts the person may put a place in: theirs, not retired (a place keeps the one it is in)."""
    return [d for d in open_districts(keep=place.district if place else None) if d.is_moderated_by(current_user)]


def _form(districts) -> PlaceForm:
    form = PlaceForm()
    form.district.choices = [SelectChoice("", _("Choose a district"))] + [SelectChoice(d.slug, d.name) for d in districts]
    return form


@dataclass
class Locating:
    """What the form shows under "where it is on the map" after a lookup: the addresses to choose from, or a
    message (nothing found, the register not answering, the point chosen and where it is)."""
    candidates: list[locating.Found] = field(default_factory=list)
    message: str | None = None
    warning: str | None = None


def _is_locating() -> bool:
    return request.method == "POST" and ("lookup" in request.form or "point" in request.form)


def _locate(form: PlaceForm, place, districts):
    """Look the address up, or take the address chosen; nothing is saved, everything typed stays."""
    shown = Locating()
    if "point" in request.form:
        point = locating.chosen(request.form["point"])
        if point is None:
            shown.message = _("Choose one of the addresses found, or type the coordinates.")
        else:
            form.set_point(*point)
            district = next((d for d in districts if d.slug == form.district.data), None)
            shown.message = _("The point is filled in below. Save the meeting place to keep it.")
            shown.warning = locating.outside_district(*point, district) if district else None
    elif form.address.validate(form):
        try:
            shown.candidates = locating.look_up(form.address.data)
        except locating.Unavailable:
            shown.message = _("The address lookup is not working right now. Try again later, or type the "
                              "coordinates below.")
        else:
            if not shown.candidates:
                shown.message = _("No address was found for what you typed. Check the address, or type the "
                                  "coordinates below.")
    return render_template("meeting_places/form.html", form=form, place=place, locating=shown), \
        400 if form.errors else 200


def _save(place, form: PlaceForm, districts):
    district = next((d for d in districts if d.slug == form.district.data), None)
    if district is None:
        form.district.errors.append(_("Choose one of your districts."))
        return None
    try:
        saved = services.save_place(place, district, form.values(), current_user)
    except Forbidden:
        raise  # answered centrally with a 403, not beside the field
    except RuleBroken as error:
        db.session.rollback()
        form.district.errors.append(error.message)
        return None
    db.session.commit()
    flash(_("The meeting place is saved."), "success")
    if saved.latitude is not None and saved.longitude is not None:
        warning = locating.outside_district(saved.latitude, saved.longitude, saved.district)
        if warning:
            flash(warning, "warning")
    if saved.retired_at is not None:  # it has no public page: back to where retired places are listed
        if has_permission(current_user, Permission.ADMINISTER):
            return redirect(url_for("admin.places", district=saved.district.slug))
        return redirect(url_for("meeting_places.index"))
    return redirect(url_for("meeting_places.show", place_id=saved.id))


@bp.route("/new", methods=["GET", "POST"])
@require(Permission.MODERATE)
def new():
    districts = _editable_districts()
    form = _form(districts)
    if request.method == "GET" and request.args.get("district"):
        form.district.data = request.args["district"]
    if _is_locating():
        return _locate(form, None, districts)
    if form.validate_on_submit():
        done = _save(None, form, districts)
        if done is not None:
            return done
    return render_template("meeting_places/form.html", form=form, place=None), 400 if form.errors else 200


@bp.route("/<int:place_id>/edit", methods=["GET", "POST"])
@require(Permission.MODERATE)
def edit(place_id: int):
    place = services.get_place(place_id)
    if place is None:
        abort(404)
    if not place.can_edit(current_user):
        abort(403)
    districts = _editable_districts(place)
    form = _form(districts)
    if request.method == "GET":
        form.fill_from(place)
    elif _is_locating():
        return _locate(form, place, districts)
    elif form.validate_on_submit():
        done = _save(place, form, districts)
        if done is not None:
            return done
    return render_template("meeting_places/form.html", form=form, place=place), 400 if form.errors else 200




# --- photos -------------------------------------------------------------------------------------------------


def _place_kept_by_me(place_id: int):
    place = services.get_place(place_id)
    if place is None or place.merged_into_id is not None:
        abort(404)
    if not place.can_edit(current_user):
        abort(403)
    return place


def _place_photo(place, photo_id: int):
    photo = next((p for p in place_photos.photos_of(place) if p.id == photo_id), None)
    if photo is None:
        abort(404)
    return photo


@bp.route("/<int:place_id>/photos", methods=["GET", "POST"])
@accepts_upload(photo_form_bytes(1))
@require(Permission.MODERATE)
def photos(place_id: int):
    place = _place_kept_by_me(place_id)
    form = PlacePhotoForm()
    if form.validate_on_submit():
        chosen = chosen_photos(form.photos)
        if not chosen:
            form.refuse(_("Choose a photo to add."))
        else:
            try:
                place_photos.add(place, chosen[0], current_user)
            except RuleBroken as error:   # five already, or the storage away
                db.session.rollback()
                form.refuse(error.message)
            else:
                db.session.commit()
                flash(_("The photo is added."), "success")
                return redirect(url_for("meeting_places.photos", place_id=place.id))
    return render_template("meeting_places/photos.html", place=place, form=form, action=ActionForm(),
                           photos=place_photos.photos_of(place), most=place_photos.MAX_PHOTOS), \
        400 if form.errors else 200


@bp.route("/<int:place_id>/photos/<int:photo_id>/remove", methods=["POST"])
@require(Permission.MODERATE)
def remove_photo(place_id: int, photo_id: int):
    place = _place_kept_by_me(place_id)
    photo = _place_photo(place, photo_id)
    if not ActionForm().validate_on_submit():
        flash(_("The page had expired. Press the button again."), "error")
    else:
        place_photos.remove(place, photo, current_user)
        db.session.commit()
        flash(_("The photo is removed."), "success")
    return redirect(url_for("meeting_places.photos", place_id=place.id))


@bp.route("/<int:place_id>/photos/<int:photo_id>/<any(earlier, later):direction>", methods=["POST"])
@require(Permission.MODERATE)
def move_photo(place_id: int, photo_id: int, direction: str):
    place = _place_kept_by_me(place_id)
    photo = _place_photo(place, photo_id)
    if not ActionForm().validate_on_submit():
        flash(_("The page had expired. Press the button again."), "error")
    else:
        place_photos.move(place, photo, direction == "earlier", current_user)
        db.session.commit()
        flash(_("The order is saved."), "success")
    return redirect(url_for("meeting_places.photos", place_id=place.id))
