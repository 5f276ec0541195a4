"""Forms of the area survey's builder (``/admin/surveys/...``).

A survey's texts are asked in every interface language offered (app/core/languages.py), Bokmål first and
required: those fields are made when the form is, one per language, named ``<text>_<code>``."""
from __future__ import annotations

import functools
import re
from datetime import datetime, time
from typing import Any

from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from markupsafe import escape
from wtforms import (
    BooleanField,
    DateField,
    IntegerField,
    RadioField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
    TimeField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, NumberRange, Optional

from app.core import languages
from app.core.db import OSLO
from app.core.forms import Checkboxes, language_field
from app.core.i18n import gettext as _
from app.core.i18n import lazy_gettext as _l
from app.core.validators import no_control_characters, strip_text
from app.surveys.models import QuestionKind, Reach
from config import Config

TITLE_MAX, INTRO_MAX, WORDING_MAX, CHOICES_MAX = 200, 2000, 300, 2000
LIST_MAX_BYTES = 200_000     # an uploaded list of addresses: some thousands of lines


class _InLanguage:
    """A field's label naming its language, in the page's language when it is drawn."""

    def __init__(self, label, code: str):
        self.label, self.code = label, code

    def __str__(self) -> str:
        language = languages.get(self.code)
        return str(self.label) % {"language": language.name if language else self.code}

    def __html__(self) -> str:
        return str(escape(str(self)))


def _text(label, code: str, direction: str, max_length: int, area: bool = False):
    field = TextAreaField if area else StringField
    return field(_InLanguage(label, code), filters=[strip_text], render_kw={"lang": code, "dir": direction},
                 validators=[Optional(), Length(max=max_length, message=_l("Keep it under %(max)d characters.")),
                             no_control_characters])


@functools.cache
def _in_every_language(base: type, texts: tuple[tuple[str, Any, int, bool], ...],
                       offered: tuple[tuple[str, str], ...]) -> type[FlaskForm]:
    """A form of ``base``'s fields and a field ``<name>_<code>`` for each text and each language offered
    ((code, direction) pairs): one class for each set of languages, made once."""
    fields: dict[str, Any] = {f"{name}_{code}": _text(label, code, direction, max_length, area)
                              for name, label, max_length, area in texts for code, direction in offered}
    return type(base.__name__.lstrip("_").replace("Fields", "Form"), (base, FlaskForm), fields)


def _offered() -> tuple[tuple[str, str], ...]:
    return tuple((language.code, language.direction) for language in languages.offered())


# Every configured language, as a form is drawn unless an administrator switches one off.
CONFIGURED = tuple((code, direction) for code, _name, direction, _switcher in Config.LANGUAGES)


def texts_of(form: FlaskForm, name: str) -> dict[str, str]:
    """What was written for ``name`` in each language."""
    return {code: getattr(form, f"{name}_{code}").data or "" for code in languages.offered_codes()}


def language_fields(form: FlaskForm, name: str) -> list:
    return [getattr(form, f"{name}_{code}") for code in languages.offered_codes()]


# Where the services' names for a value differ from the forms' fields.
RENAMED = {"shown_if": "shown_if_values", "opens_at": "opens_on", "closes_at": "closes_on", "emails": "addresses"}


def field_for_refusal(form: FlaskForm, field: str | None) -> str | None:
    """The form's field a service's refusal names: a text's Bokmål field stands for the text."""
    field = RENAMED.get(field or "", field)
    if field and not hasattr(form, field) and hasattr(form, f"{field}_nb"):
        return f"{field}_nb"
    return field


# ---- surveys ------------------------------------------------------------------------------------------


class _SurveyFields:
    submit = SubmitField(_l("Create the survey"))


SURVEY_TEXTS = (("title", _l("Title in %(language)s"), TITLE_MAX, False),
                ("intro", _l("Introduction in %(language)s"), INTRO_MAX, True))
SurveyForm = _in_every_language(_SurveyFields, SURVEY_TEXTS, CONFIGURED)


def survey_form() -> FlaskForm:
    return _in_every_language(_SurveyFields, SURVEY_TEXTS, _offered())()


class AddQuestionForm(FlaskForm):
    question = SelectField(_l("Question"), validators=[InputRequired(message=_l("Choose a question from the list."))])
    required = BooleanField(_l("An answer is required"))
    submit = SubmitField(_l("Add the question"))


KIND_LABELS = {
    QuestionKind.SINGLE: _l("Single choice"),
    QuestionKind.MULTIPLE: _l("Multiple choice"),
    QuestionKind.SCALE: _l("Scale from 1 to 5"),
    QuestionKind.NUMBER: _l("Number"),
    QuestionKind.TEXT: _l("Short free text"),
}


class _QuestionFields:
    kind = RadioField(_l("Kind of question"), choices=[SelectChoice(kind.value, label) for kind, label in KIND_LABELS.items()],
                      validators=[InputRequired(message=_l("Choose a kind of question."))])
    number_min = IntegerField(_l("Smallest number allowed"), validators=[Optional()])
    number_max = IntegerField(_l("Largest number allowed"), validators=[Optional()])
    required = BooleanField(_l("An answer is required"))
    shown_if_values = Checkboxes(_l("Ask it only after one of these answers"), validators=[Optional()])
    submit = SubmitField(_l("Save the question"))
    new_version = SubmitField(_l("Make a new version"))


QUESTION_TEXTS = (
    ("wording", _l("Question in %(language)s"), WORDING_MAX, False),
    ("choices", _l("Choices in %(language)s, one a line"), CHOICES_MAX, True),
    ("scale_low", _l("What 1 means, in %(language)s"), TITLE_MAX, False),
    ("scale_high", _l("What 5 means, in %(language)s"), TITLE_MAX, False),
)
QuestionForm = _in_every_language(_QuestionFields, QUESTION_TEXTS, CONFIGURED)


def question_form(conditions: list[tuple[str, str]] | None = None, question=None, **kwargs) -> FlaskForm:
    """The form of a question made for a survey; ``conditions`` are the earlier answers it may be shown on
    (None on the page that changes a question). ``question`` fills it in."""
    form = _in_every_language(_QuestionFields, QUESTION_TEXTS, _offered())(**kwargs)
    form.shown_if_values.choices = [SelectChoice(value, label) for value, label in conditions or []]
    if question is not None and not form.is_submitted():
        form.kind.data = question.kind.value
        form.number_min.data, form.number_max.data = question.number_min, question.number_max
        for code in languages.offered_codes():
            getattr(form, f"wording_{code}").data = question.wording.get(code, "")
            getattr(form, f"scale_low_{code}").data = question.scale_low.get(code, "")
            getattr(form, f"scale_high_{code}").data = question.scale_high.get(code, "")
            getattr(form, f"choices_{code}").data = "\n".join(c.get("label", {}).get(code, "") for c in question.choices)
    return form


def choices_of(form: FlaskForm, before: list[dict[str, Any]] | None = None) -> list[dict[str, Any]]:
    """The choices as written, a line each: the Bokmål line gives the stored value (kept from ``before``
    where the question had that choice), each language its label on the same line."""
    lines = {code: (getattr(form, f"choices_{code}").data or "").splitlines() for code in languages.offered_codes()}
    bokmål = [line.strip() for line in lines.get("nb", [])]
    known = {c.get("label", {}).get("nb"): c["value"] for c in before or []}
    found, values = [], set()
    for index, text in enumerate(bokmål):
        if not text:
            continue
        value = known.get(text) or _value(text, values)
        values.add(value)
        labels = {code: rows[index].strip() for code, rows in lines.items() if index < len(rows) and rows[index].strip()}
        found.append({"value": value, "label": labels})
    return found


def _value(text: str, taken: set[str]) -> str:
    value = re.sub(r"[^a-z0-9æøå]+", "-", text.lower()).strip("-")[:60] or "choice"
    candidate, n = value, 1
    while candidate in taken:
        n += 1
        candidate = f"{value}-{n}"
    return candidate


# ---- rounds -------------------------------------------------------------------------------------------


REACH_LABELS = {
    Reach.OPEN: _l("Open link: anyone with the link answers once per browser"),
    Reach.CODES: _l("One-time codes printed on letters or flyers"),
    Reach.INVITATIONS: _l("Invitations by email to a list you upload"),
}


class RoundForm(FlaskForm):
    label = StringField(_l("Name of the round"), filters=[strip_text], validators=[
        InputRequired(message=_l("Give the round a name, like \"autumn 2025\".")),
        Length(max=80, message=_l("Keep it under %(max)d characters.")), no_control_characters])
    opens_on = DateField(_l("Opens on"), validators=[InputRequired(message=_l("Give a date and a time."))])
    opens_time = TimeField(_l("Opens at (time)"), default=time(9, 0), validators=[InputRequired(message=_l("Give a date and a time."))])
    closes_on = DateField(_l("Closes on"), validators=[InputRequired(message=_l("Give a date and a time."))])
    closes_time = TimeField(_l("Closes at (time)"), default=time(23, 59), validators=[InputRequired(message=_l("Give a date and a time."))])
    reach = RadioField(_l("Who may answer"), choices=[SelectChoice(reach.value, label) for reach, label in REACH_LABELS.items()],
                       validators=[InputRequired(message=_l("Choose who may answer."))])
    districts = Checkboxes(_l("Districts"), validators=[Optional()])
    submit = SubmitField(_l("Create the round"))


def oslo_time(day, time) -> datetime:
    """A date and a time as read on a clock in Trondheim."""
    return datetime.combine(day, time, tzinfo=OSLO)


class CodesForm(FlaskForm):
    district = SelectField(_l("District"), validators=[InputRequired(message=_l("Choose a district."))])
    count = IntegerField(_l("How many codes"), validators=[
        InputRequired(message=_l("Give a number.")),
        NumberRange(min=1, max=10_000, message=_l("Make between %(min)d and %(max)d codes at a time."))])
    submit = SubmitField(_l("Make and download the codes"))


class EmailListField(TextAreaField):
    """Email addresses, a line each: kept in small letters, as an email field's address is."""


class InvitationsForm(FlaskForm):
    district = SelectField(_l("District"), validators=[InputRequired(message=_l("Choose a district."))])
    locale = language_field(_l("Language of the invitations"), default="nb",
                            validators=[InputRequired(message=_l("Choose a language."))])
    addresses = EmailListField(_l("Email addresses, one a line"), validators=[
        Optional(), Length(max=LIST_MAX_BYTES, message=_l("Keep it under %(max)d characters."))])
    addresses_file = FileField(_l("Or a .csv or .txt file"), render_kw={"accept": ".csv,.txt,text/csv,text/plain"})
    submit = SubmitField(_l("Send the invitations"))


def uploaded_list(form: InvitationsForm) -> str | None:
    """The list's text: the file's when one was chosen, else the text area's; None for a file that is too
    large or not text (the form then says so beside the file)."""
    upload = form.addresses_file.data
    if upload is not None and getattr(upload, "filename", ""):
        data = upload.stream.read(LIST_MAX_BYTES + 1)
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            text = None
        if text is None or len(data) > LIST_MAX_BYTES:
            form.addresses_file.errors = [_("Choose a text file of email addresses, at most 200 KB.")]
            return None
        return text
    return form.addresses.data or ""


def addresses_in(text: str) -> list[tuple[str, str | None]]:
    """``address`` or ``address,language`` (or ``;``) a line; a header line without "@" is left out."""
    found = []
    for line in text.splitlines():
        parts = [part.strip().strip('"') for part in re.split(r"[,;\t]", line)]
        if parts and "@" in parts[0]:
            found.append((parts[0], parts[1].lower() if len(parts) > 1 and parts[1] else None))
        elif parts and parts[0] and found:
            found.append((parts[0], None))   # not an address: the service says so
    return found


class StaffForm(FlaskForm):
    user = SelectField(_l("Moderator"), validators=[InputRequired(message=_l("Choose a moderator from the list."))])
    submit = SubmitField(_l("Name as survey staff"))
