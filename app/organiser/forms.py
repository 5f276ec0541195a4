"""Forms on the participants page."""
from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import SelectField, StringField, SubmitField, TelField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, Optional, Regexp

from app.core.i18n import lazy_gettext as _l
from app.core.once import OneTimeSubmission
from app.core.validators import no_control_characters, strip_text
from app.events.models import MAX_PARTY

# The order matters: a text written in none of a recipient's languages falls back to the first one given.
MESSAGE_LANGUAGES = ("nb", "nn", "en")


def one_line(value):
    """A mail subject is one header line: line breaks pasted into it become spaces."""
    return " ".join(value.split()) if isinstance(value, str) else value


class AddPersonForm(OneTimeSubmission, FlaskForm):
    """Someone who phoned or came by and has no email address."""

    name = StringField(_l("Name"), filters=[strip_text], validators=[
        DataRequired(message=_l("Write the person's name.")),
        Length(max=120, message=_l("Keep it under %(max)d characters.")), no_control_characters])
    phone = TelField(_l("Phone"), filters=[strip_text], validators=[
        InputRequired(message=_l("Write a phone number, so you can reach the person if something changes.")),
        Regexp(r"^\+?[0-9 ()-]{5,20}$", message=_l("Enter a phone number with digits only, like 912 34 567."))])
    party_size = SelectField(_l("Number of people, the person included"), coerce=int, default=1,
                             choices=[SelectChoice(n, str(n)) for n in range(1, MAX_PARTY + 1)])
    access_needs = TextAreaField(_l("Access needs"), filters=[strip_text], validators=[
        Optional(), Length(max=300, message=_l("Keep it under %(max)d characters.")), no_control_characters])
    submit = SubmitField(_l("Add the person"))


_SUBJECT_LABELS = {"nb": _l("Subject in Bokmål"), "nn": _l("Subject in Nynorsk"), "en": _l("Subject in English")}
_BODY_LABELS = {"nb": _l("Text in Bokmål"), "nn": _l("Text in Nynorsk"), "en": _l("Text in English")}


def _subject(code):
    return StringField(_SUBJECT_LABELS[code], filters=[one_line], render_kw={"lang": code}, validators=[
        Optional(), Length(max=150, message=_l("Keep it under %(max)d characters.")), no_control_characters])


def _body(code):
    return TextAreaField(_BODY_LABELS[code], filters=[strip_text], render_kw={"lang": code}, validators=[
        Optional(), Length(max=5000, message=_l("Keep it under %(max)d characters.")), no_control_characters])


class MessageForm(OneTimeSubmission, FlaskForm):
    subject_nb = _subject("nb")
    body_nb = _body("nb")
    subject_nn = _subject("nn")
    body_nn = _body("nn")
    subject_en = _subject("en")
    body_en = _body("en")
    submit = SubmitField(_l("Send the message"))

    def subject(self, code):
        return self[f"subject_{code}"]

    def body(self, code):
        return self[f"body_{code}"]

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        written = 0
        for code in MESSAGE_LANGUAGES:
            subject, body = self.subject(code), self.body(code)
            if subject.data and not body.data and not body.errors:
                body.errors.append(_l("Write the text as well, or empty the subject."))
                valid = False
            elif body.data and not subject.data and not subject.errors:
                subject.errors.append(_l("Write a subject as well, or empty the text."))
                valid = False
            written += bool(subject.data and body.data)
        if not written and not any(f.errors for f in self if f.type != "CSRFTokenField"):
            self.subject_nb.errors.append(_l("Write the message in at least one language."))
            valid = False
        return valid

    def texts(self) -> dict[str, tuple[str, str]]:
        """Subject and text by language, in the order of MESSAGE_LANGUAGES."""
        return {code: (self.subject(code).data, self.body(code).data) for code in MESSAGE_LANGUAGES
                if self.subject(code).data and self.body(code).data}
