"""Seconds and peak memory of one command and every process it starts.

A build forks workers and starts Pagefind, so the peak that matters is of the whole
process tree at one moment, not of the one process the benchmark started, which is
all `wait4`'s ru_maxrss gives (and that counts the benchmark's own memory too: a
child is a copy of its parent until it starts the command). Two ways, the better
one that this machine allows:

- cgroup: the command runs in a memory cgroup of its own (v2, or v1's memory
  hierarchy; it needs write access to /sys/fs/cgroup, as root on Linux). Every 20 ms
  the cgroup's own count of the memory charged to its processes (anonymous memory
  plus the mapped file pages they brought in, each page once however many processes
  share it) is read; the kernel's high-water mark, which also counts the page cache
  the step's written files fill, is kept beside it (in the JSON).
- psutil: elsewhere, the resident set sizes of the command and all its descendants are
  summed every 50 ms. Memory that forked processes share is counted once per process,
  so this can read a little high.

    python scripts/peakmem.py -- casehub build
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

INTERVAL = {"cgroup": 0.02, "psutil": 0.05}  # seconds between samples: a cgroup's count is one read
CGROUP_ROOT = Path("/sys/fs/cgroup")


@dataclass
class Step:
    """What one run of a command cost."""

    seconds: float
    peak_mb: float  # of the whole process tree
    status: int
    stderr: str = ""
    peak_with_cache_mb: float | None = None  # the cgroup's high-water mark, page cache included


class _Cgroup:
    """A memory cgroup made for one run (v2 or v1), removed after it."""

    def __init__(self, base: Path, version: int):
        self.path, self.version = base / f"casehub-bench-{uuid.uuid4().hex[:12]}", version
        self.path.mkdir()

    def resident(self) -> int:
        stat = dict(line.split() for line in (self.path / "memory.stat").read_text().splitlines())
        if self.version == 2:
            return int(stat["anon"]) + int(stat["file_mapped"])
        return int(stat["total_rss"]) + int(stat["total_mapped_file"])

    def high_water(self) -> int:
        name = "memory.peak" if self.version == 2 else "memory.max_usage_in_bytes"
        return int((self.path / name).read_text())

    def remove(self) -> None:
        for _ in range(50):  # the last process can take a moment to leave
            try:
                self.path.rmdir()
                return
            except OSError:
                time.sleep(0.1)


def _cgroup_base() -> tuple[Path, int] | None:
    """Where this process may make a memory cgroup, and the cgroup version, or None."""
    try:
        lines = Path("/proc/self/cgroup").read_text().splitlines()
    except OSError:
        return None
    for line in lines:
        _, controllers, path = line.split(":", 2)
        if "memory" in controllers.split(",") and (CGROUP_ROOT / "memory").is_dir():
            return CGROUP_ROOT / "memory" / path.lstrip("/"), 1
        if controllers == "" and (CGROUP_ROOT / "cgroup.controllers").is_file():
            base = CGROUP_ROOT / path.lstrip("/")
            try:  # a v2 cgroup can only hold processes or cgroups with memory controlled, never both
                if "memory" in (base / "cgroup.subtree_control").read_text().split():
                    return base, 2
            except OSError:
                return None
    return None


def usable_cgroup() -> tuple[Path, int] | None:
    """Where a memory cgroup can be made and read here, and its version, or None."""
    found = _cgroup_base()
    if found is None:
        return None
    try:
        probe = _Cgroup(*found)
    except OSError:
        return None
    try:
        probe.resident()
        probe.high_water()
    except (OSError, KeyError, ValueError):
        return None
    finally:
        probe.remove()
    return found


class PeakMemory:
    """Runs commands and measures them, by cgroup where it can (`method` says which)."""

    def __init__(self, allow_cgroup: bool = True):
        self._cgroup = usable_cgroup() if allow_cgroup else None
        if self._cgroup is None:
            import psutil  # noqa: F401 - fail now, not in the middle of a benchmark

    @property
    def method(self) -> str:
        if self._cgroup:
            return (f"cgroup v{self._cgroup[1]}: the memory charged to the step's own cgroup (anonymous memory "
                    f"and mapped files, each page once; page cache not counted), sampled every "
                    f"{INTERVAL['cgroup'] * 1000:.0f} ms")
        return (f"psutil: resident set sizes summed over the step's process tree, sampled every "
                f"{INTERVAL['psutil'] * 1000:.0f} ms (pages shared between processes counted in each)")

    def run(self, argv: list[str], cwd: Path | None = None, env: dict | None = None) -> Step:
        """Run `argv` to its end; its seconds, peak memory in MB and exit status."""
        cgroup = _Cgroup(*self._cgroup) if self._cgroup else None
        if cgroup:  # the shell joins the cgroup, then becomes the command: nothing it starts escapes
            argv = ["/bin/sh", "-c", 'echo $$ > "$0" && exec "$@"', str(cgroup.path / "cgroup.procs"), *argv]
        start = time.perf_counter()
        process = subprocess.Popen(argv, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        errors: list[bytes] = []
        reader = threading.Thread(target=lambda: errors.append(process.stderr.read()), daemon=True)
        reader.start()  # a full stderr pipe would stop the command
        peak, status = 0, 0
        try:
            while True:
                peak = max(peak, cgroup.resident() if cgroup else _tree_resident(process.pid))
                pid, status = os.waitpid(process.pid, os.WNOHANG)
                if pid:
                    break
                time.sleep(INTERVAL["cgroup" if cgroup else "psutil"])
            seconds = time.perf_counter() - start
            process.returncode = os.waitstatus_to_exitcode(status)
            high_water = cgroup.high_water() if cgroup else None
        finally:
            if process.returncode is None:
                process.kill()
                process.wait()
            reader.join()
            process.stderr.close()
            if cgroup:
                cgroup.remove()
        return Step(seconds, peak / 2**20, process.returncode, b"".join(errors).decode(errors="replace"),
                    high_water / 2**20 if high_water is not None else None)


def _tree_resident(pid: int) -> int:
    import psutil

    try:
        root = psutil.Process(pid)
        processes = [root, *root.children(recursive=True)]
    except psutil.Error:
        return 0
    total = 0
    for process in processes:
        try:
            total += process.memory_info().rss
        except psutil.Error:
            pass
    return total


def main() -> None:
    import argparse

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-cgroup", action="store_true", help="sample the process tree with psutil instead")
    parser.add_argument("command", nargs="+")
    args = parser.parse_args()
    meter = PeakMemory(allow_cgroup=not args.no_cgroup)
    step = meter.run(args.command)
    sys.stderr.write(step.stderr)
    print(f"{step.seconds:.2f} s, peak {step.peak_mb:.0f} MB ({meter.method}), exit status {step.status}")
    sys.exit(step.status)


if __name__ == "__main__":
    main()
