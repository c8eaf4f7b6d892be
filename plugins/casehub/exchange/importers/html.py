"""Saved web pages of case studies: `casehub import html saved-pages/`.

For pages exported from an old platform's library, or saved from a browser
("Save page as…", with its `_files` folder beside it). From each page:

- the title: the first `<h1>` (in the main content if there is one), else
  `og:title`, else `<title>` without the site's name;
- the summary: the description meta tag (or og:description), else the first paragraph;
- the date: `article:published_time`, other date meta tags, `<time datetime>`,
  or text such as "Published: 3 March 2021";
- keywords and article tags: topics where they match the vocabulary, tags otherwise;
- the body: `<main>`, else `<article>`, else the block with the most paragraph
  text, without navigation, headers, footers, cookie banners or share buttons,
  converted to Markdown (htmltomd.html_to_markdown drops scripts, styles, frames,
  forms, hidden elements and event handlers); links made absolute against the
  page's canonical address (or, without one, its place under --base-url);
  images saved beside the page carried along.

The text is decoded as the page declares (`<meta charset>`), with the web's
rule that ISO-8859-1 means Windows-1252, falling back to UTF-8 and then
Windows-1252 with a note. A page is never published as it stands: every entry
from a web page is a draft, for a person to check against the original.
"""

from __future__ import annotations

import codecs
import re
from pathlib import Path
from urllib.parse import quote, urljoin

from .htmltomd import change_notes, html_to_markdown
from .model import Candidate, FileImporter, ImportUsageError, Note

SUFFIXES = (".html", ".htm", ".xhtml")
MAX_BYTES = 5_000_000
CHROME = ("nav", "header", "footer", "aside")
# Page furniture by class or id: cookie banners, breadcrumbs, share buttons… Only short elements go,
# so a block of text whose class happens to say "social" (social-care, say) stays.
_CHROME_WORDS = frozenset({"cookie", "cookies", "consent", "gdpr", "breadcrumb", "breadcrumbs", "share", "sharing",
                           "sharethis", "addthis", "social", "skiplink", "skip", "newsletter", "masthead", "advert",
                           "advertisement", "ad", "ads", "sidebar", "related", "pagination", "feedback"})
MAX_CHROME_TEXT = 400
_META_CHARSET = re.compile(rb"<meta[^>]+charset\s*=\s*[\"']?\s*([A-Za-z0-9_.:-]+)", re.IGNORECASE)
_PUBLISHED_TEXT = re.compile(
    r"(?:first published|date published|published(?: on)?|posted(?: on)?|date)\s*:?\s*"
    r"((?:\d{1,2}(?:st|nd|rd|th)?\s+[A-Za-z]+\.?\s+\d{4})|(?:\d{1,2}/\d{1,2}/\d{2,4})|(?:\d{4}-\d{2}-\d{2})"
    r"|(?:[A-Za-z]+\.?\s+\d{1,2},?\s+\d{4}))", re.IGNORECASE)
_DATE_META = ("article:published_time", "og:published_time", "datepublished", "date", "dc.date",
              "dc.date.issued", "dcterms.created", "dcterms.issued", "publication_date", "citation_publication_date")
DRAFT_REASON = ("imported from a saved web page: check the text, images and links against the original, "
                "then set status: published")


def decode_html(data: bytes) -> tuple[str, str]:
    """The page's text, and a note when its declared encoding was wrong or missing and it was not UTF-8."""
    for bom, encoding in ((b"\xef\xbb\xbf", "utf-8"), (b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be")):
        if data.startswith(bom):
            try:
                return data[len(bom):].decode(encoding), ""
            except UnicodeDecodeError:
                break
    declared = ""
    match = _META_CHARSET.search(data[:4096])
    if match:
        try:
            declared = codecs.lookup(match.group(1).decode("ascii")).name
        except (LookupError, UnicodeDecodeError):
            declared = ""
        if declared in ("latin-1", "iso8859-1", "ascii"):
            declared = "cp1252"  # the web's rule: these labels mean Windows-1252
        elif declared.startswith("utf-16"):
            declared = "utf-8"  # a page read as bytes cannot be UTF-16 if it declared it in ASCII
    if declared:
        try:
            return data.decode(declared), ""
        except UnicodeDecodeError:
            pass
    try:
        text = data.decode("utf-8")
        note = f"the page says it is {match.group(1).decode('ascii', 'replace')} but is UTF-8; read as UTF-8" \
            if match and declared else ""
        return text, note
    except UnicodeDecodeError:
        shown = match.group(1).decode("ascii", "replace") if match else "nothing"
        return data.decode("cp1252", errors="replace"), (
            f"the page declares {shown} as its encoding but is not UTF-8, so it was read as Windows-1252: "
            "check accented letters and symbols")


def _meta(soup, *names: str) -> list[str]:
    wanted = {n.lower() for n in names}
    found = []
    for tag in soup.find_all("meta"):
        key = str(tag.get("property") or tag.get("name") or tag.get("itemprop") or "").lower()
        content = tag.get("content")
        if key in wanted and content and str(content).strip():
            found.append(" ".join(str(content).split()))
    return found


def _title_from_head(text: str) -> str:
    """A <title> without the site's name: 'Repairs redesign | Example Council' -> 'Repairs redesign'."""
    parts = [p.strip() for p in re.split(r"\s+[|–—·-]\s+|\s+::\s+", text) if p.strip()]
    if len(parts) > 1 and len(parts[0]) >= 5:
        return parts[0]
    return text.strip()


def _content(soup):
    """The element holding the page's own text."""
    for selector in ("main", "article", "[role=main]", "#content", "#main-content", ".content"):
        found = soup.select_one(selector)
        if found and len(found.get_text(" ", strip=True)) > 80:
            return found
    scores: dict[int, tuple[int, object]] = {}
    for paragraph in soup.find_all("p"):
        parent = paragraph.parent
        if parent is None:
            continue
        score = len(paragraph.get_text(" ", strip=True))
        old = scores.get(id(parent), (0, parent))[0]
        scores[id(parent)] = (old + score, parent)
    if scores:
        return max(scores.values(), key=lambda pair: pair[0])[1]
    return soup.body or soup


class HtmlImporter(FileImporter):
    max_bytes = MAX_BYTES
    noun = "page"
    suffixes = SUFFIXES
    kind = "a web page (.html or .htm)"

    format = "html"
    description = "saved web pages, one case study a page"

    def wanted(self, parts: tuple[str, ...]) -> bool:
        return not any(p.startswith(".") or p.endswith("_files") for p in parts[:-1])  # a saved page's own folder

    def items(self) -> list[Path]:
        source = self.source
        files = self.source_files()
        if source.is_file():
            return files
        if not files:
            raise ImportUsageError(f"{source} has no saved web pages (.html or .htm) to import")
        if not self.options.mapping.empty:
            self.notes.append("--map and a mapping's map and sections are not used for web pages; "
                              "defaults and the name are")
        return files

    def convert(self, path: Path) -> Candidate:
        from bs4 import BeautifulSoup

        notes: list[Note] = []
        data = self.read(path)
        text, note = decode_html(data)
        if note:
            notes.append(Note(note, "Windows-1252" in note, "text-encoding"))
        soup = BeautifulSoup(text, "html.parser")

        base_url = ""
        canonical = soup.find("link", rel=lambda r: r and "canonical" in (r if isinstance(r, list) else [r]))
        for candidate in [canonical.get("href") if canonical else None, *_meta(soup, "og:url")]:
            if candidate and re.match(r"(?i)https?://\S+$", str(candidate).strip()):
                base_url = str(candidate).strip()
                break
        site_name = next(iter(_meta(soup, "og:site_name")), "")

        content = _content(soup)
        heading = content.find("h1") or soup.find("h1")
        title = heading.get_text(" ", strip=True) if heading else ""
        if not title:
            title = next(iter(_meta(soup, "og:title", "twitter:title")), "")
        if not title and soup.title and soup.title.string:
            title = _title_from_head(str(soup.title.string))
        summary = next(iter(_meta(soup, "description", "og:description", "twitter:description")), "")
        published = next(iter(_meta(soup, *_DATE_META)), "")
        if not published:
            time = content.find("time", datetime=True) or soup.find("time", datetime=True)
            published = str(time["datetime"]) if time else ""
        if not published:
            match = _PUBLISHED_TEXT.search(soup.get_text(" ", strip=True))
            published = match.group(1) if match else ""
        keywords = [k for value in _meta(soup, "keywords", "article:tag", "article:section")
                    for k in value.split(",") if k.strip()]
        authors = [a for a in _meta(soup, "author", "article:author") if not re.match(r"(?i)https?://", a)]

        changes: set[str] = set()
        for tag in content.find_all(CHROME):
            tag.decompose()
        for tag in content.find_all(True):
            if tag.decomposed:
                continue
            names = " ".join([str(tag.get("id", "")), *map(str, tag.get("class", []) or [])]).lower()
            words = set(re.split(r"[-_\s]+", names))
            if words & _CHROME_WORDS and len(tag.get_text(" ", strip=True)) < MAX_CHROME_TEXT:
                tag.decompose()
        if heading is not None and not heading.decomposed and heading.get_text(" ", strip=True) == title:
            heading.decompose()
        body = html_to_markdown(content, changes, base_url)
        changes.discard("html")  # every page is converted; only what was removed is worth a note
        notes += [replace_review(n) for n in change_notes(changes)]
        values: dict[str, object] = {"title": title, "summary": summary, "published": published,
                                     "topics": keywords, "authors": authors}
        if not published:
            notes.append(Note("no publication date was found on the page", code="published-missing"))
        page_url = base_url or self.page_url(path)
        return Candidate(
            origin=self.origin(path), values=values, body=body, source_path=self.relative(path),
            source_url=page_url, source_name=site_name, base_dir=path.parent, notes=notes,
            draft_reason=DRAFT_REASON, fallback_id=path.stem, topics_to_tags=True, base_url=base_url,
            addresses=[page_url] if page_url else [], content_path=self.relative(path),
            site_url=self.base_url or page_url)

    def page_url(self, path: Path) -> str:
        """The page's address on the original site, from --base-url and its place in the folder ('' if not given):
        a folder saved from a site keeps the site's paths."""
        if not self.base_url:
            return ""
        relative = self.relative(path)
        if Path(relative).stem.lower() == "index":
            relative = relative.rsplit("/", 1)[0] + "/" if "/" in relative else ""
        return urljoin(self.base_url, quote(relative))


def replace_review(note: Note) -> Note:
    """Removing page furniture from a page is expected; the draft reason already asks for a check."""
    return Note(note.message, False, note.code)
