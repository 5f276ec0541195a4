"""Forms of the people pages. Labels are lazy strings: they are made at import time."""
from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import BooleanField, RadioField, SearchField, SelectField, SubmitField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, Optional

from app.accounts.administration import ROLE_LABELS
from app.accounts.forms import display_name_field, email_field
from app.core.forms import Checkboxes, language_field
from app.core.i18n import lazy_gettext as _l
from app.core.once import OneTimeSubmission
from app.core.permissions import Role
from app.core.validators import no_control_characters, strip_text

BLOCK_REASON_MAX = 500


def _role_choices(roles) -> list[SelectChoice]:
    return [SelectChoice(role.value, ROLE_LABELS[role]) for role in roles]


def districts_field():
    # Choices (district slugs) are set by the view from the districts there are.
    return Checkboxes(_l("Districts"))


class PeopleFilterForm(FlaskForm):
    """The search above the list of people: in the address, so it needs no CSRF token."""

    class Meta:
        csrf = False

    q = SearchField(_l("Name or email address"), filters=[strip_text],
                    validators=[Optional(), Length(max=200, message=_l("Search for at most 200 characters.")),
                                no_control_characters])
    role = SelectField(_l("Role"), choices=[SelectChoice("", _l("Any role"))] + _role_choices(Role),
                       validate_choice=False)
    blocked = SelectField(_l("Blocked"), choices=[SelectChoice("", _l("Blocked or not")),
                                                  SelectChoice("yes", _l("Only blocked")),
                                                  SelectChoice("no", _l("Only not blocked"))],
                          validate_choice=False)


class RoleForm(FlaskForm):
    role = RadioField(_l("Role"), choices=_role_choices(Role),
                      validators=[InputRequired(message=_l("Choose a role."))])
    districts = districts_field()
    submit = SubmitField(_l("Save role and districts"))


class InviteForm(OneTimeSubmission, FlaskForm):
    email = email_field()
    display_name = display_name_field()
    role = RadioField(_l("Role"), choices=_role_choices((Role.MODERATOR, Role.ADMIN)),
                      validators=[InputRequired(message=_l("Choose a role."))])
    districts = districts_field()
    locale = language_field(
        _l("Language of the invitation"), default="nb",
        validators=[InputRequired(message=_l("Choose a language."))],
    )
    submit = SubmitField(_l("Send the invitation"))


class BlockForm(FlaskForm):
    reason = TextAreaField(
        _l("Why the account is blocked"),
        filters=[strip_text],
        validators=[
            InputRequired(message=_l("Write why the account is blocked.")),
            Length(max=BLOCK_REASON_MAX, message=_l("Write at most %(max)d characters.")),
            no_control_characters,
        ],
        render_kw={"maxlength": BLOCK_REASON_MAX},
    )
    confirm = BooleanField(
        _l("Yes, block this account"),
        validators=[InputRequired(message=_l("Tick the box to confirm the block."))],
    )
    submit = SubmitField(_l("Block the account"))
