"""Imported batches, and choosing the entries a bulk command changes.

An imported batch is the entries that one import wrote: their `source` has the
same `name` and `imported` date, and the batch is called by both, "Council
archive 2026-11-30". `--batch` takes that, or the name alone for every import
from that source. `select` turns what a command was given (ids, `--batch`,
`--where FIELD=VALUE`) into entry files, or raises a usage error that names
every id or batch that does not exist with the near misses, before any file is
touched. Reads entries; never changes one.
"""

from __future__ import annotations

import difflib
import fnmatch
from dataclasses import dataclass
from pathlib import Path

from ..core.loader import LoadError, load
from ..core.project import Project
from .edit import EditUsageError
from .ids import UnknownEntryError, near_misses

MAX_SUGGESTIONS = 3


def batch_name(metadata: dict) -> str | None:
    """"<source name> <imported date>" for an imported entry, else None."""
    source = metadata.get("source") if isinstance(metadata, dict) else None
    if not isinstance(source, dict) or not isinstance(source.get("name"), str) or not source.get("imported"):
        return None
    return f"{' '.join(source['name'].split())} {source['imported']}"


def in_batch(metadata: dict, asked: str) -> bool:
    """Whether an entry is in the batch asked for: by its full name, or by its source's name alone."""
    name = batch_name(metadata)
    if name is None:
        return False
    asked = " ".join(asked.split()).casefold()
    return asked in (name.casefold(), " ".join(metadata["source"]["name"].split()).casefold())


@dataclass
class Where:
    """A `--where FIELD=VALUE` filter: FIELD may name a field in a group or list (`geography.region`,
    `organisations.name`); VALUE may use * and ?, ignores case, and when empty means missing or empty."""

    field: str
    pattern: str

    @classmethod
    def parse(cls, text: str) -> Where:
        field, equals, pattern = text.partition("=")
        if not equals or not field.strip():
            raise EditUsageError(f"--where '{text}' is not FIELD=VALUE: write, for example, --where topics= "
                                 "(entries with no topics) or --where 'title=Camden*'")
        return cls(field.strip(), pattern.strip())

    def __call__(self, metadata: dict) -> bool:
        values = [str(v).lower() if isinstance(v, bool) else str(v) for v in values_at(metadata, self.field)
                  if v not in (None, "", [], {})]
        if not self.pattern:
            return not values
        pattern = self.pattern.casefold()
        return any(fnmatch.fnmatchcase(value.casefold(), pattern) for value in values)


def values_at(value, dotted: str) -> list:
    """The values at a dotted path, going into every item of a list on the way."""
    found = [value]
    for part in dotted.split("."):
        step = []
        for item in found:
            for one in (item if isinstance(item, list) else [item]):
                if isinstance(one, dict) and part in one:
                    step.append(one[part])
        found = step
    return [one for item in found for one in (item if isinstance(item, list) else [item])]


@dataclass
class Target:
    """An entry a bulk command was asked to change."""

    id: str
    path: Path
    shown: str
    metadata: dict | None  # None when the file does not load


def library(project: Project) -> list[Target]:
    """Every entry file with its fields (read without positions: quick), in path order."""
    targets = []
    for path in project.entry_files():
        shown = project.relative(path)
        try:
            metadata = load(path, shown, positions=False).metadata
        except LoadError:
            metadata = None
        targets.append(Target(path.parent.name if path.name == "index.md" else path.stem, path, shown, metadata))
    return targets


def check_batch(asked: str, metadata: list[dict]) -> None:
    """Raise EditUsageError, with the near misses, if no entry is in the batch asked for."""
    if any(in_batch(meta, asked) for meta in metadata):
        return
    names = sorted({name for meta in metadata if (name := batch_name(meta))})
    close = difflib.get_close_matches(asked, names, n=MAX_SUGGESTIONS, cutoff=0.4)
    hint = ("did you mean " + " or ".join(f"'{c}'" for c in close) + "?" if close
            else "the imports in the library are: " + ", ".join(f"'{n}'" for n in names) if names
            else "no entry in the library was imported (none has source.name and source.imported)")
    raise EditUsageError(f"there is no imported batch '{asked}' — {hint}")


def select(project: Project, ids: list[str] = (), batch: str | None = None, where: list[str] = (),
           everything: list[Target] | None = None) -> list[Target]:
    """The entries named by `ids`, or in `batch`, narrowed by every `where`, each once, in path order.

    Raises EditUsageError when nothing names the entries, or an id or a batch does not exist."""
    if not ids and not batch and not where:
        raise EditUsageError("name the entries to change: their ids, --batch NAME (an import) or "
                             "--where FIELD=VALUE")
    filters = [Where.parse(text) for text in where]
    everything = library(project) if everything is None else everything
    chosen = everything
    if ids:
        by_id: dict[str, list[Target]] = {}
        for target in everything:
            by_id.setdefault(target.id, []).append(target)
        unknown = {asked: near_misses(asked, by_id) for asked in dict.fromkeys(ids) if asked not in by_id}
        if unknown:
            (first, close), *others = unknown.items()
            raise UnknownEntryError(first, close, dict(others))
        clashes = [i for i in ids if len(by_id[i]) > 1]
        if clashes:
            raise EditUsageError(f"two files have the id '{clashes[0]}' ("
                                 + " and ".join(t.shown for t in by_id[clashes[0]]) + "); keep one of them")
        named = {by_id[i][0].shown for i in ids}
        chosen = [t for t in chosen if t.shown in named]
    if batch is not None:
        check_batch(batch, [t.metadata for t in everything if t.metadata])
        chosen = [t for t in chosen if t.metadata and in_batch(t.metadata, batch)]
    for keep in filters:
        chosen = [t for t in chosen if t.metadata is not None and keep(t.metadata)]
    return chosen
