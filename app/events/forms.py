"""Forms for events and registrations."""
from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    DateTimeLocalField,
    EmailField,
    HiddenField,
    IntegerField,
    RadioField,
    SelectField,
    StringField,
    SubmitField,
    TelField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Email, InputRequired, Length, NumberRange, Optional, Regexp

from app.core.forms import Checkboxes
from app.core.i18n import lazy_gettext as _l
from app.core.once import OneTimeSubmission
from app.core.validators import no_control_characters, strip_text
from app.events.models import MAX_PARTY, Audience
from app.photos.forms import photo_fields
from app.translation.forms import language_field

AUDIENCE_LABELS = {
    Audience.EVERYONE.value: _l("Everyone"),
    Audience.FAMILIES.value: _l("Children and families"),
    Audience.YOUTH.value: _l("Young people"),
    Audience.SENIORS.value: _l("Seniors"),
    Audience.NEWCOMERS.value: _l("Newcomers learning Norwegian"),
}
PARTY_CHOICES = [SelectChoice(str(n), str(n)) for n in range(1, MAX_PARTY + 1)]
DATETIME_FORMAT = "%Y-%m-%dT%H:%M"
WHEN_MESSAGE = _l("Enter a date and time, like 2026-12-03 18:00.")


def _when(label, required=True):
    validators = [InputRequired(message=WHEN_MESSAGE)] if required else [Optional()]
    return DateTimeLocalField(label, format=DATETIME_FORMAT, validators=validators)


class EventForm(OneTimeSubmission, FlaskForm):
    organisation = SelectField(_l("Organisation"), validators=[InputRequired(message=_l("Choose the organisation."))])
    title = StringField(_l("Title"), filters=[strip_text], validators=[
        InputRequired(message=_l("Give the event a title.")),
        Length(min=3, max=140, message=_l("The title must be between %(min)d and %(max)d characters long.")),
        no_control_characters])
    description = TextAreaField(_l("Description"), filters=[strip_text], validators=[
        DataRequired(message=_l("Describe the event: what happens and who it is for.")),
        Length(max=5000, message=_l("Keep it under %(max)d characters.")), no_control_characters])
    text_language = language_field()   # of title and description; empty: found from the text
    district = SelectField(_l("District"), validators=[InputRequired(message=_l("Choose a district."))])
    meeting_place = SelectField(_l("Meeting place"), validators=[Optional()])
    address = StringField(_l("Other address"), filters=[strip_text], validators=[
        Optional(), Length(max=200, message=_l("Keep it under %(max)d characters.")), no_control_characters])
    starts_at = _when(_l("Starts"))
    ends_at = _when(_l("Ends"))
    capacity = IntegerField(_l("Number of seats"), validators=[
        Optional(), NumberRange(min=1, max=10000, message=_l("Give at least 1 seat, or leave it empty for no limit."))])
    registration_deadline = _when(_l("Registration closes"), required=False)
    effort_area = SelectField(_l("Topic"), validators=[Optional()])
    languages = Checkboxes(_l("Languages spoken"))
    audience = SelectField(_l("Who is it for?"), choices=[SelectChoice(k, v) for k, v in AUDIENCE_LABELS.items()],
                           default=Audience.EVERYONE.value,
                           validators=[InputRequired(message=_l("Choose who the event is for."))])
    repeat_weeks = IntegerField(_l("Repeat every week, number of times in all"), default=1, validators=[
        Optional(), NumberRange(min=1, max=26, message=_l("Repeat for between %(min)d and %(max)d weeks."))])
    scope = RadioField(_l("Which occurrences?"), choices=[
        SelectChoice("one", _l("Only this one")), SelectChoice("later", _l("This one and all later ones"))],
        default="one", validators=[Optional()])
    picture = photo_fields(1, label=_l("Picture"))
    remove_picture = BooleanField(_l("Remove the picture"))
    submit = SubmitField(_l("Publish the event"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        only = self.picture.entries[0].form   # one picture: no number in its labels
        only.file.label.text = _l("Picture")
        only.alt_text.label.text = _l("What the picture shows")


class CancelEventForm(FlaskForm):
    scope = RadioField(_l("Which occurrences?"), choices=[
        SelectChoice("one", _l("Only this one")), SelectChoice("later", _l("This one and all later ones"))],
        default="one", validators=[Optional()])
    reason = TextAreaField(_l("Why is it cancelled?"), filters=[strip_text], validators=[
        Optional(), Length(max=500, message=_l("Keep it under %(max)d characters.")), no_control_characters])
    submit = SubmitField(_l("Cancel the event"))


class EventFilterForm(FlaskForm):
    """The list's filters: a GET form that changes nothing, so no CSRF token."""

    class Meta:
        csrf = False

    district = SelectField(_l("District"), validators=[Optional()])
    start = DateField(_l("From date"), validators=[Optional()])
    end = DateField(_l("To date"), validators=[Optional()])
    area = SelectField(_l("Topic"), validators=[Optional()])
    audience = SelectField(_l("Who is it for?"), validators=[Optional()])
    free = SelectField(_l("Seats"), choices=[SelectChoice("", _l("All events")),
                                            SelectChoice("1", _l("Only events with free seats"))],
                       validators=[Optional()])


def _party():
    return SelectField(_l("Number of people, you included"), choices=PARTY_CHOICES, default="1",
                       validators=[InputRequired(message=_l("Choose how many you are."))])


def _access_needs():
    return TextAreaField(_l("Access needs"), filters=[strip_text], validators=[
        Optional(), Length(max=300, message=_l("Keep it under %(max)d characters.")), no_control_characters])


class RegisterForm(OneTimeSubmission, FlaskForm):
    """A resident with an account: one click, the rest is optional."""

    party_size = _party()
    access_needs = _access_needs()
    submit = SubmitField(_l("Register"))


class GuestRegisterForm(RegisterForm):
    name = StringField(_l("Your name"), filters=[strip_text], validators=[
        DataRequired(message=_l("Write your name, so the organisers know who is coming.")),
        Length(max=120, message=_l("Keep it under %(max)d characters.")), no_control_characters])
    email = EmailField(_l("Email"), filters=[strip_text], validators=[
        InputRequired(message=_l("Enter an email address, so we can send you the link to your registration.")),
        Length(max=254), Email(message=_l("Enter an email address in the right form, like name@example.no."),
                               check_deliverability=False)])
    phone = TelField(_l("Phone"), filters=[strip_text], validators=[
        Optional(), Regexp(r"^\+?[0-9 ()-]{5,20}$", message=_l("Enter a phone number with digits only, like 912 34 567."))])
    website = StringField(_l("Leave this field empty"))
    started = HiddenField()


class ChangeRegistrationForm(FlaskForm):
    """What a person may change of their own registration: how many come and what they need."""
    party_size = _party()
    access_needs = _access_needs()
    submit = SubmitField(_l("Save the changes"))


class EventTranslationForm(FlaskForm):
    """The organisers' own title and description of an event in one more language."""

    # Checked by the service, with its own message: the languages offered change with the settings.
    language = SelectField(_l("Language"), validate_choice=False,
                           validators=[InputRequired(message=_l("Choose a language."))])
    # dir="auto": Arabic typed here runs right to left even before the language is chosen.
    title = StringField(_l("Title in this language"), filters=[strip_text], render_kw={"dir": "auto"}, validators=[
        InputRequired(message=_l("Write the title in this language.")),
        Length(min=3, max=140, message=_l("The title must be between %(min)d and %(max)d characters long.")),
        no_control_characters])
    description = TextAreaField(_l("Description in this language"), filters=[strip_text], render_kw={"dir": "auto"},
                                validators=[
        Optional(), Length(max=5000, message=_l("Keep it under %(max)d characters.")), no_control_characters])
    submit = SubmitField(_l("Save"))
