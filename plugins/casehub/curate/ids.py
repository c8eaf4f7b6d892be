"""Finding entries by id, and the ids a facilitator probably meant when one does not exist.

`entry_paths` turns the ids a command was given into entry files, or raises
`UnknownEntryError` naming every id that is not an entry with its near misses.
People type the start of an id (`bristol`), a word from it (`one-city`), a path
copied from the review queue (`casestudies/x.md`) or a misspelling
(`camden-data-chater`): `near_misses` offers, in that order, the ids that start
with what was typed, then those that contain it as whole words, or failing
both, the closest by spelling. Reads folder listings only; never opens an entry.
"""

from __future__ import annotations

import difflib
from pathlib import Path, PurePosixPath

from ..core.findings import CasehubError
from ..core.project import Project

MAX_SUGGESTIONS = 3
SPELLING_CUTOFF = 0.6  # difflib's ratio: 'camden-data-chater' ~ 'camden-data-charter' is 0.97


class UnknownEntryError(CasehubError):
    """No entry has the id (nor, with `others`, these other ids); carries the closest ids to each."""

    def __init__(self, entry_id: str, suggestions: list[str], others: dict[str, list[str]] | None = None):
        self.entry_id = entry_id
        self.suggestions = suggestions
        self.unknown = {entry_id: suggestions, **(others or {})}
        lines = [f"there is no entry '{asked}' in casestudies/ — {_did_you_mean(close)}"
                 for asked, close in self.unknown.items()]
        if len(lines) > 1:
            lines.append("No entry was changed.")
        super().__init__("\n".join(lines))


class AmbiguousEntryError(CasehubError):
    """Two files have the same id (`x.md` and `x/index.md`)."""


def _did_you_mean(suggestions: list[str]) -> str:
    if suggestions:
        return "did you mean " + " or ".join(f"'{s}'" for s in suggestions) + "?"
    return "an entry's id is its file name in casestudies/, without .md"


def typed_id(asked: str) -> str:
    """The id in what was typed: `casestudies/x.md` and `casestudies/x/index.md` give `x`; the case is folded."""
    path = PurePosixPath(asked.strip().replace("\\", "/"))
    name = path.parent.name if path.name == "index.md" else path.name.removesuffix(".md")
    return name.casefold()


def near_misses(asked: str, known, limit: int = MAX_SUGGESTIONS) -> list[str]:
    """Up to `limit` of the `known` ids close to `asked`: prefix matches, whole-word matches, or spelling.

    Example: near_misses("bristol", ids) == ["bristol-one-city-approach"]"""
    stem = typed_id(asked)
    if not stem:
        return []
    ordered = sorted(known)
    found = [stem] if stem in known and stem != asked else []
    found += [i for i in ordered if i.startswith(stem) and i != stem]
    found += [i for i in ordered if f"-{stem}-" in f"-{i}-" and not i.startswith(stem)]
    if not found:  # what was typed is in no id: a misspelling
        found = difflib.get_close_matches(stem, ordered, n=limit, cutoff=SPELLING_CUTOFF)
    return list(dict.fromkeys(found))[:limit]


def entries_by_id(project: Project) -> dict[str, list[Path]]:
    """Every entry file by its id (more than one file when two claim an id)."""
    by_id: dict[str, list[Path]] = {}
    for path in project.entry_files():
        by_id.setdefault(path.parent.name if path.name == "index.md" else path.stem, []).append(path)
    return by_id


def entry_paths(project: Project, entry_ids: list[str]) -> list[Path]:
    """The file of each entry named, in the order given, each once: casestudies/<id>.md or
    casestudies/<id>/index.md. Raises UnknownEntryError naming every id that is not an entry,
    each with its near misses, before anything else happens."""
    by_id = entries_by_id(project)
    asked = list(dict.fromkeys(entry_ids))
    unknown = {i: near_misses(i, by_id) for i in asked if i not in by_id}
    if unknown:
        (first, close), *others = unknown.items()
        raise UnknownEntryError(first, close, dict(others))
    for entry_id in asked:
        if len(by_id[entry_id]) > 1:
            raise AmbiguousEntryError(f"two files have the id '{entry_id}' ("
                                      + " and ".join(project.relative(p) for p in by_id[entry_id])
                                      + "); keep one of them")
    return [by_id[i][0] for i in asked]


def entry_path(project: Project, entry_id: str) -> Path:
    """The file of the entry with this id."""
    return entry_paths(project, [entry_id])[0]
