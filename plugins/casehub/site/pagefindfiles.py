"""Pagefind's files, made the same from one build to the next.

Pagefind 1.5 writes each filter's values from a hash map seeded at random, so the
order of the values in every `filter/*.pf_filter` file, and with it the file's
bytes and its content-hash name, changes on every run; the list of filters in the
metadata file (`pagefind.<hash>.pf_meta`) is in the same random order, so its
bytes and name change too, and `pagefind-entry.json`, which names it, with them.
Everything else Pagefind writes is the same for the same pages.

`canonicalise(bundle)` rewrites those files the way later Pagefind releases write
them (filters sorted by name, each filter's values by value), names each by the
hash of its content as Pagefind does, and removes the files no metadata names (a
Pagefind run into a folder that already has an index leaves the old files there).
It reads and checks the whole bundle before it writes anything, and stops with
`SearchBundleError` on a file it does not understand rather than write a broken
index. It changes nothing a search returns: Pagefind's WebAssembly reads filters,
values and sort orders into maps, and finds each file by the name the metadata
gives.

Every Pagefind data file is gzip of `pagefind_dcd` and a CBOR value (as minicbor
writes it: definite-length arrays, shortest-form integers), which cbor2 reads and
writes to the same bytes; a file that does not come back byte for byte is not one
this module knows.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import re
import zlib
from dataclasses import dataclass, field
from pathlib import Path

import cbor2

from ..core.findings import CasehubError

ENTRY = "pagefind-entry.json"
MAGIC = b"pagefind_dcd"
# The folders of a bundle whose files the metadata names, and the suffix of each.
DATA_FOLDERS = {"fragment": ".pf_fragment", "index": ".pf_index", "filter": ".pf_filter"}
# What Pagefind's file names are made of (a language code, "_", hex): nothing that could leave the folder.
NAME = re.compile(r"[A-Za-z0-9_-]+")
GZIP_LEVEL = 9  # what Pagefind uses; fixed, with no timestamp, so the same content gives the same bytes


class SearchBundleError(CasehubError):
    """A Pagefind bundle (or a file in it) this module does not understand; nothing was changed."""


@dataclass
class _Language:
    """One language's index in a bundle, as read, and what is to be written for it."""

    language: str
    meta_name: str
    meta: list
    writes: dict[Path, bytes] = field(default_factory=dict)
    names: dict[str, set[str]] = field(default_factory=dict)  # folder -> file names the metadata uses


def canonicalise(bundle: Path | str) -> None:
    """Rewrite the Pagefind bundle in `bundle` (the folder with `pagefind-entry.json`) so
    that the same pages always give the same files; see the module's docstring."""
    bundle = Path(bundle)
    entry_path = bundle / ENTRY
    entry = _read_entry(entry_path)
    languages = [_plan(bundle, language, details) for language, details in sorted(entry["languages"].items())]
    existing = _existing_files(bundle)
    for plan in languages:
        for folder in ("fragment", "index"):  # the filter files were read already
            missing = sorted(plan.names[folder] - existing[folder])
            if missing:
                where = bundle / folder / (missing[0] + DATA_FOLDERS[folder])
                raise SearchBundleError(f"the search index in {bundle} is incomplete: {where} is missing "
                                        f"({len(missing)} file(s) the {plan.language} index names are not there)")
    try:
        for plan in languages:
            for path, data in plan.writes.items():
                _write(path, _pack(data))
            meta = cbor2.dumps(plan.meta)
            plan.meta_name = f"{plan.language}_{_full_hash(meta)[:len(plan.language) + 8]}"
            _write(bundle / f"pagefind.{plan.meta_name}.pf_meta", _pack(meta))
            entry["languages"][plan.language]["hash"] = plan.meta_name
        entry["languages"] = dict(sorted(entry["languages"].items()))
        # As Pagefind writes it (serde_json's compact form), so an untouched entry file keeps its bytes.
        _write(entry_path, json.dumps(entry, ensure_ascii=False, separators=(",", ":")).encode("utf-8"))
        _remove_unnamed(bundle, languages, existing)
    except OSError as error:
        raise SearchBundleError(f"cannot write the search index in {bundle}: {error} (is the disk full?)") from None


def _read_entry(path: Path) -> dict:
    try:
        entry = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise SearchBundleError(f"cannot read the search index's entry file {path}: {error}") from None
    languages = entry.get("languages") if isinstance(entry, dict) else None
    if not isinstance(languages, dict) or not languages or not all(
            isinstance(details, dict) and isinstance(details.get("hash"), str) for details in languages.values()):
        raise SearchBundleError(f"{path} is not a Pagefind entry file Casehub knows: it names no language indexes")
    return entry


def _plan(bundle: Path, language: str, details: dict) -> _Language:
    """Read one language's metadata and filters, and work out the files to write for it."""
    if not (NAME.fullmatch(language) and NAME.fullmatch(details["hash"])):
        raise SearchBundleError(f"{bundle / ENTRY} names an index {language!r}: {details['hash']!r}, "
                                "which is not a name Pagefind gives")
    meta_path = bundle / f"pagefind.{details['hash']}.pf_meta"
    meta = _read(meta_path)
    if not (isinstance(meta, list) and len(meta) in (5, 6) and isinstance(meta[0], str)
            and _rows(meta[1], (str, int)) and _rows(meta[2], (str, str, str)) and _rows(meta[3], (str, str))
            and _rows(meta[4], (str, list)) and (len(meta) == 5 or _strings(meta[5]))):
        version = meta[0] if isinstance(meta, list) and meta and isinstance(meta[0], str) else "unknown"
        raise _unknown(meta_path, f"its layout is not the one Casehub knows (written by Pagefind {version})")
    plan = _Language(language, details["hash"], meta)
    plan.names = {"fragment": {page for page, _ in meta[1]}, "index": {chunk[2] for chunk in meta[2]}}
    for name in (*plan.names["fragment"], *plan.names["index"], *(file_name for _, file_name in meta[3])):
        if not NAME.fullmatch(name):
            raise _unknown(meta_path, f"it names a file {name!r}, which is not a name Pagefind gives")

    filters = []
    for name, file_name in meta[3]:
        path = bundle / "filter" / f"{file_name}.pf_filter"
        filters.append(_canonical_filter(path, name))
    filters.sort()
    taken: set[str] = set()
    meta[3] = []
    for name, data in filters:
        # Pagefind's naming: the language, then the first 7 characters of the hash, one more
        # while another filter file of this language has that name.
        full = f"{language}_{_full_hash(data)}"
        short = len(language) + 8
        while full[:short] in taken and short < len(full):
            short += 1
        taken.add(full[:short])
        meta[3].append([name, full[:short]])
        plan.writes[bundle / "filter" / f"{full[:short]}.pf_filter"] = data
    plan.names["filter"] = taken
    _check_unique(meta_path, "filter", [name for name, _ in meta[3]])
    _check_unique(meta_path, "sort", [name for name, _ in meta[4]])
    for name, pages in meta[4]:
        if not all(isinstance(page, int) and not isinstance(page, bool) for page in pages):
            raise _unknown(meta_path, f"the page list of the sort order {name!r} is not a list of page numbers")
    meta[4].sort(key=lambda sort: sort[0])
    return plan


def _canonical_filter(path: Path, name: str) -> tuple[str, bytes]:
    """A filter file's CBOR with its values sorted by value, each page list in page order."""
    content = _read(path)
    if not (isinstance(content, list) and len(content) == 2 and content[0] == name
            and _rows(content[1], (str, list))
            and all(isinstance(page, int) and page >= 0 for _, pages in content[1] for page in pages)):
        raise _unknown(path, f"it is not a filter file for the filter {name!r} as the metadata says")
    values = content[1]
    _check_unique(path, "value", [value for value, _ in values])
    for _, pages in values:
        pages.sort()
    values.sort(key=lambda value: value[0])
    return name, cbor2.dumps([name, values])


def _read(path: Path):
    """The CBOR value in a Pagefind data file, checked to write back to the same bytes."""
    try:
        with gzip.open(path) as handle:
            data = handle.read()
    except (OSError, EOFError, zlib.error) as error:
        raise _unknown(path, f"it cannot be read ({error})") from None
    if not data.startswith(MAGIC):
        raise _unknown(path, "it does not start as Pagefind's files do")
    try:
        value = cbor2.loads(data[len(MAGIC):])
        same = cbor2.dumps(value) == data[len(MAGIC):]
    except (cbor2.CBORError, ValueError, TypeError, RecursionError) as error:
        raise _unknown(path, f"its content cannot be decoded ({error})") from None
    if not same:
        raise _unknown(path, "its content does not read back to the same bytes")
    return value


def _rows(value, shape: tuple[type, ...]) -> bool:
    """Whether `value` is a list of lists with items of the types in `shape`."""
    return isinstance(value, list) and all(
        isinstance(row, list) and len(row) == len(shape)
        and all(isinstance(item, kind) and not isinstance(item, bool) for item, kind in zip(row, shape, strict=True))
        for row in value)


def _strings(value) -> bool:
    return isinstance(value, list) and all(isinstance(item, str) for item in value)


def _check_unique(path: Path, what: str, names: list[str]) -> None:
    # Two of the same would be put in whatever order they came in: refuse rather than guess.
    if len(set(names)) != len(names):
        raise _unknown(path, f"it names the same {what} twice")


def _unknown(path: Path, reason: str) -> SearchBundleError:
    return SearchBundleError(f"cannot make the search index the same from build to build: {path}: {reason}. "
                             "Nothing in the index was changed. If Pagefind was upgraded, check "
                             "casehub.site.pagefindfiles against the new version's file layout.")


def _full_hash(data: bytes) -> str:
    # Pagefind writes each byte of the SHA-1 in hex without a leading zero.
    return "".join(f"{byte:x}" for byte in hashlib.sha1(data).digest())


def _pack(data: bytes) -> bytes:
    return gzip.compress(MAGIC + data, compresslevel=GZIP_LEVEL, mtime=0)


def _write(path: Path, data: bytes) -> None:
    """Write `data` to `path` whole (through a temporary file), leaving a file that already
    has exactly these bytes alone."""
    try:
        if path.is_file() and path.read_bytes() == data:
            return
    except OSError:
        pass
    temporary = path.with_name(f".{path.name}.tmp")
    temporary.write_bytes(data)
    os.replace(temporary, path)


def _existing_files(bundle: Path) -> dict[str, set[str]]:
    """The names (without suffix) of the data files in each of the bundle's data folders,
    and of its metadata files under "meta"."""
    found: dict[str, set[str]] = {}
    for folder, suffix in DATA_FOLDERS.items():
        try:
            with os.scandir(bundle / folder) as scan:
                found[folder] = {item.name[:-len(suffix)] for item in scan if item.name.endswith(suffix)}
        except FileNotFoundError:
            found[folder] = set()
    found["meta"] = {path.name[len("pagefind."):-len(".pf_meta")] for path in bundle.glob("pagefind.*.pf_meta")}
    return found


def _remove_unnamed(bundle: Path, languages: list[_Language], existing: dict[str, set[str]]) -> None:
    """Remove the data and metadata files no language's metadata names (left by an earlier run)."""
    for folder, suffix in DATA_FOLDERS.items():
        named = set().union(*(plan.names[folder] for plan in languages))
        for name in existing[folder] - named:
            (bundle / folder / f"{name}{suffix}").unlink(missing_ok=True)
    named_meta = {plan.meta_name for plan in languages}
    for name in existing["meta"] - named_meta:
        (bundle / f"pagefind.{name}.pf_meta").unlink(missing_ok=True)
