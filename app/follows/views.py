"""Follow pages: one click for residents, an email form for visitors, and the secret links
from mail that confirm or stop a follow without logging in."""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from app.core import clients, robots
from app.core.forms import ActionForm, safe_next
from app.core.i18n import current_locale
from app.core.i18n import gettext as _
from app.core.permissions import Permission, has_permission, public
from app.extensions import db
from app.follows import services as following
from app.follows.forms import FollowByEmailForm
from app.meeting_places.services import get_place
from app.organisations.models import OrganisationStatus
from app.organisations.services import get as get_organisation

bp = Blueprint("follows", __name__, template_folder="templates")


def _place_or_404(place_id: int):
    place = get_place(place_id)
    if place is None or place.retired_at is not None:
        abort(404)
    return place


def _organisation_or_404(organisation_id: int):
    organisation = get_organisation(organisation_id)
    if organisation is None or organisation.status != OrganisationStatus.APPROVED or organisation.retired_at is not None:
        abort(404)
    return organisation


def _page(target, back: str, form: FollowByEmailForm | None, status: int = 200, refused=None):
    if form is not None:
        robots.keep_started(form)
    summary = following.summary(target, current_user) if form is None else None
    return render_template("follows/follow.html", target=target, back=back, form=form, summary=summary,
                           refused=refused), status


def _follow(target, back: str):
    """GET: the page to follow ``target``. POST: a resident's click (follow, or unfollow when
    the form says so), or a visitor's email address, which is sent a confirmation link."""
    if current_user.is_authenticated:
        if not has_permission(current_user, Permission.PARTICIPATE):
            abort(403, description="unverified" if current_user.verified_at is None else None)
        if request.method == "GET":
            return _page(target, back, None)
        if not ActionForm().validate_on_submit():
            flash(_("The page had expired. Press the button again."), "error")
        elif request.form.get("unfollow"):
            following.unfollow(target, current_user)
            db.session.commit()
            flash(_("You no longer follow %(name)s.", name=target.name), "success")
            if request.form.get("next"):   # the button on "Min side" leads back there
                return redirect(safe_next(request.form.get("next")))
        else:
            following.follow(target, current_user)
            db.session.commit()
            flash(_("You follow %(name)s. We will email you when it posts a new event.", name=target.name), "success")
        return redirect(back + "#follow")
    form = FollowByEmailForm()
    if request.method == "GET" or not form.validate_on_submit():
        return _page(target, back, form, 400 if form.errors else 200)
    try:
        client = clients.client_key()
        following.check_not_a_robot(form.started.data, form.website.data, client)
        following.ask_by_email(target, form.email.data, current_locale(), client)
        robots.spend(form.started.data)
        db.session.commit()
    except following.FollowRefused as refused:
        db.session.rollback()
        return _page(target, back, form, refused.status, refused=refused.message)
    return redirect(url_for("follows.sent"))


@bp.route("/meeting-places/<int:place_id>/follow", methods=["GET", "POST"])
@public
def place(place_id: int):
    target = _place_or_404(place_id)
    return _follow(target, url_for("meeting_places.show", place_id=target.id))


@bp.route("/organisations/<int:organisation_id>/follow", methods=["GET", "POST"])
@public
def organisation(organisation_id: int):
    target = _organisation_or_404(organisation_id)
    return _follow(target, url_for("organisations.show", organisation_id=target.id))


@bp.route("/follows/sent")
@public
def sent():
    # The same page whether the address is new, waiting for confirmation or already following.
    return render_template("follows/sent.html")


def _link_not_valid():
    return render_template("follows/link_invalid.html"), 404


def _back_to(follow) -> str:
    endpoint, values = following.target_url(follow)
    return url_for(endpoint, **values)


@bp.route("/follows/<token>/confirm", methods=["GET", "POST"])
@public
def confirm(token: str):
    """GET only asks (mail scanners open links); the button confirms."""
    follow = following.find_by_token(token)
    if follow is None:
        return _link_not_valid()
    request.personal_page = True
    name = following.target_of(follow).name
    if follow.confirmed_at is None and ActionForm().validate_on_submit():
        following.confirm(follow)
        db.session.commit()
        flash(_("You follow %(name)s. We will email you when it posts a new event.", name=name), "success")
        return redirect(_back_to(follow))
    return render_template("follows/confirm.html", follow=follow, name=name, back=_back_to(follow)), \
        400 if request.method == "POST" and follow.confirmed_at is None else 200


@bp.route("/follows/<token>/unsubscribe", methods=["GET", "POST"])
@public
def unsubscribe(token: str):
    """GET only shows what stops (mail scanners open links); the button stops it."""
    follow = following.find_by_token(token)
    if follow is None:
        return _link_not_valid()
    request.personal_page = True
    name = following.target_of(follow).name
    if ActionForm().validate_on_submit():
        back = _back_to(follow)
        following.stop(follow)
        db.session.commit()
        flash(_("You no longer follow %(name)s, and we will not email you about its events.", name=name), "success")
        return redirect(back)
    return render_template("follows/unsubscribe.html", name=name), 400 if request.method == "POST" else 200
