"""The one way code reads a setting.

Today every value comes from the app config (environment variables); the
administration pages will store overrides in the database, which then win.
Keep every read of a tunable going through ``get``.
"""
from __future__ import annotations

from types import SimpleNamespace
from typing import Any

from flask import current_app

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
)


_MISSING = object()


def get(key: str, default: Any = _MISSING) -> Any:
    if default is _MISSING:
        return current_app.config[key]
    return current_app.config.get(key, default)


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
    )
