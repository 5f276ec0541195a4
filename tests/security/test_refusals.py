"""A service's refusal that a view forgot to catch is answered centrally: 403 when the person may
not do it, 409 when someone else changed it, the rule's own status otherwise, always in the
site's layout with the service's message (problem details under the JSON API), never a 500."""
from __future__ import annotations

import pytest
from flask_login import current_user

from app.core.permissions import Permission, public, require
from app.core.rules import Conflict, Forbidden, RuleBroken
from app.extensions import db
from tests.helpers import Browser, make_event, make_organisation, soup


@pytest.fixture
def app(app_factory):
    """An app with routes that call services without the checks a real view makes first."""
    app = app_factory()

    @require(Permission.PARTICIPATE)
    def cancel_without_checking(event_id: int):
        from app.events import services
        from app.events.models import Event

        # The pre-check a real view makes (may this person manage the event?) is forgotten here.
        services.cancel(db.session.get(Event, event_id), False, current_user._get_current_object())
        db.session.commit()
        return "cancelled"

    @public
    def refuse(kind: str):
        raise {"conflict": Conflict("Someone changed it first."), "rule": RuleBroken("Not like that.")}[kind]

    @public
    def api_refuse():
        raise Forbidden()

    app.add_url_rule("/test/events/<int:event_id>/cancel-unchecked", view_func=cancel_without_checking)
    app.add_url_rule("/test/refuse/<any(conflict, rule):kind>", view_func=refuse)
    app.add_url_rule("/api/v1/test-forbidden", view_func=api_refuse)
    return app


def test_a_view_that_forgot_its_permission_check_answers_403_in_the_layout_and_changes_nothing(app, client, login_as):
    event = make_event(app, make_organisation(app))
    login_as("resident")

    answer = client.get(f"/test/events/{event}/cancel-unchecked?lang=en")

    assert answer.status_code == 403
    page = soup(answer)
    assert page.find("h1").get_text() == "You do not have access to this page"
    assert "Your account does not give access to this page" in page.get_text()
    assert page.find("nav") is not None  # the site's layout, not a bare error
    from app.events.models import Event

    with app.app_context():
        assert db.session.get(Event, event).status == "published"


@pytest.mark.parametrize(("kind", "status", "message"), [
    ("conflict", 409, "Someone changed it first."),
    ("rule", 400, "Not like that."),
])
def test_an_uncaught_refusal_answers_its_own_status_with_its_message(app, kind, status, message):
    answer = Browser(app).get(f"/test/refuse/{kind}?lang=en")
    assert answer.status_code == status
    assert message in soup(answer).find("main").get_text()


def test_under_the_json_api_an_uncaught_refusal_is_problem_details(app):
    answer = Browser(app).get("/api/v1/test-forbidden")
    assert answer.status_code == 403
    assert answer.mimetype == "application/problem+json"
    assert answer.get_json()["status"] == 403
