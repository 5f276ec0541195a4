"""The form a visitor follows with: an email address, and spam checks without a CAPTCHA."""
from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import HiddenField, StringField, SubmitField

from app.accounts.forms import email_field
from app.core.i18n import lazy_gettext as _l


class FollowByEmailForm(FlaskForm):
    email = email_field()
    # Spam checks: people never see this field; robots fill it in.
    website = StringField(_l("Leave this field empty"))
    started = HiddenField()
    submit = SubmitField(_l("Send me the confirmation link"))
