"""Events of volunteer organisations: listing, registration with a waitlist, calendar files."""
from flask import Blueprint

bp = Blueprint("events", __name__, template_folder="templates")

from app.events import models, views  # noqa: E402,F401
