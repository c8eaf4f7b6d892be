"""Library statistics: the numbers behind the /stats/ page and `casehub stats`.

Owns counting (entries by topic, region, council type, type, stage and year,
contributions over time, review health and totals), the accessible inline SVG
bar chart the page draws them with, and the plain-text tables the command
prints. Works on a `Library` only; it reads no files and writes none.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from markupsafe import Markup, escape

from ..core.entry import slugify
from ..curate.review import STATES, review_state

# The facets the page counts, in the site's facet order (organisations are too many to chart).
DIMENSIONS = ("topics", "regions", "council-types", "types", "stages")
REVIEW_LABELS = {"current": "Current", "due": "Due for review soon", "overdue": "Overdue for review"}
TOTAL_LABELS = {"listed": "Listed entries", "archived": "Archived entries", "drafts": "Drafts",
                "all": "All entries, drafts included"}
NOT_GIVEN = "Not given"

# The chart's geometry, in viewBox units; the SVG scales to its container's width
# (about 1:1 at the stylesheet's 24rem maximum, so the text stays readable on a phone).
_WIDTH, _FONT, _BAR, _ROW, _VALUE_SPACE, _MAX_LABEL = 360, 15, 16, 40, 56, 44
_BAR_FILL, _TEXT_FILL = "#12436d", "#0b0c0c"  # 10.4:1 and 19.8:1 against white


@dataclass
class Table:
    """One set of counts: what is counted, the row heading, and (label, count) rows in order."""

    key: str
    title: str
    heading: str
    rows: list[tuple[str, int]] = field(default_factory=list)
    note: str = ""

    @property
    def total(self) -> int:
        return sum(count for _, count in self.rows)

    def chart(self) -> Markup:
        return bar_chart_svg(self.title, self.rows, self.key)

    def as_dict(self) -> dict:
        return {"title": self.title, "heading": self.heading,
                "rows": [{"label": label, "count": count} for label, count in self.rows]}


@dataclass
class LibraryStats:
    today: date
    totals: dict[str, int]
    tables: dict[str, Table]  # topics, regions, council-types, types, stages, years, contributions
    review: Table
    review_period_months: int
    due_soon_days: int

    def as_dict(self) -> dict:
        return {"today": self.today.isoformat(), "totals": self.totals,
                "tables": {key: table.as_dict() for key, table in self.tables.items()},
                "review": self.review.as_dict(), "review_period_months": self.review_period_months,
                "due_soon_days": self.due_soon_days}


def _per_year(entries) -> list[tuple[str, int]]:
    """Entries per year published, oldest first, with the years between filled in as 0."""
    counts = Counter(e.year for e in entries)
    if not counts:
        return []
    return [(str(year), counts[year]) for year in range(min(counts), max(counts) + 1)]


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
        rows = [(term.label, len(entries)) for term, entries in facet.groups]
        note = ""
        if key == "topics":
            note = "An entry can have more than one topic, so these add up to more than the number of entries."
        if key == "council-types":
            missing = sum(1 for e in listed if e.council_type_term is None)  # given, or its council's
            if missing:
                rows.append((NOT_GIVEN, missing))
        tables[key] = Table(key, f"Entries by {facet.noun}", facet.noun.capitalize(), rows, note)
    tables["years"] = Table("years", "Entries by year published", "Year", _per_year(listed))
    tables["contributions"] = Table(
        "contributions", "Contributions over time", "Year", _per_year(library.published),
        "Entries published each year, archived entries included.")
    states = Counter(review_state(e.meta, today, settings) for e in listed)
    review = Table("review", "Review health", "State", [(REVIEW_LABELS[s], states[s]) for s in STATES])
    return LibraryStats(today, totals, tables, review, settings["review_period_months"], settings["due_soon_days"])


def _summary(rows: list[tuple[str, int]]) -> str:
    if not rows or not any(count for _, count in rows):
        return "No entries."
    most = max(count for _, count in rows)
    leaders = [label for label, count in rows if count == most]
    if len(leaders) == 1:
        return f"{leaders[0]} has the most entries, {most}."
    names = ", ".join(leaders[:-1]) + " and " + leaders[-1]
    return f"{names} have the most entries, {most} each."


def _clip(label: str) -> str:
    return label if len(label) <= _MAX_LABEL else label[: _MAX_LABEL - 1].rstrip() + "…"


def bar_chart_svg(title: str, rows: list[tuple[str, int]], chart_id: str | None = None) -> Markup:
    """An accessible horizontal bar chart as inline SVG: each label above its bar, the count after it.

    Named by its <title> and summarised by its <desc> (through aria-labelledby),
    sized by its viewBox, coloured with presentation attributes (the site's
    Content-Security-Policy allows no inline styles). Every piece of text is
    escaped. The ids come from `chart_id`, or the title: give charts on one
    page different titles or ids. The page should give the numbers in a
    table too; the chart is for seeing them at a glance."""
    base = "chart-" + (slugify(chart_id or title) or "x")  # [a-z0-9-] only: safe in an attribute
    most = max((count for _, count in rows), default=0)
    scale = (_WIDTH - _VALUE_SPACE) / most if most else 0
    height = max(len(rows), 1) * _ROW
    bars, texts = [], []
    for i, (label, count) in enumerate(rows):
        top = i * _ROW
        width = round(count * scale, 1)
        bars.append(f'<rect y="{top + 20}" width="{width:g}" height="{_BAR}"/>')
        texts.append(f'<text y="{top + _FONT}">{escape(_clip(label))}</text>'
                     f'<text x="{width + 6:g}" y="{top + 33}">{count}</text>')
    return Markup(
        f'<svg class="chart" role="img" aria-labelledby="{base}-t {base}-d" viewBox="0 0 {_WIDTH} {height}">'
        f'<title id="{base}-t">{escape(title)}</title><desc id="{base}-d">{escape(_summary(rows))}</desc>'
        f'<g fill="{_BAR_FILL}">{"".join(bars)}</g>'
        f'<g fill="{_TEXT_FILL}" font-size="{_FONT}">{"".join(texts)}</g></svg>')


def _text_table(title: str, rows: list[tuple[str, int]]) -> list[str]:
    if not rows:
        return [title, "  (none)", ""]
    label_width = max(len(label) for label, _ in rows)
    count_width = max(len(str(count)) for _, count in rows)
    return [title, *(f"  {label:<{label_width}}  {count:>{count_width}}" for label, count in rows), ""]


def stats_as_text(stats: LibraryStats) -> str:
    """The same numbers as the page, as aligned plain-text tables for a terminal."""
    lines = [f"Library statistics on {stats.today.isoformat()}", ""]
    lines += _text_table("Totals", [(TOTAL_LABELS[key], count) for key, count in stats.totals.items()])
    for table in stats.tables.values():
        lines += _text_table(table.title, table.rows)
    lines += _text_table(f"{stats.review.title} (listed entries; review every {stats.review_period_months} "
                         f"months, due soon within {stats.due_soon_days} days)", stats.review.rows)
    return "\n".join(lines)
