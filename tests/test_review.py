"""The facilitators' review queue and the reminder issues, against a fixture
library with known drafts, due, overdue and weak entries."""

import json
import re
from datetime import date

from click.testing import CliRunner

from casehub.cli import cli
from casehub.curate.review import add_months, reminders, review_queue, review_state

from .support import MINIMAL

TODAY = date(2026, 11, 22)
LONG_SUMMARY = "A summary long enough to clear the review queue's minimum length for summaries, which is eighty."
SETTINGS = {"review_period_months": 18, "due_soon_days": 60}


def entry(**fields):
    text = MINIMAL.replace(
        "summary: A short example summary, long enough to pass the minimum length of the field.",
        f"summary: {LONG_SUMMARY}")
    text = text.replace("The body of the story, in plain Markdown.",
                        "The body of the story.\n\n## Lessons learned\n\nWhat we learned.")
    for key, value in fields.items():
        if key == "type":
            text = text.replace("type: story", f"type: {value}")
        elif key == "status":
            text = text.replace("status: published", f"status: {value}")
        elif key == "summary":
            text = text.replace(f"summary: {LONG_SUMMARY}", f"summary: {value}")
        elif key == "body":
            text = text.split("---\n", 2)
            text = f"---\n{text[1]}---\n{value}\n"
        elif re.search(rf"^{key}: .*$", text, flags=re.M):
            text = re.sub(rf"^{key}: .*$", f"{key}: {value}", text, count=1, flags=re.M)
        else:
            text = text.replace("stage: live", f"stage: live\n{key}: {value}")
    return text


FIXTURE = {
    "current.md": entry(last_reviewed="2026-06-01", review_by="2027-12-01"),
    "due-soon.md": entry(review_by="2026-12-20"),
    "overdue.md": entry(review_by="2026-01-31", topics="[climate-and-environment]"),
    "overdue-by-period.md": entry(published="2020-01-01"),
    "a-draft.md": entry(status="draft", review_by="2025-01-01"),
    "short-summary.md": entry(summary="Too short to tell a busy officer what changed here at all.",
                              review_by="2028-01-01"),
    "no-lessons.md": entry(body="Just a story.", review_by="2028-01-01"),
    "case-without-outcomes.md": entry(type="case-study", review_by="2028-01-01", body="\n\n".join(
        f"## {s}\n\nText." for s in ("Context", "The challenge", "What we did", "Results and impact",
                                     "Challenges and failures", "Lessons learned"))),
    "points-at-draft.md": entry(related="[a-draft]", review_by="2028-01-01"),
    "archived-and-old.md": entry(status="archived", archived_reason="Replaced by a newer entry.",
                                 review_by="2025-01-01"),
}


def kinds(items):
    return sorted((i.id, i.kind) for i in items)


def test_review_states_and_default_period():
    assert review_state({"published": "2024-01-01", "review_by": "2026-11-21"}, TODAY, SETTINGS) == "overdue"
    assert review_state({"published": "2024-01-01", "review_by": "2026-11-22"}, TODAY, SETTINGS) == "due"
    assert review_state({"published": "2024-01-01", "review_by": "2027-01-21"}, TODAY, SETTINGS) == "due"
    assert review_state({"published": "2024-01-01", "review_by": "2027-01-22"}, TODAY, SETTINGS) == "current"
    # Without review_by: last review (or publication) plus 18 months.
    assert review_state({"published": "2025-05-21"}, TODAY, SETTINGS) == "overdue"
    assert review_state({"published": "2020-01-01", "last_reviewed": "2026-01-01"}, TODAY, SETTINGS) == "current"
    assert add_months(date(2025, 8, 31), 18) == date(2027, 2, 28)


def test_the_queue_lists_exactly_what_needs_a_facilitator(new_project):
    project = new_project(FIXTURE)
    items = review_queue(project, TODAY)
    assert kinds(items) == sorted([
        ("a-draft", "draft"),
        ("due-soon", "due"),
        ("overdue", "overdue"),
        ("overdue-by-period", "overdue"),
        ("short-summary", "weak"),
        ("no-lessons", "weak"),
        ("case-without-outcomes", "weak"),
        ("points-at-draft", "weak"),
    ])
    assert [i.kind for i in items][:4] == ["draft", "overdue", "overdue", "due"]  # most urgent first
    weak = {i.id: i for i in items if i.kind == "weak"}
    assert weak["short-summary"].problem == "the summary is short (58 characters)"
    assert weak["no-lessons"].problem == "no '## Lessons learned' section"
    assert weak["case-without-outcomes"].problem == "no measured outcomes"
    assert weak["points-at-draft"].problem == "related points at a-draft, which is draft"
    overdue = next(i for i in items if i.id == "overdue-by-period")
    assert overdue.problem == "review was due on 2021-07-01"
    assert "casehub reviewed overdue-by-period" in overdue.action


def test_invalid_files_are_in_the_queue_too(new_project):
    project = new_project({"broken.md": entry(type="stroy"), "fine.md": entry(review_by="2028-01-01")})
    assert kinds(review_queue(project, TODAY)) == [("broken", "invalid")]


def test_topic_filter(new_project):
    project = new_project(FIXTURE)
    assert kinds(review_queue(project, TODAY, "climate-and-environment")) == [("overdue", "overdue")]


def test_reminders_make_one_issue_per_topic_naming_its_facilitators(new_project):
    project = new_project(FIXTURE)
    issues = reminders(project, TODAY)
    assert [i["topic"] for i in issues] == ["climate-and-environment", "digital-and-technology"]
    climate = issues[0]
    assert climate["title"] == "Review due: Climate and environment (1 overdue)"
    assert climate["label"] == "review:climate-and-environment"
    assert "@casehub-facilitators" in climate["body"]
    assert "(`casestudies/overdue.md`): review was due on 2026-01-31." in climate["body"]
    assert "overdue-by-period" not in climate["body"]


def test_reminder_bodies_neutralise_contributor_markup(new_project):
    hostile = entry(review_by="2026-01-31").replace(
        "title: An example story from a council", "title: \"@everyone [click](https://evil.example) a < b > c\"")
    project = new_project({"hostile.md": hostile})  # (a tag in a title is refused: see test_markup)
    body = reminders(project, TODAY)[0]["body"]
    assert "\\@everyone" in body and "\\[click\\]" in body and "a \\< b \\> c" in body


def test_review_command_formats(new_project):
    project = new_project(FIXTURE)
    run = CliRunner().invoke
    text = run(cli, ["--root", str(project.root), "review", "--today", "2026-11-22"])
    assert text.exit_code == 0
    assert "Overdue for review (2)" in text.output and "8 items in the review queue." in text.output
    data = json.loads(run(cli, ["--root", str(project.root), "review", "--today", "2026-11-22",
                                "--format", "json"]).output)["queue"]
    assert len(data) == 8 and data[0]["kind"] == "draft"
    markdown = run(cli, ["--root", str(project.root), "review", "--today", "2026-11-22", "--format", "markdown",
                         "--topic", "climate-and-environment"]).output
    assert "\n## Overdue for review (1)\n" in markdown and "## Open submissions" not in markdown
    bad = run(cli, ["--root", str(project.root), "review", "--topic", "nope"])
    assert bad.exit_code == 2 and "not a topic" in bad.output
    issues = json.loads(run(cli, ["--root", str(project.root), "reminders", "--today", "2026-11-22"]).output)
    assert len(issues) == 2
