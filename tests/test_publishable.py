"""Drafts never block the site: what a draft still needs is work to do, not a failure; safety
findings fail drafts too; published entries are held to everything."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from casehub.cli import cli
from casehub.core.findings import Finding
from casehub.core.publishable import classify, is_safety, todo_label
from casehub.core.report import TODO_LINES, as_github, as_json, as_summary, as_text
from casehub.core.validate import validate
from casehub.site.build import build
from casehub.site.generator import BuildStopped

from .support import MINIMAL


def draft(text: str = MINIMAL) -> str:
    return text.replace("status: published", "status: draft")


NO_TOPICS = MINIMAL.replace("topics: [digital-and-technology]\n", "")
PHONE = MINIMAL.replace("The body of the story", "Ring Sam on 07700 900123. The body of the story")
RAW_HTML = MINIMAL.replace("The body of the story", "<b>The body</b> of the story")
UNSAFE_LINK = MINIMAL.replace("The body of the story", "[Read it](javascript:alert(1)) The body of the story")
LONG_SUMMARY = MINIMAL.replace("summary: A short", "summary: " + "A very long summary " * 20 + "A short")

LIBRARY = {
    "published.md": MINIMAL,
    "draft-complete.md": draft(),
    "draft-no-topics.md": draft(NO_TOPICS),
    "draft-long-summary.md": draft(LONG_SUMMARY),
}


def run(project, *args):
    return CliRunner().invoke(cli, ["--root", str(project.root), *args])


def by_path(report) -> dict[str, set[tuple[str, str]]]:
    found: dict[str, set[tuple[str, str]]] = {}
    for f in report.findings:
        found.setdefault(f.path.rsplit("/", 1)[-1], set()).add((f.rule, f.severity))
    return found


def test_a_drafts_completeness_findings_are_work_to_do(new_project):
    project = new_project(LIBRARY)
    report = validate(project)
    assert report.ok
    assert by_path(report) == {"draft-no-topics.md": {("schema-required", "todo")},
                               "draft-long-summary.md": {("schema-maxLength", "todo")}}
    assert sorted(d.id for d in report.unfinished) == ["draft-long-summary", "draft-no-topics"]
    assert sorted(d.id for d in report.documents) == ["draft-complete", "published"]
    result = run(project, "validate")
    assert result.exit_code == 0, result.output
    assert "To do before these drafts can be published" in result.output
    assert "draft-no-topics.md:" in result.output and "topics: 'topics' is missing" in result.output
    assert "2 drafts not yet complete (2 things to do" in result.output


def test_a_published_entry_is_held_to_everything(new_project):
    project = new_project({**LIBRARY, "published-no-topics.md": NO_TOPICS})
    report = validate(project)
    assert not report.ok
    assert by_path(report)["published-no-topics.md"] == {("schema-required", "error")}
    assert run(project, "validate").exit_code == 1


@pytest.mark.parametrize(("text", "rule"), [(PHONE, "personal-data"), (RAW_HTML, "no-raw-html"),
                                            (UNSAFE_LINK, "safe-link")])
def test_safety_findings_fail_drafts_too(new_project, text, rule):
    project = new_project({**LIBRARY, "unsafe-draft.md": draft(text)})
    report = validate(project)
    assert not report.ok
    assert by_path(report)["unsafe-draft.md"] == {(rule, "error")}
    assert run(project, "validate").exit_code == 1


def test_a_draft_that_does_not_load_or_clashes_fails(new_project):
    project = new_project({**LIBRARY, "bad-yaml.md": draft().replace("title: An", "title: [An"),
                           "draft-complete/index.md": draft(NO_TOPICS), "Draft-Complete.md": draft()})
    found = by_path(validate(project))
    assert all(severity == "error" for _, severity in found["bad-yaml.md"])
    # Two drafts claim one id: whichever comes second has the clash, as an error.
    assert found["index.md"] | found.get("draft-complete.md", set()) == {("schema-required", "todo"),
                                                                          ("id-unique", "error")}
    assert ("id-format", "error") in found["Draft-Complete.md"]


def test_an_unsafe_value_in_a_drafts_front_matter_is_a_safety_finding():
    metadata = {"status": "draft", "links": [{"title": "Report", "url": "javascript:alert(1)"}]}
    unsafe = Finding("a.md", 3, 5, "schema-pattern", "'javascript:alert(1)' is not in the expected form", "",
                     "/links/0/url")
    missing = Finding("a.md", 1, 1, "schema-required", "'topics' is missing", "", "/topics")
    assert is_safety(unsafe, metadata) and not is_safety(missing, metadata)
    assert [f.severity for f in classify([unsafe, missing], metadata)] == ["error", "todo"]
    assert [f.severity for f in classify([unsafe, missing], {**metadata, "status": "published"})] == ["error"] * 2
    assert [f.severity for f in classify([missing], {"status": "Draft"})] == ["error"]  # only 'draft' softens


def test_todo_labels_name_what_is_needed():
    def label(rule, pointer):
        return todo_label(Finding("a.md", 1, 1, rule, "", "", pointer))

    assert label("schema-required", "/topics") == "topics"
    assert label("schema-required", "/geography/region") == "geography.region"
    assert label("schema-maxLength", "/summary") == "a shorter summary"
    assert label("schema-enum", "/topics/0") == "a topics value from the vocabulary"
    assert label("required-sections", "#body") == "a required section"


def todo(n: int) -> list[Finding]:
    return [Finding(f"casestudies/d{i}.md", 1, 1, "schema-required", "'topics' is missing", "add it", "/topics",
                    "todo") for i in range(n)]


ERROR = Finding("casestudies/p.md", 4, 7, "personal-data", "this looks like a UK phone number", "remove it", "#body")


def test_reporters_show_work_to_do_apart_from_problems():
    findings = [ERROR, *todo(2)]
    text = as_text(findings, 3)
    assert text.index("casestudies/p.md:4:7") < text.index("To do before") < text.index("casestudies/d0.md")
    assert text.endswith("Checked 3 entries: 1 problem in 1 file. 2 drafts not yet complete (2 things to do before "
                         "they can be published; drafts are not published, so this fails nothing).\n")
    many = as_text(todo(TODO_LINES + 1), 40)
    assert f"{TODO_LINES + 1:>7} need topics" in many and "casestudies/d0.md" not in many
    data = json.loads(as_json(findings, 3))
    assert data["ok"] is False and data["todo"] == 2 and [f["severity"] for f in data["findings"]][1:] == ["todo"] * 2
    assert json.loads(as_json(todo(2), 3))["ok"] is True
    github = as_github(findings, 3).splitlines()
    assert github[0].startswith("::error file=casestudies/p.md")
    assert github[1].startswith("::notice file=casestudies/d0")
    assert "(to do before publishing)" in github[1]


def test_the_job_summary_has_a_table_of_what_drafts_need():
    summary = as_summary(todo(3), 3)
    assert summary.startswith("## Checking the entries\n\n✅ Checked 3 entries: no problems found.")
    assert "## Drafts: to do before they can be published" in summary
    assert "| topics | 3 |" in summary and "<details>" in summary
    assert "Nothing to fix" not in summary


def test_the_site_builds_and_publishes_whatever_state_drafts_are_in(new_project, tmp_path):
    project = new_project(LIBRARY)
    output = build(project.root, "publishconf.py", tmp_path / "site", search=False)
    assert (output / "published" / "index.html").is_file()
    for name in ("draft-complete", "draft-no-topics", "draft-long-summary"):
        assert not (output / name).exists()
    stats = json.loads((output / "entries.json").read_text(encoding="utf-8"))
    assert [e["id"] for e in stats["entries"]] == ["published"]


def test_a_safety_finding_in_a_draft_stops_the_build_with_that_finding_only(new_project, tmp_path):
    project = new_project({**LIBRARY, "unsafe-draft.md": draft(PHONE)})
    with pytest.raises(BuildStopped) as stopped:
        build(project.root, "publishconf.py", tmp_path / "site", search=False)
    assert [(f.path, f.rule) for f in stopped.value.findings] == [("casestudies/unsafe-draft.md", "personal-data")]


def test_stats_count_drafts_that_are_not_complete(new_project):
    project = new_project(LIBRARY)
    result = run(project, "stats", "--format", "json", "--today", "2026-11-22")
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["totals"] == {"listed": 1, "archived": 0, "drafts": 3, "all": 4}
