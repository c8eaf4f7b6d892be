"""Facilitators' edits to an entry's front matter, made in place and nothing else.

Owns changing an entry file: `edit_entry` (and `set_fields` over it) sets,
replaces or removes fields, and everything that changes an entry in place is
built on it: `record_review` (`casehub reviewed`), `archive` (`casehub
archive`), `feature` (`casehub feature`) and the bulk commands in `bulk.py`
(`casehub set`, `casehub publish`). Where each field is in the text, and the
line-level changes, are `frontmatter.py`'s.

What it must not do: re-serialise the YAML or reformat anything. Only the
lines of the fields it was asked to change may differ afterwards; comments,
quoting style, key order, blank lines, line endings (LF, CRLF or mixed), a
UTF-8 byte order mark and the Markdown body stay byte for byte as they were.
A list or a group of fields is rewritten whole, on its own lines, in the
entry-file writer's style; a field inside a group written one a line is changed
on its own line. It never parses YAML itself: where a field is comes from the
strict loader's positions.

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

from ..core.entryfile import IMPORTED_BY, EntryFileError, front_matter_lines, scalar
from ..core.findings import CasehubError, Finding, join_pointer
from ..core.loader import Document, LoadError, load, parse
from ..core.project import Project
from ..core.schema import source_schema
from ..core.validate import validate, validate_document
from .frontmatter import FrontMatter, FrontMatterError
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

Value = str | bool | date | list | dict | None

_KEY = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


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
    """The value the loader gives back for what `format_value` (or the entry-file writer) writes."""
    if isinstance(value, dict):
        return {key: _as_loaded(part) for key, part in value.items()}
    if isinstance(value, list):
        return [_as_loaded(part) for part in value]
    return value.isoformat() if isinstance(value, date) and not isinstance(value, bool) else value


# Editing a file ---------------------------------------------------------------


def set_fields(path: Path | str, changes: dict[str, Value], *, after: dict[str, tuple[str, ...]] | None = None,
               display_path: str | None = None) -> None:
    """Set, replace or (with None) remove fields of one entry file.

    A key is a field (`stage`) or a field of a group (`geography.region`); a value is
    text, true/false, a date, a list or a group. A single value the file has keeps its
    line, key and any trailing comment; only its value's text changes (a multi-line
    value is replaced by one line). A list or group is rewritten whole, on its own
    lines. A field the file lacks gets new lines after the first of `after[key]`
    (default: `ANCHORS`, else the fields before it in the schema's order) that the file
    has, or else just before the closing ---; a field of a group goes at the group's
    end. Every other byte stays as it was. Raises EditError, without writing, if the
    file does not load or the edit would not come out exactly as intended.

    Example: set_fields("casestudies/x.md", {"featured": True, "geography.region": "london"})
    """
    edit_entry(Path(path), changes, display_path or str(path), after=after)


def edit_entry(path: Path, changes: dict[str, Value], shown: str, *, after: dict[str, tuple[str, ...]] | None = None,
               check: Callable[[Document, Document], None] | None = None, drop_import_notes: bool = False,
               write: bool = True) -> tuple[Document, Document, bool]:
    """The one way an entry file is changed in place: `set_fields`, the facilitators' actions and the
    bulk commands all come here. Make the edit, check it (the caller's `check(before, after)` may raise
    EditError), write it unless `write` is False; returns the documents before and after, and whether
    the bytes changed. `drop_import_notes` also removes the importer's comment lines at the top."""
    grouped = _grouped(changes)
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
    try:
        work = FrontMatter(data[len(BOM) if bom else 0:].decode("utf-8"), path, shown)
        for key, change in grouped.items():
            work = _change_field(work, key, change, {**ANCHORS, **(after or {})}.get(key) or _schema_before(key))
        if drop_import_notes and work.drop_comment_header(IMPORTED_BY):
            work = FrontMatter(work.text(), path, shown)
    except FrontMatterError as error:
        raise EditError(str(error), error.findings) from None
    new_data = (BOM if bom else b"") + work.text().encode("utf-8")
    result = work.doc
    expected = _expected(before.metadata, grouped)
    kept = [key for key in before.metadata if key not in grouped]
    if (not _same(result.metadata, expected) or result.body != before.body
            or [key for key in result.metadata if key not in grouped] != kept):
        raise EditError(f"{shown}: the edit did not come out exactly as intended, so the file was not changed; "
                        "make the change by hand")
    if check:
        check(before, result)
    if new_data == data:
        return before, result, False
    if write:
        _write(path, data, new_data, shown)
    return before, result, True


_WHOLE = ""  # in `_grouped`, the change to a field as a whole rather than to a field inside it


def _grouped(changes: dict[str, Value]) -> dict[str, dict[str, Value]]:
    """The changes by top-level field: {field: {"": value}} or {field: {part: value, …}}."""
    grouped: dict[str, dict[str, Value]] = {}
    for key, value in changes.items():
        parts = key.split(".")
        if len(parts) > 2 or not all(_KEY.fullmatch(part) for part in parts):
            raise EditUsageError(f"'{key}' is not a field name this command can set")
        if len(parts) == 2 and isinstance(value, (list, dict)):
            raise EditUsageError(f"'{key}' takes a single value here")
        grouped.setdefault(parts[0], {})[parts[1] if len(parts) == 2 else _WHOLE] = value
        if _WHOLE in grouped[parts[0]] and len(grouped[parts[0]]) > 1:
            raise EditUsageError(f"'{parts[0]}' is set both whole and in part; set one or the other")
    return grouped


def _schema_before(key: str) -> tuple[str, ...]:
    """The fields before `key` in the schema's order, nearest first: where a new field goes."""
    names = list(source_schema()["properties"])
    return tuple(reversed(names[:names.index(key)])) if key in names else ()


def _lines(key: str, value, indent: int) -> list[str]:
    """A field as lines, in the one entry-file writer's style."""
    try:
        return [" " * indent + line for line in front_matter_lines({key: value})]
    except EntryFileError as error:
        raise EditUsageError(str(error)) from None


def _change_field(work: FrontMatter, key: str, change: dict[str, Value], anchors: tuple[str, ...]) -> FrontMatter:
    """Apply the changes to one top-level field; the text read again after each."""
    pointer = join_pointer("", key)
    if _WHOLE not in change and work.has(pointer) and work.is_block_mapping(pointer):
        for part, value in change.items():  # fields inside a group written one a line: line by line
            inner = join_pointer(pointer, part)
            if value is None:
                if work.has(inner):
                    work.remove(inner)
            elif work.has(inner) and not isinstance(work.value(inner), (dict, list)):
                work.replace(inner, format_value(value))
            elif work.has(inner):
                work.replace_lines(inner, _lines(part, value, work.key_at(inner)[1]))
            else:
                work.insert(work.insert_at(pointer), _lines(part, value, work.child_indent(pointer)))
            work = FrontMatter(work.text(), work.path, work.shown)
        return work
    if _WHOLE in change:
        value = change[_WHOLE]
    else:  # a group that is missing or written on one line: written again whole, on its own lines
        current = work.value(pointer) if work.has(pointer) else None
        value = {**(current if isinstance(current, dict) else {}), **change}
        value = {name: part for name, part in value.items() if part is not None} or None
    if value is None:
        if work.has(pointer):
            work.remove(pointer)
    elif work.has(pointer) and not isinstance(value, (dict, list)) \
            and not isinstance(work.value(pointer), (dict, list)):
        work.replace(pointer, format_value(value, key in QUOTED_FIELDS))
    elif work.has(pointer):
        work.replace_lines(pointer, _scalar_lines(key, value, work.key_at(pointer)[1]))
    else:
        anchor = next((join_pointer("", a) for a in anchors if work.has(join_pointer("", a))), None)
        work.insert(work.insert_at(anchor), _scalar_lines(key, value, work.indent()))
    return FrontMatter(work.text(), work.path, work.shown)


def _scalar_lines(key: str, value, indent: int) -> list[str]:
    if isinstance(value, (dict, list)):
        return _lines(key, value, indent)
    return [" " * indent + f"{key}: {format_value(value, key in QUOTED_FIELDS)}"]


def _expected(metadata: dict, grouped: dict[str, dict[str, Value]]) -> dict:
    """The fields the file should have after the changes, as the loader gives them back."""
    expected = dict(metadata)
    for key, change in grouped.items():
        if _WHOLE in change:
            value = change[_WHOLE]
        else:
            current = expected.get(key)
            value = {**(current if isinstance(current, dict) else {}), **change}
            value = {name: part for name, part in value.items() if part is not None} or None
        if value is None:
            expected.pop(key, None)
        else:
            expected[key] = _as_loaded(value)
    return expected



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

    _, _, changed = edit_entry(path, changes, shown, check=no_new_findings)
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
        entry_id = Path(shown).parent.name if shown.endswith("/index.md") else Path(shown).stem
        raise EditError(f"{shown} is a draft, so it cannot be featured: the home page shows published entries "
                        f"only. Publish it first ('casehub publish {entry_id}'), then feature it. "
                        "The file was not changed.")
    if status == "archived":
        raise EditError(f"{shown} is archived, so it cannot be featured: archived entries leave the home page, "
                        "listings and search. To bring it back, set status: published and remove archived_reason "
                        "first. The file was not changed.")
