"""The home page, the pages about the service, and the health check."""
from __future__ import annotations

from babel.lists import format_list
from flask import Blueprint, jsonify, redirect, render_template, url_for
from sqlalchemy import text

from app.core import page_cache, settings
from app.core.i18n import current_locale
from app.core.i18n import gettext as _
from app.core.permissions import public
from app.districts.services import shown_effort_areas, shown_open_districts
from app.events.services import next_cards
from app.extensions import db
from app.feedback.forms import ReceiptLookupForm
from app.ideas.services import latest_ideas
from app.places.forms import FindDistrictForm
from app.surveys.services import open_rounds

bp = Blueprint("pages", __name__, template_folder="templates")


@bp.route("/")
@public
def home():
    # The same for everyone: logged-in people get it from the kept parts too.
    return render_template("pages/home.html", content=page_cache.fragment((), "pages/_home.html", _home_content))


def _home_content() -> dict:
    districts = shown_open_districts()  # a retired district leaves the home page
    return {"districts": districts, "effort_areas": shown_effort_areas(), "ideas": latest_ideas(limit=5),
            "events": next_cards(limit=4), "surveys": open_rounds(),
            "district_names": format_list([d.name for d in districts] or ["–"], locale=current_locale()),
            "lookup": ReceiptLookupForm(formdata=None), "find_form": FindDistrictForm(formdata=None)}


@bp.route("/privacy")
@public
def privacy():
    return render_template("pages/privacy.html", translation_service=bool(settings.get("TRANSLATE_URL", None)),
                           feedback_translated=bool(settings.get("FEEDBACK_MACHINE_TRANSLATION")),
                           translation_days=settings.get("MACHINE_TRANSLATION_RETENTION_DAYS"))


@bp.route("/accessibility")
@public
def accessibility():
    return render_template("pages/accessibility.html")


@bp.route("/house-rules")
@public
def house_rules():
    return render_template("pages/house_rules.html", effort_areas=shown_effort_areas(),
                           standing_days=settings.get("REPORT_STANDING_DAYS"))


# The colours of the browser bar and of an app's splash screen: the header's navy on white.
THEME_COLOUR = "#003d6b"
BACKGROUND_COLOUR = "#ffffff"


@bp.route("/manifest.webmanifest")
@public
def manifest():
    """What "Add to home screen" reads: Medvirk's name, colours and icons."""
    def icon(filename: str, size: str, kind: str, purpose: str = "any") -> dict:
        return {"src": url_for("static", filename=f"icons/{filename}"), "sizes": size, "type": kind, "purpose": purpose}

    response = jsonify({
        "name": "Medvirk", "short_name": "Medvirk", "lang": current_locale(), "dir": "ltr",
        "description": _("Have your say in your district"),
        "start_url": url_for("pages.home"), "scope": "/", "display": "standalone",
        "theme_color": THEME_COLOUR, "background_color": BACKGROUND_COLOUR,
        "icons": [icon("medvirk.svg", "any", "image/svg+xml"), icon("icon-192.png", "192x192", "image/png"),
                  icon("icon-512.png", "512x512", "image/png"),
                  icon("maskable-512.png", "512x512", "image/png", "maskable")],
    })
    response.mimetype = "application/manifest+json"
    return response


@bp.route("/favicon.ico")
@public
def favicon():
    # Browsers and feed readers ask for this address whatever a page links: send them to the icon.
    return redirect(url_for("static", filename="icons/favicon-32.png"))


@bp.route("/healthz")
@public
def healthz():
    try:
        db.session.execute(text("SELECT 1"))
    except Exception:
        db.session.rollback()
        return {"status": "unavailable", "database": "down"}, 503
    return {"status": "ok", "database": "up"}, 200
