"""The administration of meeting places: the list of all of them (retired ones too), retiring and
reinstating, and merging duplicates. Meeting places are added and changed on their own pages
(``meeting_places.new`` and ``.edit``), which district moderators use too."""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from app.admin import actions
from app.admin.blueprint import bp
from app.admin.listing import PER_PAGE, moved_events, moved_followers, page_number
from app.admin.place_forms import PlaceFilterForm, PlaceMergeForm
from app.core.forms import ActionForm
from app.core.i18n import gettext as _
from app.core.params import Page
from app.core.permissions import Permission, require
from app.districts.services import list_districts
from app.extensions import db
from app.follows import services as following
from app.meeting_places import services as place_services

# ---- meeting places ----------------------------------------------------------------------------------

def _place_or_404(place_id: int):
    place = place_services.get_place(place_id)
    if place is None:
        abort(404)
    return place


def _back_to_places(place):
    return redirect(url_for("admin.places", district=place.district.slug))


@bp.get("/places")
@require(Permission.ADMINISTER)
def places():
    districts = list_districts()
    form = PlaceFilterForm(request.args)
    form.district.choices = [SelectChoice("", _("All districts"))] + [SelectChoice(d.slug, d.name) for d in districts]
    chosen, query = None, None
    if form.validate():
        chosen = next((d for d in districts if d.slug == form.district.data), None)
        query = form.q.data or None
    page = page_number()
    rows, total = place_services.admin_list(chosen, query, page, PER_PAGE)
    filters = {name: value for name, value in (("district", chosen.slug if chosen else None), ("q", query)) if value}
    return render_template("admin/places/index.html", form=form, rows=rows, page=Page(page, total, PER_PAGE),
                           filters=filters, chosen=chosen)


@bp.route("/places/<int:place_id>/retire", methods=["GET", "POST"])
@require(Permission.ADMINISTER)
def place_retire(place_id: int):
    place = _place_or_404(place_id)
    if place.retired_at is not None:
        flash(_("%(name)s is already retired.", name=place.name), "error")
        return _back_to_places(place)
    form = ActionForm()
    if form.validate_on_submit():
        place_services.retire_place(place, current_user)
        db.session.commit()
        flash(_("%(name)s is retired. It is no longer in the public list, and no new events can be held there.",
                name=place.name), "success")
        return _back_to_places(place)
    return render_template("admin/places/retire.html", place=place, form=form,
                           upcoming=place_services.event_counts(place)[1]), 400 if form.errors else 200


@bp.post("/places/<int:place_id>/reinstate")
@require(Permission.ADMINISTER)
def place_reinstate(place_id: int):
    place = _place_or_404(place_id)
    return actions.button(lambda: place_services.reinstate_place(place, current_user),
                          _("%(name)s is in use again and back in the public list.", name=place.name),
                          _back_to_places(place))


@bp.route("/places/<int:place_id>/merge", methods=["GET", "POST"])
@require(Permission.ADMINISTER)
def place_merge(place_id: int):
    place = _place_or_404(place_id)
    if place.retired_at is not None:
        flash(_("%(name)s is retired, so there is nothing to merge.", name=place.name), "error")
        return _back_to_places(place)
    candidates = place_services.merge_candidates(place)
    form = PlaceMergeForm()
    form.keep.choices = [SelectChoice("", _("Choose a meeting place"))] + [
        SelectChoice(str(p.id), f"{p.name} – {p.address}") for p in candidates]
    if form.validate_on_submit():
        kept = next(p for p in candidates if str(p.id) == form.keep.data)
        try:
            merged = place_services.merge_places(place, kept, current_user)
            db.session.commit()
        except place_services.PlaceError as error:
            db.session.rollback()
            form.keep.errors.append(error.message)
            return _merge_page(_place_or_404(place_id), form, 400)
        flash(" ".join([_("%(duplicate)s is merged into %(kept)s.", duplicate=place.name, kept=kept.name),
                        moved_events(merged.events), moved_followers(merged.follows)]), "success")
        return _back_to_places(kept)
    return _merge_page(place, form, 400 if form.errors else 200)


def _merge_page(place, form, status):
    form.confirm.data = False   # a refused merge is confirmed again, once the choice is right
    events, upcoming = place_services.event_counts(place)
    return render_template("admin/places/merge.html", place=place, form=form, events=events, upcoming=upcoming,
                           followers=following.summary(place).followers), status
