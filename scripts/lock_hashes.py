"""Add every published file's sha256 to requirements.lock, so pip installs with --require-hashes.

`make lock` runs this after `pip freeze`. For each pinned `name==version` it reads the
package's PyPI simple index (PEP 503) and lists the hashes of all that release's files
(every platform's wheels and the sdist), so the same lock installs on any machine and a
tampered download is refused. Usage: python scripts/lock_hashes.py requirements.lock
"""

from __future__ import annotations

import re
import sys
import urllib.request
from pathlib import Path

INDEX = "https://pypi.org/simple"
PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s;\\]+)")
LINK = re.compile(r'href="[^"#]*/([^/"#]+)#sha256=([0-9a-f]{64})"')


def normalise(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def release_hashes(name: str, version: str) -> list[str]:
    request = urllib.request.Request(f"{INDEX}/{normalise(name)}/", headers={"Accept": "text/html"})
    with urllib.request.urlopen(request, timeout=60) as response:
        page = response.read().decode("utf-8")
    stem = re.sub(r"[-_.]+", "[-_.]", re.escape(normalise(name)).replace("\\-", "-"))
    ours = re.compile(rf"^{stem}-{re.escape(version)}(?:-|\.tar\.gz$|\.zip$)", re.IGNORECASE)
    hashes = sorted({digest for filename, digest in LINK.findall(page) if ours.match(filename)})
    if not hashes:
        raise SystemExit(f"no files for {name}=={version} on {INDEX}")
    return hashes


def main(path: str) -> None:
    lock = Path(path)
    lines = []
    for line in lock.read_text(encoding="utf-8").splitlines():
        match = PIN.match(line)
        if not match:
            if line.strip().startswith("--hash"):
                continue  # an earlier run's hashes: made again below
            lines.append(line)
            continue
        name, version = match.groups()
        hashes = release_hashes(name, version)
        lines.append(f"{name}=={version} \\")
        last = len(hashes) - 1
        lines += [f"    --hash=sha256:{digest}" + (" \\" if i < last else "") for i, digest in enumerate(hashes)]
    lock.write_text("\n".join(lines) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "requirements.lock")
