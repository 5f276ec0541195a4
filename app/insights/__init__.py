from flask import Blueprint

bp = Blueprint("insights", __name__, template_folder="templates")

from app.insights import views  # noqa: E402,F401
