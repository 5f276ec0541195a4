"""What statuses and reasons are called, in the reader's language."""
from __future__ import annotations

from app.core.i18n import lazy_gettext as _l

# In the resident's words: what has happened to what they sent, not how the municipality files it.
STATUS_LABELS = {
    "new": _l("Received"),
    "routed": _l("Sent to the right team"),
    "in_progress": _l("We are working on it"),
    "answered": _l("Answered – see the answer"),
    "done": _l("Carried out"),
    "not_pursued": _l("Not for now – see the answer"),
}

STATUS_EXPLANATIONS = {
    "new": _l("We have received it. A moderator from the municipality has not looked at it yet."),
    "routed": _l("A moderator has read it and sent it on to the people in the municipality who work with this."),
    "in_progress": _l("The municipality or its partners are working on this."),
    "answered": _l("The municipality has answered. Read the answer below."),
    "done": _l("This has been carried out."),
    "not_pursued": _l("The municipality will not take this further. The answer below explains why."),
}

REASON_LABELS = {
    "personal_data": _l("It shares personal information about someone"),
    "harassment": _l("Harassment or a personal attack"),
    "hate_speech": _l("Hate speech or discrimination"),
    "spam": _l("Advertising or spam"),
    "off_topic": _l("It has nothing to do with the district"),
    "illegal": _l("Threats or other illegal content"),
    "other": _l("Something else"),
}

# Shorter names of the same categories, for "hidden by a moderator: <category>".
HIDDEN_REASON_LABELS = {
    "personal_data": _l("personal information"),
    "harassment": _l("harassment"),
    "hate_speech": _l("hate speech"),
    "spam": _l("spam"),
    "off_topic": _l("off topic"),
    "illegal": _l("illegal content"),
    "other": _l("breaks the house rules"),
}


def init_app(app) -> None:
    app.jinja_env.globals.update(
        status_label=lambda status: STATUS_LABELS.get(status, status),
        status_explanation=lambda status: STATUS_EXPLANATIONS.get(status, ""),
        hidden_reason_label=lambda reason: HIDDEN_REASON_LABELS.get(reason or "other", HIDDEN_REASON_LABELS["other"]),
    )
