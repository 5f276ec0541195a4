"""Photo files: never the uploaded bytes, only the renditions made from their pixels."""
from __future__ import annotations

from flask import Blueprint, Response, abort, flash, redirect, render_template, request
from flask_login import current_user
from sqlalchemy.exc import IntegrityError

from app.core.forms import show_beside
from app.core.i18n import gettext as _
from app.core.permissions import Permission, public, require
from app.core.rules import RuleBroken
from app.extensions import db
from app.ideas.forms import ReportForm
from app.moderation import reports
from app.photos import review, services

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


@bp.route("/photos/<string:key>/report", methods=["GET", "POST"])
@require(Permission.PARTICIPATE)
def report(key: str):
    """Tell a moderator about a photo anyone may see: the report flow of posts, for a photo."""
    photo = review.public_photo(key)
    if photo is None:
        abort(404)
    back = review.page_of(photo)
    form = ReportForm()
    if form.validate_on_submit():
        try:
            reports.report_photo(photo, current_user, form.reason.data, form.details.data)
        except RuleBroken as error:
            db.session.rollback()
            if not error.field:
                flash(str(error.message), "info")
                return redirect(back)
            show_beside(form, error)
            return render_template("photos/report.html", form=form, photo=photo, back=back), error.status
        try:
            db.session.commit()
        except IntegrityError:
            db.session.rollback()   # the same report sent twice at once: the first one counts
        flash(_("Thank you. A moderator will look at what you reported."), "success")
        return redirect(back)
    return render_template("photos/report.html", form=form, photo=photo, back=back), 400 if form.errors else 200
