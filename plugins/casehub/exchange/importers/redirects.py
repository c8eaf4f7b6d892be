"""A redirect map from an import: each old address of an imported page to its new entry.

`casehub import … --redirects FILE` writes one, in the form its name asks for:

- a `.csv` file: `old,new,entry,status`, one row an old address (the
  original's web address when the site's address is known, else its path),
  for a spreadsheet, a script or a host's bulk redirect import;
- any other name (`_redirects`): Netlify's and Cloudflare Pages' format,
  `/old/path /new-id/ 301`, one line a path.

New addresses are the entry pages' paths from the site's root (`/<id>/`).
An old address two entries claim goes to the first; one that is already the
new address is left out (it would loop). Drafts are included, marked in the
CSV, so the map is ready when they are published.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from .model import ImportReport


@dataclass(frozen=True)
class Redirect:
    old: str  # the old web address, or its path when the site's address is not known
    new: str  # /<id>/
    entry: str
    status: str

    @property
    def old_path(self) -> str:
        parts = urlsplit(self.old)
        return (parts.path or "/") + (f"?{parts.query}" if parts.query else "")


def redirects(report: ImportReport) -> tuple[list[Redirect], list[str]]:
    """The redirects of an import's written entries, and a note for each old address two entries claim."""
    found: dict[str, Redirect] = {}
    notes = []
    for outcome in report.outcomes:
        status = outcome.entry_status or outcome.status  # an entry imported before: its own status
        if not outcome.id or status not in ("published", "draft", "archived"):
            continue
        new = f"/{outcome.id}/"
        for old in outcome.old_addresses:
            redirect = Redirect(old, new, outcome.id, status)
            key = redirect.old_path.rstrip("/") or "/"
            if key == new.rstrip("/"):
                continue
            if key in found and found[key].entry != outcome.id:
                notes.append(f"{old} was the address of {found[key].entry} and {outcome.id}; "
                             f"it redirects to {found[key].entry}")
                continue
            found.setdefault(key, redirect)
    return list(found.values()), notes


def as_csv(rows: list[Redirect]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["old", "new", "entry", "status"])
    writer.writerows([r.old, r.new, r.entry, r.status] for r in rows)
    return buffer.getvalue()


def as_redirects_file(rows: list[Redirect]) -> str:
    lines = ["# Old addresses of imported pages and the entries they became (Netlify / Cloudflare Pages).",
             *(f"{r.old_path} {r.new} 301" for r in rows if " " not in r.old_path)]
    return "\n".join(lines) + "\n"


def write_redirects(report: ImportReport, paths: list[Path]) -> list[str]:
    """Write the import's redirect map to each path, in the form its name asks for; notes about it."""
    rows, notes = redirects(report)
    for path in paths:
        text = as_csv(rows) if path.suffix.lower() == ".csv" else as_redirects_file(rows)
        path.write_text(text, encoding="utf-8", newline="")
        notes.append(f"{len(rows)} redirect{'s' if len(rows) != 1 else ''} from old addresses written to {path}")
    return notes
