"""Moderation pages: the queue, one item with its actions, the audit log and answer templates."""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm.exc import StaleDataError
from wtforms.fields.choices import SelectChoice

from app.accounts.models import User
from app.core.i18n import gettext as _
from app.core.models import AuditEntry
from app.core.params import positive_int
from app.core.permissions import Permission, require, writes_on_get
from app.core.rules import Conflict, RuleBroken
from app.districts.models import SubTheme
from app.districts.services import get_effort_area, list_districts, list_effort_areas
from app.extensions import db
from app.feedback.models import Feedback
from app.ideas.models import Comment, Idea
from app.moderation import audit_labels, bp, routing, services
from app.moderation.forms import (
    AssignForm,
    AuditFilterForm,
    BlockForm,
    BulkForm,
    DuplicateForm,
    EditTextForm,
    HideForm,
    MailAnswerForm,
    NoteForm,
    QueueFilterForm,
    RouteForm,
    StatusForm,
    TemplateForm,
    VersionedForm,
)
from app.organisations.forms import DeclineForm
from app.submissions.labels import STATUS_LABELS
from app.submissions.models import Report, ReviewRequest

AUDIT_PER_PAGE = 50
SUBMISSION_CLASSES = ("Idea", "Feedback", "Comment", "Report", "ReviewRequest")


@bp.record_once
def _queue_kinds(state) -> None:
    """The kinds table for templates, also inside imported macros (which see globals, not the context)."""
    from app.moderation import audit_labels
    from app.moderation.kinds import KINDS

    state.app.jinja_env.globals["queue_kinds"] = KINDS
    audit_labels.init_app(state.app)


def _personal() -> None:
    request.personal_page = True  # feedback text and contact details: never cached


def _colleagues(districts_of: list[int] | None) -> list[User]:
    """Moderators who could take an item in these districts (all staff for an admin's view)."""
    from app.accounts.models import moderator_districts

    stmt = select(User).where(User.role.in_(("moderator", "admin")), User.blocked_at.is_(None)).order_by(User.display_name)
    if districts_of is not None:
        stmt = stmt.where((User.role == "admin") | User.id.in_(
            select(moderator_districts.c.user_id).where(moderator_districts.c.district_id.in_(districts_of))))
    return list(db.session.scalars(stmt))


def _area_choices(areas, blank=None):
    choices = [SelectChoice("", blank)] if blank else []
    return choices + [SelectChoice(str(a.number), f"{a.number}. {a.title}") for a in areas]


# --- the queue --------------------------------------------------------------------------------------


@bp.route("/")
@require(Permission.MODERATE)
def index():
    _personal()
    scope = services.district_ids(current_user)
    districts = [d for d in list_districts() if scope is None or d.id in scope]
    areas = list_effort_areas()
    colleagues = _colleagues(scope)
    form = QueueFilterForm(request.args)
    form.district.choices = [SelectChoice("", _("All my districts"))] + [SelectChoice(d.slug, d.name) for d in districts]
    form.area.choices = _area_choices(areas, _("Any effort area"))
    form.status.choices = [SelectChoice("", _("Any status"))] + [SelectChoice(k, v) for k, v in STATUS_LABELS.items()]
    form.assignee.choices = [SelectChoice("", _("Anyone")), SelectChoice("me", _("Me")), SelectChoice("none", _("Nobody"))] + [
        SelectChoice(str(u.id), u.display_name) for u in colleagues if u.id != current_user.id]
    filters = services.QueueFilters(
        kind=request.args.get("kind") if request.args.get("kind") in services.KINDS else None,
        district=next((d for d in districts if d.slug == request.args.get("district")), None),
        area=next((a for a in areas if str(a.number) == request.args.get("area")), None),
        status=request.args.get("status") or None,
        old_only=request.args.get("age") == "old",
        assignee=request.args.get("assignee") if request.args.get("assignee") in ("me", "none")
        else str(positive_int(request.args.get("assignee"))) if positive_int(request.args.get("assignee")) else None,
        page=positive_int(request.args.get("page"), 1),
    )
    page = services.queue(current_user, filters)
    bulk = BulkForm()
    bulk.area.choices = _area_choices(areas, _("Choose an effort area"))
    bulk.assignee.choices = [SelectChoice("", _("Nobody"))] + [SelectChoice(str(u.id), u.display_name) for u in colleagues]
    args = {k: v for k, v in request.args.items() if k not in ("page",) and v}
    return render_template("moderation/index.html", page=page, form=form, bulk=bulk, args=args,
                           kinds=services.KINDS, is_old=services.is_old)


@bp.route("/bulk", methods=["POST"])
@require(Permission.MODERATE)
def bulk():
    form = BulkForm()
    areas = list_effort_areas()
    form.area.choices = _area_choices(areas, "-")
    form.assignee.choices = [SelectChoice("", "-")] + [SelectChoice(str(u.id), u.display_name)
                                                       for u in _colleagues(services.district_ids(current_user))]
    back = redirect(request.referrer if (request.referrer or "").startswith(request.host_url) else url_for("moderation.index"))
    ids = [n for n in map(positive_int, request.form.getlist("item")) if n][: services.PER_PAGE]
    if not form.validate_on_submit() or not ids:
        flash(_("Choose at least one item and what to do with them."), "error")
        return back
    items = list(db.session.scalars(select(services.ANY_ITEM).where(services.ANY_ITEM.id.in_(ids))))
    area = get_effort_area(positive_int(form.area.data)) if positive_int(form.area.data) else None
    assignee = db.session.get(User, positive_int(form.assignee.data)) if positive_int(form.assignee.data) else None
    if any(not services.can_moderate(current_user, item) for item in items):
        abort(403)
    done, skipped = 0, 0
    for item in items:
        try:
            # A bulk action only does what the queue showed was needed, so a stale page changes nothing
            # another moderator has decided in the meantime.
            if form.action.data == "route":
                if area is None:
                    raise RuleBroken(_("Choose an effort area."))
                if item.effort_area_id is not None:
                    raise RuleBroken("already routed")
                services.route(item, area, [], current_user, None)
            elif form.action.data == "assign":
                services.assign(item, assignee, current_user, None)
            else:
                if item.hidden_at is not None:
                    raise RuleBroken("already hidden")
                services.hide(item, form.reason.data or "other", None, current_user, None)
            done += 1
        except RuleBroken:
            skipped += 1
    try:
        db.session.commit()
    except StaleDataError:
        db.session.rollback()
        flash(_("Someone else changed one of these items at the same time. Nothing was changed; look again and retry."), "error")
        return back
    flash(_("Done for %(done)d items; %(skipped)d could not take that action.", done=done, skipped=skipped), "success")
    return back


# --- one item -------------------------------------------------------------------------------------------


def _item_or_403(kind: str, item_id: int):
    item = services.get_item(kind, item_id)
    if item is None:
        abort(404)
    if not services.can_moderate(current_user, item):
        abort(403)
    return item


def _set_choices(form, action: str, item, areas) -> None:
    """The same labelled choices whether a form is shown fresh or given back with errors."""
    if action == "route":
        form.area.choices = _area_choices(areas, _("Choose an effort area"))
        form.sub_themes.choices = [SelectChoice(t.slug, f"{a.number}. {t.label}") for a in areas for t in a.sub_themes]
    elif action == "status":
        form.status.choices = [SelectChoice(s, STATUS_LABELS[s]) for s in services.SETTABLE_STATUSES]
    elif action == "assign":
        form.assignee.choices = [SelectChoice("", _("Nobody"))] + [
            SelectChoice(str(u.id), u.display_name) for u in _colleagues([item.district_id])]


def _forms(item, areas, **override):
    version = str(item.version)
    route = RouteForm(prefix="route", formdata=None, version=version,
                      area=str(item.effort_area.number) if item.effort_area else None,
                      sub_themes=[t.slug for t in item.sub_themes])
    _set_choices(route, "route", item, areas)
    template_id = positive_int(request.args.get("template"))
    template = None
    if template_id:
        from app.moderation.models import AnswerTemplate

        template = db.session.get(AnswerTemplate, template_id)
    status = StatusForm(prefix="status", formdata=None, version=version, status=item.status if item.status != "new" else "routed",
                        answer=template.body if template else None)
    _set_choices(status, "status", item, areas)
    assign = AssignForm(prefix="assign", formdata=None, version=version, assignee=str(item.assigned_to_id or ""))
    _set_choices(assign, "assign", item, areas)
    forms = {
        "route_form": route, "status_form": status, "note_form": NoteForm(prefix="note", formdata=None),
        "assign_form": assign,
        "duplicate_form": DuplicateForm(prefix="duplicate", formdata=None, version=version),
        "hide_form": HideForm(prefix="hide", formdata=None, version=version),
        "edit_form": EditTextForm(prefix="edit", formdata=None, version=version, title=getattr(item, "title", None),
                                  body=getattr(item, "body", None)),
        "block_form": BlockForm(prefix="block", formdata=None), "mail_form": MailAnswerForm(prefix="mail", formdata=None),
        "version_form": VersionedForm(prefix="v", formdata=None, version=version),
        "decline_form": DeclineForm(prefix="decline", formdata=None),
    }
    forms.update(override)
    return forms


def _render_item(item, status_code: int = 200, **override):
    _personal()
    areas = list_effort_areas()
    suggestions = routing.model().suggest(services.text_for_routing(item)) if isinstance(item, (Idea, Feedback)) else []
    area_titles = {a.number: a.title for a in areas}
    return render_template(
        "moderation/item.html", item=item, areas=areas, suggestions=suggestions, area_titles=area_titles,
        notes=services.notes_for(item), reports=services.reports_on(item),
        templates=services.templates_for(item.effort_area), is_old=services.is_old,
        is_idea=isinstance(item, Idea), is_feedback=isinstance(item, Feedback), is_comment=isinstance(item, Comment),
        is_report=isinstance(item, Report), is_review=isinstance(item, ReviewRequest),
        decision=services.QUEUE_KINDS[item.kind].decision,
        **_forms(item, areas, **override),
    ), status_code


KIND_CONVERTER = "any(" + ", ".join(services.KINDS) + "):kind"


@bp.route(f"/items/<{KIND_CONVERTER}>/<int:item_id>")
@require(Permission.MODERATE)
@writes_on_get
def item(kind: str, item_id: int):
    found = _item_or_403(kind, item_id)
    if services.note_reading(found, current_user):
        db.session.commit()
    return _render_item(found)


ACTIONS = ("route", "status", "note", "assign", "duplicate", "hide", "restore", "approve", "edit", "dismiss",
           "uphold", "block", "mail", "restore-target", "keep-hidden", "accept", "decline")


@bp.route(f"/items/<{KIND_CONVERTER}>/<int:item_id>/<any(" + ", ".join(f'"{a}"' for a in ACTIONS) + "):action>",
          methods=["POST"])
@require(Permission.MODERATE)
def act(kind: str, item_id: int, action: str):
    item = _item_or_403(kind, item_id)
    form_class, form_name = {
        "route": (RouteForm, "route_form"), "status": (StatusForm, "status_form"), "note": (NoteForm, "note_form"),
        "assign": (AssignForm, "assign_form"), "duplicate": (DuplicateForm, "duplicate_form"),
        "hide": (HideForm, "hide_form"), "edit": (EditTextForm, "edit_form"), "block": (BlockForm, "block_form"),
        "mail": (MailAnswerForm, "mail_form"), "decline": (DeclineForm, "decline_form"),
    }.get(action, (VersionedForm, "version_form"))
    form = form_class(prefix=form_name.removesuffix("_form") if form_name != "version_form" else "v")  # as in _forms()
    areas = list_effort_areas()
    _set_choices(form, action, item, areas)
    if not form.validate_on_submit():
        return _render_item(item, 400, **{form_name: form})
    seen = getattr(form, "seen_version", None)
    try:
        message = _do(action, item, form, seen)
        db.session.commit()
    except (Conflict, StaleDataError):
        db.session.rollback()
        flash(_("Someone else changed this item while you were looking at it. Here is how it is now; check it and try again."), "error")
        current = services.get_item(kind, item_id)
        if hasattr(form, "version"):
            form.version.data = str(current.version)  # what was typed stays; sending it again now acts on the new state
        return _render_item(current, 409, **{form_name: form})
    except RuleBroken as error:
        db.session.rollback()
        item = services.get_item(kind, item_id)
        if error.field and hasattr(form, error.field):
            getattr(form, error.field).errors.append(error.message)
            return _render_item(item, 400, **{form_name: form})
        flash(str(error.message), "error")
        return _render_item(item, 400, **{form_name: form})
    flash(message, "success")
    return redirect(url_for("moderation.item", kind=kind, item_id=item_id))


def _do(action: str, item, form, seen) -> str:
    actor = current_user._get_current_object()
    if action == "route":
        area = get_effort_area(positive_int(form.area.data)) if positive_int(form.area.data) else None
        if area is None:
            raise RuleBroken(_("Choose an effort area."), field="area")
        themes = list(db.session.scalars(select(SubTheme).where(SubTheme.slug.in_(form.sub_themes.data or []))))
        services.route(item, area, themes, actor, seen)
        return _("Routed to effort area %(number)d.", number=area.number)
    if action == "status":
        services.set_status(item, form.status.data, form.answer.data, actor, seen)
        return _("The status is saved.")
    if action == "note":
        services.add_note(item, form.body.data, actor)
        return _("The note is added.")
    if action == "assign":
        assignee = db.session.get(User, positive_int(form.assignee.data)) if positive_int(form.assignee.data) else None
        services.assign(item, assignee, actor, seen)
        return _("Assigned.")
    if action == "duplicate":
        services.mark_duplicate(item, form.original.data, actor, seen)
        return _("Marked as a duplicate.")
    if action == "hide":
        services.hide(item, form.reason.data, form.explanation.data, actor, seen)
        return _("Hidden. The author has been told why.")
    if action == "restore":
        services.restore(item, actor, seen)
        return _("Shown again.")
    if action == "approve":
        services.approve(item, actor, seen)
        return _("Approved and published.")
    if action == "edit":
        services.edit_text(item, form.title.data, form.body.data, actor, seen)
        return _("The text is changed and marked as edited by a moderator.")
    if action in ("dismiss", "uphold"):
        if not isinstance(item, Report):
            abort(404)
        services.close_report(item, action == "uphold", actor, seen)
        return _("The report is closed.")
    if action in ("restore-target", "keep-hidden"):
        if not isinstance(item, ReviewRequest):
            abort(404)
        services.close_review(item, action == "restore-target", actor, seen)
        return _("The review request is closed.")
    if action in ("accept", "decline"):
        decision = services.QUEUE_KINDS[item.kind].decision
        if decision is None:
            abort(404)
        decision.decide(item, action == "accept", getattr(form, "reason", None) and form.reason.data, actor)
        return str(decision.accepted if action == "accept" else decision.declined)
    if action == "block":
        services.block_author(item, form.reason.data, actor)
        return _("The author can no longer post in this district.")
    if action == "mail":
        if not isinstance(item, Feedback):
            abort(404)
        services.answer_feedback_by_mail(item, form.message.data, actor)
        return _("The email is on its way.")
    abort(404)


# --- audit log and answer templates -------------------------------------------------------------------------


@bp.route("/audit")
@require(Permission.MODERATE)
def audit():
    _personal()
    form = AuditFilterForm(request.args)
    staff = _colleagues(services.district_ids(current_user))
    form.actor.choices = [SelectChoice("", _("Anyone"))] + [SelectChoice(str(u.id), u.display_name) for u in staff]
    types = db.session.scalars(select(AuditEntry.target_type).distinct().order_by(AuditEntry.target_type)).all()
    form.action.choices = [SelectChoice("", _("Any action"))] + [
        SelectChoice(code, label) for code, label in audit_labels.ACTIONS.items()]
    form.target_type.choices = [SelectChoice("", _("Any kind"))] + [SelectChoice(t, audit_labels.TARGETS.get(t, t)) for t in types]
    stmt = select(AuditEntry).order_by(AuditEntry.id.desc())
    scope = services.district_ids(current_user)
    if scope is not None:
        # A moderator sees what was done in their districts, and their own actions.
        in_districts = select(db.cast(services.Submission.id, db.String)).where(services.Submission.district_id.in_(scope))
        stmt = stmt.where((AuditEntry.actor_id == current_user.id) | (
            AuditEntry.target_type.in_(SUBMISSION_CLASSES) & AuditEntry.target_id.in_(in_districts)))
    if form.action.data in audit_labels.ACTIONS:
        stmt = stmt.where(AuditEntry.action == form.action.data)
    if positive_int(form.actor.data):
        stmt = stmt.where(AuditEntry.actor_id == positive_int(form.actor.data))
    if form.target_type.data in types:
        stmt = stmt.where(AuditEntry.target_type == form.target_type.data)
    page = positive_int(request.args.get("page"), 1)
    entries = db.session.scalars(stmt.limit(AUDIT_PER_PAGE + 1).offset((page - 1) * AUDIT_PER_PAGE)).all()
    names = {u.id: u.display_name for u in staff}
    args = {k: v for k, v in request.args.items() if k != "page" and v}
    return render_template("moderation/audit.html", form=form, entries=entries[:AUDIT_PER_PAGE], names=names,
                           page=page, has_next=len(entries) > AUDIT_PER_PAGE, args=args)


def _template_page(template, form):
    areas = list_effort_areas()
    form.area.choices = _area_choices(areas, _("Choose an effort area"))
    if form.validate_on_submit():
        area = get_effort_area(positive_int(form.area.data)) if positive_int(form.area.data) else None
        if area is not None:
            services.save_template(template, area, form.title.data,
                                   {"nb": form.body_nb.data, "nn": form.body_nn.data, "en": form.body_en.data}, current_user)
            db.session.commit()
            flash(_("The template is saved."), "success")
            return redirect(url_for("moderation.templates"))
        form.area.errors.append(_("Choose an effort area."))
    return render_template("moderation/templates.html", form=form, template=template,
                           templates=services.templates_for(None)), 400 if form.errors else 200


@bp.route("/templates", methods=["GET", "POST"])
@require(Permission.MODERATE)
def templates():
    return _template_page(None, TemplateForm())


@bp.route("/templates/<int:template_id>/edit", methods=["GET", "POST"])
@require(Permission.MODERATE)
def edit_template(template_id: int):
    from app.moderation.models import AnswerTemplate

    template = db.session.get(AnswerTemplate, template_id)
    if template is None:
        abort(404)
    form = TemplateForm()
    if request.method == "GET":
        form.area.data = str(template.effort_area.number)
        for name in ("title", "body_nb", "body_nn", "body_en"):
            getattr(form, name).data = getattr(template, name)
    return _template_page(template, form)


@bp.route("/templates/<int:template_id>/delete", methods=["POST"])
@require(Permission.MODERATE)
def delete_template(template_id: int):
    from app.core.forms import ActionForm
    from app.moderation.models import AnswerTemplate

    template = db.session.get(AnswerTemplate, template_id)
    if template is None:
        abort(404)
    if not ActionForm().validate_on_submit():
        flash(_("The page had expired. Press the button again."), "error")
    else:
        services.delete_template(template, current_user)
        db.session.commit()
        flash(_("The template is deleted."), "success")
    return redirect(url_for("moderation.templates"))
