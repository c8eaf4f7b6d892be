"""Benchmark: generate N synthetic entries, build them as CI would, cold and warm, beside Hugo.

Each step runs as its own process (the real `casehub` command, the real Pelican
build, the real Pagefind binary), so the seconds and peak memory are what a user
would see; peak memory is of the step's whole process tree (scripts/peakmem.py).
Per library size, in one run:

- cold build: `casehub build` from an empty output folder and an empty cache;
- warm build: one entry's text changed, then `casehub build` into an empty output
  folder with the cache the cold build filled (CASEHUB_CACHE), as a CI run that
  restores its cache; and again with the last output left in place;
- edit to preview (--preview): an entry saved under `casehub serve` until its page changes;
- Hugo and Pagefind on the same entries with a minimal layout, cold;
- what readers meet: the heaviest page (compressed HTML and CSS) and the bytes of a
  search in headless Chromium, until its first results and until it is complete.

Then each target of the issue, met or not. A benchmark, not a test: it prints
numbers (Markdown, and JSON with --json) and asserts nothing.

    python scripts/bench.py --sizes 1000,10000 [--preview] [--repeat 3] [--json bench.json]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "plugins"))

from benchreport import CACHE_NOTE, evaluate, markdown  # noqa: E402
from firstsearch import first_search  # noqa: E402
from pageweight import measure as page_weights  # noqa: E402
from peakmem import PeakMemory  # noqa: E402

from casehub.site.search import ENTRY_PAGES  # noqa: E402
from casehub.site.synthetic import write_site  # noqa: E402

# A reader's search for a topic (its word is on about one entry in six), and for a word on most entries.
QUERIES = ("homelessness", "council")
DEFAULT_SIZES = (10_000,)

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


def hugo_site(project_dir: Path, workdir: Path) -> Path:
    """The same entries as a Hugo site with a minimal layout: the speed reference."""
    site = workdir / f"hugo-{project_dir.name}"
    for name, text in HUGO_LAYOUT.items():
        (site / name).parent.mkdir(parents=True, exist_ok=True)
        (site / name).write_text(text, encoding="utf-8")
    shutil.copytree(project_dir / "casestudies", site / "content" / "entries")
    return site


def empty(*folders: Path) -> None:
    """Remove folders before a timed step; their deletion's own disk work ends before the clock starts."""
    for folder in folders:
        shutil.rmtree(folder, ignore_errors=True)
    os.sync()


def folder_mb(folder: Path) -> float:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file()) / 1e6 if folder.is_dir() else 0.0


def edit_to_preview(project_dir: Path, casehub: str, env: dict) -> float:
    """Seconds from saving an edited entry to `casehub serve` serving the new page."""
    import http.client
    import socket
    import urllib.request

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    server = subprocess.Popen([casehub, "--root", str(project_dir), "serve", "--port", str(port)], env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    entries = sorted((project_dir / "casestudies").glob("*.md"))
    entry = entries[len(entries) // 2]
    url = f"http://127.0.0.1:{port}/{entry.stem}/"

    def page() -> str:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                return response.read().decode("utf-8")
        except (OSError, http.client.HTTPException):
            return ""

    text = entry.read_text(encoding="utf-8")
    try:
        deadline = time.monotonic() + 1800
        while "<h1" not in page() and time.monotonic() < deadline:
            time.sleep(0.5)
        time.sleep(1)  # let the watcher settle after the first build
        start = time.perf_counter()
        entry.write_text(text.replace('title: "', 'title: "Edited ', 1), encoding="utf-8")
        while "Edited " not in page() and time.perf_counter() - start < 120:
            time.sleep(0.02)
        return time.perf_counter() - start
    finally:
        server.terminate()
        server.wait(timeout=30)
        entry.write_text(text, encoding="utf-8")


def progress(count: int, what: str) -> None:
    """A line on stderr as each part ends, since a large size runs for many minutes."""
    print(f"{time.strftime('%H:%M:%S')} {count:,} entries: {what}", file=sys.stderr, flush=True)


class Steps:
    """Each step's fastest time, largest peak memory and any failure, over the runs."""

    def __init__(self, meter: PeakMemory, count: int):
        self.meter, self.count, self.found = meter, count, {}

    def run(self, name: str, argv: list[str], cwd: Path, env: dict | None = None) -> None:
        step = self.meter.run(argv, cwd, env)
        progress(self.count, f"{name} {step.seconds:.2f} s, peak {step.peak_mb:.0f} MB"
                             + (f", exit status {step.status}" if step.status else ""))
        if step.status:
            sys.stderr.write(f"{name}: {argv[0]} exited with {step.status}:\n{step.stderr[-4000:]}\n")
        best = self.found.get(name)
        self.found[name] = {
            "seconds": min(step.seconds, best["seconds"]) if best else step.seconds,
            "peak_mb": max(step.peak_mb, best["peak_mb"]) if best else step.peak_mb,
            "peak_with_cache_mb": max(filter(None, (step.peak_with_cache_mb, best and best["peak_with_cache_mb"])),
                                      default=None),
            "status": step.status or (best["status"] if best else 0),
            "runs": (best["runs"] if best else 0) + 1,
        }


def bench(count: int, workdir: Path, meter: PeakMemory, preview: bool = False, repeat: int = 3,
          parts: bool = False, queries: tuple[str, ...] = QUERIES) -> dict:
    """Every measure for one library size (see the module's docstring), as a dict for the report.

    Each step runs `repeat` times, ours and Hugo's in turn, and keeps its fastest time (and
    largest peak memory): this machine's background noise only ever adds time."""
    project_dir = workdir / f"library-{count}"
    started = time.perf_counter()
    write_site(ROOT, project_dir, count)
    generated = time.perf_counter() - started
    progress(count, f"generated in {generated:.1f} s")
    python = sys.executable
    casehub = str(Path(python).with_name("casehub"))
    output, cache = project_dir / "output", workdir / f"cache-{count}"
    env = {**os.environ, "CASEHUB_CACHE": str(cache)}
    build = [casehub, "--root", str(project_dir), "build", "--output", str(output)]
    entries = sorted((project_dir / "casestudies").glob("*.md"))
    edited = entries[len(entries) // 3]  # not the one edit-to-preview changes
    original = edited.read_text(encoding="utf-8")
    from pagefind_bin import get_executable

    pagefind = str(get_executable())
    hugo = hugo_site(project_dir, workdir) if shutil.which("hugo") else None
    steps = Steps(meter, count)
    cache_mb = 0.0
    for run in range(repeat):
        if parts:  # the build without search, then Pagefind on its pages: where the cold time goes
            empty(output, cache, project_dir / ".casehub-cache")
            code = ("from casehub.site.build import build; "
                    f"build({str(project_dir)!r}, 'publishconf.py', {str(output)!r}, search=False, cache=False)")
            steps.run("render", [python, "-c", code], project_dir, env)
            steps.run("index", [pagefind, "--site", str(output), "--silent", "--glob", ENTRY_PAGES], project_dir)
        steps.run("validate", [casehub, "--root", str(project_dir), "validate"], project_dir, env)
        empty(output, cache, project_dir / ".casehub-cache")
        steps.run("cold", build, project_dir, env)
        cache_mb = folder_mb(cache) or folder_mb(project_dir / ".casehub-cache")
        if hugo:
            empty(hugo / "public")
            steps.run("hugo", ["hugo", "--quiet", "-d", str(hugo / "public")], hugo)
            steps.run("hugo+pf", [pagefind, "--site", str(hugo / "public"), "--silent"], hugo)
        edited.write_text(original.rstrip("\n") + f"\n\nA sentence the benchmark added in run {run}.\n",
                          encoding="utf-8")
        empty(output)
        steps.run("warm", build, project_dir, env)
        edited.write_text(original.rstrip("\n") + f"\n\nAnother sentence, run {run}.\n", encoding="utf-8")
        steps.run("warm-kept", build, project_dir, env)
    edited.write_text(original, encoding="utf-8")
    result = {"count": count, "generate_seconds": generated, "steps": steps.found, "cache_mb": cache_mb,
              "pages": sum(1 for _ in output.rglob("*.html")), "output_mb": folder_mb(output)}
    weights = page_weights(output)
    progress(count, "pages weighed")
    heaviest = max(weights, key=lambda r: r["html"] + r["css"])
    result["heaviest_page"] = {"page": heaviest["page"], "kb": (heaviest["html"] + heaviest["css"]) / 1024}
    result["first_search"] = {query: first_search(output, query) for query in queries}
    progress(count, "searched")
    if preview:
        result["preview_seconds"] = edit_to_preview(project_dir, casehub, env)
        progress(count, f"edit to preview {result['preview_seconds']:.2f} s")
    result["targets"] = evaluate(result)
    return result


def sizes_from(args: argparse.Namespace) -> list[int]:
    sizes = list(args.entries or [])
    for text in args.sizes or []:
        sizes += [int(part.replace("_", "")) for part in text.replace(",", " ").split()]
    return sizes or list(DEFAULT_SIZES)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", action="append", metavar="N[,N…]",
                        help="library sizes, separated by commas or spaces: --sizes 10000,50000 (default 10000)")
    parser.add_argument("--entries", type=int, action="append", metavar="N", help="one library size (repeatable)")
    parser.add_argument("--keep", type=Path, help="keep the generated libraries and builds in this folder")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each step; the fastest is kept (default 3)")
    parser.add_argument("--preview", action="store_true",
                        help="also time edit-to-preview: save an entry under casehub serve until its page changes")
    parser.add_argument("--parts", action="store_true",
                        help="also time the build without search and Pagefind on its pages, one after the other")
    parser.add_argument("--json", type=Path, metavar="FILE", help="also write every figure to FILE as JSON")
    parser.add_argument("--no-cgroup", action="store_true",
                        help="measure memory by sampling the process tree with psutil even where cgroups work")
    args = parser.parse_args()
    meter = PeakMemory(allow_cgroup=not args.no_cgroup)
    workdir = args.keep or Path(tempfile.mkdtemp(prefix="casehub-bench-"))
    workdir.mkdir(parents=True, exist_ok=True)
    results = []
    try:
        for count in sizes_from(args):
            result = bench(count, workdir, meter, args.preview, args.repeat, args.parts)
            results.append(result)
    finally:
        if not args.keep:
            shutil.rmtree(workdir, ignore_errors=True)
    print(markdown(results, meter.method, args.repeat))
    if any(not r["cache_mb"] for r in results):
        print(CACHE_NOTE)
    if args.json:
        args.json.write_text(json.dumps({"memory": meter.method, "repeat": args.repeat, "results": results},
                                        indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
