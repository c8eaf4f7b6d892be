"""Both cores for the work that is the same for every entry (load, check, render).

`map_in_chunks` splits a list into one chunk per core and runs a module-level
function over each chunk in a forked process, returning results in the input
order, so the output is the same as a plain loop's. Small jobs, platforms
without fork, and CASEHUB_WORKERS=1 run in this process.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Sequence

MIN_ITEMS = 400  # below this, starting processes costs more than it saves


def workers() -> int:
    configured = os.environ.get("CASEHUB_WORKERS")
    if configured and configured.isdigit():
        return max(1, int(configured))
    return min(os.cpu_count() or 1, 8)


def map_in_chunks(function: Callable[[Sequence], list], items: Sequence, *args) -> list:
    """`function(chunk, *args)` over chunks of `items`, results concatenated in order."""
    count = workers()
    if count == 1 or len(items) < MIN_ITEMS or "fork" not in multiprocessing.get_all_start_methods():
        return function(items, *args)
    size = -(-len(items) // count)
    chunks = [items[i:i + size] for i in range(0, len(items), size)]
    with multiprocessing.get_context("fork").Pool(len(chunks)) as pool:
        results = pool.starmap(function, [(chunk, *args) for chunk in chunks])
    return [item for result in results for item in result]
