"""Helpers shared by the tests of edit (moved out of tests/test_edit.py)."""

from __future__ import annotations

import difflib
import hashlib
import os


def tree(project) -> dict[str, str]:
    """Every file in the project and a hash of its bytes."""
    found = {}
    for folder, _, files in os.walk(project.root):
        for name in files:
            path = os.path.join(folder, name)
            with open(path, "rb") as stream:
                found[os.path.relpath(path, project.root)] = hashlib.sha256(stream.read()).hexdigest()
    return found


def changed_lines(before: str, after: str) -> list[str]:
    """The -/+ lines of a diff, without the headers."""
    return [line for line in difflib.unified_diff(before.splitlines(True), after.splitlines(True), n=0)
            if line[:1] in "+-" and not line.startswith(("+++", "---"))]
