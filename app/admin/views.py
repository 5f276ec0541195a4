"""The administration's front page; each section has a module of its own, imported here so that
every admin page is on ``bp`` once this module is."""
from __future__ import annotations

from datetime import timedelta

from flask import current_app, render_template

from app.admin import districts, organisations, outbox, people, places, settings, surveys  # noqa: F401  (their pages join bp)
from app.admin.blueprint import SECTIONS, bp
from app.core import mail
from app.core.db import utcnow
from app.core.permissions import Permission, require

# The front page's look back at the mail: since this time yesterday, so last night is in it.
MAIL_SUMMARY_HOURS = 24


def sections() -> list[tuple[str, str, str]]:
    views = current_app.view_functions
    return [section for section in SECTIONS if section[0] in views]


@bp.app_context_processor
def _admin_sections():
    return {"admin_sections": sections}


@bp.get("/")
@require(Permission.ADMINISTER)
def index():
    return render_template("admin/index.html", hours=MAIL_SUMMARY_HOURS,
                           mail_counts=mail.status_counts(since=utcnow() - timedelta(hours=MAIL_SUMMARY_HOURS)))
