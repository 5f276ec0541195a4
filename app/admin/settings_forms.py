"""The settings form: one field for each key an administrator may set. An empty field (or, for
pre-moderation, the box "Use the default") stores nothing, so the configured default applies."""
from __future__ import annotations

from urllib.parse import urlsplit

from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, IntegerField, StringField, SubmitField, TelField, URLField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Email, Length, NumberRange, Optional, Regexp, ValidationError

from app.core import languages, settings
from app.core.forms import Checkboxes
from app.core.i18n import lazy_gettext as _l
from app.core.settings import TUNABLE
from app.core.settings_admin import NUMBER_BOUNDS, PREMODERATION_KINDS
from app.core.validators import no_control_characters, strip_text

KIND_LABELS = {"ideas": _l("Ideas"), "comments": _l("Comments"), "events": _l("Events"),
               "photos": _l("Photos from residents and organisers")}

# Each retention period as the privacy notice names it (the same words, so an admin finds it there).
RETENTION_LABELS = {
    "REGISTRATION_RETENTION_DAYS": _l("Event registrations"),
    "FOLLOW_UNCONFIRMED_DAYS": _l("Email addresses of people who follow a meeting place or an organisation"),
    "FEEDBACK_CONTACT_RETENTION_DAYS": _l("Contact details left with feedback"),
    "OUTBOX_RETENTION_DAYS": _l("Copies of emails we have sent"),
    "AUDIT_RETENTION_DAYS": _l("Record of what moderators and administrators do (audit log)"),
    "LOG_RETENTION_DAYS": _l("Technical logs"),
    "UNVERIFIED_ACCOUNT_RETENTION_DAYS": _l("Accounts where the email address was never confirmed"),
}
RETENTION_KEYS = tuple(RETENTION_LABELS)


def _switchable_languages() -> list[SelectChoice]:
    """Every installed language but the default one (Bokmål), which is always on."""
    return [SelectChoice(language.code, language.name, render_kw={"lang": language.code})
            for language in languages.installed() if language.code != languages.default_code()]


def _number(label, key):
    low, high = NUMBER_BOUNDS[key]
    return IntegerField(label, validators=[
        Optional(), NumberRange(min=low, max=high, message=_l("Give a whole number from %(min)d to %(max)d."))],
        render_kw={"min": low, "max": high, "inputmode": "numeric"})


def _email(label):
    return EmailField(label, filters=[strip_text, lambda v: v.lower() if isinstance(v, str) else v], validators=[
        Optional(), Length(max=254, message=_l("Keep it under %(max)d characters.")),
        Email(message=_l("Enter an email address in the right form, like name@example.no."), check_deliverability=False)])


def _web_address(form, field) -> None:
    parts = urlsplit(field.data or "")
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ValidationError(_l("Enter a web address that starts with https://, like https://uustatus.no/."))


class SettingsForm(FlaskForm):
    premoderate = Checkboxes(_l("Hold for a moderator's approval before it is shown"),
                             choices=[SelectChoice(kind, KIND_LABELS[kind]) for kind in PREMODERATION_KINDS])
    premoderate_default = BooleanField(_l("Use the default for pre-moderation"))
    max_reports_before_hiding = _number(_l("Reports from different people before content is hidden"),
                                        "MAX_REPORTS_BEFORE_HIDING")
    registration_retention_days = _number(RETENTION_LABELS["REGISTRATION_RETENTION_DAYS"], "REGISTRATION_RETENTION_DAYS")
    follow_unconfirmed_days = _number(RETENTION_LABELS["FOLLOW_UNCONFIRMED_DAYS"], "FOLLOW_UNCONFIRMED_DAYS")
    feedback_contact_retention_days = _number(RETENTION_LABELS["FEEDBACK_CONTACT_RETENTION_DAYS"],
                                              "FEEDBACK_CONTACT_RETENTION_DAYS")
    outbox_retention_days = _number(RETENTION_LABELS["OUTBOX_RETENTION_DAYS"], "OUTBOX_RETENTION_DAYS")
    audit_retention_days = _number(RETENTION_LABELS["AUDIT_RETENTION_DAYS"], "AUDIT_RETENTION_DAYS")
    log_retention_days = _number(RETENTION_LABELS["LOG_RETENTION_DAYS"], "LOG_RETENTION_DAYS")
    unverified_account_retention_days = _number(RETENTION_LABELS["UNVERIFIED_ACCOUNT_RETENTION_DAYS"],
                                                "UNVERIFIED_ACCOUNT_RETENTION_DAYS")
    contact_organisation = StringField(_l("Organisation"), filters=[strip_text], validators=[
        Optional(), Length(min=2, max=200, message=_l("The name must be between %(min)d and %(max)d characters long.")),
        no_control_characters])
    contact_email = _email(_l("Email"))
    contact_phone = TelField(_l("Phone"), filters=[strip_text], validators=[
        Optional(), Regexp(r"^\+?[0-9 ()-]{5,20}$", message=_l("Enter a phone number with digits only, like 912 34 567."))])
    contact_address = StringField(_l("Address"), filters=[strip_text], validators=[
        Optional(), Length(min=2, max=200, message=_l("The address must be between %(min)d and %(max)d characters long.")),
        no_control_characters])
    contact_dpo_email = _email(_l("Email to the data protection officer"))
    accessibility_statement_url = URLField(_l("Address of the accessibility statement"), filters=[strip_text], validators=[
        Optional(), Length(max=500, message=_l("Keep it under %(max)d characters.")), no_control_characters, _web_address])
    municipal_fault_report_url = URLField(_l("Address of the municipality's fault service"), filters=[strip_text], validators=[
        Optional(), Length(max=500, message=_l("Keep it under %(max)d characters.")), no_control_characters, _web_address])
    languages_on = Checkboxes(_l("Languages offered besides Bokmål"), choices=_switchable_languages)
    feedback_machine_translation = BooleanField(_l("Moderators may read private feedback machine-translated"))
    submit = SubmitField(_l("Save the settings"))

    # Set by the view: the kinds the configured default holds back, and whether a choice is stored.
    default_kinds: frozenset = frozenset()
    premoderation_stored = False

    def validate_premoderate_default(self, field) -> None:
        # With the default in use, changed boxes and the default box left ticked: the change was meant.
        # (With a choice stored, ticking the box is how it is put back to the default.)
        if field.data and not self.premoderation_stored and set(self.premoderate.data or ()) != set(self.default_kinds):
            raise ValidationError(_l("Untick this box to choose the kinds of content yourself."))

    def fill_from(self, stored: dict, configured: dict) -> None:
        """What is stored; a key with nothing stored shows empty (its default), pre-moderation the default's kinds."""
        for key in TUNABLE:
            if key not in ("PREMODERATE", "LANGUAGES_OFF"):
                getattr(self, key.lower()).data = stored.get(key)
        off = set(stored.get("LANGUAGES_OFF", configured["LANGUAGES_OFF"]) or ())
        self.languages_on.data = [choice.value for choice in _switchable_languages() if choice.value not in off]
        self.feedback_machine_translation.data = bool(stored.get("FEEDBACK_MACHINE_TRANSLATION"))
        self.premoderate_default.data = "PREMODERATE" not in stored
        self.premoderate.data = sorted(stored.get("PREMODERATE", configured["PREMODERATE"]) or ())

    def values(self) -> dict:
        """Key → value to store, or None where the default applies."""
        values = {key: getattr(self, key.lower()).data for key in TUNABLE if key not in ("PREMODERATE", "LANGUAGES_OFF")}
        values = {key: None if value in ("", None, False) else value for key, value in values.items()}
        values["PREMODERATE"] = None if self.premoderate_default.data else list(self.premoderate.data or ())
        # The languages left unticked are the ones switched off; as configured, nothing is stored.
        off = sorted({choice.value for choice in _switchable_languages()} - set(self.languages_on.data or ()))
        values["LANGUAGES_OFF"] = None if off == sorted(settings.configured("LANGUAGES_OFF") or ()) else off
        return values
