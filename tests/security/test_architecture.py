"""Architecture rules that hold for every route, including routes added later."""
from __future__ import annotations

import ast
import re
from pathlib import Path

from werkzeug.routing import AnyConverter, IntegerConverter

from app.core.permissions import PUBLIC, Permission
from tests.helpers import form_fields

# Endpoints that are not views of ours.
EXEMPT = {"static"}
# Pages that show a form on GET and take it on POST; everything else that changes data is POST only.
FORM_PAGES = {
    "accounts.register", "accounts.login", "accounts.request_reset", "accounts.reset_password",
    "accounts.unsubscribe", "ideas.new", "ideas.edit", "ideas.withdraw", "ideas.report_idea", "ideas.report_comment",
    "ideas.edit_comment", "ideas.delete_comment",
    "feedback.new", "ideas.request_review", "ideas.request_comment_review", "moderation.templates", "moderation.edit_template",
    "meeting_places.new", "meeting_places.edit", "meeting_places.photos", "photos.report", "organisations.apply", "organisations.members", "organisations.invitation",
    "follows.place", "follows.organisation", "follows.confirm", "follows.unsubscribe",
    "organiser.new_event", "organiser.edit_event", "organiser.cancel_event", "organiser.event_translations",
    "organiser.edit_event_translation", "events.register", "events.manage_registration",
    "events.cancel_registration", "events.erase_registration",
    "organiser.participants", "accounts.delete", "accounts.two_factor", "accounts.two_factor_setup",
    "admin.invite", "accounts.accept_invitation", "surveys.invitation", "surveys.question", "surveys.paper",
    "admin.settings",
    "admin.place_retire", "admin.place_merge", "admin.organisation_edit", "admin.organisation_retire",
    "admin.organisation_merge",
    "admin.district_new", "admin.district_edit", "admin.district_retire", "admin.effort_area_edit", "admin.sub_theme_new",
    "admin.district_boundary",
    "admin.survey_new", "admin.survey_question_new", "admin.survey_question", "admin.round_new", "admin.survey_staff",
}


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
            assert rule.endpoint in FORM_PAGES, f"{rule.rule} accepts GET and POST: make it a form page or POST only"


def _example_path(rule) -> str:
    """The rule's path with an example value for each argument (no such object needs to exist)."""
    values = {name: 1 if isinstance(converter, IntegerConverter)
              else sorted(converter.items)[0] if isinstance(converter, AnyConverter) else "x"
              for name, converter in rule._converters.items()}
    return rule.build(values, append_unknown=False)[1]


def test_restricted_views_send_visitors_to_log_in(app, client):
    """A visitor asking for a restricted page, or posting to one with a valid token, is sent to log in."""
    token = form_fields(client.get("/account/reset"))["csrf_token"]
    for rule, view in _views(app):
        if not isinstance(getattr(view, "access", None), Permission):
            continue
        path = _example_path(rule)
        for method in sorted(rule.methods & {"GET", "POST"}):
            response = client.open(path, method=method, data={"csrf_token": token} if method == "POST" else None)
            assert response.status_code == 302, (method, rule.rule)
            assert "/account/login" in response.headers["Location"], (method, rule.rule)


ROUTE_DECORATOR = re.compile(r"^@\w+\.(route|get|post|put|patch|delete)\(|\.add_url_rule\(", re.MULTILINE)


def _view_modules() -> list[Path]:
    """Every module of app/ that registers a route, and every views.py."""
    return sorted(path for path in (Path(__file__).parents[2] / "app").rglob("*.py")
                  if path.name == "views.py" or ROUTE_DECORATOR.search(path.read_text(encoding="utf-8")))


def test_views_leave_queries_to_the_services():
    """A view reads the request and renders; what it looks up comes from a service function."""
    modules = _view_modules()
    assert len(modules) > 10 and any(path.parent.name == "admin" for path in modules)
    querying = [str(path.relative_to(path.parents[2])) for path in modules
                if "select(" in path.read_text(encoding="utf-8")]
    assert querying == [], f"views modules that build a query (move it to a service): {querying}"


# A view reads in one screenful: it takes the request, calls a service, and answers. Longer means a
# rule that belongs in a service, or a form step that belongs in a helper (app/core/forms.py, app/core/once.py).
VIEW_MAX_LINES = 25
ROUTE_DECORATORS = {"route", "get", "post", "put", "patch", "delete"}


def _route_functions():
    """(file, name, lines) of every function under app/ with a route decorator, counted from its
    ``def`` line to its last line (decorators not counted)."""
    root = Path(__file__).resolve().parents[2] / "app"
    for path in sorted(root.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and any(
                isinstance(d, ast.Call) and isinstance(d.func, ast.Attribute) and d.func.attr in ROUTE_DECORATORS
                for d in node.decorator_list
            ):
                yield path.relative_to(root.parent).as_posix(), node.name, node.end_lineno - node.lineno + 1


def test_the_walk_finds_the_views():
    found = {(path, name) for path, name, _lines in _route_functions()}
    assert ("app/ideas/views.py", "new") in found and len(found) > 100


def test_no_view_is_longer_than_a_screenful():
    long = [f"{path}:{name} ({lines} lines)" for path, name, lines in _route_functions() if lines > VIEW_MAX_LINES]
    assert long == [], f"views over {VIEW_MAX_LINES} lines (move rules to services, form steps to helpers): {long}"
