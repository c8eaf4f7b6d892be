"""Benchmark: generate N synthetic entries, then time validate, build and index.

Each step runs as its own process (the real `casehub` command, the real Pelican
build, the real Pagefind binary), so the seconds and peak memory are what a
user would see. Beside ours: Hugo (if installed) and Pagefind on the same
entries with a minimal layout, in the same run. Then what readers meet at that
size: the heaviest page (compressed HTML and CSS) and the bytes of a first
search in headless Chromium. A benchmark, not a test: it prints numbers and
asserts nothing.

    python scripts/bench.py --entries 1000 --entries 10000 [--preview]
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

from firstsearch import first_search  # noqa: E402
from pageweight import measure as page_weights  # noqa: E402

from casehub.site.search import ENTRY_PAGES  # noqa: E402
from casehub.site.synthetic import write_site  # noqa: E402

# A reader's search for a topic (its word is on about one entry in six), and for a word on most entries.
QUERIES = ("homelessness", "council")
TARGETS = {"ratio": 1.5, "validate_10k": 3.0, "preview": 1.0, "first_search_kb": 300, "page_kb": 14}



def run_step(argv: list[str], cwd: Path) -> tuple[float, float, int]:
    """Run one step; return (seconds, peak resident memory in MB, exit status)."""
    start = time.perf_counter()
    process = subprocess.Popen(argv, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        sys.stderr.write(f"{argv[0]} exited with {process.returncode}:\n")
        sys.stderr.write(process.stderr.read().decode(errors="replace")[-4000:])
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


def hugo_steps(project_dir: Path, workdir: Path) -> list[tuple[str, list[str], Path, Path | None]]:
    """The same entries through Hugo with a minimal layout, then Pagefind: the speed reference."""
    site = workdir / f"hugo-{project_dir.name}"
    for name, text in HUGO_LAYOUT.items():
        (site / name).parent.mkdir(parents=True, exist_ok=True)
        (site / name).write_text(text, encoding="utf-8")
    shutil.copytree(project_dir / "casestudies", site / "content" / "entries")
    from pagefind_bin import get_executable

    return [("hugo", ["hugo", "--quiet", "-d", str(site / "public")], site, site / "public"),
            ("hugo+pf", [str(get_executable()), "--site", str(site / "public"), "--silent"], site, None)]


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


def bench(count: int, workdir: Path, preview: bool = False, repeat: int = 3) -> dict:
    """Every measure for one library size: {step: (seconds, peak MB, exit status)} plus readers' figures.

    Each step runs `repeat` times, ours and Hugo's in turn, and keeps its fastest time (and
    largest peak memory): this machine's background noise only ever adds time. Both builds
    start from an empty output folder, as on CI (clearing the last one is not timed)."""
    project_dir = workdir / f"library-{count}"
    started = time.perf_counter()
    write_site(ROOT, project_dir, count)
    generated = time.perf_counter() - started
    python = sys.executable
    casehub = str(Path(python).with_name("casehub"))
    output = project_dir / "output"
    build_code = ("from casehub.site.build import build; "
                  f"build({str(project_dir)!r}, 'publishconf.py', {str(output)!r}, search=False)")
    # What `casehub build` does: the same, with Pagefind started as soon as the entry pages are written.
    full_code = build_code.replace("search=False", "search=True")
    from pagefind_bin import get_executable

    plan = [("validate", [casehub, "--root", str(project_dir), "validate"], project_dir, None),
            ("build", [python, "-c", build_code], project_dir, output),
            ("index", [str(get_executable()), "--site", str(output), "--silent", "--glob", ENTRY_PAGES], project_dir,
             None),
            ("full", [python, "-c", full_code], project_dir, output)]
    if shutil.which("hugo"):
        plan += hugo_steps(project_dir, workdir)
    steps = {"generate": (generated, 0.0, 0)}
    for _ in range(repeat):
        for name, argv, cwd, clear in plan:
            if clear is not None:
                shutil.rmtree(clear, ignore_errors=True)
                os.sync()  # the deletion's own disk work is done before the clock starts
            seconds, peak, status = run_step(argv, cwd)
            best = steps.get(name)
            steps[name] = (min(seconds, best[0]) if best else seconds, max(peak, best[1]) if best else peak,
                           status or (best[2] if best else 0))
    result = {"count": count, "steps": steps,
              "pages": sum(1 for _ in output.rglob("*.html")),
              "output_mb": sum(p.stat().st_size for p in output.rglob("*") if p.is_file()) / 1e6}
    weights = page_weights(output)
    heaviest = max(weights, key=lambda r: r["html"] + r["css"])
    result["heaviest_page"] = (heaviest["page"], (heaviest["html"] + heaviest["css"]) / 1024)
    result["first_search"] = {query: first_search(output, query) for query in QUERIES}
    if preview:
        steps["preview"] = edit_to_preview(project_dir, python)[1:]
    return result


def seconds(result: dict, *names: str) -> float | None:
    steps = result["steps"]
    return sum(steps[n][0] for n in names) if all(n in steps for n in names) else None


def report(results: list[dict]) -> None:
    """The summary: one row per library size, ours beside Hugo's, then the readers' figures."""
    def cell(value, fmt="{:.2f}"):
        return fmt.format(value) if value is not None else "–"

    print("\n## Speed (seconds, the fastest of the runs)\n")
    print("The full build is `casehub build`: validate, render and index, with Pagefind started as soon as the "
          "entry pages are written. Build and index are the same two parts run one after the other.\n")
    print("| entries | validate | build | index | full build | edit to preview "
          "| Hugo | Pagefind on Hugo | Hugo + Pagefind | ratio |")
    print("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for r in results:
        ours, theirs = seconds(r, "full"), seconds(r, "hugo", "hugo+pf")
        print(f"| {r['count']:,} | {cell(seconds(r, 'validate'))} | {cell(seconds(r, 'build'))} "
              f"| {cell(seconds(r, 'index'))} | {cell(ours)} "
              f"| {cell(seconds(r, 'preview'))} | {cell(seconds(r, 'hugo'))} | {cell(seconds(r, 'hugo+pf'))} "
              f"| {cell(theirs)} | {cell(ours / theirs if ours and theirs else None)} |")
    print(f"\nTargets: ratio <= {TARGETS['ratio']}, validate 10,000 in <= {TARGETS['validate_10k']} s, "
          f"edit to preview <= {TARGETS['preview']} s.")
    print("\n## Growth (milliseconds per entry) and peak memory (MB)\n")
    print("| entries | validate ms | build ms | index ms | validate MB | build MB | index MB | full build MB | Hugo MB "
          "| Pagefind on Hugo MB | pages | output MB |")
    print("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for r in results:
        steps, n = r["steps"], r["count"]
        per = [cell(1000 * steps[s][0] / n) if s in steps else "–" for s in ("validate", "build", "index")]
        peak = [cell(steps[s][1], "{:.0f}") if s in steps else "–"
                for s in ("validate", "build", "index", "full", "hugo", "hugo+pf")]
        print(f"| {n:,} | {' | '.join(per)} | {' | '.join(peak)} | {r['pages']:,} | {r['output_mb']:.0f} |")
    print("\n## Readers at scale\n")
    print("| entries | heaviest page (HTML + CSS, gzip) | "
          + " | ".join(f"first search '{q}' (KB, requests)" for q in QUERIES) + " |")
    print("| ---: | --- | " + " | ".join("---:" for _ in QUERIES) + " |")
    for r in results:
        page, kb = r["heaviest_page"]
        searches = []
        for query in QUERIES:
            found = r["first_search"][query]
            searches.append(f"{found['bytes'] / 1024:.0f} KB ({found['uncompressed'] / 1024:.0f} KB uncompressed), "
                            f"{found['requests']}" if found else "no Chromium")
        print(f"| {r['count']:,} | {page} {kb:.1f} KB | " + " | ".join(searches) + " |")
    print(f"\nTargets: every page <= {TARGETS['page_kb']} KB; a first search <= {TARGETS['first_search_kb']} KB "
          "(text sent gzip-compressed, as static hosts send it).")
    failed = [f"{r['count']:,} {name}" for r in results for name, (_, _, status) in r["steps"].items() if status]
    if failed:
        print("\nSteps that failed (their messages are above): " + ", ".join(failed))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, action="append", help="library size (repeatable); default 10000")
    parser.add_argument("--keep", type=Path, help="keep the generated libraries in this folder")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each step; the fastest is kept (default 3)")
    parser.add_argument("--preview", action="store_true",
                        help="also time edit-to-preview: save an entry under casehub serve until its page changes")
    args = parser.parse_args()
    sizes = args.entries or [10_000]
    workdir = args.keep or Path(tempfile.mkdtemp(prefix="casehub-bench-"))
    workdir.mkdir(parents=True, exist_ok=True)
    results = []
    try:
        for count in sizes:
            result = bench(count, workdir, args.preview, args.repeat)
            results.append(result)
            steps = ", ".join(f"{name} {secs:.2f}s" for name, (secs, _, _) in result["steps"].items())
            print(f"{count:,} entries: {steps}", file=sys.stderr, flush=True)
    finally:
        if not args.keep:
            shutil.rmtree(workdir, ignore_errors=True)
    report(results)


if __name__ == "__main__":
    main()
