"""Architecture rules that hold for every route, including routes added later."""
from __future__ import annotations

import re

from app.core.permissions import PUBLIC, Permission

# Endpoints that are not views of ours.
EXEMPT = {"static"}


def _views(app):
    for rule in app.url_map.iter_rules():
        if rule.endpoint in EXEMPT:
            continue
        yield rule, app.view_functions[rule.endpoint]


def test_every_view_declares_its_permission_or_that_it_is_public(app):
    undeclared = [
        rule.rule for rule, view in _views(app)
        if getattr(view, "access", None) != PUBLIC and not isinstance(getattr(view, "access", None), Permission)
    ]
    assert undeclared == [], f"views without @public or @require(...): {undeclared}"


def test_urls_are_kebab_case_with_typed_converters(app):
    for rule, _view in _views(app):
        static_parts = re.sub(r"<[^>]+>", "", rule.rule)
        assert static_parts == static_parts.lower() and "_" not in static_parts, rule.rule
        for converter in re.findall(r"<([^>]+)>", rule.rule):
            name = converter.split(":")[-1]
            assert name.endswith(("_id", "slug", "token", "number", "code")) or ":" in converter, rule.rule


def test_state_changing_routes_are_not_reachable_by_get(app):
    """Only views that are forms (they render on GET) or mail links may take GET and POST."""
    for rule, _view in _views(app):
        if "POST" in rule.methods and "GET" in rule.methods:
            assert rule.endpoint.split(".")[-1] in {
                "register", "login", "request_reset", "reset_password", "unsubscribe",
            }, f"{rule.rule} accepts GET and POST: make it a form page or POST only"


def test_restricted_views_send_visitors_to_log_in(app, client):
    """A visitor asking for a restricted page is sent to log in and brought back."""
    for rule, view in _views(app):
        access = getattr(view, "access", None)
        if not isinstance(access, Permission) or rule.arguments:
            continue
        method = "GET" if "GET" in rule.methods else "POST"
        response = client.open(rule.rule, method=method)
        if method == "POST":
            # CSRF is checked first: without a token nothing happens
            assert response.status_code in (302, 400), rule.rule
        else:
            assert response.status_code == 302, rule.rule
            assert "/account/login" in response.headers["Location"], rule.rule
