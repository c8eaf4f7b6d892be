"""Validation: files in, findings out.

Loads each entry with the strict loader, checks it against the schema and the
named rules in `rules.py`, then applies the rules that span files. A draft's
findings that are not about safety become work to do ("todo"), not errors
(`publishable.py` decides which). Returns data (a `Report`); `report.py`
presents it. Never modifies a file.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from ..site.render import Renderer
from . import rules
from .cache import ContentCache, code_version, digest, folder_digest
from .findings import CasehubError, Finding
from .loader import Document, LoadError, parse, read_entry
from .organisations import check_organisation_names
from .parallel import collector_paused, map_in_chunks
from .project import Project, entry_id_of, entry_names, is_symlink, path_order, stray_names
from .publishable import DRAFT, ERROR, classify
from .schema import schema_findings


class UsageError(CasehubError):
    """A path that cannot be validated at all: it does not exist, for example."""


@dataclass
class Report:
    """What validation found, and the documents it loaded cleanly."""

    checked: int = 0
    findings: list[Finding] = field(default_factory=list)
    documents: list[Document] = field(default_factory=list)
    unfinished: list[Document] = field(default_factory=list)  # drafts that loaded, with findings

    @property
    def ok(self) -> bool:
        """No errors: what is left to do in drafts ("todo") does not count against it."""
        return not any(f.severity == ERROR for f in self.findings)

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == ERROR]


def validate_document(document: Document, project: Project, known_ids: set[str]) -> list[Finding]:
    """Every rule that one entry can be checked against on its own, plus its references."""
    return (schema_findings(document, project)
            + rules.check_document(document, project)
            + rules.check_references(document, known_ids)
            + rules.check_entry_links(document, known_ids, project))


def collect(project: Project, paths: list[Path] | None = None) -> tuple[list[Path], list[Finding]]:
    """The entry files to check for the given paths (default: the whole library)."""
    targets, findings = _collect(project, paths, _Listings())
    return [Path(target) for target in targets], findings


class _Listings:
    """The entry files of each folder, listed once per validation (the library is listed
    by both `collect` and `validate`), as normalised absolute path strings."""

    def __init__(self):
        self._names: dict[str, list[str]] = {}

    def names(self, folder: str) -> list[str]:
        if folder not in self._names:
            self._names[folder] = entry_names(folder)
        return self._names[folder]

    def __call__(self, folder: str) -> list[str]:
        return [os.path.join(folder, name) for name in self.names(folder)]


def _collect(project: Project, paths: list[Path] | None, listings: _Listings) -> tuple[list[str], list[Finding]]:
    """`collect`, with the targets as normalised absolute path strings: a library of
    thousands of files is cheaper to handle as strings than as Paths."""
    targets: list[str] = []
    findings: list[Finding] = []
    for path in paths or [project.entries_dir]:
        path = Path(os.path.abspath(path))  # one spelling per file; links are not resolved
        if path.is_dir():
            folder = str(path)
            targets += listings(folder)
            for stray in stray_names(folder, listings.names(folder)):
                findings.append(Finding(project.relative(os.path.join(folder, stray)), 1, 1, "entry-location",
                                        "this Markdown file is not where Casehub looks for entries",
                                        "move it to casestudies/<id>.md, or casestudies/<id>/index.md "
                                        "if it has images", "#id"))
        elif path.is_file() or path.is_symlink():
            targets.append(str(path))
        else:
            raise UsageError(f"{path}: no such file or folder")
    linked = _Links(project)
    for target in targets:
        if linked(target):
            findings.append(Finding(project.relative(target), 1, 1, "no-symlink",
                                    "the entry is reached through a symbolic link",
                                    "replace the link with the real file or folder", "#id"))
    return sorted(set(targets), key=path_order), findings


class _Links:
    """Whether a path, or a folder between it and the library, is a symbolic link.

    Works on strings, and asks about each folder once however many files are in it."""

    def __init__(self, project: Project):
        self.project = project
        self.root = str(project.root)
        self.library: dict[str, bool] = {}  # folder: whether it resolves to the library folder
        self.links: dict[str, bool] = {}  # folder: whether it is a link

    def __call__(self, path: str) -> bool:
        current = path
        while True:
            if is_symlink(current):
                return True
            parent = os.path.dirname(current)
            if parent == current or self._is_library(parent):
                if parent not in self.links:
                    self.links[parent] = is_symlink(parent)
                return self.links[parent]
            current = parent
            if current == self.root:
                return False

    def _is_library(self, folder: str) -> bool:
        if folder not in self.library:
            self.library[folder] = Path(folder).resolve() == self.project.entries_dir
        return self.library[folder]


def _check_files(paths: list[Path], project: Project, known_ids: set[str],
                 render: bool = False, shortcuts: bool = True,
                 keep: tuple[ContentCache, str] | None = None) -> list[tuple[Document | None, list]]:
    """Load and check each file on its own: (document or None, findings), in order.

    With `render`, a clean document also carries its body as safe HTML (`document.html`),
    made in the same worker, so a build reads, checks and renders each file in one pass
    (`shortcuts` as for `render.Renderer`).

    Positions only locate findings, so each file is first parsed without them
    (faster), and only a file with findings is parsed again, with them, and checked
    again to locate its findings: the same findings, as the data is the same.

    With `keep` (a content cache and the key of the project's context), each clean result is
    kept in the cache, by the worker that made it."""
    results = []
    renderer = Renderer(shortcuts) if render else None
    # The documents kept are many and hold no cycles: the collector would walk them again and
    # again for nothing. (The few cycles rendering leaves wait for the end of the chunk.)
    with collector_paused():
        for path in paths:
            shown = project.relative(path)
            try:
                data = read_entry(path, shown)
                document = parse(data, path, shown, positions=False)
            except LoadError as error:
                results.append((None, [error.finding]))
                continue
            found = validate_document(document, project, known_ids)
            if found:
                document = parse(data, path, shown)
                found = validate_document(document, project, known_ids)
            if not found:  # positions only locate findings; not carrying them back halves the transfer
                document.positions, document.key_positions = {}, {}
                document.prose_lines = None
                if renderer is not None:
                    document.html = str(renderer(document.body))
                if keep is not None:
                    _keep(keep, document, data)
            results.append((document, found))
    return results


def _library_folder(path: str) -> str:
    return os.path.dirname(os.path.dirname(path)) if os.path.basename(path) == "index.md" else os.path.dirname(path)


def validate(project: Project, paths: list[Path] | None = None, render: bool = False,
             shortcuts: bool = True, cache: ContentCache | None = None) -> Report:
    """Validate the given entry files or folders, in the context of the whole library.

    With `render`, each clean document also carries its rendered body (`document.html`),
    rendered with Markdown shortcuts unless `shortcuts` is False. With a `cache`
    (`core/cache.py`), files whose clean result is kept there are not loaded, checked
    or rendered again; only the checks that depend on the other files are run."""
    listings = _Listings()
    targets, findings = _collect(project, paths, listings)
    report = Report(checked=len(targets), findings=findings)
    library_folder = str(project.entries_dir)
    library = listings(library_folder)
    # A file outside the library (an example, a fixture) may refer to the files beside it.
    neighbours = [p for folder in {_library_folder(t) for t in targets} - {library_folder}
                  for p in listings(folder)]
    known_ids = {entry_id_of(p) for p in library + targets + neighbours}
    shown = {t: project.relative(t) for t in targets}
    asked = set(shown.values())
    id_findings: dict[str, list[Finding]] = {}
    for finding in rules.check_ids(sorted(set(library) | set(targets), key=path_order), project):
        if finding.path in asked:
            id_findings.setdefault(finding.path, []).append(finding)
    linked = {f.path for f in findings if f.rule == "no-symlink"}
    to_check = [t for t in targets if shown[t] not in linked]
    kept, to_check = _from_cache(cache, to_check, shown, project, known_ids, render, shortcuts)
    keep = (cache, _context_key(project, render, shortcuts)) if cache is not None and cache.folder else None
    checked = map_in_chunks(_check_files, to_check, project, known_ids, render, shortcuts, keep)
    done = {**kept, **dict(zip(to_check, checked, strict=True))}
    for document, found in (done[t] for t in targets if t in done):
        metadata = document.metadata if document is not None else None
        found = classify(found + id_findings.pop(document.display_path if document else found[0].path, []),
                         metadata)
        report.findings += found
        if not found:
            report.documents.append(document)
        elif metadata is not None and metadata.get("status") == DRAFT:
            report.unfinished.append(document)
    report.findings += [f for found in id_findings.values() for f in found]  # files that were not checked
    report.findings += check_organisation_names(report.documents)  # across the files checked together
    if not paths:  # collections are checked against the whole library
        statuses = {d.id: d.metadata["status"] for d in report.documents + report.unfinished}
        report.findings += rules.check_collections(project, statuses)
    report.findings.sort()
    return report


# --- The content cache -------------------------------------------------------------------------
# A clean result depends on the file's bytes and path, the files beside a folder entry (images),
# the project's data (schema vocabularies, councils, settings), the code, and the render options;
# the checks against the other files (`_ACROSS_FILES`) are always run again.

def _cache_key(context: str, target: str, shown: str, data: bytes) -> str:
    beside = ""
    if os.path.basename(target) == "index.md":
        folder = os.path.dirname(target)
        beside = "\n".join(sorted(f"{os.path.relpath(os.path.join(d, n), folder)}:{os.path.islink(os.path.join(d, n))}"
                                    for d, dirs, names in os.walk(folder) for n in dirs + names))
    return digest(context, shown, beside, data)


def _context_key(project: Project, render: bool, shortcuts: bool) -> str:
    """What every entry's result depends on besides its file: worked out afresh for each validation,
    so a vocabulary changed between two builds in one process is seen."""
    return digest("entry", code_version(), folder_digest(project.data_dir), str(render), str(shortcuts))


def _from_cache(cache, targets, shown, project, known_ids, render, shortcuts):
    """(results found in the cache, targets still to check)."""
    if cache is None or cache.folder is None:
        return {}, targets
    context = _context_key(project, render, shortcuts)
    kept, rest = {}, []
    for target in targets:
        try:
            data = read_entry(target, shown[target])
        except LoadError:
            rest.append(target)
            continue
        key = _cache_key(context, target, shown[target], data)
        value = cache.get("entries", key)
        if not _is_record(value):
            rest.append(target)
            continue
        document = Document(Path(target), shown[target], value["metadata"], value["body"], value["body_line"],
                            html=value["html"], cache_key=key)
        if rules.check_references(document, known_ids) or rules.check_entry_links(document, known_ids, project):
            rest.append(target)  # checked again in full, so its findings are located
            continue
        kept[target] = (document, [])
    return kept, rest


def _is_record(value) -> bool:
    """A kept result of the shape `_keep` writes (anything else, damaged or foreign, is a miss)."""
    return (isinstance(value, dict) and isinstance(value.get("metadata"), dict)
            and isinstance(value.get("body"), str) and isinstance(value.get("body_line"), int)
            and isinstance(value.get("html"), str))


def _keep(keep: tuple[ContentCache, str], document: Document, data: bytes) -> None:
    cache, context = keep
    document.cache_key = _cache_key(context, str(document.path), document.display_path, data)
    cache.put("entries", document.cache_key,
              {"metadata": document.metadata, "body": document.body, "body_line": document.body_line,
               "html": document.html})
