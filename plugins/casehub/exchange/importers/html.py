"""Saved web pages of case studies: `casehub import html saved-pages/`.

For pages exported from an old platform's library, or saved from a browser
("Save page as…", with its `_files` folder beside it), and for `.html` pages
with Jekyll front matter. Pages of one site are read as a set first
(pages.SiteProfile): text that most of them repeat (menus, footers, a table of
related pages) is left out of every entry, and the site's name is taken out of
the titles. From each page:

- fields from Jekyll/YAML front matter at the top of the file, if any (the
  Markdown importer's keys), then from the facts the page shows (definition
  lists, tables of labels, "Organisation: …" lines in a sidebar; `--map
  organisation="Lead council"` names a label), then from meta tags;
- the title: the first `<h1>` of the content (not the site's logo), else
  `og:title`, else `<title>`, without the site's name;
- the summary: the description meta tag (or og:description), else the first paragraph;
- the date: `article:published_time`, other date meta tags, `<time datetime>`,
  or text such as "Published: 3 March 2021";
- keywords and article tags: topics where they match the vocabulary, tags otherwise;
- the body: `<main>`, `<article>` or a content landmark, else the element that
  readability-lxml picks, without navigation, headers, footers, cookie banners,
  share buttons or the text shared across pages, converted to Markdown by
  htmltomd.html_to_markdown; links made absolute against the page's canonical
  address (or, without one, its place under --base-url); images saved beside
  the page carried along.

Each entry notes the share of the page's words it kept (`text-kept-share`); the
report totals them. The text is decoded as the page declares (`<meta charset>`),
with the web's rule that ISO-8859-1 means Windows-1252, falling back to UTF-8
and then Windows-1252 with a note. A page is never published as it stands:
every entry from a web page is a draft, for a person to check against the original.
"""

from __future__ import annotations

import codecs
import re
from pathlib import Path
from urllib.parse import quote, urljoin

from ...core.project import fold_id
from .htmltomd import change_notes, html_to_markdown
from .markdown import IGNORED_KEYS, KEYS, MAX_ADDRESSES, split_front_matter
from .model import FIELDS, Candidate, Failure, FileImporter, ImportUsageError, Note
from .oldsite import OldSite
from .pages import (
    MIN_KEPT_WORDS,
    MIN_PAGES,
    Fact,
    SiteProfile,
    main_content,
    page_facts,
    remove_chrome,
    text_of,
    word_count,
)
from .templating import render_templating
from .vocab import Resolver

SUFFIXES = (".html", ".htm", ".xhtml")
MAX_BYTES = 5_000_000
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
    """A <title> without the site's name when nothing else says which part it is:
    'Repairs redesign | Example Council' -> 'Repairs redesign'."""
    parts = [p.strip() for p in re.split(r"\s+[|–—·-]\s+|\s+::\s+", text) if p.strip()]
    if len(parts) > 1 and len(parts[0]) >= 5:
        return parts[0]
    return text.strip()


def label_key(text: str) -> str:
    """A label or front matter key compared loosely: 'Lead Council:' and 'lead_council' -> 'lead council'."""
    return " ".join(re.sub(r"[_:\-]+", " ", str(text)).lower().split())


# The labels a page's facts use for each field, compared with `label_key`; `--map FIELD=Label` comes first.
FACT_LABELS: dict[str, tuple[str, ...]] = {
    "organisation": ("organisation", "organization", "council", "lead organisation", "lead organization",
                     "organisation name", "local authority", "authority", "lead council"),
    "partners": ("partners", "partner", "partner organisations", "partner organizations", "working with"),
    "nation": ("nation", "country"),
    "region": ("region",),
    "council_type": ("council type", "type of council", "authority type", "type of authority"),
    "topics": ("topic", "topics", "theme", "themes", "category", "categories", "subject", "policy area",
               "service area"),
    "tags": ("tags", "keywords"),
    "stage": ("stage", "project stage"),
    "published": ("date", "published", "date published", "publication date", "first published", "published on",
                  "posted", "posted on"),
    "budget_band": ("budget", "budget band", "cost", "project cost"),
    "funding_sources": ("funding", "funded by", "funding source", "funding sources"),
    "contact": ("contact", "contact details"),
    "contact_email": ("email", "e mail", "contact email"),
    "contact_team": ("contact team", "team"),
    "authors": ("author", "authors", "written by"),
    "licence": ("licence", "license"),
    "gss": ("gss", "gss code"),
    "type": ("type", "entry type", "content type"),
}


def fields_from(named: dict, explicit: dict[str, str], labels: dict) -> tuple[dict[str, object], dict[str, str]]:
    """Field values from values by name (facts or front matter, keys as `label_key` writes them): the
    name a mapping gives first, then the usual names. Returns the values and, by field, the name used."""
    values: dict[str, object] = {}
    used: dict[str, str] = {}
    for field in FIELDS:
        if field == "body":
            continue
        names = ([label_key(explicit[field])] if field in explicit else []) + [label_key(n) for n in
                                                                                labels.get(field, ())]
        for name in names:
            value = named.get(name)
            if value in (None, "", [], {}) or isinstance(value, (dict, bool)):
                continue
            if isinstance(value, list):
                value = [str(v) for v in value if isinstance(v, (str, int, float)) or hasattr(v, "isoformat")]
            values[field] = value
            used[field] = name
            break
    return values, used


class HtmlImporter(FileImporter):
    max_bytes = MAX_BYTES
    noun = "page"
    suffixes = SUFFIXES
    kind = "a web page (.html or .htm)"

    format = "html"
    description = "saved web pages, one case study a page"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._files: list[Path] = []
        self._profile: SiteProfile | None = None

    def wanted(self, parts: tuple[str, ...]) -> bool:
        return not any(p.startswith(".") or p.endswith("_files") for p in parts[:-1])  # a saved page's own folder

    def items(self) -> list[Path]:
        source = self.source
        files = self.source_files()
        if source.is_dir() and not files:
            raise ImportUsageError(f"{source} has no saved web pages (.html or .htm) to import")
        if self.options.mapping.sections:
            self.notes.append("a mapping's sections are not used for web pages; its map (labels of the facts "
                              "a page shows, or front matter keys), defaults and name are")
        self._files = files
        return files

    @property
    def resolver(self) -> Resolver:
        if not hasattr(self, "_resolver"):
            self._resolver = Resolver(self.project)
        return self._resolver

    @property
    def profile(self) -> SiteProfile:
        """What most pages of this import share, read from all of them the first time it is asked for."""
        if self._profile is None:
            from bs4 import BeautifulSoup

            profile = SiteProfile()
            for path in self._files if len(self._files) >= MIN_PAGES else []:
                try:
                    text = decode_html(self.read(path))[0]
                    text = split_front_matter(text)[1] if text.startswith("---") else text
                except Failure:
                    continue
                profile.add(BeautifulSoup(text, "html.parser"))
            self._profile = profile.finish()
            if profile.shared:
                self.notes.append(f"{len(profile.shared)} blocks of text found on most of the {profile.pages} pages "
                                  "(menus, footers, lists of related pages) were left out of every entry")
            if profile.site_names:
                names = ", ".join(f"'{n}'" for n in profile.site_names)
                self.notes.append(f"the site's name ({names}) was taken out of the titles")
        return self._profile

    @property
    def site(self) -> OldSite:
        """The site a page with front matter came from (a Jekyll site's configuration, if any), read once."""
        if not hasattr(self, "_site"):
            self._site = OldSite.find(self.source, self.options.base_url)
        return self._site

    def _front_matter(self, path: Path, text: str, notes: list[Note]) -> tuple[dict, str, list[str]]:
        """Jekyll front matter at the top of an .html file (keys as `label_key` writes them), the page with
        its Liquid rendered or removed, and its old addresses (permalink, redirect_from)."""
        if not text.startswith("---"):
            return {}, text, []
        meta, rest, _ = split_front_matter(text)
        meta = {str(k).lower(): v for k, v in meta.items()}
        rest, template_notes = render_templating(rest, self.site)
        notes.extend(template_notes)
        return {label_key(k): v for k, v in meta.items()}, rest, self.site.addresses(path, meta)[:MAX_ADDRESSES]

    def convert(self, path: Path) -> Candidate:
        from bs4 import BeautifulSoup

        notes: list[Note] = []
        data = self.read(path)
        text, note = decode_html(data)
        if note:
            notes.append(Note(note, "Windows-1252" in note, "text-encoding"))
        front, text, addresses = self._front_matter(path, text, notes)
        soup = BeautifulSoup(text, "html.parser")
        page_words = word_count(text_of(soup.body or soup))

        base_url = ""
        canonical = soup.find("link", rel=lambda r: r and "canonical" in (r if isinstance(r, list) else [r]))
        for candidate in [canonical.get("href") if canonical else None, *_meta(soup, "og:url")]:
            if candidate and re.match(r"(?i)https?://\S+$", str(candidate).strip()):
                base_url = str(candidate).strip()
                break
        site_name = next(iter(_meta(soup, "og:site_name")), "") or \
            (self.profile.site_names[0] if len(self.profile.site_names) == 1 else "")
        values = self._meta_values(soup)
        facts = page_facts(soup)
        profile = self.profile
        shared = profile.remove_shared(soup.body or soup)
        content = main_content(soup)
        in_body = {id(f.element) for f in facts if f.element is content or content in f.element.parents}
        values.update(self._fields(facts, front, notes, in_body))
        title = self._title(soup, content, front, profile, site_name)
        values["title"] = title
        remove_chrome(content)
        self._remove_title_heading(content, title)
        if content.name in ("td", "th", "tr", "li", "dd", "table", "tbody"):
            content.name = "div"
        changes: set[str] = set()
        body = html_to_markdown(content, changes, base_url)
        changes.discard("html")  # every page is converted; only what was removed is worth a note
        notes += [replace_review(n) for n in change_notes(changes)]
        kept = min(page_words, word_count(text_of(content)) + word_count(title)) if page_words else 0
        notes.append(self._kept_note(kept, page_words, bool(shared)))
        if not values.get("published"):
            notes.append(Note("no publication date was found on the page", code="published-missing"))
        page_url = base_url or (addresses[0] if addresses and addresses[0].startswith("http") else "") \
            or self.page_url(path)
        return Candidate(
            origin=self.origin(path), values=values, body=body, source_path=self.relative(path),
            source_url=page_url, source_name=site_name, base_dir=path.parent, notes=notes,
            draft_reason=DRAFT_REASON, fallback_id=path.stem, topics_to_tags=True, base_url=base_url,
            addresses=list(dict.fromkeys([page_url, *addresses] if page_url else addresses)),
            content_path=self.relative(path), site_url=self.base_url or page_url)

    def _fields(self, facts: list[Fact], front: dict, notes: list[Note], in_body: set[int]) -> dict[str, object]:
        """Field values from the page's facts and its front matter (which wins), with notes of what was
        read and what was not (facts shown in the body stay there, so they are not listed)."""
        mapped = self.options.mapping.fields
        shown = {label_key(fact.label): fact.label for fact in facts}
        from_facts, used = fields_from({label_key(f.label): f.value for f in facts}, mapped, FACT_LABELS)
        from_front, used_front = fields_from(front, mapped, KEYS)
        for values, names in ((from_facts, used), (from_front, used_front)):
            if "type" in values and not self.resolver.term("types", str(values["type"])):
                del values["type"], names["type"]
            if "url" in values and not re.match(r"(?i)https?://", str(values["url"])):
                del values["url"], names["url"]
        if used:
            notes.append(Note("read from the facts the page shows: " + ", ".join(
                f"{field.replace('_', ' ')} ({shown[name]})" for field, name in used.items()), False, "facts-read"))
        unused = [fact.label for fact in facts if label_key(fact.label) not in used.values()
                  and id(fact.element) not in in_body]
        left = [key for key in front if key not in used_front.values()
                and key not in {label_key(k) for k in IGNORED_KEYS}]
        for what, names in (("facts on the page", unused), ("front matter fields", left)):
            if names:
                notes.append(Note(f"{what} not imported (name one with --map FIELD=NAME): " + ", ".join(names[:12])
                                  + (" …" if len(names) > 12 else ""), False, "fields-not-imported"))
        return {**from_facts, **from_front}

    @staticmethod
    def _meta_values(soup) -> dict[str, object]:
        """Summary, date, keywords and authors from the page's meta tags (and a date from its text)."""
        summary = next(iter(_meta(soup, "description", "og:description", "twitter:description")), "")
        published = next(iter(_meta(soup, *_DATE_META)), "")
        if not published:
            time = soup.find("time", datetime=True)
            published = str(time["datetime"]) if time else ""
        if not published:
            match = _PUBLISHED_TEXT.search(soup.get_text(" ", strip=True))
            published = match.group(1) if match else ""
        keywords = [k for value in _meta(soup, "keywords", "article:tag", "article:section")
                    for k in value.split(",") if k.strip()]
        authors = [a for a in _meta(soup, "author", "article:author") if not re.match(r"(?i)https?://", a)]
        values: dict[str, object] = {"summary": summary, "published": published, "topics": keywords,
                                     "authors": authors}
        return {k: v for k, v in values.items() if v}

    @staticmethod
    def _title(soup, content, front: dict, profile: SiteProfile, site_name: str) -> str:
        """Front matter's title, the content's first <h1>, og:title or <title>, without the site's name."""
        if front.get("title") and not isinstance(front["title"], (dict, list)):
            return " ".join(str(front["title"]).split())
        headings = [h for h in [content.find("h1"), soup.find("h1")]
                    if h is not None and text_of(h) and not profile.is_shared_heading(text_of(h))]
        if headings:
            return profile.clean_title(text_of(headings[0]), site_name)
        for title in [*_meta(soup, "og:title", "twitter:title"),
                      soup.title.get_text(" ") if soup.title else ""]:
            cleaned = profile.clean_title(title, site_name)
            if cleaned:
                return cleaned if cleaned != " ".join(title.split()) else _title_from_head(cleaned)
        return ""

    @staticmethod
    def _remove_title_heading(content, title: str) -> None:
        """The heading in the content that repeats the title (the entry shows its title itself)."""
        folded = fold_id(title)
        for heading in content.find_all(["h1", "h2", "h3"], limit=3):
            if fold_id(text_of(heading)) == folded:
                heading.decompose()
                break

    @staticmethod
    def _kept_note(kept: int, total: int, shared: bool) -> Note:
        share = round(100 * kept / total) if total else 100
        data = {"kept_words": kept, "page_words": total, "share": share}
        if kept >= total:
            return Note(f"all of the page's words came across ({kept:,})", False, "text-kept-share", data)
        rest = "navigation, page furniture and text repeated on most pages" if shared else \
            "navigation and page furniture"
        message = f"{share}% of the page's words came across ({kept:,} of {total:,}); the rest was {rest}"
        little = kept < MIN_KEPT_WORDS
        if little:
            message += ": little of the page came across, so check it against the original"
        return Note(message, little, "text-kept-share", data)

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
