"""What a static site's Markdown files mean beyond their fields, for markdown.py.

- `skip_reason`: files that are not pages of their own — Hugo list pages
  (`_index.md`) and archetypes, templates (`_template.md`, `template*.md`, a
  title still holding `{{ … }}`), read-me and licence files — are skipped,
  each named in the report (code `template-skipped`);
- `page_slug`: the page's own name, which its old address was made from: its
  front matter `slug`, a Jekyll post's file name without its date, a Hugo
  bundle's folder, else the file name; the entry's id is made from it;
- `expiry`: Hugo's `expirydate` in the past means the page was withdrawn from
  the site: the entry comes in archived with that reason (or, if a person must
  look at it anyway, a draft carrying the reason), never ready to publish;
- `mapped_sections`: the mapping's `sections:` (`section:Heading=key`) for
  Markdown: a front matter key's text becomes that body section, or else a
  heading of the body with that name is renamed to it; what matches nothing
  is noted;
- `front_matter_value`: a front matter value as text, for the row filters.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

from ...core.safetext import FENCE
from .dates import parse_date
from .model import Note

NOT_PAGES = {"readme.md": "a read-me file", "license.md": "a licence file", "licence.md": "a licence file",
             "changelog.md": "a change log", "contributing.md": "a guide for contributors",
             "code_of_conduct.md": "a code of conduct"}
TEMPLATE_FOLDERS = frozenset({"archetypes", "_templates", "templates"})
_TEMPLATE_NAME = re.compile(r"^_?templates?\b", re.IGNORECASE)
_JEKYLL_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}-(.+)$")
_HEADING = re.compile(r"^ {0,3}(#{1,6})[ \t]+(.*[^ \t#]|[ \t#])[ \t#]*$")  # as rules.HEADING: linear


def skip_reason(parts: tuple[str, ...], meta: dict | None = None) -> str:
    """Why a file (its path's parts below the imported folder) is not a page to import, or ''."""
    name = parts[-1].lower()
    if name == "_index.md":
        return "a Hugo list page (_index.md), not a page of its own: skipped"
    if name in NOT_PAGES:
        return f"{NOT_PAGES[name]}, not a page: skipped"
    if any(part.lower() in TEMPLATE_FOLDERS for part in parts[:-1]):
        return "a template for new pages (in an archetypes or templates folder): skipped"
    if _TEMPLATE_NAME.match(Path(name).stem):
        return "a template (its name says so), not a page: skipped"
    title = (meta or {}).get("title")
    if isinstance(title, str) and "{{" in title:
        return "a template (its title is still a placeholder), not a page: skipped"
    return ""


def page_slug(path: Path, meta: dict) -> str:
    """The page's own name at its site: front matter `slug`, else its file's (Jekyll's without the date)."""
    slug = meta.get("slug")
    if isinstance(slug, (str, int)) and not isinstance(slug, bool) and str(slug).strip():
        return str(slug).strip()
    stem = path.parent.name if path.stem.lower() in ("index", "_index") else path.stem
    jekyll = _JEKYLL_DATE.match(stem)
    return jekyll.group(1) if jekyll else stem


def expiry(meta: dict, today: date) -> tuple[str, Note | None]:
    """The archived reason and a note for a page whose `expirydate` has passed; ('', None) otherwise."""
    raw = meta.get("expirydate")
    if raw in (None, "") or isinstance(raw, bool):
        return "", None
    expired, _ = parse_date(raw)
    if expired is None:
        return "", Note("the page's expirydate cannot be read as a date: check whether it was still on the site",
                        code="expired-at-source")
    if expired > today:
        return "", None
    when = f"{expired.day} {expired:%B %Y}"
    reason = f"This page expired on the original site on {when}, and was no longer shown there."
    return reason, Note(f"the page expired on the original site on {when} (expirydate): it comes in archived with "
                        "that reason; if it is a draft, archive it rather than publish it "
                        "(casehub set status=archived)", False, "expired-at-source")


def _as_text(value) -> str:
    if isinstance(value, (list, tuple)):
        return "\n".join(f"- {' '.join(str(v).split())}" for v in value if v not in (None, "") and
                         not isinstance(v, (dict, list)))
    if isinstance(value, dict) or value is None or isinstance(value, bool):
        return ""
    return str(value)


def front_matter_value(meta: dict, key: str) -> str:
    """A front matter value as a filter compares it: a list's items joined, a date as YYYY-MM-DD."""
    value = meta.get(key.lower())
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (list, tuple)):
        return "; ".join(str(v) for v in value if not isinstance(v, (dict, list)))
    return "" if value is None or isinstance(value, dict) else str(value)


def mapped_sections(meta: dict, body: str, sections: dict[str, str]
                    ) -> tuple[list[tuple[str, str]], str, set[str], list[Note]]:
    """The mapping's sections for one page: (heading, text) from front matter keys, the body with headings
    renamed, the keys used, and notes."""
    found: list[tuple[str, str]] = []
    used: set[str] = set()
    notes: list[Note] = []
    renamed, missing = [], []
    for heading, key in sections.items():
        text = _as_text(meta.get(key.lower()))
        if text.strip():
            found.append((heading, text))
            used.add(key.lower())
            continue
        body, count = _rename_heading(body, key, heading)
        (renamed if count else missing).append((heading, key))
    if found:
        notes.append(Note("body sections were filled from front matter: " + ", ".join(
            f"'{key}' → ## {heading}" for heading, key in ((h, sections[h]) for h, _ in found)), False,
            "section-from-front-matter"))
    if renamed:
        notes.append(Note("headings were renamed to the mapping's sections: " + ", ".join(
            f"'{key}' → ## {heading}" for heading, key in renamed), False, "section-renamed"))
    if missing:
        notes.append(Note("the page has no front matter key or heading for the mapping's "
                          + ", ".join(f"section '{heading}' ('{key}')" for heading, key in missing), False,
                          "section-not-found"))
    return found, body, used, notes


def _rename_heading(body: str, name: str, heading: str) -> tuple[str, int]:
    """The body with headings called `name` (any level, ignoring case) made `## heading`, outside code."""
    wanted = " ".join(name.split()).casefold()
    lines, fence, count = body.split("\n"), None, 0
    for index, line in enumerate(lines):
        mark = FENCE.match(line)
        if mark:
            fence = None if fence and mark.group(1)[0] == fence else (fence or mark.group(1)[0])
            continue
        match = None if fence else _HEADING.match(line)
        if match and " ".join(match.group(2).split()).casefold() == wanted:
            lines[index] = f"## {heading}"
            count += 1
    return "\n".join(lines), count
