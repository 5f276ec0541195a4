"""Registering people for an event the way the registration service does, for tests of what is public."""
from __future__ import annotations

from app.extensions import db


def register(app, event_id: int, **person) -> None:
    """A guest (name, email, phone, access_needs) or, with ``user_id``, an account."""
    from app.accounts.models import User
    from app.events import registration
    from app.events.models import Event

    with app.test_request_context():
        user_id = person.pop("user_id", None)
        user = db.session.get(User, user_id) if user_id else None
        registration.register(db.session.get(Event, event_id), user=user, **person)
        db.session.commit()
