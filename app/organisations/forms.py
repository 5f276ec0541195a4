"""Forms for organisations."""
from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import EmailField, StringField, SubmitField, TextAreaField
from wtforms.validators import Email, InputRequired, Length

from app.core.forms import Checkboxes
from app.core.i18n import lazy_gettext as _l
from app.core.once import OneTimeSubmission
from app.core.validators import no_control_characters, strip_text
from app.translation.forms import language_field


def _email(label):
    return EmailField(label, filters=[strip_text], validators=[
        InputRequired(message=_l("Enter an email address.")), Length(max=254),
        Email(message=_l("Enter an email address in the right form, like name@example.no."), check_deliverability=False)])


class OrganisationDetails:
    """What an organisation says of itself: the application and the administration's edit page ask the
    same (fields of a mixin, as WTForms collects them from every base class)."""

    name = StringField(_l("Name of the organisation"), filters=[strip_text], validators=[
        InputRequired(message=_l("Give the organisation's name.")),
        Length(min=2, max=120, message=_l("The name must be between %(min)d and %(max)d characters long.")),
        no_control_characters])
    description = TextAreaField(_l("What does the organisation do?"), filters=[strip_text], validators=[
        InputRequired(message=_l("Describe the organisation.")),
        Length(min=20, max=3000, message=_l("The description must be between %(min)d and %(max)d characters long.")),
        no_control_characters])
    contact_email = _email(_l("Contact email for the organisation"))


class ApplyForm(OneTimeSubmission, OrganisationDetails, FlaskForm):
    language = language_field()   # of the description; empty: found from the text
    districts = Checkboxes(_l("Districts where you are active"))
    submit = SubmitField(_l("Send the application"))


class MemberForm(FlaskForm):
    email = _email(_l("Email address of the new member"))
    submit = SubmitField(_l("Send an invitation"))


class DeclineForm(FlaskForm):
    reason = TextAreaField(_l("Why is it declined? (the applicant is told)"), filters=[strip_text], validators=[
        InputRequired(message=_l("Give the reason for declining; the applicant is told.")), Length(max=1000),
        no_control_characters])
    submit = SubmitField(_l("Decline"))
