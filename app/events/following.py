"""Following a meeting place or an organisation: a mail in one's own language when it posts a new event."""
from __future__ import annotations

from app.events.models import Event


def announce(event: Event, occurrences: int) -> None:
    """Mail the confirmed followers of the event's meeting place and organisation (once each)."""
    return None
