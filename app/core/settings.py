"""The one way code reads a setting.

Values come from the app config (environment variables). For the keys in
``TUNABLE`` an administrator may store a value in the database
(``/admin/settings``), and that value wins. Keep every read going through ``get``.

The stored values are read once per request, from a copy kept per worker until
settings are saved in any worker (a generation of their own beside the page
cache's, see ``app/core/page_cache.py``): a change needs no deploy and reaches
every worker on its next request.
"""
from __future__ import annotations

from types import SimpleNamespace
from typing import Any

from flask import current_app, g, has_request_context

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


# The kinds of content that can be held for a moderator's approval before they are shown.
PREMODERATION_KINDS = ("ideas", "comments", "events")

# Whole numbers an administrator may set, and the smallest and largest value each may take.
NUMBER_BOUNDS = {
    "MAX_REPORTS_BEFORE_HIDING": (1, 50),
    "REGISTRATION_RETENTION_DAYS": (1, 365),
    "FEEDBACK_CONTACT_RETENTION_DAYS": (30, 1825),        # long enough to answer the feedback
    "OUTBOX_RETENTION_DAYS": (7, 365),                    # long enough to see what failed and send it again
    "AUDIT_RETENTION_DAYS": (365, 3650),                  # decisions can be checked for at least a year
    "LOG_RETENTION_DAYS": (7, 365),                       # long enough to look into a problem
    "UNVERIFIED_ACCOUNT_RETENTION_DAYS": (3, 365),        # the link to confirm lasts 48 hours
    "FOLLOW_UNCONFIRMED_DAYS": (1, 90),
}

# Contact details: the platform's, not a person's, but the audit log keeps only which of them changed.
CONTACT_KEYS = (
    "CONTACT_ORGANISATION", "CONTACT_EMAIL", "CONTACT_PHONE", "CONTACT_ADDRESS", "CONTACT_DPO_EMAIL",
)
TEXT_KEYS = CONTACT_KEYS + ("ACCESSIBILITY_STATEMENT_URL",)

_MISSING = object()


_REQUEST_KEY = "settings_overrides"


def _load_overrides() -> dict[str, Any]:
    from app.core.models import Setting
    from app.extensions import db

    # A read in the middle of a service must not flush what that service has half built.
    with db.session.no_autoflush:
        rows = db.session.execute(db.select(Setting.key, Setting.value)).all()
    return {key: value for key, value in rows if key in TUNABLE}


def overrides() -> dict[str, Any]:
    """The values stored by administrators, by key."""
    if has_request_context() and _REQUEST_KEY in g:
        return g.get(_REQUEST_KEY)
    if has_request_context():
        from app.core.page_cache import kept_settings

        value = kept_settings(_load_overrides)
        setattr(g, _REQUEST_KEY, value)
        return value
    # Commands (``flask mail send --watch``) read afresh each time: they may run for days.
    return _load_overrides()


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


# --- the write side (``/admin/settings``) ------------------------------------------------------------------


def _normalised(key: str, value: Any) -> Any:
    """The value as it is stored (JSON), or a broken rule when it is not one the key may take."""
    from app.core.i18n import lazy_gettext as _l
    from app.core.rules import RuleBroken

    if value is None:
        return None
    if key == "PREMODERATE":
        kinds = sorted({str(kind).lower() for kind in value})
        if not set(kinds) <= set(PREMODERATION_KINDS):
            raise RuleBroken(_l("Choose among the kinds of content listed."), field=key.lower())
        return kinds
    if key in NUMBER_BOUNDS:
        low, high = NUMBER_BOUNDS[key]
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            raise RuleBroken(_l("Give a whole number from %(min)d to %(max)d.", min=low, max=high), field=key.lower())
        return value
    if key in TEXT_KEYS:
        value = str(value).strip()
        return value or None
    raise KeyError(key)


def save(values: dict[str, Any], actor) -> list[str]:
    """Store an administrator's values for keys of ``TUNABLE``; ``None`` removes a stored value, so the
    key falls back to the configured default. Keys not in ``values`` are left as they are.

    Records one audit entry ``settings.update`` naming the keys whose stored value changed, with
    before → after (``None``: the default) for all but the contact details. Returns those keys; the
    caller commits, and the commit makes every worker read the settings afresh (the page cache's
    generation)."""
    from app.core import audit
    from app.core.models import Setting
    from app.extensions import db

    unknown = set(values) - set(TUNABLE)
    if unknown:
        raise KeyError(", ".join(sorted(unknown)))
    wanted = {key: _normalised(key, value) for key, value in values.items()}
    rows = {row.key: row for row in db.session.scalars(db.select(Setting).where(Setting.key.in_(list(wanted))))}
    actor_id = getattr(actor, "id", None)
    changes: dict[str, tuple[Any, Any]] = {}
    changed: list[str] = []
    for key in TUNABLE:
        if key not in wanted:
            continue
        value, row = wanted[key], rows.get(key)
        before = row.value if row is not None else None
        if value == before:
            continue
        if value is None:
            db.session.delete(row)
        elif row is None:
            db.session.add(Setting(key=key, value=value, updated_by_id=actor_id))
        else:
            row.value, row.updated_by_id = value, actor_id
        changed.append(key)
        if key not in CONTACT_KEYS:
            changes[key] = (before, value)
    if changed:
        db.session.flush()
        audit.record(actor, "settings.update", Setting(), changed=changed, changes=changes)
    if has_request_context():
        setattr(g, _REQUEST_KEY, _load_overrides())   # the rest of this request reads what was just stored
    return changed
