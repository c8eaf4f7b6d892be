"""Page weight: each built page's HTML plus the CSS it links, gzip-compressed.

The bar is one round trip: 14 KB compressed (the first TCP window). Also
reports render-blocking scripts and requests to other origins, which every
page must avoid. Exit status 1 if any page breaks a bar.

    python scripts/pageweight.py output/ [--max-kb 14] [--quiet]
"""

from __future__ import annotations

import argparse
import gzip
import sys
from html.parser import HTMLParser
from pathlib import Path


class _Resources(HTMLParser):
    """Collects stylesheets, scripts and other subresources a page loads."""

    def __init__(self):
        super().__init__()
        self.stylesheets: list[str] = []
        self.blocking_scripts: list[str] = []
        self.external: list[str] = []
        self.in_head = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "head":
            self.in_head = True
        elif tag == "body":
            self.in_head = False
        url = None
        if tag == "link" and attrs.get("href"):
            url = attrs["href"]
            if "stylesheet" in (attrs.get("rel") or "").split():
                self.stylesheets.append(url)
        elif tag in ("script", "img", "iframe", "source", "video", "audio") and attrs.get("src"):
            url = attrs["src"]
            if tag == "script" and self.in_head and attrs.get("type") != "module" \
                    and "defer" not in attrs and "async" not in attrs:
                self.blocking_scripts.append(url)
        if url and url.startswith(("http://", "https://", "//")):
            self.external.append(url)


def compressed(data: bytes) -> int:
    return len(gzip.compress(data, compresslevel=6, mtime=0))


def measure(site: Path) -> list[dict]:
    """One row per page: its path, compressed HTML and CSS bytes, and any problems."""
    rows = []
    css_cache: dict[str, int] = {}
    for page in sorted(site.rglob("*.html")):
        if "pagefind" in page.relative_to(site).parts:
            continue
        html = page.read_bytes()
        parser = _Resources()
        parser.feed(html.decode("utf-8", errors="replace"))
        css = 0
        for href in parser.stylesheets:
            path = site / href.split("?")[0].lstrip("/")
            if href not in css_cache:
                css_cache[href] = compressed(path.read_bytes()) if path.is_file() else 0
            css += css_cache[href]
        rows.append({"page": str(page.relative_to(site)), "html": compressed(html), "css": css,
                     "blocking": parser.blocking_scripts, "external": parser.external})
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("site", type=Path)
    parser.add_argument("--max-kb", type=float, default=14.0)
    parser.add_argument("--quiet", action="store_true", help="print only the pages that break a bar")
    args = parser.parse_args(argv)
    limit = args.max_kb * 1024
    failures = 0
    rows = measure(args.site)
    print(f"{'page':<60} {'html':>7} {'css':>7} {'total KB':>9}")
    for row in rows:
        total = row["html"] + row["css"]
        problems = []
        if total > limit:
            problems.append(f"over {args.max_kb:g} KB")
        if row["blocking"]:
            problems.append("render-blocking script")
        if row["external"]:
            problems.append("third-party request: " + ", ".join(row["external"]))
        failures += bool(problems)
        if problems or not args.quiet:
            print(f"{row['page']:<60} {row['html']:>7} {row['css']:>7} {total / 1024:>9.1f}"
                  + (f"  {'; '.join(problems)}" if problems else ""))
    heaviest = max(rows, key=lambda r: r["html"] + r["css"])
    print(f"{len(rows)} pages; heaviest {heaviest['page']} at "
          f"{(heaviest['html'] + heaviest['css']) / 1024:.1f} KB; {failures} over a bar")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
