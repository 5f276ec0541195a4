"""The meeting place form, with where the place is on the map: looked up from its address, or typed."""
from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import EmailField, Field, RadioField, SelectField, StringField, SubmitField, TelField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Email, InputRequired, Length, Optional, Regexp, ValidationError
from wtforms.widgets import NumberInput

from app.core.i18n import gettext as _
from app.core.i18n import lazy_gettext as _l
from app.core.validators import no_control_characters, strip_text
from app.meeting_places import locating
from app.photos.forms import photo_fields
from app.translation.forms import language_field

FACT_CHOICES = [SelectChoice("yes", _l("Yes")), SelectChoice("no", _l("No")), SelectChoice("unknown", _l("Not known"))]


def _fact(label):
    return RadioField(label, choices=FACT_CHOICES, default="unknown",
                      validators=[InputRequired(message=_l("Choose yes, no or not known."))])


def _text(label, max_length, required=False, message=None):
    validators = [InputRequired(message=message)] if required else [Optional()]
    return TextAreaField(label, filters=[strip_text], validators=validators + [
        Length(max=max_length, message=_l("Keep it under %(max)d characters.")), no_control_characters])


def _decimal(value):
    """A decimal comma, as Norwegians write it, is read as a point."""
    return value.strip().replace(",", ".") if isinstance(value, str) else value


def _number(form, field) -> None:
    if field.data and locating.coordinate(field.data) is None:
        raise ValidationError(_("Write it as a number in decimal degrees, like %(example)s.", example=field.description))


class CoordinateField(Field):
    """Decimal degrees in a number field (phones show digits), kept as typed so a refused value is shown again."""
    widget = NumberInput(step="any")

    def _value(self) -> str:
        return self.data or ""


def _coordinate(label, example: str):
    # The example (in Trondheim) is the field's description, shown as its hint.
    return CoordinateField(label, filters=[_decimal], description=example,
                           validators=[Optional(), Length(max=30, message=_l("Keep it under %(max)d characters.")),
                                       _number])


class PlaceForm(FlaskForm):
    district = SelectField(_l("District"), validators=[InputRequired(message=_l("Choose a district."))])
    name = StringField(_l("Name"), filters=[strip_text], validators=[
        InputRequired(message=_l("Give the meeting place a name.")),
        Length(min=2, max=120, message=_l("The name must be between %(min)d and %(max)d characters long.")),
        no_control_characters])
    address = StringField(_l("Address"), filters=[strip_text], validators=[
        InputRequired(message=_l("Give the address.")),
        Length(min=2, max=200, message=_l("The address must be between %(min)d and %(max)d characters long.")),
        no_control_characters])
    # In the order of the page, so the list of problems follows it: the point comes right after the address.
    latitude = _coordinate(_l("Latitude (north)"), "63.4305")
    longitude = _coordinate(_l("Longitude (east)"), "10.4120")
    opening_hours = _text(_l("Opening hours"), 1000)
    description = _text(_l("Description"), 5000)
    language = language_field()   # of description, opening hours and notes; empty: found from the text
    step_free_entrance = _fact(_l("Step-free entrance"))
    accessible_toilet = _fact(_l("Accessible toilet"))
    hearing_loop = _fact(_l("Hearing loop"))
    accessibility_notes = _text(_l("Other accessibility information"), 1000)
    contact_email = EmailField(_l("Contact email"), filters=[strip_text], validators=[
        Optional(), Length(max=254), Email(message=_l("Enter an email address in the right form, like name@example.no."),
                                           check_deliverability=False)])
    contact_phone = TelField(_l("Contact phone"), filters=[strip_text], validators=[
        Optional(), Regexp(r"^\+?[0-9 ()-]{5,20}$", message=_l("Enter a phone number with digits only, like 912 34 567."))])
    submit = SubmitField(_l("Save the meeting place"))

    FACTS = ("step_free_entrance", "accessible_toilet", "hearing_loop")

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        if self.latitude.errors or self.longitude.errors:
            return valid
        typed = (self.latitude.data, self.longitude.data)
        if any(typed) and not all(typed):
            missing = self.longitude if typed[0] else self.latitude
            missing.errors.append(_l("Give both latitude and longitude, or neither."))
            return False
        if all(typed) and not locating.in_norway(*self.point()):
            self.latitude.errors.append(_l("This point is not in Norway. Check the numbers, and that latitude and "
                                           "longitude are not swapped."))
            return False
        return valid

    def point(self) -> tuple[float, float]:
        return locating.coordinate(self.latitude.data), locating.coordinate(self.longitude.data)

    def set_point(self, latitude: float | None, longitude: float | None) -> None:
        for field, value in ((self.latitude, latitude), (self.longitude, longitude)):
            field.data = "" if value is None else locating.written(value)

    def values(self) -> dict:
        values = {name: getattr(self, name).data or "" for name in
                  ("name", "address", "opening_hours", "description", "accessibility_notes")}
        values.update({name: {"yes": True, "no": False}.get(getattr(self, name).data) for name in self.FACTS})
        values["contact_email"] = (self.contact_email.data or "").lower() or None
        values["contact_phone"] = self.contact_phone.data or None
        values["language"] = self.language.data or None
        values["latitude"], values["longitude"] = self.point() if self.latitude.data else (None, None)
        return values

    def fill_from(self, place) -> None:
        for name in ("name", "address", "opening_hours", "description", "accessibility_notes", "contact_email", "contact_phone"):
            getattr(self, name).data = getattr(place, name)
        for name in self.FACTS:
            value = getattr(place, name)
            getattr(self, name).data = "unknown" if value is None else ("yes" if value else "no")
        self.district.data = place.district.slug
        self.language.data = place.language or ""
        self.set_point(place.latitude, place.longitude)


class PlacePhotoForm(FlaskForm):
    """One photo at a time; the page lists those there are, with buttons to move and remove them."""

    photos = photo_fields(1, label=_l("Add a photo"))
    submit = SubmitField(_l("Add the photo"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        only = self.photos.entries[0].form   # one at a time: no number in its labels
        only.file.label.text = _l("Photo")
        only.alt_text.label.text = _l("What the photo shows")

    @property
    def file(self):
        return self.photos.entries[0].form.file

    def refuse(self, message) -> None:
        """A refusal after validation (five photos already, the storage away), beside the file field and in
        the summary at the top (which reads the list's errors, gathered when it was validated)."""
        self.file.errors = [*self.file.errors, message]
        self.photos.errors = [entry.errors for entry in self.photos.entries]
