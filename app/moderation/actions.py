"""What a moderator can do to one item: one table, name → form and handler.

The route ``/moderation/items/<kind>/<id>/<name>`` takes exactly the names in
``ACTIONS``; the item page shows each action's form under its ``form_name``.
A new action is one entry here and one handler. A handler calls a service and
returns what the moderator is told; a refusal is a ``RuleBroken`` (shown
beside the field it names). ``applies`` says on which items the action
exists at all: on any other its address answers 404.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from wtforms.fields.choices import SelectChoice

from app.core.i18n import gettext as _
from app.core.params import positive_int
from app.core.rules import RuleBroken
from app.districts.services import get_effort_area, sub_themes_named
from app.feedback.models import Feedback
from app.ideas.models import Idea
from app.moderation import services
from app.moderation.forms import (
    AssignForm,
    BlockForm,
    DuplicateForm,
    EditTextForm,
    HideForm,
    MailAnswerForm,
    NoteForm,
    RouteForm,
    StatusForm,
    VersionedForm,
    area_choices,
    people_choices,
)
from app.moderation.models import AnswerTemplate
from app.moderation.proposal import Proposal
from app.organisations.forms import DeclineForm
from app.photos.review import PhotoReview
from app.submissions.labels import STATUS_LABELS
from app.submissions.models import Report, ReviewRequest


def _always(item) -> bool:
    return True


@dataclass(frozen=True)
class Start:
    """What a fresh form may start from besides the item: a chosen answer template, a routing proposal."""
    template: AnswerTemplate | None = None
    proposal: Proposal | None = None


@dataclass(frozen=True)
class Action:
    form: type
    form_name: str                      # what the item page's template calls the form
    handle: Callable                    # (item, form, actor, seen_version) -> what the moderator is told
    applies: Callable = _always         # (item) -> whether the action exists for it
    initial: Callable | None = None     # (item, Start) -> values of a fresh form

    @property
    def prefix(self) -> str:
        return "v" if self.form_name == "version_form" else self.form_name.removesuffix("_form")

    def posted_form(self, item, areas):
        form = self.form(prefix=self.prefix)
        offer_choices(form, item, areas)
        return form

    def fresh_form(self, item, areas, start: Start):
        values = self.initial(item, start) if self.initial else {}
        if issubclass(self.form, VersionedForm):
            values["version"] = str(item.version)
        form = self.form(prefix=self.prefix, formdata=None, **values)
        offer_choices(form, item, areas)
        return form


def offer_choices(form, item, areas) -> None:
    """The same labelled choices whether a form is shown fresh or given back with errors."""
    if isinstance(form, RouteForm):
        form.area.choices = area_choices(areas, _("Choose an effort area"))
        form.sub_themes.choices = [SelectChoice(t.slug, f"{a.number}. {t.label}") for a in areas for t in a.sub_themes]
    elif isinstance(form, StatusForm):
        form.status.choices = [SelectChoice(s, STATUS_LABELS[s]) for s in services.SETTABLE_STATUSES]
    elif isinstance(form, AssignForm):
        form.assignee.choices = [SelectChoice("", _("Nobody"))] + people_choices(services.colleagues([item.district_id]))
    elif isinstance(form, DeclineForm) and isinstance(item, PhotoReview):
        # A photo is removed, not declined, and it is the person who added it who hears why.
        form.reason.label.text = _("Why is the photo removed? (the person who added it is told)")


def item_forms(item, areas, template=None, proposal: Proposal | None = None) -> dict:
    """Every action's form, fresh, by the name the item page knows it by."""
    start = Start(template, proposal)
    forms = {}
    for action in ACTIONS.values():
        if action.form_name not in forms:
            forms[action.form_name] = action.fresh_form(item, areas, start)
    return forms


# --- the handlers --------------------------------------------------------------------------------------


def _route(item, form, actor, seen) -> str:
    area = get_effort_area(positive_int(form.area.data)) if positive_int(form.area.data) else None
    if area is None:
        raise RuleBroken(_("Choose an effort area."), field="area")
    services.route(item, area, sub_themes_named(form.sub_themes.data or []), actor, seen)
    return _("Routed to effort area %(number)d.", number=area.number)


def _status(item, form, actor, seen) -> str:
    services.set_status(item, form.status.data,
                        {"nb": form.answer.data, "nn": form.answer_nn.data, "en": form.answer_en.data}, actor, seen)
    return _("The status is saved.")


def _note(item, form, actor, seen) -> str:
    services.add_note(item, form.body.data, actor)
    return _("The note is added.")


def _assign(item, form, actor, seen) -> str:
    services.assign(item, services.colleague(positive_int(form.assignee.data)), actor, seen)
    return _("Assigned.")


def _duplicate(item, form, actor, seen) -> str:
    services.mark_duplicate(item, form.original.data, actor, seen)
    return _("Marked as a duplicate.")


def _hide(item, form, actor, seen) -> str:
    services.hide(item, form.reason.data, form.explanation.data, actor, seen)
    return _("Hidden. The author has been told why.")


def _restore(item, form, actor, seen) -> str:
    services.restore(item, actor, seen)
    return _("Shown again.")


def _approve(item, form, actor, seen) -> str:
    services.approve(item, actor, seen)
    return _("Approved and published.")


def _edit(item, form, actor, seen) -> str:
    services.edit_text(item, form.title.data, form.body.data, actor, seen)
    return _("The text is changed and marked as edited by a moderator.")


def _close_report(uphold: bool) -> Callable:
    def handle(item, form, actor, seen) -> str:
        services.close_report(item, uphold, actor, seen)
        return _("The report is closed.")
    return handle


def _close_review(restore_target: bool) -> Callable:
    def handle(item, form, actor, seen) -> str:
        services.close_review(item, restore_target, actor, seen)
        return _("The review request is closed.")
    return handle


def _decide(accept: bool) -> Callable:
    def handle(item, form, actor, seen) -> str:
        decision = services.QUEUE_KINDS[item.kind].decision
        decision.decide(item, accept, getattr(form, "reason", None) and form.reason.data, actor)
        return str(decision.accepted if accept else decision.declined)
    return handle


def _block(item, form, actor, seen) -> str:
    services.block_author(item, form.reason.data, actor)
    return _("The author can no longer post in this district.")


def _mail(item, form, actor, seen) -> str:
    services.answer_feedback_by_mail(item, form.message.data, actor)
    return _("The email is on its way.")


def _urgent(urgent: bool) -> Callable:
    def handle(item, form, actor, seen) -> str:
        services.set_urgent(item, urgent, actor, seen)
        return _("Marked as urgent. It comes first in the queue.") if urgent else _("No longer marked as urgent.")
    return handle


def _is(kind: type | tuple[type, ...]) -> Callable:
    return lambda item: isinstance(item, kind)


def _has_decision(item) -> bool:
    return services.QUEUE_KINDS[item.kind].decision is not None


def _route_initial(item, start: Start) -> dict:
    if item.effort_area is None and start.proposal is not None:
        # Not routed yet: the select starts on the proposed area. Its sub-theme is left unticked here (the
        # proposal's own button sends it), so choosing another area never meets a sub-theme of the old one.
        return {"area": str(start.proposal.area.number), "sub_themes": []}
    return {"area": str(item.effort_area.number) if item.effort_area else None,
            "sub_themes": [t.slug for t in item.sub_themes]}


def _status_initial(item, start: Start) -> dict:
    template = start.template
    # A template fills every language, so each reader gets the answer in their own.
    texts = {"answer": template.body_nb, "answer_nn": template.body_nn, "answer_en": template.body_en} if template else {}
    return {"status": item.status if item.status != "new" else "routed"} | texts


ACTIONS: dict[str, Action] = {
    "route": Action(RouteForm, "route_form", _route, initial=_route_initial),
    # "Use the proposal": the same routing, its area and sub-theme sent as the page proposed them.
    "use-proposal": Action(RouteForm, "route_form", _route, _is((Idea, Feedback))),
    "status": Action(StatusForm, "status_form", _status, initial=_status_initial),
    "note": Action(NoteForm, "note_form", _note),
    "assign": Action(AssignForm, "assign_form", _assign,
                     initial=lambda item, start: {"assignee": str(item.assigned_to_id or "")}),
    "duplicate": Action(DuplicateForm, "duplicate_form", _duplicate),
    "hide": Action(HideForm, "hide_form", _hide),
    "restore": Action(VersionedForm, "version_form", _restore),
    "approve": Action(VersionedForm, "version_form", _approve),
    "edit": Action(EditTextForm, "edit_form", _edit, initial=lambda item, start: {
        "title": getattr(item, "title", None), "body": getattr(item, "body", None)}),
    "dismiss": Action(VersionedForm, "version_form", _close_report(False), _is(Report)),
    "uphold": Action(VersionedForm, "version_form", _close_report(True), _is(Report)),
    "block": Action(BlockForm, "block_form", _block),
    "mail": Action(MailAnswerForm, "mail_form", _mail, _is(Feedback)),
    "restore-target": Action(VersionedForm, "version_form", _close_review(True), _is(ReviewRequest)),
    "keep-hidden": Action(VersionedForm, "version_form", _close_review(False), _is(ReviewRequest)),
    "accept": Action(VersionedForm, "version_form", _decide(True), _has_decision),
    "decline": Action(DeclineForm, "decline_form", _decide(False), _has_decision),
    "urgent": Action(VersionedForm, "version_form", _urgent(True)),
    "not-urgent": Action(VersionedForm, "version_form", _urgent(False)),
}
