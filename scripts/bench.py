"""Benchmark: generate N synthetic entries, then time validate, build and index.

Each step runs as its own process (the real `casehub` command, the real Pelican
build, the real Pagefind binary), so the seconds and peak memory are what a
user would see. A benchmark, not a test: it prints numbers and asserts nothing.

    python scripts/bench.py --entries 1000 --entries 10000
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "plugins"))

from casehub.project import Project  # noqa: E402
from casehub.search import ENTRY_PAGES  # noqa: E402
from casehub.synthetic import write_library  # noqa: E402

SITE_PARTS = ("content", "data", "theme", "pelicanconf.py", "publishconf.py")


def run_step(argv: list[str], cwd: Path) -> tuple[float, float, int]:
    """Run one step; return (seconds, peak resident memory in MB, exit status)."""
    start = time.perf_counter()
    process = subprocess.Popen(argv, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode not in (0, 1):
        sys.stderr.write(process.stderr.read().decode(errors="replace"))
    process.stderr.close()
    return seconds, usage.ru_maxrss / 1024, process.returncode


HUGO_LAYOUT = {
    "layouts/_default/baseof.html": '<!DOCTYPE html><html lang="en-GB"><head><meta charset="utf-8">'
                                    "<title>{{ .Title }}</title></head><body>{{ block \"main\" . }}{{ end }}"
                                    "</body></html>\n",
    "layouts/_default/single.html": '{{ define "main" }}<main data-pagefind-body><h1>{{ .Title }}</h1>'
                                    "<p>{{ .Params.summary }}</p>{{ .Content }}</main>{{ end }}\n",
    "layouts/_default/list.html": '{{ define "main" }}<main><h1>{{ .Title }}</h1><ul>{{ range .Pages }}'
                                  '<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}</ul></main>'
                                  "{{ end }}\n",
    "hugo.toml": 'baseURL = "http://localhost/"\ntitle = "Hugo reference"\ndisableKinds = ["taxonomy", "term"]\n',
}


def hugo_reference(project_dir: Path, workdir: Path) -> list[tuple[str, float, float, int]]:
    """The same entries through Hugo with a minimal layout, then Pagefind: the speed reference."""
    site = workdir / f"hugo-{project_dir.name}"
    for name, text in HUGO_LAYOUT.items():
        (site / name).parent.mkdir(parents=True, exist_ok=True)
        (site / name).write_text(text, encoding="utf-8")
    shutil.copytree(project_dir / "casestudies", site / "content" / "entries")
    from pagefind_bin import get_executable

    rows = []
    for name, argv in (("hugo", ["hugo", "--quiet", "-d", str(site / "public")]),
                       ("hugo+pf", [str(get_executable()), "--site", str(site / "public"), "--silent"])):
        seconds, peak, status = run_step(argv, site)
        rows.append((name, seconds, peak, status))
    return rows


def edit_to_preview(project_dir: Path, python: str) -> tuple[str, float, float, int]:
    """Seconds from saving an edited entry to `casehub serve` serving the new page."""
    import http.client
    import socket
    import urllib.request

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    server = subprocess.Popen([str(Path(python).with_name("casehub")), "--root", str(project_dir), "serve",
                               "--port", str(port)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    entries = sorted((project_dir / "casestudies").glob("*.md"))
    entry = entries[len(entries) // 2]
    url = f"http://127.0.0.1:{port}/{entry.stem}/"

    def page() -> str:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                return response.read().decode("utf-8")
        except (OSError, http.client.HTTPException):
            return ""

    try:
        deadline = time.monotonic() + 900
        while "<h1" not in page() and time.monotonic() < deadline:
            time.sleep(0.5)
        time.sleep(1)  # let the watcher settle after the first build
        text = entry.read_text(encoding="utf-8")
        start = time.perf_counter()
        entry.write_text(text.replace('title: "', 'title: "Edited ', 1), encoding="utf-8")
        while "Edited " not in page() and time.perf_counter() - start < 120:
            time.sleep(0.02)
        return ("preview", time.perf_counter() - start, 0.0, 0)
    finally:
        server.terminate()
        server.wait(timeout=30)


def bench(count: int, workdir: Path, preview: bool = False) -> list[tuple[str, float, float, int]]:
    project_dir = workdir / f"library-{count}"
    for part in SITE_PARTS:
        source = ROOT / part
        (shutil.copytree if source.is_dir() else shutil.copy)(source, project_dir / part)
    (project_dir / "data" / "collections.yaml").unlink()  # it names the sample library's entries
    started = time.perf_counter()
    write_library(Project(project_dir), project_dir / "casestudies", count)
    generated = time.perf_counter() - started
    python = sys.executable
    casehub = str(Path(python).with_name("casehub"))
    output = project_dir / "output"
    build_code = ("from casehub.build import build; "
                  f"build({str(project_dir)!r}, 'publishconf.py', {str(output)!r}, search=False)")
    from pagefind_bin import get_executable

    rows = [("generate", generated, 0.0, 0)]
    for name, argv in (
        ("validate", [casehub, "--root", str(project_dir), "validate"]),
        ("build", [python, "-c", build_code]),
        ("index", [str(get_executable()), "--site", str(output), "--silent", "--glob", ENTRY_PAGES]),
    ):
        seconds, peak, status = run_step(argv, project_dir)
        rows.append((name, seconds, peak, status))
    pages = sum(1 for _ in output.rglob("*.html"))
    size = sum(p.stat().st_size for p in output.rglob("*") if p.is_file()) / 1e6
    print(f"  {count:,} entries -> {pages:,} pages, {size:,.1f} MB of output", file=sys.stderr)
    if preview:
        rows.append(edit_to_preview(project_dir, python))
    if shutil.which("hugo"):
        hugo = hugo_reference(project_dir, workdir)
        rows += hugo
        ours = sum(r[1] for r in rows if r[0] in ("build", "index"))
        theirs = sum(r[1] for r in hugo)
        print(f"  full build (build + index) {ours:.1f}s; Hugo + Pagefind {theirs:.1f}s; "
              f"ratio {ours / theirs:.2f} (target 1.5)", file=sys.stderr)
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, action="append", help="library size (repeatable); default 10000")
    parser.add_argument("--keep", type=Path, help="keep the generated libraries in this folder")
    parser.add_argument("--preview", action="store_true",
                        help="also time edit-to-preview: save an entry under casehub serve until its page changes")
    args = parser.parse_args()
    sizes = args.entries or [10_000]
    workdir = args.keep or Path(tempfile.mkdtemp(prefix="casehub-bench-"))
    workdir.mkdir(parents=True, exist_ok=True)
    print(f"{'entries':>8} {'step':<9} {'seconds':>8} {'ms/entry':>9} {'peak MB':>8} {'exit':>5}")
    try:
        for count in sizes:
            for name, seconds, peak, status in bench(count, workdir, args.preview):
                peak_text = f"{peak:8.0f}" if peak else f"{'':>8}"
                print(f"{count:>8,} {name:<9} {seconds:8.2f} {1000 * seconds / count:9.3f} {peak_text} "
                      f"{status if name != 'generate' else '':>5}", flush=True)
    finally:
        if not args.keep:
            shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
