"""People in the administration: the list, a person's page, roles and districts, invitations,
blocking and unblocking. Thin views over ``app.accounts.administration``."""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy.exc import IntegrityError
from wtforms.fields.choices import SelectChoice

from app.accounts import administration, services
from app.accounts.models import User
from app.admin import actions
from app.admin.blueprint import bp
from app.admin.people_forms import BlockForm, InviteForm, PeopleFilterForm, RoleForm
from app.core import settings
from app.core.forms import ActionForm, show_beside
from app.core.i18n import gettext as _
from app.core.once import create_once
from app.core.params import positive_int
from app.core.permissions import Permission, Role, require
from app.core.rules import RuleBroken
from app.districts.models import District
from app.districts.services import get_district, list_districts
from app.extensions import db

INVITE_KIND = "admin.invite"


def _invitation_hours() -> int:
    return settings.get("SET_PASSWORD_MAX_AGE") // 3600


def _person_or_404(user_id: int) -> User:
    user = db.session.get(User, user_id)
    if user is None:
        abort(404)
    return user


def _district_choices(form, keep: list[District] = ()) -> list[District]:
    """The districts to choose from: those in use, and any retired one the person still has."""
    kept = {d.id for d in keep}
    districts = [d for d in list_districts() if d.retired_at is None or d.id in kept]
    form.districts.choices = [SelectChoice(d.slug, d.name) for d in districts]
    return districts


def _chosen(form, districts: list[District]) -> list[District]:
    wanted = set(form.districts.data or [])
    return [d for d in districts if d.slug in wanted]


# --- the list ----------------------------------------------------------------------------------------------


@bp.get("/people")
@require(Permission.ADMINISTER)
def people():
    form = PeopleFilterForm(request.args)
    form.validate()
    q = form.q.data if not form.q.errors else None
    role = form.role.data if form.role.data in administration.ROLE_LABELS else None
    blocked = {"yes": True, "no": False}.get(form.blocked.data)
    found = administration.find_people(q=q, role=role, blocked=blocked, page=positive_int(request.args.get("page"), 1))
    filters = {"q": q, "role": role, "blocked": form.blocked.data if blocked is not None else None}
    filters = {name: value for name, value in filters.items() if value}
    return render_template("admin/people/index.html", form=form, found=found, filters=filters,
                           role_labels=administration.ROLE_LABELS, days=administration.ACTIVITY_DAYS)


# --- one person -----------------------------------------------------------------------------------------------


def _render_person(user: User, status: int = 200, role_form: RoleForm | None = None,
                   block_form: BlockForm | None = None):
    if role_form is None:
        role_form = RoleForm(formdata=None, data={"role": user.role, "districts": [d.slug for d in user.districts]})
    _district_choices(role_form, user.districts)
    block_form = block_form or BlockForm(formdata=None)
    activity = administration.activity_of([user.id])[user.id]
    return render_template(
        "admin/people/show.html", person=user, role_form=role_form, block_form=block_form, action_form=ActionForm(),
        activity=activity, days=administration.ACTIVITY_DAYS, posting_blocks=administration.posting_blocks(user),
        invitation_pending=administration.invitation_pending(user), role_labels=administration.ROLE_LABELS,
        is_self=user.id == current_user.id, invitation_hours=_invitation_hours(),
    ), status


@bp.get("/people/<int:user_id>")
@require(Permission.ADMINISTER)
def person(user_id: int):
    return _render_person(_person_or_404(user_id))


def _back_to(user: User):
    return redirect(url_for("admin.person", user_id=user.id))


@bp.post("/people/<int:user_id>/role")
@require(Permission.ADMINISTER)
def change_role(user_id: int):
    user = _person_or_404(user_id)
    form = RoleForm()
    districts = _district_choices(form, user.districts)
    if form.validate_on_submit():
        try:
            changed = administration.set_role(user, Role(form.role.data), _chosen(form, districts),
                                              current_user._get_current_object())
        except RuleBroken as broken:
            db.session.rollback()
            user = _person_or_404(user_id)
            show_beside(form, broken)
        else:
            db.session.commit()
            if changed:
                flash(_("%(name)s is now: %(role)s.", name=user.display_name,
                        role=administration.ROLE_LABELS[user.role]), "success")
            else:
                flash(_("Nothing was changed."), "info")
            return _back_to(user)
    return _render_person(user, 400, role_form=form)


def _button(user_id: int, act, done: str):
    """A button on a person's page: do ``act`` and come back, saying what happened."""
    user = _person_or_404(user_id)
    return actions.button(lambda: act(user, current_user._get_current_object()), done, _back_to(user))


@bp.post("/people/<int:user_id>/invitation")
@require(Permission.ADMINISTER)
def resend_invitation(user_id: int):
    return _button(user_id, administration.resend_invitation, _("A new invitation is sent."))


@bp.post("/people/<int:user_id>/verification")
@require(Permission.ADMINISTER)
def resend_verification(user_id: int):
    return _button(user_id, administration.resend_verification, _("A new confirmation link is sent."))


@bp.post("/people/<int:user_id>/block")
@require(Permission.ADMINISTER)
def block(user_id: int):
    user = _person_or_404(user_id)
    form = BlockForm()
    if form.validate_on_submit():
        try:
            administration.block(user, form.reason.data, current_user._get_current_object())
        except RuleBroken as broken:
            db.session.rollback()
            user = _person_or_404(user_id)
            if broken.field is None:  # blocked already (a second click), or oneself: nothing to correct in the form
                flash(str(broken.message), "error")
                return _back_to(user)
            show_beside(form, broken)
        else:
            db.session.commit()
            flash(_("The account is blocked, and its owner is told by email."), "success")
            return _back_to(user)
    return _render_person(user, 400, block_form=form)


@bp.post("/people/<int:user_id>/unblock")
@require(Permission.ADMINISTER)
def unblock(user_id: int):
    return _button(user_id, administration.unblock, _("The account is open again, and its owner is told by email."))


@bp.post("/people/<int:user_id>/districts/<slug>/unblock")
@require(Permission.ADMINISTER)
def lift_posting_block(user_id: int, slug: str):
    district = get_district(slug)
    if district is None:
        abort(404)
    return _button(user_id, lambda user, actor: administration.lift_posting_block(user, district, actor),
                   _("The person may post in %(district)s again.", district=district.name))


# --- inviting staff --------------------------------------------------------------------------------------------


@bp.route("/people/invite", methods=["GET", "POST"])
@require(Permission.ADMINISTER)
def invite():
    form = InviteForm()
    districts = _district_choices(form)
    existing = None
    if form.validate_on_submit():
        try:
            once = create_once(form, INVITE_KIND, lambda: administration.invite(
                form.email.data, form.display_name.data, Role(form.role.data), _chosen(form, districts),
                form.locale.data, current_user._get_current_object()))
        except RuleBroken as refused:  # AlreadyHasAccount names the account, to link to it
            existing = getattr(refused, "user", None)
            show_beside(form, refused)
        except IntegrityError:  # the same address a moment ago: say what is there now
            existing = services.find_by_email(form.email.data)
            form.email.errors = list(form.email.errors) + [_("This email address already has an account.")]
        else:
            if once.new:
                flash(_("The invitation is sent to %(name)s.", name=once.record.display_name), "success")
            user_id = once.record.id if once.new else once.earlier_id
            return redirect(url_for("admin.person", user_id=user_id) if user_id else url_for("admin.people"))
    return render_template("admin/people/invite.html", form=form, existing=existing,
                           hours=_invitation_hours()), 400 if form.errors else 200
