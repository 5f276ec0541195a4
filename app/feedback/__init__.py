from flask import Blueprint

bp = Blueprint("feedback", __name__, template_folder="templates")

from app.feedback import models, views  # noqa: E402,F401
