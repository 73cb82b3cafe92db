"""The dependency graph of PCMT's apps, read from the source: every import, lazy ones included.

Dependencies point one way (DESIGN.md §5): `access` at the bottom imports no app; no two apps
import each other, directly or through others. One exception, read only by the type checker: the
user model (`accounts.models.User`, the project's AUTH_USER_MODEL that every app's foreign keys
already name) may be imported under `if TYPE_CHECKING:` to annotate an acting user.
"""

from __future__ import annotations

import ast
from pathlib import Path

from django.conf import settings

ROOT = Path(settings.BASE_DIR)


def _apps() -> set[str]:
    return {name for name in settings.INSTALLED_APPS if "." not in name and (ROOT / name).is_dir()} | {"pcmt"}


def import_graph() -> dict[str, dict[str, set[str]]]:
    """{app: {imported app: {files that import it}}}, tests and migrations left out."""
    apps = _apps()
    graph: dict[str, dict[str, set[str]]] = {app: {} for app in apps}
    for app in apps:
        for path in (ROOT / app).rglob("*.py"):
            rel = path.relative_to(ROOT)
            if "tests" in rel.parts or "migrations" in rel.parts:
                continue
            tree = ast.parse(path.read_text(encoding="utf-8"))
            type_only = {
                id(n)
                for block in ast.walk(tree)
                if _is_type_checking(block)
                for n in ast.walk(block)
                if isinstance(n, ast.ImportFrom) and n.module == "accounts.models"
            }
            for node in ast.walk(tree):
                if id(node) in type_only:
                    continue
                if isinstance(node, ast.Import):
                    names = [alias.name for alias in node.names]
                elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                    names = [node.module]
                else:
                    continue
                for name in names:
                    top = name.split(".")[0]
                    if top in apps and top != app:
                        graph[app].setdefault(top, set()).add(str(rel))
    return graph


def _is_type_checking(node: ast.AST) -> bool:
    return isinstance(node, ast.If) and ast.unparse(node.test) in ("TYPE_CHECKING", "typing.TYPE_CHECKING")


def cycles(graph: dict[str, dict[str, set[str]]]) -> list[list[str]]:
    """Every elementary cycle found by a depth-first search (each reported once)."""
    found: list[list[str]] = []
    seen: set[tuple[str, ...]] = set()

    def visit(node: str, path: list[str]) -> None:
        for nxt in graph.get(node, {}):
            if nxt == path[0]:
                key = tuple(sorted(path))
                if key not in seen:
                    seen.add(key)
                    found.append([*path, nxt])
            elif nxt not in path and nxt > path[0]:
                visit(nxt, [*path, nxt])

    for start in sorted(graph):
        visit(start, [start])
    return found


def test_no_cycle_between_apps():
    graph = import_graph()
    found = cycles(graph)
    detail = [" → ".join(c) + "  (" + "; ".join(sorted(graph[c[0]][c[1]])) + ")" for c in found]
    assert not found, "Các app nhập lẫn nhau:\n" + "\n".join(detail)


def test_the_access_layer_imports_no_app():
    assert import_graph()["access"] == {}


def test_the_check_finds_a_cycle_when_there_is_one():
    graph = {"a": {"b": {"a/x.py"}}, "b": {"c": {"b/y.py"}}, "c": {"a": {"c/z.py"}}, "d": {}}
    assert cycles(graph) == [["a", "b", "c", "a"]]
