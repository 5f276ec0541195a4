"""The area survey's pages: the ways in (an open link, a printed code, an invitation), one question a page
with the progress shown, the review page, sending; a printable paper version and the staff form for paper.

Who is answering is known only by a token the browser keeps in a cookie of its own (not the session,
which goes with a login): the answers are saved with each page, so a lost connection or a closed tab
loses nothing, and opening the survey again on the same phone carries on. Nothing here records who it is.
"""
from __future__ import annotations

import secrets
from datetime import timedelta

from flask import Blueprint, abort, flash, redirect, render_template, request, session, url_for
from flask_login import current_user
from sqlalchemy.exc import IntegrityError

from app.core import clients, settings
from app.core.db import utcnow
from app.core.forms import show_beside
from app.core.i18n import gettext as _
from app.core.once import create_once
from app.core.permissions import Permission, has_permission, public, require
from app.core.rules import RuleBroken
from app.districts.services import get_district
from app.extensions import db
from app.surveys import flow, services
from app.surveys.forms import (
    ANSWER,
    CodeForm,
    InvitationForm,
    PaperForm,
    QuestionForm,
    SendForm,
    StartForm,
    answers_form,
    field_name,
)
from app.surveys.models import AnswerSet, Reach, SurveyRound, in_language, shown_language

bp = Blueprint("surveys", __name__, template_folder="templates")

COOKIE_PATH = "/surveys/"
SENT_DAYS = 400        # a browser that sent an open round's answers is told so as long as cookies last


@bp.record_once
def _template_names(state) -> None:
    # The survey's own texts (written per language by its author) and the hints its questions carry.
    env = state.app.jinja_env
    env.globals.update(survey_language=shown_language, survey_number_hint=services.number_hint,
                       text_max=services.TEXT_MAX)
    env.filters["survey_text"] = in_language


@bp.before_request
def _personal() -> None:
    # Every survey page depends on the browser's own cookie: never kept for other visitors.
    request.personal_page = True  # type: ignore[attr-defined]


@bp.after_request
def _not_indexed(response):
    # A code or an invitation may be in the address: no search engine, no other site told where it came from.
    response.headers["X-Robots-Tag"] = "noindex, nofollow"
    response.headers["Referrer-Policy"] = "no-referrer"
    response.headers["Cache-Control"] = "no-store"
    return response


def _cookie(survey_round: SurveyRound) -> str:
    return f"survey{survey_round.id}"


def _sent_cookie(survey_round: SurveyRound) -> str:
    return f"survey{survey_round.id}-sent"


def _round_or_404(round_id: int) -> SurveyRound:
    survey_round = services.get_round(round_id)
    if survey_round is None:
        abort(404)
    return survey_round


def _answering(survey_round: SurveyRound) -> AnswerSet | None:
    return services.resume(survey_round, request.cookies.get(_cookie(survey_round), ""))


def _keep(response, survey_round: SurveyRound, token: str):
    lasts = max(survey_round.closes_at - utcnow(), timedelta(hours=1))
    response.set_cookie(_cookie(survey_round), token, max_age=int(lasts.total_seconds()), path=COOKIE_PATH,
                        secure=request.is_secure, httponly=True, samesite="Lax")
    return response


# --- the ways in ---------------------------------------------------------------------------------------


@bp.route("/")
@public
def index():
    return _index_page(CodeForm(formdata=None))


def _index_page(code_form: CodeForm, status: int = 200):
    return render_template("surveys/index.html", rounds=services.open_rounds(with_districts=True),
                           code_form=code_form), status


@bp.route("/code", methods=["POST"])
@public
def code_any():
    """The code box of /surveys/, for a code typed without its round's address."""
    form = CodeForm()
    if not form.validate_on_submit():
        return _index_page(form, 400)
    try:
        survey_round = services.round_of_code(form.code.data, clients.client_key())
    except services.SurveyRefused as refused:
        show_beside(form, refused)
        return _index_page(form, refused.status)
    return _enter(survey_round, form, code=form.code.data)


def _round_page(survey_round: SurveyRound, status: int = 200, **forms):
    state = "open" if survey_round.is_open() else "closed" if survey_round.has_closed() else "coming"
    if survey_round.reach == Reach.OPEN and "start_form" not in forms:
        forms["start_form"] = _start_form(survey_round, formdata=None)
    if survey_round.reach == Reach.CODES and "code_form" not in forms:
        forms["code_form"] = CodeForm(formdata=None)
    return render_template("surveys/round.html", survey_round=survey_round, survey=survey_round.survey, state=state,
                           minutes=flow.minutes(survey_round.survey),
                           answering=_answering(survey_round),
                           sent=request.cookies.get(_sent_cookie(survey_round)) == "1", **forms), status


def _start_form(survey_round: SurveyRound, **kwargs) -> StartForm:
    form = StartForm(**kwargs)
    form.district.choices = [(row.district.slug, row.district.name) for row in survey_round.coverage]
    return form


@bp.route("/<int:round_id>")
@public
def round_page(round_id: int):
    return _round_page(_round_or_404(round_id))


@bp.route("/<int:round_id>/code/<code>")
@public
def printed_code(round_id: int, code: str):
    """Where a printed QR code leads: the round's page with the code filled in. Nothing is spent by
    opening it (a link checker or a phone's preview opens links too): the person presses Start."""
    survey_round = _round_or_404(round_id)
    return _round_page(survey_round, code_form=CodeForm(formdata=None, code=code[:40]))


@bp.route("/<int:round_id>/start", methods=["POST"])
@public
def start(round_id: int):
    survey_round = _round_or_404(round_id)
    if request.cookies.get(_sent_cookie(survey_round)) == "1":   # an open round: once from each browser
        return _round_page(survey_round, 409)
    form = _start_form(survey_round)
    if not form.validate_on_submit():
        return _round_page(survey_round, 400, start_form=form)
    return _enter(survey_round, form, district=get_district(form.district.data))


@bp.route("/<int:round_id>/code", methods=["POST"])
@public
def enter_code(round_id: int):
    survey_round = _round_or_404(round_id)
    form = CodeForm()
    if not form.validate_on_submit():
        return _round_page(survey_round, 400, code_form=form)
    return _enter(survey_round, form, code=form.code.data)


@bp.route("/<int:round_id>/invitation/<token>", methods=["GET", "POST"])
@public
def invitation(round_id: int, token: str):
    """An invitation's link: a page with a Start button (opening the link spends nothing)."""
    survey_round = _round_or_404(round_id)
    form = InvitationForm()
    if request.method == "POST" and form.validate_on_submit():
        return _enter(survey_round, form, invitation=token)
    return _round_page(survey_round, 400 if request.method == "POST" else 200, invitation_form=form)


def _browser_secret() -> str:
    """A random secret of this browser's session (the session is signed: only the server sets it)."""
    if "survey_secret" not in session:
        session["survey_secret"] = secrets.token_urlsafe(16)
    return session["survey_secret"]


def _enter(survey_round: SurveyRound, form, **way):
    """Let the person in, keep their token in the browser and go to the first question; a refusal is
    shown beside the form's field. The same form sent twice at once comes to the same answer set: the
    second one's refusal (the code was just spent) or clash (the same token) finds the first one's."""
    token = services.resume_token(survey_round, _browser_secret(), form.submission_id.data)
    try:
        services.enter(survey_round, clients.client_key(), token, **way)
        db.session.commit()
    except (services.SurveyRefused, IntegrityError) as problem:
        db.session.rollback()
        if services.resume(survey_round, token) is None:
            if isinstance(problem, IntegrityError):
                raise
            show_beside(form, problem)
            key = {"district": "start_form", "code": "code_form", "invitation": "invitation_form"}[next(iter(way))]
            return _round_page(survey_round, problem.status, **{key: form})
    return _keep(redirect(url_for("surveys.carry_on", round_id=survey_round.id)), survey_round, token)


# --- answering -----------------------------------------------------------------------------------------


def _answer_set_or_start_page(survey_round: SurveyRound):
    """The browser's answers, or None (and a word on the start page, where the view sends the person)."""
    answer_set = _answering(survey_round)
    if answer_set is not None and not survey_round.is_open():
        flash(_("The survey closed before your answers were sent, so they are not counted. Thank you for taking "
                "the time."), "info")
        return None
    if answer_set is None:
        flash(_("Start the survey here. If you had started, your answers are kept in the browser you used."), "info")
    return answer_set


@bp.route("/<int:round_id>/continue")
@public
def carry_on(round_id: int):
    """Where someone starting or coming back goes: the first question not yet answered, else the review."""
    survey_round = _round_or_404(round_id)
    answer_set = _answer_set_or_start_page(survey_round)
    if answer_set is None:
        return redirect(url_for("surveys.round_page", round_id=round_id))
    following = flow.first_unanswered(survey_round, services.answers(answer_set))
    if following is None:
        return redirect(url_for("surveys.review", round_id=round_id))
    return redirect(url_for("surveys.question", round_id=round_id, question_id=following.question_id))


@bp.route("/<int:round_id>/questions/<int:question_id>", methods=["GET", "POST"])
@public
def question(round_id: int, question_id: int):
    survey_round = _round_or_404(round_id)
    answer_set = _answer_set_or_start_page(survey_round)
    if answer_set is None:
        return redirect(url_for("surveys.round_page", round_id=round_id))
    given = services.answers(answer_set)
    here = flow.step(survey_round, given, question_id)
    if here is None:     # not asked of this person (any more): carry on where they are
        return redirect(url_for("surveys.carry_on", round_id=round_id))
    form = answers_form(QuestionForm, [here.placement], single=True,
                        **({} if request.method == "POST" else {"data": {ANSWER: flow.form_value(given.get(question_id))}}))
    back_to_review = request.values.get("review") == "1"
    if request.method == "POST" and form.validate_on_submit():
        going_back = request.form.get("go") == "back"
        refused = _save(answer_set, here.placement, form, going_back)
        if refused is None:
            return redirect(_after(survey_round, answer_set, question_id, going_back, back_to_review))
    return _question_page(survey_round, here, form, back_to_review, 400 if request.method == "POST" else 200)


def _save(answer_set: AnswerSet, placement, form, going_back: bool) -> RuleBroken | None:
    """Keep the answer on the page (going back, a required question may stay blank); a refusal goes beside
    its field and is returned."""
    value = _posted(ANSWER)
    try:
        if placement.required and services.blank(value) and not going_back:
            raise services.SurveyRefused(services.NEEDED, field=field_name(placement))
        services.save_answer(answer_set, placement.question, value)
        db.session.commit()
    except RuleBroken as refused:
        db.session.rollback()
        if refused.field != field_name(placement):
            raise
        form[ANSWER].errors = [*form[ANSWER].errors, refused.message]
        return refused
    return None


def _after(survey_round: SurveyRound, answer_set: AnswerSet, question_id: int, going_back: bool, review: bool) -> str:
    """The page after saving: the question before or after (worked out again: this answer may have
    shown or hidden the next one), or the review page."""
    given = services.answers(answer_set)
    here = flow.step(survey_round, given, question_id)
    target = None if here is None else here.previous if going_back else here.following
    if review and not going_back and target is not None and flow.opened_by(target, question_id, given):
        # Changed from the review page so that a question depending on it is now asked: ask it first.
        return url_for("surveys.question", round_id=survey_round.id, question_id=target.question_id, review=1)
    if review and not going_back or target is None and not going_back:
        return url_for("surveys.review", round_id=survey_round.id)
    if target is None:
        return url_for("surveys.round_page", round_id=survey_round.id)
    return url_for("surveys.question", round_id=survey_round.id, question_id=target.question_id)


def _question_page(survey_round: SurveyRound, here: flow.Step, form, back_to_review: bool, status: int):
    return render_template("surveys/question.html", survey_round=survey_round, survey=survey_round.survey, here=here,
                           form=form, field=form[ANSWER], review=back_to_review), status


@bp.route("/<int:round_id>/review")
@public
def review(round_id: int):
    survey_round = _round_or_404(round_id)
    answer_set = _answer_set_or_start_page(survey_round)
    if answer_set is None:
        return redirect(url_for("surveys.round_page", round_id=round_id))
    return _review_page(survey_round, answer_set, SendForm(formdata=None))


def _review_page(survey_round: SurveyRound, answer_set: AnswerSet, form: SendForm, problem=None, status: int = 200):
    given = services.answers(answer_set)
    rows = [(placement, flow.said(placement, given.get(placement.question_id)))
            for placement in flow.shown(survey_round, given)]
    missing = next((p for p, _said in rows if problem is not None and problem.field == field_name(p)), None)
    return render_template("surveys/review.html", survey_round=survey_round, survey=survey_round.survey, rows=rows,
                           form=form, problem=problem, missing=missing), status


@bp.route("/<int:round_id>/send", methods=["POST"])
@public
def send(round_id: int):
    survey_round = _round_or_404(round_id)
    answer_set = _answering(survey_round)
    if answer_set is None:    # sent already (a double click), or never started here
        return redirect(url_for("surveys.thanks", round_id=round_id))
    if not survey_round.is_open():
        return redirect(url_for("surveys.review", round_id=round_id))   # which says the survey has closed
    form = SendForm()
    if not form.validate_on_submit():
        return _review_page(survey_round, answer_set, form, status=400)
    try:
        services.finish(answer_set)
        db.session.commit()
    except services.SurveyRefused as refused:
        db.session.rollback()
        return _review_page(survey_round, answer_set, form, problem=refused, status=refused.status)
    response = redirect(url_for("surveys.thanks", round_id=round_id))
    response.delete_cookie(_cookie(survey_round), path=COOKIE_PATH)
    response.set_cookie(_sent_cookie(survey_round), "1", max_age=SENT_DAYS * 86400, path=COOKIE_PATH,
                        secure=request.is_secure, httponly=True, samesite="Lax")
    return response


@bp.route("/<int:round_id>/thanks")
@public
def thanks(round_id: int):
    survey_round = _round_or_404(round_id)
    return render_template("surveys/thanks.html", survey_round=survey_round, survey=survey_round.survey)


# --- paper -----------------------------------------------------------------------------------------------


@bp.route("/<int:round_id>/print")
@public
def printable(round_id: int):
    """The survey on paper, in the reader's language, for those who would rather answer with a pen."""
    survey_round = _round_or_404(round_id)
    if utcnow() < survey_round.opens_at and not has_permission(current_user, Permission.MODERATE):
        abort(404)   # a survey not yet open is nobody's business but the staff's, who print it beforehand
    placements = survey_round.survey.placements
    return render_template("surveys/print.html", survey_round=survey_round, survey=survey_round.survey,
                           placements=placements, condition_numbers=flow.condition_numbers(placements),
                           contact_address=settings.get("CONTACT_ADDRESS"))


def _paper_form(survey_round: SurveyRound, districts, **kwargs):
    form = answers_form(PaperForm, survey_round.survey.placements, optional=True, **kwargs)
    form.district.choices = [("", _("Choose a district"))] + [(d.slug, d.name) for d in districts]
    return form


@bp.route("/<int:round_id>/paper", methods=["GET", "POST"])
@require(Permission.MODERATE)
def paper(round_id: int):
    """Staff type in a paper form: every question on one page, saved as one answer set marked paper."""
    survey_round = _round_or_404(round_id)
    districts = services.paper_districts(survey_round, current_user)
    if not districts:
        abort(403)
    form = _paper_form(survey_round, districts, **({} if request.method == "POST" else {"formdata": None}))
    if request.method == "GET" or not form.validate_on_submit():
        return _paper_page(survey_round, form, 400 if request.method == "POST" else 200)
    values = {placement.question_id: _posted(field_name(placement)) for placement in survey_round.survey.placements}
    problems = services.paper_problems(survey_round, values)
    for question_id, message in problems.items():
        form[f"q{question_id}"].errors = [message]
    if problems:
        return _paper_page(survey_round, form, 400)
    try:
        create_once(form, "survey-paper", lambda: services.save_paper(
            current_user, survey_round, get_district(form.district.data), values), target=lambda _saved: None)
    except RuleBroken as refused:
        show_beside(form, refused)
        return _paper_page(survey_round, form, refused.status)
    flash(_("The paper form is saved. Type in the next one below."), "success")
    return redirect(url_for("surveys.paper", round_id=round_id))


def _posted(name: str):
    values = request.form.getlist(name)
    return values if len(values) > 1 else (values[0] if values else None)


def _paper_page(survey_round: SurveyRound, form, status: int):
    return render_template("surveys/paper.html", survey_round=survey_round, survey=survey_round.survey, form=form,
                           placements=survey_round.survey.placements,
                           saved=services.paper_count(survey_round, services.paper_districts(survey_round, current_user))), status
