"""Facilitators' commands on several entries at once, the ids they probably meant, and
what `feature` refuses: each file changes only in its own lines, or not at all."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from casehub.cli import cli
from casehub.curate.ids import entry_paths, near_misses, typed_id

from .support import MINIMAL
from .support.edits import changed_lines, tree

IDS = ["bristol-one-city-approach", "bristol-parks", "camden-data-charter", "one-city-plan", "casserole-club"]
DRAFT = MINIMAL.replace("status: published", "status: draft")
ARCHIVED = MINIMAL.replace("status: published", "status: archived\narchived_reason: The service closed in 2023.")


def run(project, *args):
    return CliRunner().invoke(cli, ["--root", str(project.root), *args])


@pytest.mark.parametrize(("typed", "expected"), [
    ("bristol", ["bristol-one-city-approach", "bristol-parks"]),        # the start of ids, in order
    ("bristol-one", ["bristol-one-city-approach"]),
    ("one-city", ["one-city-plan", "bristol-one-city-approach"]),      # the start first, then whole words
    ("city", ["bristol-one-city-approach", "one-city-plan"]),
    ("camden-data-chater", ["camden-data-charter"]),                  # spelling
    ("casestudies/casserole-club.md", ["casserole-club"]),             # a path from the review queue
    ("casestudies/camden-data-charter/index.md", ["camden-data-charter"]),
    ("Casserole-Club", ["casserole-club"]),                            # the case
    ("cit", []),                                                       # part of a word is not a word
    ("nothing-like-it", []),
    ("", []),
])
def test_near_misses(typed, expected):
    assert near_misses(typed, IDS) == expected


def test_typed_id():
    assert typed_id(" casestudies\\a-b.md ") == "a-b"
    assert typed_id("x/index.md") == "x"


def test_an_unknown_id_suggests_what_starts_the_same(project):
    result = run(project, "reviewed", "bristol")
    assert result.exit_code == 2
    assert "Error: there is no entry 'bristol' in casestudies/ — did you mean 'bristol-one-city-approach'?" \
        in result.output


def test_several_ids_change_each_file_in_its_own_lines(new_project):
    project = new_project({"a.md": MINIMAL, "b/index.md": MINIMAL, "c.md": MINIMAL})
    files = tree(project)
    result = run(project, "reviewed", "a", "b", "a", "--on", "2026-11-22")
    assert result.exit_code == 0, result.output
    assert result.stdout == ("casestudies/a.md: last_reviewed 2026-11-22, review_by 2028-05-22\n"
                             "casestudies/b/index.md: last_reviewed 2026-11-22, review_by 2028-05-22\n")
    after = tree(project)
    assert {k for k in after if after[k] != files[k]} == {"casestudies/a.md", "casestudies/b/index.md"}
    for path in (project.entries_dir / "a.md", project.entries_dir / "b" / "index.md"):
        assert changed_lines(MINIMAL, path.read_text(encoding="utf-8")) == [
            "+last_reviewed: 2026-11-22\n", "+review_by: 2028-05-22\n"]
    archived = run(project, "archive", "a", "c", "--reason", "Both services closed in 2025.")
    assert archived.exit_code == 0, archived.output
    assert archived.stdout.count("status archived") == 2
    assert run(project, "validate").exit_code == 0


def test_one_unknown_id_among_several_changes_nothing(new_project):
    project = new_project({"camden-data-charter.md": MINIMAL, "b.md": MINIMAL})
    files = tree(project)
    result = run(project, "feature", "b", "camden-data-chater", "zzz")
    assert result.exit_code == 2
    assert ("there is no entry 'camden-data-chater' in casestudies/ — did you mean 'camden-data-charter'?\n"
            "there is no entry 'zzz' in casestudies/ — an entry's id is its file name in casestudies/, without .md\n"
            "No entry was changed.") in result.output
    assert tree(project) == files


def test_feature_refuses_a_draft_and_an_archived_entry(new_project):
    project = new_project({"a-draft.md": DRAFT, "gone.md": ARCHIVED, "live.md": MINIMAL})
    files = tree(project)
    draft = run(project, "feature", "a-draft")
    assert draft.exit_code == 1
    assert ("Error: casestudies/a-draft.md is a draft, so it cannot be featured: the home page shows published "
            "entries only. Publish it first ('casehub publish a-draft'), then feature it. The file was not changed.\n"
            == draft.stderr)
    archived = run(project, "feature", "gone")
    assert archived.exit_code == 1
    assert "casestudies/gone.md is archived, so it cannot be featured" in archived.stderr
    assert "set status: published and remove archived_reason" in archived.stderr
    assert tree(project) == files
    # Among several, the others are still featured, and the command says which were not.
    several = run(project, "feature", "a-draft", "live", "gone")
    assert several.exit_code == 1
    assert several.stdout == "casestudies/live.md: featured true\n"
    assert several.stderr.endswith("2 of 3 entries were not changed: a-draft, gone.\n")
    assert {k for k, v in tree(project).items() if v != files[k]} == {"casestudies/live.md"}
    # Taking the featured line away is always allowed.
    (project.entries_dir / "gone.md").write_text(ARCHIVED.replace("stage: live", "stage: live\nfeatured: true"))
    removed = run(project, "feature", "gone", "--remove")
    assert removed.exit_code == 0, removed.output
    assert (project.entries_dir / "gone.md").read_text(encoding="utf-8") == ARCHIVED


def test_entry_paths_keep_the_order_given(new_project):
    project = new_project({"a.md": MINIMAL, "b.md": MINIMAL})
    assert [p.name for p in entry_paths(project, ["b", "a", "b"])] == ["b.md", "a.md"]


def test_an_id_in_two_files_is_a_usage_error(new_project):
    project = new_project({"a.md": MINIMAL, "a/index.md": MINIMAL})
    result = run(project, "reviewed", "a")
    assert result.exit_code == 2 and "two files have the id 'a'" in result.output
