"""Moderation pages: the queue, one item with its actions, the audit log and answer templates.

The queries are in ``services`` and ``audit_log``; what each action on an item does, and its form, is
the table in ``actions``.
"""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy.orm.exc import StaleDataError

from app.core.forms import ActionForm, show_beside
from app.core.i18n import gettext as _
from app.core.params import positive_int
from app.core.permissions import Permission, require, writes_on_get
from app.core.rules import Conflict, Forbidden, RuleBroken
from app.districts.services import get_effort_area, list_districts, list_effort_areas
from app.extensions import db
from app.feedback.models import Feedback
from app.ideas.models import Comment, Idea
from app.moderation import audit_labels, audit_log, reports, routing, services, urgency
from app.moderation.actions import ACTIONS, item_forms
from app.moderation.forms import AuditFilterForm, BulkForm, QueueFilterForm, TemplateForm, area_choices
from app.moderation.kinds import KINDS
from app.moderation.proposal import propose
from app.photos import review as photo_review
from app.photos import services as photo_services
from app.places import picking
from app.places.item_maps import moderation_map
from app.submissions.models import Report, ReviewRequest

bp = Blueprint("moderation", __name__, template_folder="templates")


@bp.record_once
def _queue_kinds(state) -> None:
    """The kinds table for templates, also inside imported macros (which see globals, not the context)."""
    state.app.jinja_env.globals["queue_kinds"] = KINDS
    audit_labels.init_app(state.app)


def _personal() -> None:
    request.personal_page = True  # feedback text and contact details: never cached


# --- the queue --------------------------------------------------------------------------------------


def _queue_filters(districts, areas) -> services.QueueFilters:
    args = request.args
    assignee = args.get("assignee")
    return services.QueueFilters(
        kind=args.get("kind") if args.get("kind") in services.KINDS else None,
        district=next((d for d in districts if d.slug == args.get("district")), None),
        area=next((a for a in areas if str(a.number) == args.get("area")), None),
        status=args.get("status") or None,
        old_only=args.get("age") == "old",
        assignee=assignee if assignee in ("me", "none") else str(positive_int(assignee)) if positive_int(assignee) else None,
        # Control characters never help a search, and PostgreSQL refuses a NUL in any text it is given.
        search=" ".join("".join(c if c.isprintable() else " " for c in args.get("q") or "").split())[: services.SEARCH_MAX]
        or None,
        newest=args.get("sort") == "newest",
        after=services.QueueKey.parse(args.get("after")),
        before=services.QueueKey.parse(args.get("before")),
        near=picking.point_in_text(args.get("near")),
    )


@bp.route("/")
@require(Permission.MODERATE)
def index():
    _personal()
    scope = services.district_ids(current_user)
    districts = [d for d in list_districts() if scope is None or d.id in scope]
    areas = list_effort_areas()
    colleagues = services.colleagues(scope)
    form = QueueFilterForm(request.args)
    form.offer(districts, areas, [u for u in colleagues if u.id != current_user.id])
    page = services.queue(current_user, _queue_filters(districts, areas))
    bulk = BulkForm()
    bulk.offer(areas, colleagues, _("Choose an effort area"), _("Nobody"))
    # What the page was asked for, less where in the list it stands: links keep the search, filters and order.
    args = {k: v for k, v in request.args.items() if k not in ("page", "after", "before") and v}
    handled = services.handled_matches(current_user, request.args["q"]) if request.args.get("q") else []
    return render_template("moderation/index.html", page=page, form=form, bulk=bulk, args=args, handled=handled,
                           kinds=services.KINDS, is_old=services.is_old,
                           near_metres=services.NEAR_METRES if picking.point_in_text(args.get("near")) else None,
                           urgent_words=lambda item: urgency.urgent_words(services.text_for_urgency(item)))


@bp.route("/bulk", methods=["POST"])
@require(Permission.MODERATE)
def bulk():
    form = BulkForm()
    form.offer(list_effort_areas(), services.colleagues(services.district_ids(current_user)), "-", "-")
    back = redirect(request.referrer if (request.referrer or "").startswith(request.host_url) else url_for("moderation.index"))
    ids = [n for n in map(positive_int, request.form.getlist("item")) if n][: services.PER_PAGE]
    if not form.validate_on_submit() or not ids:
        flash(_("Choose at least one item and what to do with them."), "error")
        return back
    area = get_effort_area(positive_int(form.area.data)) if positive_int(form.area.data) else None
    done, skipped = services.bulk_act(services.items_with_ids(ids), form.action.data, area,
                                      services.colleague(positive_int(form.assignee.data)),
                                      form.reason.data or "other", current_user._get_current_object())
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


def _render_item(item, status_code: int = 200, **override):
    _personal()
    areas = list_effort_areas()
    routable = isinstance(item, (Idea, Feedback))
    text = services.text_for_routing(item) if routable else ""
    suggestions = routing.model().suggest(text) if routable else []
    proposal = propose(text, suggestions, areas, item.suggested_effort_area) if routable else None
    area_titles = {a.number: a.title for a in areas}
    forms = item_forms(item, areas, services.get_template(positive_int(request.args.get("template"))), proposal)
    return render_template(
        "moderation/item.html", item=item, areas=areas, suggestions=suggestions, proposal=proposal,
        area_titles=area_titles, urgent_words=urgency.urgent_words(services.text_for_urgency(item)),
        notes=services.notes_for(item), reports=services.reports_on(item),
        reported=reports.in_context(item) if isinstance(item, Report) else None,
        reviewed=photo_review.under_review(item) if isinstance(item, photo_review.PhotoReview) else None,
        templates=services.templates_for(item.effort_area), is_old=services.is_old,
        is_idea=isinstance(item, Idea), is_feedback=isinstance(item, Feedback), is_comment=isinstance(item, Comment),
        is_report=isinstance(item, Report), is_review=isinstance(item, ReviewRequest),
        decision=services.QUEUE_KINDS[item.kind].decision,
        place_map=moderation_map(item) if routable else None, near_metres=services.NEAR_METRES,
        # A moderator reading an idea sees its photos too, held and hidden ones with their state.
        photos=photo_services.visible_photos(item, current_user) if isinstance(item, Idea) else [],
        **(forms | override),
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


def _changed_meanwhile(current, form_name: str, form):
    flash(_("Someone else changed this item while you were looking at it. Here is how it is now; check it and try again."), "error")
    if hasattr(form, "version"):
        form.version.data = str(current.version)  # what was typed stays; sending it again now acts on the new state
    return _render_item(current, 409, **{form_name: form})


@bp.route(f"/items/<{KIND_CONVERTER}>/<int:item_id>/<any(" + ", ".join(f'"{a}"' for a in ACTIONS) + "):action>",
          methods=["POST"])
@require(Permission.MODERATE)
def act(kind: str, item_id: int, action: str):
    item, chosen = _item_or_403(kind, item_id), ACTIONS[action]
    form = chosen.posted_form(item, list_effort_areas())
    if not form.validate_on_submit():
        return _render_item(item, 400, **{chosen.form_name: form})
    if not chosen.applies(item):
        abort(404)
    try:
        message = chosen.handle(item, form, current_user._get_current_object(), getattr(form, "seen_version", None))
        db.session.commit()
    except (Conflict, StaleDataError):
        db.session.rollback()
        return _changed_meanwhile(services.get_item(kind, item_id), chosen.form_name, form)
    except Forbidden:
        raise  # answered centrally with a 403, not as a message on the page
    except RuleBroken as error:
        db.session.rollback()
        show_beside(form, error)
        return _render_item(services.get_item(kind, item_id), 400, **{chosen.form_name: form})
    flash(message, "success")
    queue_page = request.referrer or ""
    if request.form.get("back") == "queue" and queue_page.startswith(request.host_url.rstrip("/") + url_for("moderation.index")):
        return redirect(queue_page)   # "Mark as urgent" from a queue row: stay on that page of the queue
    return redirect(url_for("moderation.item", kind=kind, item_id=item_id))


# --- audit log and answer templates -------------------------------------------------------------------------


@bp.route("/audit")
@require(Permission.MODERATE)
def audit():
    _personal()
    staff = services.colleagues(services.district_ids(current_user))
    types = audit_log.target_types()
    form = AuditFilterForm(request.args)
    form.offer(staff, types)
    page = positive_int(request.args.get("page"), 1)
    entries, has_next = audit_log.entries(current_user, audit_log.Filters(
        action=form.action.data if form.action.data in audit_labels.ACTIONS else None,
        actor_id=positive_int(form.actor.data),
        target_type=form.target_type.data if form.target_type.data in types else None), page)
    names = {u.id: u.display_name for u in staff}
    args = {k: v for k, v in request.args.items() if k != "page" and v}
    return render_template("moderation/audit.html", form=form, entries=entries, names=names,
                           page=page, has_next=has_next, args=args)


def _template_page(template, form):
    areas = list_effort_areas()
    form.area.choices = area_choices(areas, _("Choose an effort area"))
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
    template = services.get_template(template_id)
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
    template = services.get_template(template_id)
    if template is None:
        abort(404)
    if not ActionForm().validate_on_submit():
        flash(_("The page had expired. Press the button again."), "error")
    else:
        services.delete_template(template, current_user)
        db.session.commit()
        flash(_("The template is deleted."), "success")
    return redirect(url_for("moderation.templates"))
