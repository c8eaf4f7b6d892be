"""The review board: submissions read from saved pull-request and issue lists (gh's JSON and the
REST API's), with submitter, topics, age, checks and preview, beside the review queue; in text,
JSON and Markdown. Offline: the lists are fixtures in tests/fixtures/pulls/."""

from __future__ import annotations

import json
from datetime import date

import pytest
from click.testing import CliRunner

from casehub.cli import cli
from casehub.curate.board import Board, board_as_markdown
from casehub.curate.submissions import GH_ISSUE_FIELDS, GH_PR_FIELDS, PREVIEW_CHECK, PullListError, read_submissions

from .support import FIXTURES, ROOT

PULLS = FIXTURES / "pulls"
TODAY = date(2026, 11, 22)


def run(*args, root=ROOT):
    return CliRunner().invoke(cli, ["--root", str(root), "review", "--today", TODAY.isoformat(), *args])


def summary(submissions):
    return [(s.number, s.submitter, s.age_days, s.topics, s.checks, s.entries) for s in submissions]


def test_gh_pull_request_list_with_issues(project):
    submissions, others = read_submissions(project, PULLS / "gh-pr-list.json", TODAY, PULLS / "gh-issue-list.json")
    assert summary(submissions) == [
        (41, "jo-bloggs", 21, ["housing-and-homelessness"], "failing", ["leeds-warm-spaces"]),
        (47, "pat-council", 10, [], "held", []),                 # an issue the workflow made no pull request from
        # Changes an entry the library has, with no topic: label: the topics of our copy.
        (44, "ash-dev", 7, ["digital-and-technology", "communities-and-engagement"], "passing",
         ["camden-data-charter"]),
        # Opened by the workflow from issue #40: the contributor is the issue's author, waiting since the issue.
        (42, "sam-officer", 4, ["climate-and-environment"], "not run", ["solar-schools-programme"]),
        (46, "kim-lee", 1, ["communities-and-engagement"], "running", ["kirklees-libraries"]),
        (45, "jane-smith-council", 0, [], "passing", ["new-one"]),
    ]
    assert others == 1  # dependabot's pull request changes no entry
    by_number = {s.number: s for s in submissions}
    assert by_number[41].failing_checks == ["Check entries and build a preview"]
    assert by_number[41].preview == "https://github.com/casehub-uk/casehub/actions/runs/9001/job/1"
    assert by_number[46].preview is None  # the preview is not built yet
    assert by_number[44].draft and "marked it as a draft" in by_number[44].action
    assert by_number[42].issue == 40 and "push a commit" in by_number[42].action
    assert "add its topic: label" in by_number[45].action
    assert by_number[41].facilitators == ["casehub-facilitators"]
    assert by_number[47].url.endswith("/issues/47")


def test_rest_api_lists(project):
    submissions, others = read_submissions(project, PULLS / "rest-pulls.json", TODAY, PULLS / "rest-issues.json")
    assert summary(submissions) == [
        (41, "jo-bloggs", 21, ["housing-and-homelessness"], "unknown", []),   # the REST list has no checks, no files
        (42, "sam-officer", 4, [], "unknown", []),
    ]
    assert others == 1
    assert submissions[0].url == "https://github.com/casehub-uk/casehub/pull/41"
    alone, _ = read_submissions(project, PULLS / "rest-pulls.json", TODAY)
    assert alone[1].submitter == "issue #40"  # a workflow's pull request, and no issue list to say who sent it


def test_the_command_shows_submitter_and_age_beside_the_queue():
    result = run("--pulls", str(PULLS / "gh-pr-list.json"), "--issues", str(PULLS / "gh-issue-list.json"))
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == "Submissions waiting (6), longest first"
    assert lines[1] == ("  #41 Leeds warm spaces network — pull request from jo-bloggs, waiting 21 days; "
                        "topic: Housing and homelessness; checks failing")
    assert lines[2] == "      preview: https://github.com/casehub-uk/casehub/actions/runs/9001/job/1"
    assert "1 other open pull request changes no entry" in result.output
    # The rest of the board follows: drafts and overdue reviews from the library.
    assert result.output.index("Submissions waiting") < result.output.index("Open submissions (drafts)") \
        < result.output.index("Overdue for review")
    assert "Jane Smith" not in result.output and "Jo Bloggs" not in result.output  # names are personal data


def test_json_board():
    result = run("--pulls", str(PULLS / "gh-pr-list.json"), "--format", "json")
    data = json.loads(result.output)
    assert set(data) == {"today", "submissions", "other_pull_requests", "queue"}
    first = data["submissions"][0]
    assert (first["number"], first["submitter"], first["age_days"], first["opened"]) == \
        (41, "jo-bloggs", 21, "2026-11-01")
    assert data["other_pull_requests"] == 1
    assert any(item["kind"] == "draft" for item in data["queue"])
    without = json.loads(run("--format", "json").output)
    assert without["submissions"] is None and without["queue"] == data["queue"]


def test_markdown_board_escapes_titles_and_mentions_nobody():
    result = run("--pulls", str(PULLS / "gh-pr-list.json"), "--issues", str(PULLS / "gh-issue-list.json"),
                 "--format", "markdown")
    markdown = result.output
    assert markdown.startswith("_6 submissions waiting and ")
    assert "## Submissions waiting (6)" in markdown
    hostile = next(line for line in markdown.splitlines() if line.startswith("- [ ] #45 "))
    assert "\\[Click me\\](javascript:alert(1)) \\@everyone \\<b\\>shout\\</b\\> \\| \\#1" in hostile
    assert "from [jane-smith-council](https://github.com/jane-smith-council)" in hostile
    assert "[preview](https://github.com/casehub-uk/casehub/actions/runs/9005/job/5)" in hostile
    assert " @" not in markdown.replace("\\@", "")  # logins are links, never mentions
    assert "## Overdue for review" in markdown


def test_markdown_board_fits_in_an_issue(project):
    submissions, others = read_submissions(project, PULLS / "gh-pr-list.json", TODAY)
    board = Board(TODAY, submissions * 200, others, [])
    text = board_as_markdown(project, board, limit=5_000)
    assert len(text) <= 5_000
    assert text.endswith("_The board is longer than an issue can hold: run `casehub review` for all of it._\n")
    assert "\n- [ ] #41 " in text and text.count("- [ ] ") < 1200


def test_topic_filter_keeps_submissions_without_a_topic():
    result = run("--pulls", str(PULLS / "gh-pr-list.json"), "--topic", "climate-and-environment", "--format", "json")
    numbers = [s["number"] for s in json.loads(result.output)["submissions"]]
    assert numbers == [42, 45]


@pytest.mark.parametrize(("text", "message"), [
    ("{not json", "pulls.json:1:2: this is not JSON"),
    ('{"number": 1}', "pulls.json: expected a list of prs, each an object"),
    ('[{"number": 1, "headRefName": "x", "labels": [{"name": "submission"}], "url": "u"}]',
     "pulls.json: item 1 has no 'createdAt'"),
    ('[{"number": 1, "headRefName": "x", "labels": [{"name": "submission"}], "url": "u", "createdAt": "soon"}]',
     "pulls.json: item 1's createdAt 'soon' is not a date and time"),
])
def test_a_list_that_cannot_be_read_is_a_clear_error(project, tmp_path, text, message):
    path = tmp_path / "pulls.json"
    path.write_text(text, encoding="utf-8")
    result = run("--pulls", str(path))
    assert result.exit_code == 2
    assert message in result.output and "Traceback" not in result.output
    with pytest.raises(PullListError):
        read_submissions(project, path, TODAY)


def test_issues_need_pulls():
    result = run("--issues", str(PULLS / "gh-issue-list.json"))
    assert result.exit_code == 2 and "--issues goes with --pulls" in result.output


def test_the_board_workflow_asks_github_for_what_the_board_reads():
    text = (ROOT / ".github" / "workflows" / "review-board.yml").read_text(encoding="utf-8")
    assert f"--json {GH_PR_FIELDS} " in text and f"--json {GH_ISSUE_FIELDS} " in text
    assert "casehub review --pulls" in text and "--format markdown" in text
    # The preview link is the run of validate.yml's job that uploads the built site.
    validate = (ROOT / ".github" / "workflows" / "validate.yml").read_text(encoding="utf-8")
    assert f"name: {PREVIEW_CHECK}\n" in validate
