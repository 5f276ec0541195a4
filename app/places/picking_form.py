"""The place fields an idea or feedback form takes in: the words, the addresses found, and the point.

How they become a point (or none) is the rule in ``picking``; ``places/_pick.html`` draws them.
"""
from __future__ import annotations

from wtforms import HiddenField, RadioField, StringField, SubmitField
from wtforms.validators import Length, Optional

from app.core.i18n import lazy_gettext as _l
from app.core.validators import fold_lines, no_control_characters, strip_text

PLACE_MAX = 200  # submissions.location_label


def place_fields() -> tuple:
    """The fields, made where the form's class lists them (``place, point, lat, lon, looked_up, find_place =
    place_fields()``), so they take that place in the form's order and in its error summary."""
    return (
        StringField(
            _l("Where? (street or place)"),
            filters=[strip_text, fold_lines],
            validators=[Optional(), Length(max=PLACE_MAX, message=_l("Keep it under %(max)d characters.")),
                        no_control_characters],
        ),
        # Offered only after a lookup found addresses: "whole" (the default: no point) or one of them.
        RadioField(_l("Which place do you mean?"), validate_choice=False, validators=[Optional()]),
        # Filled by the map (static/pick-point.js), or kept from a choice made earlier on the page.
        HiddenField(),
        HiddenField(),
        # The words the point belongs to: when the person changes the words, the point is forgotten.
        HiddenField(),
        SubmitField(_l("Find the place")),
    )
