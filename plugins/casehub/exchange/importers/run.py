"""An import run: each item of the source converted, built, written and checked, into an `ImportReport`.

`ImportRun` asks the importer for its items (so the command can show
progress), then for each: the importer's `Candidate`, `build_entry`, an id from
the `Writer` (or a skip, with `--on-clash skip`), and the file. One item that
cannot be used fails alone; the run goes on. At the end every file written is
checked again with the validator in one pass over the library.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from ...core.entryfile import IMPORTED_BY
from ...core.findings import Finding
from ...core.project import Project
from .build import Built, build_entry
from .model import Failure, Importer, ImportReport, Note, Outcome
from .vocab import Resolver
from .writer import Writer, distinct, render_entry

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
        return [f"{IMPORTED_BY} on {self.today.isoformat()} from {self.origin}.",
                "A draft: check it against the original, fix what 'casehub validate' reports, "
                "then run 'casehub publish' (which deletes these comment lines).",
                *(f"- {n.message}" for n in review[:MAX_COMMENT_NOTES])]


class ImportRun:
    """A prepared import: the importer has listed its items; `run` converts and writes them."""

    def __init__(self, project: Project, importer: Importer):
        self.project = project
        self.importer = importer
        self.items = importer.items()

    def __len__(self) -> int:
        return len(self.items)

    def run(self, on_item: Callable[[int], object] | None = None) -> ImportReport:
        importer, options = self.importer, self.importer.options
        writer = Writer(self.project, options)
        resolver = Resolver(self.project)
        report = ImportReport(importer.format, str(importer.source), self.project.relative(writer.output),
                              options.dry_run, importer.notes)
        default_name = importer.default_source_name()
        self.published: dict[str, tuple[Built, DraftComment]] = {}
        try:
            for item in self.items:
                report.outcomes.append(self._one(item, writer, resolver, default_name))
                if on_item:
                    on_item(1)
        finally:
            writer.close()
            importer.close()
        if not options.dry_run:
            self._validate_written(report)
        return report

    def _validate_written(self, report: ImportReport) -> None:
        """Check every file written with the validator, in one pass over the library; its findings are
        the ones reported. An entry written as published that now has findings (the library changed
        meanwhile) becomes a draft."""
        from ...core.validate import validate

        outcomes = [o for o in report.outcomes if o.path and o.status in ("published", "draft")]
        if not outcomes:
            return
        checked = validate(self.project, [self.project.root / o.path for o in outcomes])
        by_path: dict[str, list[Finding]] = {}
        for finding in checked.findings:
            by_path.setdefault(finding.path, []).append(finding)
        for outcome in outcomes:
            outcome.findings = distinct(by_path.get(outcome.path, []))
            if outcome.status == "published" and any(f.severity == "error" for f in outcome.findings):
                built, header = self.published[outcome.path]
                outcome.status = "draft"
                outcome.notes.append(Note("the library check found problems the import did not expect"))
                with open(self.project.root / outcome.path, "w", encoding="utf-8", newline="\n") as handle:
                    handle.write(render_entry(built, "draft", header("draft")))

    def _one(self, item, writer: Writer, resolver: Resolver, default_name: str) -> Outcome:
        importer, options = self.importer, self.importer.options
        origin = importer.origin(item)
        try:
            candidate = importer.convert(item)
            built = build_entry(resolver, candidate, options, importer.format, default_name, importer.root)
        except Failure as failure:
            return Outcome(origin, "failed", notes=[Note(str(failure))])
        except (RecursionError, UnicodeError, ValueError) as error:  # one odd file must not stop the run
            return Outcome(origin, "failed", notes=[Note(f"it could not be converted ({error.__class__.__name__})")])
        notes = list(built.notes)
        if candidate.draft_reason:
            notes.insert(0, Note(candidate.draft_reason))
        fallback = candidate.fallback_id
        if options.on_clash == "skip" and (existing := writer.is_taken(built.title, fallback)):
            return Outcome(origin, "skipped", notes=[Note(f"{existing} exists; skipped (nothing was written)")])
        entry_id, clash = writer.choose_id(built.title, fallback, as_folder=bool(built.images))
        shown = writer.shown(entry_id, bool(built.images))
        if clash:
            duplicate = not clash.startswith("'")
            notes.insert(0, Note(f"{clash}; saved as {shown}" + (": check whether it is the same entry" if duplicate
                                                                    else ""), duplicate))
        built.notes = notes
        header = DraftComment(origin, options.today, notes)
        try:
            path, status, findings = writer.write(entry_id, built, header)
        except OSError as error:
            return Outcome(origin, "failed", notes=[*notes, Note(f"{shown} could not be written ({error.strerror})")])
        if status == "published":
            self.published[shown] = (built, header)  # in case the final check turns it into a draft
        return Outcome(origin, status, shown, entry_id, findings, notes, len(built.images))
