"""The project: where a Casehub library keeps its entries and vocabularies.

Everything that needs a path asks a `Project`, so the CLI, the Pelican build
and the tests agree on where things are. Vocabularies are data files that
facilitators edit; this module reads them (with the strict loader), checks
their shape against their schemas in schemas/ and what a schema cannot say
(that ids differ) in code, and knows nothing about entries.
"""

from __future__ import annotations

import errno
import os
import stat
import unicodedata
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from .findings import Finding, FindingsError
from .loader import load_data_document
from .schema import data_findings

VOCABULARIES = ("types", "topics", "regions", "council-types", "stages")

# Paths the site itself uses at its top level; an entry's id may not take one.
RESERVED_IDS = frozenset("""
    404 about all archive assets collections contribute council-types councils data drafts
    entries favicon feeds feed fields hubs index open-data organisations page pages
    pagefind regions review robots schema search sitemap stages static stats tags
    theme topics types
""".split())


DEFAULT_SETTINGS = {
    "review_period_months": 18,
    "due_soon_days": 60,
    "summary_min_characters": 80,
    "summary_max_characters": 260,
    "submission_mailbox": "",
    "submission_endpoint": "",
}


@dataclass(frozen=True)
class Vocabulary:
    """One controlled vocabulary: an ordered list of items, each with an id and a label."""

    name: str
    items: tuple[dict, ...]

    @cached_property
    def by_id(self) -> dict[str, dict]:
        return {item["id"]: item for item in self.items}

    @property
    def ids(self) -> list[str]:
        return [item["id"] for item in self.items]

    def label(self, term: str) -> str:
        item = self.by_id.get(term)
        return item["label"] if item else term


class Project:
    """A Casehub library rooted at a folder holding casestudies/ and data/."""

    def __init__(self, root: Path | str = "."):
        self.root = Path(root).resolve()
        self.entries_dir = self.root / "casestudies"
        self.data_dir = self.root / "data"
        self.pages_dir = self.root / "content" / "pages"

    def relative(self, path: Path | str) -> str:
        """A path as a contributor would write it, relative to the project."""
        absolute = os.path.abspath(path)  # abspath, not resolve: a symbolic link is shown as the contributor named it
        # Called for every file, so the usual case is string work; it gives what pathlib gives,
        # as abspath's result is already in pathlib's normal form (a leading // aside).
        root = str(self.root)
        prefix = root if root.endswith("/") else root + "/"
        if absolute.startswith(prefix) and len(absolute) > len(prefix) and not absolute.startswith("//"):
            return absolute[len(prefix):]
        try:
            return str(Path(absolute).relative_to(self.root))
        except ValueError:
            return str(path)

    @cached_property
    def vocabularies(self) -> dict[str, Vocabulary]:
        return {name: self._read_vocabulary(name) for name in VOCABULARIES}

    def _read_vocabulary(self, name: str) -> Vocabulary:
        path = self.data_dir / f"{name}.yaml"
        document = load_data_document(path, self.relative(path))
        problems = data_findings(document, "vocabulary")
        seen = set()  # which the schema cannot check: each id once
        for index, item in enumerate(document.metadata if isinstance(document.metadata, list) else []):
            term = item.get("id") if isinstance(item, dict) else None
            if not isinstance(term, str):
                continue
            if term in seen:
                pointer = f"/{index}/id"
                line, column = document.position(pointer)
                problems.append(Finding(document.display_path, line, column, "vocabulary",
                                        f"the id '{term}' appears twice", "keep one of them", pointer))
            seen.add(term)
        if not problems:
            problems = _neighbour_findings(document)
        if problems:
            raise FindingsError(problems)
        return Vocabulary(name, tuple(document.metadata))

    @cached_property
    def councils(self):
        """The register of UK councils in data/councils.csv (see core/councils.py)."""
        from .councils import load_councils  # only the site and the rules need it

        return load_councils(self.data_dir)

    @cached_property
    def settings(self) -> dict:
        """Library settings from data/casehub.yaml, over the defaults below."""
        path = self.data_dir / "casehub.yaml"
        settings = dict(DEFAULT_SETTINGS)
        if path.is_file():
            document = load_data_document(path, self.relative(path))
            problems = data_findings(document, "settings")
            if problems:
                raise FindingsError(problems)
            settings.update(document.metadata)
        return settings

    @cached_property
    def collections(self) -> tuple[list[dict], dict[str, tuple[int, int]]]:
        """Collections from data/collections.yaml (optional), and where each value is in the file.

        Their shape is checked here; that they name entries and topics that exist, in
        rules.check_collections."""
        path = self.data_dir / "collections.yaml"
        if not path.is_file():
            return [], {}
        document = load_data_document(path, self.relative(path))
        document.metadata = document.metadata or []
        problems = data_findings(document, "collections")
        if problems:
            raise FindingsError(problems)
        return document.metadata, document.positions

    def entry_files(self, folder: Path | None = None) -> list[Path]:
        """Entry files below a folder: `<id>.md` or `<id>/index.md`, sorted."""
        folder = folder or self.entries_dir
        return [folder / name for name in entry_names(folder)]

    def stray_markdown(self, folder: Path | None = None) -> list[Path]:
        """Markdown files in the entries folder that are not where an entry can be."""
        folder = folder or self.entries_dir
        return [folder / name for name in stray_names(folder, entry_names(folder))]

    @cached_property
    def page_slugs(self) -> set[str]:
        """Slugs of the site's own pages in content/pages, which entries may not take."""
        if not self.pages_dir.is_dir():
            return set()
        return {p.stem for p in self.pages_dir.glob("*.md")}

    def is_reserved(self, entry_id: str) -> bool:
        return entry_id in RESERVED_IDS or entry_id in self.page_slugs


def _neighbour_findings(document) -> list[Finding]:
    """`neighbours` (regions) name other terms of the same file, and each pair both ways."""
    items = document.metadata
    ids = {item["id"] for item in items}
    listed = {item["id"]: set(item.get("neighbours", ())) for item in items}
    problems = []
    for index, item in enumerate(items):
        for position, other in enumerate(item.get("neighbours", ())):
            pointer = f"/{index}/neighbours/{position}"
            line, column = document.position(pointer)
            if other not in ids or other == item["id"]:
                message, hint = (f"'{other}' is not another term in this file",
                                 "use the id of another term in this file")
            elif item["id"] not in listed[other]:
                message, hint = (f"'{other}' is a neighbour of '{item['id']}', but not the other way round",
                                 f"add '{item['id']}' to the neighbours of '{other}' too")
            else:
                continue
            problems.append(Finding(document.display_path, line, column, "vocabulary", message, hint, pointer))
    return problems


def _ignored(name: str) -> bool:
    return name.startswith(("_", ".")) or name.lower() == "readme.md"


# Listing a library of thousands of entries is done with one scandir and string work; the
# answers are those of pathlib's glob("*.md") and glob("*/index.md") (for entries) and
# rglob("*.md") (for stray files), sorted as pathlib sorts paths: part by part.

def path_order(path: str) -> str:
    """A sort key that puts normalised path strings (all absolute, or all relative to one
    folder) in pathlib's order, which is part by part.

    With each separator made a NUL, a character lower than any a name can hold,
    comparing the strings compares the parts; a root of exactly two slashes (which
    pathlib keeps) sorts after a root of one, as pathlib's '//' sorts after '/'."""
    key = path.replace("/", "\0")
    return "\U0010ffff" + key if path.startswith("//") else key


# The errors pathlib takes as "no such file" (pathlib._ignore_error) rather than raising.
_MISSING = frozenset({errno.ENOENT, errno.ENOTDIR, errno.EBADF, errno.ELOOP})


def _listing(folder: Path | str) -> list[os.DirEntry] | None:
    """A folder's entries, or None where glob finds nothing: not a folder, or not readable."""
    if not Path(folder).is_dir():
        return None
    try:
        with os.scandir(folder) as scan:
            return list(scan)
    except PermissionError:
        return None


def entry_names(folder: Path | str) -> list[str]:
    """The entry files in a folder, relative to it (`<id>.md` or `<id>/index.md`), sorted."""
    listing = _listing(folder)
    if listing is None:
        return []
    names = [entry.name for entry in listing if entry.name.endswith(".md") and not _ignored(entry.name)]
    for entry in listing:
        try:
            if not entry.is_dir():  # following a link, as glob does
                continue
        except PermissionError:
            break  # where glob stops looking
        except OSError as error:
            if error.errno not in _MISSING:
                raise
            continue
        if _exists(os.path.join(entry.path, "index.md")) and not _ignored(entry.name):
            names.append(f"{entry.name}/index.md")
    return sorted(names, key=path_order)


def is_symlink(path: str) -> bool:
    """Path.is_symlink, for a string."""
    try:
        return stat.S_ISLNK(os.lstat(path).st_mode)
    except OSError as error:
        if error.errno not in _MISSING:
            raise
        return False
    except ValueError:
        return False


def _exists(path: str) -> bool:
    """Path.exists, as glob uses it (where the check itself is refused, the file is passed over)."""
    try:
        os.stat(path)
    except PermissionError:
        return False
    except OSError as error:
        if error.errno not in _MISSING:
            raise
        return False
    except ValueError:
        return False
    return True


def stray_names(folder: Path | str, entries: list[str]) -> list[str]:
    """Markdown files anywhere below a folder, relative to it, that are not its `entries`
    and not in an ignored folder; sorted. Links to folders are not followed."""
    found: list[str] = []

    def scan(path: Path | str, prefix: str):
        try:
            with os.scandir(path) as listing:
                children = list(listing)
        except PermissionError:
            return
        found.extend(prefix + child.name for child in children if child.name.endswith(".md"))
        for child in children:
            try:
                is_folder = child.is_dir(follow_symlinks=False)
            except PermissionError:
                return  # where rglob stops looking in this folder
            except OSError as error:
                if error.errno not in _MISSING:
                    raise
                is_folder = False
            if is_folder:
                scan(child.path, f"{prefix}{child.name}/")

    if Path(folder).is_dir():
        scan(folder, "")
    known = set(entries)
    return sorted((name for name in found
                   if name not in known and not any(_ignored(part) for part in name.split("/"))),
                  key=path_order)


def entry_id_of(path: Path | str) -> str:
    """The id an entry file gives: its name less `.md`, or its folder's name for `index.md`.

    Takes a string too, for callers that handle thousands of paths: the same
    answer as pathlib's `name`, `stem` and `parent.name` for a normalised path."""
    if not isinstance(path, str):
        return path.parent.name if path.name == "index.md" else path.stem
    folder, _, name = path.rpartition("/")
    if name == "index.md":
        return folder.rpartition("/")[2]
    dot = name.rfind(".")
    return name[:dot] if 0 < dot < len(name) - 1 else name


def fold_id(entry_id: str) -> str:
    """An id with case and accents removed, for comparing ids as people read them."""
    if entry_id.isascii():  # nothing to decompose: the same as below, faster
        return entry_id.casefold()
    decomposed = unicodedata.normalize("NFKD", entry_id)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
