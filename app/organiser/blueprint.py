"""The organiser's blueprint. Its pages are in two modules (``events``: making and editing events;
``views``: participants, attendance, export and messages); ``views`` gathers them."""
from __future__ import annotations

from flask import Blueprint

bp = Blueprint("organiser", __name__, template_folder="templates")


def _menu(user) -> list:
    from app.core.i18n import lazy_gettext as _l
    from app.organiser import services

    return [("organiser.index", _l("My events"))] if services.organises(user) else []


@bp.record_once
def _add_to_menu(state) -> None:
    from app.core.templating import add_personal_nav

    add_personal_nav(state.app, _menu)
