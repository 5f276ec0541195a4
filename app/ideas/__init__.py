from flask import Blueprint

bp = Blueprint("ideas", __name__, template_folder="templates")

from app.ideas import models, views  # noqa: E402,F401
