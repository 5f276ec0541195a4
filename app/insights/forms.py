"""The insights page's choices: a GET form that changes nothing, so no CSRF token."""
from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import RadioField, SelectField, SubmitField
from wtforms.fields.choices import SelectChoice

from app.core.forms import Checkboxes
from app.core.i18n import lazy_gettext as _l
from app.insights.periods import AGREEMENT_YEARS, Step

YEARS = [SelectChoice(str(year), str(year)) for year in range(AGREEMENT_YEARS[0], AGREEMENT_YEARS[1] + 1)]


class InsightsForm(FlaskForm):
    class Meta:
        csrf = False

    district = Checkboxes(_l("Districts"))
    start = SelectField(_l("From"), name="from", choices=YEARS, default=str(AGREEMENT_YEARS[0]))
    end = SelectField(_l("To and including"), name="to", choices=YEARS, default=str(AGREEMENT_YEARS[1]))
    by = RadioField(_l("Count by"), choices=[
        SelectChoice(Step.YEAR.value, _l("Year")), SelectChoice(Step.QUARTER.value, _l("Quarter")),
        SelectChoice(Step.MONTH.value, _l("Month")),
    ], default=Step.YEAR.value)
    submit = SubmitField(_l("Show the figures"))
