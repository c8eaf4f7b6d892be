"""The one writer of entry files, and the one way to claim a free id.

Every route that creates an entry (`casehub new`, `casehub from-issue`, `casehub
import`, the synthetic libraries) turns its fields into text with `dump` and
puts the file in place with `IdClaims.claim`, so an entry reads the same
whoever wrote it and no route can overwrite another's file.

`dump(fields, body)` writes YAML front matter in block style:

- keys in the schema's order (the order of `properties` in
  `core/schemas/entry.schema.json`, nested objects included), so every file
  lists title, summary, type… in the order the field reference documents;
  a key the schema does not know comes after the known ones, as given;
- one quoting rule: a lower-case word with hyphens (a vocabulary id, a
  status, a role) and a date are written plain; every other text is
  double-quoted and escaped, so no answer can become YAML structure;
- numbers as the loader reads them back (a whole float as an integer).

The strict loader reads back exactly the fields written (a property test
checks this), and `dump` refuses what it cannot write faithfully: control
characters, a date with a time, a value that is not text, number, true/false,
a date, a list or a mapping.

`IdClaims(project, folder).claim(base)` picks `base`, `base-2`, `base-3`… —
the first that no entry in the library or the folder has (ignoring case and
accents, as the id rule does) and the site does not use for a page — and
creates the file (or the entry's folder) with an exclusive create, so two
writers racing for one id cannot both win.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from functools import cache
from pathlib import Path

from .entry import slugify
from .findings import CasehubError
from .project import Project, fold_id
from .safetext import FORBIDDEN_CHARS, ID_PATTERN

SCHEMA_PATH = Path(__file__).parent / "schemas" / "entry.schema.json"
ID_BASE_LENGTH = 60  # room for a numeric suffix (-2, -3…) within the 80-character id limit
# How the importer's notes at the top of a draft begin; `casehub publish` removes those lines.
IMPORTED_BY = "Imported by casehub import"

_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
# Written plain: lower-case words with hyphens, which YAML cannot read as anything but text…
_WORD = re.compile(r"[a-z][a-z0-9]*(?:-[a-z0-9]+)*")
# …except these, which YAML 1.1 readers take for booleans or null.
_NOT_PLAIN = frozenset({"true", "false", "null", "yes", "no", "on", "off", "y", "n"})
_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\t": "\\t", "\u2028": "\\L", "\u2029": "\\P"}
_LINE_BREAKS = re.compile("[\r\x85]")


class EntryFileError(CasehubError):
    """A value that cannot be written into an entry file as it is."""


class IdTakenError(CasehubError):
    """The id asked for is taken, and the caller did not want another."""


# Writing -------------------------------------------------------------------------------


def scalar(value, quoted: bool = False) -> str:
    """One value as YAML text the loader reads back as exactly that value.

    Booleans as true/false, numbers as written, dates as YYYY-MM-DD, a
    lower-case word plain, any other text (or any text at all, if `quoted`)
    double-quoted and escaped."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise EntryFileError(f"{value!r} is not a number an entry can hold")
        if value.is_integer():
            return str(int(value))
        text = repr(value)
        if "e" in text:  # the loader reads plain decimals only
            text = f"{value:.20f}".rstrip("0")
        if float(text) != value or len(text) > 20:
            raise EntryFileError(f"{value!r} has more digits than an entry keeps; round it")
        return text
    if isinstance(value, datetime):
        raise EntryFileError("a field takes a date (YYYY-MM-DD), not a date and time")
    if isinstance(value, date):
        return value.isoformat()
    if not isinstance(value, str):
        raise EntryFileError(f"{value!r} is not a value an entry field can take here")
    bad = FORBIDDEN_CHARS.search(value) or _LINE_BREAKS.search(value)
    if bad:
        raise EntryFileError(f"the text contains an invisible control character (U+{ord(bad.group()):04X}); "
                             "delete it, or retype the text")
    if not quoted and _DATE.fullmatch(value) and _is_date(value):
        return value
    if not quoted and _WORD.fullmatch(value) and value not in _NOT_PLAIN:
        return value
    return '"' + "".join(_ESCAPES.get(char, char) for char in value) + '"'


def _is_date(text: str) -> bool:
    try:
        date.fromisoformat(text)
    except ValueError:
        return False
    return True


@cache
def _key_orders() -> dict[str, tuple[str, ...]]:
    """Key order for the top level ("") and each object field, from the schema's `properties`."""
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    orders = {"": tuple(schema["properties"])}
    for name, spec in schema["properties"].items():
        item = spec.get("items", spec)
        if "properties" in item:
            orders[name] = tuple(item["properties"])
    return orders


def _ordered(mapping: Mapping, order: tuple[str, ...]) -> list[tuple[str, object]]:
    known = [(key, mapping[key]) for key in order if key in mapping]
    return known + [(key, value) for key, value in mapping.items() if key not in order]


def front_matter_lines(fields: Mapping) -> list[str]:
    """The front matter between the `---` lines, in the schema's key order."""
    orders = _key_orders()
    lines: list[str] = []
    for key, value in _ordered(fields, orders[""]):
        lines += _field(key, value, orders.get(key, ()), "")
    return lines


def _field(key: str, value, order: tuple[str, ...], indent: str) -> list[str]:
    if isinstance(value, Mapping):
        if not value:
            return [f"{indent}{key}: {{}}"]
        lines = [f"{indent}{key}:"]
        for name, item in _ordered(value, order):
            lines += _field(name, item, (), indent + "  ")
        return lines
    if isinstance(value, list | tuple):
        if not value:
            return [f"{indent}{key}: []"]
        lines = [f"{indent}{key}:"]
        for item in value:
            if isinstance(item, Mapping):
                entries = _ordered(item, order)
                if not entries:
                    lines.append(f"{indent}  - {{}}")
                    continue
                for index, (name, part) in enumerate(entries):
                    nested = _field(name, part, (), indent + "    ")
                    if index == 0:
                        nested[0] = f"{indent}  - {nested[0].lstrip()}"
                    lines += nested
            elif isinstance(item, list | tuple):
                raise EntryFileError(f"'{key}' holds a list inside a list, which no entry field takes")
            else:
                lines.append(f"{indent}  - {scalar(item)}")
        return lines
    return [f"{indent}{key}: {scalar(value)}"]


def dump(fields: Mapping, body: str = "", comments: list[str] | tuple[str, ...] = ()) -> str:
    """An entry file's text: front matter from `fields`, then the body.

    `comments` are written as `# ` lines at the top of the front matter, for
    whoever opens the file (an importer's notes on a draft); each is kept to
    one line."""
    comment_lines = ["# " + " ".join(str(text).split())[:300] for text in comments]
    body = body.strip("\n")
    return "\n".join(["---", *comment_lines, *front_matter_lines(fields), "---"]) + "\n" + (
        body + "\n" if body else "")


# Claiming an id ------------------------------------------------------------------------


def id_from_text(text: str, max_length: int = ID_BASE_LENGTH) -> str:
    """An id made from text (a title): its words slugified, cut at a hyphen to at most
    `max_length` characters; '' when the text has no letters or digits to make one from."""
    slug = slugify(text or "")
    if len(slug) > max_length:
        head = slug[:max_length + 1]
        slug = head.rsplit("-", 1)[0] if "-" in head else slug[:max_length]
    slug = slug.strip("-")
    return slug if slug and ID_PATTERN.fullmatch(slug) else ""


@dataclass
class Claim:
    """A free id and the file now reserved for it (created empty; `write` fills it)."""

    id: str
    path: Path
    why_not_first: str = ""  # why `base` itself was not free ('' when it was)

    def write(self, text: str) -> Path:
        with open(self.path, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
        return self.path


class IdClaims:
    """The ids taken in a library and an output folder, and exclusive claims on free ones.

    One object per run, so a run's own claims count as taken for its later items."""

    def __init__(self, project: Project, folder: Path | None = None):
        self.project = project
        self.folder = Path(folder) if folder is not None else project.entries_dir
        self.taken: dict[str, str] = {}  # folded id -> the file that has it, as shown
        paths = project.entry_files()
        if self.folder != project.entries_dir and self.folder.is_dir():
            paths += project.entry_files(self.folder)
        for path in paths:
            entry_id = path.parent.name if path.name == "index.md" else path.stem
            self.taken.setdefault(fold_id(entry_id), project.relative(path))
        if self.folder.is_dir():  # anything else there (a stray folder, a file of another kind) blocks its name too
            for child in self.folder.iterdir():
                name = child.name[:-3] if child.name.endswith(".md") else child.name
                self.taken.setdefault(fold_id(name), project.relative(child))
        self.this_run: set[str] = set()

    def holder(self, entry_id: str) -> str:
        """The file that already has this id (as shown), or ''."""
        return self.taken.get(fold_id(entry_id), "")

    def path_for(self, entry_id: str, as_folder: bool = False) -> Path:
        return self.folder / entry_id / "index.md" if as_folder else self.folder / f"{entry_id}.md"

    def claim(self, base: str, *, as_folder: bool = False, suffix: bool = True, limit: int = 10_000) -> Claim:
        """Reserve `base` (or, with `suffix`, the first free `base-2`, `base-3`…) and create its file.

        `as_folder` makes `<id>/index.md` (an entry with images beside it).
        Without `suffix`, a taken `base` raises IdTakenError naming the file that has it."""
        reasons: dict[str, str] = {}
        for number in range(1, limit):
            candidate = base if number == 1 else f"{base}-{number}"
            folded = fold_id(candidate)
            if folded in self.this_run:
                reasons.setdefault("earlier", f"an earlier item in this run took the id '{candidate}'")
            elif folded in self.taken:
                reasons.setdefault("existing", f"{self.taken[folded]} exists")
            elif self.project.is_reserved(candidate):
                reasons.setdefault("reserved", f"'{candidate}' is a path the site itself uses")
            else:
                path = self._create(candidate, as_folder)
                if path is not None:
                    self.this_run.add(folded)
                    reason = reasons.get("existing") or reasons.get("earlier") or reasons.get("reserved", "")
                    return Claim(candidate, path, reason)
                reasons.setdefault("existing", f"{self.project.relative(self.path_for(candidate, as_folder))} "
                                               "exists")
            if not suffix:
                reason = reasons.get("existing") or reasons.get("earlier") or reasons.get("reserved", "")
                raise IdTakenError(f"the id '{base}' is taken: {reason}")
        raise IdTakenError(f"there are already entries called {base}, {base}-2 … {base}-{limit - 1}; "
                           "nothing was written")

    def _create(self, entry_id: str, as_folder: bool) -> Path | None:
        """Create the id's file (and folder) exclusively; None if something got there first."""
        self.folder.mkdir(parents=True, exist_ok=True)
        flat, folder = self.folder / f"{entry_id}.md", self.folder / entry_id
        if flat.exists() or folder.exists():
            return None
        try:
            if as_folder:
                folder.mkdir()
                path = folder / "index.md"
            else:
                path = flat
            with open(path, "x", encoding="utf-8"):
                pass
        except FileExistsError:
            return None
        return path


def claim(project: Project, base: str, folder: Path | None = None, **options) -> Claim:
    """Claim one id: `IdClaims(project, folder).claim(base, **options)`."""
    return IdClaims(project, folder).claim(base, **options)
