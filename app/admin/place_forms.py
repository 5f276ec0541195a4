"""Forms of the administration's meeting place and organisation pages."""
from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import BooleanField, SearchField, SelectField, SubmitField
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from app.core.forms import Checkboxes
from app.core.i18n import lazy_gettext as _l
from app.core.validators import no_control_characters, strip_text
from app.organisations.forms import OrganisationDetails


def _name_search():
    return SearchField(_l("Name"), filters=[strip_text], validators=[
        Optional(), Length(max=120, message=_l("Keep it under %(max)d characters.")), no_control_characters])


class PlaceFilterForm(FlaskForm):
    """The list's filters: a GET form that changes nothing, so no CSRF token."""

    class Meta:
        csrf = False

    district = SelectField(_l("District"), validators=[Optional()])
    q = _name_search()


class OrganisationFilterForm(FlaskForm):
    """The list's filters: a GET form that changes nothing, so no CSRF token."""

    class Meta:
        csrf = False

    q = _name_search()
    status = SelectField(_l("Status"), validators=[Optional()])


def _keep(label):
    return SelectField(label, validators=[InputRequired(message=_l("Choose the one to keep."))])


def _understood(label):
    return BooleanField(label, validators=[DataRequired(message=_l("Tick the box to confirm the merge."))])


class PlaceMergeForm(FlaskForm):
    keep = _keep(_l("The meeting place to keep"))
    confirm = _understood(_l("I understand that this cannot be undone"))
    submit = SubmitField(_l("Merge the meeting places"))


class OrganisationMergeForm(FlaskForm):
    keep = _keep(_l("The organisation to keep"))
    confirm = _understood(_l("I understand that this cannot be undone"))
    submit = SubmitField(_l("Merge the organisations"))


class OrganisationForm(OrganisationDetails, FlaskForm):
    districts = Checkboxes(_l("Districts where it is active"))
    submit = SubmitField(_l("Save the organisation"))
