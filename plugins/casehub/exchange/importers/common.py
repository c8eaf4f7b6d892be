"""What every importer shares: from a source's values to a safe, checked entry file.

An importer (csv, markdown, html) reads its source and produces `Candidate`s:
flat values named as in `FIELDS` ("title", "organisation", "topics"…), a
Markdown body, and notes. This module does the rest, the same way for all of
them:

- maps the values to the schema: vocabulary terms by id or label, ignoring case
  (`Digital & technology` is `digital-and-technology`), UK dates to ISO, money to
  a budget band, a contact to an e-mail address or a web page;
- makes the body safe Markdown: HTML converted to Markdown (markdownify), with
  scripts, styles, frames, forms, hidden elements and event handlers dropped,
  `javascript:`, `data:` and `file:` links removed (their words kept), invisible
  control and text-direction characters removed, and anything still read as HTML
  escaped. Text is never removed silently: every change is a note in the report;
- carries relative images along (raster images only, from inside the imported
  folder) into the entry's own folder, `casestudies/<id>/index.md`;
- writes the front matter with `edit.format_value` (every free text double-quoted
  and escaped), a `source` record, and a comment listing what a person should check;
- picks an id from the title that is not taken (by a file, a folder or a reserved
  path) and not reserved, adding -2, -3…, and writes with `open(path, "x")`:
  an existing entry is never overwritten; the clash is reported;
- checks the entry with the validator, and saves it as a draft when it has
  findings or a note that needs a person; the findings go in the report.

Nothing here prints; `report_text` and `report_json` present an `ImportReport`.
"""

from __future__ import annotations

import difflib
import json
import os
import re
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from email.utils import parsedate_to_datetime
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

from ...core.entry import BUDGET_BANDS, LICENCES, slugify
from ...core.entryfile import IdClaims, dump
from ...core.findings import CasehubError, Finding
from ...core.loader import LoadError, parse
from ...core.project import Project, fold_id
from ...core.rules import IMAGE_SUFFIXES, check_ids, fenced_segments
from ...core.safetext import (
    EMAIL_ADDRESS,
    FENCE,
    HTML,
    ID_PATTERN,
    LINK_TEXT,
    UNSAFE_LINK,
    WEB_DOMAIN,
    clean_characters,
    escape_html,
    remove_unsafe_links,
    replace_code_spans,
)

# The values an importer can fill, and what each takes. "section:<Heading>" names a body section.
FIELDS: dict[str, str] = {
    "title": "the headline",
    "summary": "one or two sentences",
    "type": "an entry type (id or label from data/types.yaml)",
    "organisation": "the lead organisation's name",
    "partners": "partner organisations (several, separated by ; or new lines)",
    "gss": "the lead organisation's GSS code",
    "nation": "England, Scotland, Wales, Northern Ireland or UK",
    "region": "a region (id or label from data/regions.yaml)",
    "council_type": "a council type (id or label from data/council-types.yaml)",
    "topics": "topics (ids or labels from data/topics.yaml, separated by ; or ,)",
    "tags": "free keywords (separated by ; or ,)",
    "stage": "a stage (id or label from data/stages.yaml)",
    "published": "the date it was published (dd/mm/yyyy, 3 March 2021 or 2021-03-03)",
    "budget_band": "a budget band, or an amount such as £25,000",
    "funding_sources": "where the money came from (separated by ;)",
    "contact": "the team's shared mailbox or contact web page",
    "contact_team": "the team readers can contact",
    "contact_email": "the team's shared mailbox",
    "contact_url": "the team's contact web page",
    "authors": "who wrote it (separated by ;)",
    "licence": "OGL-UK-3.0, CC-BY-4.0, CC-BY-SA-4.0 or CC0-1.0",
    "url": "the original's web address (kept as source.url)",
    "body": "the text, in Markdown or HTML",
}
LIST_FIELDS = frozenset({"partners", "topics", "tags", "funding_sources", "authors"})
SECTION_PREFIX = "section:"
NATIONS = {"england": "england", "scotland": "scotland", "wales": "wales", "northern-ireland": "northern-ireland",
           "uk": "uk", "uk-wide": "uk", "united-kingdom": "uk", "cymru": "wales"}
MAX_ID = 60  # room for a numeric suffix within the 80-character id limit
MAX_TAGS = 20
MAX_TAG_LENGTH = 40
MAX_IMAGE_BYTES = 10_000_000
SUMMARY_LIMIT = 300
MAX_COMMENT_NOTES = 12

# HTML that is never kept, with everything inside it.
UNSAFE_TAGS = ("script", "style", "iframe", "frame", "frameset", "object", "embed", "applet", "form", "input",
               "button", "select", "textarea", "option", "noscript", "template", "svg", "math", "canvas", "audio",
               "video", "source", "track", "link", "meta", "base", "head", "title", "dialog", "portal")
BLOCK_TAGS = frozenset({"p", "div", "ul", "ol", "li", "table", "thead", "tbody", "tr", "td", "th", "h1", "h2", "h3",
                        "h4", "h5", "h6", "blockquote", "pre", "section", "article", "figure", "figcaption", "dl",
                        "dt", "dd", "hr", "main", "aside", "header", "footer", "nav", "details", "summary", "center",
                        *UNSAFE_TAGS})
# Removed with their content straight from Markdown; a <form> is left to clean_soup, which keeps the text
# of a form wrapped around a whole page (ASP.NET pages are built that way).
_WITH_CONTENT = ("script", "style", "iframe", "frameset", "object", "embed", "applet", "noscript", "template",
                 "svg", "math", "select", "textarea", "canvas", "audio", "video", "title", "head")
# (Linear as safetext's patterns are: a block's scan stops where another of its kind opens.)
_UNSAFE_BLOCK = re.compile(r"<(" + "|".join(_WITH_CONTENT) + r")\b[^<>]*>(?:(?!<\1\b).)*?</\1\s*>",
                           re.IGNORECASE | re.DOTALL)
_UNSAFE_OPEN = re.compile(r"</?(?:" + "|".join(_WITH_CONTENT) + r")\b[^<>]*>", re.IGNORECASE)  # left unclosed
_COMMENT = re.compile(r"<!--.*?(?:-->|\Z)", re.DOTALL)
_SPLIT_TAG = re.compile(r"<[A-Za-z][^<>\n]*+\n[^<>]*+>")  # a tag across lines
_ANY_TAG = re.compile(r"</?([A-Za-z][A-Za-z0-9-]*)(?:\s[^<>]*)?/?>")
_ATX = re.compile(r"^( {0,3})(#{1,6})([ \t]+|$)(.*)$")
_LINE_PREFIX = re.compile(r"^(\s*(?:[-*+]\s+|\d{1,9}[.)]\s+|>\s*|#{1,6}\s+)*)")
_IMAGE = re.compile(r"!" + LINK_TEXT + r"\(\s*(<[^<>\n]*>|(?:[^()\s]|\([^()\s]*\))*)"
                    r"(\s+(?:\"[^\"\n]*\"|'[^'\n]*'|\([^()\n]*\)))?\s*\)")
_SAFE_SCHEMES = ("http", "https", "mailto")
_WEB_URL = re.compile(r"^https?://[^\s]+$")
_GSS = re.compile(r"^[EKLMNSW][0-9]{8}$")
_ENTITY = re.compile(r"&(?:#[0-9]{1,7}|#x[0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")
# A formula: anything starting =, or +, - or @ then a function (SUM(…) or a DDE call such as cmd|…).
_FORMULA = re.compile(r"^\s*=|^\s*[+\-@]\s*(?:[A-Z][A-Z0-9_.]*\(|[A-Za-z]+\|)")


class ImportUsageError(CasehubError):
    """The input cannot be used at all (a missing source, a bad mapping): exit 2, nothing written."""


@dataclass
class Note:
    """Something the importer changed or could not use. `review` notes make the entry a draft."""

    message: str
    review: bool = True

    def as_dict(self) -> dict:
        return {"message": self.message, "review": self.review}


@dataclass
class Mapping:
    """Which source column (or front matter key) fills each field, body sections, defaults, the source's name."""

    fields: dict[str, str] = field(default_factory=dict)
    sections: dict[str, str] = field(default_factory=dict)
    defaults: dict[str, str] = field(default_factory=dict)
    name: str = ""

    @property
    def empty(self) -> bool:
        return not (self.fields or self.sections)


@dataclass
class ImportOptions:
    mapping: Mapping = field(default_factory=Mapping)
    output_dir: Path | None = None
    dry_run: bool = False
    today: date = field(default_factory=date.today)
    on_clash: str = "rename"  # or "skip"
    source_name: str = ""


@dataclass
class Candidate:
    """One entry as an importer read it, before mapping: values by field name, a Markdown body, notes."""

    origin: str  # how the report names it: "case-studies.csv, row 4", "posts/2021-03-03-repairs.md"
    values: dict[str, object] = field(default_factory=dict)
    body: str = ""
    sections: list[tuple[str, str]] = field(default_factory=list)
    source_path: str = ""
    source_url: str = ""
    source_name: str = ""
    base_dir: Path | None = None  # where relative images are looked up
    notes: list[Note] = field(default_factory=list)
    draft_reason: str = ""  # a reason the entry is always a draft (for example, it came from a web page)
    fallback_id: str = ""
    topics_to_tags: bool = False  # topics that are not in the vocabulary become tags, not problems
    base_url: str = ""


@dataclass
class Outcome:
    """What happened to one source item."""

    origin: str
    status: str  # "published", "draft", "skipped" or "failed"
    path: str = ""
    id: str = ""
    findings: list[Finding] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)
    images: int = 0

    @property
    def needs_attention(self) -> bool:
        return self.status != "published"

    def as_dict(self) -> dict:
        return {"origin": self.origin, "status": self.status, "path": self.path, "id": self.id,
                "images": self.images, "notes": [n.as_dict() for n in self.notes],
                "findings": [f.as_dict() for f in self.findings]}


@dataclass
class ImportReport:
    format: str
    source: str
    output: str
    dry_run: bool
    notes: list[str] = field(default_factory=list)
    outcomes: list[Outcome] = field(default_factory=list)

    def count(self, status: str) -> int:
        return sum(1 for o in self.outcomes if o.status == status)

    @property
    def attention(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.needs_attention]

    def as_dict(self) -> dict:
        return {"format": self.format, "source": self.source, "output": self.output, "dry_run": self.dry_run,
                "imported": self.count("published") + self.count("draft"), "published": self.count("published"),
                "drafts": self.count("draft"), "skipped": self.count("skipped"), "failed": self.count("failed"),
                "needs_attention": len(self.attention), "notes": self.notes,
                "entries": [o.as_dict() for o in self.outcomes]}


class Failure(CasehubError):
    """One source item that cannot become an entry (unreadable, unsafe YAML…); the run goes on."""


class Importer:
    """Base class: a subclass reads one kind of source into Candidates. See csv.py, markdown.py, html.py."""

    format = ""
    description = ""

    def __init__(self, project: Project, source: Path, options: ImportOptions):
        self.project = project
        self.source = source
        self.options = options
        self.notes: list[str] = []  # about the whole run, for the report

    @property
    def root(self) -> Path:
        """The folder that was imported: relative paths and images must stay inside it."""
        return self.source if self.source.is_dir() else self.source.parent

    def items(self) -> list:
        """The units of work (files or rows). Raises ImportUsageError when the source is unusable."""
        raise NotImplementedError

    def convert(self, item) -> Candidate:
        """One unit of work as a Candidate. Raises Failure for an item that cannot be used."""
        raise NotImplementedError

    def origin(self, item) -> str:
        return str(item)

    def default_source_name(self) -> str:
        return self.source.name

    def relative(self, path: Path) -> str:
        try:
            return path.relative_to(self.root).as_posix()
        except ValueError:
            return path.name


class FileImporter(Importer):
    """Base for importers that read one entry from each file in a folder (Markdown, web pages)."""

    max_bytes = 5_000_000
    noun = "file"

    def origin(self, item: Path) -> str:
        return self.relative(item)

    def default_source_name(self) -> str:
        return self.root.name if self.source.is_dir() else self.source.name

    def read(self, path: Path) -> bytes:
        """The file's bytes, or Failure if it is too big or cannot be read."""
        try:
            if path.stat().st_size > self.max_bytes:
                raise Failure(f"the {self.noun} is over {self.max_bytes // 1_000_000} MB")
            return path.read_bytes()
        except OSError as error:
            raise Failure(f"the {self.noun} cannot be read ({error.strerror})") from None


# Text --------------------------------------------------------------------------------------


def clean_text(text: str) -> tuple[str, int]:
    """Line breaks unified, invisible control and text-direction characters removed; and how many were."""
    return clean_characters(text)


def one_line(text: str) -> tuple[str, bool]:
    """A single-line value: HTML tags dropped (words kept), entities decoded, white space collapsed.

    Returns the text and whether HTML was removed."""
    text, _ = clean_text(text)
    had_html = bool(_ANY_TAG.search(text))
    if had_html:
        from bs4 import BeautifulSoup

        soup = BeautifulSoup(text, "html.parser")
        for tag in soup.find_all(UNSAFE_TAGS):
            tag.decompose()
        text = soup.get_text(" ")
    elif _ENTITY.search(text):
        import html

        text = html.unescape(text)
    text, _ = clean_text(text)
    return " ".join(text.split()), had_html


def split_list(value) -> list[str]:
    """A multi-value cell: items separated by semicolons, new lines or vertical bars, else by commas."""
    if isinstance(value, (list, tuple)):
        items = [str(v) for v in value if v is not None and not isinstance(v, (dict, list))]
    else:
        text = str(value or "")
        items = re.split(r"[;\n|]", text) if re.search(r"[;\n|]", text) else text.split(",")
    return list(dict.fromkeys(item.strip() for item in items if item and item.strip()))


def looks_like_formula(text: str) -> bool:
    """A spreadsheet formula (`=HYPERLINK(…)`, `@SUM(…)`): never imported as text."""
    return bool(_FORMULA.match(text))


def plain_summary(markdown: str, limit: int = SUMMARY_LIMIT) -> str:
    """The first real paragraph of a Markdown body (40 characters or more) as plain text, cut at a
    sentence within the limit."""
    paragraphs: list[str] = []
    current: list[str] = []
    fence = None
    for line in [*markdown.split("\n"), ""]:
        if FENCE.match(line):
            fence = None if fence else line
            continue
        stripped = line.strip()
        if fence:
            continue
        if not stripped or stripped.startswith(("#", "|", "![", ">", "<")) or re.fullmatch(r"[-*_=]{3,}", stripped):
            if current:
                paragraphs.append(" ".join(current))
                current = []
            continue
        current.append(stripped)
    for paragraph in paragraphs:
        text = re.sub(r"!\[(?:[^\[\]]|\[[^\[\]]*\])*\]\([^()]*\)", "", paragraph)
        text = re.sub(r"\[((?:[^\[\]]|\[[^\[\]]*\])*)\]\([^()]*\)", r"\1", text)
        text = re.sub(r"^([-*+]|\d+[.)])\s+", "", text)
        text = " ".join(re.sub(r"[*_`]+", "", text).split())
        if len(text) >= 40:
            return _cut(text, limit)
    return ""


def _cut(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    kept = ""
    for sentence in re.split(r"(?<=[.!?])\s+", text):
        if len(kept) + len(sentence) + 1 > limit:
            break
        kept = f"{kept} {sentence}".strip()
    if len(kept) >= 30:
        return kept
    return text[:limit - 1].rsplit(" ", 1)[0].rstrip(",;:") + "…"


# HTML to Markdown ------------------------------------------------------------------------------

_CHANGE_MESSAGES = {
    "unsafe": ("scripts, styles, frames, forms or embedded objects were removed", False),
    "hidden": ("hidden content (hidden, aria-hidden or display:none) was removed", True),
    "handlers": ("event handlers (onclick, onload…) were removed", False),
    "links": ("unsafe links (to javascript, data or file addresses) were removed, their words kept", True),
    "tracking": ("tracking images (1 pixel) were removed", False),
    "html": ("HTML was converted to Markdown", False),
    "comments": ("HTML comments were removed", False),
    "escaped": ("text that would read as HTML had its < written as &lt;", True),
    "characters": ("invisible control or text-direction characters were removed", False),
}


def change_notes(changes: set[str]) -> list[Note]:
    return [Note(message, review) for key, (message, review) in _CHANGE_MESSAGES.items() if key in changes]


def _scheme(url: str) -> str:
    compact = re.sub(r"[\s\x00-\x1f]+", "", url).lower()
    match = re.match(r"([a-z][a-z0-9+.-]*):", compact)
    return match.group(1) if match else ""


def clean_soup(soup, changes: set[str], base_url: str = "") -> None:
    """Remove from parsed HTML everything that must not reach an entry, recording what kind of thing went."""
    from bs4 import Comment

    for comment in soup.find_all(string=lambda s: isinstance(s, Comment)):
        comment.extract()
        changes.add("comments")
    for form in soup.find_all("form"):
        if form.find(["p", "h1", "h2", "h3", "article", "main", "section", "ul", "table"]):
            form.unwrap()  # a form around the page's text: keep the text, its controls go below
            changes.add("unsafe")
    for tag in soup.find_all(UNSAFE_TAGS):
        if tag.decomposed:
            continue
        if tag.name in UNSAFE_TAGS and tag.name not in ("meta", "link", "head", "title", "base"):
            changes.add("unsafe")
        tag.decompose()
    for tag in soup.find_all(True):
        if tag.decomposed:
            continue
        style = str(tag.get("style", "")).replace(" ", "").lower()
        if (tag.has_attr("hidden") or str(tag.get("aria-hidden", "")).lower() == "true"
                or "display:none" in style or "visibility:hidden" in style):
            tag.decompose()
            changes.add("hidden")
            continue
        handlers = [name for name in tag.attrs if name.lower().startswith("on")]
        for name in handlers:
            del tag.attrs[name]
            changes.add("handlers")
        if tag.name == "a" and tag.has_attr("href"):
            href = str(tag["href"]).strip()
            scheme = _scheme(href)
            if scheme and scheme not in _SAFE_SCHEMES:
                tag.unwrap()
                changes.add("links")
            elif not scheme and base_url and not href.startswith("#"):
                tag["href"] = urljoin(base_url, href)
        elif tag.name == "img":
            src = str(tag.get("src", "")).strip()
            if _scheme(src) and _scheme(src) not in ("http", "https"):
                tag.decompose()
                changes.add("links")
            elif str(tag.get("width", "")).strip() in ("0", "1") or str(tag.get("height", "")).strip() in ("0", "1"):
                tag.decompose()
                changes.add("tracking")


def _code_language(element) -> str | None:
    for node in [element, *element.find_all("code", limit=1)]:
        for name in node.get("class", []) or []:
            if name.startswith(("language-", "lang-")):
                language = name.split("-", 1)[1]
                return language if re.fullmatch(r"[A-Za-z0-9_+-]{1,30}", language) else None
    return None


def html_to_markdown(html_or_soup, changes: set[str], base_url: str = "") -> str:
    """HTML (text or a parsed tree) as Markdown, after `clean_soup`. Markdown in text nodes passes through."""
    from bs4 import BeautifulSoup
    from markdownify import MarkdownConverter

    soup = html_or_soup
    if isinstance(soup, str):
        soup = BeautifulSoup(soup, "html.parser")
    clean_soup(soup, changes, base_url)
    converter = MarkdownConverter(
        heading_style="ATX", bullets="-", escape_asterisks=False, escape_underscores=False, escape_misc=False,
        code_language_callback=_code_language, strip=["span", "font", "u", "small", "big", "abbr"],
        keep_inline_images_in=["a", "td", "th", "li", "p", "div", "span", "figure", "strong", "em", "b", "i"])
    changes.add("html")
    return converter.convert_soup(soup)


# Markdown made safe ------------------------------------------------------------------------------


def _convert_block(block: list[str], changes: set[str], base_url: str) -> list[str]:
    text = "\n".join(block)
    names = {m.group(1).lower() for m in _ANY_TAG.finditer(text)}
    if names & BLOCK_TAGS:
        converted = html_to_markdown(text, changes, base_url).strip("\n")
        return converted.split("\n") if converted.strip() else []
    out = []
    for line in block:  # inline HTML only: line by line, keeping list and heading markers
        if not _ANY_TAG.search(line):
            out.append(line)
            continue
        prefix = _LINE_PREFIX.match(line).group(1)
        converted = " ".join(html_to_markdown(line[len(prefix):], changes, base_url).split())
        out.append(prefix + converted)
    return out


def _prose(lines: list[str], changes: set[str], base_url: str) -> list[str]:
    text = "\n".join(lines)
    if "<" not in text:
        return lines
    text, count = _COMMENT.subn("", text)
    if count:
        changes.add("comments")
    text, count = _UNSAFE_BLOCK.subn("", text)
    text, more = _UNSAFE_OPEN.subn("", text)
    if count or more:
        changes.add("unsafe")
    out: list[str] = []
    block: list[str] = []
    previous_blank = True

    def flush():
        if block:
            if any(_ANY_TAG.search(line) for line in block) or _SPLIT_TAG.search("\n".join(block)):
                out.extend(_convert_block(block, changes, base_url))
            else:
                out.extend(block)
            block.clear()

    for line in text.split("\n"):
        if not line.strip():
            flush()
            out.append("")
            previous_blank = True
            continue
        if previous_blank and line.startswith(("    ", "\t")) and not block:
            out.append(line)  # indented code: shown as written
            continue
        block.append(line)
        previous_blank = False
    flush()
    return out


def _escape_leftovers(lines: list[str], changes: set[str]) -> list[str]:
    """Whatever prose still reads as HTML gets its `<` written `&lt;` (code spans and code blocks kept)."""
    out = []
    previous_blank = True
    for is_code, segment in fenced_segments(lines):
        if is_code:
            out.extend(segment)
            previous_blank = False
            continue
        for line in segment:
            indented = line.startswith(("    ", "\t")) and previous_blank
            previous_blank = not line.strip() or (indented and previous_blank)
            if indented:
                out.append(line)
                continue
            spans: list[str] = []

            def keep(span, spans=spans):
                spans.append(span)
                return f"\x00{len(spans) - 1}\x00"

            masked = replace_code_spans(line, keep)
            if HTML.search(masked):
                masked = escape_html(masked)
                changes.add("escaped")
            out.append(re.sub("\x00([0-9]+)\x00", lambda m, spans=spans: spans[int(m.group(1))], masked))
    return out


def safe_markdown(text: str, base_url: str = "") -> tuple[str, set[str]]:
    """Markdown (perhaps with HTML in it) made safe to publish; and the kinds of change made."""
    changes: set[str] = set()
    text, removed = clean_text(text)
    if removed:
        changes.add("characters")
    lines: list[str] = []
    for is_code, segment in fenced_segments(text.split("\n")):
        lines.extend(segment if is_code else _prose(segment, changes, base_url))
    text = "\n".join(lines)
    text, unsafe = remove_unsafe_links(text)
    if unsafe:
        changes.add("links")
    lines = _escape_leftovers(text.split("\n"), changes)
    for index, line in enumerate(lines):  # a last guard, in any spelling the validator would see
        while UNSAFE_LINK.search(line):
            line = UNSAFE_LINK.sub(lambda m: m.group()[:-1].rstrip(":") + " ", line, count=1)
            changes.add("links")
        lines[index] = line
    text = "\n".join(line.rstrip() for line in lines)
    text = re.sub(r"\n{3,}", "\n\n", text).strip("\n")
    return text, changes


def normalise_headings(body: str, title: str) -> tuple[str, list[Note]]:
    """The title is the page's only top-level heading: a first `# <title>` goes, other `#` headings move down."""
    notes: list[Note] = []
    lines = body.split("\n")
    prose = [i for is_code, segment in _indexed_segments(lines) if not is_code for i in segment]
    for i in prose:  # setext level-one headings (Title / =====) become ATX
        if i > 0 and re.fullmatch(r" {0,3}=+\s*", lines[i]) and lines[i - 1].strip() and (i - 1) in prose:
            lines[i - 1], lines[i] = "# " + lines[i - 1].strip(), ""
    first = next((i for i in prose if lines[i].strip()), None)
    if first is not None and (m := _ATX.match(lines[first])) and len(m.group(2)) == 1:
        if fold_id(" ".join(m.group(4).strip(" #").split())) == fold_id(" ".join(title.split())):
            lines[first] = ""
            notes.append(Note("the first heading repeated the title, so it was removed", False))
    if any((m := _ATX.match(lines[i])) and len(m.group(2)) == 1 for i in prose):
        for i in prose:
            if m := _ATX.match(lines[i]):
                level = min(len(m.group(2)) + 1, 6)
                lines[i] = f"{m.group(1)}{'#' * level} {m.group(4)}".rstrip()
        notes.append(Note("headings were moved down a level: the title is the page's only top-level heading",
                          False))
    return "\n".join(lines).strip("\n"), notes


def _indexed_segments(lines: list[str]):
    start = 0
    for is_code, segment in fenced_segments(lines):
        yield is_code, range(start, start + len(segment))
        start += len(segment)


# Images ------------------------------------------------------------------------------------------


@dataclass
class _Image:
    source: Path
    name: str


def carry_images(body: str, base_dir: Path | None, root: Path) -> tuple[str, list[_Image], list[Note]]:
    """Relative images found and renamed for the entry's folder; SVGs, missing files and images from
    outside the imported folder are left out, their alternative text kept, each with a note."""
    images: list[_Image] = []
    by_source: dict[Path, str] = {}
    notes: list[Note] = []
    root = root.resolve()
    base_dir = base_dir.resolve() if base_dir else None

    def replace_image(match):
        alt, target, title = match.group(1), match.group(2), match.group(3) or ""
        target = target.strip()
        if target.startswith("<") and target.endswith(">"):
            target = target[1:-1].strip()
        if not target or re.match(r"(?i)https?://", target):
            return match.group()
        shown = target if len(target) <= 80 else target[:77] + "…"
        path = unquote(urlsplit(target).path)

        def leave_out(reason: str) -> str:
            notes.append(Note(f"the image '{shown}' was not imported: {reason}; its alternative text was kept"))
            return alt.strip()

        if urlsplit(target).scheme or not path:
            return leave_out("it is not a web address or a file beside the page")
        if base_dir is None:
            return leave_out("there is no folder to find it in")
        if path.startswith("/"):  # site-absolute: from the site's root, or Hugo's static/, at or above the page
            folders = [base_dir, *base_dir.parents]
            folders = folders[:folders.index(root) + 1] if root in folders else [root]
            places = [f / sub / path.lstrip("/") for f in folders for sub in ("", "static", "assets")]
        else:
            places = [base_dir / path]
        found = next((p for p in places if p.is_file() or p.is_symlink()), None)
        if found is None:
            return leave_out("the file does not exist")
        if found.is_symlink() or not found.resolve().is_relative_to(root):
            return leave_out("it is outside the imported folder or a symbolic link")
        suffix = found.suffix.lower()
        if suffix == ".svg":
            return leave_out("SVG images are not accepted (they can carry script); save it as PNG and add it")
        if suffix not in IMAGE_SUFFIXES:
            return leave_out("only PNG, JPEG, GIF, WebP and AVIF images are accepted")
        if found.stat().st_size > MAX_IMAGE_BYTES:
            return leave_out(f"it is over {MAX_IMAGE_BYTES // 1_000_000} MB")
        key = found.resolve()
        if key not in by_source:
            stem = slugify(found.stem)[:60].strip("-") or "image"
            name, number = f"{stem}{suffix}", 2
            taken = {i.name for i in images}
            while name in taken:
                name, number = f"{stem}-{number}{suffix}", number + 1
            by_source[key] = name
            images.append(_Image(found, name))
        return f"![{alt}]({by_source[key]}{title})"

    lines = []
    for is_code, segment in fenced_segments(body.split("\n")):
        lines.extend(segment if is_code else [_IMAGE.sub(replace_image, line) for line in segment])
    return "\n".join(lines), images, notes


# Values to fields --------------------------------------------------------------------------------


def _key(text: str) -> str:
    return slugify(re.sub(r"(?<!\s)\s*[&+]\s*", " and ", str(text)))


class Resolver:
    """Vocabulary values by id or label, ignoring case, accents and `&` for `and`."""

    def __init__(self, project: Project):
        self.project = project
        self.index: dict[str, dict[str, str]] = {}
        for name, vocabulary in project.vocabularies.items():
            table: dict[str, str] = {}
            for item in vocabulary.items:
                table.setdefault(_key(item["label"]), item["id"])
            for item in vocabulary.items:
                table[_key(item["id"])] = item["id"]
            self.index[name] = table
        self.index["budget"] = {**{_key(label): band for band, label in BUDGET_BANDS.items()},
                                **{_key(band): band for band in BUDGET_BANDS}}
        licences = {_key(lid): lid for lid in LICENCES}
        licences.update({_key(label): lid for lid, (label, _) in LICENCES.items()})
        licences.update({"ogl": "OGL-UK-3.0", "ogl-v3": "OGL-UK-3.0", "ogl-3-0": "OGL-UK-3.0",
                         "open-government-licence": "OGL-UK-3.0", "cc-by": "CC-BY-4.0", "cc0": "CC0-1.0"})
        self.index["licence"] = licences

    def term(self, vocabulary: str, value: str) -> str | None:
        return self.index[vocabulary].get(_key(value))

    def nation(self, value: str) -> str | None:
        return NATIONS.get(_key(value))

    def region_nation(self, region: str) -> str | None:
        item = self.project.vocabularies["regions"].by_id.get(region)
        return item.get("nation") if item else None

    def closest(self, vocabulary: str, value: str) -> str | None:
        names = self.project.vocabularies[vocabulary].ids if vocabulary in self.project.vocabularies else []
        key = _key(value)
        close = difflib.get_close_matches(key, names, n=1, cutoff=0.6)
        starts = [name for name in names if key and name.startswith(key)]
        return close[0] if close else (starts[0] if len(starts) == 1 else None)


_MONTHS = {name: number for number, names in enumerate(
    [("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"), ("may",), ("june", "jun"),
     ("july", "jul"), ("august", "aug"), ("september", "sep", "sept"), ("october", "oct"), ("november", "nov"),
     ("december", "dec")], 1) for name in names}


def parse_date(value) -> tuple[date | None, str]:
    """A date from a source: ISO, UK numeric (3/3/2021, 03.03.21), written out (3rd March 2021, March 3, 2021),
    month and year, RFC 2822, or a spreadsheet's day number. Returns the date and a note ('' when certain)."""
    if isinstance(value, datetime):
        return value.date(), ""
    if isinstance(value, date):
        return value, ""
    text = " ".join(str(value or "").replace(",", " ").split()).strip()
    if not text:
        return None, ""
    low = text.lower()
    try:
        if m := re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[t ].*)?", low):
            return date(int(m.group(1)), int(m.group(2)), int(m.group(3))), ""
        if m := re.fullmatch(r"(\d{4})/(\d{1,2})/(\d{1,2})", low):
            return date(int(m.group(1)), int(m.group(2)), int(m.group(3))), ""
        if m := re.fullmatch(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{2}|\d{4})", low):
            day, month, year = int(m.group(1)), int(m.group(2)), int(m.group(3))
            year += (2000 if year < 70 else 1900) if len(m.group(3)) == 2 else 0
            if month > 12 and day <= 12:
                return date(year, day, month), f"'{text}' only makes sense as month/day/year, so it was read that way"
            return date(year, month, day), ""
        words = re.sub(r"^(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?\s+", "", low)
        if m := re.fullmatch(r"(\d{1,2})(?:st|nd|rd|th)?(?:\s+of)?\s+([a-z]+)\.?\s+(\d{4})", words):
            if m.group(2) in _MONTHS:
                return date(int(m.group(3)), _MONTHS[m.group(2)], int(m.group(1))), ""
        if m := re.fullmatch(r"([a-z]+)\.?\s+(\d{1,2})(?:st|nd|rd|th)?\s+(\d{4})", words):
            if m.group(1) in _MONTHS:
                return date(int(m.group(3)), _MONTHS[m.group(1)], int(m.group(2))), ""
        if m := re.fullmatch(r"([a-z]+)\.?\s+(\d{4})", words):
            if m.group(1) in _MONTHS:
                return (date(int(m.group(2)), _MONTHS[m.group(1)], 1),
                        f"'{text}' has no day, so the 1st of the month was used")
        if m := re.fullmatch(r"(\d{5})(?:\.\d+)?", low):
            serial = int(m.group(1))
            if 20000 <= serial <= 80000:
                return date(1899, 12, 30) + timedelta(days=serial), ""
        if re.fullmatch(r"[a-z]{3}\s+\d{1,2}\s+[a-z]{3}\s+\d{4}.*", low):
            return parsedate_to_datetime(str(value)).date(), ""
    except (ValueError, TypeError, OverflowError):
        pass
    return None, f"'{text[:40]}' is not a date that could be read"


def budget_band(value: str, resolver: Resolver) -> str | None:
    """A band from its id or label, or from an amount (£25,000, 25k, £1.2m; a range within one band)."""
    band = resolver.term("budget", value)
    if band:
        return band
    amounts = []
    for number, unit in re.findall(r"(?<!\d)(\d[\d,]*(?:\.\d+)?)\s*(k|m|million|thousand|bn)?\b", value.lower()):
        amount = float(number.replace(",", ""))
        amount *= {"k": 1e3, "thousand": 1e3, "m": 1e6, "million": 1e6, "bn": 1e9}.get(unit, 1)
        amounts.append(amount)
    if not amounts:
        return "none" if _key(value) in ("0", "nil", "no-cost", "free") else None
    bands = {_band_for(a) for a in amounts}
    return bands.pop() if len(bands) == 1 else None


def _band_for(amount: float) -> str:
    for limit, band in ((0, "none"), (10_000, "under-10k"), (50_000, "10k-50k"), (250_000, "50k-250k"),
                        (1_000_000, "250k-1m")):
        if amount < limit or (limit == 0 and amount == 0):
            return band
    return "over-1m"


def tag_for(text: str) -> str:
    tag = slugify(text)
    if len(tag) > MAX_TAG_LENGTH:
        tag = tag[:MAX_TAG_LENGTH + 1].rsplit("-", 1)[0] if "-" in tag[:MAX_TAG_LENGTH + 1] else tag[:MAX_TAG_LENGTH]
    return tag.strip("-")


@dataclass
class Built:
    """An entry ready to write: front matter as ordered (key, value) pairs, body, images, notes."""

    metadata: list[tuple[str, object]]
    body: str
    images: list[_Image]
    notes: list[Note]
    title: str


def build_entry(resolver: Resolver, candidate: Candidate, options: ImportOptions, fmt: str, default_name: str,
                root: Path) -> Built:
    """Map a candidate's values to the schema's fields, make its body safe, and note every change."""
    notes = list(candidate.notes)
    values = dict(candidate.values)
    for name, value in options.mapping.defaults.items():
        if not values.get(name):
            values[name] = value
    changed_characters = False

    def text(name: str) -> str:
        nonlocal changed_characters
        value = values.get(name)
        if value is None or isinstance(value, (dict, list)):
            return ""
        raw = str(value)
        if clean_text(raw)[1]:
            changed_characters = True
        result, had_html = one_line(raw)
        if had_html:
            notes.append(Note(f"HTML tags were removed from the {name.replace('_', ' ')} (words kept)", False))
        return result

    def term(name: str, vocabulary: str) -> str:
        value = text(name)
        if not value:
            return ""
        found = resolver.term(vocabulary, value)
        if found:
            return found
        notes.append(Note(f"the {name.replace('_', ' ')} '{value[:60]}' is not in data/{vocabulary}.yaml"))
        return value

    title = text("title")
    summary = text("summary")
    entry_type = term("type", "types")
    if not entry_type:
        entry_type = "story"
        notes.append(Note("no type was given, so the entry is a story; change it if it is a case study, "
                          "a how-to or what didn't work", False))

    # The body first: a missing summary comes from it.
    parts = []
    if isinstance(values.get("body"), str) and values["body"].strip():
        parts.append(values["body"].strip("\n"))
    if candidate.body.strip():
        parts.append(candidate.body.strip("\n"))
    for heading, section in candidate.sections:
        section = str(section or "").strip("\n")
        if not section.strip():
            continue
        demoted = "\n".join(re.sub(r"^( {0,3})#{1,2}(?=[ \t]|$)", r"\1###", line) for line in section.split("\n"))
        parts.append(f"## {one_line(heading)[0]}\n\n{demoted}")
    body, changes = safe_markdown("\n\n".join(parts), candidate.base_url)
    notes += change_notes(changes)
    body, heading_notes = normalise_headings(body, title)
    notes += heading_notes
    body, images, image_notes = carry_images(body, candidate.base_dir, root)
    notes += image_notes
    if not summary and body:
        summary = plain_summary(body)
        if summary:
            notes.append(Note("there was no summary, so it was taken from the first paragraph: check it reads well"))
    if not body.strip():
        notes.append(Note("the entry has no text", entry_type != "story"))

    organisations = []
    lead = text("organisation")
    if lead:
        organisation: list[tuple[str, object]] = [("name", lead), ("role", "lead")]
        gss = text("gss").upper()
        if gss and _GSS.fullmatch(gss):
            organisation.append(("gss", gss))
        elif gss:
            notes.append(Note(f"'{gss[:20]}' is not a GSS code (a letter and eight digits), so it was left out", False))
        organisations.append(organisation)
    for partner in split_list(values.get("partners")):
        name = one_line(partner)[0]
        if name and fold_id(name) != fold_id(lead):
            organisations.append([("name", name), ("role", "partner")])

    region = term("region", "regions")
    nation_text = text("nation")
    nation = resolver.nation(nation_text) if nation_text else None
    if nation_text and not nation:
        notes.append(Note(f"the nation '{nation_text[:40]}' is not England, Scotland, Wales, Northern Ireland or UK"))
        nation = nation_text
    region_nation = resolver.region_nation(region)
    if not nation and region_nation:
        nation = region_nation
    if nation in ("scotland", "wales", "northern-ireland") and not region:
        region = nation  # the three nations are their own regions
    if nation == "uk" and not region:
        region = "uk-wide"
    geography = [(k, v) for k, v in (("nation", nation), ("region", region),
                                     ("council_type", term("council_type", "council-types"))) if v]

    topics: list[str] = []
    tags: list[str] = []
    for value in split_list(values.get("topics")):
        found = resolver.term("topics", value)
        if found:
            topics.append(found)
        elif candidate.topics_to_tags:
            tags.append(value)
        else:
            close = resolver.closest("topics", value)
            hint = f" (did you mean '{close}'?)" if close else ""
            notes.append(Note(f"the topic '{one_line(value)[0][:60]}' is not in data/topics.yaml{hint}"))
            topics.append(one_line(value)[0])
    topics = list(dict.fromkeys(topics))
    if len(topics) > 5 and candidate.topics_to_tags:
        notes.append(Note(f"{len(topics)} topics matched; an entry has at most 5, so the first 5 were kept "
                          "and the rest became tags"))
        tags += topics[5:]
        topics = topics[:5]
    tags = list(dict.fromkeys(t for t in (tag_for(v) for v in [*tags, *split_list(values.get("tags"))]) if t))
    if len(tags) > MAX_TAGS:
        notes.append(Note(f"there were {len(tags)} tags; the first {MAX_TAGS} were kept", False))
        tags = tags[:MAX_TAGS]

    stage = term("stage", "stages")
    published = None
    raw_date = values.get("published")
    if raw_date not in (None, ""):
        published, date_note = parse_date(raw_date)
        if date_note:
            notes.append(Note(f"published: {date_note}", published is None or "month/day" in date_note))

    band = ""
    budget_text = text("budget_band")
    if budget_text:
        band = budget_band(budget_text, resolver) or ""
        if not band:
            notes.append(Note(f"the budget '{budget_text[:40]}' could not be matched to a budget band, "
                              "so it was left out"))
    funding = [one_line(v)[0] for v in split_list(values.get("funding_sources"))]

    contact = _contact(text("contact"), text("contact_email"), text("contact_url"), notes)
    team = text("contact_team")
    contact_fields = [(k, v) for k, v in (("team", team), *contact) if v]

    source = [("name", (options.source_name or options.mapping.name or candidate.source_name or default_name)[:200])]
    url = text("url") or candidate.source_url
    if url and _WEB_URL.fullmatch(url) and len(url) <= 500:
        source.append(("url", url))
    elif url:
        notes.append(Note("the original's address is not a web address (https://…), so it was not kept", False))
    if candidate.source_path:
        source.append(("path", candidate.source_path[:500]))
    source += [("format", fmt), ("imported", options.today)]

    licence_text = text("licence")
    licence = resolver.term("licence", licence_text) if licence_text else ""
    if licence_text and not licence:
        notes.append(Note(f"the licence '{licence_text[:40]}' is not one Casehub publishes under"))
        licence = licence_text
    authors = [one_line(v)[0] for v in split_list(values.get("authors"))]

    if changed_characters:
        notes += change_notes({"characters"})
    metadata: list[tuple[str, object]] = [
        ("title", title), ("summary", summary), ("type", entry_type), ("status", "published"),
        ("organisations", organisations), ("geography", geography), ("topics", topics), ("tags", tags),
        ("stage", stage), ("published", published), ("budget_band", band), ("funding_sources", funding),
        ("contact", contact_fields), ("source", source), ("licence", licence), ("authors", authors)]
    metadata = [(k, v) for k, v in metadata if v not in ("", None, [])]
    return Built(metadata, body, images, _unique(notes), title)


def _unique(notes: list[Note]) -> list[Note]:
    seen, out = set(), []
    for note in notes:
        if note.message not in seen:
            seen.add(note.message)
            out.append(note)
    return out


def _contact(combined: str, email: str, url: str, notes: list[Note]) -> list[tuple[str, str]]:
    found: dict[str, str] = {}
    for value in (combined, email, url):
        value = value.strip().strip("<>").strip()
        if not value:
            continue
        if value.lower().startswith("mailto:"):
            value = value[7:].strip()
        if re.match(r"(?i)https?://\S+$", value):
            found.setdefault("url", value)
        elif EMAIL_ADDRESS.fullmatch(value):
            found.setdefault("email", value)
        elif WEB_DOMAIN.fullmatch(value):
            found.setdefault("url", "https://" + value)
            notes.append(Note("https:// was added to the contact web page", False))
        else:
            notes.append(Note("the contact is not an e-mail address or a web page, so it was left out"))
    return [(k, found[k]) for k in ("email", "url") if k in found]


# Writing -----------------------------------------------------------------------------------------


def _as_fields(metadata: list[tuple[str, object]]) -> dict:
    """The built (key, value) pairs as the fields the entry-file writer takes: pairs become mappings."""
    def plain(value):
        if isinstance(value, list) and value and isinstance(value[0], tuple):
            return {name: plain(item) for name, item in value}
        if isinstance(value, list):
            return [plain(item) for item in value]
        return value
    return {key: plain(value) for key, value in metadata}


def render_entry(built: Built, status: str, header: list[str]) -> str:
    """The entry's text: a comment for people, then the front matter, then the body."""
    fields = _as_fields(built.metadata)
    fields["status"] = status
    return dump(fields, built.body, comments=[one_line(line)[0] for line in header])


class Writer:
    """Claims ids and writes entries into the output folder (or, in a dry run, a scratch folder)."""

    def __init__(self, project: Project, options: ImportOptions):
        self.project = project
        self.options = options
        self.output = Path(os.path.abspath(options.output_dir or project.entries_dir))
        self.scratch = tempfile.TemporaryDirectory(prefix="casehub-import-") if options.dry_run else None
        self.ids = IdClaims(project, self.output)
        if self.scratch:  # a dry run claims in the scratch folder, against everything the real one holds
            scratch_ids = IdClaims(project, Path(self.scratch.name))
            scratch_ids.taken.update(self.ids.taken)
            self.ids = scratch_ids
        self.claims: dict[str, object] = {}

    def close(self) -> None:
        if self.scratch:
            self.scratch.cleanup()

    def shown(self, entry_id: str, folder: bool) -> str:
        path = self.output / entry_id / "index.md" if folder else self.output / f"{entry_id}.md"
        return self.project.relative(path)

    def choose_id(self, title: str, fallback: str, as_folder: bool = False) -> tuple[str, str]:
        """Claim an id that is free, and say why the first choice was not ('' when it was): an existing
        file (named), an earlier item of this import, or a path the site uses."""
        base = _base_id(title) or _base_id(fallback) or "imported-entry"
        claimed = self.ids.claim(base, as_folder=as_folder)
        self.claims[claimed.id] = claimed
        return claimed.id, claimed.why_not_first.replace("in this run", "in this import")

    def is_taken(self, title: str, fallback: str) -> str:
        base = _base_id(title) or _base_id(fallback) or "imported-entry"
        return self.ids.holder(base)

    def write(self, entry_id: str, built: Built, header: Callable[[str], list[str]]) -> tuple[Path, str, list[Finding]]:
        """Fill the claimed entry file (and copy its images) — a draft if it has findings or notes for a
        person. Returns the path, the status and the validator's findings. If anything fails, the claimed
        file is removed again, so a failed item leaves nothing behind."""
        claimed = self.claims.pop(entry_id)
        path = claimed.path
        folder_entry = path.name == "index.md"
        shown = self.shown(entry_id, folder_entry)
        try:
            for image in built.images:
                with open(image.source, "rb") as src, open(path.parent / image.name, "xb") as dst:
                    shutil.copyfileobj(src, dst)
            wants_draft = any(n.review for n in built.notes)
            status = "draft" if wants_draft else "published"
            text = render_entry(built, status, header(status))
            findings = _distinct(self._check(text, path, shown))
            if status == "published" and any(f.severity == "error" for f in findings):
                status = "draft"
                text = render_entry(built, status, header(status))
            claimed.write(text)
        except BaseException:
            shutil.rmtree(path.parent) if folder_entry else path.unlink(missing_ok=True)
            raise
        return path, status, findings

    def _check(self, text: str, path: Path, shown: str) -> list[Finding]:
        from ...core.validate import validate_document

        try:
            document = parse(text.encode("utf-8"), path, shown)
        except LoadError as error:  # pragma: no cover - we write only what the loader reads
            raise CasehubError(f"{shown}: the importer wrote something the loader cannot read "
                               f"({error.finding}); please report this") from None
        found = validate_document(document, self.project, set()) + [
            replace(f, path=shown) for f in check_ids([path], self.project)]
        return sorted(found)


def _distinct(findings: list[Finding]) -> list[Finding]:
    return list({str(f): f for f in findings}.values())


def _base_id(text: str) -> str:
    slug = slugify(text or "")
    if len(slug) > MAX_ID:
        slug = slug[:MAX_ID + 1].rsplit("-", 1)[0] if "-" in slug[:MAX_ID + 1] else slug[:MAX_ID]
    slug = slug.strip("-")
    return slug if slug and ID_PATTERN.fullmatch(slug) else ""


# Running ------------------------------------------------------------------------------------------


class ImportRun:
    """A prepared import: the importer has listed its items; `run` converts and writes them."""

    def __init__(self, project: Project, importer: Importer):
        self.project = project
        self.importer = importer
        self.items = importer.items()

    def __len__(self) -> int:
        return len(self.items)

    def run(self, on_item: Callable[[int], object] | None = None) -> ImportReport:
        importer, options = self.importer, self.importer.options
        writer = Writer(self.project, options)
        resolver = Resolver(self.project)
        report = ImportReport(importer.format, str(importer.source), self.project.relative(writer.output),
                              options.dry_run, importer.notes)
        default_name = importer.default_source_name()
        self.published: dict[str, tuple[Built, Callable[[str], list[str]]]] = {}
        try:
            for item in self.items:
                report.outcomes.append(self._one(item, writer, resolver, default_name))
                if on_item:
                    on_item(1)
        finally:
            writer.close()
        if not options.dry_run:
            self._validate_written(report)
        return report

    def _validate_written(self, report: ImportReport) -> None:
        """Check every file written with the validator, in one pass over the library; its findings are
        the ones reported. An entry written as published that now has findings (the library changed
        meanwhile) becomes a draft."""
        from ...core.validate import validate

        outcomes = [o for o in report.outcomes if o.path and o.status in ("published", "draft")]
        if not outcomes:
            return
        checked = validate(self.project, [self.project.root / o.path for o in outcomes])
        by_path: dict[str, list[Finding]] = {}
        for finding in checked.findings:
            by_path.setdefault(finding.path, []).append(finding)
        for outcome in outcomes:
            outcome.findings = _distinct(by_path.get(outcome.path, []))
            if outcome.status == "published" and any(f.severity == "error" for f in outcome.findings):
                built, header = self.published[outcome.path]
                outcome.status = "draft"
                outcome.notes.append(Note("the library check found problems the import did not expect"))
                with open(self.project.root / outcome.path, "w", encoding="utf-8", newline="\n") as handle:
                    handle.write(render_entry(built, "draft", header("draft")))

    def _one(self, item, writer: Writer, resolver: Resolver, default_name: str) -> Outcome:
        importer, options = self.importer, self.importer.options
        origin = importer.origin(item)
        try:
            candidate = importer.convert(item)
            built = build_entry(resolver, candidate, options, importer.format, default_name, importer.root)
        except Failure as failure:
            return Outcome(origin, "failed", notes=[Note(str(failure))])
        except (RecursionError, UnicodeError, ValueError) as error:  # one odd file must not stop the run
            return Outcome(origin, "failed", notes=[Note(f"it could not be converted ({error.__class__.__name__})")])
        notes = list(built.notes)
        if candidate.draft_reason:
            notes.insert(0, Note(candidate.draft_reason))
        fallback = candidate.fallback_id
        if options.on_clash == "skip" and (existing := writer.is_taken(built.title, fallback)):
            return Outcome(origin, "skipped", notes=[Note(f"{existing} exists; skipped (nothing was written)")])
        entry_id, clash = writer.choose_id(built.title, fallback, as_folder=bool(built.images))
        shown = writer.shown(entry_id, bool(built.images))
        if clash:
            duplicate = not clash.startswith("'")
            notes.insert(0, Note(f"{clash}; saved as {shown}" + (": check whether it is the same entry" if duplicate
                                                                    else ""), duplicate))
        built.notes = notes

        def header(status: str) -> list[str]:
            """Comment lines for whoever opens a draft: where it came from and what to check."""
            if status != "draft":
                return []
            review = [n for n in notes if n.review]
            return [f"Imported by casehub import on {options.today.isoformat()} from {origin}.",
                    "A draft: check it against the original, fix what 'casehub validate' reports, "
                    "then set status: published and delete these comment lines.",
                    *(f"- {n.message}" for n in review[:MAX_COMMENT_NOTES])]

        try:
            path, status, findings = writer.write(entry_id, built, header)
        except OSError as error:
            return Outcome(origin, "failed", notes=[*notes, Note(f"{shown} could not be written ({error.strerror})")])
        if status == "published":
            self.published[shown] = (built, header)  # in case the final check turns it into a draft
        return Outcome(origin, status, shown, entry_id, findings, notes, len(built.images))


# Reporting ------------------------------------------------------------------------------------------


def report_text(report: ImportReport) -> str:
    imported = report.count("published") + report.count("draft")
    verb = "Would import" if report.dry_run else "Imported"
    lines = [f"{verb} {imported} entr{'y' if imported == 1 else 'ies'} from {report.source} ({report.format}) "
             f"into {report.output}/: {report.count('published')} ready to publish, "
             f"{report.count('draft')} saved as drafts."]
    if report.count("skipped") or report.count("failed"):
        lines.append(f"{report.count('skipped')} skipped, {report.count('failed')} could not be imported.")
    attention = report.attention
    lines.append(f"{len(attention)} need{'s' if len(attention) == 1 else ''} a person's attention"
                 + (":" if attention else "."))
    for outcome in attention:
        where = outcome.path or "(nothing written)"
        lines.append("")
        lines.append(f"{where} — {outcome.status}, from {outcome.origin}")
        for note in outcome.notes:  # what needs a person first, then what the importer changed
            if note.review:
                lines.append(f"  - {note.message}")
        for note in outcome.notes:
            if not note.review:
                lines.append(f"  - (changed) {note.message}")
        for finding in outcome.findings:
            lines.append(f"  - {finding}")
    if report.notes:
        lines.append("")
        lines += [f"Note: {note}" for note in report.notes]
    if report.dry_run:
        lines.append("")
        lines.append("This was a dry run: nothing was written.")
    elif imported:
        lines.append("")
        lines.append(f"Next: review the drafts, then run 'casehub validate {report.output}'.")
    return "\n".join(lines) + "\n"


def report_json(report: ImportReport) -> str:
    return json.dumps(report.as_dict(), indent=2, ensure_ascii=False) + "\n"


# Mappings -------------------------------------------------------------------------------------------

def check_field(name: str, where: str) -> None:
    if name.startswith(SECTION_PREFIX) and name[len(SECTION_PREFIX):].strip():
        return
    if name not in FIELDS:
        close = difflib.get_close_matches(name, list(FIELDS), n=1)
        hint = f"did you mean '{close[0]}'? " if close else ""
        raise ImportUsageError(f"{where}: '{name}' is not a field the importer fills — {hint}use one of: "
                               + ", ".join(FIELDS) + f", or {SECTION_PREFIX}<Heading> for a body section")


def read_mapping(path: Path) -> Mapping:
    """A mapping file (YAML, read with the strict loader): name, map, sections and defaults.

    Its shape is checked against schemas/import-mapping.schema.json; the fields it names, here."""
    from ...core.loader import load_data_document
    from ...core.schema import data_findings

    if not path.is_file():
        raise ImportUsageError(f"{path}: no such mapping file")
    try:
        document = load_data_document(path, str(path))
    except LoadError as error:
        raise ImportUsageError(f"the mapping file cannot be read: {error.finding}") from None
    problems = data_findings(document, "import-mapping")
    if problems:
        raise ImportUsageError("\n".join(str(problem) for problem in sorted(problems)))
    data = document.metadata
    mapping = Mapping(name=_text_value(data.get("name")))
    for key, target in (("map", mapping.fields), ("sections", mapping.sections), ("defaults", mapping.defaults)):
        for name, value in (data.get(key) or {}).items():
            target[str(name)] = _text_value(value)
    for name in mapping.fields:
        check_field(name, str(path))
    if any(name.startswith(SECTION_PREFIX) for name in mapping.defaults) or "body" in mapping.defaults:
        raise ImportUsageError(f"{path}: defaults cannot give a body or a section")
    for name in mapping.defaults:
        check_field(name, f"{path}: defaults")
    return mapping


def _text_value(value) -> str:
    return "" if value is None else str(value)  # a number, as written: the schema lets nothing else through


def parse_pairs(pairs: tuple[str, ...] | list[str], option: str) -> dict[str, str]:
    """`FIELD=VALUE` pairs from the command line."""
    found: dict[str, str] = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        name = name.strip()
        if not sep or not name:
            raise ImportUsageError(f"{option} {pair!r}: write FIELD=VALUE, for example {option} title=\"Project name\"")
        found[name] = value.strip()
    return found


def build_mapping(project: Project, mapping_file: Path | None, maps: dict[str, str], defaults: dict[str, str]
                  ) -> Mapping:
    """The mapping file (if any), with --map and --default on top; defaults are checked against the vocabularies."""
    mapping = read_mapping(mapping_file) if mapping_file else Mapping()
    for name, column in maps.items():
        check_field(name, "--map")
        if name.startswith(SECTION_PREFIX):
            mapping.sections[name[len(SECTION_PREFIX):].strip()] = column
        else:
            mapping.fields[name] = column
    for name, value in defaults.items():
        if name == "body" or name.startswith(SECTION_PREFIX):
            raise ImportUsageError("--default cannot give a body or a section")
        check_field(name, "--default")
        mapping.defaults[name] = value
    for name in list(mapping.fields):  # section:<Heading> given in the map section of a file
        if name.startswith(SECTION_PREFIX):
            mapping.sections[name[len(SECTION_PREFIX):].strip()] = mapping.fields.pop(name)
    resolver = Resolver(project)
    vocabularies = {"type": "types", "region": "regions", "council_type": "council-types", "stage": "stages"}
    for name, value in mapping.defaults.items():
        problem = ""
        if name in vocabularies and not resolver.term(vocabularies[name], value):
            problem = f"not in data/{vocabularies[name]}.yaml"
        elif name == "topics" and not all(resolver.term("topics", v) for v in split_list(value)):
            problem = "not all of them are in data/topics.yaml"
        elif name == "nation" and not resolver.nation(value):
            problem = "not England, Scotland, Wales, Northern Ireland or UK"
        elif name == "published" and not parse_date(value)[0]:
            problem = "not a date"
        if problem:
            raise ImportUsageError(f"the default {name} '{value}' is {problem}")
    return mapping
