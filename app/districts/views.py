"""District pages and effort area pages."""
from __future__ import annotations

from flask import Blueprint, abort, render_template, request, url_for

from app.core import page_cache, posters
from app.core.i18n import gettext as _
from app.core.permissions import public
from app.core.qr import qr_svg
from app.core.urls import site_url
from app.districts import services
from app.events.services import next_cards
from app.ideas.services import YOU_SAID_PER_STATUS, latest_ideas, you_said_we_did
from app.places import maps
from app.places.forms import FindDistrictForm

bp = Blueprint("districts", __name__, template_folder="templates")


@bp.route("/districts/")
@public
def index():
    every = services.shown_districts()
    return render_template("districts/index.html", districts=[d for d in every if d.active],
                           retired=[d for d in every if not d.active], find_form=FindDistrictForm(formdata=None))


@bp.route("/districts/<slug>")
@public
def show(slug: str):
    district = services.shown_district(slug)
    if district is None:
        abort(404)
    # The same for everyone: logged-in people get it from the kept parts too.
    return render_template("districts/show.html", district=district, content=page_cache.fragment(
        (district.slug,), "districts/_show.html", lambda: _show_content(district)))


def _show_content(district) -> dict:
    events = next_cards(district=district)
    return {"district": district, "effort_areas": services.shown_effort_areas(), "ideas": latest_ideas(district=district),
            "outcomes": you_said_we_did(district=district, per_status=YOU_SAID_PER_STATUS), "events": events,
            "district_map": maps.district_map(district, events)}


@bp.route("/districts/<slug>/poster")
@public
def poster(slug: str):
    district = services.shown_district(slug)
    if district is None or not district.active:
        abort(404)  # a retired district takes nothing new: nothing to invite people to
    url = site_url("districts.show", slug=district.slug)
    return render_template("districts/poster.html", district=district, url=url, qr=qr_svg(url),
                           cards=next_cards(limit=posters.EVENTS, district=district),
                           back_url=url_for("districts.show", slug=district.slug),
                           call_to_action=_("Ideas, events and meeting places in %(district)s on Medvirk:", district=district.name))


@bp.route("/effort-areas/<int:number>")
@public
def effort_area(number: int):
    area = next((a for a in services.shown_effort_areas() if a.number == number), None)
    if area is None:
        abort(404)
    districts = services.shown_districts()
    district = next((d for d in districts if d.slug == request.args.get("district")), None)
    return render_template(
        "districts/effort_area.html", area=area, effort_areas=services.shown_effort_areas(), districts=districts,
        district=district, outcomes=you_said_we_did(area=area, district=district),
    )
