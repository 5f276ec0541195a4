"""Form pieces every domain shares."""
from __future__ import annotations

from urllib.parse import unquote, urlsplit

import flask_wtf.form
from flask import flash, request, url_for
from flask_wtf import FlaskForm
from flask_wtf.i18n import translations as wtforms_translations
from wtforms import HiddenField, PasswordField, RadioField, SelectMultipleField, StringField, TextAreaField, widgets
from wtforms.fields.choices import SelectChoice
from wtforms.meta import DefaultMeta

from app.core import languages
from app.core.i18n import current_locale, gettext
from app.core.i18n import lazy_gettext as _l
from app.core.validators import fold_lines


class ActionForm(FlaskForm):
    """A form with nothing but its CSRF token: for buttons that change state (log out, withdraw...)."""


class Checkboxes(SelectMultipleField):
    """Several choices as checkboxes; the form macro draws them as one fieldset."""

    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()


def language_choices() -> list[SelectChoice]:
    """The interface languages offered now, each in its own name (and marked with its ``lang``)."""
    return [SelectChoice(language.code, language.name, render_kw={"lang": language.code})
            for language in languages.offered()]


def effort_area_choices(areas) -> list[SelectChoice]:
    """Each effort area by its plain name. Where the page's language has no name of its own and Bokmål stands
    in (an Arabic or Polish page), the option says so (``lang="nb"``), so it is read as Norwegian and laid out
    left to right."""
    return [SelectChoice(str(a.number), a.public_name,
                         render_kw=None if getattr(a, f"public_name_{current_locale()}", None) else
                         {"lang": "nb", "dir": languages.direction("nb")})
            for a in areas]


def language_field(label, **kwargs) -> RadioField:
    """A choice among the interface languages offered when the form is made (an administrator may
    switch one on or off at any time, so the choices are not fixed when the code is loaded). A plain
    RadioField, so the form macro draws it as one."""
    return RadioField(label, choices=language_choices, **kwargs)


def safe_next(target: str | None, default_endpoint: str = "pages.home") -> str:
    """Follow ``next=`` only when it stays on this site, also once its path is percent-decoded:
    a next that would only lead elsewhere decoded ("/%09/evil.example") is never one of ours."""
    if target:
        target = target.strip()
        path = unquote(urlsplit(target).path)
        if _is_local_path(target) and _is_local_path(path):
            return target
    return url_for(default_endpoint)


def _is_local_path(value: str) -> bool:
    parts = urlsplit(value)
    return (
        not parts.scheme
        and not parts.netloc
        and value.startswith("/")
        and not value.startswith("//")
        and "\\" not in value
        and not any(ord(c) < 32 for c in value)
    )


class NextField(HiddenField):
    """Carries ``next=`` through a form post."""

    def _value(self):
        return self.data or request.args.get("next", "")


# WTForms' own messages, so they are in our catalogues: WTForms ships no Nynorsk, and a message
# in English (or Bokmål) on a Nynorsk page is not acceptable.
WTFORMS_MESSAGES = (
    _l("Not a valid choice."),
    _l("Not a valid integer value."),
    _l("This field is required."),
    _l("Invalid input."),
    _l("Invalid email address."),
    _l("Field must be between %(min)d and %(max)d characters long."),
    _l("Not a valid decimal value."),
)


class _Translations:
    """WTForms messages through our catalogues, falling back to WTForms' own."""

    def gettext(self, string):
        translated = gettext(string)
        return translated if translated != string else wtforms_translations.gettext(string)

    def ngettext(self, singular, plural, n):
        return wtforms_translations.ngettext(singular, plural, n)


# Text fields that are not one line: a text area keeps its paragraphs, a password and a hidden
# token are taken exactly as sent.
_MULTI_LINE_OR_EXACT = (TextAreaField, PasswordField, HiddenField)
_bind_field = DefaultMeta.bind_field


def _bind_single_line(meta, form, unbound_field, options):
    """Every single-line text field of every form folds line breaks first (before its own filters):
    one rule here rather than a filter to remember on each title, name and address."""
    field = _bind_field(meta, form, unbound_field, options)
    if isinstance(field, StringField) and not isinstance(field, _MULTI_LINE_OR_EXACT):
        field.filters = (fold_lines, *field.filters)
    return field


def init_app(app) -> None:
    # FlaskForm reads this module-level object for every form; one replacement covers them all.
    flask_wtf.form.translations = _Translations()
    # Every form (FlaskForm or a plain subform) binds its fields through DefaultMeta.
    DefaultMeta.bind_field = _bind_single_line


def show_beside(form, broken) -> None:
    """A service's refusal (``RuleBroken``: a message and the field it names) beside that field of
    ``form``, else flashed at the top of the page. Errors may still be the tuple WTForms starts with."""
    field = getattr(form, broken.field, None) if broken.field else None
    if field is not None:
        field.errors = [*field.errors, broken.message]
    else:
        flash(str(broken.message), "error")
