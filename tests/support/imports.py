"""Helpers shared by the tests of import (moved out of tests/test_import.py)."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

from click.testing import CliRunner

from casehub.cli import cli
from casehub.core.loader import load
from casehub.core.rules import check_raw_html, check_safe_links
from casehub.core.validate import validate
from casehub.exchange.importers import ImportOptions, build_mapping, prepare

from . import FIXTURES

IMPORT = FIXTURES / "import"


TODAY = date(2026, 11, 22)


HOSTILE = re.compile(r"<\s*(script|style|iframe|form|object|embed|svg)|\bon[a-z]+\s*=|javascript:|vbscript:|data:text",
                     re.IGNORECASE)


def run_import(project, fmt, source, *, maps=(), defaults=(), mapping=None, **options):
    built = build_mapping(project, mapping, dict(m.split("=", 1) for m in maps),
                          dict(d.split("=", 1) for d in defaults))
    return prepare(project, fmt, Path(source), ImportOptions(mapping=built, today=TODAY, **options)).run()


def cli_import(project, *args):
    return CliRunner().invoke(cli, ["--root", str(project.root), "import", *args, "--today", TODAY.isoformat()])


def assert_safe_and_accounted_for(project, report):
    """Each written entry validates, or is a draft whose findings are in the report; bodies are safe."""
    assert report.outcomes
    for outcome in report.outcomes:
        if outcome.status in ("skipped", "failed"):
            assert not outcome.path or not (project.root / outcome.path).exists()
            continue
        path = project.root / outcome.path
        document = load(path, outcome.path)
        assert document.metadata["status"] == outcome.status
        findings = validate(project, [path]).findings
        if outcome.status == "published":
            assert findings == [], outcome.path
        else:
            reported = {str(f) for f in outcome.findings}
            assert {str(f) for f in findings} <= reported, outcome.path
            assert findings or any(n.review for n in outcome.notes), outcome.path
        assert check_raw_html(document) == [], outcome.path
        assert check_safe_links(document) == [], outcome.path
        assert not HOSTILE.search(document.body), (outcome.path, HOSTILE.search(document.body))
        assert "\ufffd" not in path.read_text(encoding="utf-8")
        source = document.metadata["source"]
        assert source["format"] == report.format and source["imported"] == TODAY.isoformat()
        assert source["name"] and source.get("path")
