"""`casehub from-issue`: issue-form bodies (tests/fixtures/issues/) into draft entries.

Each fixture is a realistic issue body, as GitHub writes it from the "Share a
case study" form: complete, minimal, messy, and hostile (HTML and script,
YAML injection, javascript: links, bidirectional characters, 20 KB of text).
Every written file must load with the real loader, and nothing may be
overwritten. Also `casehub labels` and the summary report format."""

from __future__ import annotations

import json
import re
from datetime import date

import pytest
from click.testing import CliRunner

from casehub.cli import cli
from casehub.contribute.issueform import convert_issue, entry_labels, parse_issue_body
from casehub.core.loader import load
from casehub.core.safetext import FORBIDDEN_CHARS
from casehub.core.validate import validate

from .support import FIXTURES, MINIMAL, ROOT

ISSUES = FIXTURES / "issues"
TODAY = "2026-11-22"


def run(project, *args):
    return CliRunner().invoke(cli, ["--root", str(project.root), *args])


def convert(project, fixture: str, number: int = 7):
    """Run the command on a fixture; return the exit code, the JSON result and the loaded entry."""
    result = run(project, "from-issue", str(ISSUES / fixture), "--number", str(number), "--today", TODAY)
    if result.exit_code != 0:
        return result.exit_code, result, None
    data = json.loads(result.stdout)
    return 0, data, load(project.root / data["path"])


def rules(data, severity=None) -> set[str]:
    return {f["rule"] for f in data["findings"] if severity in (None, f["severity"])}


@pytest.fixture
def project(new_project):
    return new_project(copy_library=True)


def test_a_complete_case_study_becomes_a_valid_draft(project):
    code, data, document = convert(project, "complete-case-study.md")
    assert code == 0
    assert data["path"] == "casestudies/northshire-county-council-halves-its-backlog-of-blue-badge.md"
    assert data["id"] == "northshire-county-council-halves-its-backlog-of-blue-badge"
    assert data["ok"] is True and data["findings"] == []
    assert document.metadata == {
        "title": "Northshire County Council halves its backlog of blue badge applications",
        "summary": "Caseworkers and applicants redesigned the blue badge form and evidence checks, cutting the "
                   "backlog from 1,900 to 850 applications in nine months.",
        "type": "case-study",
        "status": "draft",
        "organisations": [{"name": "Northshire County Council", "role": "lead"}],
        "geography": {"nation": "england", "region": "north-west", "council_type": "county"},
        "topics": ["adult-social-care", "digital-and-technology"],
        "stage": "live",
        "published": TODAY,
        "contact": {"team": "Blue badge team", "url": "https://www.northshire.example.gov.uk/blue-badges"},
    }
    headings = re.findall(r"^## (.+)$", document.body, re.MULTILINE)
    assert headings == ["Context", "The challenge", "What we did", "Results and impact",
                        "Challenges and failures", "Lessons learned", "Find out more"]
    assert "- We let applicants upload photos of documents." in document.body
    assert validate(project, [document.path]).findings == []
    assert data["labels"] == ["type:case-study", "topic:adult-social-care", "topic:digital-and-technology"]
    assert data["pr_title"] == ("Add case study: Northshire County Council halves its backlog of blue badge "
                                "applications")
    assert "Closes #7" in data["pr_body"] and "## What happens next" in data["pr_body"]
    assert data["personal_data"] is False and data["held_comment"] is None


def test_a_minimal_story(project):
    code, data, document = convert(project, "minimal-story.md")
    assert code == 0 and data["ok"] and data["findings"] == []
    assert document.metadata["contact"] == {"team": "Libraries team", "email": "libraries@southvale.example.gov.uk"}
    assert document.metadata["geography"] == {"nation": "wales", "region": "wales"}
    assert "council_type" not in document.metadata["geography"]
    assert document.body.startswith("## What happened\n\nThe library stayed open late")


def test_a_messy_submission_is_tidied(project):
    code, data, document = convert(project, "messy.md")
    assert code == 0 and data["ok"], data["findings"]
    meta = document.metadata
    assert meta["title"] == "How to run a 🌱 seed swap at the library"
    assert meta["summary"] == ("Steps for running a seed swap in a branch library, from booking the room to "
                               "counting what was swapped. 🌻")
    assert meta["type"] == "how-to"
    assert meta["organisations"] == [{"name": "Eastmoor Borough Council", "role": "lead"}]  # the default role
    assert meta["geography"] == {"nation": "england", "region": "east-midlands"}  # the nation from the region
    assert meta["topics"] == ["climate-and-environment", "communities-and-engagement"]  # repeat dropped
    assert meta["contact"] == {"team": "Parks and libraries", "url": "https://www.eastmoor.example.gov.uk/seed-swap"}
    assert "### Tips" in document.body and "\n# Tips" not in document.body
    assert b"\r" not in document.path.read_bytes()
    assert rules(data) == {"issue-contact-https", "issue-heading-demoted"}
    assert rules(data, "error") == set()


def test_html_and_script_are_stripped(project):
    code, data, document = convert(project, "hostile-html.md")
    assert code == 0 and data["ok"], data["findings"]
    text = document.path.read_text(encoding="utf-8")
    for banned in ("<script", "<img", "<div", "<iframe", "<span", "onerror", "alert('xss')", "<!--", "<?php"):
        assert banned not in text
    assert document.metadata["title"] == "A bold story"
    assert "Residents stocked a community fridge in the town hall." in document.body
    assert "Volunteers checked dates every day." in document.body
    assert "`<br>` in a code span" in document.body  # code stays as written
    assert "```html\n<p>and in a code block</p>\n```" in document.body
    assert "issue-html-removed" in rules(data, "warning")
    assert "they were removed" in data["pr_body"]


def test_yaml_injection_stays_text(project):
    code, data, document = convert(project, "hostile-yaml.md")
    assert code == 0 and data["ok"], data["findings"]
    meta = document.metadata
    assert meta["title"] == 'Innocent title" --- status: published featured: true --- # Body'
    assert meta["status"] == "draft" and "featured" not in meta
    assert meta["summary"].startswith("key: value # not a comment &anchor *alias !!python/object")
    assert meta["organisations"][0]["name"] == "'; DROP TABLE entries; --"
    assert meta["contact"]["team"] == "!!binary aGVsbG8="
    assert list(meta) == ["title", "summary", "type", "status", "organisations", "geography", "topics", "stage",
                          "published", "contact"]


@pytest.mark.parametrize("value", [
    '"\n---\nstatus: published', "key: value", "- item", "[a, b]", "{a: 1}", "&anchor", "*alias", "!!str x",
    "'quoted'", "back\\slash", "# comment", "null", "true", "yes", "2024-01-01", "0o17", "1e3", "~", "|", ">-",
    "%YAML 1.2", "@user", "`cmd`", "tab\there", "\\n not a newline", '"', "\u2028separator",
])
def test_any_single_line_answer_reads_back_as_the_same_text(new_project, tmp_path, value):
    project = new_project()
    body = (ISSUES / "minimal-story.md").read_text(encoding="utf-8")
    body = body.replace("### Contact team\n\nLibraries team", f"### Contact team\n\n{value}")
    result = convert_issue(project, body, number=3, today=date(2026, 11, 22))
    meta = load(project.root / result.path).metadata
    expected = " ".join(value.replace("\u2028", "\n").split())
    assert meta["contact"]["team"] == expected
    assert meta["status"] == "draft"


def test_unsafe_links_are_removed(project):
    code, data, document = convert(project, "hostile-javascript-link.md")
    assert code == 0
    text = document.path.read_text(encoding="utf-8")
    assert not re.search(r"j\s*a\s*v\s*a\s*s\s*c\s*r\s*i\s*p\s*t\s*:", text, re.IGNORECASE)
    assert "data:" not in text and "file:" not in text
    assert "Read our report or this one." in document.body
    assert "[GOV.UK](https://www.gov.uk/)" in document.body
    assert "contact" in document.metadata and "url" not in document.metadata["contact"]
    # The contact address was unusable: the entry needs one before it can be published (work to do in
    # a draft, which fails no check, but keeps the issue open).
    assert rules(data, "todo") == {"schema-anyOf"} and rules(data, "error") == set()
    assert {"issue-unsafe-link-removed"} <= rules(data, "warning")
    assert data["ok"] is False
    assert "From #7" in data["pr_body"] and "Closes" not in data["pr_body"]
    assert "What needs fixing" in data["pr_body"]


def test_control_and_bidi_characters_are_removed(project):
    code, data, document = convert(project, "hostile-bidi.md")
    assert code == 0 and data["ok"], data["findings"]
    text = document.path.read_text(encoding="utf-8")
    assert not FORBIDDEN_CHARS.search(text)
    assert "\u2028" not in text
    assert document.metadata["title"] == "A story about evil text and isolates"
    assert document.metadata["organisations"][0]["name"] == "Southvale District Council[31m"
    assert "👩\u200d💻" in document.body  # an emoji's joiner is not a control character
    assert "issue-invisible-characters" in rules(data, "warning")


def test_very_long_answers_are_reported(project):
    code, data, document = convert(project, "long-20kb.md")
    assert code == 0 and data["ok"] is False
    todo = {(f["rule"], f["field"]) for f in data["findings"] if f["severity"] == "todo"}
    assert todo == {("schema-maxLength", "title"), ("schema-maxLength", "summary")}
    assert "issue-value-too-long" in rules(data, "warning")
    assert len(document.metadata["summary"]) == 1000
    assert len(document.body) > 20_000
    assert "shorten it by" in data["pr_body"]
    assert len(data["pr_title"]) <= 120


def test_personal_data_is_held_back(project):
    code, data, document = convert(project, "personal-data.md")
    assert code == 0 and data["ok"] is False
    assert data["personal_data"] is True
    comment = data["held_comment"]
    assert "not** opened a pull request" in comment
    assert "07700" not in comment and "gmail" not in comment  # the details are located, never repeated
    assert "the section 'What happened'" in comment


def test_unusable_input_exits_2_and_writes_nothing(project, tmp_path):
    before = sorted(p.name for p in project.entries_dir.iterdir())
    code, result, _ = convert(project, "not-a-form.md")
    assert code == 2
    assert "does not answer any question" in result.output and "Traceback" not in result.output
    empty = tmp_path / "empty.md"
    empty.write_text("")
    assert run(project, "from-issue", str(empty)).exit_code == 2
    latin1 = tmp_path / "latin1.md"
    latin1.write_bytes("### Title\n\nCaf\xe9".encode("latin-1"))
    assert run(project, "from-issue", str(latin1)).exit_code == 2
    assert run(project, "from-issue", str(tmp_path / "missing.md")).exit_code == 2
    assert sorted(p.name for p in project.entries_dir.iterdir()) == before


def test_every_written_file_loads_and_nothing_is_overwritten(project):
    written = {}
    for fixture in sorted(ISSUES.glob("*.md")):
        if fixture.name == "not-a-form.md":
            continue
        code, data, document = convert(project, fixture.name)
        assert code == 0, fixture.name
        assert document.metadata["status"] == "draft", fixture.name
        assert data["path"] not in written, "a file was written twice"
        written[data["path"]] = document.path.read_bytes()
    # The same submission again gets a new id; the first file is untouched.
    code, again, _ = convert(project, "minimal-story.md")
    assert again["id"] == "a-warm-space-in-the-library-4"  # hostile-javascript-link and personal-data took -2, -3
    for path, content in written.items():
        assert (project.root / path).read_bytes() == content


def test_taken_and_reserved_ids_get_a_suffix(new_project):
    project = new_project({"a-warm-space-in-the-library/index.md": MINIMAL})
    body = (ISSUES / "minimal-story.md").read_text(encoding="utf-8")
    first = convert_issue(project, body, today=date(2026, 11, 22))
    assert first.id == "a-warm-space-in-the-library-2"
    about = convert_issue(project, body.replace("A warm space in the library", "About"), today=date(2026, 11, 22))
    assert about.id == "about-2"
    untitled = convert_issue(project, body.replace("A warm space in the library", "…"), number=12,
                             today=date(2026, 11, 22))
    assert untitled.id == "submission-12"
    assert "'title' is missing" not in str(untitled.findings)  # the title was kept, only the id was made up


def test_sections_follow_the_form_order(new_project):
    project = new_project()
    body = (ISSUES / "minimal-story.md").read_text(encoding="utf-8")
    body = body.replace("### Type of entry\n\nstory", "### Type of entry\n\nwhat-didnt-work")
    for label in ("Context", "What we tried", "Why it did not work", "Lessons learned"):
        body = body.replace(f"### {label}\n\n_No response_", f"### {label}\n\nText about {label.lower()}.")
    body = body.replace("### What happened\n\nThe library", "### What happened\n\n_No response_\n\nThe library")
    result = convert_issue(project, body, number=5, today=date(2026, 11, 22))
    document = load(project.root / result.path)
    assert re.findall(r"^## (.+)$", document.body, re.MULTILINE)[-4:] == [
        "Context", "What we tried", "Why it did not work", "Lessons learned"]
    assert not [f for f in result.findings if f.rule == "required-sections"]


def test_a_heading_typed_inside_an_answer_does_not_start_a_question():
    labels = ["Title", "Summary", "Context"]
    answers = parse_issue_body("### Title\n\nReal\n\n### Summary\n\nText\n### Title\n\nFake\n\n### Context\n\n"
                               "_No response_", labels)
    assert answers == {"Title": "Real", "Summary": "Text\n### Title\n\nFake", "Context": ""}


def test_consent_must_be_ticked(new_project):
    project = new_project()
    body = (ISSUES / "minimal-story.md").read_text(encoding="utf-8").replace("- [X] ", "- [ ] ")
    result = convert_issue(project, body, number=8, today=date(2026, 11, 22))
    assert not result.ok
    assert [f.rule for f in result.findings if f.severity == "error"] == ["issue-consent"]
    assert "'Before you submit'" in result.pr_body and "Closes" not in result.pr_body


def test_labels_command(project):
    result = run(project, "labels", "casestudies/camden-data-charter.md", "casestudies/deleted.md",
                 "data/topics.yaml")
    assert result.exit_code == 0
    labels = result.output.splitlines()
    assert labels[0].startswith("type:") and all(label.startswith(("type:", "topic:")) for label in labels)
    odd = project.entries_dir / "odd.md"
    odd.write_text(MINIMAL.replace("topics: [digital-and-technology]", "topics: [digital-and-technology, evil]")
                   .replace("type: story", "type: 'x; rm -rf /'"), encoding="utf-8")
    assert entry_labels(project, [odd]) == ["topic:digital-and-technology"]  # only vocabulary ids


def test_summary_format():
    def summary(path):
        return CliRunner().invoke(cli, ["--root", str(ROOT), "validate", "--format", "summary", str(path)])

    clean = summary(ROOT / "casestudies" / "camden-data-charter.md")
    assert clean.exit_code == 0
    assert clean.output == ("## Checking the entries\n\n"
                            "✅ Checked 1 entry: no problems found. Nothing to fix: thank you.\n")
    bad = summary(FIXTURES / "invalid" / "type-unknown.md")
    assert bad.exit_code == 1
    assert "| Where | Field | What is wrong | How to fix it |" in bad.output
    assert ("| tests/fixtures/invalid/type-unknown.md line 4 | type | 'stroy' is not an allowed value | "
            "did you mean 'story'? |") in bad.output
