"""Districts, effort areas and sub-themes in the administration: thin views over
``app.districts.administration``. What is saved shows on the public pages at the next request:
the kept copies of districts and effort areas are dropped at every committed write."""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy.exc import IntegrityError

from app.admin import actions
from app.admin.blueprint import bp
from app.admin.district_forms import DistrictForm, EffortAreaForm, NewDistrictForm, NewSubThemeForm, RetireDistrictForm
from app.core.forms import ActionForm, show_beside
from app.core.i18n import gettext as _
from app.core.once import Once, create_once
from app.core.params import positive_int
from app.core.permissions import Permission, require
from app.core.rules import RuleBroken
from app.districts import administration
from app.districts.models import District
from app.districts.services import get_district, get_effort_area, list_districts, list_effort_areas
from app.extensions import db
from app.places import services as place_services
from app.places.forms import BoundaryForm
from app.places.geometry import MAX_BOUNDARY_CHARS
from app.places.svgmap import draw_map


def _district_or_404(slug: str) -> District:
    district = get_district(slug)
    if district is None:
        abort(404)
    return district


def _area_or_404(number: int):
    area = get_effort_area(number)
    if area is None:
        abort(404)
    return area


# --- the list ------------------------------------------------------------------------------------


@bp.get("/districts")
@require(Permission.ADMINISTER)
def districts():
    page = administration.district_page(positive_int(request.args.get("page"), 1))
    return render_template("admin/districts/index.html", page=page, areas=list_effort_areas())


# --- districts -----------------------------------------------------------------------------------


@bp.route("/districts/new", methods=["GET", "POST"])
@require(Permission.ADMINISTER)
def district_new():
    form = NewDistrictForm()
    if request.method == "GET":
        form.position.data = administration.next_district_position()
    elif form.validate_on_submit() and (once := _create_once(form, "district", lambda: administration.create_district(
            current_user, form.slug.data, form.texts(), form.position.data))) is not None:
        if once.new:
            flash(_("%(district)s is added. It is open for ideas, feedback and events now.",
                    district=once.record.name), "success")
        return redirect(url_for("admin.districts"))
    return render_template("admin/districts/district_form.html", form=form, district=None), 400 if form.errors else 200


def _create_once(form, kind: str, create) -> Once | None:
    """What the form made (or an earlier sending of it made); None with the refusal beside its field."""
    try:
        return create_once(form, kind, create)
    except RuleBroken as error:
        show_beside(form, error)
    except IntegrityError:  # someone took the short name a moment ago
        form.slug.errors = [*form.slug.errors, _("That short name is taken. Choose another.")]
    return None


@bp.route("/districts/<slug>/edit", methods=["GET", "POST"])
@require(Permission.ADMINISTER)
def district_edit(slug: str):
    district = _district_or_404(slug)
    form = DistrictForm()
    if request.method == "GET":
        form.fill_from(district)
    elif form.validate_on_submit():
        try:
            changed = administration.update_district(district, current_user, form.texts(), form.position.data)
        except RuleBroken as error:
            db.session.rollback()
            show_beside(form, error)
        else:
            db.session.commit()
            flash(_("%(district)s is saved.", district=district.name) if changed else _("Nothing was changed."),
                  "success")
            return redirect(url_for("admin.districts"))
    return render_template("admin/districts/district_form.html", form=form, district=district,
                           reinstate_form=ActionForm() if district.retired_at else None), 400 if form.errors else 200


@bp.route("/districts/<slug>/boundary", methods=["GET", "POST"])
@require(Permission.ADMINISTER)
def district_boundary(slug: str):
    """The district's boundary on a map, and an upload of the official one: "Show it on the map first" checks
    and draws it without saving (the text is put in the text box, so saving sends the same); a refused one
    is told beside its field and the stored boundary stays."""
    district = _district_or_404(slug)
    form = BoundaryForm()
    preview, overlapping = None, []
    if form.validate_on_submit():
        try:
            preview, overlapping = _preview_or_save(form, district)
        except RuleBroken as error:
            db.session.rollback()
            show_beside(form, error)
        else:
            if preview is None:
                flash(_("The new boundary of %(district)s is saved. Addresses are matched against it from now on.",
                        district=district.name), "success")
                return redirect(url_for("admin.district_boundary", slug=district.slug))
    drawing = draw_map("boundary-map", _("The boundary of %(district)s", district=district.name),
                       _("The districts' boundaries, with %(district)s drawn stronger.", district=district.name),
                       list_districts(), current=district,
                       outlines={district.id: preview} if preview is not None else None)
    return render_template("admin/districts/boundary.html", form=form, district=district, drawing=drawing,
                           preview=preview is not None, overlapping=overlapping), 400 if form.errors else 200


def _preview_or_save(form: BoundaryForm, district: District):
    """The checked boundary and the districts it overlaps (a preview), or (None, []) once it is saved and
    committed. A refusal names the field the boundary came from."""
    source, text = _uploaded_boundary(form)
    try:
        if text is None:
            raise RuleBroken(_("Choose a GeoJSON file or paste its text."))
        if form.preview.data:
            preview, overlapping = place_services.check_boundary(district, text)
            form.boundary.data = text
            return preview, overlapping
        place_services.set_boundary(district, current_user, text)
    except RuleBroken as error:
        error.field = source
        raise
    db.session.commit()
    return None, []


def _uploaded_boundary(form: BoundaryForm) -> tuple[str, str | None]:
    """Which field the boundary came from, and its text (a file wins over pasted text); None when neither."""
    upload = form.boundary_file.data
    if upload is not None and getattr(upload, "filename", ""):
        data = upload.stream.read(MAX_BOUNDARY_CHARS + 1)
        try:
            return "boundary_file", data.decode("utf-8-sig")
        except UnicodeDecodeError:
            return "boundary_file", "\x00"   # not text: parse_boundary says it is not GeoJSON
    if form.boundary.data:
        return "boundary", form.boundary.data
    return "boundary_file", None


@bp.route("/districts/<slug>/retire", methods=["GET", "POST"])
@require(Permission.ADMINISTER)
def district_retire(slug: str):
    district = _district_or_404(slug)
    if district.retired_at is not None:
        flash(_("%(district)s is already retired.", district=district.name), "info")
        return redirect(url_for("admin.district_edit", slug=district.slug))
    form = RetireDistrictForm()
    if form.validate_on_submit():
        try:
            administration.retire_district(district, current_user)
        except RuleBroken as error:
            db.session.rollback()
            show_beside(form, error)
        else:
            db.session.commit()
            flash(_("%(district)s is retired. Its page and everything posted there can still be read.",
                    district=district.name), "success")
            return redirect(url_for("admin.districts"))
    return render_template("admin/districts/retire.html", form=form, district=district), 400 if form.errors else 200


@bp.post("/districts/<slug>/reinstate")
@require(Permission.ADMINISTER)
def district_reinstate(slug: str):
    district = _district_or_404(slug)
    return actions.button(
        lambda: administration.reinstate_district(district, current_user),
        _("%(district)s is active again and open for new ideas, feedback and events.", district=district.name),
        redirect(url_for("admin.district_edit", slug=district.slug)))


# --- effort areas and sub-themes -------------------------------------------------------------------


def _name_entries(form: EffortAreaForm, by_slug: dict) -> list:
    """Each sub-theme's fields labelled with its name, so a field says which sub-theme it belongs to
    also when read on its own; returns (entry, sub-theme) for the sub-themes still there."""
    rows = []
    for entry in form.sub_themes:
        theme = by_slug.get(entry.form.theme.data)
        if theme is None:
            continue
        name = theme.label
        entry.form.label_nb.label.text = _("Label in Bokmål for sub-theme “%(theme)s”", theme=name)
        entry.form.label_nn.label.text = _("Label in Nynorsk for sub-theme “%(theme)s”", theme=name)
        entry.form.label_en.label.text = _("Label in English for sub-theme “%(theme)s”", theme=name)
        entry.form.remove.label.text = _("Remove the sub-theme “%(theme)s”", theme=name)
        rows.append((entry, theme))
    return rows


@bp.route("/effort-areas/<int:number>/edit", methods=["GET", "POST"])
@require(Permission.ADMINISTER)
def effort_area_edit(number: int):
    area = _area_or_404(number)
    by_slug = {theme.slug: theme for theme in area.sub_themes}
    form = EffortAreaForm()
    if request.method == "GET":
        _fill_effort_area_form(form, area)
    elif form.validate_on_submit():
        if _save_effort_area(form, area, by_slug):
            db.session.commit()
            flash(_("Effort area %(number)d is saved.", number=area.number), "success")
            return redirect(url_for("admin.districts"))
        db.session.rollback()
        # A list of sub-forms gathers its errors while validating: gather them again with the services' ones.
        errors = [{f.short_name: f.errors for f in entry.form if f.errors} for entry in form.sub_themes]
        form.sub_themes.errors = errors if any(errors) else []
    rows = _name_entries(form, by_slug)
    uses = administration.sub_theme_uses([theme.id for _entry, theme in rows])
    in_use = {theme.id: administration.in_use_message(uses[theme.id]) for _entry, theme in rows if uses.get(theme.id)}
    return render_template("admin/districts/effort_area_form.html", form=form, area=area, rows=rows, in_use=in_use), \
        400 if form.errors else 200


def _fill_effort_area_form(form: EffortAreaForm, area) -> None:
    for name in form.TEXTS:
        getattr(form, name).data = getattr(area, name)
    for theme in area.sub_themes:
        form.sub_themes.append_entry({"theme": theme.slug, "label_nb": theme.label_nb, "label_nn": theme.label_nn,
                                      "label_en": theme.label_en})


def _save_effort_area(form: EffortAreaForm, area, by_slug: dict) -> bool:
    """Hand the area's texts and each sub-theme's change to the services; False when any was refused
    (every refusal beside its own field, so all of them show at once)."""
    refused = False
    try:
        administration.update_effort_area(area, current_user, form.texts())
    except RuleBroken as error:
        show_beside(form, error)
        refused = True
    for entry in form.sub_themes:
        theme = by_slug.get(entry.form.theme.data)
        if theme is None:  # removed since the page was opened
            continue
        try:
            if entry.form.remove.data:
                administration.remove_sub_theme(theme, current_user)
            else:
                administration.update_sub_theme(theme, current_user, entry.form.labels())
        except RuleBroken as error:
            show_beside(entry.form, error)
            refused = True
    return not refused


@bp.route("/effort-areas/<int:number>/sub-themes/new", methods=["GET", "POST"])
@require(Permission.ADMINISTER)
def sub_theme_new(number: int):
    area = _area_or_404(number)
    form = NewSubThemeForm()
    if form.validate_on_submit() and (once := _create_once(form, "sub_theme", lambda: administration.add_sub_theme(
            area, current_user, form.slug.data, form.labels()))) is not None:
        if once.new:
            flash(_("The sub-theme “%(theme)s” is added. Moderators can sort submissions under it now.",
                    theme=once.record.label), "success")
        return redirect(url_for("admin.effort_area_edit", number=area.number))
    return render_template("admin/districts/sub_theme_new.html", form=form, area=area), 400 if form.errors else 200
