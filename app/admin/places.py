"""The administration of meeting places and organisations: lists of all of them (retired ones too),
retiring and reinstating, merging duplicates, and an organisation's members, events and details.
Meeting places are added and changed on their own pages (``meeting_places.new`` and ``.edit``),
which district moderators use too."""
from __future__ import annotations

from dataclasses import dataclass

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from app.admin import actions, bp
from app.admin.place_forms import (
    OrganisationFilterForm,
    OrganisationForm,
    OrganisationMergeForm,
    PlaceFilterForm,
    PlaceMergeForm,
)
from app.core.forms import ActionForm, show_beside
from app.core.i18n import gettext as _
from app.core.i18n import lazy_gettext as _l
from app.core.i18n import ngettext
from app.core.params import page_count, positive_int
from app.core.permissions import Permission, require
from app.districts.services import list_districts
from app.extensions import db
from app.meeting_places import services as place_services
from app.organisations import services as organisation_services

PER_PAGE = 25

STATUS_LABELS = {
    "pending": _l("Waiting for approval"),
    "approved": _l("Approved"),
    "declined": _l("Declined"),
    "retired": _l("Retired"),
}


@dataclass
class Pages:
    page: int
    total: int
    per_page: int = PER_PAGE

    @property
    def pages(self) -> int:
        return page_count(self.total, self.per_page)


def _page_number() -> int:
    return positive_int(request.args.get("page"), 1)


def _moved_events(count: int) -> str:
    return ngettext("%(num)d event moved to it.", "%(num)d events moved to it.", count)


def _moved_followers(count: int) -> str:
    return ngettext("%(num)d follower now follows it.", "%(num)d followers now follow it.", count)


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
    page = _page_number()
    rows, total = place_services.admin_list(chosen, query, page, PER_PAGE)
    filters = {name: value for name, value in (("district", chosen.slug if chosen else None), ("q", query)) if value}
    return render_template("admin/places/index.html", form=form, rows=rows, page=Pages(page, total),
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
                        _moved_events(merged.events), _moved_followers(merged.follows)]), "success")
        return _back_to_places(kept)
    return _merge_page(place, form, 400 if form.errors else 200)


def _merge_page(place, form, status):
    form.confirm.data = False   # a refused merge is confirmed again, once the choice is right
    events, upcoming = place_services.event_counts(place)
    from app.follows import services as following  # events build on meeting places, not the other way round

    return render_template("admin/places/merge.html", place=place, form=form, events=events, upcoming=upcoming,
                           followers=following.summary(place).followers), status


# ---- organisations -----------------------------------------------------------------------------------

def _organisation_or_404(organisation_id: int):
    organisation = organisation_services.get(organisation_id)
    if organisation is None:
        abort(404)
    return organisation


def _back_to_organisation(organisation):
    return redirect(url_for("admin.organisation", organisation_id=organisation.id))


@bp.get("/organisations")
@require(Permission.ADMINISTER)
def organisations():
    form = OrganisationFilterForm(request.args)
    form.status.choices = [SelectChoice("", _("Any status"))] + [
        SelectChoice(code, label) for code, label in STATUS_LABELS.items()]
    query, status = None, None
    if form.validate():
        query, status = form.q.data or None, form.status.data or None
    page = _page_number()
    rows, total = organisation_services.admin_list(query, status, page, PER_PAGE)
    filters = {name: value for name, value in (("q", query), ("status", status)) if value}
    return render_template("admin/organisations/index.html", form=form, rows=rows, page=Pages(page, total),
                           filters=filters, status_labels=STATUS_LABELS, state=organisation_services.state)


@bp.get("/organisations/<int:organisation_id>")
@require(Permission.ADMINISTER)
def organisation(organisation_id: int):
    found = _organisation_or_404(organisation_id)
    request.personal_page = True   # members' names and addresses
    upcoming, past = organisation_services.admin_events(found)
    upcoming_total, past_total = organisation_services.event_counts(found)
    merged_into = organisation_services.get(found.merged_into_id) if found.merged_into_id else None
    return render_template("admin/organisations/show.html", organisation=found, upcoming=upcoming, past=past,
                           upcoming_total=upcoming_total, past_total=past_total, merged_into=merged_into,
                           status=organisation_services.state(found), status_labels=STATUS_LABELS, form=ActionForm())


@bp.route("/organisations/<int:organisation_id>/edit", methods=["GET", "POST"])
@require(Permission.ADMINISTER)
def organisation_edit(organisation_id: int):
    found = _organisation_or_404(organisation_id)
    districts = list_districts()
    form = OrganisationForm()
    form.districts.choices = [SelectChoice(d.slug, d.name) for d in districts]
    if request.method == "GET":
        form.name.data, form.description.data = found.name, found.description
        form.contact_email.data, form.districts.data = found.contact_email, [d.slug for d in found.districts]
    elif form.validate_on_submit():
        chosen = [d for d in districts if d.slug in (form.districts.data or [])]
        try:
            organisation_services.update_organisation(found, form.name.data, form.description.data, form.contact_email.data,
                                              chosen, current_user)
            db.session.commit()
        except organisation_services.OrganisationError as error:
            db.session.rollback()
            show_beside(form, error)
            found = _organisation_or_404(organisation_id)
        else:
            flash(_("The organisation is saved."), "success")
            return _back_to_organisation(found)
    return render_template("admin/organisations/edit.html", organisation=found, form=form), \
        400 if form.errors else 200


@bp.route("/organisations/<int:organisation_id>/retire", methods=["GET", "POST"])
@require(Permission.ADMINISTER)
def organisation_retire(organisation_id: int):
    found = _organisation_or_404(organisation_id)
    form = ActionForm()
    if form.validate_on_submit():
        try:
            organisation_services.retire(found, current_user)
            db.session.commit()
        except organisation_services.OrganisationError as error:
            db.session.rollback()
            flash(str(error.message), "error")
        else:
            flash(_("%(name)s is retired. It is no longer in the public list and cannot publish new events.",
                    name=found.name), "success")
        return _back_to_organisation(found)
    if found.retired_at is not None or found.status != "approved":
        flash(_("Only an approved organisation that is not retired can be retired."), "error")
        return _back_to_organisation(found)
    return render_template("admin/organisations/retire.html", organisation=found, form=form,
                           upcoming=organisation_services.event_counts(found)[0]), 400 if form.errors else 200


@bp.post("/organisations/<int:organisation_id>/reinstate")
@require(Permission.ADMINISTER)
def organisation_reinstate(organisation_id: int):
    found = _organisation_or_404(organisation_id)
    return actions.button(lambda: organisation_services.reinstate(found, current_user),
                          _("%(name)s is active again and back in the public list.", name=found.name),
                          _back_to_organisation(found))


@bp.route("/organisations/<int:organisation_id>/merge", methods=["GET", "POST"])
@require(Permission.ADMINISTER)
def organisation_merge(organisation_id: int):
    found = _organisation_or_404(organisation_id)
    if found.retired_at is not None or found.status != "approved":
        flash(_("Only an approved organisation that is not retired can be merged."), "error")
        return _back_to_organisation(found)
    candidates = organisation_services.merge_candidates(found)
    form = OrganisationMergeForm()
    form.keep.choices = [SelectChoice("", _("Choose an organisation"))] + [
        SelectChoice(str(o.id), f"{o.name} ({', '.join(d.name for d in o.districts)})") for o in candidates]
    if form.validate_on_submit():
        kept = organisation_services.get(int(form.keep.data))
        try:
            merged = organisation_services.merge(found, kept, current_user)
            db.session.commit()
        except organisation_services.OrganisationError as error:
            db.session.rollback()
            form.keep.errors.append(error.message)
            return _organisation_merge_page(_organisation_or_404(organisation_id), form, 400)
        flash(" ".join([_("%(duplicate)s is merged into %(kept)s.", duplicate=found.name, kept=kept.name),
                        ngettext("%(num)d member moved to it.", "%(num)d members moved to it.", merged.members),
                        _moved_events(merged.events), _moved_followers(merged.follows)]), "success")
        return _back_to_organisation(kept)
    return _organisation_merge_page(found, form, 400 if form.errors else 200)


def _organisation_merge_page(organisation, form, status):
    form.confirm.data = False   # a refused merge is confirmed again, once the choice is right
    from app.follows import services as following  # events build on organisations, not the other way round

    return render_template("admin/organisations/merge.html", organisation=organisation, form=form,
                           events=sum(organisation_services.event_counts(organisation)),
                           followers=following.summary(organisation).followers), status
