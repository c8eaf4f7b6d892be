"""Search: runs the real Pagefind binary over the built site.

Pagefind indexes only elements marked `data-pagefind-body` (entry pages), with
the filters and sort keys the entry template declares. This module only runs
the indexer; the search page's behaviour lives in the theme.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

from pagefind_bin import get_executable

from .findings import CasehubError

# Entry pages: ours at <id>/index.html, partner hubs' at hubs/<hub>/<id>/index.html.
ENTRY_PAGES = "{*,hubs/*/*}/index.html"


class SearchIndexError(CasehubError):
    """Pagefind could not index the site."""


def index_site(output_path: Path | str) -> None:
    """Write the search index into `<output>/pagefind/`."""
    result = subprocess.run(
        # Reading only entry pages (not the thousands of
        # listing pages, which have no data-pagefind-body) cuts indexing time by half.
        [str(get_executable()), "--site", str(output_path), "--output-subdir", "pagefind", "--silent",
         "--glob", ENTRY_PAGES],
        capture_output=True, text=True, check=False,
    )
    if result.returncode != 0:
        raise SearchIndexError(f"Pagefind failed to index {output_path}:\n{result.stdout}{result.stderr}")


def on_finalized(pelican) -> None:
    # After every page is written, so the index matches the site exactly.
    if pelican.settings.get("CASEHUB_SEARCH", True):
        index_site(pelican.output_path)
