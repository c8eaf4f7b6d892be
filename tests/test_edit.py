"""Facilitators' edits: only the intended fields change, and every other byte stays as it was."""

import difflib
from datetime import date

import pytest
from click.testing import CliRunner

from casehub.cli import cli
from casehub.core.loader import load
from casehub.core.validate import validate
from casehub.curate import edit
from casehub.curate.edit import EditError, archive, feature, record_review, set_fields
from casehub.curate.ids import UnknownEntryError

from .support import MINIMAL
from .support.edits import changed_lines, tree

ON = date(2026, 11, 22)
PUBLISHED = "published: 2024-03-01\n"


def run(project, *args):
    return CliRunner().invoke(cli, ["--root", str(project.root), *args])


def test_record_review_inserts_both_dates_after_published(new_project):
    project = new_project({"a.md": MINIMAL})
    result = record_review(project, "a", ON)
    text = (project.entries_dir / "a.md").read_text(encoding="utf-8")
    assert text == MINIMAL.replace(PUBLISHED, PUBLISHED + "last_reviewed: 2026-11-22\nreview_by: 2028-05-22\n")
    assert changed_lines(MINIMAL, text) == ["+last_reviewed: 2026-11-22\n", "+review_by: 2028-05-22\n"]
    assert result.summary() == "casestudies/a.md: last_reviewed 2026-11-22, review_by 2028-05-22"
    assert result.changed and result.findings == []


def test_record_review_replaces_existing_dates_and_keeps_their_comments(new_project):
    before = MINIMAL.replace(PUBLISHED, PUBLISHED + "last_reviewed: 2025-01-10  # by Sam\n"
                                                   "review_by: '2026-07-10'\n")
    project = new_project({"a.md": before})
    record_review(project, "a", ON)
    after = (project.entries_dir / "a.md").read_text(encoding="utf-8")
    assert changed_lines(before, after) == [
        "-last_reviewed: 2025-01-10  # by Sam\n", "-review_by: '2026-07-10'\n",
        "+last_reviewed: 2026-11-22  # by Sam\n", "+review_by: 2028-05-22\n"]


def test_review_period_comes_from_the_settings(new_project):
    project = new_project({"a.md": MINIMAL})
    (project.data_dir / "casehub.yaml").write_text("review_period_months: 3\n")
    record_review(project, "a", date(2026, 11, 30))
    assert load(project.entries_dir / "a.md").metadata["review_by"] == "2027-02-28"


def test_crlf_bom_comments_and_quoting_are_kept(new_project):
    source = ("---\n# Reviewed each spring.\ntitle: 'An example story: from a council'  # quoted on purpose\n"
              + MINIMAL.split("\n", 2)[2].replace("type: story", 'type: "story"'))
    project = new_project()
    path = project.entries_dir / "crlf.md"
    original = b"\xef\xbb\xbf" + source.replace("\n", "\r\n").encode("utf-8")
    path.write_bytes(original)
    record_review(project, "crlf", ON)
    expected = source.replace(PUBLISHED, PUBLISHED + "last_reviewed: 2026-11-22\nreview_by: 2028-05-22\n")
    assert path.read_bytes() == b"\xef\xbb\xbf" + expected.replace("\n", "\r\n").encode("utf-8")


def test_a_value_on_several_lines_is_replaced_whole(new_project):
    before = MINIMAL.replace("status: published\n", "status: archived\narchived_reason: >-\n"
                             "  An old reason, written over\n  two lines.\n")
    project = new_project({"a.md": before})
    archive(project, "a", "The service closed in 2023.", ON)
    after = (project.entries_dir / "a.md").read_text(encoding="utf-8")
    assert changed_lines(before, after) == [
        "-archived_reason: >-\n", "-  An old reason, written over\n", "-  two lines.\n",
        '+archived_reason: "The service closed in 2023."\n']


REASON = 'Closed: the council\'s "hub" ended in 2023 # see minutes — café'


def test_archive_round_trips_an_awkward_reason(new_project):
    project = new_project({"a.md": MINIMAL, "b.md": MINIMAL})
    path = project.entries_dir / "a.md"
    before = load(path).metadata
    files = tree(project)
    result = archive(project, "a", REASON, ON)
    after = load(path).metadata
    assert after["archived_reason"] == REASON and after["status"] == "archived"
    assert {k: v for k, v in after.items() if k not in ("status", "archived_reason")} == \
        {k: v for k, v in before.items() if k != "status"}
    assert list(after)[3:5] == ["status", "archived_reason"]
    assert validate(project, [path]).ok and result.findings == []
    assert {k for k in tree(project) if tree(project)[k] != files.get(k)} == {"casestudies/a.md"}


def test_archive_keeps_the_comment_on_the_status_line(new_project):
    before = MINIMAL.replace("status: published\n", "status: published  # set by a facilitator\n")
    project = new_project({"a.md": before})
    archive(project, "a", "The pilot ended in 2024.", ON)
    after = (project.entries_dir / "a.md").read_text(encoding="utf-8")
    assert changed_lines(before, after) == [
        "-status: published  # set by a facilitator\n",
        "+status: archived  # set by a facilitator\n", '+archived_reason: "The pilot ended in 2024."\n']


@pytest.mark.parametrize("reason", ["Too short", "x" * 301, "   \n  "])
def test_archive_reason_must_be_10_to_300_characters(new_project, reason):
    project = new_project({"a.md": MINIMAL})
    result = run(project, "archive", "a", "--reason", reason)
    assert result.exit_code == 2 and "10 to 300 characters" in result.output
    assert (project.entries_dir / "a.md").read_text(encoding="utf-8") == MINIMAL


def test_feature_and_unfeature(new_project):
    project = new_project({"a.md": MINIMAL})
    path = project.entries_dir / "a.md"
    feature(project, "a", True)
    assert changed_lines(MINIMAL, path.read_text(encoding="utf-8")) == ["+featured: true\n"]
    assert load(path).metadata["featured"] is True
    assert feature(project, "a", True).changed is False
    result = feature(project, "a", False)
    assert result.summary() == "casestudies/a.md: featured removed"
    assert path.read_text(encoding="utf-8") == MINIMAL


def test_feature_replaces_featured_false(new_project):
    before = MINIMAL.replace("stage: live\n", "stage: live\nfeatured: false # for now\n")
    project = new_project({"a.md": before})
    feature(project, "a", True)
    after = (project.entries_dir / "a.md").read_text(encoding="utf-8")
    assert changed_lines(before, after) == ["-featured: false # for now\n", "+featured: true # for now\n"]


def test_an_entry_in_a_folder(new_project):
    project = new_project({"in-folder/index.md": MINIMAL})
    result = run(project, "feature", "in-folder")
    assert result.exit_code == 0, result.output
    assert result.stdout == "casestudies/in-folder/index.md: featured true\n"


def test_unknown_id_is_a_usage_error_with_suggestions(new_project):
    project = new_project({"camden-data-charter.md": MINIMAL})
    result = run(project, "reviewed", "camden-data-chater")
    assert result.exit_code == 2
    assert "there is no entry 'camden-data-chater' in casestudies/ — did you mean 'camden-data-charter'?" \
        in result.output
    assert "did you mean 'camden-data-charter'?" in run(project, "feature", "casestudies/camden-data-charter.md").output
    with pytest.raises(UnknownEntryError) as raised:
        record_review(project, "nothing-like-it", ON)
    assert raised.value.suggestions == []


def test_a_file_that_does_not_load_is_refused_and_left_alone(new_project):
    broken = MINIMAL.replace("title: An example story from a council", "title: Lambeth: a co-operative council")
    project = new_project({"a.md": broken})
    path = project.entries_dir / "a.md"
    original = path.read_bytes()
    with pytest.raises(EditError):
        set_fields(path, {"featured": True})
    result = run(project, "reviewed", "a", "--on", "2026-11-22")
    assert result.exit_code == 1
    assert "casestudies/a.md:2:15:" in result.output and "was not changed" in result.output
    assert path.read_bytes() == original


def test_an_edit_that_would_add_a_finding_is_refused(new_project):
    project = new_project({"a.md": MINIMAL})
    result = run(project, "reviewed", "a", "--on", "2023-01-01")
    assert result.exit_code == 1
    assert "last_reviewed (2023-01-01) is before published (2024-03-01)" in result.output
    assert (project.entries_dir / "a.md").read_text(encoding="utf-8") == MINIMAL


def test_findings_the_entry_already_had_do_not_stop_a_review(new_project):
    before = MINIMAL.replace("stage: live", "stage: later")
    project = new_project({"a.md": before})
    result = run(project, "reviewed", "a", "--on", "2026-11-22")
    assert result.exit_code == 0, result.output
    assert result.stdout == "casestudies/a.md: last_reviewed 2026-11-22, review_by 2028-05-22\n"
    assert "casestudies/a.md:13:8: stage: 'later' is not an allowed value" in result.stderr
    assert "still has 1 problem that this change did not cause" in result.stderr


def test_an_edit_that_does_not_come_out_as_intended_is_not_written(new_project, monkeypatch):
    project = new_project({"a.md": MINIMAL})
    path = project.entries_dir / "a.md"
    monkeypatch.setattr(edit, "format_value", lambda value, quoted=False: "yes")  # reads back as text, not true
    with pytest.raises(EditError, match="did not come out exactly as intended"):
        set_fields(path, {"featured": True})
    assert path.read_text(encoding="utf-8") == MINIMAL
    assert sorted(p.name for p in project.entries_dir.iterdir()) == ["a.md"]  # no temporary file left


def test_free_text_is_quoted_and_escaped():
    assert edit.format_value("archived") == "archived"
    assert edit.format_value("yes") == '"yes"'
    assert edit.format_value(date(2026, 1, 2)) == "2026-01-02"
    assert edit.format_value('a "b": \\c #d\n') == '"a \\"b\\": \\\\c #d\\n"'
    with pytest.raises(edit.EditUsageError, match="control character"):
        edit.format_value("reversed \u202etext")


def test_permissions_are_kept(new_project):
    project = new_project({"a.md": MINIMAL})
    path = project.entries_dir / "a.md"
    path.chmod(0o640)
    feature(project, "a", True)
    assert path.stat().st_mode & 0o777 == 0o640


def test_cli_commands_change_only_their_file(new_project):
    project = new_project({"a.md": MINIMAL, "b.md": MINIMAL}, copy_library=False)
    files = tree(project)
    reviewed = run(project, "reviewed", "a", "--on", "2026-11-22")
    assert reviewed.exit_code == 0, reviewed.output
    assert reviewed.output == "casestudies/a.md: last_reviewed 2026-11-22, review_by 2028-05-22\n"
    archived = run(project, "archive", "a", "--reason", REASON)
    assert archived.exit_code == 0, archived.output
    assert archived.output == ('casestudies/a.md: status archived, archived_reason '
                               '"Closed: the council\'s \\"hub\\" ended in 2023 # see minutes — café"\n')
    featured = run(project, "feature", "b")  # a is archived now: only a published entry can be featured
    assert featured.exit_code == 0 and featured.output == "casestudies/b.md: featured true\n"
    removed = run(project, "feature", "b", "--remove")
    assert removed.exit_code == 0 and removed.output == "casestudies/b.md: featured removed\n"
    assert run(project, "reviewed", "a", "--on", "22/11/2026").exit_code == 2
    after = tree(project)
    assert {k for k in after if after[k] != files.get(k)} == {"casestudies/a.md"}
    assert set(after) == set(files)
    assert run(project, "validate").exit_code == 0


LAYOUTS = """---
title: "A title that runs
  over two lines # not a comment"  # a real comment
summary:  # the summary
  A plain value written
  over two lines.
status:
featured: >2-
    kept as
   text

  # inside the value, not a comment
licence: |
    OGL-UK-3.0
  # less indented than the value: a comment
published: 2024-03-01
---
Body.
"""


@pytest.mark.parametrize(("changes", "removed", "added"), [
    ({"title": "Short"},
     ['title: "A title that runs\n', '  over two lines # not a comment"  # a real comment\n'],
     ['title: "Short"  # a real comment\n']),
    ({"summary": "New"},
     ["summary:  # the summary\n", "  A plain value written\n", "  over two lines.\n"],
     ['summary: "New"  # the summary\n']),
    ({"status": "archived"}, ["status:\n"], ["status: archived\n"]),
    ({"featured": True},
     ["featured: >2-\n", "    kept as\n", "   text\n", "\n", "  # inside the value, not a comment\n"],
     ["featured: true\n"]),
    ({"featured": None, "summary": None},
     ["summary:  # the summary\n", "  A plain value written\n", "  over two lines.\n", "featured: >2-\n",
      "    kept as\n", "   text\n", "\n", "  # inside the value, not a comment\n"], []),
    ({"licence": "CC-BY-4.0"}, ["licence: |\n", "    OGL-UK-3.0\n"], ['licence: "CC-BY-4.0"\n']),
    ({"review_by": "2026-01-01", "archived_reason": "superseded"}, [],
     ['archived_reason: "superseded"\n', "review_by: 2026-01-01\n"]),
])
def test_set_fields_on_unusual_layouts(tmp_path, changes, removed, added):
    path = tmp_path / "entry.md"
    path.write_text(LAYOUTS, encoding="utf-8")
    before = load(path).metadata
    set_fields(path, changes)
    after = path.read_text(encoding="utf-8")
    assert changed_lines(LAYOUTS, after) == ["-" + line for line in removed] + ["+" + line for line in added]
    expected = {**{k: v for k, v in before.items() if k not in changes},
                **{k: v for k, v in changes.items() if v is not None}}
    assert load(path).metadata == expected


# Lists, groups and a group's fields ---------------------------------------------------------


def edited(tmp_path, text: str, changes: dict) -> tuple[list[str], list[str], str]:
    path = tmp_path / "x.md"
    path.write_bytes(text.encode("utf-8"))
    set_fields(path, changes)
    after = path.read_bytes().decode("utf-8")
    diff = list(difflib.ndiff(text.splitlines(keepends=True), after.splitlines(keepends=True)))
    return [d[2:] for d in diff if d.startswith("- ")], [d[2:] for d in diff if d.startswith("+ ")], after


def test_a_list_is_written_whole_on_its_own_lines(tmp_path):
    two = ["housing-and-homelessness", "digital-and-technology"]
    removed, added, after = edited(tmp_path, MINIMAL, {"topics": two})
    assert removed == ["topics: [digital-and-technology]\n"]
    assert added == ["topics:\n", "  - housing-and-homelessness\n", "  - digital-and-technology\n"]
    removed, added, after = edited(tmp_path, after, {"tags": ["open-data"]})  # a new field, in the schema's order
    assert removed == [] and added == ["tags:\n", "  - open-data\n"]
    assert after.index("topics:") < after.index("tags:") < after.index("stage:")


def test_a_groups_field_changes_on_its_own_line_keeping_its_comment(tmp_path):
    text = MINIMAL.replace("  region: london\n", "  region: london  # where the pilot ran\n")
    removed, added, _ = edited(tmp_path, text, {"geography.region": "south-east", "geography.council_type": "unitary"})
    assert removed == ["  region: london  # where the pilot ran\n"]
    assert added == ["  region: south-east  # where the pilot ran\n", "  council_type: unitary\n"]
    removed, added, _ = edited(tmp_path, MINIMAL, {"contact.url": None, "contact.email": "digital@example.gov.uk"})
    assert removed == ["  url: https://www.example.gov.uk/contact\n"]
    assert added == ['  email: "digital@example.gov.uk"\n']


def test_a_group_on_one_line_or_missing_is_written_whole(tmp_path):
    text = MINIMAL.replace("geography:\n  nation: england\n  region: london\n",
                           "geography: {nation: england, region: london}\n")
    removed, added, _ = edited(tmp_path, text, {"geography.region": "wales", "geography.nation": "wales"})
    assert removed == ["geography: {nation: england, region: london}\n"]
    assert added == ["geography:\n", "  nation: wales\n", "  region: wales\n"]
    text = MINIMAL.replace("contact:\n  team: Digital team\n  url: https://www.example.gov.uk/contact\n", "")
    removed, added, _ = edited(tmp_path, text, {"contact.team": "Web team", "contact.url": "https://example.org/"})
    assert removed == [] and added == ["contact:\n", '  team: "Web team"\n', '  url: "https://example.org/"\n']


def test_lists_and_groups_keep_the_files_line_endings(tmp_path):
    text = MINIMAL.replace("\n", "\r\n")
    _, added, after = edited(tmp_path, text, {"topics": ["housing-and-homelessness"],
                                              "geography.council_type": "unitary"})
    assert after.count("\n") == after.count("\r\n") and "  council_type: unitary\r\n" in added
    assert load(tmp_path / "x.md").metadata["topics"] == ["housing-and-homelessness"]


def test_a_field_cannot_be_set_whole_and_in_part(tmp_path):
    path = tmp_path / "x.md"
    path.write_text(MINIMAL, encoding="utf-8")
    with pytest.raises(edit.EditUsageError):
        set_fields(path, {"geography": {"nation": "wales"}, "geography.region": "wales"})
    with pytest.raises(edit.EditUsageError):
        set_fields(path, {"geography.region.name": "x"})
    assert path.read_text(encoding="utf-8") == MINIMAL
