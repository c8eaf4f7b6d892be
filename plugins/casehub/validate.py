"""Validation: files in, findings out.

Loads each entry with the strict loader, checks it against the schema and the
named rules in `rules.py`, then applies the rules that span files. Returns
data (a `Report`); `report.py` presents it. Never modifies a file.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from . import rules
from .findings import CasehubError, Finding
from .loader import Document, LoadError, load
from .parallel import map_in_chunks
from .project import Project
from .render import Renderer
from .schema import schema_findings


class UsageError(CasehubError):
    """A path that cannot be validated at all: it does not exist, for example."""


@dataclass
class Report:
    """What validation found, and the documents it loaded cleanly."""

    checked: int = 0
    findings: list[Finding] = field(default_factory=list)
    documents: list[Document] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not any(f.severity == "error" for f in self.findings)


def validate_document(document: Document, project: Project, known_ids: set[str]) -> list[Finding]:
    """Every rule that one entry can be checked against on its own, plus its references."""
    return (schema_findings(document, project)
            + rules.check_document(document, project)
            + rules.check_references(document, known_ids))


def collect(project: Project, paths: list[Path] | None = None) -> tuple[list[Path], list[Finding]]:
    """The entry files to check for the given paths (default: the whole library)."""
    targets: list[Path] = []
    findings: list[Finding] = []
    for path in paths or [project.entries_dir]:
        path = Path(os.path.abspath(path))  # one spelling per file; links are not resolved
        if path.is_dir():
            targets += project.entry_files(path)
            for stray in project.stray_markdown(path):
                findings.append(Finding(project.relative(stray), 1, 1, "entry-location",
                                        "this Markdown file is not where Casehub looks for entries",
                                        "move it to casestudies/<id>.md, or casestudies/<id>/index.md "
                                        "if it has images", "#id"))
        elif path.is_file() or path.is_symlink():
            targets.append(path)
        else:
            raise UsageError(f"{path}: no such file or folder")
    for target in targets:
        if _linked(target, project):
            findings.append(Finding(project.relative(target), 1, 1, "no-symlink",
                                    "the entry is reached through a symbolic link",
                                    "replace the link with the real file or folder", "#id"))
    return sorted(set(targets)), findings


def _linked(path: Path, project: Project) -> bool:
    """Whether the path, or a folder between it and the library, is a symbolic link."""
    current = path
    while True:
        if current.is_symlink():
            return True
        if current.parent == current or current.parent.resolve() == project.entries_dir:
            return current.parent.is_symlink()
        current = current.parent
        if current == project.root:
            return False


def _check_files(paths: list[Path], project: Project, known_ids: set[str],
                 render: bool = False) -> list[tuple[Document | None, list]]:
    """Load and check each file on its own: (document or None, findings), in order.

    With `render`, a clean document also carries its body as safe HTML (`document.html`),
    made in the same worker, so a build reads, checks and renders each file in one pass."""
    results = []
    renderer = Renderer() if render else None
    for path in paths:
        try:
            document = load(path, project.relative(path))
        except LoadError as error:
            results.append((None, [error.finding]))
            continue
        found = validate_document(document, project, known_ids)
        if not found:  # positions only locate findings; not carrying them back halves the transfer
            document.positions, document.key_positions = {}, {}
            document.__dict__.pop("_prose_lines", None)
            if renderer is not None:
                document.html = str(renderer(document.body))
        results.append((document, found))
    return results


def _library_folder(path: Path) -> Path:
    return path.parent.parent if path.name == "index.md" else path.parent


def validate(project: Project, paths: list[Path] | None = None, render: bool = False) -> Report:
    """Validate the given entry files or folders, in the context of the whole library.

    With `render`, each clean document also carries its rendered body (`document.html`)."""
    targets, findings = collect(project, paths)
    report = Report(checked=len(targets), findings=findings)
    library = project.entry_files()
    # A file outside the library (an example, a fixture) may refer to the files beside it.
    neighbours = [p for folder in {_library_folder(t) for t in targets} - {project.entries_dir}
                  for p in project.entry_files(folder)]
    known_ids = {p.parent.name if p.name == "index.md" else p.stem for p in library + targets + neighbours}
    asked = {project.relative(t) for t in targets}
    report.findings += [f for f in rules.check_ids(sorted(set(library) | set(targets)), project)
                        if f.path in asked]
    linked = {f.path for f in findings if f.rule == "no-symlink"}
    to_check = [t for t in targets if project.relative(t) not in linked]
    for document, found in map_in_chunks(_check_files, to_check, project, known_ids, render):
        report.findings += found
        if not found:
            report.documents.append(document)
    if not paths:  # collections are checked against the whole library
        statuses = {d.id: d.metadata["status"] for d in report.documents}
        report.findings += rules.check_collections(project, statuses)
    report.findings.sort()
    return report
