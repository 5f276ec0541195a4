"""The feedback form: free text, three optional ratings, optional contact details with consent."""
from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    EmailField,
    HiddenField,
    RadioField,
    SelectField,
    StringField,
    SubmitField,
    TelField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Email, InputRequired, Length, Optional, Regexp, ValidationError

from app.core.i18n import lazy_gettext as _l
from app.core.once import OneTimeSubmission
from app.core.validators import no_control_characters, strip_text
from app.photos.forms import photo_fields
from app.places.picking_form import place_fields
from app.translation.forms import language_field

BODY_MAX = 3000
MAX_PHOTOS = 3
RATING_CHOICES = [SelectChoice("", _l("No answer"))] + [SelectChoice(str(n), str(n)) for n in range(1, 6)]


def rating_field(label):
    return RadioField(label, choices=RATING_CHOICES, default="", validators=[Optional()])


class FeedbackForm(OneTimeSubmission, FlaskForm):
    body = TextAreaField(
        _l("What do you want to tell us?"),
        filters=[strip_text],
        validators=[Optional(), Length(max=BODY_MAX, message=_l("Keep it under %(max)d characters.")), no_control_characters],
    )
    language = language_field()
    rating_safety = rating_field(_l("How safe do you feel in the district? (1 = not at all, 5 = very)"))
    rating_wellbeing = rating_field(_l("How much do you enjoy living here? (1 = not at all, 5 = very much)"))
    rating_belonging = rating_field(_l("How much do you feel you belong here? (1 = not at all, 5 = very much)"))
    place, point, lat, lon, looked_up, find_place = place_fields()
    topic = SelectField(_l("Topic"), validators=[Optional()])
    photos = photo_fields(MAX_PHOTOS)
    contact_name = StringField(
        _l("Name"), filters=[strip_text],
        validators=[Optional(), Length(max=120, message=_l("Keep it under %(max)d characters.")), no_control_characters],
    )
    contact_email = EmailField(
        _l("Email address"), filters=[strip_text],
        validators=[Optional(), Length(max=254, message=_l("The email address can be at most 254 characters long.")),
                    Email(message=_l("Enter an email address in the right form, like name@example.no."), check_deliverability=False)],
    )
    contact_phone = TelField(
        _l("Phone number"), filters=[strip_text],
        validators=[Optional(), Regexp(r"^\+?[0-9 ()-]{5,20}$", message=_l("Enter a phone number with digits only, like 912 34 567."))],
    )
    contact_consent = BooleanField(_l("You may contact me about this feedback"))
    # Spam checks: people never see this field; robots fill it in.
    website = StringField(_l("Leave this field empty"))
    started = HiddenField()
    submit = SubmitField(_l("Send feedback"))

    def validate_contact_consent(self, field):
        given = self.contact_name.data or self.contact_email.data or self.contact_phone.data
        if given and not field.data:
            raise ValidationError(_l("Tick the box if we may contact you, or remove your contact details."))

    def validate(self, extra_validators=None):
        valid = super().validate(extra_validators)
        ratings = (self.rating_safety.data, self.rating_wellbeing.data, self.rating_belonging.data)
        if not self.body.errors and not self.body.data and not any(ratings):
            # Optional() ends the field's own checks when it is empty, so this rule lives here.
            self.body.errors = list(self.body.errors) + [_l("Write something or give at least one rating.")]
            valid = False
        return valid



class ReceiptLookupForm(FlaskForm):
    """"Do you have a reference code?": a GET form that only leads to the code's own page, so no CSRF
    token. The code is forgiven case, spaces and missing dashes on the server (services.normalise_code)."""

    class Meta:
        csrf = False

    code = StringField(_l("Reference code"), filters=[strip_text],
                       validators=[InputRequired(message=_l("Type the reference code you got when you sent your feedback.")),
                                   Length(max=40, message=_l("A reference code is 12 letters and digits, like ABCD-EFGH-JKLM.")),
                                   no_control_characters])
    submit = SubmitField(_l("Show the status"))
