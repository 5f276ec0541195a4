"""Idea pages: thin views over ``services``."""
from __future__ import annotations

import re
from dataclasses import dataclass

from flask import Blueprint, abort, flash, get_template_attribute, redirect, render_template, request, url_for
from flask_login import AnonymousUserMixin, current_user
from markupsafe import Markup
from sqlalchemy.exc import IntegrityError
from wtforms.fields.choices import SelectChoice

from app.core import drafts, page_cache
from app.core.forms import ActionForm, effort_area_choices, show_beside
from app.core.i18n import gettext as _
from app.core.once import create_once
from app.core.params import positive_int
from app.core.permissions import Permission, public, require
from app.core.rules import RuleBroken
from app.core.sanitize import markdown_to_html
from app.core.security import allow_map_tiles
from app.core.uploads import accepts_upload
from app.districts.models import moderates
from app.districts.services import (
    get_district,
    get_effort_area,
    list_effort_areas,
    open_districts,
    shown_districts,
    shown_effort_areas,
)
from app.extensions import db
from app.ideas import photos as idea_photos
from app.ideas import services
from app.ideas.forms import (
    MAX_PHOTOS,
    CommentEditForm,
    CommentForm,
    IdeaEditForm,
    IdeaFilterForm,
    IdeaForm,
    ReportForm,
    ReviewRequestForm,
)
from app.ideas.models import Comment, Idea
from app.moderation import reports
from app.photos import services as photo_services
from app.photos.forms import (
    CHOOSE_AGAIN_PLACE,
    ask_again,
    chosen_photos,
    files_sent,
    photo_form_bytes,
    refuse_descriptions_alone,
)
from app.places import maps, picking
from app.places.item_maps import idea_map, picker
from app.places.location import public_label
from app.submissions.labels import STATUS_LABELS
from app.submissions.models import Status
from app.submissions.visibility import is_publicly_visible, is_shown_in_thread

bp = Blueprint("ideas", __name__, template_folder="templates")


@bp.record_once
def _template_names(state) -> None:
    # The moderation page of a comment lists what its author wrote before changing it.
    state.app.jinja_env.globals["comment_earlier_texts"] = services.earlier_texts

STATUS_FILTERS = [status.value for status in Status]


def status_label(status: str) -> str:
    return str(STATUS_LABELS[status])


def _set_choices(form: IdeaForm, districts, areas) -> None:
    form.district.choices = [SelectChoice("", _("Choose a district"))] + [SelectChoice(d.slug, d.name) for d in districts]
    form.effort_area.choices = [SelectChoice("", _("I don't know – the moderators will decide"))] + effort_area_choices(areas)


def _chosen(form: IdeaForm):
    district = get_district(form.district.data or "")
    if district is None:
        form.district.errors.append(_("Choose the district the idea is for."))
    area = get_effort_area(positive_int(form.effort_area.data)) if positive_int(form.effort_area.data) else None
    return district, area


def _int_arg(name: str, default: int = 1) -> int:
    return positive_int(request.args.get(name), default)


# --- reading ----------------------------------------------------------------------------------


@bp.route("/")
@public
def index():
    if maps.map_view():
        allow_map_tiles()   # the map itself may come from the page cache below; its page still loads the map script
    # The list is the same for everyone: logged-in people get it from the page cache too.
    return render_template("ideas/index.html", content=page_cache.fragment(
        (request.query_string,), "ideas/_index.html", _index_content))


def _index_content() -> dict:
    districts, areas = shown_districts(), shown_effort_areas()
    district = next((d for d in districts if d.slug == request.args.get("district")), None)
    area = next((a for a in areas if str(a.number) == request.args.get("area")), None)
    status = request.args.get("status") if request.args.get("status") in STATUS_FILTERS else None
    sort = request.args.get("sort") if request.args.get("sort") in services.SORTS else "newest"
    q = (request.args.get("q") or "").strip()[:200]
    on_map = maps.map_view()
    # Pages go by key (after or before an idea); an old "?page=N" link shows the first page.
    page = services.list_ideas(district=district, area=area, status=status, q=q, sort=sort, located=on_map,
                               photos=True, after=services.ListKey.parse(request.args.get("after")),
                               before=services.ListKey.parse(request.args.get("before")))
    filters = {"district": district.slug if district else None, "area": area.number if area else None,
               "status": status, "q": q or None, "sort": sort if sort != "newest" else None,
               "view": maps.MAP_VIEW if on_map else None}
    form = IdeaFilterForm(request.args)
    form.district.choices = [SelectChoice("", _("All districts"))] + [SelectChoice(d.slug, d.name) for d in districts]
    form.area.choices = [SelectChoice("", _("All topics"))] + effort_area_choices(areas)
    form.status.choices = [SelectChoice("", _("Any status"))] + [SelectChoice(s, status_label(s)) for s in STATUS_FILTERS]
    form.sort.choices = [SelectChoice("newest", _("Newest first")), SelectChoice("supported", _("Most supported first"))]
    return {"page": page, "form": form, "filters": {k: v for k, v in filters.items() if v is not None},
            "map": maps.ideas_map([idea for idea, _count in page.items], districts, district) if on_map else None}


@bp.route("/<int:idea_id>")
@public
def show(idea_id: int):
    idea = services.idea_for_page(idea_id)
    if idea is None or not services.can_view(idea, current_user):
        abort(404)
    # A visitor sees no comment form; making one would give the page a CSRF token of its own.
    comment_form = CommentForm() if current_user.is_authenticated else None
    if comment_form is not None:
        drafts.restore_into(comment_form)
    return _render_show(idea, comment_form)


def _place_label(idea: Idea, reader) -> str | None:
    """The idea's place in full for its author and the district's moderators; for everyone else without the
    house number, as the public map shows it only to about 50 m."""
    if not idea.location_label:
        return None
    if reader is not None and reader.is_authenticated and (reader.id == idea.author_id
                                                           or moderates(reader, idea.district_id)):
        return idea.location_label
    return public_label(idea.location_label)


def _render_show(idea: Idea, comment_form: CommentForm | None, status: int = 200):
    user = current_user
    page = positive_int(request.args.get("comments", ""))
    # Its author and the district's moderators see more of the idea (the whole place, photos waiting for a
    # check, the idea while it is held or withdrawn): for them it is drawn per request. Everyone else reads
    # the same article and thread, kept for logged-in people too; their own links are drawn into it.
    own_view = bool(user.is_authenticated and (user.id == idea.author_id or moderates(user, idea.district_id)))
    if idea.hidden_at is not None:
        parts = None
    elif own_view or not is_publicly_visible(idea):
        parts = _parts(idea, page, user)
    else:
        parts = page_cache.shared(("ideas/show", idea.id, page), lambda: _parts(idea, page, None))
    marks: list[CommentMark] = parts["marks"] if parts else []
    reported = reports.reported_by(user, [idea.id] + [mark.id for mark in marks])
    if parts:
        parts = dict(parts, thread=_with_actions(parts["thread"], marks, user, reported))
    return render_template(
        "ideas/show.html", idea=idea, parts=parts, comment_form=comment_form,
        supported=services.has_supported(idea, user), reported=reported, can_edit=idea.can_edit(user),
    ), status


@dataclass(frozen=True)
class CommentMark:
    """What the reader's own links under a comment depend on (kept with the thread)."""
    id: int
    author_id: int | None
    hidden: bool
    changeable: bool


def _parts(idea: Idea, page: int | None, reader) -> dict:
    """The idea's article, history and one page of its thread as ``reader`` sees them; None as reader: as
    everyone who is neither its author nor a moderator of its district does (kept for them)."""
    thread = services.thread(idea, page)
    context = {"idea": idea, "thread": thread, "comments": thread.comments,
               "reader_is_author": bool(reader is not None and reader.is_authenticated and reader.id == idea.author_id)}
    article = page_cache.render_part(
        "ideas/_article.html", **context, place_label=_place_label(idea, reader),
        place_map=idea_map(idea),
        photos=photo_services.visible_photos(idea, reader if reader is not None else AnonymousUserMixin()))
    return {
        "article": article,
        "history": page_cache.render_part("ideas/_history.html", **context),
        "thread": page_cache.render_part("ideas/_thread.html", **context),
        "marks": [CommentMark(c.id, c.author_id, c.hidden_at is not None, c.withdrawn_at is None and c.hidden_at is None)
                  for c in thread.comments],
    }


_MARKS = re.compile(r"<!--actions:(\d+)-->|<!--report:(\d+)-->(.*?)<!--/report-->", re.DOTALL)


def _with_actions(thread: Markup, marks: list[CommentMark], reader, reported: set[int]) -> Markup:
    """The kept thread with the reader's own links: "Edit" and "Delete" under their own comments, no "Report"
    link there nor under comments they reported already. (User text is escaped in it: nobody can write a mark.)"""
    own = {mark.id: mark for mark in marks if reader.is_authenticated and mark.author_id == reader.id}
    actions = get_template_attribute("ideas/_comment_actions.html", "actions") if own else None

    def settled(found: re.Match) -> str:
        if found.group(1) is not None:
            mark = own.get(int(found.group(1)))
            return str(actions(mark)) if mark is not None and actions is not None else ""
        comment_id = int(found.group(2))
        return "" if comment_id in own or comment_id in reported else found.group(3)

    return Markup(_MARKS.sub(settled, str(thread)))  # nosec B704 - the parts were escaped when rendered


# --- proposing and editing ------------------------------------------------------------------------


def _photo_refused(form: IdeaForm, error: services.IdeaError) -> None:
    """A refusal about the photos as a whole (too many) goes beside the first photo field."""
    if error.field == "photos" and form.photos.entries:
        form.photos.entries[0].form.file.errors = [error.message]
        # The list's errors were taken when it was validated: again, so the summary at the top lists this one.
        form.photos.errors = [entry.errors for entry in form.photos.entries if entry.errors]
    else:
        show_beside(form, error)


@bp.route("/new", methods=["GET", "POST"])
@accepts_upload(photo_form_bytes(MAX_PHOTOS))
@require(Permission.PARTICIPATE)
def new():
    form = IdeaForm()
    districts = open_districts()
    _set_choices(form, districts, list_effort_areas())
    if request.method == "GET":
        if not drafts.restore_into(form) and request.args.get("district"):
            form.district.data = request.args["district"]
        return _render_form("ideas/new.html", form, districts)
    if _asks_place_step(form):
        return _place_step("ideas/new.html", form, districts)
    district, area = _chosen(form) if form.validate_on_submit() else (None, None)
    if district is None:
        return _render_form("ideas/new.html", form, districts, status=400)
    picked, page = _place_or_page("ideas/new.html", form, district, districts)
    if page is not None:
        return page
    if not form.publish.data or (form.photos_left.data and refuse_descriptions_alone(form.photos)):
        return _preview(form, district, area, picked, districts)
    return _publish(form, district, area, picked, districts)


def _publish(form: IdeaForm, district, area, picked: picking.Picked, districts):
    try:
        once = create_once(form, "idea", lambda: _create(form, district, area, picked))
    except services.IdeaError as error:
        _photo_refused(form, error)
        return _render_form("ideas/new.html", form, districts, picked, status=error.status)
    except IntegrityError:
        return redirect(url_for("ideas.index"))
    if once.new:
        _thank_for(once.record)
    return redirect(url_for("ideas.show", idea_id=once.record.id if once.new else once.earlier_id))


def _create(form: IdeaForm, district, area, picked: picking.Picked) -> Idea:
    idea = services.create_idea(current_user, district, form.title.data, form.body.data, area, form.language.data,
                                location=picked.location)
    idea_photos.add_photos(idea, chosen_photos(form.photos), current_user)
    return idea


def _asks_place_step(form: IdeaForm) -> bool:
    """"Find the place" with words to find (without any it is the form's own button, as Enter in another
    field sends it), or the button that moves the idea to the district its point is in."""
    return bool(form.find_place.data and form.place.data) or bool(request.form.get("switch_to"))


def _place_or_page(template: str, form: IdeaForm, district, districts, **context):
    """(the place picked, None), or (None, the page shown again: an address to choose, a point refused)."""
    try:
        picked = _picked(form, district)
    except picking.PlaceRefused as refused:
        return None, _render_form(template, form, districts, refused=refused, status=400, **context)
    if not picked.settled:
        return None, _render_form(template, form, districts, picked, status=400, **context)
    return picked, None


def _picked(form: IdeaForm, district) -> picking.Picked:
    """The place the form describes (looked up when needed), kept in the form for the next step."""
    try:
        picked = picking.pick(form, district)
    except picking.PlaceRefused as refused:
        picking.keep_refused(form, refused)
        raise
    picking.keep(form, picked)
    if not picked.settled:
        form.place.errors = [*form.place.errors, _("Choose the place you mean below, or “The whole district”.")]
    return picked


def _place_step(template: str, form: IdeaForm, districts, **context):
    """"Find the place" (the words looked up, nothing saved), or the button that moves the idea to the
    district its point is in. Only the page's own token is checked: the rest is checked when it is sent."""
    form.validate()
    expired = bool(form.csrf_token.errors)
    for f in form:
        if f is not form.csrf_token:
            f.errors = []
    if expired:
        return _render_form(template, form, districts, status=400, **context)
    other = request.form.get("switch_to")
    if other:
        if any(d.slug == other for d in districts):
            form.district.data = other
        return _render_form(template, form, districts, **context)
    picked = picking.look_up(form.place.data)
    picking.keep(form, picked)
    _photos_left_behind(form)
    ask_again(form.photos, CHOOSE_AGAIN_PLACE)
    return _render_form(template, form, districts, picked, **context)


def _photos_left_behind(form: IdeaForm) -> None:
    if files_sent(form.photos):
        form.photos_left.data = "1"


def _render_form(template: str, form: IdeaForm, districts, picked: picking.Picked | None = None,
                 refused: picking.PlaceRefused | None = None, status: int = 200, **context):
    if refused is not None:
        show_beside(form, refused)
    return render_template(template, form=form, picked=picked, elsewhere=refused.elsewhere if refused else None,
                           place_map=picker(districts, form), **context), status


def _preview(form: IdeaForm, district, area, picked: picking.Picked, districts):
    similar = services.similar_ideas(district.id, form.title.data, form.body.data)
    # A browser never fills in a file field again, and a preview stores nothing: photos chosen before the
    # preview are chosen once more on it, and the page says so beside each and above the button.
    _photos_left_behind(form)
    return _render_form("ideas/new.html", form, districts, picked, preview=markdown_to_html(form.body.data),
                        district=district, area=area, similar=similar, location=picked.location,
                        photos_again=ask_again(form.photos),
                        preview_language=services.text_language(form.language.data, form.title.data, form.body.data))


def _thank_for(idea: Idea) -> None:
    if idea.held_at is not None:
        flash(_("Thank you! Your idea will be published when a moderator has approved it."), "success")
    else:
        flash(_("Thank you! Your idea is published. A moderator will send it to the people in the municipality who work with it."), "success")


def _own_idea(idea_id: int) -> Idea:
    idea = services.get_idea(idea_id)
    if idea is None or not services.can_view(idea, current_user):
        abort(404)
    if idea.author_id != current_user.id:
        abort(403)
    return idea


@bp.route("/<int:idea_id>/edit", methods=["GET", "POST"])
@accepts_upload(photo_form_bytes(MAX_PHOTOS))
@require(Permission.PARTICIPATE)
def edit(idea_id: int):
    idea = _own_idea(idea_id)
    if not idea.can_edit(current_user):
        flash(_("This idea can no longer be changed: a moderator has started looking at it."), "error")
        return redirect(url_for("ideas.show", idea_id=idea.id))
    districts = open_districts(keep=idea.district)
    form = _edit_form(idea, districts)
    if request.method == "GET":
        _fill_from(form, idea)
        return _render_form("ideas/edit.html", form, districts, idea=idea)
    if _asks_place_step(form):
        return _place_step("ideas/edit.html", form, districts, idea=idea)
    if form.validate_on_submit():
        district, area = _chosen(form)
        if district is not None:
            picked, page = _place_or_page("ideas/edit.html", form, district, districts, idea=idea)
            if page is not None:
                return page
            if form.photos_left.data and refuse_descriptions_alone(form.photos):
                return _render_form("ideas/edit.html", form, districts, status=400, idea=idea)
            if _saved(idea, form, district, area, picked):
                return redirect(url_for("ideas.show", idea_id=idea.id))
    return _render_form("ideas/edit.html", form, districts, status=400 if form.errors else 200, idea=idea)


def _saved(idea: Idea, form: IdeaEditForm, district, area, picked: picking.Picked) -> bool:
    try:
        services.update_idea(idea, current_user, district, form.title.data, form.body.data, area,
                             form.language.data, location=picked.location)
        idea_photos.add_photos(idea, chosen_photos(form.photos), current_user, set(form.remove_photos.data or ()))
    except services.IdeaError as error:
        db.session.rollback()
        _photo_refused(form, error)
        return False
    db.session.commit()
    flash(_("Your changes are saved."), "success")
    return True


def _edit_form(idea: Idea, districts) -> IdeaEditForm:
    form = IdeaEditForm(obj=None)
    _set_choices(form, districts, list_effort_areas())
    current = photo_services.photos_of(idea)
    form.remove_photos.choices = [SelectChoice(photo.key, photo.alt_text) for photo in current]
    # As many photo fields as the idea has room for: the ones it has can be removed above them.
    form.photos.entries = form.photos.entries[:max(MAX_PHOTOS - len(current), 0)]
    return form


def _fill_from(form: IdeaForm, idea: Idea) -> None:
    form.district.data = idea.district.slug
    form.title.data, form.body.data, form.language.data = idea.title, idea.body, idea.language
    form.effort_area.data = str(idea.suggested_effort_area.number) if idea.suggested_effort_area else ""
    picking.fill(form, idea.location_lat, idea.location_lon, idea.location_label)


@bp.route("/<int:idea_id>/withdraw", methods=["GET", "POST"])
@require(Permission.PARTICIPATE)
def withdraw(idea_id: int):
    """Withdrawing cannot be undone, so it is asked once more on a page of its own."""
    idea = _own_idea(idea_id)
    if request.method == "GET":
        if not idea.can_edit(current_user):
            return redirect(url_for("ideas.show", idea_id=idea.id))
        return render_template("ideas/withdraw.html", idea=idea)
    if ActionForm().validate_on_submit():
        try:
            services.withdraw_idea(idea, current_user)
        except services.IdeaError as error:
            db.session.rollback()
            flash(str(error.message), "error")
            return redirect(url_for("ideas.show", idea_id=idea.id))
        db.session.commit()
        flash(_("Your idea is withdrawn and no longer shown."), "success")
        return redirect(url_for("accounts.index"))
    flash(_("The page had expired. Press the button again."), "error")
    return redirect(url_for("ideas.show", idea_id=idea.id))


# --- supporting, commenting, reporting ----------------------------------------------------------------


def _visible_idea(idea_id: int) -> Idea:
    idea = services.get_idea(idea_id)
    if idea is None or not services.can_view(idea, current_user):
        abort(404)
    return idea


@bp.route("/<int:idea_id>/support", methods=["POST"])
@require(Permission.PARTICIPATE)
def support(idea_id: int):
    idea = _visible_idea(idea_id)
    if not ActionForm().validate_on_submit():
        flash(_("The page had expired. Press the button again."), "error")
    else:
        try:
            if request.form.get("withdraw"):
                services.withdraw_support(idea, current_user)
                message = _("You no longer support this idea.")
            else:
                services.support(idea, current_user)
                message = _("Thank you for your support! We will tell you when the idea gets news.")
            db.session.commit()
            flash(message, "success")
        except IntegrityError:
            db.session.rollback()  # a double click: the first one counted
        except services.IdeaError as error:
            db.session.rollback()
            flash(str(error.message), "error")
    return redirect(url_for("ideas.show", idea_id=idea.id) + "#support")


@bp.route("/<int:idea_id>/comments", methods=["POST"])
@require(Permission.PARTICIPATE)
def comment(idea_id: int):
    idea = _visible_idea(idea_id)
    form = CommentForm()
    if not form.validate_on_submit():
        return _render_show(idea, form, 400)
    try:
        once = create_once(form, "comment", lambda: services.add_comment(idea, current_user, form.body.data,
                                                                           form.language.data))
    except services.IdeaError as error:
        show_beside(form, error)
        return _render_show(idea, form, error.status)
    except IntegrityError:
        once = None
    if once is None or not once.new:
        return redirect(url_for("ideas.show", idea_id=idea.id) + "#comments")
    if once.record.held_at is not None:
        flash(_("Thank you! Your comment will be shown when a moderator has approved it."), "success")
    else:
        flash(_("Your comment is posted."), "success")
    return redirect(url_for("ideas.show", idea_id=idea.id) + f"#comment-{once.record.id}")


def _own_comment(comment_id: int) -> Comment:
    """A comment its author may still change: missing or not shown in a thread is 404, someone else's 403."""
    comment_ = db.session.get(Comment, comment_id)
    if comment_ is None or comment_.withdrawn_at is not None:
        abort(404)
    if not comment_.can_change(current_user):
        abort(403)
    return comment_


def _back_to(comment_: Comment) -> str:
    page = services.comment_page(comment_)
    return url_for("ideas.show", idea_id=comment_.idea_id, comments=page if page and page > 1 else None) + (
        f"#comment-{comment_.id}")


@bp.route("/comments/<int:comment_id>/edit", methods=["GET", "POST"])
@require(Permission.PARTICIPATE)
def edit_comment(comment_id: int):
    comment_ = _own_comment(comment_id)
    form = CommentEditForm(obj=comment_) if request.method == "GET" else CommentEditForm()
    status = 200
    if form.validate_on_submit():
        try:
            changed = services.edit_comment(comment_, current_user, form.body.data, form.language.data)
        except services.IdeaError as error:
            db.session.rollback()
            show_beside(form, error)
            status = error.status
        else:
            if changed:
                db.session.commit()
                flash(_("Your comment is changed."), "success")
            return redirect(_back_to(comment_))
    return render_template("ideas/edit_comment.html", form=form, comment=comment_), 400 if status == 200 and form.errors else status


@bp.route("/comments/<int:comment_id>/delete", methods=["GET", "POST"])
@require(Permission.PARTICIPATE)
def delete_comment(comment_id: int):
    comment_ = _own_comment(comment_id)
    form = ActionForm()
    if request.method == "POST" and form.validate_on_submit():
        services.delete_comment(comment_, current_user)
        db.session.commit()
        flash(_("Your comment is deleted."), "success")
        return redirect(url_for("ideas.show", idea_id=comment_.idea_id) + "#comments")
    return render_template("ideas/delete_comment.html", form=form, comment=comment_), 400 if form.errors else 200


def _report(target, idea: Idea, template_args: dict):
    form = ReportForm()
    status = 200
    if form.validate_on_submit():
        try:
            reports.report(target, current_user, form.reason.data, form.details.data)
        except services.IdeaError as error:
            db.session.rollback()
            if error.field:
                getattr(form, error.field).errors.append(error.message)
                status = error.status
            else:
                flash(str(error.message), "info")
                return redirect(url_for("ideas.show", idea_id=idea.id))
        else:
            try:
                db.session.commit()
            except IntegrityError:
                # The same report sent twice at once: the first one counts.
                db.session.rollback()
            flash(_("Thank you. A moderator will look at what you reported."), "success")
            return redirect(url_for("ideas.show", idea_id=idea.id))
    status = status if status != 200 else 400 if form.errors else 200
    return render_template("ideas/report.html", form=form, idea=idea, **template_args), status


@bp.route("/<int:idea_id>/report", methods=["GET", "POST"])
@require(Permission.PARTICIPATE)
def report_idea(idea_id: int):
    idea = _visible_idea(idea_id)
    return _report(idea, idea, {"comment": None})


@bp.route("/comments/<int:comment_id>/report", methods=["GET", "POST"])
@require(Permission.PARTICIPATE)
def report_comment(comment_id: int):
    comment_ = db.session.get(Comment, comment_id)
    if comment_ is None or not is_shown_in_thread(comment_):
        abort(404)
    idea = _visible_idea(comment_.idea_id)
    return _report(comment_, idea, {"comment": comment_})


# --- asking for a review of hidden content ----------------------------------------------------------


def _review(target, idea: Idea):
    if target.author_id != current_user.id or target.hidden_at is None:
        abort(403)
    form = ReviewRequestForm()
    if form.validate_on_submit():
        try:
            reports.request_review(target, current_user, form.message.data)
        except RuleBroken as error:
            db.session.rollback()
            flash(str(error.message), "info")
            return redirect(url_for("ideas.show", idea_id=idea.id))
        db.session.commit()
        flash(_("Thank you. A moderator will look at it again and tell you what they decide."), "success")
        return redirect(url_for("ideas.show", idea_id=idea.id))
    return render_template("ideas/review.html", form=form, idea=idea, target=target), 400 if form.errors else 200


@bp.route("/<int:idea_id>/review", methods=["GET", "POST"])
@require(Permission.SIGN_IN)
def request_review(idea_id: int):
    idea = services.get_idea(idea_id)
    if idea is None:
        abort(404)
    return _review(idea, idea)


@bp.route("/comments/<int:comment_id>/review", methods=["GET", "POST"])
@require(Permission.SIGN_IN)
def request_comment_review(comment_id: int):
    comment_ = db.session.get(Comment, comment_id)
    if comment_ is None:
        abort(404)
    return _review(comment_, services.get_idea(comment_.idea_id))
