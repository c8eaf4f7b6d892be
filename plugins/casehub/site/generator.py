"""The Pelican content type for entries.

`EntryGenerator` reads `casestudies/` through the validator (and so the one
strict loader), stops the build with the validator's own errors if any (what
drafts still need is not an error: they are never published), and
writes every page that is made from entries: each entry, the home page, the
browse pages, the search page and the published schema, and (through
`opendata`) the JSON, CSV, Atom feeds and sitemap. Only validated fields
reach templates, and output paths come from ids the validator has checked, so
an entry cannot choose a template, a setting or where anything is written.

Pelican constructs the generator from settings, so nothing is handed to it but
them: it reads its options there (CASEHUB_SHORTCUTS and the rest) and records
itself in the build's `state.BuildState` (the CASEHUB_BUILD setting), which is
how `casehub serve` reaches it afterwards. It keeps no module-level state; its
caches (the entry cards) live as long as it does.
"""

from __future__ import annotations

import functools
import gc
import json
import logging
import os
import shutil
from datetime import date
from pathlib import Path

from markupsafe import Markup
from pelican.generators import Generator
from pelican.utils import sanitised_join

from ..contribute.webform import endpoint_origin, routes, shared_with_the_form
from ..core import rules
from ..core.cache import ContentCache, code_version, default_folder, digest, folder_digest, link_or_copy, page_sum
from ..core.councils import ATTRIBUTION_URL as COUNCILS_ATTRIBUTION_URL
from ..core.entry import Entry
from ..core.findings import Finding
from ..core.loader import LoadError, load
from ..core.parallel import map_in_chunks
from ..core.project import Project
from ..core.publishable import classify
from ..core.report import as_text
from ..core.rules import IMAGE_SUFFIXES
from ..core.schema import published_schema
from ..core.validate import validate, validate_document
from ..exchange.federation import federated_entries
from . import search
from .dates import build_date
from .library import HOME_LIST, Library
from .opendata import Site, entry_jsonld, write_entry_file, write_open_data
from .render import render_all
from .state import state_of
from .stats import library_stats

logger = logging.getLogger(__name__)

# What entry pages are not rendered with: the date (they say only whether a review is overdue)
# and where the build reads and writes, which would make a page's key differ from folder to folder.
NOT_FOR_ENTRY_PAGES = {"today", "OUTPUT_PATH", "PATH", "THEME", "CASEHUB_ROOT", "CASEHUB_CACHE_DIR", "CACHE_PATH",
                       "PLUGIN_PATHS", "THEME_TEMPLATES_OVERRIDES"}

# The Atom feed of every listed entry; each browse term has its own beside its page.
ALL_FEED = "feed.xml"


class BuildStopped(SystemExit):
    """Bad content: the build stops with the validator's findings.

    A SystemExit, so that Pelican's own command exits with status 1 and the
    findings, and no traceback, rather than logging it as a crash."""

    def __init__(self, findings: list[Finding], checked: int):
        self.findings = findings
        self.checked = checked
        super().__init__(as_text(findings, checked).rstrip("\n")
                         + "\nThe site was not built: fix the problems above and build again.")


def project_for(settings: dict) -> Project:
    return Project(settings.get("CASEHUB_ROOT") or Path(settings["PATH"]).parent)


def load_library(project: Project, federated: bool = False, shortcuts: bool = True,
                 cache: ContentCache | None = None) -> Library:
    """Validate the whole library and build entries from it, or raise BuildStopped.

    With `federated`, partner hubs' entries are read from their local copies (checked again);
    `shortcuts=False` renders bodies with stock Python-Markdown (see `render.Renderer`); with
    a `cache`, files checked and rendered before are taken from it (`core/cache.py`)."""
    # Each file read, checked and rendered in one pass.
    # Drafts that are not complete yet stop nothing: they are left out, and counted.
    report = validate(project, render=True, shortcuts=shortcuts, cache=cache)
    if not report.ok:
        raise BuildStopped(report.errors, report.checked)
    entries = []
    for document in report.documents:
        entry = Entry(document.id, document.display_path, document.metadata, Markup(document.html), project)
        entry.cache_key = document.cache_key  # its page is kept under a key made from this one
        entries.append(entry)
    return Library(entries, project,
                   federated_entries(project) if federated else (),
                   unfinished_drafts=len(report.unfinished))


def paginate(items: list, size: int) -> list[list]:
    return [items[i:i + size] for i in range(0, len(items), size)] or [[]]


def page_window(number: int, count: int) -> list[int | None]:
    """The page links a listing shows: first, last, and the current page with its neighbours,
    None marking a gap (as GOV.UK's pagination does). A fixed number of links, so a listing's
    pages do not grow with the library, nor does writing them all grow with its square."""
    shown = sorted({1, count, *range(max(1, number - 1), min(count, number + 1) + 1)})
    window: list[int | None] = []
    for n in shown:
        if window and n - window[-1] > 1:
            window.append(None)
        window.append(n)
    return window


class EntryGenerator(Generator):
    """Reads entries and writes the pages made from them."""

    def generate_context(self):
        self.project = project_for(self.settings)
        self.state = state_of(self.settings)  # what this build leaves for its caller (see `state`)
        # False builds the straightforward way (stock Markdown, each card rendered where it is used).
        self.shortcuts = self.settings.get("CASEHUB_SHORTCUTS", True)
        # Each entry's cards by heading level, for this build (and its previews): by the entry
        # object, which the cache holds, so that an id is never reused for another entry.
        self._cards: dict[int, tuple[Entry, dict[str, Markup]]] = {}
        folder = self.settings.get("CASEHUB_CACHE_DIR", default_folder(self.project.root))
        self.cache = self.state.cache = ContentCache(Path(folder) if folder else None)
        self.library = load_library(self.project, federated=True, shortcuts=self.shortcuts, cache=self.cache)
        # The library lives as long as the build and holds no garbage: the collector need not walk
        # it again and again (`build.build_site` unfreezes it however the build ends).
        gc.freeze()
        # The search index in parts, oldest first (`search.py`); the search page loads the newest first.
        self.part_size = size = search.part_size(self.settings)
        indexed = sorted(self.library.shown, key=lambda e: (e.published_date, e.federated, e.id))
        self.search_parts = search.plan([f"{e.url}index.html" for e in indexed], size)
        today = build_date(self.settings)
        self.context.update(library=self.library, today=today,
                            CASEHUB_REPO_URL=self.settings.get("CASEHUB_REPO_URL", ""),
                            COUNCIL_CREDIT_URL=COUNCILS_ATTRIBUTION_URL,
                            contribute_shared=shared_with_the_form(), contribute_routes=routes(self.project),
                            contribute_connect=endpoint_origin(self.project))
        self.env.auto_reload = False  # a build's templates do not change under it: no stat of each, every page
        self.env.globals["entry_card"] = self.entry_card
        self.env.globals["entry_cards"] = self.entry_cards
        self.env.globals["HOME_LIST"] = HOME_LIST

    def entry_card(self, entry: Entry, heading: str) -> Markup:
        """An entry's card in a list, rendered once per heading level and reused on every
        listing it appears in (an entry is on eight or more)."""
        cached = self._cards.get(id(entry))
        if cached is None:
            cached = self._cards[id(entry)] = (entry, {})
        cards = cached[1]
        if heading not in cards or not self.shortcuts:
            cards[heading] = Markup(self.get_template("_entry_card").render(
                SITEURL=self.context.get("SITEURL", ""), entry=entry, card_heading=heading))
        return cards[heading]

    def entry_cards(self, entries: list[Entry], heading: str) -> Markup:
        """Entries' cards one after another, as a listing shows them: one call for a page, where
        a template's loop over `entry_card` costs as much again as the cards it lists."""
        return Markup("".join([self.entry_card(entry, heading) for entry in entries]))

    def generate_output(self, writer):
        self.state.generator = self  # `casehub serve` updates single entries through this generator
        write = self.write_page
        write("index.html", "index", feed=ALL_FEED)
        write("search/index.html", "search", search_filters=self.library.search_filters,
              search_parts=[part.folder.removeprefix(f"{search.FOLDER}/") + "/" for part in self.search_parts[1:]],
              search_first=search.first_load(self.search_parts, self.part_size))
        write("404.html", "404")
        write("stats/index.html", "stats", stats=library_stats(self.library, self.project, self.context["today"]))
        pages: list[tuple[str, str, dict]] = []  # listing pages, queued to be written with the entry pages

        def queue(name: str, template: str, **extra) -> None:
            pages.append((name, template, extra))

        self._write_federated(queue)
        self._write_browse(queue, self.settings.get("CASEHUB_PAGE_SIZE", 50))
        # The pages search reads first (entries, ours and partner hubs'), then Pagefind starts on
        # them while the listings and the open data are written.
        self._write_shared([p for p in pages if p[1] == "federated"], self.library.published)

        def meanwhile() -> None:  # in this process, while the workers write the listings
            if self.settings.get("CASEHUB_SEARCH", True):
                search.start_indexing(self.state, self.output_path, self.search_parts, self.cache,
                                      self.state.page_sums)
            self._write_schema()
            write_open_data(self.library, self.project, self.site, self.output_path, self.shortcuts)

        self._write_shared([p for p in pages if p[1] != "federated"], [], meanwhile)

    def _write_shared(self, pages: list[tuple[str, str, dict]], entries: list[Entry], meanwhile=None) -> None:
        """Queued pages, then entry pages (each with its open data): the bulk of the site,
        shared out between the cores (`meanwhile` as for `map_in_chunks`)."""
        self.library.prepare_related()  # once, before the work is shared out
        self.entry_context  # noqa: B018 - worked out once, before the work is shared out
        for item in map_in_chunks(_write_chunk, range(len(pages) + len(entries)), self, pages, entries,
                                  meanwhile=meanwhile):
            if isinstance(item, tuple):
                self.state.page_sums[item[0]] = item[1]
            else:
                self.state.cached_pages.add(item)

    @functools.cached_property
    def site(self) -> Site:
        return Site.from_settings(self.settings)

    def write_entry(self, entry: Entry) -> list:
        """An entry's page, its images and its open data (`entry.json`); returns the names of
        the files it took from, or kept in, the content cache, and (page, hash of its bytes)
        for the search index's parts (`search.Indexer`), so they need not be read again.

        The page is rendered from the entry, its related entries and the plain values of the
        build's context (`entry_context`) only, so that it is a function of what its cache key
        holds: the entry's own key (its file, `data/`, the code), each related entry's key and
        why it is related, whether its review is overdue, the context and the templates."""
        name = f"{entry.id}/index.html"
        related = self.library.related(entry)
        overdue = entry.is_overdue(self.context["today"])
        key = None
        if entry.cache_key and all(other.cache_key for other, _ in related):
            key = digest(self.entry_context[1], name, entry.cache_key, str(overdue),
                         *(part for other, why in related for part in (other.cache_key, why)))

        def page() -> tuple[Path, bytes]:
            site_url, site_name = self.settings.get("SITEURL", ""), self.settings.get("SITENAME", "")
            data = self.get_template("entry").render(
                {**self.entry_context[0], "output_file": name, "entry": entry, "related": related,
                 "overdue": overdue, "jsonld": entry_jsonld(entry, site_url, site_name)}).encode("utf-8")
            return self._write(name, data), data

        def open_data() -> tuple[Path, bytes]:
            path = write_entry_file(entry, self.site, Path(self.output_path))
            return path, path.read_bytes()

        kept, page_hash = self._cached(name, key, page)
        self._copy_images(entry)
        # Its open data: a function of the entry and the site's settings alone.
        data_key = digest(self.entry_context[1], "entry.json", entry.cache_key) if entry.cache_key else None
        return kept + self._cached(f"{entry.id}/entry.json", data_key, open_data)[0] + [(name, page_hash)]

    def _cached(self, name: str, key: str | None, make) -> tuple[list[str], str]:
        """The file `name` from the content cache if it is kept under `key`, else made (`make()`
        writes it and returns its path and bytes) and kept; returns the names it is kept under
        and the hash of its bytes."""
        found = self.cache.file_for("pages", key) if key else None
        if found is not None and self._place(found, name):
            return [found.name], found.name.split(".", 1)[1]
        path, data = make()
        kept = self.cache.keep_file("pages", key, path, data) if key else None
        return [kept] if kept else [], page_sum(data)

    @functools.cached_property
    def entry_context(self) -> tuple[dict, str]:
        """The context entry pages are rendered from besides the entry (the settings and other
        plain values every page shows, not the library or today's date), and a hash of it, of
        the templates and of the code, for their keys in the content cache."""
        plain = {k: v for k, v in self.context.items() if k not in NOT_FOR_ENTRY_PAGES and _plain(v)}
        plain["localsiteurl"] = self.context.get("localsiteurl")
        templates = Path(self.settings["THEME"]) / "templates"
        return plain, digest("entry page", code_version(), folder_digest(templates),
                             json.dumps(plain, sort_keys=True, default=str))

    def _write_federated(self, write):
        """Partner hubs' entries, each a short page at hubs/<hub>/<id>/, and a listing per hub."""
        for hub, entries in self.library.hubs:
            write(f"{hub.listing_url}index.html", "listing", entries=entries, page_number=1, page_count=1,
                  page_base=hub.listing_url, total=len(entries), title=f"From {hub.name}", hub=hub)
            for entry in entries:
                write(f"{entry.url}index.html", "federated", entry=entry)

    def _write_browse(self, write, page_size):
        """The all-entries listing and every facet's pages, each naming its Atom feed."""
        self._write_pages(write, "entries", self.library.shown, page_size,
                          title="All entries", feed=ALL_FEED)
        for facet in self.library.browse_facets:
            write(f"{facet.key}/index.html", "facet", facet=facet, feed=ALL_FEED)
            for term, entries in facet.groups:
                self._write_pages(write, f"{facet.key}/{term.id}", entries, page_size,
                                  **self._term_context(facet, term))
        write("collections/index.html", "collections", collections=self.library.collections, feed=ALL_FEED)
        for collection in self.library.collections:
            write(f"{collection.url}index.html", "collection", collection=collection,
                  feed=f"{collection.url}feed.xml")

    def write_page(self, name: str, template: str, **extra) -> bool:
        """Render one page and write it, unless the file already holds exactly that.

        Like Pelican's writer (same context, same output), but leaves unchanged
        files alone, so a rebuild rewrites only what changed."""
        context = {**self.context, "localsiteurl": self.context.get("localsiteurl"), "output_file": name, **extra}
        data = self.get_template(template).render(context).encode("utf-8")
        path = Path(sanitised_join(self.output_path, name))
        try:
            if path.read_bytes() == data:
                return False
        except OSError:
            pass
        self._write(name, data)
        return True

    def _write(self, name: str, data: bytes) -> Path:
        """Write a page's bytes, or link the last good build's page if it holds exactly them."""
        path = Path(sanitised_join(self.output_path, name))
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            if path.read_bytes() == data:
                return path
        except OSError:
            pass
        if self.state.previous is not None and _link_if_same(self.state.previous / name, path, data):
            return path  # the last build's page, unchanged: linked, not rewritten
        # Write beside it, then swap: a reader (casehub serve) never sees half a page.
        temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        temporary.write_bytes(data)
        os.replace(temporary, path)
        return path

    def _place(self, kept: Path, name: str) -> bool:
        """Put a page kept in the content cache in place (a hard link where possible)."""
        path = Path(sanitised_join(self.output_path, name))
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        try:
            link_or_copy(kept, temporary)
            os.replace(temporary, path)
        except OSError:
            return False
        return True

    def update_entry(self, path: Path) -> list[Finding] | None:
        """Preview one edited entry fast: check it, then rewrite its page and the first page of
        every listing it is on. Returns the findings if it is bad (nothing is written), or None;
        a draft's findings are all "todo" when only its completeness is in question.

        Other pages that mention it (related entries, later listing pages, feeds, search) catch
        up at the next full build; `casehub serve` runs one in the background."""
        shown = self.project.relative(path)
        known = set(self.library.by_id) | {path.parent.name if path.name == "index.md" else path.stem}
        try:
            document = load(path, shown)
        except LoadError as error:
            return [error.finding]
        found = classify(validate_document(document, self.project, known) + rules.check_ids([path], self.project),
                         document.metadata)
        if found:
            return found
        old = self.library.by_id.get(document.id)
        if old is not None:
            self._cards.pop(id(old), None)
        entry = Entry(document.id, shown, document.metadata, Markup(render_all([document.body], self.shortcuts)[0]),
                      self.project)
        self.library = Library([e for e in self.library.all if e.id != entry.id] + [entry], self.project,
                               self.library.federated, self.library.unfinished_drafts)
        self.context["library"] = self.library
        if entry.status != "draft":
            self.write_entry(entry)
        size = self.settings.get("CASEHUB_PAGE_SIZE", 50)
        self.write_page("index.html", "index", feed=ALL_FEED)
        self._write_pages(self.write_page, "entries", self.library.shown, size, title="All entries",
                          feed=ALL_FEED, first_only=True)
        facets = {facet.key: facet for facet in self.library.browse_facets}
        for key, terms in {**(old.facet_terms() if old else {}), **entry.facet_terms()}.items():
            groups = {term: (term, members) for term, members in facets[key].groups}  # the term as the page names it
            for term in terms:
                if term in groups:
                    term, members = groups[term]
                    self._write_pages(self.write_page, f"{key}/{term.id}", members, size, first_only=True,
                                      **self._term_context(facets[key], term))
        return None

    def _term_context(self, facet, term) -> dict:
        """What a browse term's listing shows besides its entries: a topic is a community (its
        facilitators, collections and evidence summary); a council, its facts and its peers."""
        context = {"title": term.label, "facet": facet, "term": term, "feed": f"{term.url}feed.xml"}
        if facet.key == "topics":
            context.update(topic=self.project.vocabularies["topics"].by_id[term.id],
                           collections=[c for c in self.library.collections if term.id in c.topics],
                           evidence=self.library.evidence.get(term.id))
        elif facet.key == "councils":
            context.update(council=self.project.councils.by_slug[term.id],
                           peers=self.library.peer_councils(term.id))
        return context

    def _write_pages(self, write, base, entries, size, first_only=False, **extra):
        pages = paginate(entries, size)[:1] if first_only else paginate(entries, size)
        page_count = len(paginate(entries, size))
        for number, chunk in enumerate(pages, 1):
            name = f"{base}/index.html" if number == 1 else f"{base}/page/{number}/index.html"
            write(name, "listing", entries=chunk, page_number=number, page_count=page_count,
                  page_links=page_window(number, page_count), page_base=f"{base}/", total=len(entries), **extra)

    def _copy_images(self, entry: Entry):
        source = self.project.root / entry.source_path
        if source.name != "index.md":
            return
        for image in sorted(source.parent.rglob("*")):
            if image.suffix.lower() in IMAGE_SUFFIXES and image.is_file() and not image.is_symlink():
                target = Path(self.output_path) / entry.id / image.relative_to(source.parent)
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(image, target)

    def _write_schema(self):
        target = Path(self.output_path) / "schema" / "entry.schema.json"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(json.dumps(published_schema(self.project), indent=2, ensure_ascii=False) + "\n",
                          encoding="utf-8")


def _write_chunk(indices, generator: EntryGenerator, pages: list[tuple[str, str, dict]],
                 entries: list[Entry]) -> list[None]:
    # Runs in a forked worker (or in this process for small libraries): the generator,
    # its templates, the library and the queued pages are inherited (`map_in_chunks`
    # passes its arguments by fork), not sent.
    kept = []
    for i in indices:
        if i < len(pages):
            name, template, extra = pages[i]
            generator.write_page(name, template, **extra)
        else:
            kept += generator.write_entry(entries[i - len(pages)])
    return kept  # the pages taken from or kept in the content cache, for its pruning


def _plain(value) -> bool:
    """Whether a context value is plain data (and so can be hashed as JSON)."""
    if value is None or isinstance(value, (str, int, float, bool, date)):
        return True
    if isinstance(value, (list, tuple)):
        return all(_plain(v) for v in value)
    if isinstance(value, dict):
        return all(isinstance(k, str) and _plain(v) for k, v in value.items())
    return False


def get_generators(pelican):
    return EntryGenerator


def _link_if_same(old: Path, new: Path, data: bytes) -> bool:
    """Hard-link the last good site's page into the new build if it holds exactly `data`, so an
    unchanged page keeps its file (and its modification time) across the swap. The old site is
    never written to: every write replaces a file rather than changing one."""
    try:
        if old.stat().st_size != len(data) or old.read_bytes() != data:
            return False
        os.link(old, new)
    except OSError:
        return False
    return True
