"""Open data: the library as files other programs can read.

Writes, beside the site's pages, a versioned JSON feed of every published entry
(`entries.json`, and `<id>/entry.json` for each entry), a flat CSV of the same
entries and one of their outcomes (a row each), the council register the "set
my council" control reads (`councils.json`), Atom feeds (all entries, and one per browse term), `sitemap.xml`, and
the schema.org JSON-LD for entry pages. Partner hubs' entries (federation.py)
are left out of every file: they are the partners' to publish. Every date in these files comes from
the entries themselves, never the clock, so two builds of the same library are
byte for byte the same. Reads `Entry` and `Library` only; writes nothing else.

`entries.json` is the feed another hub consumes: its `schema_version` is the
version of the entry schema (published at /schema/entry.schema.json), and each
entry is its front matter exactly as validated, plus `id`, `url`, `json_url`
and `file`, and `licence` filled in with its default.
"""

from __future__ import annotations

import csv
import html
import io
import json
import math
import os
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from xml.sax.saxutils import escape as xml_escape

from feedgenerator import Atom1Feed
from feedgenerator.django.utils.xmlutils import SimplerXMLGenerator
from markupsafe import Markup

from ..core.councils import ATTRIBUTION as COUNCILS_ATTRIBUTION
from ..core.councils import ATTRIBUTION_URL as COUNCILS_ATTRIBUTION_URL
from ..core.councils import POPULATION_BANDS, band_label
from ..core.entry import Entry, measure_kind
from ..core.project import Project
from ..core.schema import SCHEMA_VERSION
from .evidence import change_from_baseline
from .library import Library

# Feeds and the sitemap need absolute addresses. A development build has no
# SITEURL, so they fall back to where `casehub serve` serves the site
# (override with the CASEHUB_FEED_BASE setting); pages and JSON stay root-relative.
FEED_FALLBACK_BASE = "http://localhost:8000"
FEED_SIZE = 50
# An empty feed still needs an <updated> date; a fixed one keeps builds identical.
EMPTY_FEED_DATE = date(1970, 1, 1)
SITE_PAGES = ("search",)  # pages the plugin writes itself; content/pages adds the rest
# One row per outcome: the entry it belongs to, where in its list, then the outcome's own fields.
OUTCOME_FIELDS = ("entry_id", "entry_url", "outcome", "measure", "value", "unit", "baseline", "period",
                  "evidence", "source", "kind", "change_percent", "entry_title", "lead_organisation",
                  "topics", "region", "council_type", "budget_band", "stage")
OUTCOME_KEYS = ("measure", "value", "unit", "baseline", "period", "evidence", "source")  # as in the schema
COUNCIL_FIELDS = ("name", "short_name", "slug", "gss", "type", "region", "population", "page")
CSV_FIELDS = ("id", "url", "title", "summary", "type", "status", "stage", "published", "last_reviewed",
              "review_by", "nation", "region", "council_type", "topics", "tags", "lead_organisation",
              "organisations", "budget_band", "funding_sources", "outcomes_count", "contact_team",
              "contact_email", "contact_url", "licence")
# A spreadsheet runs a cell that starts with one of these as a formula
# (OWASP "CSV injection"), so such cells are written with a leading quote.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"


@dataclass(frozen=True)
class Site:
    """The settings open data needs: where the site lives, its name and its repository."""

    url: str = ""
    name: str = "Casehub"
    repo_url: str = ""
    feed_base: str = FEED_FALLBACK_BASE

    @classmethod
    def from_settings(cls, settings: dict) -> Site:
        url = (settings.get("SITEURL") or "").rstrip("/")
        return cls(url, settings.get("SITENAME", "Casehub"), settings.get("CASEHUB_REPO_URL", ""),
                   (url or settings.get("CASEHUB_FEED_BASE") or FEED_FALLBACK_BASE).rstrip("/"))

    def link(self, path: str) -> str:
        """A site path as pages and JSON give it: absolute when SITEURL is set, else root-relative."""
        return f"{self.url}/{path}"

    def absolute(self, path: str) -> str:
        """A site path as feeds and the sitemap need it: always absolute."""
        return f"{self.feed_base}/{path}"


def write_open_data(library: Library, project: Project, site: Site, output: Path | str,
                    shortcuts: bool = True) -> None:
    """Write the library-wide open data files into the built site.

    Each entry's own `entry.json` is written beside its page (`write_entry_file`).
    `shortcuts=False` writes every feed item afresh (see `EntryFeed`)."""
    output = Path(output)
    write_entries_json([entry_record(entry, site) for entry in library.published], site, output)
    write_csv(library, site, output)
    write_outcomes_csv(library, site, output)
    write_councils_json(library, project, output)
    write_feeds(library, site, output, shortcuts)
    write_sitemap(library, project, site, output, shortcuts)


def updated(entry: Entry) -> date:
    return entry.last_reviewed_date or entry.published_date


def entry_record(entry: Entry, site: Site) -> dict:
    """One entry as open data: its validated front matter, where it lives, and its licence."""
    return {**entry.meta, "licence": entry.licence_id, "id": entry.id, "url": site.link(entry.url),
            "json_url": site.link(f"{entry.id}/entry.json"), "file": entry.source_path}


def _dump(data) -> str:
    # Compact, like GOV.UK's content API and Datasette: smaller files, and Python's C encoder
    # (an indent would take the pure-Python one, ten times slower over a large library).
    return json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":")) + "\n"


def _write(path: Path, text: str) -> None:
    """Write beside, then replace: never into a file another may share (a page kept in the
    content cache is the same file as the page), and a reader never sees half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    temporary.write_text(text, encoding="utf-8", newline="")
    os.replace(temporary, path)


def write_entries_json(records: list[dict], site: Site, output: Path) -> None:
    """`entries.json`: every published and archived entry, newest first, with the schema version."""
    dates = [max(r["published"], r.get("last_reviewed", "")) for r in records]
    feed = {
        "schema_version": SCHEMA_VERSION,
        "generated": max(dates, default=None),  # the newest entry date, so rebuilds match
        "site": {"name": site.name, "url": site.link(""), "repository": site.repo_url,
                 "schema": site.link("schema/entry.schema.json"), "fields": site.link("fields/"),
                 "outcomes": site.link("outcomes.csv"), "evidence": site.link("evidence/")},
        "count": len(records),
        "entries": records,
    }
    _write(output / "entries.json", _dump(feed))


def write_entry_file(entry: Entry, site: Site, output: Path) -> Path:
    """`<id>/entry.json` for a published entry: the same object as in entries.json. Returns its path."""
    path = output / entry.id / "entry.json"
    _write(path, _dump(entry_record(entry, site)))
    return path


def safe_cell(value) -> str:
    """A CSV cell a spreadsheet shows as text, never runs as a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def csv_row(entry: Entry, site: Site) -> list[str]:
    meta = entry.meta
    geography, contact = meta["geography"], meta["contact"]
    row = {
        **{name: meta.get(name) for name in ("title", "summary", "type", "status", "stage", "published",
                                             "last_reviewed", "review_by", "budget_band")},
        "id": entry.id, "url": site.link(entry.url),
        "nation": geography["nation"], "region": geography["region"],
        "council_type": geography.get("council_type"),
        "topics": "; ".join(meta["topics"]), "tags": "; ".join(meta.get("tags", [])),
        "lead_organisation": entry.lead_organisation,
        "organisations": "; ".join(o["name"] for o in meta["organisations"]),
        "funding_sources": "; ".join(meta.get("funding_sources", [])),
        "outcomes_count": len(meta.get("outcomes", [])),
        "contact_team": contact["team"], "contact_email": contact.get("email"), "contact_url": contact.get("url"),
        "licence": entry.licence_id,
    }
    return [safe_cell(row[name]) for name in CSV_FIELDS]


def write_csv(library: Library, site: Site, output: Path) -> None:
    """`entries.csv`: one row per published entry, lists joined with semicolons."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, quoting=csv.QUOTE_MINIMAL, lineterminator="\n")
    writer.writerow(CSV_FIELDS)
    writer.writerows(csv_row(entry, site) for entry in library.published)
    _write(output / "entries.csv", buffer.getvalue())


def outcome_rows(entry: Entry, site: Site) -> list[list[str]]:
    meta = entry.meta
    rows = []
    for index, outcome in enumerate(meta.get("outcomes", [])):
        change = change_from_baseline(outcome)
        row = {**{key: outcome.get(key) for key in OUTCOME_KEYS},
               "entry_id": entry.id, "entry_url": site.link(entry.url), "outcome": index,
               "kind": measure_kind(outcome["unit"]), "change_percent": None if change is None else round(change, 1),
               "entry_title": meta["title"], "lead_organisation": entry.lead_organisation,
               "topics": "; ".join(meta["topics"]), "region": meta["geography"]["region"],
               "council_type": entry.peer["type"], "budget_band": meta.get("budget_band"), "stage": meta["stage"]}
        rows.append([outcome_cell(row[name]) for name in OUTCOME_FIELDS])
    return rows


def outcome_cell(value) -> str:
    """A number as JSON writes it (a reader gets back exactly what entries.json gives), which no
    spreadsheet runs as a formula even when negative; anything else made safe as text.

    As JSON writes it is as int's and float's own repr do, bar the three floats JSON names
    differently (NaN, Infinity, -Infinity): called for every cell, json.dumps costs ten times as much."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return safe_cell(value)
    if isinstance(value, int):
        return int.__repr__(value)
    return float.__repr__(value) if math.isfinite(value) else json.dumps(value)


def write_outcomes_csv(library: Library, site: Site, output: Path) -> None:
    """`outcomes.csv`: one row per outcome of every published entry, with its entry's id and
    place in its list (`outcome`), so each row leads back to `entries.json`."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, quoting=csv.QUOTE_MINIMAL, lineterminator="\n")
    writer.writerow(OUTCOME_FIELDS)
    for entry in library.published:
        writer.writerows(outcome_rows(entry, site))
    _write(output / "outcomes.csv", buffer.getvalue())


def write_councils_json(library: Library, project: Project, output: Path) -> None:
    """`councils.json`: every current council, for the "set my council" control, with what
    comparing councils needs (types, regions and their neighbours, population bands)."""
    with_pages = {term.id for facet in library.browse_facets if facet.key == "councils" for term, _ in facet.groups}
    vocabularies = project.vocabularies
    data = {
        "source": COUNCILS_ATTRIBUTION, "source_url": COUNCILS_ATTRIBUTION_URL, "licence": "CC-BY-4.0",
        "fields": list(COUNCIL_FIELDS),
        "councils": [[c.name, c.short_name, c.slug, c.gss, c.council_type, c.region, c.population,
                      c.slug in with_pages] for c in project.councils],
        "types": {item["id"]: item["label"] for item in vocabularies["council-types"].items},
        "regions": {item["id"]: {"label": item["label"], "neighbours": item.get("neighbours", [])}
                    for item in vocabularies["regions"].items},
        "bands": list(POPULATION_BANDS), "band_labels": [band_label(i) for i in range(len(POPULATION_BANDS))],
    }
    _write(output / "councils.json", _dump(data))


class EntryFeed(Atom1Feed):
    """An Atom feed whose <updated> comes from its entries, even when it has none.

    Given `written` (a dict shared by the feeds of one build), it writes each item's XML once,
    however many feeds the entry is in, and copies it into the others: an item's XML depends on
    the item alone, so the feeds are the same as when each is written afresh."""

    def __init__(self, *args, written: dict[str, str] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.written = written

    def latest_post_date(self):
        dates = [item["updateddate"] for item in self.items]
        return max(dates, default=EMPTY_FEED_DATE)

    def write_items(self, handler):
        if self.written is None:
            return super().write_items(handler)
        for item in self.items:
            xml = self.written.get(item["unique_id"])
            if xml is None:
                buffer = io.StringIO()
                alone = SimplerXMLGenerator(buffer, "utf-8", short_empty_elements=True)
                alone.startElement("entry", self.item_attributes(item))  # as Atom1Feed.write_items does
                self.add_item_elements(alone, item)
                alone.endElement("entry")
                xml = self.written[item["unique_id"]] = buffer.getvalue()
            handler.ignorableWhitespace(xml)  # SAX's way to write text as it is
        return None


def feed_item(entry: Entry, site: Site) -> dict:
    return {
        "title": entry.title, "link": site.absolute(entry.url), "unique_id": site.absolute(entry.url),
        # Atom's summary is written with type="html": escape it so the text reads as written.
        "description": html.escape(entry.summary, quote=False),
        "pubdate": entry.published_date, "updateddate": updated(entry),
        "categories": [term.label for term in entry.topic_terms],
        "author_name": entry.lead_organisation,
    }


def write_feed(path: str, page: str, title: str, entries: list[Entry], site: Site, output: Path,
               items: dict[str, dict], written: dict[str, str] | None = None) -> None:
    """One Atom feed of the newest FEED_SIZE entries, for the page at `page`."""
    feed = EntryFeed(title=title, link=site.absolute(page), feed_url=site.absolute(path),
                     description=f"The newest entries in {site.name}.", language="en-GB", written=written)
    for entry in entries[:FEED_SIZE]:
        if entry.id not in items:
            items[entry.id] = feed_item(entry, site)
        feed.add_item(**items[entry.id])
    _write(output / path, feed.writeString("utf-8"))


def write_feeds(library: Library, site: Site, output: Path, shortcuts: bool = True) -> None:
    """`feed.xml` for all listed entries, and `<facet>/<term>/feed.xml` for each browse term."""
    items: dict[str, dict] = {}  # one item per entry, however many feeds it is in
    written = {} if shortcuts else None  # and its XML, written once
    write_feed("feed.xml", "", f"{site.name}: newest entries", library.listed, site, output, items, written)
    for facet in library.browse_facets:  # a feed beside every browse page, of our own entries only
        for term, entries in facet.groups:
            write_feed(f"{term.url}feed.xml", term.url, f"{site.name}: {term.label}",
                       [e for e in entries if not e.federated], site, output, items, written)
    for collection in library.collections:
        write_feed(f"{collection.url}feed.xml", collection.url, f"{site.name}: {collection.title}",
                   collection.entries, site, output, items, written)


def site_paths(library: Library, project: Project) -> list[tuple[str, date | None]]:
    """Every page for search engines, with its last change where an entry gives one."""
    paths: list[tuple[str, date | None]] = [("", None), ("entries/", None)]
    paths += [(entry.url, updated(entry)) for entry in library.published]
    for facet in library.browse_facets:
        paths.append((facet.url, None))
        paths += [(term.url, None) for term, _ in facet.groups]
    paths.append(("collections/", None))
    paths += [(collection.url, None) for collection in library.collections]
    paths += [(f"{slug}/", None) for slug in sorted(project.page_slugs | set(SITE_PAGES))]
    return paths


def write_sitemap(library: Library, project: Project, site: Site, output: Path, shortcuts: bool = True) -> None:
    """`sitemap.xml` in the sitemaps.org format: first pages only, lastmod from entry dates.

    Written as text, in the very form ElementTree writes it indented (`shortcuts=False`), which
    takes five times as long for the tens of thousands of elements of a large library."""
    paths = site_paths(library, project)
    if shortcuts:
        urls = []
        for path, changed in paths:
            loc = f"    <loc>{xml_escape(site.absolute(path))}</loc>\n"
            urls.append(f"  <url>\n{loc}    <lastmod>{changed.isoformat()}</lastmod>\n  </url>\n" if changed
                        else f"  <url>\n{loc}  </url>\n")
        text = f'<urlset xmlns="{SITEMAP_NS}">\n' + "".join(urls) + "</urlset>"
    else:
        root = ET.Element("urlset", xmlns=SITEMAP_NS)
        for path, changed in paths:
            url = ET.SubElement(root, "url")
            ET.SubElement(url, "loc").text = site.absolute(path)
            if changed:
                ET.SubElement(url, "lastmod").text = changed.isoformat()
        ET.indent(root)
        text = ET.tostring(root, encoding="unicode")
    _write(output / "sitemap.xml", '<?xml version="1.0" encoding="UTF-8"?>\n' + text + "\n")


def entry_jsonld(entry: Entry, site_url: str, site_name: str) -> Markup:
    """schema.org JSON-LD for an entry page, safe inside <script type="application/ld+json">."""
    site_url = (site_url or "").rstrip("/")
    data = {
        "@context": "https://schema.org",
        "@type": "Article",
        "headline": entry.title,
        "description": entry.summary,
        "datePublished": entry.published_date.isoformat(),
        "dateModified": updated(entry).isoformat(),
        "author": {"@type": "Organization", "name": entry.lead_organisation},
        "publisher": {"@type": "Organization", "name": site_name, "url": f"{site_url}/"},
        "about": [term.label for term in entry.topic_terms],
        "keywords": entry.meta.get("tags", []),
        "spatialCoverage": {"@type": "Place", "name": entry.region_term.label},
        "license": entry.licence_url,
        "url": f"{site_url}/{entry.url}",
        "isAccessibleForFree": True,
        "inLanguage": "en-GB",
    }
    text = json.dumps(data, sort_keys=True, ensure_ascii=False)
    # Inside a script element "</script>" or "<!--" would end or change it; JSON
    # allows these characters as \u escapes, which read back as the same text.
    for char, escaped in (("&", "\\u0026"), ("<", "\\u003c"), (">", "\\u003e")):
        text = text.replace(char, escaped)
    return Markup(text)
