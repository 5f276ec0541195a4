"""Settings an administrator may change without a deploy: pre-moderation, reports before hiding,
how long data is kept, and the contact details the site shows."""
from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user

from app.admin.blueprint import bp
from app.admin.settings_forms import KIND_LABELS, RETENTION_KEYS, SettingsForm
from app.core import settings as config
from app.core import settings_admin
from app.core.i18n import gettext as _
from app.core.permissions import Permission, require
from app.core.rules import RuleBroken
from app.extensions import db


def _defaults() -> dict:
    """What each key falls back to, as the form's hints show it."""
    return {key: config.configured(key) for key in config.TUNABLE}


def _kinds_text(kinds) -> str:
    chosen = [str(KIND_LABELS[kind]) for kind in settings_admin.PREMODERATION_KINDS if kind in (kinds or ())]
    return ", ".join(chosen) if chosen else _("none")


@bp.route("/settings", methods=["GET", "POST"], endpoint="settings")
@require(Permission.ADMINISTER)
def settings_page():
    form = SettingsForm()
    defaults = _defaults()
    stored = config.overrides()
    form.default_kinds = frozenset(defaults["PREMODERATE"] or ())
    form.premoderation_stored = "PREMODERATE" in stored
    if request.method == "GET":
        form.fill_from(stored, defaults)
    elif form.validate_on_submit():
        try:
            changed = settings_admin.save(form.values(), current_user)
        except RuleBroken as error:
            db.session.rollback()
            getattr(form, error.field).errors.append(str(error.message))
        else:
            db.session.commit()
            flash(_("The settings are saved.") if changed else _("Nothing was changed."), "success")
            return redirect(url_for("admin.settings"))
    return render_template("admin/settings/index.html", form=form, defaults=defaults, bounds=settings_admin.NUMBER_BOUNDS,
                           retention_keys=RETENTION_KEYS, premoderated_by_default=_kinds_text(defaults["PREMODERATE"]),
                           translation_service=bool(config.get("TRANSLATE_URL", None))), \
        400 if form.errors else 200
