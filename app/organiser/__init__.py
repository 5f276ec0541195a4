"""The organiser's pages: their events, the participant lists, attendance, export and messages."""
from flask import Blueprint

bp = Blueprint("organiser", __name__, template_folder="templates")

from app.organiser import events, views  # noqa: E402,F401
