"""Moderation: the triage queue, actions on one item, routing suggestions, audit log."""
from flask import Blueprint

bp = Blueprint("moderation", __name__, template_folder="templates")

from app.moderation import models, views  # noqa: E402,F401
