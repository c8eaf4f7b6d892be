"""Search: runs the real Pagefind binary over the built site, one part of the index at a time.

Pagefind indexes only elements marked `data-pagefind-body` (entry pages), with the filters
and sort keys the entry template declares. A reader's browser loads an index's whole page
list before its first search, and Pagefind holds a whole index in memory while it writes
it, so a single index grows past a first search's budget and a CI runner's memory as the
library grows (about 7 bytes a page compressed, and 150 KB of memory a page). So the
entry pages are split by date into *parts* of `CASEHUB_SEARCH_PART_SIZE` (2,500) pages:

- oldest first, so a new entry changes only the newest part, and an edited one only its own;
- the newest part is the bundle at `pagefind/` (the search page loads it first, with as many
  of the next newest as make 5,000 entries, and shows their results); older parts are at
  `pagefind/part-1/` (the oldest) onwards, merged in (Pagefind's `mergeIndex`) once the
  first results are shown;
- each part is indexed by its own Pagefind run, two at a time on two cores, from the moment
  its pages are written, and kept in the content cache (`core/cache.py`) by the bytes of its
  pages, so a build in which one entry changed indexes one part again.

This module only runs the indexer (in the background, kept in the build's `state.BuildState`);
the search page's behaviour lives in the theme.
"""

from __future__ import annotations

import gzip
import json
import os
import shutil
import subprocess
import threading
import zlib
from dataclasses import dataclass
from pathlib import Path

from pagefind_bin import get_executable

from ..core.cache import ContentCache, digest, link_or_copy, page_sum
from ..core.findings import CasehubError
from ..core.parallel import workers
from .pagefindfiles import canonicalise
from .state import BuildState, state_of

# Entry pages: ours at <id>/index.html, partner hubs' at hubs/<hub>/<id>/index.html.
ENTRY_PAGES = "{*,hubs/*/*}/index.html"
PART_SIZE = 2500
FIRST_PARTS = 2  # the first results come from at least this many parts' worth of the newest entries
FOLDER = "pagefind"
# What a part other than the first needs: the search page merges it into the first part's
# Pagefind, which brings the scripts, the WebAssembly and the interface.
PART_FILES = ("pagefind-entry.json", "index", "fragment", "filter")


class SearchIndexError(CasehubError):
    """Pagefind could not index the site."""


@dataclass(frozen=True)
class Part:
    """One bundle of the search index: where it goes in the output, and the pages it indexes."""

    folder: str  # "pagefind" for the newest part, "pagefind/part-<n>" for the others
    pages: tuple[str, ...]  # output-relative paths, oldest first

    @property
    def primary(self) -> bool:
        return self.folder == FOLDER


def plan(pages: list[str], size: int = PART_SIZE) -> list[Part]:
    """Split entry pages, oldest first, into parts of `size`: the newest part (the remainder)
    is the primary bundle, the others are numbered from the oldest. Newest part first."""
    size = max(1, size)
    chunks = [tuple(pages[i:i + size]) for i in range(0, len(pages), size)] or [()]
    older = [Part(f"{FOLDER}/part-{n}", chunk) for n, chunk in enumerate(chunks[:-1], 1)]
    return [Part(FOLDER, chunks[-1]), *reversed(older)]


def part_size(settings: dict) -> int:
    """Entries in a part: CASEHUB_SEARCH_PART_SIZE from the environment, else from the settings."""
    configured = os.environ.get("CASEHUB_SEARCH_PART_SIZE", "")
    return int(configured) if configured.isdigit() and int(configured) > 0 else \
        int(settings.get("CASEHUB_SEARCH_PART_SIZE", PART_SIZE))


def first_load(parts: list[Part], size: int = PART_SIZE) -> int:
    """How many older parts the search page merges before showing first results: enough that
    the first results come from at least FIRST_PARTS parts' worth of the newest entries, or all."""
    first, covered, older = FIRST_PARTS * size, len(parts[0].pages), 0
    while covered < first and older + 1 < len(parts):
        older += 1
        covered += len(parts[older].pages)
    return older


def _command(site: Path | str, bundle: Path | str | None = None, glob: str = ENTRY_PAGES) -> list[str]:
    # Reading only entry pages (not the thousands of listing pages, which have no
    # data-pagefind-body) cuts indexing time by half.
    command = [str(get_executable()), "--site", str(site), "--silent", "--glob", glob]
    return command + (["--output-path", str(bundle)] if bundle else ["--output-subdir", FOLDER])


def _check(bundle: Path, returncode: int, output: str) -> None:
    if returncode != 0:
        raise SearchIndexError(f"Pagefind failed to index {bundle.parent}:\n{output}")
    verify_index(bundle)
    canonicalise(bundle)


def verify_index(folder: Path) -> None:
    """Check that Pagefind's files are whole, because Pagefind reports success even when its
    writes failed (a full disk leaves truncated files and exit status 0, and search breaks).

    Every index, fragment, filter, metadata and WebAssembly file is gzip, so reading each to its
    end finds a cut-off one; the entry file must be JSON naming its languages; nothing may be
    empty. Raises SearchIndexError naming the first bad file."""
    entry = folder / "pagefind-entry.json"
    try:
        languages = json.loads(entry.read_text(encoding="utf-8")).get("languages")
    except (OSError, ValueError, AttributeError):
        languages = None
    if not languages:
        raise SearchIndexError(f"the search index is incomplete: {entry} is missing or damaged "
                               "(is the disk full?); search would not work, so the build stops")
    for path in folder.rglob("*"):
        if not path.is_file():
            continue
        problem = None
        if path.stat().st_size == 0:
            problem = "is empty"
        elif path.suffix.startswith(".pf_") or path.suffix == ".pagefind":
            try:
                with gzip.open(path) as handle:
                    while handle.read(1 << 20):
                        pass
            except (OSError, EOFError, zlib.error):
                problem = "is cut off"
        if problem:
            raise SearchIndexError(f"the search index is incomplete: {path} {problem} (is the disk full?); "
                                   "search would not work, so the build stops")


def index_site(output_path: Path | str) -> None:
    """Write one search index of every entry page into `<output>/pagefind/` (no parts, no cache:
    for a site built elsewhere)."""
    result = subprocess.run(_command(output_path), capture_output=True, text=True, check=False)
    _check(Path(output_path) / FOLDER, result.returncode, result.stdout + result.stderr)


def _bundle_version() -> str:
    from ..core.cache import code_version

    return digest("pagefind", _pagefind_version(), code_version())


def _pagefind_version() -> str:
    try:
        from importlib.metadata import version

        return version("pagefind_bin")
    except Exception:  # noqa: BLE001 - no metadata: the binary's own bytes identify it
        return digest(Path(get_executable()).read_bytes())


class Indexer:
    """Indexes the parts of a build's search index in the background, two Pagefind runs at a
    time, each part taken from the cache when its pages are unchanged. `wait()` raises the
    first failure; `stop()` ends any run still going."""

    def __init__(self, output: Path, parts: list[Part], cache: ContentCache | None = None,
                 jobs: int | None = None, sums: dict[str, str] | None = None):
        self.output, self.parts, self.cache = Path(output), parts, cache or ContentCache(None)
        self.sums = sums or {}  # page: the hash of its bytes, where the build knows it already
        self.jobs = max(1, jobs or workers())
        self.errors: list[str] = []
        self.indexed: list[str] = []  # the parts Pagefind indexed (the others came from the cache)
        self._processes: dict[int, subprocess.Popen] = {}
        self._stopped = False
        self._lock = threading.Lock()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        version = _bundle_version()
        pending = []
        for number, part in enumerate(self.parts):
            key = digest(version, *(item for page in part.pages for item in (page, self._sum(page))))
            kept = self.cache.folder_for("search", key) if part.pages else None  # see `_index` for no pages
            if kept is not None:
                try:
                    verify_index(kept)  # a damaged copy in the cache is indexed again, not served
                except SearchIndexError:
                    kept = None
            if kept is not None:
                self._place(kept, part)
            else:
                pending.append((number, part, key))
        threads = [threading.Thread(target=self._work, args=(pending,), daemon=True) for _ in range(self.jobs)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()

    def _sum(self, page: str) -> str:
        return self.sums.get(page) or page_sum((self.output / page).read_bytes())

    def _work(self, pending: list) -> None:
        while True:
            with self._lock:
                if not pending or self._stopped or self.errors:
                    return
                number, part, key = pending.pop(0)
            try:
                self._index(number, part, key)
            except (SearchIndexError, OSError) as error:
                with self._lock:
                    self.errors.append(str(error))

    def _index(self, number: int, part: Part, key: str) -> None:
        """Index one part: its pages, linked into a folder of their own, read by one Pagefind run."""
        site = self.output.with_name(f".{self.output.name}.search-{number}")
        bundle = site.with_name(site.name + ".bundle")
        for folder in (site, bundle):
            shutil.rmtree(folder, ignore_errors=True)
        try:
            for page in part.pages:
                target = site / page
                target.parent.mkdir(parents=True, exist_ok=True)
                link_or_copy(self.output / page, target)
            # A library with no entries yet: Pagefind refuses to write an index of nothing, so
            # the site's own pages are indexed (with no entry page, Pagefind reads whole bodies).
            source = site if part.pages else self.output
            with self._lock:
                if self._stopped:
                    return
                process = self._processes[number] = subprocess.Popen(
                    _command(source, bundle, "**/index.html" if part.pages else ENTRY_PAGES),
                    stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                    text=True)
            output, _ = process.communicate()
            with self._lock:
                self._processes.pop(number, None)
                if self._stopped:
                    return
            _check(bundle, process.returncode, output)
            self.indexed.append(part.folder)
            if part.pages:
                self.cache.keep_folder("search", key, bundle)
            self._place(bundle, part, move=True)
        finally:
            shutil.rmtree(site, ignore_errors=True)
            shutil.rmtree(bundle, ignore_errors=True)

    def _place(self, bundle: Path, part: Part, move: bool = False) -> None:
        """Put a bundle where its part goes. With `move` (a bundle Pagefind has just written, not
        the cache's copy), each folder the target does not have yet is moved there whole: one
        rename in place of thousands of links, which cost most on a slow disk. Everything else
        is linked, file by file, each replacing what was there (for `casehub serve`, which
        re-indexes into the site it serves)."""
        target = self.output / part.folder
        target.mkdir(parents=True, exist_ok=True)
        for top in sorted(bundle.iterdir()):
            if top.name == ".complete" or (not part.primary and top.name not in PART_FILES
                                           and top.suffix != ".pf_meta"):
                continue
            if move and top.is_dir() and not (target / top.name).exists():
                top.rename(target / top.name)
                continue
            for source in sorted([top] if top.is_file() else top.rglob("*")):
                if not source.is_file():
                    continue
                destination = target / source.relative_to(bundle)
                destination.parent.mkdir(parents=True, exist_ok=True)
                if not destination.exists():
                    link_or_copy(source, destination)
                    continue
                temporary = destination.with_name(f".{destination.name}.{os.getpid()}.tmp")
                link_or_copy(source, temporary)
                os.replace(temporary, destination)

    def wait(self) -> None:
        self._thread.join()
        if self.errors:
            raise SearchIndexError(self.errors[0])

    def stop(self) -> None:
        with self._lock:
            self._stopped = True
            processes = list(self._processes.values())
        for process in processes:
            process.kill()
        self._thread.join()


def start_indexing(state: BuildState, output_path: Path | str, parts: list[Part] | None = None,
                   cache: ContentCache | None = None, sums: dict[str, str] | None = None) -> None:
    """Start indexing in the background once every page it reads is written (the generator
    calls this after the entry pages), so it indexes while the build writes the open data
    and copies the theme. The run is the build's until `on_finalized` waits for it."""
    stop_indexing(state)
    if parts is None:
        state.indexing = subprocess.Popen(_command(output_path), stdout=subprocess.PIPE,
                                          stderr=subprocess.STDOUT, text=True)
    else:
        state.indexing = Indexer(Path(output_path), parts, cache, sums=sums)


def finish_indexing(state: BuildState, output_path: Path | str) -> None:
    """Wait for the indexing this build started, or index now if none was started."""
    process, state.indexing = state.indexing, None
    if process is None:
        index_site(output_path)
    elif isinstance(process, Indexer):
        process.wait()
        state.search_indexed = process.indexed
    else:
        output, _ = process.communicate()
        _check(Path(output_path) / FOLDER, process.returncode, output)


def stop_indexing(state: BuildState) -> None:
    """Stop the build's indexing if it is still going (the build stopped before it finished)."""
    process, state.indexing = state.indexing, None
    if isinstance(process, Indexer):
        process.stop()
    elif process is not None:
        process.kill()
        process.communicate()


def on_finalized(pelican) -> None:
    # After every page is written, so the index matches the site exactly.
    if pelican.settings.get("CASEHUB_SEARCH", True):
        finish_indexing(state_of(pelican.settings), pelican.output_path)
