"""First-search weight: the bytes a reader's browser fetches to load the search page and see results.

Serves a built site on loopback, opens /search/?q=<query> in headless Chromium
with an empty cache, waits for the results, and adds up every byte the server
sent (the page, its CSS and scripts, Pagefind's script and WebAssembly, index
chunks, filters and the result fragments; Pagefind fetches some from a worker,
which the page's own Resource Timing does not see). Text files (HTML, CSS,
JavaScript, JSON, SVG) are sent gzip-compressed, as GitHub Pages and other
static hosts send them; Pagefind's index files are compressed already and go
as they are. The uncompressed total is reported beside it.

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


class _Counting(SimpleHTTPRequestHandler):
    """Serves the site like a static host (text gzip-compressed), noting each path and its bytes."""

    sent: list[tuple[str, int, int]]  # path, bytes sent, bytes of the file

    def do_GET(self):
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
            self.sent.append((self.path, len(body), len(raw)))
            return
        super().do_GET()

    def copyfile(self, source, outputfile):
        data = source.read()
        outputfile.write(data)
        self.sent.append((self.path, len(data), len(data)))

    def log_message(self, format, *args):
        pass


def first_search(site: Path, query: str = "housing") -> dict | None:
    """{'bytes': total, 'requests': n, 'results': shown, 'by_kind': {...}}, or None without Chromium."""
    if not available():
        return None
    sent: list[tuple[str, int, int]] = []
    handler = functools.partial(type("Handler", (_Counting,), {"sent": sent}), directory=str(site))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        with headless_chromium(profile_prefix="casehub-firstsearch-") as driver:
            driver.get(f"http://127.0.0.1:{server.server_address[1]}/search/?q={quote(query)}")
            deadline = time.monotonic() + 60
            shown = 0
            while time.monotonic() < deadline:
                shown = driver.execute_script("return document.querySelectorAll('#search-results > li').length")
                status = driver.execute_script("return document.getElementById('search-status').textContent")
                if shown and "result" in status:
                    break
                time.sleep(0.1)
            time.sleep(0.5)  # let the last fragments land
    finally:
        server.shutdown()
        server.server_close()
    by_kind: dict[str, int] = {}
    for name, size, _ in sent:
        path = name.split("?")[0]
        kind = ("fragment" if "/fragment/" in path else "index" if "/index/" in path
                else "filter" if "/filter/" in path else "wasm" if "wasm" in path
                else path.rsplit(".", 1)[-1] if "." in path.rsplit("/", 1)[-1] else "html")
        by_kind[kind] = by_kind.get(kind, 0) + size
    return {"bytes": sum(by_kind.values()), "uncompressed": sum(raw for _, _, raw in sent),
            "requests": len(sent), "results": shown, "by_kind": by_kind}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("site", type=Path)
    parser.add_argument("--query", default="housing")
    parser.add_argument("--max-kb", type=float, default=BUDGET_KB)
    args = parser.parse_args()
    result = first_search(args.site, args.query)
    if result is None:
        sys.exit(MISSING)
    kinds = ", ".join(f"{k} {v / 1024:.1f}" for k, v in sorted(result["by_kind"].items(), key=lambda kv: -kv[1]))
    print(f"first search for {args.query!r}: {result['bytes'] / 1024:.1f} KB in {result['requests']} requests "
          f"({result['uncompressed'] / 1024:.1f} KB uncompressed), "
          f"{result['results']} results shown ({kinds} KB)")
    sys.exit(0 if result["bytes"] <= args.max_kb * 1024 else 1)


if __name__ == "__main__":
    main()
