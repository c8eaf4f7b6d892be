"""What `casehub import markdown` keeps of a corpus: time, and the share of words, links and images.

    python scripts/import_measure.py [N]        (N defaults to 1000)

Writes the corpus of scripts/make_import_corpus.py (Hugo and Jekyll shapes, messy on
purpose) into a scratch project, imports it, and compares each written entry's body with
its source file's: words (letters only, markup, shortcodes and Liquid left out), links
with a target, and images; then imports it again (which should write nothing). Prints
one summary; the scratch folder is removed.
"""

from __future__ import annotations

import collections
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "plugins"))

from casehub.core.loader import load  # noqa: E402
from casehub.core.project import Project  # noqa: E402
from casehub.exchange.importers import ImportOptions, build_mapping, prepare  # noqa: E402
from casehub.site.synthetic import write_site  # noqa: E402

FRONT = re.compile(r"\A(?:---|\+\+\+)\n.*?\n(?:---|\+\+\+)\n", re.DOTALL)
NOISE = re.compile(r"\{\{[<%].*?[%>]\}\}|\{%.*?%\}|\{\{.*?\}\}|<[^>]*>|\]\([^)]*\)|https?://\S+|\{:[^}]*\}")
WORD = re.compile(r"[A-Za-z][A-Za-z'’]+")
SOURCE_LINKS = re.compile(r"(?<!!)\[[^\]]+\]\([^)\s]+|<a\s[^>]*href="
                          r"|\{\{[<%]\s*(?:rel)?ref\s|\{%\s*(?:link|post_url)\s")
SOURCE_IMAGES = re.compile(r"!\[[^\]]*\]\([^)]+\)|<img\s|\{\{[<%]\s*(?:figure|img|image)\s|\{%\s*include\s+image")
OUT_LINKS = re.compile(r"(?<!!)\[[^\]]+\]\([^)\s]+")
OUT_IMAGES = re.compile(r"!\[[^\]]*\]\([^)\s]+")


def words(text: str) -> collections.Counter:
    return collections.Counter(w.lower() for w in WORD.findall(NOISE.sub(" ", text)))


def main(count: int) -> None:
    with tempfile.TemporaryDirectory(prefix="casehub-measure-") as scratch:
        scratch = Path(scratch)
        corpus = scratch / "corpus"
        subprocess.run([sys.executable, str(ROOT / "scripts" / "make_import_corpus.py"), str(count), str(corpus)],
                       check=True, capture_output=True)
        project = Project(write_site(ROOT, scratch / "site", 0))
        options = ImportOptions(mapping=build_mapping(project, None, {}, {}))
        started = time.perf_counter()
        report = prepare(project, "markdown", corpus, options).run()
        seconds = time.perf_counter() - started
        totals = collections.Counter()
        for outcome in report.outcomes:
            if not outcome.path:
                continue
            source = (corpus / outcome.origin).read_text(encoding="utf-8", errors="replace")
            body = FRONT.sub("", source, count=1)
            written = load(project.root / outcome.path).body
            had, kept = words(body), words(written)
            totals["words"] += sum(had.values())
            totals["words kept"] += sum(min(n, kept[w]) for w, n in had.items())
            totals["links"] += len(SOURCE_LINKS.findall(body))
            totals["links kept"] += len(OUT_LINKS.findall(written))
            totals["images"] += len(SOURCE_IMAGES.findall(body))
            totals["images kept"] += len(OUT_IMAGES.findall(written))
        statuses = collections.Counter(o.status for o in report.outcomes)
        print(f"{count} source files imported in {seconds:.1f} s: " +
              ", ".join(f"{n} {status}" for status, n in sorted(statuses.items())))
        for kind in ("words", "links", "images"):
            share = totals[f"{kind} kept"] / totals[kind] if totals[kind] else 1
            print(f"{kind}: {totals[f'{kind} kept']:,} of {totals[kind]:,} kept ({100 * min(share, 1):.1f}%)")
        started = time.perf_counter()
        again = prepare(project, "markdown", corpus, options).run()
        statuses = collections.Counter(o.status for o in again.outcomes)
        print(f"imported again in {time.perf_counter() - started:.1f} s: " +
              ", ".join(f"{n} {status}" for status, n in sorted(statuses.items())))


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 1000)
