"""What the issue-to-PR workflow posts: the pull request's title and body, or a comment holding it back.

Plain English for a contributor: what happens next, what needs fixing (each
finding named by the form's question, not a JSON pointer), and what was changed
on the way. When an answer looks like personal data, `held_comment` asks the
contributor to edit the issue instead, because a pull request keeps a
permanent public copy.
"""

from __future__ import annotations

import re

from ...core.findings import Finding
from ...core.project import Project
from ...core.publishable import blocks_publishing

# How a finding's field is named on the form, for the pull request body.
_FIELD_NAMES = {
    "/title": "Title", "/summary": "Summary", "/type": "Type of entry", "/status": "Status",
    "/organisations": "Organisation", "/geography/nation": "Nation", "/geography/region": "Region",
    "/geography/council_type": "Council or organisation type", "/geography": "Region",
    "/topics": "Topics", "/stage": "Stage", "/contact": "Contact", "/published": "Published",
    "#consent": "Before you submit",
}


def shorten(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[:limit - 1].rstrip() + "…"


def _markdown_text(text: str) -> str:
    """Text shown as itself in Markdown: HTML and Markdown punctuation escaped."""
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return re.sub(r"([\\`*_\[\]|#~!])", r"\\\1", " ".join(text.split()))


def _where(finding: Finding, sections: list[tuple[int, str]]) -> str:
    pointer = finding.pointer
    if pointer == "#body":
        before = [label for number, label in sections if number <= finding.line]
        return f"the section '{before[-1]}'" if before else "the text"
    for prefix in sorted(_FIELD_NAMES, key=len, reverse=True):
        if pointer == prefix or pointer.startswith(prefix + "/"):
            return f"'{_FIELD_NAMES[prefix]}'"
    if pointer.startswith("#") or not pointer:
        return "the entry"
    return f"'{finding.field}'"


def _finding_lines(findings: list[Finding], sections: list[tuple[int, str]]) -> list[str]:
    lines = []
    for f in findings:
        hint = f" To fix it: {_markdown_text(f.hint)}." if f.hint else ""
        lines.append(f"- {_where(f, sections)} (line {f.line}): {_markdown_text(f.message)}.{hint}")
    return lines


def pr_body(project: Project, shown: str, title: str, findings: list[Finding], number: int | None, ok: bool,
            sections: list[tuple[int, str]]) -> str:
    issue = f"#{number}" if number else "an issue"
    errors = [f for f in findings if blocks_publishing(f)]  # errors, and what the draft needs to be published
    warnings = [f for f in findings if not blocks_publishing(f)]
    parts = [f"This pull request adds **{_markdown_text(title)}** as a draft entry, `{shown}`, "
             f"from the answers in {issue}.", ""]
    if ok and number:
        parts += [f"Closes #{number}", ""]
    elif number:
        parts += [f"From #{number}. (It does not close the issue yet, because of the problems below.)", ""]
    parts += ["## What happens next", "",
              "1. A facilitator for the entry's topics reads it and may suggest changes here, "
              "as comments on this pull request.",
              "2. You can make changes by editing your issue: while only the Casehub robot has changed this "
              "pull request, it is updated to match. Or edit the file here, in this pull request.",
              "3. When the entry is ready, a facilitator changes its status from draft to published and merges "
              "this pull request. The entry then appears on the site.", ""]
    if errors:
        parts += ["## What needs fixing before it can be published", "",
                  *_finding_lines(errors, sections), ""]
    else:
        parts += ["## Checks", "", "The entry passes every automatic check. A facilitator still reads it "
                  "before it is published.", ""]
    if warnings:
        parts += ["## What we changed or noticed", "",
                  "Some answers were changed on the way, to keep the site safe and tidy. Please check them:", "",
                  *_finding_lines(warnings, sections), ""]
    parts += ["---", "Made by `casehub from-issue`. Facilitators: the review checklist is in the pull request "
              "template (`.github/pull_request_template.md`)."]
    return "\n".join(parts) + "\n"


def held_comment(findings: list[Finding], number: int | None, sections: list[tuple[int, str]]) -> str:
    personal = [f for f in findings if f.rule == "personal-data"]
    return "\n".join([
        "Thank you for sharing this. We have **not** opened a pull request yet, because parts of the text look "
        "like someone's personal details, and a pull request keeps a permanent public copy.", "",
        *_finding_lines(personal, sections), "",
        "Please edit this issue to remove them (use a team mailbox or contact page in 'Contact email or web "
        "page' instead). When you save the issue, we check it again and open the pull request.",
        "",
        "The issue's edit history still shows the earlier text: a facilitator can delete that version "
        "from the history for you.",
    ]) + "\n"


def pr_title(type_label: str, title: str) -> str:
    """"Add <type>: <title>", cut to 120 characters."""
    return shorten(f"Add {type_label.lower()}: {title}", 120)
