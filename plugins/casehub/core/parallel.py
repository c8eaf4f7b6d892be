"""Both cores for the work that is the same for every entry (load, check, render).

`map_in_chunks` splits a list into a few chunks per core and runs a module-level
function over each chunk in a forked process, returning results in the input
order, so the output is the same as a plain loop's. Small jobs, platforms
without fork, and CASEHUB_WORKERS=1 run in this process.
"""

from __future__ import annotations

import contextlib
import gc
import itertools
import multiprocessing
import os
from collections.abc import Callable, Iterator, Sequence

MIN_ITEMS = 400  # below this, starting processes costs more than it saves
CHUNKS_PER_WORKER = 4  # results come back while later chunks are worked on, not all at the end

# The work of each running `map_in_chunks`, by number. A forked worker inherits it, so the
# chunks and arguments (a project, thousands of ids) are never pickled on the way out, and
# whatever the parent already worked out (vocabularies, compiled schemas) comes with them.
_jobs: dict[int, tuple[Callable, list, tuple]] = {}
_numbers = itertools.count()


def workers() -> int:
    configured = os.environ.get("CASEHUB_WORKERS")
    if configured and configured.isdigit():
        return max(1, int(configured))
    return min(os.cpu_count() or 1, 8)


def map_in_chunks(function: Callable[[Sequence], list], items: Sequence, *args,
                  meanwhile: Callable[[], None] | None = None) -> list:
    """`function(chunk, *args)` over chunks of `items`, results concatenated in order.

    `meanwhile()`, if given, runs in this process while the workers work (after they are
    forked, so no thread it starts is copied into them); in this process alone, after."""
    count = workers()
    if count == 1 or len(items) < MIN_ITEMS or "fork" not in multiprocessing.get_all_start_methods():
        results = function(items, *args)
        if meanwhile is not None:
            meanwhile()
        return results
    size = -(-len(items) // (count * CHUNKS_PER_WORKER))
    chunks = [items[i:i + size] for i in range(0, len(items), size)]
    number = next(_numbers)
    _jobs[number] = (function, chunks, args)
    try:
        with multiprocessing.get_context("fork").Pool(min(count, len(chunks))) as pool, collector_paused():
            # Unpickling the results makes many objects and no cycles: nothing for the collector.
            pending = pool.map_async(_run_chunk, [(number, index) for index in range(len(chunks))], chunksize=1)
            if meanwhile is not None:
                meanwhile()
            results = pending.get()
    finally:
        del _jobs[number]
    return [item for result in results for item in result]


def _run_chunk(task: tuple[int, int]) -> list:
    """In a worker: run the function over one chunk of the job it was forked with."""
    number, index = task
    function, chunks, args = _jobs[number]
    return function(chunks[index], *args)


@contextlib.contextmanager
def collector_paused() -> Iterator[None]:
    """No garbage collection for a while: for work that makes thousands of lasting objects
    and no reference cycles. The collector would otherwise walk everything made so far,
    again and again as it grows, and find nothing to free."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
