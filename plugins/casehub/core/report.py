"""Reporters: findings in, text out, for people (text), programs (json) and
GitHub Actions (workflow annotations, and a Markdown job summary). They
present; they never decide. A file name may hold any character but `/`: the
reporters show its controls and line breaks as escapes (`safetext.visible`), so a
name cannot move the terminal's cursor, colour its output or reorder a summary."""

from __future__ import annotations

import json
from dataclasses import replace

from .findings import Finding
from .safetext import visible

FORMATS = ("text", "json", "github", "summary")


def render(findings: list[Finding], checked: int, fmt: str = "text") -> str:
    return {"text": as_text, "json": as_json, "github": as_github, "summary": as_summary}[fmt](findings, checked)


def _summary(findings: list[Finding], checked: int) -> str:
    files = len({f.path for f in findings})
    entries = f"{checked} entr{'y' if checked == 1 else 'ies'}"
    if not findings:
        return f"Checked {entries}: no problems found."
    problems = f"{len(findings)} problem{'s' if len(findings) != 1 else ''}"
    return f"Checked {entries}: {problems} in {files} file{'s' if files != 1 else ''}."


def shown(finding: Finding) -> str:
    """A finding as text, for people: `path:line:col: field: message — hint`."""
    return str(replace(finding, path=visible(finding.path), pointer=visible(finding.pointer)))


def as_text(findings: list[Finding], checked: int) -> str:
    lines = [shown(f) for f in findings]
    lines.append(_summary(findings, checked))
    return "\n".join(lines) + "\n"


def as_json(findings: list[Finding], checked: int) -> str:
    return json.dumps({"checked": checked, "ok": not findings,
                       "findings": [f.as_dict() for f in findings]}, indent=2, ensure_ascii=False) + "\n"


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def as_github(findings: list[Finding], checked: int) -> str:
    """Workflow commands, so each finding shows on its line of the pull request."""
    lines = []
    for f in findings:
        level = "warning" if f.severity == "warning" else "error"
        title = _escape_property(visible(f"{f.field}: {f.rule}"))
        message = _escape_data(f"{f.message} — {f.hint}" if f.hint else f.message)
        lines.append(f"::{level} file={_escape_property(visible(f.path))},line={f.line},col={f.column},"
                     f"title={title}::{message}")
    lines.append(_summary(findings, checked))
    return "\n".join(lines) + "\n"


def _cell(text: str) -> str:
    """Text for a Markdown table cell: one line, HTML and pipes escaped."""
    text = visible(" ".join(text.split())).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("`", "\\`")


def as_summary(findings: list[Finding], checked: int) -> str:
    """Markdown for a GitHub job summary: every finding with where it is and how to fix it, in plain words."""
    lines = ["## Checking the entries", ""]
    if not findings:
        lines += [f"✅ {_summary(findings, checked)} Nothing to fix: thank you."]
        return "\n".join(lines) + "\n"
    lines += [f"{_summary(findings, checked)} Fix each one below, commit, and the check runs again.", "",
              "| Where | Field | What is wrong | How to fix it |", "| --- | --- | --- | --- |"]
    for f in findings:
        lines.append(f"| {_cell(f.path)} line {f.line} | {_cell(f.field)} | {_cell(f.message)} | "
                     f"{_cell(f.hint) or '—'} |")
    lines += ["", "Each line is also shown beside the file in the pull request's Files changed tab."]
    return "\n".join(lines) + "\n"
