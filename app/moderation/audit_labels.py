"""What audit log entries are called in the reader's language (the log itself stores codes)."""
from __future__ import annotations

from app.accounts.administration import ROLE_LABELS
from app.core.i18n import lazy_gettext as _l
from app.submissions.labels import HIDDEN_REASON_LABELS, STATUS_LABELS

ACTIONS = {
    "account.erase": _l("Account deleted by its owner"),
    "feedback.read": _l("Feedback read"),
    "registration.list_read": _l("Participant list read"),
    "registration.export": _l("Participant list downloaded"),
    "answer_template.create": _l("Answer template created"),
    "answer_template.update": _l("Answer template changed"),
    "answer_template.delete": _l("Answer template deleted"),
    "feedback.answer_by_mail": _l("Feedback answered by email"),
    "meeting_place.create": _l("Meeting place added"),
    "meeting_place.update": _l("Meeting place changed"),
    "meeting_place.retire": _l("Meeting place retired"),
    "meeting_place.reinstate": _l("Meeting place reinstated"),
    "meeting_place.merge": _l("Meeting place merged into another"),
    "meeting_place.photo_add": _l("Photo added to a meeting place"),
    "meeting_place.photo_remove": _l("Photo removed from a meeting place"),
    "meeting_place.photo_move": _l("Photos of a meeting place put in a new order"),
    "photo.approve": _l("Photo approved"),
    "photo.remove": _l("Photo removed"),
    "photo.hidden_by_reports": _l("Photo hidden after reports"),
    "event.picture": _l("Event picture changed"),
    "report.uphold": _l("Report upheld"),
    "report.dismiss": _l("Report dismissed"),
    "review.restore": _l("Review: shown again"),
    "review.keep_hidden": _l("Review: kept hidden"),
    "submission.approve": _l("Approved"),
    "submission.assign": _l("Assigned"),
    "submission.duplicate": _l("Marked as duplicate"),
    "comment.edit": _l("Comment changed by its author"),
    "comment.delete": _l("Comment deleted by its author"),
    "submission.edit": _l("Text edited"),
    "submission.hidden_by_reports": _l("Hidden after reports"),
    "submission.hide": _l("Hidden"),
    "submission.note": _l("Internal note added"),
    "submission.restore": _l("Shown again"),
    "submission.route": _l("Routed"),
    "submission.status": _l("Status changed"),
    "submission.urgent": _l("Marked as urgent"),
    "submission.not_urgent": _l("No longer urgent"),
    "user.block_in_district": _l("Blocked from posting in a district"),
    "organisation.approve": _l("Organisation approved"),
    "organisation.decline": _l("Organisation declined"),
    "organisation.add_member": _l("Member added"),
    "organisation.invite": _l("Member invited"),
    "organisation.remove_member": _l("Member removed"),
    "organisation.leave": _l("Member left"),
    "organisation.update": _l("Organisation changed"),
    "organisation.retire": _l("Organisation retired"),
    "organisation.reinstate": _l("Organisation reinstated"),
    "organisation.merge": _l("Organisation merged into another"),
    "event.create": _l("Event created"),
    "event.update": _l("Event changed"),
    "event.translation": _l("Event's title or description in another language written or changed"),
    "event.translation_removed": _l("Event's title and description in another language removed"),
    "event.cancel": _l("Event cancelled"),
    "event.approve": _l("Event published by a moderator"),
    "event.decline": _l("Event declined"),
    "event.message": _l("Message sent to those registered"),
    "registration.add_by_organiser": _l("Person added to an event by an organiser"),
    "registration.attendance": _l("Attendance marked"),
    "user.create_admin": _l("Made administrator"),
    "user.grant_moderator": _l("Made moderator"),
    "user.grant_admin": _l("Made administrator"),
    "user.revoke_moderator": _l("Moderator role taken away"),
    "user.revoke_admin": _l("Administrator role taken away"),
    "user.two_factor_setup": _l("Two-step login set up"),
    "user.recovery_code_used": _l("Logged in with a recovery code"),
    "user.recovery_codes_renewed": _l("New recovery codes made"),
    "user.two_factor_reset": _l("Two-step login reset"),
    "user.change_districts": _l("Moderator districts changed"),
    "user.invite": _l("Invited as staff"),
    "user.accept_invitation": _l("Invitation accepted"),
    "user.resend_verification": _l("Confirmation link sent again"),
    "user.block": _l("Account blocked"),
    "user.unblock": _l("Account unblocked"),
    "user.unblock_in_district": _l("Allowed to post in a district again"),
    "settings.update": _l("Settings changed"),
    "mail.retry": _l("Mail sent again"),
    "district.create": _l("District added"),
    "district.update": _l("District changed"),
    "district.retire": _l("District retired"),
    "district.reinstate": _l("District made active again"),
    "district.boundary": _l("District boundary changed"),
    "effort_area.update": _l("Effort area changed"),
    "sub_theme.create": _l("Sub-theme added"),
    "sub_theme.update": _l("Sub-theme changed"),
    "sub_theme.delete": _l("Sub-theme removed"),
}

TARGETS = {
    "Idea": _l("Idea"), "Feedback": _l("Feedback"), "Comment": _l("Comment"), "Report": _l("Report"),
    "ReviewRequest": _l("Review request"), "User": _l("Account"), "AnswerTemplate": _l("Answer template"),
    "MeetingPlace": _l("Meeting place"), "Organisation": _l("Organisation"), "Event": _l("Event"),
    "Registration": _l("Registration"), "EventReview": _l("Event"), "PhotoReview": _l("Photo"),
    "Setting": _l("Settings"), "OutboxMessage": _l("Email"),
    "District": _l("District"), "EffortArea": _l("Effort area"), "SubTheme": _l("Sub-theme"),
}

FIELDS = {
    "status": _l("status"), "effort_area": _l("effort area"), "hidden": _l("hidden"), "hidden_reason": _l("reason"),
    "held": _l("waiting for approval"), "assigned_to": _l("assigned to"), "duplicate_of": _l("duplicate of"),
    "district": _l("district"), "capacity": _l("seats"), "occurrences": _l("occurrences"),
    "role": _l("role"), "districts": _l("districts"), "blocked_at": _l("blocked"), "blocked_reason": _l("reason"),
    "mail": _l("email"), "password": _l("password"),
    "attended": _l("came"), "attempts": _l("attempts"), "urgent": _l("urgent"),
    # Settings (/admin/settings), by key
    "PREMODERATE": _l("pre-moderation"),
    "MAX_REPORTS_BEFORE_HIDING": _l("reports before hiding"),
    "REGISTRATION_RETENTION_DAYS": _l("days event registrations are kept"),
    "FEEDBACK_CONTACT_RETENTION_DAYS": _l("days contact details with feedback are kept"),
    "OUTBOX_RETENTION_DAYS": _l("days copies of emails are kept"),
    "AUDIT_RETENTION_DAYS": _l("days the audit log is kept"),
    "LOG_RETENTION_DAYS": _l("days technical logs are kept"),
    "UNVERIFIED_ACCOUNT_RETENTION_DAYS": _l("days unconfirmed accounts are kept"),
    "FOLLOW_UNCONFIRMED_DAYS": _l("days unconfirmed follows are kept"),
    "CONTACT_ORGANISATION": _l("organisation"),
    "CONTACT_EMAIL": _l("contact email"),
    "CONTACT_PHONE": _l("contact phone"),
    "CONTACT_ADDRESS": _l("postal address"),
    "CONTACT_DPO_EMAIL": _l("data protection officer's email"),
    "ACCESSIBILITY_STATEMENT_URL": _l("accessibility statement address"),
    "MUNICIPAL_FAULT_REPORT_URL": _l("address of the municipality's fault service"),
    "LANGUAGES_OFF": _l("languages switched off"),
    "FEEDBACK_MACHINE_TRANSLATION": _l("feedback read machine-translated"),
    "boundary": _l("boundary"), "boundary_official": _l("official boundary"),
    "retired": _l("retired"), "merged_into": _l("merged into (id)"), "events": _l("events"), "follows": _l("followers"),
    "members": _l("members"), "name": _l("name"), "description": _l("description"), "contact_email": _l("contact email"),
    "title": _l("title"), "language": _l("language"),
    # districts, effort areas and sub-themes: the texts by language
    "slug": _l("short name"), "position": _l("position"),
    "name_nb": _l("name in Bokmål"), "name_nn": _l("name in Nynorsk"), "name_en": _l("name in English"),
    "description_nb": _l("description in Bokmål"), "description_nn": _l("description in Nynorsk"),
    "description_en": _l("description in English"),
    "title_nb": _l("title in Bokmål"), "title_nn": _l("title in Nynorsk"), "title_en": _l("title in English"),
    "goal_nb": _l("goal in Bokmål"), "goal_nn": _l("goal in Nynorsk"), "goal_en": _l("goal in English"),
    "public_name_nb": _l("plain name in Bokmål"), "public_name_nn": _l("plain name in Nynorsk"),
    "public_name_en": _l("plain name in English"),
    "public_explanation_nb": _l("explanation in Bokmål"), "public_explanation_nn": _l("explanation in Nynorsk"),
    "public_explanation_en": _l("explanation in English"),
    "label_nb": _l("label in Bokmål"), "label_nn": _l("label in Nynorsk"), "label_en": _l("label in English"),
}

EVENT_STATUS_LABELS = {
    "published": _l("published"), "held": _l("waiting for approval"), "declined": _l("declined"),
    "cancelled": _l("cancelled"),
}
MAIL_STATUS_LABELS = {"queued": _l("not yet sent"), "sent": _l("sent"), "failed": _l("failed")}
KIND_LABELS = {"ideas": _l("ideas"), "comments": _l("comments"), "events": _l("events"), "photos": _l("photos")}
# Settings whose "nothing stored" is shown as the default.
SETTING_FIELDS = frozenset(k for k in FIELDS if k.isupper())


def value_label(field: str, value) -> str:
    """Values shown as words: statuses and reasons by their names, yes/no for flags, a dash for nothing."""
    if value is None:
        return str(_l("the default")) if field in SETTING_FIELDS else "–"
    if field == "PREMODERATE":
        return ", ".join(str(KIND_LABELS.get(kind, kind)) for kind in value) or str(_l("nothing"))
    if field == "status":
        return str(STATUS_LABELS.get(value) or EVENT_STATUS_LABELS.get(value) or MAIL_STATUS_LABELS.get(value, value))
    if field == "hidden_reason":
        return str(HIDDEN_REASON_LABELS.get(value, value))
    if isinstance(value, bool):
        return str(_l("yes") if value else _l("no"))
    if field == "role":
        return str(ROLE_LABELS.get(value, value))
    if isinstance(value, list):
        return ", ".join(str(v) for v in value) or "–"
    return str(value)


def init_app(app) -> None:
    app.jinja_env.globals.update(
        audit_action=lambda code: ACTIONS.get(code, code),
        audit_target=lambda code: TARGETS.get(code, code),
        audit_field=lambda code: FIELDS.get(code, code),
        audit_value=value_label,
    )
