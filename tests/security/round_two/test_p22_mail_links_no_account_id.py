"""Mail links do not show the account id.

The tester decoded the first part of a reset, confirmation and unsubscribe link (base64 JSON) and
read ``{"uid": 2, ...}``: how many accounts there are, and which link is whose. Links now name the
account by a random key of its own.
"""
from __future__ import annotations

import base64
import json
import re
import zlib

from app.accounts.models import User
from app.extensions import db
from tests.helpers import PASSWORD, Browser, make_user, outbox


def _payload(token: str) -> dict:
    compressed = token.startswith(".")
    part = token.lstrip(".").split(".")[0]
    raw = base64.urlsafe_b64decode(part + "=" * (-len(part) % 4))
    return json.loads(zlib.decompress(raw) if compressed else raw)


def test_mail_links_show_no_account_id(app_factory):
    app = app_factory()
    for n in range(3):   # ids that are not 1, so a number found is not a coincidence
        make_user(app, email=f"fyll{n}@example.no")
    user = make_user(app, email="kari@example.no")
    Browser(app).submit("/account/reset", {"email": user.email})
    Browser(app).submit("/account/register", {"email": "ny@example.no", "display_name": "Ny",
                                              "password": PASSWORD, "password_confirm": PASSWORD})
    browser = Browser(app)
    browser.submit("/account/login", {"email": user.email, "password": PASSWORD})
    browser.submit("/account/", {"email-current_password": PASSWORD, "email-new_email": "kari.ny@example.no"},
                   action="/account/email")
    admin = make_user(app, role="admin", email="admin@example.no")
    staff = Browser(app)
    staff.submit("/account/login", {"email": admin.email, "password": PASSWORD})
    staff.submit("/admin/people/invite", {"email": "ny.moderator@example.no", "display_name": "Ny Moderator",
                                          "role": "moderator", "districts": ["lademoen"], "locale": "nb"})
    with app.test_request_context():
        from app.accounts.services import unsubscribe_url
        from app.core import secret_links

        ids = {u.email: u.id for u in db.session.scalars(db.select(User))}
        unsubscribe = secret_links.token_of(unsubscribe_url(db.session.get(User, user.id), "idea_updates"))

    tokens = [(m.recipient, t) for m in outbox(app)
              for t in re.findall(r"/account/(?:reset|verify|email/confirm|invitation)/([^\s/]+)", m.body)]
    tokens.append((user.email, unsubscribe))
    assert len(tokens) >= 5
    for recipient, token in tokens:
        payload = _payload(token)
        account_id = ids.get(recipient, ids.get("kari@example.no"))
        assert "uid" not in payload, payload
        assert account_id not in payload.values() and str(account_id) not in map(str, payload.values()), payload
