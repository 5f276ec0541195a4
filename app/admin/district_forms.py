"""The forms admins keep districts, effort areas and sub-themes with. Texts in Bokmål are required;
Nynorsk and English may be left empty, and the site then shows the Bokmål text."""
from __future__ import annotations

import re

from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    FieldList,
    Form,
    FormField,
    HiddenField,
    IntegerField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional, Regexp

from app.core.i18n import lazy_gettext as _l
from app.core.once import OneTimeSubmission
from app.core.validators import no_control_characters, strip_text

LANGUAGES = (("nb", _l("Bokmål")), ("nn", _l("Nynorsk")), ("en", _l("English")))
SLUG_MESSAGE = _l("Use only lowercase letters a–z, digits and hyphens, like “nye-byen”.")


def slug_text(value):
    """What was typed as a short name, in lowercase with hyphens for spaces ("Nye byen" → "nye-byen")."""
    if not isinstance(value, str):
        return value
    return re.sub(r"[\s_]+", "-", value.strip().lower())


def _line(label, max_length: int, required_message=None):
    validators = [InputRequired(message=required_message)] if required_message else [Optional()]
    return StringField(label, filters=[strip_text], validators=validators + [
        Length(max=max_length, message=_l("Keep it under %(max)d characters.")), no_control_characters])


def _text(label, max_length: int):
    return TextAreaField(label, filters=[strip_text], validators=[
        Optional(), Length(max=max_length, message=_l("Keep it under %(max)d characters.")), no_control_characters])


def _slug(label, max_length: int):
    return StringField(label, filters=[slug_text], validators=[
        InputRequired(message=_l("Give a short name for web addresses.")),
        Length(min=2, max=max_length, message=_l("The short name must be between %(min)d and %(max)d characters long.")),
        Regexp(r"^[a-z0-9]+(?:-[a-z0-9]+)*$", message=SLUG_MESSAGE)])


# Made before the texts, so the short name comes first in a list of problems.
_DISTRICT_SLUG = _slug(_l("Short name in web addresses"), 64)
_THEME_SLUG = _slug(_l("Short name"), 80)


class DistrictForm(FlaskForm):
    name_nb = _line(_l("Name in Bokmål"), 120, _l("Give the name in Bokmål."))
    name_nn = _line(_l("Name in Nynorsk"), 120)
    name_en = _line(_l("Name in English"), 120)
    description_nb = _text(_l("Description in Bokmål"), 5000)
    description_nn = _text(_l("Description in Nynorsk"), 5000)
    description_en = _text(_l("Description in English"), 5000)
    position = IntegerField(_l("Position in the list"), validators=[
        InputRequired(message=_l("Give the position as a whole number.")),
        NumberRange(min=0, max=999, message=_l("Give a whole number from %(min)s to %(max)s."))])
    submit = SubmitField(_l("Save the district"))

    TEXTS = ("name_nb", "name_nn", "name_en", "description_nb", "description_nn", "description_en")

    def texts(self) -> dict[str, str]:
        return {name: getattr(self, name).data or "" for name in self.TEXTS}

    def fill_from(self, district) -> None:
        for name in self.TEXTS:
            getattr(self, name).data = getattr(district, name)
        self.position.data = district.position


class NewDistrictForm(OneTimeSubmission, DistrictForm):
    slug = _DISTRICT_SLUG
    submit = SubmitField(_l("Add the district"))


class RetireDistrictForm(FlaskForm):
    confirm = BooleanField(_l("Yes, retire this district"), validators=[
        DataRequired(message=_l("Tick the box to confirm that the district is to be retired."))])
    submit = SubmitField(_l("Retire the district"))


class SubThemeLabelsForm(Form):
    """One sub-theme's labels in the effort area form; the view names each field after its sub-theme."""

    theme = HiddenField()
    label_nb = _line(_l("Label in Bokmål"), 200, _l("Give the label in Bokmål."))
    label_nn = _line(_l("Label in Nynorsk"), 200)
    label_en = _line(_l("Label in English"), 200)
    remove = BooleanField(_l("Remove this sub-theme"))

    LABELS = ("label_nb", "label_nn", "label_en")

    def labels(self) -> dict[str, str]:
        return {name: getattr(self, name).data or "" for name in self.LABELS}


class EffortAreaForm(FlaskForm):
    # The plain name first, as on the page: it is what residents see everywhere but the area's own page.
    public_name_nb = _line(_l("Plain name in Bokmål"), 60, _l("Give the plain name in Bokmål."))
    public_name_nn = _line(_l("Plain name in Nynorsk"), 60)
    public_name_en = _line(_l("Plain name in English"), 60)
    public_explanation_nb = _line(_l("Explanation in Bokmål"), 200)
    public_explanation_nn = _line(_l("Explanation in Nynorsk"), 200)
    public_explanation_en = _line(_l("Explanation in English"), 200)
    title_nb = _line(_l("Title in Bokmål"), 200, _l("Give the title in Bokmål."))
    title_nn = _line(_l("Title in Nynorsk"), 200)
    title_en = _line(_l("Title in English"), 200)
    goal_nb = _text(_l("Goal in Bokmål"), 1000)
    goal_nn = _text(_l("Goal in Nynorsk"), 1000)
    goal_en = _text(_l("Goal in English"), 1000)
    description_nb = _text(_l("Description in Bokmål"), 10000)
    description_nn = _text(_l("Description in Nynorsk"), 10000)
    description_en = _text(_l("Description in English"), 10000)
    sub_themes = FieldList(FormField(SubThemeLabelsForm), max_entries=200)
    submit = SubmitField(_l("Save the effort area"))

    TEXTS = tuple(f"{field}_{code}" for field in ("title", "goal", "description", "public_name", "public_explanation")
                  for code, _label in LANGUAGES)

    def texts(self) -> dict[str, str]:
        return {name: getattr(self, name).data or "" for name in self.TEXTS}


class NewSubThemeForm(OneTimeSubmission, FlaskForm):
    slug = _THEME_SLUG
    label_nb = _line(_l("Label in Bokmål"), 200, _l("Give the label in Bokmål."))
    label_nn = _line(_l("Label in Nynorsk"), 200)
    label_en = _line(_l("Label in English"), 200)
    submit = SubmitField(_l("Add the sub-theme"))

    def labels(self) -> dict[str, str]:
        return {name: getattr(self, name).data or "" for name in ("label_nb", "label_nn", "label_en")}
