"""Organisation pages: the list, one organisation, applying, and members."""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy.exc import IntegrityError
from wtforms.fields.choices import SelectChoice

from app.core import page_cache
from app.core.forms import ActionForm, show_beside
from app.core.i18n import gettext as _
from app.core.once import create_once
from app.core.permissions import Permission, public, require
from app.districts.services import open_districts
from app.events.services import next_cards
from app.extensions import db
from app.follows import services as following
from app.organisations import services
from app.organisations.forms import ApplyForm, MemberForm
from app.organisations.models import OrganisationStatus

bp = Blueprint("organisations", __name__, template_folder="templates")


@bp.route("/")
@public
def index():
    return render_template("organisations/index.html", organisations=services.list_approved())


def _visible(organisation_id: int):
    organisation = services.get(organisation_id)
    if organisation is None or not services.can_view(organisation, current_user):
        abort(404)
    return organisation


@bp.route("/<int:organisation_id>")
@public
def show(organisation_id: int):
    organisation = services.get(organisation_id)
    if organisation is not None and organisation.merged_into_id is not None:
        # A duplicate merged into another organisation: its old address leads there for good.
        return redirect(url_for("organisations.show", organisation_id=organisation.merged_into_id), 301)
    if organisation is None or not services.can_view(organisation, current_user):
        abort(404)
    active = organisation.status == OrganisationStatus.APPROVED and organisation.retired_at is None
    follow = following.summary(organisation, current_user) if active else None
    # What everyone who may see it sees is kept (for logged-in people too); following and the members' part
    # are the person's own.
    content = page_cache.fragment((organisation.id,), "organisations/_show.html", lambda: {
        "organisation": organisation, "events": next_cards(limit=10, organisation_id=organisation.id)})
    return render_template("organisations/show.html", organisation=organisation, follow=follow, content=content)


@bp.route("/apply", methods=["GET", "POST"])
@require(Permission.PARTICIPATE)
def apply():
    districts = open_districts()
    form = ApplyForm()
    form.districts.choices = [SelectChoice(d.slug, d.name) for d in districts]
    if not form.validate_on_submit():
        return render_template("organisations/apply.html", form=form), 400 if form.errors else 200
    chosen = [d for d in districts if d.slug in (form.districts.data or [])]
    try:
        once = create_once(form, "organisation", lambda: services.apply(
            current_user, form.name.data, form.description.data, form.contact_email.data, chosen, form.language.data))
    except services.OrganisationError as error:
        getattr(form, error.field).errors.append(error.message)
        return render_template("organisations/apply.html", form=form), 400
    except IntegrityError:
        return redirect(url_for("organisations.index"))
    if not once.new:
        return redirect(url_for("organisations.show", organisation_id=once.earlier_id))
    flash(_("Thank you! A moderator will look at the application and tell you by email."), "success")
    return redirect(url_for("organisations.show", organisation_id=once.record.id))


def _members_page(organisation, form, status=200):
    return render_template("organisations/members.html", organisation=organisation, form=form), status


@bp.route("/<int:organisation_id>/members", methods=["GET", "POST"])
@require(Permission.PARTICIPATE)
def members(organisation_id: int):
    organisation = _visible(organisation_id)
    if not organisation.is_member(current_user) or organisation.status != OrganisationStatus.APPROVED:
        abort(403)
    request.personal_page = True
    form = MemberForm()
    if form.validate_on_submit():
        try:
            services.invite_member(organisation, form.email.data, current_user)
            db.session.commit()
        except services.OrganisationError as error:
            db.session.rollback()
            show_beside(form, error)
            return _members_page(services.get(organisation_id), form, error.status)
        # The same answer for every address: it tells nothing of who has an account.
        flash(_("An invitation has been sent to %(email)s. The person becomes a member when they accept it, "
                "logged in with that address.", email=form.email.data), "success")
        return redirect(url_for("organisations.members", organisation_id=organisation_id))
    return _members_page(organisation, form, 400 if form.errors else 200)


def _invitation_or_404(token: str):
    invitation = services.find_invitation(token)
    if invitation is None:
        abort(404)
    request.personal_page = True
    return invitation


@bp.route("/invitations/<token>", methods=["GET", "POST"])
@require(Permission.PARTICIPATE)
def invitation(token: str):
    """Opening the link changes nothing (mail scanners open links too); pressing the button joins."""
    found = _invitation_or_404(token)
    form = ActionForm()
    if not services.is_invited(found, current_user):
        return render_template("organisations/invitation.html", invitation=found, form=form,
                               refused=services.WRONG_ADDRESS), 403
    if request.method == "POST":
        if not form.validate_on_submit():
            flash(_("The page had expired. Press the button again."), "error")
            return redirect(request.path)
        try:
            organisation = services.accept_invitation(found, current_user)
            db.session.commit()
        except services.OrganisationError as error:
            db.session.rollback()
            return render_template("organisations/invitation.html", invitation=found, form=form,
                                   refused=error.message), error.status
        flash(_("Welcome! You are now an organiser of %(name)s.", name=organisation.name), "success")
        return redirect(url_for("organisations.show", organisation_id=organisation.id))
    return render_template("organisations/invitation.html", invitation=found, form=form, refused=None)


@bp.route("/<int:organisation_id>/members/<int:user_id>/remove", methods=["POST"])
@require(Permission.PARTICIPATE)
def remove_member(organisation_id: int, user_id: int):
    organisation = _visible(organisation_id)
    if not ActionForm().validate_on_submit():
        flash(_("The page had expired. Press the button again."), "error")
        return redirect(url_for("organisations.members", organisation_id=organisation_id))
    try:
        services.remove_member(organisation, user_id, current_user)
        db.session.commit()
    except services.OrganisationError as error:
        db.session.rollback()
        flash(str(error.message), "error")
        return redirect(url_for("organisations.members", organisation_id=organisation_id))
    if user_id == current_user.id:
        flash(_("You have left the organisation."), "success")
        return redirect(url_for("organisations.show", organisation_id=organisation_id))
    flash(_("The member is removed."), "success")
    return redirect(url_for("organisations.members", organisation_id=organisation_id))
