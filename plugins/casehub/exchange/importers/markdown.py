"""A folder of Markdown files from another static site: `casehub import markdown content/case-studies`.

Jekyll, Hugo and Eleventy keep pages as Markdown with front matter: YAML
between `---` lines (Hugo also TOML between `+++`, or JSON). Their fields map to
ours: title; summary (or description, excerpt); date (or publishDate, or a
Jekyll file name's date) → published; topics, tags, categories and keywords →
topics where they match the vocabulary, tags otherwise; author or authors;
and our own field names where a site already uses them (organisation, region,
stage…). `--map summary=lede` reads a field from another front matter key.

The front matter is parsed leniently (YAML 1.1, dates as timestamps), because
the source is not a Casehub entry, but safely: yaml.safe_load refuses tags such
as !!python/object, and a file that uses one, or many aliases, is reported and
not imported. The body keeps its Markdown; Hugo shortcodes, Liquid and
kramdown attributes are rendered or removed, each kind of change noted
(templating.py); relative images are carried into the entry's folder.

The site around the folder (oldsite.py) gives each page its old addresses (its
own, then `aliases`/`redirect_from`), which the run uses to point links between
pages at the new entries and to write a redirect map; pointed at a Hugo site's
own folder, only its content folder is read.

Templates, list pages and read-me files are skipped and named; the entry's id
comes from the page's slug; an expired page comes in archived; the mapping's
sections and row filters apply to front matter keys (sitefiles.py).
"""

from __future__ import annotations

import json
import re
import tomllib
from datetime import date
from pathlib import Path

import yaml

from .dates import parse_date
from .mapping import ItemFilter
from .model import Candidate, Failure, FileImporter, ImportUsageError, Note, Skip
from .oldsite import OldSite
from .sitefiles import expiry, front_matter_value, mapped_sections, page_slug, skip_reason
from .templating import render_templating
from .vocab import Resolver

SUFFIXES = (".md", ".markdown", ".mdown", ".mkd")
MAX_BYTES = 2_000_000
MAX_FRONT_MATTER = 100_000
MAX_ALIASES = 20
SKIPPED_FOLDERS = ("node_modules", "_site", "public", "vendor", "_includes", "_layouts", "_sass", "_data",
                   "_plugins", "layouts", "themes")  # archetypes/ are read, to be reported as templates
MAX_ADDRESSES = 50

try:
    _Loader = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - PyYAML built without libyaml
    _Loader = yaml.SafeLoader

# Front matter keys (lower case) that fill each field, first found wins. --map adds to the front.
KEYS: dict[str, tuple[str, ...]] = {
    "title": ("title", "name", "headline"),
    "summary": ("summary", "description", "excerpt", "lead", "lede", "intro", "abstract", "subtitle"),
    "published": ("date", "publishdate", "pubdate", "date_published", "datepublished", "published_at",
                  "published"),
    "topics": ("topics", "topic", "tags", "categories", "category", "keywords", "themes"),
    "authors": ("authors", "author"),
    "organisation": ("organisation", "organization", "council", "org"),
    "partners": ("partners",),
    "gss": ("gss",),
    "nation": ("nation",),
    "region": ("region",),
    "council_type": ("council_type", "counciltype"),
    "stage": ("stage",),
    "type": ("casehub_type", "entry_type", "type"),
    "budget_band": ("budget_band", "budget"),
    "funding_sources": ("funding_sources", "funding"),
    "contact": ("contact",),
    "contact_team": ("contact_team",),
    "contact_email": ("contact_email",),
    "contact_url": ("contact_url",),
    "licence": ("licence", "license"),
    "url": ("canonical_url", "canonicalurl", "canonical", "original_url", "source_url", "permalink", "url"),
    "tags": (),
    "slug": (),  # the page's own (sitefiles.page_slug) unless --map names another key
}
# Keys every static site has that carry nothing for an entry: not reported as left behind.
IGNORED_KEYS = frozenset({"layout", "draft", "weight", "slug", "aliases", "menu", "toc", "lastmod", "images",
                          "image", "thumbnail", "featured_image", "cover", "comments", "share", "sitemap",
                          "type", "id", "permalink", "url", "redirect_from", "nav_order", "parent", "sidebar",
                          "last_modified_at", "expirydate", "eleventyexcludefromcollections", "eleventynavigation",
                          "templateengineoverride", "pagination", "permalinkpattern", "show_date", "hidden",
                          "published", "tags", "categories", "keywords"})

_JEKYLL_DATE = re.compile(r"^(\d{4}-\d{2}-\d{2})-(.+)$")


def split_front_matter(text: str) -> tuple[dict, str, str]:
    """(front matter, body, kind) for YAML (---), TOML (+++) or JSON ({) front matter, or none.

    Raises Failure for front matter that cannot be read safely."""
    if text.startswith("---"):
        match = re.match(r"---[ \t]*\n(.*?\n)?(?:---|\.\.\.)[ \t]*(?:\n|$)", text, re.DOTALL)
        if not match:
            raise Failure("the front matter starts with --- but never ends")
        source, body = match.group(1) or "", text[match.end():]
        return _yaml(source), body, "yaml"
    if text.startswith("+++"):
        match = re.match(r"\+\+\+[ \t]*\n(.*?\n)?\+\+\+[ \t]*(?:\n|$)", text, re.DOTALL)
        if not match:
            raise Failure("the TOML front matter starts with +++ but never ends")
        if len(match.group(1) or "") > MAX_FRONT_MATTER:
            raise Failure("the front matter is too long to be page settings")
        try:
            return tomllib.loads(match.group(1) or ""), text[match.end():], "toml"
        except tomllib.TOMLDecodeError as error:
            raise Failure(f"the TOML front matter cannot be read ({error})") from None
    if text.startswith("{"):
        try:
            data, end = json.JSONDecoder().raw_decode(text)
        except json.JSONDecodeError as error:
            raise Failure(f"the JSON front matter cannot be read ({error.msg}, line {error.lineno})") from None
        if not isinstance(data, dict):
            raise Failure("the JSON front matter is not an object")
        return data, text[end:], "json"
    return {}, text, ""


def _yaml(source: str) -> dict:
    if len(source) > MAX_FRONT_MATTER:
        raise Failure("the front matter is too long to be page settings")
    try:
        aliases = sum(isinstance(event, yaml.AliasEvent) for event in yaml.parse(source, Loader=_Loader))
        if aliases > MAX_ALIASES:
            raise Failure(f"the front matter uses {aliases} YAML aliases; it was not read, to be safe")
        data = yaml.load(source, Loader=_Loader)  # noqa: S506 - a safe loader: tags such as !!python are refused
    except yaml.constructor.ConstructorError as error:
        tag = f" ({error.problem})" if error.problem else ""
        raise Failure(f"the front matter uses a YAML tag that is refused{tag}; nothing was imported from it, "
                      "to be safe") from None
    except yaml.MarkedYAMLError as error:
        line = error.problem_mark.line + 2 if error.problem_mark else 1
        raise Failure(f"the front matter is not valid YAML (line {line}: {error.problem})") from None
    except yaml.YAMLError as error:
        raise Failure(f"the front matter is not valid YAML ({error})") from None
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise Failure("the front matter is not a set of 'name: value' lines")
    return data


def _texts(value) -> list[str]:
    """A front matter value as a list of texts: a list, a comma-separated string, or {name: …} items."""
    if value is None or isinstance(value, bool):
        return []
    if isinstance(value, dict):
        return _texts(value.get("name") or value.get("title"))
    if isinstance(value, (list, tuple)):
        return [t for item in value for t in _texts(item)]
    text = str(value).strip()
    if not text:
        return []
    return [part.strip() for part in re.split(r"[;,]", text) if part.strip()]


def _labels(value) -> list[str]:
    """A front matter value as labels: a list's items (or their names), or a text as it is, commas and all
    (the builder splits it without breaking a label that has a comma in it)."""
    if isinstance(value, str):
        return [value] if value.strip() else []
    return _texts(value) if isinstance(value, dict) else [t for item in value for t in _labels(item)] \
        if isinstance(value, (list, tuple)) else _texts(value)


class MarkdownImporter(FileImporter):
    max_bytes = MAX_BYTES
    noun = "file"
    suffixes = SUFFIXES
    kind = "a Markdown file (.md or .markdown)"

    format = "markdown"
    description = "a folder of Markdown files with front matter (Jekyll, Hugo, Eleventy)"
    filters = True
    filter: ItemFilter | None = None  # the mapping's where: and skip:, set by `items`

    def wanted(self, parts: tuple[str, ...]) -> bool:
        return not (any(p.startswith(".") or p in SKIPPED_FOLDERS for p in parts[:-1]) or parts[-1].startswith("."))

    @property
    def site(self) -> OldSite:
        """The site the folder belongs to, read once (its generator, address and permalink rules)."""
        if not hasattr(self, "_site"):
            self._site = OldSite.find(self.source, self.options.base_url)
        return self._site

    @property
    def base_url(self) -> str:
        return self.site.base_url

    @property
    def image_root(self) -> Path:
        return self.site.root if self.site.kind else self.root

    def old_path(self, content_path: str) -> str:
        own = self.site.own_path(content_path, {})
        return self.site.host_path(own) if own and not own.startswith("http") else ""

    def items(self) -> list[Path]:
        """Every Markdown file; templates, list pages and read-me files are skipped one by one, so the report
        names them (unless the folder holds nothing else)."""
        source = self.source
        files = self.source_files()
        site = self.site
        if site.kind:
            address = f"its address is {site.base_url}" if site.base_url else \
                "its address is not known (give --base-url to link to pages that were not imported)"
            self.notes.append(f"read as a {site.kind.capitalize()} site ({site.config}): {address}")
        if site.kind == "hugo" and source.is_dir() and source.resolve() == site.root:
            archetypes = site.root / "archetypes"  # kept, to be named as templates in the report
            files = [path for path in files if path.resolve().is_relative_to(site.content)
                     or path.resolve().is_relative_to(archetypes)]
        if not files:
            raise ImportUsageError(f"{source} has no Markdown files (.md or .markdown) to import")
        if source.is_dir() and all(skip_reason(path.relative_to(source).parts) for path in files):
            raise ImportUsageError(f"{source} has no Markdown pages to import: its {len(files)} Markdown file(s) are "
                                   "templates, list pages (_index.md) or read-me files")
        self.filter = ItemFilter(self.options.mapping.where, self.options.mapping.skip)
        return files

    def convert(self, path: Path) -> Candidate:
        if self.source.is_dir() and (reason := skip_reason(path.relative_to(self.source).parts)):
            raise Skip(reason, "template-skipped")  # before it is read: a template need not be valid YAML
        notes: list[Note] = []
        data = self.read(path)
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            text = data.decode("cp1252", errors="replace")
            notes.append(Note("the file is not UTF-8, so it was read as Windows-1252: check accented letters "
                              "and symbols", code="text-encoding"))
        text = text.replace("\r\n", "\n").replace("\r", "\n")
        meta, body, kind = split_front_matter(text)
        meta = {str(k).lower(): v for k, v in meta.items()}
        if self.source.is_dir() and (reason := skip_reason(path.relative_to(self.source).parts, meta)):
            raise Skip(reason, "template-skipped")
        if self.filter and (reason := self.filter.reason(lambda key: front_matter_value(meta, key))):
            raise Skip(reason, "filtered-out")
        if not kind:
            notes.append(Note("the file has no front matter: the title is its first heading or its file name",
                              code="front-matter-missing"))
        body, template_notes = render_templating(body, self.site)
        notes += template_notes
        sections, body, used, section_notes = mapped_sections(meta, body, self.options.mapping.sections)
        notes += section_notes

        def first(field: str):
            keys = list(KEYS.get(field, ()))
            mapped = self.options.mapping.fields.get(field)
            if mapped:
                keys.insert(0, mapped.lower())
            for key in keys:
                value = meta.get(key)
                if field == "published" and key == "published" and isinstance(value, bool):
                    continue  # Jekyll's published: false is not a date
                if value not in (None, "", [], {}):
                    used.add(key)
                    return value
            return None

        values: dict[str, object] = {}
        for field in KEYS:
            if field in ("topics", "tags", "published", "authors", "url", "type"):
                continue
            value = first(field)
            if value is not None and not isinstance(value, (dict, list)):
                values[field] = str(value)
            elif isinstance(value, list) and field in ("partners", "funding_sources"):
                values[field] = _texts(value)
        topic_keys = [self.options.mapping.fields["topics"].lower()] if "topics" in self.options.mapping.fields \
            else list(KEYS["topics"])
        values["topics"] = list(dict.fromkeys(t for key in topic_keys for t in _labels(meta.get(key))))
        used.update(k for k in topic_keys if meta.get(k))
        values["authors"] = _texts(first("authors"))
        url = first("url")
        if isinstance(url, str) and re.match(r"(?i)https?://", url):
            values["url"] = url
        addresses = self.site.addresses(path, meta)[:MAX_ADDRESSES]
        entry_type = first("type")
        if entry_type is not None and not isinstance(entry_type, (dict, list)):
            if self.resolver.term("types", str(entry_type)):
                values["type"] = str(entry_type)
            else:
                used.discard("type")
        stem = path.parent.name if path.stem.lower() in ("index", "_index") else path.stem
        jekyll = _JEKYLL_DATE.match(stem)
        published = first("published")
        if isinstance(published, (date, str, int)) and not isinstance(published, bool):
            values["published"] = published
        elif jekyll:
            values["published"] = jekyll.group(1)
        title = values.get("title") or self._heading(body) or re.sub(r"[-_]+", " ", jekyll.group(2) if jekyll
                                                                     else stem).strip().capitalize()
        values["title"] = title
        if not meta.get("title") and kind:
            notes.append(Note("the front matter has no title: it was taken from the first heading or the file name",
                              code="title-from-body"))
        draft = meta.get("draft") is True or meta.get("published") is False
        if isinstance(published, (date, str)) and parse_date(published)[0] and parse_date(published)[0] > \
                self.options.today:
            notes.append(Note("the original's date is in the future: it may not have been published yet",
                              code="date-in-future"))
        archived_reason, expired = expiry(meta, self.options.today)
        notes += [expired] if expired else []
        left = sorted(k for k in meta if k not in used and k not in IGNORED_KEYS)
        if left:
            notes.append(Note("front matter fields not imported: " + ", ".join(left[:15])
                              + (" …" if len(left) > 15 else ""), False, "fields-not-imported"))
        return Candidate(
            origin=self.origin(path), values=values, body=body, sections=sections, source_path=self.relative(path),
            base_dir=path.parent, notes=notes, topics_to_tags=True, addresses=addresses,
            source_url=addresses[0] if addresses and addresses[0].startswith("http") else "",
            content_path=self.site.content_path(path), site_url=self.site.base_url, slug=page_slug(path, meta),
            archived_reason=archived_reason,
            draft_reason="the original was marked as a draft or not published" if draft else "",
            fallback_id=jekyll.group(2) if jekyll else stem)

    @property
    def resolver(self) -> Resolver:
        if not hasattr(self, "_resolver"):
            self._resolver = Resolver(self.project)
        return self._resolver

    @staticmethod
    def _heading(body: str) -> str:
        """The first level-one heading, in Markdown or HTML, as plain text."""
        match = re.search(r"^#[ \t]+([^\n]*[^ \t#\n]|[ \t#])[ \t#]*$|<h1\b[^<>]*>((?:(?!<h1\b).)*?)</h1\s*>", body,
                          re.MULTILINE | re.IGNORECASE | re.DOTALL)
        if not match:
            return ""
        return " ".join(re.sub(r"<[^<>]*>", " ", match.group(1) or match.group(2)).split())
