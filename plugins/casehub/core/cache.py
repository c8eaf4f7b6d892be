"""The content cache: work a build can reuse, kept by the hash of everything it came from.

Two kinds of work are kept, each under a key that is the SHA-256 of all its inputs,
so a cached result is found only when it would come out the same again:

- `entries/`: each entry file loaded, checked and rendered (its front matter and its body
  as safe HTML), keyed by the file's bytes, its path, the files beside a folder entry,
  the settings that change rendering, and the *context*: the schema, the vocabularies and
  the rest of `data/`, and Casehub's own code. Only clean results are kept (a file with
  findings is checked again, so its findings carry line and column). Stored as JSON, never
  pickle: a cache restored from elsewhere (a CI cache) can hold data, not code.
- `search/`: a Pagefind bundle for one part of the search index (see `search.py`), keyed
  by the bytes of every page it indexed and the Pagefind version.

It is the idea of Pelican's content cache, made content-addressed so that it can be
carried between CI runs: nothing in it depends on file times or on where the project was
checked out. A stale or damaged cache can cost time, never change the output (a test
builds with and without the cache and compares the sites byte for byte).

The cache lives in `.casehub-cache/` in the project (CASEHUB_CACHE names another folder;
an empty value, or `casehub build --no-cache`, turns it off). A full build removes what
no build has used for an hour.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import json
import os
import shutil
import time
from datetime import date, datetime
from pathlib import Path

FOLDER = ".casehub-cache"
ENVIRONMENT = "CASEHUB_CACHE"
KEEP_SECONDS = 3600  # what another build used this recently is never pruned
_PACKAGE = Path(__file__).resolve().parent.parent


def default_folder(root: Path) -> Path | None:
    """The cache folder for a project: CASEHUB_CACHE if set (empty: no cache), else .casehub-cache/."""
    configured = os.environ.get(ENVIRONMENT)
    if configured is None:
        return root / FOLDER
    return Path(configured).expanduser().resolve() if configured.strip() else None


def digest(*parts: bytes | str) -> str:
    """One hash of several inputs, each length-prefixed so that no two lists of parts collide."""
    hasher = hashlib.sha256()
    for part in parts:
        data = part.encode("utf-8") if isinstance(part, str) else part
        hasher.update(len(data).to_bytes(8, "big"))
        hasher.update(data)
    return hasher.hexdigest()


@functools.cache
def code_version() -> str:
    """A hash of Casehub's own code and schemas: any change to them is a new version."""
    files = sorted(p for p in _PACKAGE.rglob("*") if p.suffix in (".py", ".json", ".yaml", ".js", ".html")
                   and p.is_file() and "__pycache__" not in p.parts)
    return digest(*(part for p in files for part in (p.relative_to(_PACKAGE).as_posix(), p.read_bytes())))


def folder_digest(folder: Path) -> str:
    """A hash of every file under a folder (names and bytes), for data the checks read."""
    if not folder.is_dir():
        return digest("no folder")
    files = sorted(p for p in folder.rglob("*") if p.is_file())
    return digest(*(part for p in files for part in (p.relative_to(folder).as_posix(), p.read_bytes())))


# --- Values as JSON, dates included ------------------------------------------------------------

def _encode(value):
    if isinstance(value, datetime):
        return {"$datetime": value.isoformat()}
    if isinstance(value, date):
        return {"$date": value.isoformat()}
    if isinstance(value, dict):
        if any(not isinstance(k, str) or k.startswith("$") for k in value):
            raise TypeError("keys that JSON cannot carry")
        return {k: _encode(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_encode(v) for v in value]
    if value is None or type(value) in (str, bool, int, float):  # exactly these: a subclass would come back plain
        return value
    raise TypeError(f"{type(value).__name__} is not kept in the cache")


def _decode(value):
    if isinstance(value, dict):
        if len(value) == 1:
            (key, text), = value.items()
            if key == "$date":
                return date.fromisoformat(text)
            if key == "$datetime":
                return datetime.fromisoformat(text)
        return {k: _decode(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_decode(v) for v in value]
    return value


class ContentCache:
    """One cache folder; every method is safe to call when `folder` is None (no cache)."""

    def __init__(self, folder: Path | None):
        self.folder = folder
        self._listings: dict[Path, dict[str, list[str]]] = {}
        self.hits = 0
        self.misses = 0

    def _path(self, kind: str, key: str) -> Path:
        return self.folder / kind / key[:2] / key

    # --- records (entries) ---

    def get(self, kind: str, key: str):
        """The value kept under `key`, or None (also for a damaged or unreadable record)."""
        if self.folder is None:
            return None
        path = self._path(kind, key)
        try:
            value = _decode(json.loads(path.read_bytes()))
        except (OSError, ValueError, TypeError):
            self.misses += 1
            return None
        _touch(path)
        self.hits += 1
        return value

    def put(self, kind: str, key: str, value) -> None:
        """Keep a value, if it survives the trip through JSON unchanged; otherwise keep nothing."""
        if self.folder is None:
            return
        try:  # `_encode` refuses what would not come back the same (tuples, other keys, NaN)
            data = json.dumps(_encode(value), ensure_ascii=False, separators=(",", ":"), allow_nan=False)
        except (TypeError, ValueError):
            return
        _write_atomically(self._path(kind, key), data.encode("utf-8"))

    # --- folders (search bundles) ---

    def folder_for(self, kind: str, key: str) -> Path | None:
        """A kept folder, or None."""
        if self.folder is None:
            return None
        path = self._path(kind, key)
        if (path / ".complete").is_file():
            _touch(path)
            return path
        return None

    def keep_folder(self, kind: str, key: str, source: Path) -> None:
        """Keep a copy of a folder (hard links where the file system allows)."""
        if self.folder is None:
            return
        path = self._path(kind, key)
        if (path / ".complete").is_file():
            _touch(path)
            return
        temporary = path.with_name(f".{key}.{os.getpid()}.tmp")
        shutil.rmtree(temporary, ignore_errors=True)
        try:
            copy_tree(source, temporary)
            (temporary / ".complete").write_text("kept whole\n", encoding="utf-8")
            shutil.rmtree(path, ignore_errors=True)
            temporary.rename(path)
            _touch(path)
        except OSError:
            shutil.rmtree(temporary, ignore_errors=True)

    # --- files (pages) ---

    def file_for(self, kind: str, key: str) -> Path | None:
        """A kept file whose bytes are whole (checked against the hash in its name), or None.
        Files are kept by hard link where possible, and never changed in place (the build
        replaces a file rather than writing into it)."""
        if self.folder is None:
            return None
        shard = self._path(kind, key).parent
        listed = self._listings.get(shard)
        if listed is None:  # each folder listed once per process, not once per file asked for
            listed = self._listings[shard] = {}
            with contextlib.suppress(OSError):
                for name in os.listdir(shard):
                    listed.setdefault(name.split(".", 1)[0], []).append(name)
        for name in listed.get(key, ()):
            path = shard / name
            with contextlib.suppress(OSError):
                if page_sum(path.read_bytes()) == name[len(key) + 1:]:
                    self.hits += 1
                    return path  # not marked as used here: it is the same file as the page (see `prune`)
        self.misses += 1
        return None

    def keep_file(self, kind: str, key: str, source: Path, data: bytes) -> str | None:
        """Keep a file holding `data` (a hard link to `source` where the file system allows, else
        a copy); returns the name it is kept under."""
        if self.folder is None:
            return None
        path = self._path(kind, key)
        path = path.with_name(f"{key}.{page_sum(data)}")
        temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        with contextlib.suppress(OSError):
            path.parent.mkdir(parents=True, exist_ok=True)
            link_or_copy(source, temporary)
            os.replace(temporary, path)
        return path.name

    # --- housekeeping ---

    def prune(self, kinds: tuple[str, ...], used: dict[str, set[str]] | None = None) -> None:
        """Remove what no build has used for KEEP_SECONDS. Records and folders are marked as used
        when read or kept (their modification time), in whichever process used them. Kept files
        are the build's own pages, linked, so marking them would change the pages' times: for
        those kinds, `used` names the keys this build used, and the rest go once they are older
        than KEEP_SECONDS (so a concurrent build's are not removed)."""
        if self.folder is None:
            return
        oldest = time.time() - KEEP_SECONDS
        used = used or {}
        for kind in kinds:
            keys = used.get(kind)
            for shard in (self.folder / kind).glob("*"):
                for path in shard.iterdir() if shard.is_dir() else ():
                    if keys is not None and path.name in keys:
                        continue
                    with contextlib.suppress(OSError):
                        if path.lstat().st_mtime < oldest:
                            shutil.rmtree(path) if path.is_dir() and not path.is_symlink() else path.unlink()


def page_sum(data: bytes) -> str:
    """The hash a kept file's name ends with (and a part of the search index's key is made from)."""
    return hashlib.sha256(data).hexdigest()[:32]


def _touch(path: Path) -> None:
    """Mark a kept item as used now (raises OSError if it is not there)."""
    os.utime(path)


def _write_atomically(path: Path, data: bytes) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        temporary.write_bytes(data)
        os.replace(temporary, path)
    except OSError:
        pass  # a cache that cannot be written costs time, nothing else


def link_or_copy(source, target):
    """A hard link to `source` at `target`, or a copy where links cannot be made."""
    try:
        os.link(source, target)
    except OSError:
        shutil.copy2(source, target)
    return target


def copy_tree(source: Path, target: Path) -> None:
    """Copy a folder, hard-linking files where possible (the files are never changed in place)."""
    shutil.copytree(source, target, copy_function=link_or_copy)

