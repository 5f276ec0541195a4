"""Meeting places (sosiale møteplasser) in each district: where residents meet and events happen."""
from flask import Blueprint

bp = Blueprint("meeting_places", __name__, template_folder="templates")

from app.meeting_places import models, views  # noqa: E402,F401
