"""variants/ is a pure library: it imports only the standard library, msgspec
and google-re2 (a regular-expression engine: linear time, no I/O)."""

from __future__ import annotations

import ast
import doctest
import sys
from pathlib import Path

import variants

PACKAGE = Path(variants.__file__).resolve().parent
ALLOWED = {"msgspec", "re2", "variants", "__future__"}


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module.split(".")[0])
    return names


def test_only_stdlib_msgspec_and_re2_are_imported() -> None:
    for path in PACKAGE.rglob("*.py"):
        foreign = {
            name
            for name in _imports(path)
            if name not in ALLOWED and name not in sys.stdlib_module_names
        }
        assert not foreign, f"{path.name} imports {sorted(foreign)}"


def test_modules_stay_small() -> None:
    for path in PACKAGE.rglob("*.py"):
        lines = path.read_text(encoding="utf-8").count("\n")
        assert lines <= 300, f"{path.name} has {lines} lines"


def test_package_docstring_examples_run() -> None:
    result = doctest.testmod(variants, verbose=False)
    assert result.attempted > 0
    assert result.failed == 0
