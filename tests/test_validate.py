"""Rules across files, and the promise that validation changes nothing."""

import hashlib
import os
from pathlib import Path

import pytest

from casehub.core.validate import UsageError, validate

from .support import MINIMAL, ROOT


def rules_of(report):
    return sorted((f.path, f.rule) for f in report.findings)


def test_ids_come_from_file_names(new_project):
    project = new_project({"My Entry.md": MINIMAL, "search.md": MINIMAL, "about.md": MINIMAL,
                           "good-one/index.md": MINIMAL, "cafe.md": MINIMAL, "Cafe.md": MINIMAL})
    report = validate(project)
    assert rules_of(report) == [
        ("casestudies/Cafe.md", "id-format"),
        ("casestudies/My Entry.md", "id-format"),
        ("casestudies/about.md", "id-reserved"),
        ("casestudies/cafe.md", "id-unique"),
        ("casestudies/search.md", "id-reserved"),
    ]
    messages = {f.path: str(f) for f in report.findings}
    assert "rename it to lower-case words joined by hyphens, such as 'my-entry'" in messages["casestudies/My Entry.md"]
    assert "already used by casestudies/Cafe.md" in messages["casestudies/cafe.md"]


def test_ids_unique_ignoring_accents(new_project):
    project = new_project({"caf\u00e9.md": MINIMAL, "cafe.md": MINIMAL})
    assert ("casestudies/caf\u00e9.md", "id-unique") in rules_of(validate(project))


def test_references_must_exist_but_may_point_anywhere_in_the_library(new_project):
    linked = MINIMAL.replace("stage: live", "stage: live\ninspired_by: [first]\nadopted_by: [nowhere]")
    project = new_project({"first.md": MINIMAL, "second.md": linked})
    report = validate(project, [project.entries_dir / "second.md"])
    assert [(f.rule, f.field) for f in report.findings] == [("known-reference", "adopted_by[0]")]


def test_symlinked_entries_are_refused(new_project):
    project = new_project({"real/index.md": MINIMAL})
    os.symlink(project.entries_dir / "real", project.entries_dir / "linked")
    assert ("casestudies/linked/index.md", "no-symlink") in rules_of(validate(project))


def test_markdown_in_the_wrong_place(new_project):
    project = new_project({"folder/notes.md": MINIMAL, "folder/index.md": MINIMAL})
    assert rules_of(validate(project)) == [("casestudies/folder/notes.md", "entry-location")]


def test_image_beside_the_entry_passes(new_project):
    body = MINIMAL + "\n![A chart of visits by month](chart.png)\n"
    project = new_project({"with-image/index.md": body})
    (project.entries_dir / "with-image" / "chart.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    assert validate(project).findings == []


def test_raw_html_in_code_is_fine(new_project):
    body = MINIMAL + "\nUse `<br>` sparingly.\n\n```\n<script>alert(1)</script>\n```\n"
    assert validate(new_project({"code.md": body})).findings == []


def test_a_missing_path_is_a_usage_error(project):
    with pytest.raises(UsageError):
        validate(project, [ROOT / "no-such-folder"])


def test_validation_never_changes_a_file(project):
    def snapshot():
        return {p: hashlib.sha256(p.read_bytes()).hexdigest() for p in (ROOT / "tests" / "fixtures").rglob("*")
                if p.is_file()}
    before = snapshot()
    validate(project, [ROOT / "tests" / "fixtures" / "invalid", ROOT / "tests" / "fixtures" / "valid"])
    assert snapshot() == before


def test_a_library_file_named_by_a_relative_path_is_not_its_own_duplicate(project, monkeypatch):
    monkeypatch.chdir(ROOT)
    report = validate(project, [Path("casestudies/camden-data-charter.md"), Path("examples/full.md")])
    assert report.findings == []
