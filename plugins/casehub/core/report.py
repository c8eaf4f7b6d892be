"""Reporters: findings in, text out, for people (text), programs (json) and
GitHub Actions (workflow annotations, and a Markdown job summary). They
present; they never decide.

Errors come first and fail the check. What drafts still need before they can be
published (findings of severity "todo", see `publishable.py`) is shown apart,
as work to do: in full when there is little of it, as totals by what is needed
when an import has left much (the review queue and `casehub worklist` then
give each one); as notices, not errors, beside the lines of a pull request.
"""

from __future__ import annotations

import json
from collections import Counter

from .findings import Finding
from .publishable import TODO, todo_label

FORMATS = ("text", "json", "github", "summary")


def render(findings: list[Finding], checked: int, fmt: str = "text") -> str:
    return {"text": as_text, "json": as_json, "github": as_github, "summary": as_summary}[fmt](findings, checked)


# Work to do is listed one finding a line up to this many; past it, as totals by what is needed.
TODO_LINES = 30
# GitHub shows only the first few annotations of each kind a step makes; past these, notices are noise.
TODO_ANNOTATIONS = 50
SUMMARY_TODO_ROWS = 200


def _plural(count: int, word: str, plural: str | None = None) -> str:
    return f"{count:,} {word if count == 1 else plural or word + 's'}"


def _split(findings: list[Finding]) -> tuple[list[Finding], list[Finding]]:
    """(what fails: errors and warnings, what is left to do in drafts)."""
    return [f for f in findings if f.severity != TODO], [f for f in findings if f.severity == TODO]


def _summary(findings: list[Finding], checked: int) -> str:
    problems, todo = _split(findings)
    entries = f"{checked} entr{'y' if checked == 1 else 'ies'}"
    if not problems:
        text = f"Checked {entries}: no problems found."
    else:
        files = len({f.path for f in problems})
        text = f"Checked {entries}: {_plural(len(problems), 'problem')} in {_plural(files, 'file')}."
    if todo:
        drafts = len({f.path for f in todo})
        text += (f" {_plural(drafts, 'draft')} not yet complete ({_plural(len(todo), 'thing')} to do before "
                 f"{'it' if drafts == 1 else 'they'} can be published; drafts are not published, so this "
                 "fails nothing).")
    return text


def todo_totals(findings: list[Finding]) -> list[tuple[str, int]]:
    """(what is needed, how many drafts need it), most common first, from findings of severity todo."""
    drafts = Counter(label for label, _ in {(todo_label(f), f.path) for f in findings if f.severity == TODO})
    return sorted(drafts.items(), key=lambda item: (-item[1], item[0]))


def as_text(findings: list[Finding], checked: int) -> str:
    problems, todo = _split(findings)
    lines = [str(f) for f in problems]
    if todo:
        if problems:
            lines.append("")
        lines.append("To do before these drafts can be published (not problems: drafts are not published):")
        if len(todo) <= TODO_LINES:
            lines += [str(f) for f in todo]
        else:
            lines += [f"  {count:>5,} need {label}" for label, count in todo_totals(todo)]
            lines.append("  'casehub review' groups them with suggested bulk fixes; 'casehub worklist' lists each "
                         "draft; '--format json' gives every finding.")
    lines.append(_summary(findings, checked))
    return "\n".join(lines) + "\n"


def as_json(findings: list[Finding], checked: int) -> str:
    problems, todo = _split(findings)
    return json.dumps({"checked": checked, "ok": not any(f.severity == "error" for f in problems),
                       "todo": len(todo), "findings": [f.as_dict() for f in findings]},
                      indent=2, ensure_ascii=False) + "\n"


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def as_github(findings: list[Finding], checked: int) -> str:
    """Workflow commands, so each finding shows on its line of the pull request."""
    lines = []
    problems, todo = _split(findings)
    for f in problems + todo[:TODO_ANNOTATIONS]:
        level = {"warning": "warning", TODO: "notice"}.get(f.severity, "error")
        title = _escape_property(f"{f.field}: {f.rule}" + (" (to do before publishing)" if f.severity == TODO else ""))
        message = _escape_data(f"{f.message} — {f.hint}" if f.hint else f.message)
        lines.append(f"::{level} file={_escape_property(f.path)},line={f.line},col={f.column},"
                     f"title={title}::{message}")
    lines.append(_summary(findings, checked))
    return "\n".join(lines) + "\n"


def _cell(text: str) -> str:
    """Text for a Markdown table cell: one line, HTML and pipes escaped."""
    text = " ".join(text.split()).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("`", "\\`")


def _rows(findings: list[Finding]) -> list[str]:
    return ["| Where | Field | What is wrong | How to fix it |", "| --- | --- | --- | --- |",
            *(f"| {_cell(f.path)} line {f.line} | {_cell(f.field)} | {_cell(f.message)} | {_cell(f.hint) or '—'} |"
              for f in findings)]


def as_summary(findings: list[Finding], checked: int) -> str:
    """Markdown for a GitHub job summary: every finding with where it is and how to fix it, in plain words;
    then, apart, what drafts still need before they can be published, as totals and in detail."""
    problems, todo = _split(findings)
    lines = ["## Checking the entries", ""]
    if not problems:
        lines += [f"✅ {_summary(findings, checked)}" + ("" if todo else " Nothing to fix: thank you.")]
    else:
        lines += [f"{_summary(findings, checked)} Fix each one below, commit, and the check runs again.", "",
                  *_rows(problems), "", "Each line is also shown beside the file in the pull request's "
                  "Files changed tab."]
    if todo:
        lines += ["", "## Drafts: to do before they can be published", "",
                  "Drafts are checked but not published, so none of this fails the check. A draft can be "
                  "published (`casehub publish`) once it has none of these.", "",
                  "| Needed | Drafts |", "| --- | ---: |",
                  *(f"| {_cell(label)} | {count:,} |" for label, count in todo_totals(todo)), "",
                  f"<details><summary>Each thing to do ({len(todo):,})</summary>", "",
                  *_rows(todo[:SUMMARY_TODO_ROWS])]
        if len(todo) > SUMMARY_TODO_ROWS:
            lines += ["", f"…and {len(todo) - SUMMARY_TODO_ROWS:,} more: `casehub worklist` lists every draft "
                      "with what it needs."]
        lines += ["", "</details>"]
    return "\n".join(lines) + "\n"
