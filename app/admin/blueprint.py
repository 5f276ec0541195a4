"""The administration's blueprint and its menu. Its pages are spread over a module per section
(``districts``, ``organisations``, ``outbox``, ``people``, ``places``, ``settings``, ``surveys``); ``views`` gathers them."""
from __future__ import annotations

from flask import Blueprint

from app.core.i18n import lazy_gettext as _l

bp = Blueprint("admin", __name__, template_folder="templates")

# The sections, in the order of the menu on every admin page: (endpoint, label, what it is for).
SECTIONS = (
    ("admin.people", _l("People"), _l("Find people, give and take away roles, invite staff, block and unblock.")),
    ("admin.districts", _l("Districts and effort areas"), _l("Names, descriptions and sub-themes in three languages; add or retire a district.")),
    ("admin.places", _l("Meeting places"), _l("Edit, merge duplicates and retire meeting places.")),
    ("admin.organisations", _l("Organisations"), _l("Members and events; edit, merge duplicates and retire.")),
    ("admin.settings", _l("Settings"), _l("Pre-moderation, reports before hiding, how long data is kept, contact details.")),
    ("admin.surveys_index", _l("Area survey"), _l("Surveys, their rounds, codes and invitations; who runs them.")),
    ("admin.mail", _l("Mail"), _l("What was sent, what waits and what failed; send failed mail again.")),
    ("moderation.audit", _l("Audit log"), _l("Every action by a moderator or an admin.")),
)
