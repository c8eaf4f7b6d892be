"""Importing the same source again: keyed on the source, never a duplicate, never over a person's work.

Every fixture archive in tests/fixtures/import/, imported twice, writes
nothing the second time. A changed source updates only drafts nobody has
edited since the import (their file still has the fingerprint in
source.hash); a renamed item is found by its row id, file or address; edited
and published entries are left alone, with a note for a person."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pytest

from casehub.core.loader import load
from casehub.core.validate import validate

from .support.imports import IMPORT, cli_import
from .support.imports_mapping import CATALOGUE, HUGO, HUGO_MAPPING, codes, run


def archives() -> list[tuple[str, Path, Path | None]]:
    """Every fixture archive: (format, source, mapping file or None)."""
    found: list[tuple[str, Path, Path | None]] = []
    for path in sorted(p for p in IMPORT.iterdir() if p.is_dir()):
        mapping = IMPORT / f"{path.name}.mapping.yaml"
        if path.name == "csv":
            found += [("csv", sheet, None) for sheet in sorted(path.glob("*.csv"))]
        elif path.name == "catalogue":
            found.append(("csv", path / "projects.csv", path / "mapping.yaml"))
        elif path.name == "feeds":
            found += [("feed", feed, None) for feed in sorted(path.iterdir()) if feed.is_file()]
        elif path.name == "wordpress":
            found += [("wordpress", export, None) for export in sorted(path.glob("*.xml"))]
        elif any(path.rglob("*.docx")):
            found.append(("docx", path, None))
        elif any(path.rglob("*.md")):
            found.append(("markdown", path, mapping if mapping.is_file() else None))
        else:
            found.append(("html", path, None))
    return found


def snapshot(project) -> dict[str, bytes]:
    return {str(path.relative_to(project.root)): path.read_bytes()
            for path in sorted(project.entries_dir.rglob("*")) if path.is_file()}


@pytest.mark.parametrize("fmt, source, mapping", archives(), ids=lambda value: getattr(value, "name", value))
def test_importing_an_archive_again_writes_nothing_new(new_project, fmt, source, mapping):
    project = new_project()
    first = run(project, fmt, source, mapping)
    before = snapshot(project)
    written = [o for o in first.outcomes if o.status in ("published", "draft", "archived")]
    assert written, "the archive should import something"
    assert all(note.code for outcome in first.outcomes for note in outcome.notes)  # every change has a code
    again = run(project, fmt, source, mapping)
    assert snapshot(project) == before
    assert again.count("unchanged") == len(written)
    assert {o.path for o in again.outcomes if o.status == "unchanged"} == {o.path for o in written}
    assert not [o for o in again.outcomes if o.status not in ("unchanged", "skipped", "failed")]
    assert again.count("skipped") == first.count("skipped") and again.count("failed") == first.count("failed")


def edit_sheet(path: Path, change) -> None:
    with open(path, newline="", encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    change(rows)
    with open(path, "w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows(rows)


def test_a_changed_source_updates_only_drafts_nobody_has_edited(new_project, tmp_path):
    project = new_project()
    sheet = tmp_path / "projects.csv"
    shutil.copy(CATALOGUE / "projects.csv", sheet)
    first = {o.origin.rsplit(" ", 1)[1]: o for o in run(project, "csv", sheet, CATALOGUE / "mapping.yaml").outcomes}
    assert [first[row].status for row in ("2", "3", "6", "7")] == ["draft", "draft", "draft", "published"]
    edited = project.root / first["3"].path
    edited.write_text(edited.read_text(encoding="utf-8").replace("Warm welcome map for the whole borough",
                                                                 "A warm welcome map for Stockport"), encoding="utf-8")
    before = snapshot(project)

    def change(rows):
        rows[1][1] = "Tenants follow their repairs online, step by step"  # renamed at the source
        for row in (2, 6):  # a draft a person edited since, and a published entry
            rows[row][7] += " Updated at the source."
        rows[5][7] += " Updated at the source."  # an unedited draft
    edit_sheet(sheet, change)
    report = run(project, "csv", sheet, CATALOGUE / "mapping.yaml")
    again = {o.origin.rsplit(" ", 1)[1]: o for o in report.outcomes}

    renamed = again["2"]  # the same entry, its title updated in place: no duplicate
    assert renamed.status == "updated" and renamed.path == first["2"].path and "updated-from-source" in codes(renamed)
    assert load(project.root / renamed.path).metadata["title"] == "Tenants follow their repairs online, step by step"
    assert load(project.root / again["6"].path).body.endswith("Updated at the source.\n")
    assert again["3"].status == "skipped" and "upstream-changed-edited" in codes(again["3"])
    assert "the draft was edited" in again["3"].notes[0].message and again["3"].notes[0].review
    assert again["7"].status == "skipped" and "upstream-changed-published" in codes(again["7"])
    after = snapshot(project)
    assert sorted(after) == sorted(before)  # no new file
    assert after[first["3"].path] == before[first["3"].path] and after[first["7"].path] == before[first["7"].path]
    assert validate(project).ok

    once_more = run(project, "csv", sheet, CATALOGUE / "mapping.yaml")  # the updated drafts are the source now
    assert once_more.count("unchanged") == 2 and snapshot(project) == after
    assert {o.origin.rsplit(" ", 1)[1] for o in once_more.outcomes if o.status == "unchanged"} == {"2", "6"}


def test_a_renamed_page_is_found_by_its_file_and_a_dry_run_only_says_so(new_project, tmp_path):
    project = new_project()
    site = tmp_path / "hugo-archive"
    shutil.copytree(HUGO, site)
    first = run(project, "markdown", site, HUGO_MAPPING)
    repairs = next(o for o in first.outcomes if o.origin.endswith("repairs-online.md"))
    page = site / "content" / "case-studies" / "repairs-online.md"
    page.write_text(page.read_text(encoding="utf-8").replace("Repairs online: tenants report and track repairs",
                                                             "Tenants report repairs online"), encoding="utf-8")
    before = snapshot(project)
    dry = run(project, "markdown", site, HUGO_MAPPING, dry_run=True)
    assert snapshot(project) == before
    assert [o.path for o in dry.outcomes if o.status == "updated"] == [repairs.path]
    text = cli_import(project, "markdown", str(site), "--mapping", str(HUGO_MAPPING), "--dry-run").output
    assert "1 draft that would be updated from the source" in text and "nothing was written" in text

    report = run(project, "markdown", site, HUGO_MAPPING)
    assert [o.path for o in report.outcomes if o.status == "updated"] == [repairs.path] == ["casestudies/repairs.md"]
    assert load(project.root / repairs.path).metadata["title"] == "Tenants report repairs online"
    assert sorted(snapshot(project)) == sorted(before)


def test_an_entry_imported_before_fingerprints_is_matched_but_never_overwritten(new_project, tmp_path):
    project = new_project()
    sheet = tmp_path / "projects.csv"
    shutil.copy(CATALOGUE / "projects.csv", sheet)
    first = run(project, "csv", sheet, CATALOGUE / "mapping.yaml")
    for outcome in first.outcomes:
        if outcome.path:
            path = project.root / outcome.path
            path.write_text("".join(line for line in path.read_text(encoding="utf-8").splitlines(keepends=True)
                                    if not line.startswith("  hash:")), encoding="utf-8")
    before = snapshot(project)
    assert run(project, "csv", sheet, CATALOGUE / "mapping.yaml").count("unchanged") == 4  # the same text
    edit_sheet(sheet, lambda rows: rows[1].__setitem__(7, "New text at the source."))
    report = run(project, "csv", sheet, CATALOGUE / "mapping.yaml")
    changed = report.outcomes[0]
    assert changed.status == "skipped" and "no record of what was imported" in changed.notes[0].message
    assert snapshot(project) == before


def test_rows_that_share_a_title_or_an_address_are_each_found_again(new_project, tmp_path):
    project = new_project()
    sheet = tmp_path / "sheet.csv"
    sheet.write_text("Title,Summary,Link\n"
                     "Warm spaces,Libraries opened as warm spaces across the borough over the winter.,https://x.gov.uk/a\n"
                     "Repairs,Tenants follow each repair online from the day they report it.,https://x.gov.uk/a\n"
                     "Warm spaces,Churches and cafes opened as warm spaces across the county too.,\n", encoding="utf-8")
    first = run(project, "csv", sheet)
    before = snapshot(project)
    again = run(project, "csv", sheet)
    assert [o.path for o in again.outcomes] == [o.path for o in first.outcomes]
    assert again.count("unchanged") == 3 and snapshot(project) == before
