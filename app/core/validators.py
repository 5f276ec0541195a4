"""Validators every domain's forms share."""
from __future__ import annotations

import re
import unicodedata

from wtforms.validators import ValidationError

from app.core.i18n import lazy_gettext as _l


def has_control_characters(value: str) -> bool:
    """NUL and other invisible control characters (line breaks and tabs are text)."""
    return any(unicodedata.category(c) == "Cc" and c not in "\n\r\t" for c in value)


def no_control_characters(form, field) -> None:
    """Refuse NUL and other invisible control characters (line breaks are allowed)."""
    if has_control_characters(field.data or ""):
        raise ValidationError(_l("Remove the invisible control characters from this text."))


def strip_text(value):
    return value.strip() if isinstance(value, str) else value


# Every character a mail header, a log line or a CSV row would take as the end of a line.
_LINE_BREAKS = re.compile(r"[\r\n\v\f\x1c-\x1e\x85\u2028\u2029]+")


def fold_lines(value):
    """One line of text: each run of line breaks becomes one space. A title or a name is shown in
    one line and goes into mail subjects, where a line break would end the header (and the mail)."""
    return _LINE_BREAKS.sub(" ", value) if isinstance(value, str) else value
