"""Writing the audit trail."""
from __future__ import annotations

from typing import Any, Iterable

from app.core.models import AuditEntry
from app.extensions import db


def record(actor: Any | None, action: str, target: Any, changed: Iterable[str] = (),
           changes: dict[str, tuple[Any, Any]] | None = None) -> AuditEntry:
    """Add an audit entry in the current transaction.

    ``target`` is a model instance; only its class name and id are kept.
    ``changes`` holds before → after for values that are not personal data.
    """
    actor_id = getattr(actor, "id", None) if actor is not None and getattr(actor, "is_authenticated", True) else None
    entry = AuditEntry(
        actor_id=actor_id,
        action=action,
        target_type=type(target).__name__,
        target_id=str(target.id) if getattr(target, "id", None) is not None else None,
        changed_fields=sorted(set(changed) | set(changes or {})),
        changes={name: [before, after] for name, (before, after) in (changes or {}).items()},
    )
    db.session.add(entry)
    db.session.flush()
    return entry
