"""The package's shape, kept: no module reaches into another's private names, and a module
that grows past about 500 lines says why in its docstring."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "plugins" / "casehub"
MAX_LINES = 500


def modules():
    return sorted(PACKAGE.rglob("*.py"))


def test_no_module_imports_a_private_name_from_another():
    crossings = []
    for path in modules():
        tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and (node.level or (node.module or "").startswith("casehub")):
                crossings += [f"{path.relative_to(PACKAGE)}: {alias.name} from {'.' * node.level}{node.module or ''}"
                              for alias in node.names if alias.name.startswith("_") and not alias.name.startswith("__")]
            elif isinstance(node, ast.Attribute) and node.attr.startswith("_") and not node.attr.startswith("__"):
                owner = node.value
                if isinstance(owner, ast.Name) and owner.id in {"rules", "loader", "schema", "federation", "generator",
                                                                  "render", "search", "edit", "issueform", "safetext"}:
                    crossings.append(f"{path.relative_to(PACKAGE)}: {owner.id}.{node.attr}")
    assert crossings == []


def test_long_modules_say_why():
    unexplained = []
    for path in modules():
        text = path.read_text(encoding="utf-8")
        if text.count("\n") > MAX_LINES:
            docstring = ast.get_docstring(ast.parse(text)) or ""
            if "longer than" not in docstring and "long because" not in docstring:
                unexplained.append(f"{path.relative_to(PACKAGE)} ({text.count(chr(10))} lines)")
    assert unexplained == []


def test_no_test_module_imports_another():
    """Helpers shared between tests live in tests/support; conftest.py holds only fixtures."""
    tests = Path(__file__).resolve().parent
    crossings = []
    for path in sorted(tests.glob("test_*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.level and (node.module or "").split(".")[0].startswith(
                    ("test_", "conftest")):
                crossings.append(f"{path.name}: from .{node.module}")
    assert crossings == []
