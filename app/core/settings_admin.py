"""What an administrator may store for a setting (``/admin/settings``), and storing it.

Reading a setting is ``app/core/settings.py``; it names the keys that may be stored (``TUNABLE``).
"""
from __future__ import annotations

from typing import Any

from app.core import audit, languages, settings
from app.core.i18n import lazy_gettext as _l
from app.core.models import Setting
from app.core.rules import RuleBroken
from app.extensions import db

# The kinds of content that can be held for a moderator's approval before they are shown.
PREMODERATION_KINDS = ("ideas", "comments", "events", "photos")

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
TEXT_KEYS = CONTACT_KEYS + ("ACCESSIBILITY_STATEMENT_URL", "MUNICIPAL_FAULT_REPORT_URL")
# Switched on or off; off (nothing stored) is the default.
BOOLEAN_KEYS = ("FEEDBACK_MACHINE_TRANSLATION",)


def _normalised(key: str, value: Any) -> Any:
    """The value as it is stored (JSON), or a broken rule when it is not one the key may take."""
    if value is None:
        return None
    if key == "PREMODERATE":
        kinds = sorted({str(kind).lower() for kind in value})
        if not set(kinds) <= set(PREMODERATION_KINDS):
            raise RuleBroken(_l("Choose among the kinds of content listed."), field=key.lower())
        return kinds
    if key == "LANGUAGES_OFF":
        codes = sorted({str(code) for code in value})
        if not set(codes) <= set(languages.installed_codes()) - {languages.default_code()}:
            raise RuleBroken(_l("Choose among the languages listed. Bokmål cannot be switched off."), field="languages_on")
        return codes
    if key in NUMBER_BOUNDS:
        low, high = NUMBER_BOUNDS[key]
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            raise RuleBroken(_l("Give a whole number from %(min)d to %(max)d.", min=low, max=high), field=key.lower())
        return value
    if key in TEXT_KEYS:
        value = str(value).strip()
        return value or None
    if key in BOOLEAN_KEYS:
        return True if value is True else None
    raise KeyError(key)


def save(values: dict[str, Any], actor) -> list[str]:
    """Store an administrator's values for keys of ``settings.TUNABLE``; ``None`` removes a stored value, so the
    key falls back to the configured default. Keys not in ``values`` are left as they are.

    Records one audit entry ``settings.update`` naming the keys whose stored value changed, with
    before → after (``None``: the default) for all but the contact details. Returns those keys; the
    caller commits, and the commit makes every worker read the settings afresh (the page cache's
    generation)."""
    unknown = set(values) - set(settings.TUNABLE)
    if unknown:
        raise KeyError(", ".join(sorted(unknown)))
    wanted = {key: _normalised(key, value) for key, value in values.items()}
    rows = {row.key: row for row in db.session.scalars(db.select(Setting).where(Setting.key.in_(list(wanted))))}
    actor_id = getattr(actor, "id", None)
    changes: dict[str, tuple[Any, Any]] = {}
    changed: list[str] = []
    for key in settings.TUNABLE:
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
    settings.read_again()   # the rest of this request reads what was just stored
    return changed
