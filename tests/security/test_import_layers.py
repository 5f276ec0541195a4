"""Modules of app/ import each other in one direction only: no circles, and core never imports a domain.

Every import counts, also one inside a function (an import hidden there to dodge a circle is
still a circle) — except under ``if TYPE_CHECKING:``, which never runs.
"""
from __future__ import annotations

import ast
from pathlib import Path

APP = Path(__file__).resolve().parents[2] / "app"
SHARED = ("app.core", "app.extensions")


def _module_name(path: Path) -> str:
    parts = path.relative_to(APP.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _is_type_checking(node: ast.AST) -> bool:
    return isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test)


def _imported(tree: ast.Module, name: str, is_package: bool):
    """Names of modules (and of names inside them) imported anywhere in ``tree``."""
    skip = {id(n) for node in ast.walk(tree) if _is_type_checking(node) for n in ast.walk(node)}
    for node in ast.walk(tree):
        if id(node) in skip:
            continue
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                package = name.split(".") if is_package else name.split(".")[:-1]
                package = package[: len(package) - node.level + 1]
                base = ".".join(package + ([base] if base else []))
            yield base
            yield from (f"{base}.{alias.name}" for alias in node.names)


def import_graph() -> dict[str, set[str]]:
    paths = {_module_name(path): path for path in APP.rglob("*.py")}
    graph = {}
    for name, path in paths.items():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        graph[name] = {target for target in _imported(tree, name, path.name == "__init__.py")
                       if target in paths and target != name}
    return graph


def circles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected groups of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(module: str) -> None:
        index[module] = low[module] = len(index)
        stack.append(module)
        for target in sorted(graph[module]):
            if target not in index:
                visit(target)
                low[module] = min(low[module], low[target])
            elif target in stack:
                low[module] = min(low[module], index[target])
        if low[module] == index[module]:
            group = []
            while True:
                member = stack.pop()
                group.append(member)
                if member == module:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    for module in sorted(graph):
        if module not in index:
            visit(module)
    return found


def _inside(graph: dict[str, set[str]], *packages: str) -> dict[str, set[str]]:
    """The part of ``graph`` among the modules of ``packages`` (each one and what is under it)."""
    mine = {module for module in graph for package in packages
            if module == package or module.startswith(package + ".")}
    return {module: graph[module] & mine for module in mine}


def test_core_has_no_import_circle():
    """Core reads bottom-up: db and extensions, the worker cache, settings, i18n, permissions, then the
    page cache and templating on top."""
    assert circles(_inside(import_graph(), *SHARED)) == []


def test_core_imports_no_domain_package():
    graph = import_graph()
    wrong = sorted(f"{module} -> {target}" for module, targets in graph.items() if module.startswith("app.core")
                   for target in targets if not target.startswith(SHARED))
    assert wrong == []


def test_no_package_is_in_a_circle_with_its_own_modules():
    """A package's blueprint lives in its views module, so ``__init__`` imports nothing of its own and a
    module may import a sibling (``from app.ideas import services``) without going round in a circle."""
    graph = import_graph()
    packages = sorted({module.split(".")[1] for module in graph if module.count(".") >= 1})
    found = [circle for package in packages for circle in circles(_inside(graph, f"app.{package}"))]
    assert found == []


def test_no_import_circle_between_modules_of_app():
    """Any two modules of app/ import each other in one direction only, counting imports inside functions:
    reports and review requests live in app/moderation/reports.py, which uses the idea rules and the
    moderation rules, so neither of those needs the other's module back."""
    assert circles(import_graph()) == []


def test_the_check_finds_a_circle():
    assert circles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
