"""Lighthouse scores for the home page, an entry and the search page.

Serves a built site on loopback, runs Lighthouse (npm package, installed by
`make lighthouse` into .lighthouse/) with Debian's Chromium, and prints the
four category scores for each page. A report, not a test.

    python scripts/lighthouse.py output/ [--json-dir DIR]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "plugins"))

from casehub.site.build import make_server  # noqa: E402

LIGHTHOUSE = ROOT / ".lighthouse" / "node_modules" / ".bin" / "lighthouse"
PAGES = {"home": "/", "entry": "/stockport-digital-strategy/", "search": "/search/?q=digital"}
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
FLAGS = ("--headless=new --no-sandbox --disable-gpu --disable-background-networking "
         "--disable-component-update --disable-sync --no-first-run")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("site", type=Path, nargs="?", default=ROOT / "output")
    parser.add_argument("--json-dir", type=Path, help="keep each page's full Lighthouse report here")
    args = parser.parse_args()
    chromium = shutil.which("chromium") or shutil.which("google-chrome")
    if not LIGHTHOUSE.exists() or not chromium:
        print("Lighthouse needs `make lighthouse` (npm) and Chromium (apt-get install chromium).", file=sys.stderr)
        return 2
    server = make_server(args.site, "127.0.0.1", 0)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    out = args.json_dir or Path(tempfile.mkdtemp(prefix="casehub-lighthouse-"))
    out.mkdir(parents=True, exist_ok=True)
    print(f"{'page':<8} " + " ".join(f"{c:>15}" for c in CATEGORIES))
    try:
        for name, path in PAGES.items():
            report = out / f"{name}.json"
            subprocess.run([str(LIGHTHOUSE), base + path, "--quiet", f"--chrome-flags={FLAGS}",
                            "--output=json", f"--output-path={report}",
                            f"--only-categories={','.join(CATEGORIES)}"],
                           check=True, env={**os.environ, "CHROME_PATH": chromium})
            scores = json.loads(report.read_text())["categories"]
            print(f"{name:<8} " + " ".join(f"{round(scores[c]['score'] * 100):>15}" for c in CATEGORIES))
    finally:
        server.shutdown()
        server.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
