"""Untrusted answers made safe to write and publish, each change kept as a `Note`.

`Answers` hands out the form's answers one at a time: invisible control and
bidirectional characters removed (and counted), single-line answers with their
line breaks and HTML tags removed and cut to MAX_LINE. `clean_section` makes a
free-text answer safe Markdown under its `## ` heading: HTML stripped (words
kept), `javascript:`, `data:` and `file:` links removed, headings demoted, an
unclosed code block closed. Every change is a `Note`, reported to the
contributor as a finding once the file exists (convert.py).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ...core.rules import fenced_segments, unclosed_fence
from ...core.safetext import TOP_HEADING, clean_characters, one_line, remove_unsafe_links, strip_html

MAX_LINE = 1_000  # single-line answers are cut here (the schema's limits are far lower and are reported)
_SETEXT = re.compile(r"^ {0,3}(=+|-+)[ \t]*$")


@dataclass
class Note:
    """Something the converter changed or could not use, reported as a finding once the file exists."""

    pointer: str  # a field's JSON pointer, or "#body" with `section` naming the section
    rule: str
    message: str
    hint: str
    severity: str = "warning"
    section: str = ""


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
            heading = TOP_HEADING.match(line)
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


CHANGE_NOTES = {
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


@dataclass
class Answers:
    """The form's answers by label, read neutralised; `notes` says what changed, `removed` counts
    the invisible characters taken out."""

    answers: dict[str, str]
    notes: list[Note] = field(default_factory=list)
    removed: int = 0

    def text(self, label: str) -> str:
        """An answer as written, less invisible control and text-direction characters."""
        text, count = clean_characters(self.answers.get(label, ""))
        self.removed += count
        return text

    def line(self, label: str, pointer: str) -> str:
        """A single-line answer: line breaks and HTML tags removed, cut to MAX_LINE (each noted)."""
        value = one_line(self.text(label))
        text = one_line(strip_html(value, escape_rest=False))
        if text != value:
            self.notes.append(Note(pointer, "issue-html-removed",
                                   f"the answer to '{label}' contained HTML tags, which Casehub does not publish; "
                                   "they were removed", "check it still reads as you meant"))
            value = text
        if len(value) > MAX_LINE:
            self.notes.append(Note(pointer, "issue-value-too-long",
                                   f"the answer to '{label}' was {len(value):,} characters long, so it was cut "
                                   f"to {MAX_LINE:,}", "shorten it to the limit given above"))
            value = value[:MAX_LINE].rstrip()
        return value

    def section(self, label: str) -> str:
        """A free-text answer as safe Markdown ('' when empty), its changes noted against the section."""
        text = self.text(label)
        if not text.strip():
            return ""
        cleaned, changes = clean_section(text)
        if not cleaned.strip():
            return ""
        for change in sorted(changes):
            rule, message, hint = CHANGE_NOTES[change]
            self.notes.append(Note("#body", rule, message, hint, section=label))
        return cleaned

    def invisible_characters_note(self) -> None:
        """One note for all the invisible characters removed, if any were."""
        if self.removed:
            were = "characters were" if self.removed != 1 else "character was"
            self.notes.append(Note("", "issue-invisible-characters",
                                   f"{self.removed} invisible control or text-direction {were} removed",
                                   "nothing to do, unless a word now looks wrong"))
