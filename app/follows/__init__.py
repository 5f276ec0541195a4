"""Following meeting places and organisations: the button, the email form for visitors,
and the confirm and stop links that work without an account."""
from flask import Blueprint

bp = Blueprint("follows", __name__, template_folder="templates")

from app.follows import views  # noqa: E402,F401
