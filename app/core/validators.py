"""Validators every domain's forms share."""
from __future__ import annotations

import unicodedata

from wtforms.validators import ValidationError

from app.core.i18n import lazy_gettext as _l


def no_control_characters(form, field) -> None:
    """Refuse NUL and other invisible control characters (line breaks are allowed)."""
    value = field.data or ""
    if any(unicodedata.category(c) == "Cc" and c not in "\n\r\t" for c in value):
        raise ValidationError(_l("Remove the invisible control characters from this text."))


def strip_text(value):
    return value.strip() if isinstance(value, str) else value
