"""Importing the same source again: each item matched to the entry an earlier import made of it.

Every imported entry records where it came from (`source`: the source's name,
the original's address and file, the item within a file that holds many) and a
fingerprint of what the importer wrote (`source.hash`, see `fingerprint`).
`EarlierImports` reads those from every entry in the library and the output
folder, so that an item imported again is matched to its entry, in this order:

- the same item of the same file (`source.item`: a row's id column, a post's id);
- the same file, for sources of one item a file (Markdown, web pages, Word);
- the same original address (`source.url`), when one entry alone has it;
- else, for an item of a many-item file without an id, the same title from the same
  file (entries with the same title are matched to items in order).

A title can change at the source (a renamed page keeps its file or address),
so only the last resort uses it. `decide` then says what to do with an item
that matched: nothing, when what the importer would write is what it wrote
before ("unchanged"); rewrite the entry in place, when it is a draft nobody has
edited since (its file still has the fingerprint the importer recorded); or
nothing, with a note for a person, when it is published, archived or edited.
Reads entries; the writer (writer.py) changes them.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from ...core.entryfile import dump
from ...core.loader import LoadError, parse, read_entry
from ...core.project import Project, fold_id
from .model import Note

ONE_ITEM_A_FILE = frozenset({"markdown", "html", "docx"})
UNCHANGED, UPDATE, KEEP = "unchanged", "update", "keep"


def fingerprint(fields: Mapping, body: str) -> str:
    """What the importer wrote, as 16 hex digits: every field but the status, source.imported and
    source.hash, in the entry writer's own form, and the body. Comments (a draft's notes) are not in it."""
    fields = {key: value for key, value in fields.items() if key != "status"}
    source = fields.get("source")
    if isinstance(source, Mapping):
        fields["source"] = {key: value for key, value in source.items() if key not in ("imported", "hash")}
    return hashlib.sha256(dump(fields, body).encode("utf-8")).hexdigest()[:16]


@dataclass
class Earlier:
    """An entry an earlier import wrote, as it is now."""

    path: Path
    shown: str
    id: str
    status: str
    hash: str  # the fingerprint the importer recorded ('' for an entry imported before fingerprints)
    current: str  # the fingerprint of the file as it is now

    @property
    def edited(self) -> bool:
        return self.hash != self.current


def _keys(source: Mapping, title: str) -> tuple[list[tuple], tuple | None]:
    """The keys an entry's source is found by, strongest first, and its title key (a last resort)."""
    name = " ".join(str(source.get("name") or "").split()).casefold()
    path, item, url = (str(source.get(key) or "") for key in ("path", "item", "url"))
    strong: list[tuple] = []
    if item:
        strong.append(("item", name, path, item))
    elif path and source.get("format") in ONE_ITEM_A_FILE:
        strong.append(("path", name, path))
    if url:
        strong.append(("url", url))
    weak = ("title", name, path, fold_id(title)) if not item and title else None
    return strong, weak


def _claim_order(earlier: Earlier) -> tuple[str, int]:
    """The order an import claimed ids in: `x`, `x-2`, `x-3`… (not the files' order, where x-2 comes first)."""
    match = re.fullmatch(r"(.+?)-([0-9]+)", earlier.id)
    return (match.group(1), int(match.group(2))) if match else (earlier.id, 1)


class EarlierImports:
    """The entries earlier imports wrote, by the keys their sources are found by."""

    def __init__(self, project: Project, folders: list[Path]):
        self.project = project
        self.by_key: dict[tuple, list[Earlier]] = {}
        self.taken: set[Path] = set()  # matched by an item of this run: no other item may have them
        seen: set[Path] = set()
        for folder in folders:
            for path in project.entry_files(folder) if folder.is_dir() else []:
                if path.resolve() not in seen:
                    seen.add(path.resolve())
                    self._add(path)

    def _add(self, path: Path) -> None:
        shown = self.project.relative(path)
        try:
            data = read_entry(path, shown)
            if b"source:" not in data:
                return
            document = parse(data, path, shown, positions=False)
        except LoadError:
            return  # the validator reports it; it cannot be matched
        metadata = document.metadata
        source = metadata.get("source")
        if not isinstance(source, dict) or not source.get("name"):
            return
        try:
            current = fingerprint(metadata, document.body)
        except Exception:  # noqa: BLE001 - a value the writer would not write: the entry was edited by hand
            current = ""
        earlier = Earlier(path, shown, document.id, str(metadata.get("status") or ""), str(source.get("hash") or ""),
                          current)
        strong, weak = _keys(source, str(metadata.get("title") or ""))
        for key in [*strong, *([weak] if weak else [])]:
            found = self.by_key.setdefault(key, [])
            found.append(earlier)
            found.sort(key=_claim_order)

    def __len__(self) -> int:
        return len({e.path for found in self.by_key.values() for e in found})

    def find(self, source: Mapping, title: str) -> tuple[Earlier | None, list[Note]]:
        """The entry an earlier import made of this item, if one can be told apart; and notes (earlier
        imports that made several entries of it). An entry is matched once a run: a second item with the
        same key is another item."""
        strong, weak = _keys(source, title)
        for key in strong:
            entries = self.by_key.get(key, [])
            if key[0] == "url" and len(entries) > 1:
                continue  # several entries share the address: none of them is surely this item
            found = [e for e in entries if e.path not in self.taken]
            if found:
                return self._take(found, key[0] != "url")
            if entries:
                return None, []  # its entry is an earlier item's of this run
        found = [e for e in self.by_key.get(weak, []) if e.path not in self.taken] if weak else []
        return self._take(found, False) if found else (None, [])

    def _take(self, found: list[Earlier], warn: bool) -> tuple[Earlier, list[Note]]:
        chosen = found[0]
        self.taken.add(chosen.path)
        notes = []
        if warn and len(found) > 1:
            others = ", ".join(e.shown for e in found[1:4])
            notes.append(Note(f"earlier imports made more than one entry of this item ({chosen.shown}, {others}): "
                              "keep one, and delete or archive the others", code="imported-twice"))
        return chosen, notes


def decide(earlier: Earlier, new_hash: str) -> tuple[str, Note]:
    """What to do with an item imported before: UNCHANGED, UPDATE (rewrite the draft) or KEEP; and the note."""
    if new_hash == earlier.hash or (not earlier.hash and new_hash == earlier.current):
        return UNCHANGED, Note(f"unchanged since it was imported as {earlier.shown}; skipped", False, "unchanged")
    if earlier.status != "draft":
        return KEEP, Note(f"changed upstream, but {earlier.shown} is {earlier.status or 'not a draft'}: not updated; "
                          "compare it with the original and copy across what should change",
                          code="upstream-changed-published")
    if not earlier.hash or earlier.edited:
        why = "the draft was edited" if earlier.hash else "the draft has no record of what was imported"
        return KEEP, Note(f"changed upstream, but {why} ({earlier.shown}): not updated; compare it with the "
                          "original and copy across what should change", code="upstream-changed-edited")
    return UPDATE, Note(f"changed upstream: {earlier.shown} (a draft nobody had edited) was updated from it; "
                        "check it again", code="updated-from-source")
