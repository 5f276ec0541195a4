"""The survey's forms: the ways in (district, code, invitation), one question's answer, sending, and the
paper form that holds every question.

An answer's field is built from its question (``answer_field``); whether the answer is right is the
service's rule (``services.checked_value``), so the fields carry no validators of their own and a
refusal comes back beside the field it names (``q<question id>``).
"""
from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import RadioField, SelectField, StringField, SubmitField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length

from app.core.forms import Checkboxes
from app.core.i18n import format_decimal
from app.core.i18n import lazy_gettext as _l
from app.core.once import OneTimeSubmission
from app.core.validators import strip_text
from app.surveys import services
from app.surveys.models import Placement, QuestionKind, in_language


class StartForm(OneTimeSubmission, FlaskForm):
    """Starting an open round: the district the answers are counted for."""

    district = RadioField(_l("Where do you live?"), validators=[InputRequired(message=_l("Choose where you live."))])
    submit = SubmitField(_l("Start the survey"))


class CodeForm(OneTimeSubmission, FlaskForm):
    code = StringField(_l("Your code"), filters=[strip_text],
                       validators=[InputRequired(message=_l("Write the code from your letter.")),
                                   Length(max=40, message=_l("A code is 10 letters and digits, like ABCDE-FGHJK."))])
    submit = SubmitField(_l("Start the survey"))


class InvitationForm(OneTimeSubmission, FlaskForm):
    submit = SubmitField(_l("Start the survey"))


class SendForm(FlaskForm):
    submit = SubmitField(_l("Send my answers"))


class PaperForm(OneTimeSubmission, FlaskForm):
    """A paper form typed in by staff: its district, then every question (``answers_form`` adds them)."""

    district = SelectField(_l("District on the form"), validators=[InputRequired(message=_l("Choose a district."))])
    submit = SubmitField(_l("Save this paper form"))


def field_name(placement: Placement) -> str:
    return f"q{placement.question_id}"


def answer_field(placement: Placement, optional: bool = False):
    """The unbound field asking ``placement``'s question in the reader's language (``optional``: a blank
    choice even when the question is required, as on paper, where a person may have left it out)."""
    question = placement.question
    label = question.wording_in()
    choices = [SelectChoice(choice["value"], in_language(choice["label"])) for choice in question.choices]
    no_answer = [] if placement.required and not optional else [SelectChoice("", _l("No answer"))]
    # "No answer" comes last: the question's own answers are what a person reads first.
    if question.kind == QuestionKind.SINGLE:
        return RadioField(label, choices=choices + no_answer, default="", validate_choice=False)
    if question.kind == QuestionKind.MULTIPLE:
        return Checkboxes(label, choices=choices, validate_choice=False)
    if question.kind == QuestionKind.SCALE:
        return RadioField(label, choices=[SelectChoice(str(n), format_decimal(n)) for n in services.SCALE] + no_answer,
                          default="", validate_choice=False)
    if question.kind == QuestionKind.NUMBER:
        return StringField(label, filters=[strip_text],
                           render_kw={"inputmode": "numeric", "autocomplete": "off", "class": "narrow"})
    return TextAreaField(label, filters=[strip_text], render_kw={"maxlength": services.TEXT_MAX, "rows": 4})


ANSWER = "answer"   # the one field of a page that asks one question


def answers_form(base: type[FlaskForm], placements: list[Placement], optional: bool = False, single: bool = False,
                 **kwargs) -> FlaskForm:
    """An instance of ``base`` with a field for each of ``placements``, in their order: named after their
    questions (``field_name``), or ``ANSWER`` for the ``single`` question of a page."""
    fields = {ANSWER if single else field_name(p): answer_field(p, optional) for p in placements}
    form_class = type(base.__name__, (base,), {**fields, "built_on": base})
    return form_class(**kwargs)


class QuestionForm(FlaskForm):
    """One question's page; which button was pressed says where to go after saving."""

    go = SubmitField(_l("Next"))
