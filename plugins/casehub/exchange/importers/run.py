"""An import run: each item of the source converted, built, written and checked, into an `ImportReport`.

`ImportRun` asks the importer for its items (so the command can show
progress), then works in two passes. First, for each item: the importer's
`Candidate` (or a Skip: a template, a row the filter leaves out),
`build_entry`, then either the entry an earlier import made of the item
(reimport.py), whose id it keeps, or an id from the `Writer` (or a skip, with
`--on-clash skip`). Then, once every item has its id, links between items are
pointed at the entries (links.py) and each file is written — or, for an item
imported before: nothing, if it is unchanged; the entry rewritten in place, if
it is a draft nobody has edited; else nothing, with a note for a person. One
item that cannot be used fails alone; the run goes on. At the end every file
written is checked again with the validator in one pass over the library.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from ...core.entryfile import IMPORTED_BY
from ...core.findings import Finding
from ...core.project import Project
from .build import Built, build_entry
from .links import LinkIndex
from .model import Candidate, Failure, Importer, ImportReport, Note, Outcome, Skip
from .redact import remove_personal_data
from .reimport import KEEP, UNCHANGED, Earlier, EarlierImports, decide, fingerprint
from .vocab import Resolver
from .writer import Writer, built_fields, distinct, render_entry

MAX_COMMENT_NOTES = 12


@dataclass
class DraftComment:
    """The comment lines at the top of a draft, for whoever opens it: where it came from, what to check."""

    origin: str
    today: date
    notes: list[Note]

    def __call__(self, status: str) -> list[str]:
        if status != "draft":
            return []
        review = [n for n in self.notes if n.review]
        return [f"{IMPORTED_BY} on {self.today.isoformat()} from {remove_personal_data(self.origin)}.",
                "A draft: check it against the original, fix what 'casehub validate' reports, "
                "then run 'casehub publish' (which deletes these comment lines).",
                *(f"- {remove_personal_data(n.message)}" for n in review[:MAX_COMMENT_NOTES])]


@dataclass
class Prepared:
    """An item converted and built, its id claimed: ready for its links to be resolved and its file written."""

    origin: str
    candidate: Candidate
    built: Built
    entry_id: str
    shown: str
    earlier: Earlier | None = None  # the entry an earlier import made of the item


class ImportRun:
    """A prepared import: the importer has listed its items; `run` converts and writes them."""

    def __init__(self, project: Project, importer: Importer):
        self.project = project
        self.importer = importer
        self.items = importer.items()

    def __len__(self) -> int:
        return len(self.items)

    @property
    def steps(self) -> int:
        """How many steps `run` reports to `on_item`: each item is read, then written."""
        return 2 * len(self.items)

    def run(self, on_item: Callable[[int], object] | None = None) -> ImportReport:
        importer, options = self.importer, self.importer.options
        writer = Writer(self.project, options)
        resolver = Resolver(self.project)
        report = ImportReport(importer.format, str(importer.source), self.project.relative(writer.output),
                              options.dry_run, importer.notes)
        report.base_url = importer.base_url
        default_name = importer.default_source_name()
        self.published: dict[str, tuple[Built, DraftComment]] = {}
        self.earlier = EarlierImports(self.project, [self.project.entries_dir, writer.output])
        try:
            prepared: list[Prepared | Outcome] = []
            for item in self.items:
                prepared.append(self._prepare(item, writer, resolver, default_name))
                if on_item:
                    on_item(1)
            links = LinkIndex(importer.base_url, importer.old_path)
            for one in prepared:
                if isinstance(one, Prepared):
                    links.add(one.entry_id, one.candidate)
            for one in prepared:
                report.outcomes.append(self._write(one, writer, links) if isinstance(one, Prepared) else one)
                if on_item:
                    on_item(1)
        finally:
            writer.close()  # and any id claimed for an item that was never written is let go
            importer.close()
        if not options.dry_run:
            self._validate_written(report)
        return report

    def _validate_written(self, report: ImportReport) -> None:
        """Check every file written with the validator, in one pass over the library; its findings are
        the ones reported. An entry written as published that now has findings (the library changed
        meanwhile) becomes a draft."""
        from ...core.validate import validate

        outcomes = [o for o in report.outcomes if o.path and o.status in ("published", "archived", "draft", "updated")]
        if not outcomes:
            return
        checked = validate(self.project, [self.project.root / o.path for o in outcomes])
        by_path: dict[str, list[Finding]] = {}
        for finding in checked.findings:
            by_path.setdefault(finding.path, []).append(finding)
        for outcome in outcomes:
            outcome.findings = distinct(by_path.get(outcome.path, []))
            if outcome.status in ("published", "archived") and any(f.severity == "error" for f in outcome.findings):
                built, header = self.published[outcome.path]
                outcome.status = "draft"
                outcome.notes.append(Note("the library check found problems the import did not expect",
                                          code="library-check"))
                with open(self.project.root / outcome.path, "w", encoding="utf-8", newline="\n") as handle:
                    handle.write(render_entry(built, "draft", header("draft")))

    def _prepare(self, item, writer: Writer, resolver: Resolver, default_name: str) -> Prepared | Outcome:
        """The item converted, built and given an id (its earlier entry's, if it was imported before); or its
        Outcome, if it failed or was skipped."""
        importer, options = self.importer, self.importer.options
        origin = importer.origin(item)
        try:
            candidate = importer.convert(item)
            built = build_entry(resolver, candidate, options, importer.format, default_name, importer.image_root)
        except Skip as skip:
            return Outcome(origin, "skipped", notes=[Note(str(skip), False, skip.code)])
        except Failure as failure:
            return Outcome(origin, "failed", notes=[Note(str(failure), code="unreadable")])
        except (RecursionError, UnicodeError, ValueError) as error:  # one odd file must not stop the run
            return Outcome(origin, "failed", notes=[Note(f"it could not be converted ({error.__class__.__name__})",
                                                         code="unreadable")])
        notes = list(built.notes)
        if candidate.draft_reason:
            notes.insert(0, Note(candidate.draft_reason, code="draft-source"))
        earlier, earlier_notes = self.earlier.find(dict(dict(built.metadata).get("source") or []), built.title)
        if earlier:
            built.notes = [*earlier_notes, *notes]
            return Prepared(origin, candidate, built, earlier.id, earlier.shown, earlier)
        fallback = candidate.fallback_id
        if options.on_clash == "skip" and (existing := writer.is_taken(built.title, fallback, built.slug)):
            skipped = Note(f"{existing} exists; skipped (nothing was written)", code="skipped-existing")
            return Outcome(origin, "skipped", notes=[skipped])
        entry_id, clash = writer.choose_id(built.title, fallback, as_folder=bool(built.images), slug=built.slug)
        shown = writer.shown(entry_id, bool(built.images))
        if clash:
            duplicate = not clash.startswith("'")
            notes.insert(0, Note(f"{clash}; saved as {shown}" + (": check whether it is the same entry" if duplicate
                                                                    else ""), duplicate, "id-clash"))
        built.notes = notes
        return Prepared(origin, candidate, built, entry_id, shown)

    def _write(self, prepared: Prepared, writer: Writer, links: LinkIndex) -> Outcome:
        """The item's links resolved, its file written and checked."""
        origin, candidate, built, shown = prepared.origin, prepared.candidate, prepared.built, prepared.shown
        try:
            built.body, link_notes = links.resolve(built.body, candidate)
        except (RecursionError, ValueError) as error:  # its id is let go when the run ends
            return Outcome(origin, "failed", notes=[*built.notes, Note(
                f"its links could not be resolved ({error.__class__.__name__}); nothing was written")])
        notes = built.notes = [*built.notes, *link_notes]
        old = list(dict.fromkeys(a for a in [candidate.source_url, *candidate.addresses] if a))
        if prepared.earlier:
            return self._again(origin, prepared.earlier, built, writer, old)
        header = DraftComment(origin, self.importer.options.today, notes)
        try:
            path, status, findings = writer.write(prepared.entry_id, built, header)
        except OSError as error:
            return Outcome(origin, "failed", notes=[*notes, Note(f"{shown} could not be written ({error.strerror})",
                                                                 code="write-failed")])
        if status in ("published", "archived"):
            self.published[shown] = (built, header)  # in case the final check turns it into a draft
        return Outcome(origin, status, shown, prepared.entry_id, findings, notes, len(built.images), old)

    def _again(self, origin: str, earlier: Earlier, built: Built, writer: Writer, old: list[str]) -> Outcome:
        """An item an earlier import brought in: unchanged, updated in place (an unedited draft) or left alone."""
        action, note = decide(earlier, fingerprint(built_fields(built), built.body))
        if action in (UNCHANGED, KEEP):
            return Outcome(origin, "unchanged" if action == UNCHANGED else "skipped", earlier.shown, earlier.id,
                           notes=[note], old_addresses=old, entry_status=earlier.status)
        notes = built.notes = [note, *built.notes]
        header = DraftComment(origin, self.importer.options.today, notes)
        try:
            path, findings, more = writer.update(earlier, built, header)
        except OSError as error:
            return Outcome(origin, "failed", earlier.shown, earlier.id,
                           notes=[*notes, Note(f"{earlier.shown} could not be updated ({error.strerror})",
                                               code="write-failed")])
        notes += more
        return Outcome(origin, "updated", self.project.relative(path), earlier.id, findings, notes, len(built.images),
                       old, "draft")
