"""Account forms. Labels are lazy strings: they are made at import time."""
from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, PasswordField, StringField, SubmitField
from wtforms.validators import Email, InputRequired, Length, Regexp

from app.core.forms import NextField, language_field
from app.core.i18n import lazy_gettext as _l
from app.core.once import OneTimeSubmission
from app.core.security import PASSWORD_MAX, PASSWORD_MIN, password_is_guessable
from app.core.validators import no_control_characters, strip_text


def email_field(label=None):
    return EmailField(
        label or _l("Email address"),
        filters=[strip_text],
        validators=[
            InputRequired(message=_l("Enter your email address.")),
            Length(max=254, message=_l("The email address can be at most 254 characters long.")),
            Email(message=_l("Enter an email address in the right form, like name@example.no."), check_deliverability=False),
        ],
    )


def new_password_field(label=None):
    return PasswordField(
        label or _l("Password"),
        validators=[
            InputRequired(message=_l("Choose a password.")),
            Length(
                min=PASSWORD_MIN, max=PASSWORD_MAX,
                message=_l("The password must be between %(min)d and %(max)d characters long."),
            ),
        ],
    )


def display_name_field():
    return StringField(
        _l("Display name"),
        filters=[strip_text],
        validators=[
            InputRequired(message=_l("Enter the name others will see.")),
            Length(min=2, max=80, message=_l("The name must be between 2 and 80 characters long.")),
            no_control_characters,
        ],
    )


class _GuessablePasswordCheck:
    """Refuse passwords that are among the most common or trivially guessable."""

    password_field = "password"

    def validate_against_guessing(self) -> bool:
        field = getattr(self, self.password_field)
        if field.errors or not field.data:
            return True
        hints = [getattr(self, n).data for n in ("email", "display_name") if hasattr(self, n)]
        if password_is_guessable(field.data, [h for h in hints if isinstance(h, str)]):
            field.errors = list(field.errors) + [
                _l("This password is too easy to guess. Use a longer phrase of several unrelated words.")
            ]
            return False
        return True

    def validate(self, extra_validators=None):
        ok = super().validate(extra_validators)
        return self.validate_against_guessing() and ok


class RegisterForm(_GuessablePasswordCheck, OneTimeSubmission, FlaskForm):
    email = email_field()
    display_name = display_name_field()
    password = new_password_field()
    submit = SubmitField(_l("Create account"))


class LoginForm(FlaskForm):
    email = email_field()
    password = PasswordField(_l("Password"), validators=[InputRequired(message=_l("Enter your password."))])
    next = NextField()
    submit = SubmitField(_l("Log in"))


class RequestResetForm(FlaskForm):
    email = email_field()
    submit = SubmitField(_l("Send me a link"))


class ResetPasswordForm(_GuessablePasswordCheck, FlaskForm):
    password = new_password_field(_l("New password"))
    submit = SubmitField(_l("Save the new password"))


class ProfileForm(FlaskForm):
    display_name = display_name_field()
    locale = language_field(
        _l("Language for pages and mail"),
        validators=[InputRequired(message=_l("Choose a language."))],
    )
    submit = SubmitField(_l("Save profile"))


class ChangePasswordForm(_GuessablePasswordCheck, FlaskForm):
    password_field = "new_password"
    current_password = PasswordField(_l("Current password"), validators=[InputRequired(message=_l("Enter your current password."))])
    new_password = new_password_field(_l("New password"))
    submit = SubmitField(_l("Change password"))


class ChangeEmailForm(FlaskForm):
    new_email = email_field(_l("New email address"))
    current_password = PasswordField(_l("Current password"), validators=[InputRequired(message=_l("Enter your current password."))])
    submit = SubmitField(_l("Send confirmation link"))


class DeleteAccountForm(FlaskForm):
    password = PasswordField(_l("Your password"), validators=[InputRequired(message=_l("Enter your password to delete the account."))])
    submit = SubmitField(_l("Delete my account"))


class MailPreferencesForm(FlaskForm):
    idea_updates = BooleanField(_l("When an idea I proposed or support gets a new status or answer"))
    followed_events = BooleanField(_l("New events at meeting places and organisations I follow"))
    moderation_digest = BooleanField(_l("A daily summary of what waits in my districts (moderators)"))
    submit = SubmitField(_l("Save mail choices"))



def _without_spaces(value):
    # Apps show "123 456"; recovery codes are printed "abcde-fghjk".
    return "".join(value.split()) if isinstance(value, str) else value


class TwoFactorCodeForm(FlaskForm):
    code = StringField(
        _l("Code from your authenticator app"),
        filters=[_without_spaces],
        validators=[
            InputRequired(message=_l("Enter the 6-digit code from your authenticator app.")),
            Regexp(r"^[0-9]{6}$", message=_l("The code is 6 digits. Enter the code the app shows now.")),
        ],
        render_kw={"inputmode": "numeric", "spellcheck": "false"},
    )
    next = NextField()
    submit = SubmitField(_l("Continue"))


class RecoveryCodeForm(FlaskForm):
    recovery_code = StringField(
        _l("Recovery code"),
        filters=[_without_spaces],
        validators=[
            InputRequired(message=_l("Enter one of your recovery codes.")),
            Length(max=40, message=_l("A recovery code is 10 letters and digits, like abcde-23456.")),
        ],
        render_kw={"spellcheck": "false", "autocapitalize": "none"},
    )
    next = NextField()
    submit = SubmitField(_l("Log in with a recovery code"))


class RenewRecoveryCodesForm(FlaskForm):
    password = PasswordField(_l("Your password"), validators=[InputRequired(message=_l("Enter your password to make new recovery codes."))])
    submit = SubmitField(_l("Make new recovery codes"))
