"""The "Share a case study" issue form: its questions, and the answers read from an issue's Markdown.

GitHub turns a submitted form into Markdown, one `### <label>` heading per
question, `_No response_` for an empty answer and `- [X] ...` for a ticked box
(`.github/ISSUE_TEMPLATE/share-a-case-study.yml` is the form). Nothing here
cleans the answers: that is neutralise.py's job.
"""

from __future__ import annotations

import re

from ...core.entry import NATIONS as NATION_LABELS
from ...core.project import Project
from ...core.rules import fold_heading

# The form's questions (their labels, exactly as in the issue form) and the field each fills.
FORM_FIELDS: dict[str, str] = {
    "Type of entry": "type",
    "Title": "title",
    "Summary": "summary",
    "Organisation": "organisation",
    "Your organisation's role": "role",
    "Nation": "nation",
    "Region": "region",
    "Council or organisation type": "council_type",
    "Topics": "topics",
    "Stage": "stage",
    "Contact team": "contact_team",
    "Contact email or web page": "contact",
    "Before you submit": "consent",
}
# Body sections the form asks for beyond the types' own sections: a story's free text.
EXTRA_SECTIONS = ("What happened",)
# The schema's values for the two fields that are not vocabularies.
ROLES = ("lead", "partner", "funder", "supplier")
NATIONS = tuple(NATION_LABELS)
NO_RESPONSE = "_No response_"
_QUESTION = re.compile(r"^###[ \t]+(.+?)[ \t#]*$")
TICKED = re.compile(r"^\s*[-*]\s*\[[xX]\]\s*(.*)$")
OPTION = re.compile(r"^\s*[-*]\s*\[[ xX]?\]\s*(.*)$")


def section_labels(project: Project) -> list[str]:
    """The body sections the form asks for: a story's free text, then every type's sections."""
    labels = list(EXTRA_SECTIONS)
    for term in project.vocabularies["types"].items:
        for section in [*term.get("sections", []), *term.get("recommended", [])]:
            if section not in labels:
                labels.append(section)
    return labels


def parse_issue_body(text: str, labels: list[str]) -> dict[str, str]:
    """The answer under each known `### <label>` heading, by label (empty when `_No response_`).

    Only known labels start an answer, and only the first time each appears: a
    heading typed inside an answer stays part of that answer."""
    known = {fold_heading(label): label for label in labels}
    answers: dict[str, list[str]] = {}
    current: list[str] | None = None
    for line in text.split("\n"):
        match = _QUESTION.match(line)
        label = known.get(fold_heading(match.group(1))) if match else None
        if label and label not in answers:
            current = answers[label] = []
        elif current is not None:
            current.append(line)
    values = {}
    for label, lines in answers.items():
        value = "\n".join(lines).strip("\n")
        values[label] = "" if value.strip() == NO_RESPONSE else value
    return values


def ticked_options(value: str) -> list[str]:
    """The items of a checkbox answer that were ticked (or typed, separated by commas), in order."""
    items = []
    for line in value.split("\n"):
        option = OPTION.match(line)
        if option and not TICKED.match(line):
            continue  # an unticked checkbox
        text = option.group(1) if option else line
        items += [part.strip().strip("`") for part in text.split(",")]
    return list(dict.fromkeys(item for item in items if item))


def is_ticked(value: str) -> bool:
    """Whether a checkbox answer has a ticked box."""
    return any(TICKED.match(item) for item in value.split("\n"))
