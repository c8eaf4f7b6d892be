"""The migration workbench: what each imported batch still needs, with the bulk command for each
need, and the worklist a team splits between people.

Works on a validation `Report` (the review queue's), so it reads nothing again:
for each batch, how many entries are published, how many drafts are ready to
publish, and the drafts grouped by what they need ("223 need topics"), each
group with a suggested `casehub set … --batch … --where FIELD=` that fills the
gap only where it is, using the value most entries of the batch (or else the
library) already have. Needs no command can fill (a summary to shorten, a
section to write, personal data to remove) say so. Never changes a file.
"""

from __future__ import annotations

import csv
import shlex
from collections import Counter
from dataclasses import dataclass, field

from ..core.findings import Finding
from ..core.loader import Document
from ..core.project import Project
from ..core.publishable import ERROR, todo_label
from ..core.validate import Report
from .batches import batch_name, in_batch

# Fields a bulk command can fill, and how (the `casehub set` assignments, from a sample value).
SETTABLE = ("topics", "stage", "published", "organisations", "geography", "geography.nation", "geography.region",
            "geography.council_type", "contact", "contact.team", "contact.email", "contact.url", "type", "licence",
            "budget_band")
BY_HAND = "by hand, entry by entry ('casehub worklist' lists them)"


@dataclass
class Need:
    """Drafts of a batch that need the same thing."""

    label: str
    paths: list[str]
    severity: str  # "error" (it fails the check: fix it first) or "todo"
    fix: str  # a command, or how to do it by hand


@dataclass
class BatchWork:
    """An imported batch: its totals, and what its drafts need."""

    name: str
    entries: int = 0
    published: int = 0
    archived: int = 0
    ready: list[str] = field(default_factory=list)  # drafts with no findings: ids
    unfinished: int = 0  # drafts with findings
    needs: list[Need] = field(default_factory=list)

    def overview(self) -> str:
        parts = [f"{self.published} published"] + ([f"{self.archived} archived"] if self.archived else []) + [
            f"{len(self.ready)} draft{'s' if len(self.ready) != 1 else ''} ready to publish",
            f"{self.unfinished} draft{'s' if self.unfinished != 1 else ''} to complete"]
        return f"{self.entries} entries: " + ", ".join(parts)

    def publish_command(self) -> str:
        return f"casehub publish --batch {shlex.quote(self.name)}"


def _findings_by_path(report: Report) -> dict[str, list[Finding]]:
    by_path: dict[str, list[Finding]] = {}
    for finding in report.findings:
        by_path.setdefault(finding.path, []).append(finding)
    return by_path


def settable_field(finding: Finding) -> str | None:
    """The field a `casehub set` could fill for this finding, if any: a missing one."""
    if finding.rule == "schema-required" and finding.field in SETTABLE:
        return finding.field
    return None


class Samples:
    """The values entries already have, to suggest for those that lack them: the batch's own
    most common value first, then the library's."""

    def __init__(self, project: Project, documents: list[Document]):
        self.project = project
        self.documents = documents

    def common(self, documents: list[Document], pick) -> object | None:
        for group in (documents, self.documents):
            counts = Counter(v for d in group for v in pick(d.metadata) if v not in (None, "", []))
            if counts:
                return sorted(counts.items(), key=lambda item: (-item[1], str(item[0])))[0][0]
        return None

    def assignments(self, wanted: str, documents: list[Document], imported: str) -> list[str]:
        """`FIELD=VALUE` words that fill `wanted` (a field, or a field of a group)."""
        top, _, part = wanted.partition(".")
        vocabulary = {"topics": "topics", "stage": "stages", "type": "types", "geography.region": "regions",
                      "geography.council_type": "council-types"}
        if top == "published":
            return [f"published={imported}"]
        if top == "organisations":
            name = self.common(documents, lambda m: [o.get("name") for o in m.get("organisations") or []
                                                     if isinstance(o, dict)][:1])
            return [f"organisations={name or '<lead organisation>'}"]
        if top in ("geography", "contact") and not part:
            parts = ("nation", "region") if top == "geography" else ("team", "email", "url")
            pair = self.common(documents, lambda m: [tuple((k, v) for k, v in m[top].items() if k in parts)]
                               if isinstance(m.get(top), dict) else [])
            if pair:
                return [f"{top}.{k}={v}" for k, v in pair]
            return ([f"{top}.nation=england", f"{top}.region=<region>"] if top == "geography"
                    else [f"{top}.team=<team>", f"{top}.url=<contact page>"])
        if top == "topics":
            topic = self.common(documents, lambda m: m.get("topics") or [])
            return [f"topics={topic or '<topic>'}"]
        value = self.common(documents, lambda m: [v for v in _at(m, wanted)])
        if value is None and wanted in vocabulary:
            value = self.project.vocabularies[vocabulary[wanted]].ids[0]
        return [f"{wanted}={value if value is not None else '<value>'}"]


def _at(metadata: dict, dotted: str) -> list:
    value = metadata
    for part in dotted.split("."):
        if not isinstance(value, dict) or part not in value:
            return []
        value = value[part]
    return [value] if not isinstance(value, (dict, list)) else []


def _command(words: list[str], *tail: str) -> str:
    return " ".join(["casehub", "set", *(shlex.quote(w) for w in words), *tail])


def batch_work(project: Project, report: Report) -> list[BatchWork]:
    """Every imported batch in the library, with its totals and grouped needs, by name."""
    by_path = _findings_by_path(report)
    documents = report.documents + report.unfinished
    samples = Samples(project, documents)
    batches: dict[str, BatchWork] = {}
    members: dict[str, list[Document]] = {}
    for document in documents:
        name = batch_name(document.metadata)
        if name is None:
            continue
        work = batches.setdefault(name, BatchWork(name))
        members.setdefault(name, []).append(document)
        work.entries += 1
        status = document.metadata.get("status")
        if status == "published":
            work.published += 1
        elif status == "archived":
            work.archived += 1
        elif document.display_path in by_path:
            work.unfinished += 1
        else:
            work.ready.append(document.id)
    for name, work in batches.items():
        groups: dict[tuple[str, str], set[str]] = {}
        settable: dict[str, str] = {}
        for document in members[name]:
            for finding in by_path.get(document.display_path, []):
                key = (ERROR if finding.severity == ERROR else "todo", todo_label(finding))
                groups.setdefault(key, set()).add(document.display_path)
                if (wanted := settable_field(finding)) and finding.severity != ERROR:
                    settable[key[1]] = wanted
        imported = str(members[name][0].metadata["source"]["imported"])
        for (severity, label), paths in sorted(groups.items(), key=lambda g: (g[0][0] != ERROR, -len(g[1]), g[0][1])):
            if label in settable:
                wanted = settable[label]
                fix = _command(samples.assignments(wanted, members[name], imported), "--batch", shlex.quote(name),
                               "--where", shlex.quote(f"{wanted}="))
            else:
                fix = BY_HAND
            work.needs.append(Need(label, sorted(paths), severity, fix))
    return [batches[name] for name in sorted(batches)]


def batch_of(report: Report, asked: str | None) -> list[Document]:
    documents = report.documents + report.unfinished
    return [d for d in documents if asked is None or in_batch(d.metadata, asked)]


WORKLIST_COLUMNS = ("id", "title", "path", "batch", "source", "status", "state", "needs", "suggested_fix", "assignee")


def worklist_rows(project: Project, report: Report, batch: str | None = None) -> list[dict[str, str]]:
    """One row per draft (of the batch, or every draft): what it needs and the command that fixes what a
    command can; the assignee column is left for the team."""
    by_path = _findings_by_path(report)
    documents = [d for d in batch_of(report, batch) if d.metadata.get("status") == "draft"]
    samples = Samples(project, report.documents + report.unfinished)
    members: dict[str | None, list[Document]] = {}
    for document in documents:
        members.setdefault(batch_name(document.metadata), []).append(document)
    suggested: dict[tuple[str | None, str], list[str]] = {}

    def assignments(name: str | None, wanted: str, imported: str) -> list[str]:
        if (name, wanted) not in suggested:
            suggested[name, wanted] = samples.assignments(wanted, members[name], imported)
        return suggested[name, wanted]

    rows = []
    for document in sorted(documents, key=lambda d: (batch_name(d.metadata) or "", d.display_path)):
        meta = document.metadata
        found = by_path.get(document.display_path, [])
        source = meta.get("source") if isinstance(meta.get("source"), dict) else {}
        failing = any(f.severity == ERROR for f in found)
        wanted = list(dict.fromkeys(w for f in found if (w := settable_field(f))))
        by_hand = list(dict.fromkeys(todo_label(f) for f in found if not settable_field(f)))
        if not found:
            fix = f"casehub publish {document.id}"
        else:
            imported = str(source.get("imported") or "<YYYY-MM-DD>")
            steps = [_command([a for w in wanted for a in assignments(batch_name(meta), w, imported)],
                              document.id)] if wanted else []
            steps += [f"edit {document.display_path}: {', '.join(by_hand)}"] if by_hand else []
            fix = "; then ".join(steps + [f"casehub publish {document.id}"])
        rows.append({"id": document.id, "title": str(meta.get("title", "")), "path": document.display_path,
                     "batch": batch_name(meta) or "", "source": str(source.get("url") or source.get("path") or ""),
                     "status": str(meta.get("status", "")),
                     "state": "must fix" if failing else "to complete" if found else "ready to publish",
                     "needs": "; ".join(dict.fromkeys(todo_label(f) for f in found)),
                     "suggested_fix": fix, "assignee": ""})
    return rows


def write_worklist(rows: list[dict[str, str]], stream) -> None:
    """The rows as CSV. A cell that a spreadsheet would run as a formula starts with ' instead."""
    writer = csv.DictWriter(stream, WORKLIST_COLUMNS, lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({key: "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value
                         for key, value in row.items()})
