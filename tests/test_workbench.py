"""The migration workbench: an imported archive is seen as a batch in the review queue, filled with
`casehub set`, published with `casehub publish` and shared out with `casehub worklist`; each bulk
command changes only the lines it must, refuses what it cannot do, and suggests near misses."""

from __future__ import annotations

import csv
import difflib
import io
import json
import shlex
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from casehub.cli import cli
from casehub.core.loader import load
from casehub.core.validate import validate
from casehub.site.build import build

from .support import MINIMAL, ROOT
from .support.edits import tree

BATCH = "Council archive 2026-11-30"
IMPORTED = """---
# Imported by casehub import on 2026-11-30 from legacy/case-1.md.
# A draft: check it against the original, fix what 'casehub validate' reports, then run 'casehub publish'.
title: "Example City tests a housing register"
summary: "Residents told us the old service was slow, so we rebuilt the register with them."
type: story
status: draft
source:
  name: "Council archive"
  path: "legacy/case-1.md"
  format: markdown
  imported: 2026-11-30
---
The body of the story.
"""
COMPLETE = IMPORTED.replace("type: story\n", "type: story\n" + MINIMAL.split("status: published\n")[1]
                            .split("---")[0]).replace("legacy/case-1.md", "legacy/case-2.md")


def run(project, *args):
    return CliRunner().invoke(cli, ["--root", str(project.root), *args])


def changed_lines(before: str, after: str) -> tuple[list[str], list[str]]:
    """(lines removed, lines added) between two texts."""
    diff = list(difflib.ndiff(before.splitlines(keepends=True), after.splitlines(keepends=True)))
    return [d[2:] for d in diff if d.startswith("- ")], [d[2:] for d in diff if d.startswith("+ ")]


@pytest.fixture
def archive(new_project):
    """A library with a published entry, an imported batch of three drafts (one complete) and a draft of
    a contributor's."""
    return new_project({
        "published.md": MINIMAL,
        "city-housing.md": IMPORTED,
        "town-repairs.md": IMPORTED.replace("Example City tests a housing register", "Example Town fixes repairs")
                                   .replace("case-1", "case-3"),
        "city-complete.md": COMPLETE,
        "contributed.md": MINIMAL.replace("status: published", "status: draft").replace("topics: [digital-and"
                                                                                          "-technology]\n", ""),
    })


def test_review_shows_the_batch_with_totals_and_suggested_bulk_fixes(archive):
    result = run(archive, "review", "--today", "2026-12-01")
    assert result.exit_code == 0, result.output
    text = result.output
    assert "Imported batches (1)" in text
    assert (f"{BATCH}: 3 entries: 0 published, 1 draft ready to publish, 2 drafts to complete — publish the ready "
            f"ones: casehub publish --batch '{BATCH}'") in text
    assert (f"2 drafts need topics — suggested bulk fix: casehub set topics=digital-and-technology "
            f"--batch '{BATCH}' --where topics=") in text  # the value the batch's complete entry has
    assert "2 drafts need contact — suggested bulk fix: casehub set 'contact.team=Digital team'" in text
    assert f"casehub set published=2026-11-30 --batch '{BATCH}' --where published=" in text
    # The contributor's draft is listed on its own with what it needs; imported ones are counted in the batch.
    assert "casestudies/contributed.md: a draft that is not complete: it needs topics" in text
    assert "city-housing" not in text
    items = json.loads(run(archive, "review", "--format", "json", "--today", "2026-12-01").output)["queue"]
    batch = [i for i in items if i["kind"] == "batch"]
    assert batch[0]["problem"].startswith("3 entries") and all(i["id"] == BATCH for i in batch)
    markdown = run(archive, "review", "--format", "markdown", "--today", "2026-12-01").output
    assert "- [ ] 2 drafts need topics: suggested bulk fix: `casehub set topics=digital-and-technology" in markdown


def test_suggested_fixes_run_and_then_the_batch_publishes(archive, tmp_path):
    items = json.loads(run(archive, "review", "--format", "json", "--today", "2026-12-01").output)["queue"]
    fixes = [i["action"].removeprefix("suggested bulk fix: ") for i in items
             if i["kind"] == "batch" and i["action"].startswith("suggested bulk fix: ")]
    assert len(fixes) == 6  # organisations, geography, topics, published, stage and contact
    before = {p: (archive.entries_dir / p).read_text(encoding="utf-8") for p in ("city-housing.md", "published.md")}
    for fix in fixes:
        result = run(archive, *shlex.split(fix)[1:])
        assert result.exit_code == 0, (fix, result.output)
    assert (archive.entries_dir / "published.md").read_text(encoding="utf-8") == before["published.md"]
    removed, added = changed_lines(before["city-housing.md"],
                                   (archive.entries_dir / "city-housing.md").read_text(encoding="utf-8"))
    assert removed == []  # only new lines: every byte that was there is still there
    assert "topics:\n" in added and "  - digital-and-technology\n" in added and "published: 2026-11-30\n" in added
    dry = run(archive, "publish", "--batch", "Council archive", "--dry-run")
    assert dry.exit_code == 0 and "Would publish 3 entries" in dry.output
    assert load(archive.entries_dir / "city-housing.md").metadata["status"] == "draft"
    result = run(archive, "publish", "--batch", BATCH)
    assert result.exit_code == 0, result.output
    assert "Published 3 entries" in result.output
    removed, added = changed_lines(before["city-housing.md"],
                                   (archive.entries_dir / "city-housing.md").read_text(encoding="utf-8"))
    assert removed == [IMPORTED.splitlines(keepends=True)[1], IMPORTED.splitlines(keepends=True)[2],
                       "status: draft\n"]  # the importer's notes, and the status
    assert "status: published\n" in added
    assert run(archive, "validate").exit_code == 0
    output = build(archive.root, "publishconf.py", tmp_path / "site", search=False)
    for name in ("city-housing", "town-repairs", "city-complete", "published"):
        assert (output / name / "index.html").is_file()
    assert not (output / "contributed").exists()


def test_publish_refuses_incomplete_drafts_with_their_reasons(archive):
    before = tree(archive)
    result = run(archive, "publish", "--batch", BATCH)
    assert result.exit_code == 1
    assert "Published 1 entry" in result.output and "casestudies/city-complete.md" in result.output
    assert ("casestudies/city-housing.md: needs organisations, geography, topics, stage, published, contact"
            in result.output)
    after = tree(archive)
    assert {path for path in before if before[path] != after[path]} == {"casestudies/city-complete.md"}
    assert run(archive, "publish", "published").output.startswith("Published 0 entries")  # already published
    archived = run(archive, "archive", "published", "--reason", "The service closed in 2025.")
    assert archived.exit_code == 0
    refused = run(archive, "publish", "published")
    assert refused.exit_code == 1 and "its status is 'archived'" in refused.output


def test_a_safety_finding_keeps_a_draft_from_being_published(archive):
    path = archive.entries_dir / "city-complete.md"
    path.write_text(COMPLETE.replace("The body", "Ring 07700 900123. The body"), encoding="utf-8")
    result = run(archive, "publish", "city-complete")
    assert result.exit_code == 1 and "needs personal data removed" in result.output
    assert "07700" not in result.output


def test_set_refuses_what_would_add_a_problem_and_unknown_names(archive):
    before = tree(archive)
    region = run(archive, "set", "geography.region=london", "city-housing")  # a region with no nation
    assert region.exit_code == 1 and "it would add: geography.nation: 'nation' is missing" in region.output
    unknown = run(archive, "set", "stage=live", "city-housousing", "town-repair")
    assert unknown.exit_code == 2
    assert "there is no entry 'city-housousing' in casestudies/ — did you mean 'city-housing'?" in unknown.output
    assert "there is no entry 'town-repair' in casestudies/ — did you mean 'town-repairs'?" in unknown.output
    assert "No entry was changed." in unknown.output
    assert "did you mean 'live'?" in run(archive, "set", "stage=lve", "--batch", BATCH).output
    assert "did you mean 'Council archive 2026-11-30'?" in run(archive, "set", "stage=live", "--batch",
                                                               "Council archiv 2026").output
    assert "casehub publish" in run(archive, "set", "status=published", "city-housing").output
    assert "did you mean 'geography.region'?" in run(archive, "set", "geography.regon=london", "--batch",
                                                     BATCH).output
    assert run(archive, "set", "stage=live").exit_code == 2  # no entries named
    dry = run(archive, "set", "stage=live", "--batch", BATCH, "--dry-run")
    assert dry.exit_code == 0 and "Would set stage=live on 2 entries (1 already so, left unchanged)" in dry.output
    assert tree(archive) == before


def test_where_narrows_by_wildcards_and_missing_fields(archive):
    result = run(archive, "set", "organisations=Example City Council", "--batch", BATCH, "--where",
                 "title=example city*", "--where", "organisations=")
    assert result.exit_code == 0, result.output
    assert "Set organisations=Example City Council on 1 entry" in result.output
    assert load(archive.entries_dir / "city-housing.md").metadata["organisations"] == [
        {"name": "Example City Council", "role": "lead"}]
    assert "organisations" not in load(archive.entries_dir / "town-repairs.md").metadata
    assert load(archive.entries_dir / "city-complete.md").metadata["organisations"][0]["name"] == \
        "Example Borough Council"  # it had one: --where organisations= left it alone
    tags = run(archive, "set", "tags=housing,repairs", "--where", "source.path=legacy/case-3.md")
    assert tags.exit_code == 0 and load(archive.entries_dir / "town-repairs.md").metadata["tags"] == [
        "housing", "repairs"]


def test_the_worklist_is_a_csv_to_share_out(archive, tmp_path):
    (archive.entries_dir / "town-repairs.md").write_text(
        IMPORTED.replace("Example City tests a housing register", "=HYPERLINK(1)").replace("case-1", "case-3"),
        encoding="utf-8")
    output = tmp_path / "worklist.csv"
    result = run(archive, "worklist", "--batch", BATCH, "-o", str(output))
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(output.read_text(encoding="utf-8"))))
    assert [r["id"] for r in rows] == ["city-complete", "city-housing", "town-repairs"]
    assert list(rows[0]) == ["id", "title", "path", "batch", "source", "status", "state", "needs",
                             "suggested_fix", "assignee"]
    complete, housing, repairs = rows
    assert complete["state"] == "ready to publish" and complete["suggested_fix"] == "casehub publish city-complete"
    assert housing["state"] == "to complete" and housing["source"] == "legacy/case-1.md"
    assert housing["needs"] == "organisations; geography; topics; stage; published; contact"
    assert housing["suggested_fix"].startswith("casehub set 'organisations=Example Borough Council' "
                                               "geography.nation=england geography.region=london")
    assert housing["suggested_fix"].endswith("city-housing; then casehub publish city-housing")
    assert repairs["title"] == "'=HYPERLINK(1)" and all(r["assignee"] == "" for r in rows)
    everything = run(archive, "worklist")
    assert [r["id"] for r in csv.DictReader(io.StringIO(everything.output))] == [
        "contributed", "city-complete", "city-housing", "town-repairs"]
    assert "did you mean" in run(archive, "worklist", "--batch", "Council archve").output


def test_an_imported_archive_validates_builds_and_publishes_in_batches(new_project, tmp_path):
    """The generated corpus in the shapes of real sites, imported: only safety findings fail validation;
    without them the site builds; review shows the batch; publish --batch publishes the complete ones."""
    corpus = tmp_path / "corpus"
    subprocess.run([sys.executable, str(ROOT / "scripts" / "make_import_corpus.py"), "60", str(corpus)],
                   check=True, capture_output=True)
    project = new_project()
    imported = run(project, "import", "markdown", str(corpus), "--source-name", "Council archive",
                   "--today", "2026-11-30")
    assert imported.exit_code == 0, imported.output
    report = validate(project)
    errors = {f.rule for f in report.findings if f.severity == "error"}
    assert errors <= {"personal-data"} and report.unfinished  # the corpus has phone numbers in some bodies
    for path in {f.path for f in report.findings if f.severity == "error"}:
        (project.root / path).unlink(missing_ok=True)
    assert run(project, "validate").exit_code == 0
    review = run(project, "review", "--today", "2026-12-01").output
    assert f"{BATCH}: " in review and "need stage — suggested bulk fix: casehub set stage=" in review
    published = run(project, "publish", "--batch", BATCH)
    assert published.exit_code == 1  # some drafts are not complete: they are listed, not published
    count = int(published.output.split()[1])
    assert count > 0 and "not complete yet" in published.output
    assert validate(project).ok
    output = build(project.root, "publishconf.py", tmp_path / "site", search=False)
    entries = json.loads((output / "entries.json").read_text(encoding="utf-8"))["entries"]
    assert len(entries) == sum(1 for p in project.entry_files()
                               if load(p).metadata["status"] in ("published", "archived"))
    assert all((output / e["id"] / "index.html").is_file() for e in entries)
    assert not any(Path(p).name.startswith(".") for p in (output).rglob("*.tmp"))
