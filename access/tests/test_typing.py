"""The typed core (mypy, pyproject `[tool.mypy] files`) names its users and provinces: no `Any`."""

from __future__ import annotations

import ast
import tomllib
from pathlib import Path

from django.conf import settings

ROOT = Path(settings.BASE_DIR)
NAMES = {"user", "acting_user", "actor", "users", "province", "provinces"}


def typed_files() -> list[Path]:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["mypy"]
    out: list[Path] = []
    for entry in config["files"]:
        path = ROOT / entry
        out += [p for p in path.rglob("*.py") if "tests" not in p.parts] if path.is_dir() else [path]
    return out


def test_users_and_provinces_are_never_any_in_the_typed_core():
    found = []
    for path in typed_files():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                for arg in [*node.args.posonlyargs, *node.args.args, *node.args.kwonlyargs]:
                    if arg.arg in NAMES and arg.annotation is not None and "Any" in ast.unparse(arg.annotation):
                        found.append(
                            f"{path.relative_to(ROOT)}:{node.lineno} {node.name}({arg.arg}: {ast.unparse(arg.annotation)})"
                        )
    assert not found, "\n".join(found)


def test_the_typed_core_includes_the_access_layer_and_the_rule_engines():
    names = {str(p.relative_to(ROOT)) for p in typed_files()}
    assert {
        "access/policy.py",
        "access/scope.py",
        "areas/rules.py",
        "indicators/rules.py",
        "reporting/periods.py",
    } <= names
