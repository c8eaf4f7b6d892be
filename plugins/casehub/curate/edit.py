"""Facilitators' edits to an entry's front matter, made in place and nothing else.

Owns changing an entry file: `set_fields` sets, replaces or removes top-level
single-value fields, and the facilitators' actions are built on it:
`record_review` (`casehub reviewed`), `archive` (`casehub archive`) and
`feature` (`casehub feature`).

What it must not do: re-serialise the YAML or reformat anything. Only the
lines of the fields it was asked to change may differ afterwards; comments,
quoting style, key order, blank lines, line endings (LF, CRLF or mixed), a
UTF-8 byte order mark and the Markdown body stay byte for byte as they were.
It never touches lists, mappings or nested fields, and never parses YAML
itself: where a field is comes from the strict loader's positions.

Every edit is checked before anything is written: the new text is loaded
again with the loader, and its fields must be exactly the old fields with the
intended changes (same values, same types, same order for the rest) and the
body unchanged. Only then is the file replaced, atomically (a temporary file in
the same folder, then `os.replace`). Anything else raises `EditError` and leaves
the file as it was.

Findings the entry already had do not stop an edit: a facilitator must be able
to record a review or archive an entry whose other fields need work. The
actions refuse only a change that would itself add a finding (a review dated
before the entry was published, say), and report the findings the entry still
has after the edit, so they can be fixed separately.
"""

from __future__ import annotations

import os
import re
import stat
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from ..core.entryfile import EntryFileError, scalar
from ..core.findings import CasehubError, Finding, join_pointer
from ..core.loader import Document, LoadError, load, parse
from ..core.project import Project
from ..core.validate import validate, validate_document
from .ids import entry_path
from .review import add_months

BOM = b"\xef\xbb\xbf"
ARCHIVE_REASON_LENGTH = (10, 300)  # the schema's minLength and maxLength for archived_reason

# Where a field goes when the file does not have it yet: after the first of
# these fields that the file has (the order of the schema and the examples),
# otherwise just before the closing ---.
ANCHORS: dict[str, tuple[str, ...]] = {
    "archived_reason": ("status",),
    "featured": ("archived_reason", "status"),
    "last_reviewed": ("published",),
    "review_by": ("last_reviewed", "published"),
}

# Free text: always double-quoted, even when it is one word.
QUOTED_FIELDS = frozenset({"title", "summary", "archived_reason"})

Value = str | bool | date | None

_KEY = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_LINE = re.compile(r"([^\r\n]*)(\r\n|\r|\n|$)")
_COMMENT = re.compile(r"(?:^|[ \t])#")
_BLOCK_HEADER = re.compile(r"[|>][+-]?([1-9]?)")
# Characters libyaml counts as line breaks but the loader does not: positions
# could not be trusted if the front matter held one.
_YAML_ONLY_BREAKS = ("\u2028", "\u2029", "\x85")


class EditError(CasehubError):
    """The file could not be changed safely; it was left exactly as it was."""

    def __init__(self, message: str, findings: list[Finding] | None = None):
        self.findings = findings or []
        super().__init__(message)


class EditUsageError(CasehubError):
    """What was asked for cannot be done: an unknown entry, or a value the field cannot take."""


@dataclass
class EditResult:
    """What an action changed in one file, and the findings the file has afterwards."""

    path: str
    changes: dict[str, Value]
    changed: bool
    findings: list[Finding] = field(default_factory=list)

    def summary(self) -> str:
        """One line for people: `casestudies/x.md: last_reviewed 2026-11-22, review_by 2028-05-22`."""
        parts = [f"{key} removed" if value is None else f"{key} {format_value(value)}"
                 for key, value in self.changes.items()]
        text = f"{self.path}: {', '.join(parts)}"
        return text if self.changed else f"{text} (already so: the file is unchanged)"


# Formatting values ----------------------------------------------------------


def format_value(value: Value, quoted: bool = False) -> str:
    """A value as YAML text the loader reads back as exactly that value: the entry-file
    writer's one quoting rule (`core.entryfile.scalar`), with its refusals as usage errors."""
    if not isinstance(value, str | bool | date):
        raise EditUsageError(f"{value!r} is not a value an entry field can take here")
    try:
        return scalar(value, quoted)
    except EntryFileError as error:
        raise EditUsageError(str(error)) from None


def _as_loaded(value: Value):
    """The value the loader gives back for what `format_value` writes."""
    return value.isoformat() if isinstance(value, date) and not isinstance(value, bool) else value


# Finding a field in the text --------------------------------------------------


@dataclass
class _Span:
    """Where a top-level field is: its key line, and its value from (line, col) to (end_line, end_col).

    Lines are 0-based indexes into the file's lines, columns 0-based into a line."""

    key_line: int
    line: int
    col: int
    end_line: int
    end_col: int


class _Text:
    """An entry's text (without its BOM) as lines with their own endings, and the loaded document."""

    def __init__(self, text: str, path: Path, shown: str):
        self.path, self.shown = path, shown
        self.lines = [[m.group(1), m.group(2)] for m in _iter_lines(text)]
        try:
            self.doc = parse(text.encode("utf-8"), path, shown)
        except LoadError as error:
            raise EditError(f"{error.finding} — the edit went wrong, so the file was not changed; "
                            "please report this", [error.finding]) from None
        self.closing = self.doc.body_line - 2  # index of the closing --- line
        if any(ch in line for line, _ in self.lines[:self.closing] for ch in _YAML_ONLY_BREAKS):
            raise EditError(f"{shown}: the front matter contains a Unicode line or paragraph separator "
                            "(U+2028, U+2029 or U+0085); remove it, then try again")
        self.top = sorted((line - 1, col - 1, pointer[1:]) for pointer, (line, col)
                          in self.doc.key_positions.items() if pointer.count("/") == 1)
        if len({line for line, _, _ in self.top}) != len(self.top):
            raise EditError(f"{shown}: two fields share a line in the front matter; "
                            "put each field on its own line, then try again")

    def text(self) -> str:
        return "".join(content + ending for content, ending in self.lines)

    def has(self, key: str) -> bool:
        return join_pointer("", key) in self.doc.key_positions

    def _limit(self, key_line: int) -> int:
        """The line after a field's last possible line: the next field's, or the closing ---."""
        return next((line for line, _, _ in self.top if line > key_line), self.closing)

    def _indent(self) -> int:
        return self.top[0][1] if self.top else 0

    def span(self, key: str) -> _Span:
        pointer = join_pointer("", key)
        key_line, base = (n - 1 for n in self.doc.key_positions[pointer])
        line, col = (n - 1 for n in self.doc.positions[pointer])
        value = self.doc.metadata[key]
        if isinstance(value, (dict, list)):
            raise EditError(f"{self.shown}:{key_line + 1}:{base + 1}: '{key}' holds "
                            f"{'a list' if isinstance(value, list) else 'a group of fields'}, not a single value; "
                            "change it by hand")
        limit = self._limit(key_line)
        text = self.lines[line][0]
        rest = text[col:].strip()
        if value is None and line == key_line and (not rest or rest.startswith("#")):
            return _Span(key_line, line, col, line, col)  # `key:` with nothing after it
        first = text[col:col + 1]
        if first in ("'", '"'):
            end_line, end_col = self._quoted_end(line, col)
        elif first in ("|", ">"):
            end_line, end_col = self._block_end(line, col, base, limit)
        else:
            end_line, end_col = self._plain_end(line, col, base, limit)
        return _Span(key_line, line, col, end_line, end_col)

    def _quoted_end(self, line: int, col: int) -> tuple[int, int]:
        quote = self.lines[line][0][col]
        index = col + 1
        while line < self.closing:
            text = self.lines[line][0]
            while index < len(text):
                char = text[index]
                if quote == '"' and char == "\\":
                    index += 2
                    continue
                if char == quote:
                    if quote == "'" and text[index + 1:index + 2] == "'":
                        index += 2
                        continue
                    return line, index + 1
                index += 1
            line, index = line + 1, 0
        raise EditError(f"{self.shown}:{line + 1}: a quoted value never ends; fix it by hand")  # pragma: no cover

    def _block_end(self, line: int, col: int, base: int, limit: int) -> tuple[int, int]:
        header = _BLOCK_HEADER.match(self.lines[line][0], col)
        explicit = header.group(1) if header else ""
        indent = base + int(explicit) if explicit else None  # an indentation indicator counts from the key
        end = line
        for number in range(line + 1, limit):
            text = self.lines[number][0]
            if not text.strip():
                continue
            width = len(text) - len(text.lstrip(" "))
            if indent is None:
                indent = width
            if width < indent or width <= base:
                break
            end = number
        if end == line:  # no content lines: the header is the whole value
            return line, len(self.lines[line][0])
        return end, len(self.lines[end][0])

    def _plain_end(self, line: int, col: int, base: int, limit: int) -> tuple[int, int]:
        text = self.lines[line][0]
        comment = _COMMENT.search(text, col)
        if comment:
            return line, len(text[:comment.start()].rstrip())
        end = (line, len(text.rstrip()))
        for number in range(line + 1, limit):
            text = self.lines[number][0]
            stripped = text.strip()
            if not stripped:
                continue
            if len(text) - len(text.lstrip(" \t")) <= base or stripped.startswith("#"):
                break
            comment = _COMMENT.search(text)
            if comment:
                return number, len(text[:comment.start()].rstrip())
            end = (number, len(text.rstrip()))
        return end

    def last_line(self, key: str) -> int:
        """A field's last line: where its value ends, or for a list or mapping the last line before
        the next field that is not blank and not a comment at the fields' own indentation."""
        pointer = join_pointer("", key)
        if not isinstance(self.doc.metadata[key], (dict, list)):
            return self.span(key).end_line
        key_line, base = (n - 1 for n in self.doc.key_positions[pointer])
        last = key_line
        for number in range(key_line + 1, self._limit(key_line)):
            text = self.lines[number][0]
            if text.strip() and not (len(text) - len(text.lstrip()) <= base and text.lstrip().startswith("#")):
                last = number
        return last

    # The three changes ------------------------------------------------------

    def replace(self, key: str, new: str) -> None:
        span = self.span(key)
        first = span.line
        head = self.lines[span.line][0][:span.col]
        tail = self.lines[span.end_line][0][span.end_col:]
        if span.line == span.end_line and span.col == span.end_col:  # `key:` had no value
            new = " " + new
        elif span.line > span.key_line:  # the value starts below its key: bring it up onto the key's line
            text = self.lines[span.key_line][0]
            colon = re.compile(rf"""(?:{re.escape(key)}|"{re.escape(key)}"|'{re.escape(key)}')[ \t]*:""")
            match = colon.match(text, len(text) - len(text.lstrip()))
            if match:
                first, head, new = span.key_line, text[:match.end()], " " + new
                tail = text[match.end():].rstrip() + tail  # a comment after the key stays
        ending = self.lines[span.end_line][1]
        self.lines[first:span.end_line + 1] = [[head + new + tail, ending]]

    def remove(self, key: str) -> None:
        span = self.span(key)
        del self.lines[span.key_line:span.end_line + 1]

    def insert(self, key: str, new: str, anchors: tuple[str, ...]) -> None:
        anchor = next((a for a in anchors if self.has(a)), None)
        at = self.last_line(anchor) + 1 if anchor else self.closing
        ending = self.lines[at - 1][1] or "\n"
        self.lines.insert(at, [" " * self._indent() + f"{key}: {new}", ending])


def _iter_lines(text: str):
    position = 0
    while position < len(text):
        match = _LINE.match(text, position)
        yield match
        position = match.end()


# Editing a file ---------------------------------------------------------------


def set_fields(path: Path | str, changes: dict[str, Value], *, after: dict[str, tuple[str, ...]] | None = None,
               display_path: str | None = None) -> None:
    """Set, replace or (with None) remove top-level single-value fields of one entry file.

    A field the file has keeps its line, key and any trailing comment; only its
    value's text changes (a multi-line value is replaced by one line). A field it
    lacks gets a new `key: value` line after the first of `after[key]` (default:
    `ANCHORS`) that the file has, or else just before the closing ---. Every other
    byte stays as it was. Raises EditError, without writing, if the file does not
    load or the edit would not come out exactly as intended.

    Example: set_fields("casestudies/x.md", {"featured": True})
    """
    _edit(Path(path), changes, display_path or str(path), after)


def _edit(path: Path, changes: dict[str, Value], shown: str, after: dict[str, tuple[str, ...]] | None = None,
          check: Callable[[Document, Document], None] | None = None) -> tuple[Document, Document, bool]:
    """Make the edit, check it, write it; returns the documents before and after, and whether it wrote."""
    for key in changes:
        if not _KEY.fullmatch(key):
            raise EditUsageError(f"'{key}' is not a field name this command can set")
    formatted = {key: None if value is None else format_value(value, key in QUOTED_FIELDS)
                 for key, value in changes.items()}
    if path.name == "index.md" and path.parent.is_symlink():
        raise EditError(f"{shown}: the entry's folder is a symbolic link; replace the link with the real folder")
    try:
        load(path, shown)  # the loader's own checks: no symbolic link, not too large, readable
        data = path.read_bytes()
        before = parse(data, path, shown)
    except LoadError as error:
        raise EditError(f"{error.finding}\n{shown} was not changed: fix the problem above, then try again",
                        [error.finding]) from None
    except OSError as error:
        raise EditError(f"{shown}: the file cannot be read ({error.strerror})") from None
    bom = data.startswith(BOM)
    work = _Text(data[len(BOM) if bom else 0:].decode("utf-8"), path, shown)
    for key, new in formatted.items():
        if new is None:
            if work.has(key):
                work.remove(key)
        elif work.has(key):
            work.replace(key, new)
        else:
            work.insert(key, new, {**ANCHORS, **(after or {})}.get(key, ()))
        work = _Text(work.text(), path, shown)  # positions for the next change
    new_data = (BOM if bom else b"") + work.text().encode("utf-8")
    result = work.doc
    expected = {key: value for key, value in before.metadata.items() if key not in changes}
    kept = list(expected)
    expected.update({key: _as_loaded(value) for key, value in changes.items() if value is not None})
    if (not _same(result.metadata, expected) or result.body != before.body
            or [key for key in result.metadata if key not in changes] != kept):
        raise EditError(f"{shown}: the edit did not come out exactly as intended, so the file was not changed; "
                        "make the change by hand")
    if check:
        check(before, result)
    if new_data == data:
        return before, result, False
    _write(path, data, new_data, shown)
    return before, result, True


def _same(a, b) -> bool:
    """Equal, and of the same types all the way down (so True is not 1, and '1' is not 1)."""
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(_same(a[k], b[k]) for k in a)
    if isinstance(a, list):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b, strict=True))
    return a == b


def _write(path: Path, old: bytes, new: bytes, shown: str) -> None:
    """Replace the file atomically, keeping its permissions; refuse if it changed meanwhile."""
    try:
        if path.read_bytes() != old:
            raise EditError(f"{shown} changed while it was being edited; it was not changed again: try again")
        mode = stat.S_IMODE(path.stat().st_mode)
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    except OSError as error:
        raise EditError(f"{shown}: cannot write beside the file ({error.strerror})") from None
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(new)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temporary, mode)
        os.replace(temporary, path)
    except BaseException as error:
        Path(temporary).unlink(missing_ok=True)
        if isinstance(error, OSError):
            raise EditError(f"{shown}: the file could not be written ({error.strerror}); "
                            "it was not changed") from None
        raise


# Facilitators' actions ----------------------------------------------------------


def _act(project: Project, entry_id: str, changes: dict[str, Value],
         allowed: Callable[[dict, str], None] | None = None) -> EditResult:
    """Edit one entry, refusing a change that would add a finding (or that `allowed`, given the
    entry's fields and its path, refuses by raising EditError), then validate the file as written."""
    path = entry_path(project, entry_id)
    shown = project.relative(path)
    known = {p.parent.name if p.name == "index.md" else p.stem for p in project.entry_files()}

    def no_new_findings(before: Document, after: Document) -> None:
        if allowed:
            allowed(before.metadata, shown)
        had = {(f.rule, f.pointer, f.message) for f in validate_document(before, project, known)}
        added = [f for f in validate_document(after, project, known) if (f.rule, f.pointer, f.message) not in had]
        if added:
            raise EditError("\n".join(str(f) for f in added)
                            + f"\n{shown} was not changed: the change would add the problem"
                            + ("s" if len(added) > 1 else "") + " above", added)

    _, _, changed = _edit(path, changes, shown, check=no_new_findings)
    return EditResult(shown, dict(changes), changed, validate(project, [path]).findings)


def record_review(project: Project, entry_id: str, on: date) -> EditResult:
    """Record that an entry was checked on a date: last_reviewed is that date, and review_by
    that date plus the library's review period (review_period_months in data/casehub.yaml)."""
    review_by = add_months(on, project.settings["review_period_months"])
    return _act(project, entry_id, {"last_reviewed": on, "review_by": review_by})


def archive(project: Project, entry_id: str, reason: str, on: date | None = None) -> EditResult:
    """Archive an entry: status archived, with the reason shown in the banner on its page.

    `on` is accepted for symmetry with record_review; the schema has no archive date."""
    reason = reason.strip()
    low, high = ARCHIVE_REASON_LENGTH
    if not low <= len(reason) <= high:
        raise EditUsageError(f"the reason is {len(reason)} characters long; write {low} to {high} characters "
                             "saying why the entry is archived (it is shown on the entry's page)")
    return _act(project, entry_id, {"status": "archived", "archived_reason": reason})


def feature(project: Project, entry_id: str, featured: bool = True) -> EditResult:
    """Feature an entry on the home page (featured: true), or stop featuring it by removing
    the line (featured is false unless it says otherwise)."""
    return _act(project, entry_id, {"featured": True if featured else None}, _featurable if featured else None)


def _featurable(meta: dict, shown: str) -> None:
    """Only a published entry can be featured: the home page shows nothing else."""
    status = meta.get("status")
    if status == "draft":
        raise EditError(f"{shown} is a draft, so it cannot be featured: the home page shows published entries "
                        "only. Publish it first (status: published), then feature it. The file was not changed.")
    if status == "archived":
        raise EditError(f"{shown} is archived, so it cannot be featured: archived entries leave the home page, "
                        "listings and search. To bring it back, set status: published and remove archived_reason "
                        "first. The file was not changed.")
