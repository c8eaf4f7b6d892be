"""GitHub issue-form submissions into entries: `casehub from-issue` and `casehub labels`.

A contributor fills in the "Share a case study" issue form
(`.github/ISSUE_TEMPLATE/share-a-case-study.yml`). GitHub turns the answers into
Markdown, one `### <label>` heading per question, `_No response_` for an empty
answer and `- [X] ...` for a ticked box. `convert_issue` reads that text, writes
a draft entry (`casestudies/<id>.md`, never overwriting a file), runs the
validator on it, and returns what the issue-to-PR workflow needs: the path, the
findings, a pull request title and a plain-English body.

Everything in an issue is untrusted, so the text is neutralised before it is
written: every front matter value is double-quoted and escaped (no YAML
injection), single-line answers lose their line breaks, invisible control and
bidirectional characters are removed, raw HTML tags are stripped (words kept),
`javascript:`, `data:` and `file:` links are removed, headings inside answers
are demoted below the section headings, and over-long values are cut and
reported. Each change is reported to the contributor as a warning.

`entry_labels` gives the `type:<type>` and `topic:<topic>` labels for entry
files, only ever from the vocabularies' ids.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from ..core.entry import NATIONS as NATION_LABELS
from ..core.entry import slugify
from ..core.entryfile import IdClaims, IdTakenError, dump
from ..core.findings import CasehubError, Finding
from ..core.loader import LoadError, load
from ..core.project import Project
from ..core.rules import fenced_segments, fold_heading, unclosed_fence
from ..core.safetext import (
    EMAIL_ADDRESS,
    ID_PATTERN,
    UNSAFE_SCHEME,
    WEB_DOMAIN,
    clean_characters,
    one_line,
    remove_unsafe_links,
    strip_html,
)

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
MAX_INPUT_BYTES = 300_000  # GitHub caps an issue body at 65,536 characters; this leaves room for any of them
MAX_LINE = 1_000  # single-line answers are cut here (the schema's limits are far lower and are reported)
MAX_ID = 60  # room for a numeric suffix within the 80-character id limit

_QUESTION = re.compile(r"^###[ \t]+(.*[^ \t#]|[ \t#])[ \t#]*$")  # as rules.HEADING
_TICKED = re.compile(r"^\s*[-*]\s*\[[xX]\]\s*(.*)$")
_OPTION = re.compile(r"^\s*[-*]\s*\[[ xX]?\]\s*(.*)$")
_ATX = re.compile(r"^( {0,3})(#{1,2})(?=[ \t]|$)")
_SETEXT = re.compile(r"^ {0,3}(=+|-+)[ \t]*$")

# How a finding's field is named on the form, for the pull request body.
_FIELD_NAMES = {
    "/title": "Title", "/summary": "Summary", "/type": "Type of entry", "/status": "Status",
    "/organisations": "Organisation", "/geography/nation": "Nation", "/geography/region": "Region",
    "/geography/council_type": "Council or organisation type", "/geography": "Region",
    "/topics": "Topics", "/stage": "Stage", "/contact": "Contact", "/published": "Published",
    "#consent": "Before you submit",
}


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


@dataclass
class _Note:
    """Something the converter changed or could not use, reported as a finding once the file exists."""

    pointer: str  # a field's JSON pointer, or "#body" with `section` naming the section
    rule: str
    message: str
    hint: str
    severity: str = "warning"
    section: str = ""


# Reading the issue ------------------------------------------------------------


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


# Neutralising Markdown ----------------------------------------------------------


def clean_section(text: str) -> tuple[str, set[str]]:
    """A section's Markdown made safe to publish under a `## ` heading; and what was changed.

    Changes: raw HTML stripped outside code blocks, unsafe links removed, `#` and `##`
    headings demoted to `###`, setext underlines kept from making headings, and an
    unclosed code block closed so it cannot swallow the next section."""
    changes: set[str] = set()
    text, unsafe = remove_unsafe_links(text)
    if unsafe:
        changes.add("links")
    out: list[str] = []
    for is_code, lines in fenced_segments(text.split("\n")):
        if is_code:
            out.extend(lines)
            fence = unclosed_fence(lines)
            if fence:  # close it, so it cannot swallow the next section
                out.append(fence)
                changes.add("fence")
            continue
        prose: list[str] = []
        for line in lines:
            heading = _ATX.match(line)
            if heading:
                line = heading.group(1) + "###" + line[heading.end():]
                changes.add("headings")
            if _SETEXT.match(line) and prose and prose[-1].strip():
                prose.append("")  # a blank line first, so the line above stays a paragraph
                changes.add("headings")
            prose.append(line)
        joined = "\n".join(prose)
        stripped = strip_html(joined)
        if stripped != joined:
            changes.add("html")
        stripped = re.sub(r"\n{3,}", "\n\n", "\n".join(line.rstrip() for line in stripped.split("\n")))
        out.extend(stripped.split("\n"))
    return "\n".join(line.rstrip() for line in out).strip("\n"), changes


_CHANGE_NOTES = {
    "html": ("issue-html-removed", "the text contained HTML tags, which Casehub does not publish; "
             "they were removed and the words kept",
             "check the section still reads as you meant; use Markdown for formatting"),
    "links": ("issue-unsafe-link-removed", "a javascript:, data: or file: link was removed",
              "link only to web addresses starting https://"),
    "headings": ("issue-heading-demoted", "a heading in your text was made smaller so it sits under the section",
                 "use ### for headings inside a section"),
    "fence": ("issue-code-block-closed", "a code block (```) was not closed, so it was closed at the end",
              "check the end of the section"),
}


# Building the entry --------------------------------------------------------------


@dataclass
class _Entry:
    metadata: dict[str, object]
    body: str
    notes: list[_Note]
    title: str
    type: str


def _contact(value: str, notes: list[_Note]) -> dict[str, str]:
    value = value.strip().strip("<>").strip()
    if not value:
        return {}
    if value.lower().startswith("mailto:"):
        value = value[7:].strip()
    if re.match(r"(?i)https?://", value):
        return {"url": value}
    if re.match(r"(?i)\s*" + UNSAFE_SCHEME, value):
        notes.append(_Note("/contact", "issue-unsafe-link-removed",
                           "the contact address was not a web address or e-mail address, so it was left out",
                           "give the team's shared mailbox or a web page starting https://"))
        return {}
    if EMAIL_ADDRESS.fullmatch(value):
        return {"email": value}
    if WEB_DOMAIN.fullmatch(value):
        notes.append(_Note("/contact/url", "issue-contact-https", "https:// was added to the contact web page",
                           "check the address opens the right page"))
        return {"url": "https://" + value}
    return {"url": value}


def _topics(value: str) -> list[str]:
    items = []
    for line in value.split("\n"):
        option = _OPTION.match(line)
        if option and not _TICKED.match(line):
            continue  # an unticked checkbox
        text = option.group(1) if option else line
        items += [part.strip().strip("`") for part in text.split(",")]
    return list(dict.fromkeys(item for item in items if item))


def build_entry(project: Project, answers: dict[str, str], today: date) -> _Entry:
    """The entry's fields (in the order of the examples), its body, and what was changed on the way."""
    notes: list[_Note] = []
    removed = 0

    def answer(label: str) -> str:
        nonlocal removed
        text, count = clean_characters(answers.get(label, ""))
        removed += count
        return text

    def line(label: str, pointer: str) -> str:
        value = one_line(answer(label))
        text = one_line(strip_html(value, escape_rest=False))
        if text != value:
            notes.append(_Note(pointer, "issue-html-removed",
                               f"the answer to '{label}' contained HTML tags, which Casehub does not publish; "
                               "they were removed", "check it still reads as you meant"))
            value = text
        if len(value) > MAX_LINE:
            notes.append(_Note(pointer, "issue-value-too-long",
                               f"the answer to '{label}' was {len(value):,} characters long, so it was cut "
                               f"to {MAX_LINE:,}", "shorten it to the limit given above"))
            value = value[:MAX_LINE].rstrip()
        return value

    title = line("Title", "/title")
    summary = line("Summary", "/summary")
    entry_type = line("Type of entry", "/type")
    organisation = line("Organisation", "/organisations/0/name")
    role = line("Your organisation's role", "/organisations/0/role") or "lead"
    nation = line("Nation", "/geography/nation")
    region = line("Region", "/geography/region")
    council_type = line("Council or organisation type", "/geography/council_type")
    topics = _topics(answer("Topics"))
    stage = line("Stage", "/stage")
    team = line("Contact team", "/contact/team")
    contact = _contact(line("Contact email or web page", "/contact"), notes)
    if not nation and region in project.vocabularies["regions"].by_id:
        nation = project.vocabularies["regions"].by_id[region].get("nation", "")
    consent = any(_TICKED.match(item) for item in answer("Before you submit").split("\n"))
    if not consent:
        notes.append(_Note("#consent", "issue-consent",
                           "the box confirming there is no personal data and agreeing to the Open Government "
                           "Licence was not ticked",
                           "edit the issue and tick the box under 'Before you submit'", "error"))

    organisation_fields = {k: v for k, v in (("name", organisation), ("role", role)) if v}
    geography = {k: v for k, v in (("nation", nation), ("region", region), ("council_type", council_type)) if v}
    contact_fields = {k: v for k, v in (("team", team), *contact.items()) if v}
    metadata = {"title": title, "summary": summary, "type": entry_type, "status": "draft",
                "organisations": [organisation_fields] if organisation_fields else [], "geography": geography,
                "topics": topics, "stage": stage, "published": today, "contact": contact_fields}
    metadata = {k: v for k, v in metadata.items() if v not in ("", [], {})}

    sections = []
    known_sections = set(section_labels(project))
    for label in [label for label in answers if label in known_sections]:  # in the issue's order
        text = answer(label)
        if not text.strip():
            continue
        cleaned, changes = clean_section(text)
        if not cleaned.strip():
            continue
        sections.append(f"## {label}\n\n{cleaned}\n")
        for change in sorted(changes):
            rule, message, hint = _CHANGE_NOTES[change]
            notes.append(_Note("#body", rule, message, hint, section=label))
    if not sections:
        notes.append(_Note("#body", "issue-no-text", "the entry has no text yet",
                           "edit the issue and answer the questions about what you did and learned"))
    if removed:
        were = "characters were" if removed != 1 else "character was"
        notes.append(_Note("", "issue-invisible-characters",
                           f"{removed} invisible control or text-direction {were} removed",
                           "nothing to do, unless a word now looks wrong"))
    return _Entry(metadata, "\n".join(sections), notes, title, entry_type)


def entry_text(entry: _Entry) -> str:
    """The entry file's text, every value written by the one entry-file writer."""
    return dump(entry.metadata, entry.body)


# Writing it --------------------------------------------------------------------------


def base_id(title: str, number: int | None) -> str:
    slug = slugify(title)
    if len(slug) > MAX_ID:
        slug = slug[:MAX_ID + 1].rsplit("-", 1)[0] if "-" in slug[:MAX_ID + 1] else slug[:MAX_ID]
    slug = slug.strip("-")
    if not slug or not ID_PATTERN.fullmatch(slug):
        slug = f"submission-{number}" if number else "submission"
    return slug


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
    from ..core.validate import validate

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
    ok = not any(f.severity == "error" for f in findings)
    personal = any(f.rule == "personal-data" for f in findings)
    found_labels = entry_labels(project, [path])
    title = entry.title or "an untitled entry"
    type_label = project.vocabularies["types"].label(entry.type) if entry.type else "entry"
    pr_title = _shorten(f"Add {type_label.lower()}: {title}", 120)
    sections = _sections_by_line(path)
    body = pr_body(project, shown, title, findings, number, ok, sections)
    held = _held_comment(findings, number, sections) if personal else None
    return Conversion(shown, entry_id, ok, findings, pr_title, body, found_labels, personal, held)


def _notes_as_findings(notes: list[_Note], path: Path, shown: str) -> list[Finding]:
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


# Telling people what happens next ---------------------------------------------------------


def _shorten(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[:limit - 1].rstrip() + "…"


def _markdown_text(text: str) -> str:
    """Text shown as itself in Markdown: HTML and Markdown punctuation escaped, and an `@`
    followed by a zero-width space (`@&#8203;name`), which GitHub shows as typed but does
    not read as a mention, so nobody named in an issue is notified by the pull request."""
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return re.sub(r"([\\`*_\[\]|#~!])", r"\\\1", " ".join(text.split())).replace("@", "@&#8203;")


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
    errors = [f for f in findings if f.severity == "error"]
    warnings = [f for f in findings if f.severity != "error"]
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


def _held_comment(findings: list[Finding], number: int | None, sections: list[tuple[int, str]]) -> str:
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


# Labels for pull requests -------------------------------------------------------------------


def entry_labels(project: Project, paths: list[Path]) -> list[str]:
    """`type:<type>` and `topic:<topic>` labels for the entry files, from the vocabularies' ids only.

    Files that are missing (deleted in a pull request) or cannot be loaded are skipped."""
    types = project.vocabularies["types"].by_id
    topics = project.vocabularies["topics"].by_id
    found: list[str] = []
    for path in paths:
        path = Path(path)
        if not path.is_file() or path.suffix != ".md":
            continue
        try:
            metadata = load(path, project.relative(path)).metadata
        except LoadError:
            continue
        entry_type = metadata.get("type")
        if isinstance(entry_type, str) and entry_type in types:
            found.append(f"type:{entry_type}")
        values = metadata.get("topics")
        for topic in values if isinstance(values, list) else []:
            if isinstance(topic, str) and topic in topics:
                found.append(f"topic:{topic}")
    unique = list(dict.fromkeys(found))
    return [label for label in unique if label.startswith("type:")] + \
        [label for label in unique if label.startswith("topic:")]
