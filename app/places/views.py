""""Which district do I live in?": an address typed, looked up in the address register, and the district
whose boundary holds it.

A GET form, so it works without JavaScript and its answer can be linked to. An answer carries what a
person typed (perhaps their home address), so it is never kept by the page cache or a shared cache
(``personal_page``) and search engines are told not to index or follow it.
"""
from __future__ import annotations

from babel.lists import format_list
from flask import Blueprint, render_template, request, url_for

from app.core import clients, settings
from app.core.i18n import current_locale
from app.core.i18n import gettext as _
from app.core.permissions import public
from app.core.rules import RuleBroken
from app.districts.services import shown_districts, shown_open_districts
from app.places import services
from app.places.forms import FindDistrictForm
from app.places.svgmap import Marker, draw_map

bp = Blueprint("places", __name__, template_folder="templates")


@bp.route("/districts/find")
@public
def find():
    if "address" not in request.args:   # the form's own address opened bare: the empty form
        return _page(FindDistrictForm(formdata=None))
    request.personal_page = True
    form = FindDistrictForm(request.args)
    if not form.validate():
        return _page(form, status=400)
    try:
        places = services.find_districts(form.address.data, clients.client_key())
    except RuleBroken as refused:   # the register is away (503) or this connection has asked too often (429)
        form.address.errors = [*form.address.errors, refused.message]
        return _page(form, status=refused.status, unavailable=True)
    return _page(form, places=places, searched=True)


def _page(form: FindDistrictForm, status: int = 200, places=None, searched: bool = False, unavailable: bool = False):
    places = places or []
    districts = shown_open_districts()
    markers = [Marker(number, place.candidate.lat, place.candidate.lon, place.candidate.label,
                      url_for("districts.show", slug=place.district.slug) if place.district else None,
                      place.district.name if place.district else _("outside the districts"))
               for number, place in enumerate(places, start=1)]
    found_map = draw_map("find-map", _("The districts on a map"),
                         _("The districts' boundaries, with a numbered point for each address found.") if markers
                         else _("The districts' boundaries."), shown_districts(), markers)
    return render_template(
        "places/find.html", form=form, places=places, searched=searched, unavailable=unavailable,
        districts=districts, found_map=found_map,
        # "Lademoen, Tempe-Sorgenfri og Møllenberg": the page's language joins the last name with its "and".
        district_names=format_list([d.name for d in districts], locale=current_locale()), outside=bool(places) and all(p.district is None for p in places),
        municipal_contact_url=settings.get("MUNICIPAL_CONTACT_URL"),
        municipal_contact_phone=settings.get("MUNICIPAL_CONTACT_PHONE"),
    ), status


@bp.after_request
def _not_for_search_engines(response):
    if request.endpoint == "places.find" and "address" in request.args:
        response.headers["X-Robots-Tag"] = "noindex, nofollow"
    return response
