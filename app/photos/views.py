"""Photo files: never the uploaded bytes, only the renditions made from their pixels."""
from __future__ import annotations

from flask import Blueprint, Response, abort, request
from flask_login import current_user

from app.core.permissions import public
from app.photos import services

bp = Blueprint("photos", __name__, template_folder="templates")

# Public files never change under their name (a new photo gets a new key): browsers keep them a year.
# Shared caches ask again within an hour, so a photo a moderator hides stops being handed out soon.
SHARED_CACHE = "public, max-age=31536000, s-maxage=3600, immutable"
OWN_CACHE = "private, max-age=31536000, immutable"


@bp.get("/photos/<string(length=24):key>-<int:width>.<any(webp, jpg):ext>")
@public   # who may see which photo is decided per photo (services.can_view)
def show(key: str, width: int, ext: str):
    served = services.file_for(key, width, ext, current_user)
    if served is None:
        abort(404)
    response = Response(served.data, mimetype=served.content_type)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Disposition"] = f'inline; filename="photo-{width}.{ext}"'
    if served.shared:
        # A response to a request with cookies may carry one back: kept by the browser alone.
        response.headers["Cache-Control"] = OWN_CACHE if request.cookies else SHARED_CACHE
        request.same_for_everyone = True  # type: ignore[attr-defined]  # read by set_security_headers
    else:
        response.headers["Cache-Control"] = "private, no-store"
        request.personal_page = True  # type: ignore[attr-defined]  # read by set_security_headers
    return response
