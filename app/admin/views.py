"""The administration's front page; each section has a module of its own."""
from __future__ import annotations

from flask import current_app, render_template

from app.admin import SECTIONS, bp
from app.core.permissions import Permission, require


def sections() -> list[tuple[str, str, str]]:
    views = current_app.view_functions
    return [section for section in SECTIONS if section[0] in views]


@bp.app_context_processor
def _admin_sections():
    return {"admin_sections": sections}


@bp.get("/")
@require(Permission.ADMINISTER)
def index():
    return render_template("admin/index.html")
