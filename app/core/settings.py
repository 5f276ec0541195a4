"""The one way code reads a setting.

Values come from the app config (environment variables). For the keys in
``TUNABLE`` an administrator may store a value in the database
(``/admin/settings``), and that value wins. Keep every read going through ``get``.

The stored values are read once per request, from a copy kept per worker until
settings are saved in any worker (a generation of their own, see
``app/core/worker_cache.py``): a change needs no deploy and reaches every worker
on its next request. Checking and storing an administrator's values is
``app/core/settings_admin.py``.
"""
from __future__ import annotations

from types import SimpleNamespace
from typing import Any

from flask import current_app, g, has_request_context

from app.core import worker_cache
from app.core.models import Setting
from app.extensions import db

# Settings an administrator may override; everything else is deployment config.
TUNABLE = (
    "PREMODERATE",
    "MAX_REPORTS_BEFORE_HIDING",
    "REGISTRATION_RETENTION_DAYS",
    "FEEDBACK_CONTACT_RETENTION_DAYS",
    "OUTBOX_RETENTION_DAYS",
    "AUDIT_RETENTION_DAYS",
    "LOG_RETENTION_DAYS",
    "UNVERIFIED_ACCOUNT_RETENTION_DAYS",
    "FOLLOW_UNCONFIRMED_DAYS",
    "CONTACT_ORGANISATION",
    "CONTACT_EMAIL",
    "CONTACT_PHONE",
    "CONTACT_ADDRESS",
    "CONTACT_DPO_EMAIL",
    "ACCESSIBILITY_STATEMENT_URL",
    "MUNICIPAL_FAULT_REPORT_URL",
    "LANGUAGES_OFF",
    "FEEDBACK_MACHINE_TRANSLATION",
)


_MISSING = object()


_REQUEST_KEY = "settings_overrides"


def _load_overrides() -> dict[str, Any]:
    # A read in the middle of a service must not flush what that service has half built.
    with db.session.no_autoflush:
        rows = db.session.execute(db.select(Setting.key, Setting.value)).all()
    return {key: value for key, value in rows if key in TUNABLE}


def overrides() -> dict[str, Any]:
    """The values stored by administrators, by key."""
    if has_request_context() and _REQUEST_KEY in g:
        return g.get(_REQUEST_KEY)
    if has_request_context():
        value = worker_cache.kept_settings(_load_overrides)
        setattr(g, _REQUEST_KEY, value)
        return value
    # Commands (``flask mail send --watch``) read afresh each time: they may run for days.
    return _load_overrides()


def read_again() -> None:
    """The rest of this request reads what is stored now (an administrator has just saved)."""
    if has_request_context():
        setattr(g, _REQUEST_KEY, _load_overrides())


def forget_overrides() -> None:
    """Use the config alone for the rest of this request: the database cannot be asked (outage page)."""
    setattr(g, _REQUEST_KEY, {})


def get(key: str, default: Any = _MISSING) -> Any:
    if key in TUNABLE:
        stored = overrides()
        if key in stored:
            return _as_config_type(key, stored[key])
    if default is _MISSING:
        return current_app.config[key]
    return current_app.config.get(key, default)


def configured(key: str) -> Any:
    """The value from the config alone: what the setting falls back to when an override is removed."""
    return current_app.config.get(key)


def _as_config_type(key: str, value: Any) -> Any:
    # JSON has no sets; code asks "kind in PREMODERATE".
    if key == "PREMODERATE":
        return frozenset(value or ())
    if key == "LANGUAGES_OFF":
        return tuple(value or ())
    return value


def is_premoderated(kind: str) -> bool:
    return kind.lower() in get("PREMODERATE")


def contact() -> SimpleNamespace:
    return SimpleNamespace(
        organisation=get("CONTACT_ORGANISATION"),
        email=get("CONTACT_EMAIL"),
        phone=get("CONTACT_PHONE"),
        address=get("CONTACT_ADDRESS"),
        dpo_email=get("CONTACT_DPO_EMAIL"),
        accessibility_statement_url=get("ACCESSIBILITY_STATEMENT_URL"),
        fault_report_url=get("MUNICIPAL_FAULT_REPORT_URL"),
    )


def retention() -> SimpleNamespace:
    return SimpleNamespace(
        registration_days=get("REGISTRATION_RETENTION_DAYS"),
        feedback_contact_days=get("FEEDBACK_CONTACT_RETENTION_DAYS"),
        outbox_days=get("OUTBOX_RETENTION_DAYS"),
        audit_days=get("AUDIT_RETENTION_DAYS"),
        log_days=get("LOG_RETENTION_DAYS"),
        unverified_account_days=get("UNVERIFIED_ACCOUNT_RETENTION_DAYS"),
        unconfirmed_follow_days=get("FOLLOW_UNCONFIRMED_DAYS"),
        survey_free_text_days=get("SURVEY_FREE_TEXT_RETENTION_DAYS"),
    )
