"""Bulk edits for a migration: set a field on many entries, and publish the drafts that are complete.

`set_many` (`casehub set`) and `publish_many` (`casehub publish`) change each
file through `edit.edit_entry`, the one edit path, so only the lines of the
fields they change differ afterwards (and, on publishing, the importer's
comment lines at the top go). Each file is checked before it is written: `set`
refuses a change that would add a finding to it; `publish` refuses a draft
that is not publishable (`core/publishable.py`: no findings at all as a
published entry, a sound id), giving what it still needs. A refused file is
left exactly as it was; the others are still changed. `dry_run` writes nothing.
"""

from __future__ import annotations

import difflib
from collections import Counter
from dataclasses import dataclass, field

from ..core import rules
from ..core.findings import Finding
from ..core.loader import Document
from ..core.project import Project
from ..core.publishable import todo_label
from ..core.schema import published_schema
from ..core.validate import validate, validate_document
from .batches import Target
from .edit import EditError, EditUsageError, Value, edit_entry

LISTED = 20  # entries named one a line, past which a result gives totals


class NotPublishable(EditError):
    """A draft with findings: what it needs is in `findings`."""


@dataclass
class BulkResult:
    """What a bulk command did to each entry it was given."""

    done: list[str] = field(default_factory=list)  # changed (or, in a dry run, would be)
    unchanged: list[str] = field(default_factory=list)  # already so, or already published
    refused: list[tuple[str, str]] = field(default_factory=list)  # (path, why)
    remaining: list[Finding] = field(default_factory=list)  # findings the changed entries still have
    dry_run: bool = False

    @property
    def ok(self) -> bool:
        return not self.refused


def _paths(paths: list[str], indent: str = "  ") -> list[str]:
    shown = [f"{indent}{p}" for p in paths[:LISTED]]
    return shown + ([f"{indent}…and {len(paths) - LISTED} more"] if len(paths) > LISTED else [])


def _refusals(refused: list[tuple[str, str]]) -> list[str]:
    if len(refused) <= LISTED:
        return [f"  {path}: {why}" for path, why in refused]
    totals = Counter(why for _, why in refused)
    return [f"  {count:>5} — {why}" for why, count in totals.most_common()] + [
        "  ('casehub worklist' lists each entry with what it needs.)"]


# --- casehub set -------------------------------------------------------------------------------

def _spec(project: Project, name: str) -> tuple[dict, dict]:
    """The published schema, and the part of it for a field or a field of a group."""
    schema = published_schema(project)
    top, _, part = name.partition(".")
    properties = schema["properties"]
    if top not in properties:
        close = difflib.get_close_matches(top, list(properties), n=1)
        raise EditUsageError(f"'{top}' is not a field Casehub knows" + (f" — did you mean '{close[0]}'?" if close
                                                                          else ""))
    spec = properties[top]
    if part:
        inner = spec.get("properties", {})
        if part not in inner:
            close = difflib.get_close_matches(part, list(inner), n=1)
            raise EditUsageError(f"'{name}' is not a field Casehub knows"
                                 + (f" — did you mean '{top}.{close[0]}'?" if close else ""))
        spec = inner[part]
    return schema, spec


def parse_assignments(project: Project, words: list[str]) -> dict[str, Value]:
    """`FIELD=VALUE` words as the values to set, each checked against the schema first.

    A list field takes ids separated by commas (`topics=housing-and-homelessness,digital-and-technology`),
    `organisations` the lead organisation's name, a group's fields their own names (`geography.region=london`);
    an empty VALUE removes the field."""
    changes: dict[str, Value] = {}
    for word in words:
        name, _, text = word.partition("=")
        name, text = name.strip(), text.strip()
        if name == "status":
            raise EditUsageError("status is changed by 'casehub publish' (which checks the entry is complete) "
                                 "and 'casehub archive', not by 'casehub set'")
        schema, spec = _spec(project, name)
        if spec.get("type") == "object":
            parts = " ".join(f"{name}.{p}=…" for p in spec.get("required", spec.get("properties", {}))[:2])
            raise EditUsageError(f"'{name}' is a group of fields: set each, for example {parts}")
        value: Value
        if not text:
            value = None
        elif name == "organisations":
            value = [{"name": text, "role": "lead"}]
        elif spec.get("type") == "array" and spec.get("items", {}).get("type") == "object":
            raise EditUsageError(f"'{name}' is a list of groups of fields: change it by hand")
        elif spec.get("type") == "array":
            value = list(dict.fromkeys(part.strip() for part in text.split(",") if part.strip()))
        elif spec.get("type") == "boolean":
            if text.lower() not in ("true", "false"):
                raise EditUsageError(f"'{name}' is true or false, not '{text}'")
            value = text.lower() == "true"
        else:
            value = text
        if value is not None:
            _check_value(schema, spec, name, value)
        changes[name] = value
    return changes


def _check_value(schema: dict, spec: dict, name: str, value) -> None:
    from jsonschema import Draft202012Validator

    validator = Draft202012Validator({"$defs": schema.get("$defs", {}), **spec},
                                     format_checker=Draft202012Validator.FORMAT_CHECKER)
    error = next(iter(sorted(validator.iter_errors(value), key=lambda e: e.path)), None)
    if error is None:
        return
    if error.validator == "enum":
        close = difflib.get_close_matches(str(error.instance), [str(c) for c in error.validator_value], n=1,
                                          cutoff=0.4)
        hint = f"did you mean '{close[0]}'?" if close else "use one of: " + ", ".join(error.validator_value[:12])
        raise EditUsageError(f"'{error.instance}' is not a value {name} can take — {hint}")
    raise EditUsageError(f"{name}={value!r} is not allowed: {error.message}")


def set_many(project: Project, targets: list[Target], changes: dict[str, Value], dry_run: bool = False
             ) -> BulkResult:
    """Set the same fields on every target, refusing (file by file) a change that would add a finding."""
    known = {p.parent.name if p.name == "index.md" else p.stem for p in project.entry_files()}
    result = BulkResult(dry_run=dry_run)
    for target in targets:
        def no_new_findings(before: Document, after: Document, shown=target.shown) -> None:
            had = {(f.rule, f.pointer, f.message) for f in validate_document(before, project, known)}
            added = [f for f in validate_document(after, project, known)
                     if (f.rule, f.pointer, f.message) not in had]
            if added:
                raise EditError("it would add: " + "; ".join(f"{f.field}: {f.message}" for f in added), added)

        try:
            _, _, changed = edit_entry(target.path, changes, target.shown, check=no_new_findings, write=not dry_run)
        except EditError as error:
            result.refused.append((target.shown, str(error).splitlines()[0]))
            continue
        (result.done if changed else result.unchanged).append(target.shown)
    if result.done and not dry_run:
        result.remaining = validate(project, [project.root / p for p in result.done]).findings
    return result


def set_text(result: BulkResult, changes: dict[str, Value]) -> str:
    what = ", ".join(f"{k} removed" if v is None else f"{k}={_shown(v)}" for k, v in changes.items())
    verb = "Would set" if result.dry_run else "Set"
    lines = [f"{verb} {what} on {len(result.done)} entr{'y' if len(result.done) == 1 else 'ies'}"
             + (f" ({len(result.unchanged)} already so, left unchanged)" if result.unchanged else "") + ":"]
    lines += _paths(result.done) if result.done else ["  (none)"]
    if result.refused:
        lines += [f"Refused for {len(result.refused)} (those files were not changed):", *_refusals(result.refused)]
    if result.remaining:
        totals = Counter(todo_label(f) for f in {(f.path, todo_label(f)): f for f in result.remaining}.values())
        lines += ["Still needed in the entries changed: "
                  + ", ".join(f"{count} need {label}" for label, count in totals.most_common())
                  + " ('casehub review' suggests the next bulk fix)."]
    elif result.done and not result.dry_run:
        lines.append("The entries changed have nothing left to fix: 'casehub publish' publishes the drafts among "
                     "them.")
    return "\n".join(lines) + "\n"


def _shown(value: Value) -> str:
    if isinstance(value, list):
        return ",".join(str(v["name"]) if isinstance(v, dict) else str(v) for v in value)
    return str(value).lower() if isinstance(value, bool) else str(value)


# --- casehub publish ---------------------------------------------------------------------------

def publish_many(project: Project, targets: list[Target], dry_run: bool = False) -> BulkResult:
    """Publish every target that is a complete draft: status published, the importer's notes removed.
    Already published entries are left alone; anything else is refused with what it needs."""
    files = project.entry_files()
    known = {p.parent.name if p.name == "index.md" else p.stem for p in files}
    id_problems: dict[str, list[Finding]] = {}
    for finding in rules.check_ids(files, project):
        id_problems.setdefault(finding.path, []).append(finding)
    result = BulkResult(dry_run=dry_run)
    for target in targets:
        status = (target.metadata or {}).get("status")
        if status == "published":
            result.unchanged.append(target.shown)
            continue
        if target.metadata is not None and status != "draft":
            result.refused.append((target.shown, f"its status is {status!r}: only drafts are published "
                                                 "(an archived entry comes back by hand: status and archived_reason)"))
            continue

        def complete(before: Document, after: Document, shown=target.shown) -> None:
            found = validate_document(after, project, known) + id_problems.get(shown, [])
            if found:
                raise NotPublishable("needs " + ", ".join(dict.fromkeys(todo_label(f) for f in found)), found)

        try:
            edit_entry(target.path, {"status": "published"}, target.shown, check=complete, drop_import_notes=True,
                       write=not dry_run)
        except EditError as error:
            result.refused.append((target.shown, str(error).splitlines()[0]))
            continue
        result.done.append(target.shown)
    return result


def publish_text(result: BulkResult) -> str:
    verb = "Would publish" if result.dry_run else "Published"
    lines = [f"{verb} {len(result.done)} entr{'y' if len(result.done) == 1 else 'ies'}"
             + (" (status: published; the importer's notes at the top removed)" if result.done else "") + ":"]
    lines += _paths(result.done) if result.done else ["  (none)"]
    if result.unchanged:
        lines.append(f"Already published, left as they were: {len(result.unchanged)}.")
    if result.refused:
        lines += [f"Not published, {len(result.refused)} not complete yet (those files were not changed):",
                  *_refusals(result.refused)]
    if result.done and not result.dry_run:
        lines.append("Commit the changes; the next build publishes them.")
    return "\n".join(lines) + "\n"
