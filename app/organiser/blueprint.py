"""The organiser's blueprint. Its pages are in two modules (``events``: making and editing events;
``views``: participants, attendance, export and messages); ``views`` gathers them."""
from __future__ import annotations

from flask import Blueprint

bp = Blueprint("organiser", __name__, template_folder="templates")
