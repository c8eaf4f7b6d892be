"""An import run: each item of the source converted, built, written and checked, into an `ImportReport`.

`ImportRun` asks the importer for its items (so the command can show
progress), then for each: the importer's `Candidate` (or a Skip: a template,
a row the filter leaves out), `build_entry`, then either the entry an earlier
import made of the item (reimport.py: unchanged, updated if it is an unedited
draft, else left alone with a note) or an id from the `Writer` (or a skip, with
`--on-clash skip`), and the file. One item that cannot be used fails alone; the
run goes on. At the end every file written is checked again with the validator
in one pass over the library.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from ...core.entryfile import IMPORTED_BY
from ...core.findings import Finding
from ...core.project import Project
from .build import Built, build_entry
from .model import Failure, Importer, ImportReport, Note, Outcome, Skip
from .personal import remove_personal_data
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
        self.earlier = EarlierImports(self.project, [self.project.entries_dir, writer.output])
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

    def _one(self, item, writer: Writer, resolver: Resolver, default_name: str) -> Outcome:
        importer, options = self.importer, self.importer.options
        origin = importer.origin(item)
        try:
            candidate = importer.convert(item)
            built = build_entry(resolver, candidate, options, importer.format, default_name, importer.root)
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
        source = dict(dict(built.metadata).get("source") or [])
        earlier, earlier_notes = self.earlier.find(source, built.title)
        if earlier:
            built.notes = [*earlier_notes, *notes]
            return self._again(origin, earlier, built, writer)
        fallback = candidate.fallback_id
        if options.on_clash == "skip" and (existing := writer.is_taken(built.title, fallback, built.slug)):
            return Outcome(origin, "skipped", notes=[Note(f"{existing} exists; skipped (nothing was written)",
                                                          code="skipped-existing")])
        entry_id, clash = writer.choose_id(built.title, fallback, as_folder=bool(built.images), slug=built.slug)
        shown = writer.shown(entry_id, bool(built.images))
        if clash:
            duplicate = not clash.startswith("'")
            notes.insert(0, Note(f"{clash}; saved as {shown}" + (": check whether it is the same entry" if duplicate
                                                                    else ""), duplicate, "id-clash"))
        built.notes = notes
        header = DraftComment(origin, options.today, notes)
        try:
            path, status, findings = writer.write(entry_id, built, header)
        except OSError as error:
            return Outcome(origin, "failed", notes=[*notes, Note(f"{shown} could not be written ({error.strerror})",
                                                                        code="write-failed")])
        if status in ("published", "archived"):
            self.published[shown] = (built, header)  # in case the final check turns it into a draft
        return Outcome(origin, status, shown, entry_id, findings, notes, len(built.images))

    def _again(self, origin: str, earlier: Earlier, built: Built, writer: Writer) -> Outcome:
        """An item an earlier import brought in: unchanged, updated in place (an unedited draft) or left alone."""
        action, note = decide(earlier, fingerprint(built_fields(built), built.body))
        if action == UNCHANGED:
            return Outcome(origin, "unchanged", earlier.shown, earlier.id, notes=[note])
        if action == KEEP:
            return Outcome(origin, "skipped", earlier.shown, earlier.id, notes=[note])
        notes = built.notes = [note, *built.notes]
        header = DraftComment(origin, self.importer.options.today, notes)
        try:
            path, findings, more = writer.update(earlier, built, header)
        except OSError as error:
            return Outcome(origin, "failed", earlier.shown, earlier.id,
                           notes=[*notes, Note(f"{earlier.shown} could not be updated ({error.strerror})",
                                                      code="write-failed")])
        notes += more
        return Outcome(origin, "updated", self.project.relative(path), earlier.id, findings, notes, len(built.images))
