"""From an issue's text to a draft entry file and the pull request to open: `convert_issue`.

The issue is parsed (form.py), its answers neutralised and built into an
entry (neutralise.py, build.py), and the file written under a free id claimed
with `core.entryfile.IdClaims` (never overwriting a file). The validator then
checks it; its findings and the converter's notes (placed at the line of the
field or section they are about) make the pull request's title and body
(pullrequest.py) and labels (labels.py).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from ...core.entryfile import IdClaims, IdTakenError, id_from_text
from ...core.findings import CasehubError, Finding
from ...core.loader import LoadError, load
from ...core.project import Project
from ...core.publishable import blocks_publishing
from .build import build_entry, entry_text
from .form import FORM_FIELDS, parse_issue_body, section_labels
from .labels import entry_labels
from .neutralise import Note
from .pullrequest import held_comment, pr_body, pr_title

MAX_INPUT_BYTES = 300_000  # GitHub caps an issue body at 65,536 characters; this leaves room for any of them


class IssueFormError(CasehubError):
    """The issue cannot be turned into an entry at all (exit 2)."""


@dataclass
class Conversion:
    """What `convert_issue` wrote and found, ready to print as JSON."""

    path: str
    id: str
    ok: bool
    findings: list[Finding]
    pr_title: str
    pr_body: str
    labels: list[str] = field(default_factory=list)
    personal_data: bool = False
    held_comment: str | None = None

    def as_dict(self) -> dict:
        return {"path": self.path, "id": self.id, "ok": self.ok,
                "findings": [f.as_dict() for f in self.findings],
                "pr_title": self.pr_title, "pr_body": self.pr_body, "labels": self.labels,
                "personal_data": self.personal_data, "held_comment": self.held_comment}


def base_id(title: str, number: int | None) -> str:
    """The id a submission would like: from its title, else `submission-<issue number>`."""
    return id_from_text(title) or (f"submission-{number}" if number else "submission")


def read_issue_body(path: Path) -> str:
    try:
        if path.stat().st_size > MAX_INPUT_BYTES:
            raise IssueFormError(f"{path} is over {MAX_INPUT_BYTES:,} bytes, longer than any GitHub issue; "
                                 "nothing was written")
        data = path.read_bytes()
    except OSError as error:
        raise IssueFormError(f"{path} cannot be read ({error.strerror})") from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise IssueFormError(f"{path} is not UTF-8 text, so it is not an issue body; nothing was written") from None


def convert_issue(project: Project, text: str, *, number: int | None = None, output_dir: Path | None = None,
                  today: date | None = None) -> Conversion:
    """Write a draft entry from an issue-form body, validate it, and describe the pull request to open."""
    from ...core.validate import validate

    today = today or date.today()
    folder = Path(output_dir) if output_dir else project.entries_dir
    if not folder.is_dir():
        raise IssueFormError(f"{folder}: no such folder; nothing was written")
    if len(text.encode("utf-8")) > MAX_INPUT_BYTES:
        raise IssueFormError(f"the issue is over {MAX_INPUT_BYTES:,} bytes, longer than any GitHub issue")
    labels = [*FORM_FIELDS, *section_labels(project)]
    answers = parse_issue_body(text.replace("\r\n", "\n").replace("\r", "\n"), labels)
    if not any(answers.get(label) for label in labels if label != "Before you submit"):
        raise IssueFormError("the issue does not answer any question of the 'Share a case study' form, "
                             "so there is nothing to turn into an entry; nothing was written")
    entry = build_entry(project, answers, today)
    text = entry_text(entry)
    try:
        claimed = IdClaims(project, folder).claim(base_id(entry.title, number), limit=1000)
    except IdTakenError as error:
        raise IssueFormError(str(error)) from None
    entry_id, path = claimed.id, claimed.write(text)
    shown = project.relative(path)
    report = validate(project, [path])
    notes = _notes_as_findings(entry.notes, path, shown)
    findings = sorted(report.findings + notes)
    ok = not any(blocks_publishing(f) for f in findings)  # what the draft still needs keeps the issue open
    personal = any(f.rule == "personal-data" for f in findings)
    found_labels = entry_labels(project, [path])
    title = entry.title or "an untitled entry"
    type_label = project.vocabularies["types"].label(entry.type) if entry.type else "entry"
    sections = _sections_by_line(path)
    body = pr_body(project, shown, title, findings, number, ok, sections)
    held = held_comment(findings, number, sections) if personal else None
    return Conversion(shown, entry_id, ok, findings, pr_title(type_label, title), body, found_labels, personal, held)


def _notes_as_findings(notes: list[Note], path: Path, shown: str) -> list[Finding]:
    try:
        document = load(path, shown)
    except LoadError:  # pragma: no cover - the converter writes only what the loader reads
        document = None
    found = []
    headings = _section_lines(path)
    for note in notes:
        if note.pointer == "#body":
            line, column = (headings.get(note.section, document.body_line if document else 1), 1)
        elif note.pointer.startswith("#") or document is None:
            line, column = 1, 1
        else:
            line, column = document.position(note.pointer)
        found.append(Finding(shown, line, column, note.rule, note.message, note.hint,
                             note.pointer if note.pointer != "" else "", note.severity))
    return found


def _section_lines(path: Path) -> dict[str, int]:
    lines = path.read_text(encoding="utf-8").split("\n")
    return {line[3:]: number for number, line in enumerate(lines, 1) if line.startswith("## ")}


def _sections_by_line(path: Path) -> list[tuple[int, str]]:
    return sorted((number, label) for label, number in _section_lines(path).items())
