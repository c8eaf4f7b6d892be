"""First-search weight: the bytes a reader's browser fetches to load the search page and see results.

Serves a built site on loopback, opens /search/?q=<query> in headless Chromium
with an empty cache, and adds up every byte the server sent (the page, its CSS
and scripts, Pagefind's script and WebAssembly, index chunks, filters and the
result fragments; Pagefind fetches some from a worker, which the page's own
Resource Timing does not see). Text files (HTML, CSS, JavaScript, JSON, SVG) are
sent gzip-compressed, as GitHub Pages and other static hosts send them;
Pagefind's index files are compressed already and go as they are. The
uncompressed total is reported beside it.

Two moments are measured. The first search: every request the browser started
before the first results were on the screen (a script watching the page notes
that moment). Complete: every request until the search has looked through the
whole index, which the page says with data-search-state="complete" on
#search-results while it shows results from the newest part of a partitioned
index first ("partial" while older parts load). A page without the attribute
searches its one index at once, so it is complete when the first results show.

    python scripts/firstsearch.py output/ [--query housing] [--max-kb 300]
"""

from __future__ import annotations

import argparse
import functools
import gzip
import sys
import threading
import time
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import quote

from headless_chromium import MISSING, available, headless_chromium

BUDGET_KB = 300
COMPRESSED_TYPES = (".html", ".css", ".js", ".mjs", ".json", ".svg", ".xml")
# How long a page without data-search-state may take to add it after its first results.
STATE_GRACE = 1.5

# Runs in the page before its own scripts: notes (Date.now(), shared with the server's
# clock) when the first results are shown and when the search is complete.
WATCHER = """
window.__firstSearch = {first: null, complete: null, state: null, seen: []};
const note = () => {
  const moments = window.__firstSearch;
  const list = document.getElementById("search-results");
  const status = document.getElementById("search-status");
  if (!list) return;
  const state = list.getAttribute("data-search-state");
  if (state !== moments.state) { moments.state = state; moments.seen.push(state); }
  if (moments.first === null && list.querySelector(":scope > li") && status
      && status.textContent.includes("result")) moments.first = Date.now();
  if (moments.first !== null && moments.complete === null && state === "complete") moments.complete = Date.now();
};
new MutationObserver(note).observe(document, {subtree: true, childList: true, characterData: true,
                                             attributes: true, attributeFilter: ["data-search-state"]});
"""


class _Counting(SimpleHTTPRequestHandler):
    """Serves the site like a static host (text gzip-compressed), noting each request's
    path, bytes sent, bytes of the file and when it arrived."""

    sent: list[tuple[str, int, int, float]]

    def do_GET(self):
        self.arrived = time.time()
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            path = path / "index.html"
        if (path.suffix in COMPRESSED_TYPES and path.is_file()
                and "gzip" in self.headers.get("Accept-Encoding", "")):
            raw = path.read_bytes()
            body = gzip.compress(raw, compresslevel=6, mtime=0)
            self.send_response(200)
            self.send_header("Content-Type", self.guess_type(str(path)))
            self.send_header("Content-Encoding", "gzip")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
            self.sent.append((self.path, len(body), len(raw), self.arrived))
            return
        super().do_GET()

    def copyfile(self, source, outputfile):
        data = source.read()
        outputfile.write(data)
        self.sent.append((self.path, len(data), len(data), self.arrived))

    def log_message(self, format, *args):
        pass


def kind_of(request_path: str) -> str:
    """What a request fetched, for the breakdown: fragment, index, filter, wasm, or the file type."""
    path = request_path.split("?")[0]
    return ("fragment" if "/fragment/" in path else "index" if "/index/" in path
            else "filter" if "/filter/" in path else "wasm" if "wasm" in path
            else path.rsplit(".", 1)[-1] if "." in path.rsplit("/", 1)[-1] else "html")


def tally(sent: list[tuple[str, int, int, float]], until: float) -> dict:
    """Bytes (as sent, and uncompressed), requests and bytes by kind of the requests that arrived by `until`."""
    chosen = [row for row in sent if row[3] <= until]
    by_kind: dict[str, int] = {}
    for path, size, _, _ in chosen:
        by_kind[kind_of(path)] = by_kind.get(kind_of(path), 0) + size
    return {"bytes": sum(by_kind.values()), "uncompressed": sum(row[2] for row in chosen),
            "requests": len(chosen), "by_kind": by_kind}


def first_search(site: Path, query: str = "housing", timeout: float = 60) -> dict | None:
    """The first search's {'bytes', 'uncompressed', 'requests', 'by_kind', 'results' (shown),
    'seconds'} and the same for the whole search under 'complete' (with 'states': the
    data-search-state values the page went through, and 'reached': False when the results
    or the complete state did not come within `timeout`), or None without Chromium."""
    if not available():
        return None
    sent: list[tuple[str, int, int, float]] = []
    handler = functools.partial(type("Handler", (_Counting,), {"sent": sent}), directory=str(site))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        with headless_chromium(profile_prefix="casehub-firstsearch-") as driver:
            driver.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": WATCHER})
            opened = time.time()
            driver.get(f"http://127.0.0.1:{server.server_address[1]}/search/?q={quote(query)}")
            moments = _wait(driver, timeout)
            shown = driver.execute_script("return document.querySelectorAll('#search-results > li').length")
            time.sleep(0.5)  # let the last requests land
    finally:
        server.shutdown()
        server.server_close()
    ended = time.time()
    first = moments["first"] / 1000 if moments["first"] is not None else ended
    complete = moments["complete"] / 1000 if moments["complete"] is not None else first
    states = [state for state in moments["seen"] if state]
    return {**tally(sent, first), "results": moments["shown_first"], "seconds": first - opened,
            "complete": {**tally(sent, ended), "results": shown, "seconds": complete - opened, "states": states,
                         "reached": moments["first"] is not None and (not states or moments["complete"] is not None)}}


def _wait(driver, timeout: float) -> dict:
    """The watcher's moments once the search is complete (or `timeout` has passed)."""
    deadline = time.monotonic() + timeout
    read = "return Object.assign({}, window.__firstSearch)"
    moments, shown_first, first_seen = driver.execute_script(read), 0, None
    while time.monotonic() < deadline:
        moments = driver.execute_script(read)
        if moments["first"] is not None:
            if first_seen is None:
                first_seen = time.monotonic()
                shown_first = driver.execute_script("return document.querySelectorAll('#search-results > li').length")
            if moments["complete"] is not None:
                break
            # No data-search-state by now: one index, searched whole at once.
            if not any(moments["seen"]) and time.monotonic() - first_seen > STATE_GRACE:
                break
        time.sleep(0.05)
    return {**moments, "shown_first": shown_first}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("site", type=Path)
    parser.add_argument("--query", default="housing")
    parser.add_argument("--max-kb", type=float, default=BUDGET_KB)
    args = parser.parse_args()
    result = first_search(args.site, args.query)
    if result is None:
        sys.exit(MISSING)
    for label, figures in (("first search", result), ("complete search", result["complete"])):
        kinds = ", ".join(f"{k} {v / 1024:.1f}" for k, v in sorted(figures["by_kind"].items(), key=lambda kv: -kv[1]))
        print(f"{label} for {args.query!r}: {figures['bytes'] / 1024:.1f} KB in {figures['requests']} requests "
              f"({figures['uncompressed'] / 1024:.1f} KB uncompressed), {figures['results']} results shown "
              f"after {figures['seconds']:.2f} s ({kinds} KB)")
    sys.exit(0 if result["bytes"] <= args.max_kb * 1024 else 1)


if __name__ == "__main__":
    main()
