from flask import Blueprint

bp = Blueprint("districts", __name__, template_folder="templates")

from app.districts import models, views  # noqa: E402,F401
