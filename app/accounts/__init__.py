from flask import Blueprint

bp = Blueprint("accounts", __name__, template_folder="templates")

from app.accounts import models, views  # noqa: E402,F401
