"""The built sites the tests read: the sample library, and a large generated one
(CASEHUB_SCALE_ENTRIES entries, 1,000 unless set). Each is made once per run,
however many test processes the run has, and only read after.

Under pytest-xdist each worker has its own session, so a session-scoped fixture
would otherwise build the same site once per worker. Here the first process to
ask makes the folder, under the run's common temporary directory, while any other
waits on a file lock and then reads what it made. The large library can also be
started early, in a background process, so that tests which do not need it run
while it is built.

    python -m tests.support.sites BASE COUNT    (what the background process runs)
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

from casehub.site.build import build
from casehub.site.synthetic import write_site

from . import ROOT

try:
    import fcntl
except ImportError:  # no flock (Windows): each test process makes its own, in its own folder
    fcntl = None

SAMPLE = "site"


def run_folder(tmp_path_factory) -> Path:
    """The temporary directory of the whole run: shared by the xdist workers, fresh each run."""
    base = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER") and fcntl is not None:
        return base.parent
    return base


def made_once(base: Path, name: str, make: Callable[[Path], Path]) -> Path:
    """`make(folder)` for an empty `base/name` the first time `name` is asked for in this
    run; what it returned every time after, in this process or another."""
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


def sample_site(base: Path) -> Path:
    """The sample library, built with production settings and indexed."""
    return made_once(base, SAMPLE, lambda folder: build(ROOT, "publishconf.py", folder))


def scale_count() -> int:
    return int(os.environ.get("CASEHUB_SCALE_ENTRIES", "1000"))


def scale_site(base: Path, count: int) -> Path:
    """A library of `count` generated entries with the sample site's pages and settings,
    built with production settings and indexed."""
    def make(folder):
        root = write_site(ROOT, folder, count)
        return build(root, "publishconf.py", root / "output")

    return made_once(base, f"scale-{count}", make)


def start_scale_site(base: Path, count: int) -> subprocess.Popen | None:
    """Begin building the large library in a background process, unless a process of this
    run already has; `scale_site` then waits for it. Its output goes to a log beside it."""
    if fcntl is None:
        return None
    try:
        os.close(os.open(base / f"scale-{count}.started", os.O_CREAT | os.O_EXCL | os.O_WRONLY))
    except FileExistsError:
        return None
    with open(base / f"scale-{count}.log", "wb") as log:
        return subprocess.Popen([sys.executable, "-m", "tests.support.sites", str(base), str(count)],
                                cwd=ROOT, stdout=log, stderr=subprocess.STDOUT)


def stop(process: subprocess.Popen | None) -> None:
    """Stop a background build that is still going (its folder is then made again if asked for)."""
    if process is not None and process.poll() is None:
        process.terminate()
        process.wait()


if __name__ == "__main__":
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))  # unwind: the build stops its workers and Pagefind
    scale_site(Path(sys.argv[1]), int(sys.argv[2]))
