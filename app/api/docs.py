"""The API described for people: a page of the site, in its layout and languages, read from the OpenAPI
document. It lives outside /api/, where every answer is JSON for programs."""
from __future__ import annotations

from flask import Blueprint, render_template

from app.api import openapi, reference
from app.core.permissions import public
from app.core.urls import site_url
from app.districts.services import list_districts, list_effort_areas

bp = Blueprint("api_docs", __name__, template_folder="templates")


@bp.get("/open-data")
@public
def reference_page():
    document = openapi.document([d.slug for d in list_districts()], [a.number for a in list_effort_areas()])
    return render_template("api/reference.html", info=document["info"], tags=document["tags"],
                           operations=reference.operations(document),
                           index_url=site_url("api.index"), openapi_url=site_url("api.openapi_document"))
