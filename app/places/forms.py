"""The forms of places: "Which district do I live in?" and an admin's upload of a district's boundary."""
from __future__ import annotations

from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from app.core.i18n import lazy_gettext as _l
from app.core.validators import no_control_characters, strip_text
from app.places.geocoder import MAX_QUERY_CHARS
from app.places.geometry import MAX_BOUNDARY_CHARS


class FindDistrictForm(FlaskForm):
    """A GET form that changes nothing, so no CSRF token: the page with the answer can be linked to."""

    class Meta:
        csrf = False

    address = StringField(_l("Your address or street"), filters=[strip_text], validators=[
        DataRequired(message=_l("Type your address or the name of your street.")),
        Length(max=MAX_QUERY_CHARS, message=_l("Keep it under %(max)d characters.")), no_control_characters])
    submit = SubmitField(_l("Find my district"))


class BoundaryForm(FlaskForm):
    """A GeoJSON file or its text pasted; checked in app/places/geometry.py, not here, so each problem is
    told in words about the map rather than about the form."""

    boundary_file = FileField(_l("GeoJSON file"))
    boundary = TextAreaField(_l("Or paste the GeoJSON text"), filters=[strip_text], validators=[
        Optional(), Length(max=MAX_BOUNDARY_CHARS, message=_l("The file is too large. A district boundary is at most 1.5 MB of GeoJSON."))])
    preview = SubmitField(_l("Show it on the map first"))
    submit = SubmitField(_l("Save the boundary"))
