"""The administration of organisations: the list of all of them (retired ones too), an organisation's
members, events and details, retiring and reinstating, and merging duplicates."""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from app.admin import actions
from app.admin.blueprint import bp
from app.admin.listing import PER_PAGE, moved_events, moved_followers, page_number
from app.admin.place_forms import OrganisationFilterForm, OrganisationForm, OrganisationMergeForm
from app.core.forms import ActionForm, show_beside
from app.core.i18n import gettext as _
from app.core.i18n import lazy_gettext as _l
from app.core.i18n import ngettext
from app.core.params import Page
from app.core.permissions import Permission, require
from app.districts.services import list_districts
from app.extensions import db
from app.follows import services as following
from app.organisations import services as organisation_services
from app.organisations.models import OrganisationStatus

STATUS_LABELS = {
    "pending": _l("Waiting for approval"),
    "approved": _l("Approved"),
    "declined": _l("Declined"),
    "retired": _l("Retired"),
}


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
    page = page_number()
    rows, total = organisation_services.admin_list(query, status, page, PER_PAGE)
    filters = {name: value for name, value in (("q", query), ("status", status)) if value}
    return render_template("admin/organisations/index.html", form=form, rows=rows, page=Page(page, total, PER_PAGE),
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
    if found.retired_at is not None or found.status != OrganisationStatus.APPROVED:
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
    if found.retired_at is not None or found.status != OrganisationStatus.APPROVED:
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
                        moved_events(merged.events), moved_followers(merged.follows)]), "success")
        return _back_to_organisation(kept)
    return _organisation_merge_page(found, form, 400 if form.errors else 200)


def _organisation_merge_page(organisation, form, status):
    form.confirm.data = False   # a refused merge is confirmed again, once the choice is right
    return render_template("admin/organisations/merge.html", organisation=organisation, form=form,
                           events=sum(organisation_services.event_counts(organisation)),
                           followers=following.summary(organisation).followers), status
