"""The home page, the pages about the service, and the health check."""
from __future__ import annotations

from babel.lists import format_list
from flask import Blueprint, render_template
from sqlalchemy import text

from app.core import settings
from app.core.i18n import current_locale
from app.core.permissions import public
from app.districts.services import shown_effort_areas, shown_open_districts
from app.events.services import next_events
from app.extensions import db
from app.ideas.services import latest_ideas

bp = Blueprint("pages", __name__, template_folder="templates")


@bp.route("/")
@public
def home():
    districts = shown_open_districts()  # a retired district leaves the home page
    return render_template(
        "pages/home.html", districts=districts, effort_areas=shown_effort_areas(), ideas=latest_ideas(limit=5),
        events=next_events(limit=4), district_names=format_list([d.name for d in districts] or ["–"], locale=current_locale()),
    )


@bp.route("/privacy")
@public
def privacy():
    return render_template("pages/privacy.html")


@bp.route("/accessibility")
@public
def accessibility():
    return render_template("pages/accessibility.html")


@bp.route("/house-rules")
@public
def house_rules():
    return render_template("pages/house_rules.html", effort_areas=shown_effort_areas(),
                           standing_days=settings.get("REPORT_STANDING_DAYS"))


@bp.route("/healthz")
@public
def healthz():
    try:
        db.session.execute(text("SELECT 1"))
    except Exception:
        db.session.rollback()
        return {"status": "unavailable", "database": "down"}, 503
    return {"status": "ok", "database": "up"}, 200
