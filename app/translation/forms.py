"""The author's own say over the language of their text: one optional choice, "find out from the text"
by default, for every form where people write (ideas, comments, events)."""
from __future__ import annotations

from wtforms import SelectField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Optional

from app.core.i18n import lazy_gettext as _l
from app.translation.languages import WRITTEN, own_name

LANGUAGE_HINT = _l("We find it out from the text. Choose it yourself if we might get it wrong, for a short text.")


def language_field() -> SelectField:
    """Each language in its own name and script, as someone who writes it looks for it. A value that is
    none of them is not refused: the text's language is then found from the text."""
    return SelectField(_l("Language of your text"), validators=[Optional()], validate_choice=False, default="",
                       choices=[SelectChoice("", _l("Find out from the text"))]
                       + [SelectChoice(code, own_name(code), render_kw={"lang": code}) for code in WRITTEN])
