"""Moderation forms. Each action form carries the version of the item the moderator saw."""
from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import (
    HiddenField,
    IntegerField,
    SearchField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, NumberRange, Optional

from app.core.forms import Checkboxes
from app.core.i18n import gettext as _
from app.core.i18n import lazy_gettext as _l
from app.core.params import positive_int
from app.core.validators import no_control_characters, strip_text
from app.moderation import audit_labels
from app.submissions.labels import REASON_LABELS, STATUS_LABELS
from app.submissions.models import HIDE_REASONS

ANSWER_MAX = 5000


def area_choices(areas, blank=None) -> list[SelectChoice]:
    choices = [SelectChoice("", blank)] if blank else []
    return choices + [SelectChoice(str(a.number), f"{a.number}. {a.title}") for a in areas]


def people_choices(people) -> list[SelectChoice]:
    return [SelectChoice(str(u.id), u.display_name) for u in people]


def _text(label, required_message=None, max_length=ANSWER_MAX, optional=False):
    validators = [Optional()] if optional else [InputRequired(message=required_message or _l("Write something first."))]
    validators += [Length(max=max_length, message=_l("Keep it under %(max)d characters.")), no_control_characters]
    return TextAreaField(label, filters=[strip_text], validators=validators)


class VersionedForm(FlaskForm):
    version = HiddenField()

    @property
    def seen_version(self) -> int | None:
        return positive_int(self.version.data)


class RouteForm(VersionedForm):
    area = SelectField(_l("Effort area"), validators=[InputRequired(message=_l("Choose an effort area."))])
    sub_themes = Checkboxes(_l("Sub-themes"), validators=[Optional()])
    submit = SubmitField(_l("Route"))


class StatusForm(VersionedForm):
    status = SelectField(_l("Status"), validators=[InputRequired(message=_l("Choose a status."))])
    # Bokmål is the text every reader can fall back to; the other two are shown to their readers when written.
    answer = _text(_l("Public answer in Bokmål"), optional=True)
    answer_nn = _text(_l("Public answer in Nynorsk"), optional=True)
    answer_en = _text(_l("Public answer in English"), optional=True)
    submit = SubmitField(_l("Save status"))


class NoteForm(FlaskForm):
    body = _text(_l("Internal note"), _l("Write the note first."), 3000)
    submit = SubmitField(_l("Add note"))


class AssignForm(VersionedForm):
    assignee = SelectField(_l("Assign to"), validators=[Optional()])
    submit = SubmitField(_l("Assign"))


class DuplicateForm(VersionedForm):
    original = IntegerField(_l("Number of the original idea"),
                            validators=[InputRequired(message=_l("Give the number of another idea.")), NumberRange(min=1)])
    submit = SubmitField(_l("Mark as duplicate"))


class HideForm(VersionedForm):
    reason = SelectField(_l("Reason"), choices=[SelectChoice(r, REASON_LABELS[r]) for r in HIDE_REASONS],
                         validators=[InputRequired(message=_l("Choose a reason."))])
    explanation = _text(_l("Explanation for the author"), optional=True, max_length=1000)
    submit = SubmitField(_l("Hide"))


class EditTextForm(VersionedForm):
    title = StringField(_l("Title"), filters=[strip_text], validators=[Optional(), Length(min=5, max=120), no_control_characters])
    body = _text(_l("Text"), _l("The text cannot be empty."))
    submit = SubmitField(_l("Save the edited text"))


class BlockForm(FlaskForm):
    reason = StringField(_l("Why (kept for the audit log and other moderators)"), filters=[strip_text],
                         validators=[InputRequired(message=_l("Give a reason.")), Length(max=300), no_control_characters])
    submit = SubmitField(_l("Block from posting in this district"))


class MailAnswerForm(FlaskForm):
    message = _text(_l("Message to the person who gave the feedback"), _l("Write the message first."), 3000)
    submit = SubmitField(_l("Send email"))


class BulkForm(FlaskForm):
    action = SelectField(_l("With the chosen items"), choices=[
        SelectChoice("route", _l("Route to an effort area")), SelectChoice("assign", _l("Assign")),
        SelectChoice("hide", _l("Hide")),
    ])
    area = SelectField(_l("Effort area"), validators=[Optional()])
    assignee = SelectField(_l("Assign to"), validators=[Optional()])
    reason = SelectField(_l("Reason for hiding"), choices=[SelectChoice(r, REASON_LABELS[r]) for r in HIDE_REASONS],
                         validators=[Optional()])
    submit = SubmitField(_l("Do it"))

    def offer(self, areas, colleagues, no_area, nobody) -> None:
        self.area.choices = area_choices(areas, no_area)
        self.assignee.choices = [SelectChoice("", nobody)] + people_choices(colleagues)


class TemplateForm(FlaskForm):
    area = SelectField(_l("Effort area"), validators=[InputRequired(message=_l("Choose an effort area."))])
    title = StringField(_l("Name of the template"), filters=[strip_text],
                        validators=[InputRequired(message=_l("Give the template a name.")), Length(max=120), no_control_characters])
    body_nb = _text(_l("Answer in Bokmål"), _l("Write the answer in Bokmål."))
    body_nn = _text(_l("Answer in Nynorsk"), _l("Write the answer in Nynorsk."))
    body_en = _text(_l("Answer in English"), _l("Write the answer in English."))
    submit = SubmitField(_l("Save template"))


class QueueFilterForm(FlaskForm):
    class Meta:
        csrf = False  # a GET form that changes nothing

    kind = HiddenField()
    q = SearchField(_l("Find an item"), filters=[strip_text], validators=[Optional(), Length(max=100)])
    sort = HiddenField()
    district = SelectField(_l("District"), validators=[Optional()])
    area = SelectField(_l("Effort area"), validators=[Optional()])
    status = SelectField(_l("Status"), validators=[Optional()])
    assignee = SelectField(_l("Assigned to"), validators=[Optional()])
    age = SelectField(_l("Waiting"), choices=[SelectChoice("", _l("Any time")), SelectChoice("old", _l("More than 7 days"))],
                      validators=[Optional()])

    def offer(self, districts, areas, others) -> None:
        """``others``: the colleagues besides the one looking (who is "Me")."""
        self.district.choices = [SelectChoice("", _("All my districts"))] + [SelectChoice(d.slug, d.name) for d in districts]
        self.area.choices = area_choices(areas, _("Any effort area"))
        self.status.choices = [SelectChoice("", _("Any status"))] + [SelectChoice(k, v) for k, v in STATUS_LABELS.items()]
        self.assignee.choices = [SelectChoice("", _("Anyone")), SelectChoice("me", _("Me")),
                                 SelectChoice("none", _("Nobody"))] + people_choices(others)


class AuditFilterForm(FlaskForm):
    class Meta:
        csrf = False

    action = SelectField(_l("Action"), validators=[Optional()])
    actor = SelectField(_l("Who"), validators=[Optional()])
    target_type = SelectField(_l("Kind of object"), validators=[Optional()])

    def offer(self, staff, target_types) -> None:
        self.actor.choices = [SelectChoice("", _("Anyone"))] + people_choices(staff)
        self.action.choices = [SelectChoice("", _("Any action"))] + [
            SelectChoice(code, label) for code, label in audit_labels.ACTIONS.items()]
        self.target_type.choices = [SelectChoice("", _("Any kind"))] + [
            SelectChoice(t, audit_labels.TARGETS.get(t, t)) for t in target_types]
