"""A folder made once per test run and shared by every test process of it.

Under pytest-xdist each worker has its own session, so a session-scoped fixture
would otherwise build the same site once per worker. Here the first worker to ask
makes the folder, under the run's common temporary directory, while the others
wait on a file lock and then read what it made. Only for folders the tests read
and never change."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from pathlib import Path

try:
    import fcntl
except ImportError:  # no flock (Windows): each test process makes its own
    fcntl = None


def run_folder(tmp_path_factory) -> Path:
    """The temporary directory of the whole run: shared by the xdist workers, fresh each run."""
    base = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER") and fcntl is not None:
        return base.parent
    return base


def made_once(tmp_path_factory, name: str, make: Callable[[Path], Path]) -> Path:
    """`make(folder)` for an empty `folder` the first time `name` is asked for in this run;
    what it returned every time after, in this process or another."""
    base = run_folder(tmp_path_factory)
    folder, done = base / name, base / f"{name}.done"
    with open(base / f"{name}.lock", "w") as lock:
        if fcntl is not None:
            fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file closes
        if done.exists():
            return Path(done.read_text(encoding="utf-8"))
        shutil.rmtree(folder, ignore_errors=True)  # what an attempt that failed left
        folder.mkdir()
        made = make(folder)
        done.write_text(str(made), encoding="utf-8")
        return made
