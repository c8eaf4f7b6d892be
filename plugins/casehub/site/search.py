"""Search: runs the real Pagefind binary over the built site.

Pagefind indexes only elements marked `data-pagefind-body` (entry pages), with
the filters and sort keys the entry template declares. This module only runs
the indexer (during a build, in the background from the moment the entry pages
are written, the run kept in the build's `state.BuildState`); the search page's
behaviour lives in the theme.
"""

from __future__ import annotations

import gzip
import json
import subprocess
import zlib
from pathlib import Path

from pagefind_bin import get_executable

from ..core.findings import CasehubError
from .pagefindfiles import canonicalise
from .state import BuildState, state_of

# Entry pages: ours at <id>/index.html, partner hubs' at hubs/<hub>/<id>/index.html.
ENTRY_PAGES = "{*,hubs/*/*}/index.html"


class SearchIndexError(CasehubError):
    """Pagefind could not index the site."""


def _command(output_path: Path | str) -> list[str]:
    # Reading only entry pages (not the thousands of
    # listing pages, which have no data-pagefind-body) cuts indexing time by half.
    return [str(get_executable()), "--site", str(output_path), "--output-subdir", "pagefind", "--silent",
            "--glob", ENTRY_PAGES]


def _check(output_path, returncode: int, output: str) -> None:
    if returncode != 0:
        raise SearchIndexError(f"Pagefind failed to index {output_path}:\n{output}")
    verify_index(Path(output_path) / "pagefind")
    canonicalise(Path(output_path) / "pagefind")


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
    """Write the search index into `<output>/pagefind/`."""
    result = subprocess.run(_command(output_path), capture_output=True, text=True, check=False)
    _check(output_path, result.returncode, result.stdout + result.stderr)


def start_indexing(state: BuildState, output_path: Path | str) -> None:
    """Start Pagefind in the background once every page it reads is written (the generator
    calls this after the entry pages), so it indexes while the build writes the open data
    and copies the theme. The run is the build's until `on_finalized` waits for it."""
    stop_indexing(state)
    state.indexing = subprocess.Popen(_command(output_path), stdout=subprocess.PIPE,
                                      stderr=subprocess.STDOUT, text=True)


def finish_indexing(state: BuildState, output_path: Path | str) -> None:
    """Wait for the Pagefind run this build started, or run it now if none was."""
    process, state.indexing = state.indexing, None
    if process is None:
        index_site(output_path)
        return
    output, _ = process.communicate()
    _check(output_path, process.returncode, output)


def stop_indexing(state: BuildState) -> None:
    """Stop the build's Pagefind run if it is still going (the build stopped before it finished)."""
    process, state.indexing = state.indexing, None
    if process is not None:
        process.kill()
        process.communicate()


def on_finalized(pelican) -> None:
    # After every page is written, so the index matches the site exactly.
    if pelican.settings.get("CASEHUB_SEARCH", True):
        finish_indexing(state_of(pelican.settings), pelican.output_path)
