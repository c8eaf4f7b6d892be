"""Library statistics that lead to action: the numbers behind /stats/ and `casehub stats`.

Owns counting: entries by topic, region, council type, type, stage and year (every
term of a vocabulary, those with no entries too), contributions over time, what is
new this month, organisations and contributors, review health, totals, and the
topic × council type grid whose empty cells are the gaps to fill. Each row knows
where it leads: its listing, or for a gap the Contribute page with that topic or
council type chosen (`?topic=…&council-type=…`) and an issue asking for one.

Contributors are credited by GitHub handle (an `authors` item written `@handle`),
else by the source an entry was imported from, else by its lead organisation:
never by a person's name, which `authors` may hold. Works on a `Library` only;
reads no files and writes none. The page draws bars with CSS classes (the site's
Content-Security-Policy allows no inline styles), the command prints text tables.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from urllib.parse import urlencode

from ..core.entry import slugify
from ..curate.review import STATES, review_state

# The facets the page counts, in the site's facet order, and the vocabulary each draws its rows from.
DIMENSIONS = ("topics", "regions", "council-types", "types", "stages")
REVIEW_LABELS = {"current": "Current", "due": "Due for review soon", "overdue": "Overdue for review"}
TOTAL_LABELS = {"listed": "Listed entries", "archived": "Archived entries", "drafts": "Drafts",
                "all": "All entries, drafts included"}
NOT_GIVEN = "Not given"
SHOWN = 10  # organisations and contributors drawn as bars; the rest are in the full table
BAR_STEPS = 20  # bar widths in 5% steps: classes w0 to w20 in stats.css
HANDLE = re.compile(r"@([A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38})")
# How the Contribute page's query string names each facet's field (contribute.js reads them).
PREFILL = {"topics": "topic", "regions": "region", "council-types": "council-type", "types": "type",
           "stages": "stage"}


@dataclass
class Row:
    """One bar: what is counted, how many, where it leads (relative to the site), and whether it is a gap."""

    label: str
    count: int
    url: str | None = None
    gap: bool = False


@dataclass
class Table:
    """One set of counts: what is counted, the row heading, and rows in order."""

    key: str
    title: str
    heading: str
    rows: list[Row] = field(default_factory=list)
    note: str = ""

    @property
    def total(self) -> int:
        return sum(row.count for row in self.rows)

    def width(self, row: Row) -> int:
        """The bar's width in steps of 5% of the longest (a count above 0 always shows)."""
        most = max((r.count for r in self.rows), default=0)
        return max(round(row.count * BAR_STEPS / most), 1) if row.count and most else 0

    def as_dict(self) -> dict:
        return {"title": self.title, "heading": self.heading,
                "rows": [{"label": r.label, "count": r.count, "url": r.url} for r in self.rows]}


@dataclass
class GridRow:
    """One topic across the council types: each cell's count and where it leads, and the request link."""

    topic: str
    label: str
    cells: list[Row]
    request: str  # the query string of a new issue asking for case studies to fill this row's gaps

    @property
    def gaps(self) -> int:
        return sum(1 for cell in self.cells if cell.gap)


@dataclass
class LibraryStats:
    today: date
    totals: dict[str, int]
    tables: dict[str, Table]  # topics, regions, council-types, types, stages, years, contributions
    review: Table
    review_period_months: int
    due_soon_days: int
    new_this_month: list = field(default_factory=list)  # entries published this calendar month, newest first
    organisations: Table | None = None
    contributors: Table | None = None
    council_types: list[tuple[str, str]] = field(default_factory=list)  # the grid's columns: (id, label)
    grid: list[GridRow] = field(default_factory=list)

    @property
    def gaps(self) -> int:
        return sum(row.gaps for row in self.grid)

    def as_dict(self) -> dict:
        return {"today": self.today.isoformat(), "totals": self.totals,
                "tables": {key: table.as_dict() for key, table in self.tables.items()},
                "review": self.review.as_dict(), "review_period_months": self.review_period_months,
                "due_soon_days": self.due_soon_days,
                "new_this_month": [{"id": e.id, "title": e.title, "published": e.meta["published"]}
                                   for e in self.new_this_month],
                "organisations": self.organisations.as_dict(), "contributors": self.contributors.as_dict(),
                "grid": {"council_types": [label for _, label in self.council_types],
                         "rows": [{"topic": row.label, "counts": [cell.count for cell in row.cells]}
                                  for row in self.grid]}}


def _per_year(entries) -> list[Row]:
    """Entries per year published, oldest first, with the years between filled in as 0."""
    counts = Counter(e.year for e in entries)
    if not counts:
        return []
    return [Row(str(year), counts[year]) for year in range(min(counts), max(counts) + 1)]


def _facet_rows(key: str, facet, project, listed) -> list[Row]:
    """Every term of the facet's vocabulary in order, those with no entries too (a gap: share one)."""
    counts = {term.id: len(entries) for term, entries in facet.groups}
    rows = []
    for item in project.vocabularies[key].items:
        count = counts.get(item["id"], 0)
        rows.append(Row(item["label"], count, f"{key}/{item['id']}/" if count
                        else "contribute/?" + urlencode({PREFILL[key]: item["id"]}), gap=not count))
    if key == "council-types":
        missing = sum(1 for e in listed if e.council_type_term is None)  # as given, or its council's
        if missing:
            rows.append(Row(NOT_GIVEN, missing))
    return rows


def credits(entry) -> list[tuple[str, str | None]]:
    """Who an entry is credited to, with where that leads: GitHub handles in `authors`, else the
    source it was imported from, else its lead organisation. Never a name `authors` gives."""
    handles = [m.group(1) for author in entry.meta.get("authors", []) if (m := HANDLE.fullmatch(author.strip()))]
    if handles:
        return [(f"@{h}", f"https://github.com/{h}") for h in dict.fromkeys(handles)]
    source = entry.meta.get("source")
    if source:
        return [(f"Imported from {source['name']}", None)]
    return [(entry.lead_organisation, f"organisations/{slugify(entry.lead_organisation)}/")]


def _ranked(counts: Counter, urls: dict[str, str | None]) -> list[Row]:
    return [Row(label, count, urls.get(label)) for label, count in
            sorted(counts.items(), key=lambda item: (-item[1], item[0].casefold()))]


def _grid(library, project) -> tuple[list[tuple[str, str]], list[GridRow]]:
    columns = [(item["id"], item["label"]) for item in project.vocabularies["council-types"].items]
    counts = Counter((topic, e.peer["type"]) for e in library.listed  # as given, or its council's
                     for topic in e.meta["topics"])
    rows = []
    for item in project.vocabularies["topics"].items:
        cells = []
        for council_type, council_label in columns:
            count = counts[item["id"], council_type]
            url = ("search/?" + urlencode({"topic": item["label"], "council-type": council_label}) if count
                   else "contribute/?" + urlencode({"topic": item["id"], "council-type": council_type}))
            cells.append(Row(council_label, count, url, gap=not count))
        missing = [cell.label for cell in cells if cell.gap]
        request = urlencode({
            "title": f"Request: case studies on {item['label']}",
            "body": f"There are no entries on {item['label']} yet from: {', '.join(missing)}.\n\n"
                    "I would like to learn from one (say what you would like to know, and from which kind "
                    "of council):\n\n" if missing else
                    f"I would like more case studies on {item['label']} (say what you would like to know):\n\n"})
        rows.append(GridRow(item["id"], item["label"], cells, request))
    return columns, rows


def library_stats(library, project, today: date) -> LibraryStats:
    """Count the library as of `today`: listed entries (published, not archived) unless named otherwise."""
    listed = library.listed
    settings = project.settings
    statuses = Counter(e.status for e in library.all)
    unfinished = library.unfinished_drafts  # drafts not complete yet are drafts too
    totals = {"listed": len(listed), "archived": statuses["archived"], "drafts": statuses["draft"] + unfinished,
              "all": len(library.all) + unfinished}
    facets = {facet.key: facet for facet in library.facets}
    tables: dict[str, Table] = {}
    for key in DIMENSIONS:
        facet = facets[key]
        note = ""
        if key == "topics":
            note = "An entry can have more than one topic, so these add up to more than the number of entries."
        tables[key] = Table(key, f"Entries by {facet.noun}", facet.noun.capitalize(),
                            _facet_rows(key, facet, project, listed), note)
    tables["years"] = Table("years", "Entries by year published", "Year",
                            [Row(r.label, r.count, "search/?" + urlencode({"year": r.label}) if r.count else None)
                             for r in _per_year(listed)])
    tables["contributions"] = Table(
        "contributions", "Contributions over time", "Year", _per_year(library.published),
        "Entries published each year, archived entries included.")
    states = Counter(review_state(e.meta, today, settings) for e in listed)
    review = Table("review", "Review health", "State", [Row(REVIEW_LABELS[s], states[s]) for s in STATES])
    organisations = facets["organisations"]
    organisation_table = Table("organisations", "Organisations", "Organisation",
                               _ranked(Counter({t.label: len(es) for t, es in organisations.groups}),
                                       {t.label: t.url for t, _ in organisations.groups}),
                               "Every organisation named in an entry, whatever its role.")
    credited, urls = Counter(), {}
    for entry in listed:
        for label, url in credits(entry):
            credited[label] += 1
            urls[label] = url
    contributor_table = Table("contributors", "Contributors", "Contributor", _ranked(credited, urls),
                              "By GitHub handle where an entry's authors give one, else by where it was "
                              "imported from or its lead organisation; never by a person's name.")
    new = [e for e in listed if (e.published_date.year, e.published_date.month) == (today.year, today.month)]
    columns, grid = _grid(library, project)
    return LibraryStats(today, totals, tables, review, settings["review_period_months"], settings["due_soon_days"],
                        new, organisation_table, contributor_table, columns, grid)


def _text_table(title: str, rows: list[Row]) -> list[str]:
    if not rows:
        return [title, "  (none)", ""]
    label_width = max(len(row.label) for row in rows)
    count_width = max(len(str(row.count)) for row in rows)
    return [title, *(f"  {row.label:<{label_width}}  {row.count:>{count_width}}" for row in rows), ""]


def stats_as_text(stats: LibraryStats) -> str:
    """The same numbers as the page, as aligned plain-text tables for a terminal."""
    lines = [f"Library statistics on {stats.today.isoformat()}", ""]
    lines += _text_table("Totals", [Row(TOTAL_LABELS[key], count) for key, count in stats.totals.items()])
    lines += [f"New this month ({len(stats.new_this_month)})",
              *(f"  {e.meta['published']}  {e.title}" for e in stats.new_this_month), ""]
    for table in stats.tables.values():
        lines += _text_table(table.title, table.rows)
    lines += _text_table(stats.organisations.title, stats.organisations.rows)
    lines += _text_table(stats.contributors.title, stats.contributors.rows)
    lines += _text_table(f"{stats.review.title} (listed entries; review every {stats.review_period_months} "
                         f"months, due soon within {stats.due_soon_days} days)", stats.review.rows)
    cells = len(stats.grid) * len(stats.council_types)
    lines.append(f"Gaps: {stats.gaps} of {cells} topic and council type pairs have no entries")
    lines += [f"  {row.label}: {', '.join(cell.label for cell in row.cells if cell.gap)}"
              for row in stats.grid if row.gaps]
    return "\n".join(lines) + "\n"
