"""The last administrator could delete their own account, leaving nobody who can give the role
back. Neither deleting it nor taking the role away (in the browser or with ``flask users revoke``)
may leave no administrator; the refusal says why in a plain sentence."""
from __future__ import annotations

from app.accounts.models import User
from app.extensions import db
from tests.helpers import PASSWORD, Browser, make_user, soup


def _user(app, user_id: int) -> User | None:
    with app.app_context():
        user = db.session.get(User, user_id)
        if user is not None:
            db.session.expunge(user)
        return user


def _logged_in(app, user) -> Browser:
    browser = Browser(app)
    assert browser.submit("/account/login", {"email": user.email, "password": PASSWORD}).status_code == 302
    return browser


def test_the_last_administrator_cannot_delete_their_own_account(app):
    admin = make_user(app, role="admin")
    browser = _logged_in(app, admin)
    answer = browser.submit("/account/delete?lang=en", {"password": PASSWORD})
    assert answer.status_code == 400
    assert "last administrator" in soup(answer).get_text(" ", strip=True)
    assert _user(app, admin.id) is not None
    assert browser.get("/admin/").status_code == 200


def test_a_blocked_second_administrator_does_not_count(app):
    admin = make_user(app, role="admin")
    other = make_user(app, role="admin")
    with app.app_context():
        from app.core.db import utcnow

        db.session.get(User, other.id).blocked_at = utcnow()
        db.session.commit()
    answer = _logged_in(app, admin).submit("/account/delete", {"password": PASSWORD})
    assert answer.status_code == 400 and _user(app, admin.id) is not None


def test_an_invited_administrator_who_has_not_accepted_does_not_count(app):
    from app.accounts import administration
    from app.core.permissions import Role

    admin = make_user(app, role="admin")
    with app.test_request_context():
        administration.invite("ny.admin@example.no", "Ny Admin", Role.ADMIN, [], "nb", db.session.get(User, admin.id))
        db.session.commit()
    answer = _logged_in(app, admin).submit("/account/delete", {"password": PASSWORD})
    assert answer.status_code == 400 and _user(app, admin.id) is not None


def test_with_another_administrator_the_account_can_be_deleted(app):
    admin = make_user(app, role="admin")
    make_user(app, role="admin")
    assert _logged_in(app, admin).submit("/account/delete", {"password": PASSWORD}).status_code == 302
    assert _user(app, admin.id) is None


def test_the_command_line_does_not_take_the_role_from_the_last_administrator(app):
    admin = make_user(app, role="admin")
    result = app.test_cli_runner().invoke(args=["users", "revoke", "admin", admin.email])
    assert result.exit_code != 0
    assert "siste administratoren" in result.output      # the command answers in Bokmål
    assert _user(app, admin.id).role == "admin"
