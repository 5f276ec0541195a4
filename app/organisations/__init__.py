"""Volunteer organisations: they apply, a moderator approves, and their members become organisers."""
from flask import Blueprint

bp = Blueprint("organisations", __name__, template_folder="templates")

from app.organisations import models, views  # noqa: E402,F401
