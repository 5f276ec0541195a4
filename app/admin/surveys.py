"""The area survey's builder (``/admin/surveys/...``): surveys and their questions, rounds, one-time codes,
invitations, reading free text, and who runs surveys.

Administrators run surveys, and so do the moderators an administrator names as survey staff
(``services.may_run_surveys``): each page is declared ``@require(Permission.MODERATE)`` (staff powers,
with the second factor) and then ``@survey_staff_only``. Naming survey staff is for administrators only.
Free text is shown here and nowhere else, and never written to a log."""
from __future__ import annotations

import io
import tempfile
import zipfile
from functools import wraps
from pathlib import Path
from typing import Callable

from flask import Response, abort, flash, redirect, render_template, url_for
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from app.accounts.models import User
from app.admin import actions
from app.admin import survey_forms as forms
from app.admin.blueprint import bp
from app.core import settings
from app.core.db import utcnow
from app.core.forms import ActionForm, show_beside
from app.core.i18n import gettext as _
from app.core.permissions import Permission, require
from app.core.rules import RuleBroken
from app.districts.services import open_districts
from app.extensions import db
from app.surveys import codes
from app.surveys import services as surveys
from app.surveys.models import QuestionKind, Reach, Survey, SurveyRound


def survey_staff_only(view: Callable) -> Callable:
    """Under ``@require(Permission.MODERATE)``: a moderator an administrator has not named gets 403."""
    @wraps(view)
    def wrapped(*args, **kwargs):
        if not surveys.may_run_surveys(current_user):
            abort(403)
        return view(*args, **kwargs)

    return wrapped


def _survey_or_404(survey_id: int) -> Survey:
    return surveys.get_survey(survey_id) or abort(404)


def _round_or_404(round_id: int) -> SurveyRound:
    return surveys.get_round(round_id) or abort(404)


def _refused(form, broken: RuleBroken) -> None:
    """A service's refusal beside the field it names, what was typed kept; nothing it did is kept."""
    db.session.rollback()
    broken.field = forms.field_for_refusal(form, broken.field)
    show_beside(form, broken)
    form.refused = True


def _status(form) -> int:
    return 400 if form.errors or getattr(form, "refused", False) else 200


# ---- surveys ------------------------------------------------------------------------------------------


@bp.get("/surveys/")
@require(Permission.MODERATE)
@survey_staff_only
def surveys_index():
    return render_template("admin/surveys/index.html", surveys=surveys.list_surveys(),
                           status=surveys.round_status)


@bp.route("/surveys/new", methods=["GET", "POST"])
@require(Permission.MODERATE)
@survey_staff_only
def survey_new():
    form = forms.survey_form()
    if form.validate_on_submit():
        try:
            survey = surveys.create_survey(current_user, forms.texts_of(form, "title"), forms.texts_of(form, "intro"))
        except RuleBroken as broken:
            _refused(form, broken)
        else:
            db.session.commit()
            flash(_("The survey is created. Now add its questions."), "success")
            return redirect(url_for("admin.survey", survey_id=survey.id))
    return render_template("admin/surveys/new.html", form=form,
                           languages=forms.language_fields), _status(form)


@bp.get("/surveys/<int:survey_id>")
@require(Permission.MODERATE)
@survey_staff_only
def survey(survey_id: int):
    survey = _survey_or_404(survey_id)
    return _survey_page(survey, _add_form(survey), 200)


def _add_form(survey: Survey) -> forms.AddQuestionForm:
    form = forms.AddQuestionForm()
    form.question.choices = [SelectChoice("", _("Choose a question"))] + [
        SelectChoice(value, label) for value, label in surveys.addable_questions(survey)]
    return form


def _survey_page(survey: Survey, add_form, status: int):
    return render_template("admin/surveys/show.html", survey=survey, add_form=add_form, move_form=ActionForm(),
                           bank=surveys.BANK, status=surveys.round_status), status


@bp.post("/surveys/<int:survey_id>/questions")
@require(Permission.MODERATE)
@survey_staff_only
def survey_add_question(survey_id: int):
    survey = _survey_or_404(survey_id)
    form = _add_form(survey)
    if form.validate_on_submit():
        try:
            surveys.add_listed_question(current_user, survey, form.question.data, form.required.data)
        except RuleBroken as broken:
            _refused(form, broken)
            return _survey_page(_survey_or_404(survey_id), form, 400)
        db.session.commit()
        flash(_("The question is added."), "success")
        return redirect(url_for("admin.survey", survey_id=survey_id))
    return _survey_page(survey, form, 400)


@bp.post("/surveys/<int:survey_id>/questions/<int:question_id>/up")
@require(Permission.MODERATE)
@survey_staff_only
def survey_question_up(survey_id: int, question_id: int):
    survey = _survey_or_404(survey_id)
    return actions.button(lambda: surveys.move_up(current_user, survey, question_id),
                          _("The question is moved up."),
                          redirect(url_for("admin.survey", survey_id=survey_id, _anchor="questions-title")))


@bp.route("/surveys/<int:survey_id>/questions/new", methods=["GET", "POST"])
@require(Permission.MODERATE)
@survey_staff_only
def survey_question_new(survey_id: int):
    survey = _survey_or_404(survey_id)
    form = forms.question_form(surveys.condition_choices(survey))
    if form.validate_on_submit():
        try:
            surveys.add_custom_question(current_user, survey, QuestionKind(form.kind.data),
                                        forms.texts_of(form, "wording"), required=form.required.data,
                                        shown_on=form.shown_if_values.data or [], **_shape(form))
        except RuleBroken as broken:
            _refused(form, broken)
        else:
            db.session.commit()
            flash(_("The question is added."), "success")
            return redirect(url_for("admin.survey", survey_id=survey_id))
    return render_template("admin/surveys/question.html", form=form, survey=survey, question=None,
                           languages=forms.language_fields), _status(form)


def _shape(form, before=None) -> dict:
    """What a question form says beside its wording, for the kind chosen."""
    kind = QuestionKind(form.kind.data)
    scale = kind == QuestionKind.SCALE
    return {"choices": forms.choices_of(form, before) if kind in surveys.CHOICE_KINDS else [],
            "scale_low": forms.texts_of(form, "scale_low") if scale else None,
            "scale_high": forms.texts_of(form, "scale_high") if scale else None,
            "number_min": form.number_min.data if kind == QuestionKind.NUMBER else None,
            "number_max": form.number_max.data if kind == QuestionKind.NUMBER else None}


@bp.route("/surveys/<int:survey_id>/questions/<int:question_id>", methods=["GET", "POST"])
@require(Permission.MODERATE)
@survey_staff_only
def survey_question(survey_id: int, question_id: int):
    survey = _survey_or_404(survey_id)
    placement = surveys.placement_of(survey, question_id) or abort(404)
    question = placement.question
    form = forms.question_form(question=question)
    if form.validate_on_submit():
        try:
            changed = _change_or_version(form, question)
        except RuleBroken as broken:
            _refused(form, broken)
        else:
            db.session.commit()
            flash(changed, "success")
            return redirect(url_for("admin.survey", survey_id=survey_id))
    return render_template("admin/surveys/question.html", form=form, survey=survey, question=question,
                           answered=surveys.has_answers(question), bank=question.key in surveys.BANK,
                           languages=forms.language_fields), _status(form)


def _change_or_version(form, question) -> str:
    """Change the question (refused once it has answers), or make its next version; what to say after."""
    values = {"wording": forms.texts_of(form, "wording"), "kind": QuestionKind(form.kind.data),
              **_shape(form, question.choices)}
    if form.new_version.data:
        fresh = surveys.new_version(current_user, question, **values)
        return _("Version %(number)d of the question is made. Add it to a survey from the list of questions.",
                 number=fresh.version)
    surveys.change_question(current_user, question, **values)
    return _("The question is changed.")


# ---- rounds -------------------------------------------------------------------------------------------


@bp.route("/surveys/<int:survey_id>/rounds/new", methods=["GET", "POST"])
@require(Permission.MODERATE)
@survey_staff_only
def round_new(survey_id: int):
    survey = _survey_or_404(survey_id)
    districts = open_districts()
    form = forms.RoundForm()
    form.districts.choices = [SelectChoice(str(d.id), d.name) for d in districts]
    if form.validate_on_submit():
        try:
            survey_round = surveys.create_round(
                current_user, survey, form.label.data, forms.oslo_time(form.opens_on.data, form.opens_time.data),
                forms.oslo_time(form.closes_on.data, form.closes_time.data), Reach(form.reach.data),
                [d for d in districts if str(d.id) in (form.districts.data or [])])
        except RuleBroken as broken:
            _refused(form, broken)
        else:
            db.session.commit()
            return redirect(url_for("admin.survey_round", round_id=survey_round.id))
    return render_template("admin/surveys/round_new.html", form=form, survey=survey), _status(form)


@bp.get("/surveys/rounds/<int:round_id>")
@require(Permission.MODERATE)
@survey_staff_only
def survey_round(round_id: int):
    survey_round = _round_or_404(round_id)
    return _round_page(survey_round, _codes_form(survey_round), _invitations_form(survey_round), 200)


def _district_choices(survey_round: SurveyRound) -> list[SelectChoice]:
    return [SelectChoice("", _("Choose a district"))] + [
        SelectChoice(str(row.district_id), row.district.name) for row in survey_round.coverage]


def _codes_form(survey_round: SurveyRound) -> forms.CodesForm:
    form = forms.CodesForm(prefix="codes")
    form.district.choices = _district_choices(survey_round)
    return form


def _invitations_form(survey_round: SurveyRound) -> forms.InvitationsForm:
    form = forms.InvitationsForm(prefix="invitations")
    form.district.choices = _district_choices(survey_round)
    return form


def _round_page(survey_round: SurveyRound, codes_form, invitations_form, status: int):
    return render_template("admin/surveys/round.html", round=survey_round, status=surveys.round_status(survey_round),
                           figures=surveys.round_figures(survey_round), codes_form=codes_form,
                           invitations_form=invitations_form, close_form=ActionForm(), Reach=Reach,
                           reach_labels=forms.REACH_LABELS), status


@bp.post("/surveys/rounds/<int:round_id>/codes")
@require(Permission.MODERATE)
@survey_staff_only
def round_codes(round_id: int):
    survey_round = _round_or_404(round_id)
    form = _codes_form(survey_round)
    if form.validate_on_submit():
        try:
            district = surveys.covered_district(survey_round, int(form.district.data))
            made = surveys.make_codes_by(current_user, survey_round, district, form.count.data)
        except RuleBroken as broken:
            _refused(form, broken)
            return _round_page(_round_or_404(round_id), form, _invitations_form(survey_round), 400)
        db.session.commit()
        return _codes_download(survey_round, district.slug, made)
    return _round_page(survey_round, form, _invitations_form(survey_round), 400)


def _codes_download(survey_round: SurveyRound, district_slug: str, made: list[str]) -> Response:
    """The codes as they are made, once: the CSV for a print shop and the printable sheet, in one zip file.
    Nothing of them is kept here but their hashes."""
    stem = f"survey-round-{survey_round.id}-{district_slug}-{utcnow():%Y%m%d-%H%M%S}"
    packed = io.BytesIO()
    with tempfile.TemporaryDirectory() as folder, zipfile.ZipFile(packed, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in codes.write_sheets(Path(folder), stem, survey_round.id, district_slug,
                                       survey_round.survey.title_in("nb"), made):
            archive.write(path, path.name)
    return Response(packed.getvalue(), mimetype="application/zip", headers={
        "Content-Disposition": f'attachment; filename="{stem}.zip"', "Cache-Control": "no-store"})


@bp.post("/surveys/rounds/<int:round_id>/invitations")
@require(Permission.MODERATE)
@survey_staff_only
def round_invitations(round_id: int):
    survey_round = _round_or_404(round_id)
    form = _invitations_form(survey_round)
    listed = forms.uploaded_list(form) if form.validate_on_submit() else None
    if listed is not None:
        try:
            district = surveys.covered_district(survey_round, int(form.district.data))
            sent = surveys.invite_by_mail(current_user, survey_round, district, forms.addresses_in(listed),
                                          form.locale.data)
        except RuleBroken as broken:
            _refused(form, broken)
            return _round_page(_round_or_404(round_id), _codes_form(survey_round), form, 400)
        db.session.commit()
        flash(_("Invitations sent: %(num)d. Addresses already on the list get no second invitation.", num=sent),
              "success")
        return redirect(url_for("admin.survey_round", round_id=round_id))
    return _round_page(survey_round, _codes_form(survey_round), form, 400)


@bp.post("/surveys/rounds/<int:round_id>/close")
@require(Permission.MODERATE)
@survey_staff_only
def round_close(round_id: int):
    survey_round = _round_or_404(round_id)
    return actions.button(lambda: surveys.close_round(current_user, survey_round),
                          _("The round is closed and its results are published. No more answers are taken, and its list of addresses is deleted."),
                          redirect(url_for("admin.survey_round", round_id=round_id)))


@bp.get("/surveys/rounds/<int:round_id>/free-text")
@require(Permission.MODERATE)
@survey_staff_only
def round_free_text(round_id: int):
    survey_round = _round_or_404(round_id)
    return render_template("admin/surveys/free_text.html", round=survey_round,
                           texts=surveys.free_texts(current_user, survey_round),
                           days=settings.get("SURVEY_FREE_TEXT_RETENTION_DAYS"))


# ---- survey staff: administrators only ----------------------------------------------------------------


@bp.route("/surveys/staff", methods=["GET", "POST"])
@require(Permission.ADMINISTER)
def survey_staff():
    form = forms.StaffForm()
    form.user.choices = [SelectChoice("", _("Choose a moderator"))] + [
        SelectChoice(str(user.id), f"{user.display_name} ({user.email})") for user in surveys.survey_staff_candidates()]
    if form.validate_on_submit():
        try:
            surveys.name_survey_staff(current_user, db.session.get(User, int(form.user.data)))
        except RuleBroken as broken:
            _refused(form, broken)
        else:
            db.session.commit()
            flash(_("They can run surveys now."), "success")
            return redirect(url_for("admin.survey_staff"))
    return render_template("admin/surveys/staff.html", form=form, staff=surveys.survey_staff(),
                           remove_form=ActionForm()), _status(form)


@bp.post("/surveys/staff/<int:user_id>/remove")
@require(Permission.ADMINISTER)
def survey_staff_remove(user_id: int):
    user = db.session.get(User, user_id) or abort(404)
    return actions.button(lambda: surveys.unname_survey_staff(current_user, user),
                          _("%(name)s no longer runs surveys.", name=user.display_name),
                          redirect(url_for("admin.survey_staff")))
