"""Entries written into the output folder: ids claimed, files filled, images copied, each checked.

`Writer` claims a free id with `core.entryfile.IdClaims` (an exclusive create:
an existing entry is never overwritten; the clash is reported), fills the file
with `render_entry` (the one entry-file writer, `core.entryfile.dump`, with a
comment for whoever opens a draft), copies the entry's images beside it, and
checks it with the validator, saving it as a draft when it has findings or a
note for a person (an item withdrawn at its source comes in archived, saying
why). A dry run claims and writes in a scratch folder. If anything fails, the
claimed file is removed again.

Each entry records a fingerprint of what was written (`source.hash`,
reimport.fingerprint); `update` rewrites a draft that an earlier import wrote
and nobody has edited since, in place, under its own id.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from ...core.entryfile import IdClaims, dump, id_from_text
from ...core.findings import CasehubError, Finding
from ...core.loader import LoadError, parse
from ...core.project import Project
from ...core.rules import check_ids
from .build import Built
from .model import ImportOptions, Note
from .reimport import Earlier, fingerprint
from .text import one_line

FALLBACK_ID = "imported-entry"


def _as_fields(metadata: list[tuple[str, object]]) -> dict:
    """The built (key, value) pairs as the fields the entry-file writer takes: pairs become mappings."""
    def plain(value):
        if isinstance(value, list) and value and isinstance(value[0], tuple):
            return {name: plain(item) for name, item in value}
        if isinstance(value, list):
            return [plain(item) for item in value]
        return value
    return {key: plain(value) for key, value in metadata}


def built_fields(built: Built) -> dict:
    """The fields an entry file will hold, its fingerprint in source.hash (the status is left to the caller)."""
    fields = _as_fields(built.metadata)
    if isinstance(fields.get("source"), dict):
        fields["source"]["hash"] = fingerprint(fields, built.body)
    return fields


def render_entry(built: Built, status: str, header: list[str]) -> str:
    """The entry's text: a comment for people, then the front matter, then the body."""
    fields = built_fields(built)
    fields["status"] = status
    return dump(fields, built.body, comments=[one_line(line)[0] for line in header])


def first_status(built: Built) -> str:
    """The status an entry is written with, before the validator has seen it: a draft if a note asks for a
    person, archived if the source withdrew it, else published."""
    if any(n.review for n in built.notes):
        return "draft"
    return "archived" if built.archived_reason else "published"


class Writer:
    """Claims ids and writes entries into the output folder (or, in a dry run, a scratch folder)."""

    def __init__(self, project: Project, options: ImportOptions):
        self.project = project
        self.options = options
        self.output = Path(os.path.abspath(options.output_dir or project.entries_dir))
        self.scratch = tempfile.TemporaryDirectory(prefix="casehub-import-") if options.dry_run else None
        self.ids = IdClaims(project, self.output)
        if self.scratch:  # a dry run claims in the scratch folder, against everything the real one holds
            scratch_ids = IdClaims(project, Path(self.scratch.name))
            scratch_ids.taken.update(self.ids.taken)
            self.ids = scratch_ids
        self.claims: dict[str, object] = {}

    def close(self) -> None:
        """Let go of ids claimed for items that were never written (their empty files go), and the scratch."""
        for claimed in self.claims.values():
            if claimed.path.name == "index.md":
                shutil.rmtree(claimed.path.parent, ignore_errors=True)
            else:
                claimed.path.unlink(missing_ok=True)
        self.claims.clear()
        if self.scratch:
            self.scratch.cleanup()

    def shown(self, entry_id: str, folder: bool) -> str:
        path = self.output / entry_id / "index.md" if folder else self.output / f"{entry_id}.md"
        return self.project.relative(path)

    def choose_id(self, title: str, fallback: str, as_folder: bool = False, slug: str = "") -> tuple[str, str]:
        """Claim an id that is free (from the source's slug, else the title), and say why the first choice
        was not ('' when it was): an existing file (named), an earlier item of this import, or a path the
        site uses."""
        claimed = self.ids.claim(self.base(title, fallback, slug), as_folder=as_folder)
        self.claims[claimed.id] = claimed
        return claimed.id, claimed.why_not_first.replace("in this run", "in this import")

    def is_taken(self, title: str, fallback: str, slug: str = "") -> str:
        """The file that already has the id the item would get ('' when none has)."""
        return self.ids.holder(self.base(title, fallback, slug))

    def base(self, title: str, fallback: str, slug: str) -> str:
        """The id to claim: `base_id`, from the title instead when the slug names a page of the site (about)."""
        wanted = base_id(title, fallback, slug)
        return base_id(title, fallback) if slug and self.project.is_reserved(wanted) else wanted

    def write(self, entry_id: str, built: Built, header: Callable[[str], list[str]]) -> tuple[Path, str, list[Finding]]:
        """Fill the claimed entry file (and copy its images) — a draft if it has findings or notes for a
        person. Returns the path, the status and the validator's findings. If anything fails, the claimed
        file is removed again, so a failed item leaves nothing behind."""
        claimed = self.claims.pop(entry_id)
        path = claimed.path
        folder_entry = path.name == "index.md"
        shown = self.shown(entry_id, folder_entry)
        try:
            for image in built.images:
                with open(image.source, "rb") as src, open(path.parent / image.name, "xb") as dst:
                    shutil.copyfileobj(src, dst)
            status = first_status(built)
            text = render_entry(built, status, header(status))
            findings = distinct(self._check(text, path, shown))
            if status != "draft" and any(f.severity == "error" for f in findings):
                status = "draft"
                text = render_entry(built, status, header(status))
            claimed.write(text)
        except BaseException:
            shutil.rmtree(path.parent) if folder_entry else path.unlink(missing_ok=True)
            raise
        return path, status, findings

    def update(self, earlier: Earlier, built: Built, header: Callable[[str], list[str]]
               ) -> tuple[Path, list[Finding], list[Note]]:
        """Rewrite an unedited draft from its changed source, in place: a draft still, under its own id
        (moved into a folder of its own if it now has images). An image file already beside it is never
        replaced. In a dry run, only checks. Returns the path, the validator's findings and notes."""
        path, notes = earlier.path, []
        folder_entry = path.name == "index.md"
        target = path.parent / earlier.id / "index.md" if built.images and not folder_entry else path
        text = render_entry(built, "draft", header("draft"))
        findings = distinct(self._check(text, target, self.project.relative(target)))
        if self.scratch:
            return target, findings, notes
        if target != path:
            target.parent.mkdir()  # raises if something has the folder's name: the caller reports it
        for image in built.images:
            destination = target.parent / image.name
            if destination.exists():
                if destination.read_bytes() != Path(image.source).read_bytes():
                    notes.append(Note(f"the image {image.name} changed at the source, but the file beside the entry "
                                      "was kept: replace it by hand if the new one should be used",
                                      code="image-kept"))
                continue
            shutil.copyfile(image.source, destination)
        temporary = target.with_name(f".{target.name}.casehub-import")
        with open(temporary, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
        os.replace(temporary, target)
        if target != path:
            path.unlink()
        return target, findings, notes

    def _check(self, text: str, path: Path, shown: str) -> list[Finding]:
        from ...core.validate import validate_document

        try:
            document = parse(text.encode("utf-8"), path, shown)
        except LoadError as error:  # pragma: no cover - we write only what the loader reads
            raise CasehubError(f"{shown}: the importer wrote something the loader cannot read "
                               f"({error.finding}); please report this") from None
        known = set(self.ids.taken) | self.ids.this_run  # the library's ids, and this import's
        found = validate_document(document, self.project, known) + [
            replace(f, path=shown) for f in check_ids([path], self.project)]
        return sorted(found)


def base_id(title: str, fallback: str, slug: str = "") -> str:
    """The id an entry would like: from the source's slug (so old addresses map to new ones), else its
    title, else its fallback (a file name), else FALLBACK_ID."""
    return id_from_text(slug) or id_from_text(title) or id_from_text(fallback) or FALLBACK_ID


def distinct(findings: list[Finding]) -> list[Finding]:
    """The findings without repeats."""
    return list({str(f): f for f in findings}.values())
