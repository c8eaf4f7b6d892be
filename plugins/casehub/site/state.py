"""What one build leaves behind, passed explicitly instead of kept in module globals.

Pelican constructs the generator itself, from settings, so the seam is a setting:
`build.build_site()` puts a fresh `BuildState` in the settings it hands Pelican,
under `CASEHUB_BUILD`. During the build, `EntryGenerator` records itself in it
(`casehub serve` updates single entries through that generator), and the search
step keeps its background Pagefind run there until `on_finalized` waits for it.
`build_site()` returns the state, with the output folder, to its caller; nothing
outlives the build except through what the caller keeps. A plain `pelican` run
(no `build_site()`) gets a state made on first use, in that run's settings.
"""

from __future__ import annotations

import subprocess
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..core.cache import ContentCache
    from .generator import EntryGenerator
    from .search import Indexer

SETTING = "CASEHUB_BUILD"


@dataclass(eq=False)
class BuildState:
    """One build: where it wrote, the generator that wrote the entry pages, and its
    Pagefind run while that is going."""

    output: Path | None = None
    previous: Path | None = None  # the last good site, which the new one is built beside
    notes: list[str] = field(default_factory=list)  # for whoever ran the build: what it could not do well
    generator: EntryGenerator | None = None
    indexing: subprocess.Popen | Indexer | None = None
    cache: ContentCache | None = None  # the content cache the build used (`core/cache.py`)
    search_indexed: list[str] = field(default_factory=list)  # parts of the search index Pagefind indexed
    cached_pages: set[str] = field(default_factory=set)  # entry pages taken from or kept in the cache
    page_sums: dict[str, str] = field(default_factory=dict)  # entry page: the hash of its bytes


def state_of(settings: dict) -> BuildState:
    """The state of the build these settings are for (made and kept in them if there is none)."""
    state = settings.get(SETTING)
    if state is None:
        state = settings[SETTING] = BuildState()
    return state
