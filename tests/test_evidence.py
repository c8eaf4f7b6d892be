"""A topic's "what the evidence says", on a library whose outcomes are known; the outcomes
spreadsheet read back into entries.json; evidence as a search filter."""

from __future__ import annotations

import csv
import json
from urllib.parse import parse_qsl, urlsplit

import pytest
from bs4 import BeautifulSoup

from casehub.site.build import build
from casehub.site.evidence import summarise
from casehub.site.generator import load_library
from casehub.site.opendata import FORMULA_STARTS, OUTCOME_FIELDS, OUTCOME_KEYS

from .support.entries import HOUSING, entry


def outcome(measure, value, unit, evidence, **extra):
    return {"measure": measure, "value": value, "unit": unit, "evidence": evidence, **extra}


# The known library: four listed housing entries (three with outcomes), and entries that must not count.
LIBRARY = {
    "alpha.md": entry("Alpha cuts rough sleeping", stage="pilot", budget_band="under-10k", outcomes=[
        outcome("People helped off the street", 200, "people", "self-reported", baseline=100),
        outcome("=Share of repeat calls", 18, "percent", "external-evaluation", baseline=31, period="2023 to 2024",
                source="https://evaluation.example/alpha"),
    ]),
    "bravo.md": entry("Bravo saves money on temporary homes", budget_band="10k-50k", outcomes=[
        outcome("Saved on bed and breakfast", 50000, "pounds", "trial"),
    ]),
    "charlie.md": entry("Charlie halves the waiting list", budget_band="under-10k", outcomes=[
        outcome("Households waiting", 30, "households", "internal-evaluation", baseline=60),
    ]),
    "delta.md": entry("Delta has an idea for empty homes", stage="idea"),
    "echo.md": entry("Echo is about something else", topics=("digital-and-technology",), outcomes=[
        outcome("Forms moved online", 12, "forms", "trial", baseline=-4.5)]),
    "foxtrot.md": entry("Foxtrot is still a draft", status="draft", outcomes=[
        outcome("Drafted people", 9, "people", "trial", baseline=3)]),
    "golf.md": entry("Golf is archived now", status="archived", outcomes=[
        outcome("Archived people", 9, "people", "trial", baseline=3)]),
}


@pytest.fixture(scope="module")
def known(tmp_path_factory):
    from .support import make_project

    project = make_project(tmp_path_factory.mktemp("evidence") / "project", LIBRARY)
    site = build(project.root, "pelicanconf.py", project.root / "output", search=False)
    return project, site


def test_the_summary_counts_exactly_the_known_outcomes(known):
    project, _ = known
    summary = load_library(project).evidence[HOUSING]
    assert (summary.entries, summary.with_outcomes, summary.outcomes, summary.independent) == (4, 3, 4, 2)
    measures = {row.label: row for row in summary.measures}
    assert list(measures) == ["Rates and shares (%)", "Money (£)", "People reached"]
    assert (measures["People reached"].entries, measures["People reached"].outcomes) == (2, 2)
    assert sorted(measures["People reached"].changes) == [-50, 100]
    assert measures["People reached"].spread == "median +25% (from −50% to +100%)"
    assert measures["Rates and shares (%)"].spread == "−42%"  # 31 to 18
    assert measures["Money (£)"].changes == [] and measures["Money (£)"].spread == ""
    assert [(f.label, f.entries, f.outcomes) for f in summary.levels] == [
        ("Trial", 1, 1), ("External evaluation", 1, 1), ("Internal evaluation", 1, 1), ("Self-reported", 1, 1)]
    assert [(f.label, f.entries) for f in summary.budgets] == [("Under £10,000", 2), ("£10,000 to £50,000", 1)]
    assert [(f.label, f.entries) for f in summary.stages] == [("Idea", 1), ("Pilot", 1), ("Live", 2)]


def test_a_topic_with_no_entries_has_an_empty_summary():
    summary = summarise([], "Adult social care", {"live": "Live"})
    assert (summary.entries, summary.outcomes, summary.measures, summary.levels) == (0, 0, [], [])


def filters_of(site, entry_id) -> set[tuple[str, str]]:
    soup = BeautifulSoup((site / entry_id / "index.html").read_text(encoding="utf-8"), "html.parser")
    return {(tag["data-pagefind-filter"], tag.get_text(strip=True)) for tag in soup.select("[data-pagefind-filter]")}


def test_every_figure_on_the_topic_page_links_to_exactly_its_entries(known):
    """Each count links to a search whose filters (read from the built entry pages, as Pagefind
    reads them) select exactly as many entries as the count says."""
    project, site = known
    soup = BeautifulSoup((site / "topics" / HOUSING / "index.html").read_text(encoding="utf-8"), "html.parser")
    section = soup.select_one("section.evidence")
    assert section.h2.get_text() == "What the evidence says"
    assert "3 of the 4 entries on this topic report measured outcomes" in " ".join(section.p.get_text().split())
    listed = [e.id for e in load_library(project).listed]
    links = section.select("a[href*='/search/?']")
    assert len(links) == 3 + 4 + 2 + 3  # kinds of measure, evidence levels, budget bands, stages
    for link in links:
        wanted = set(parse_qsl(urlsplit(link["href"]).query))
        assert ("topic", "Housing and homelessness") in wanted
        matching = [i for i in listed if wanted <= filters_of(site, i)]
        assert f"{len(matching)} entr" in link.get_text(), (link["href"], matching)
    assert "median +25% (from −50% to +100%)" in section.get_text()


def test_evidence_is_a_search_filter_with_every_level(known):
    _, site = known
    soup = BeautifulSoup((site / "search" / "index.html").read_text(encoding="utf-8"), "html.parser")
    levels = [box["value"] for box in soup.select("input[name=evidence]")]
    assert levels == ["Self-reported", "Internal evaluation", "External evaluation", "Trial"]
    entry_page = (site / "alpha" / "index.html").read_text(encoding="utf-8")
    assert 'href="https://evaluation.example/alpha"' in entry_page  # an outcome's source
    assert 'href="/evidence/"' in entry_page and (site / "evidence" / "index.html").is_file()


def read_outcomes(site) -> dict[str, list[dict]]:
    """outcomes.csv as a consumer reads it back: one outcome per row, by entry, in order."""
    found: dict[str, list[tuple[int, dict]]] = {}
    with (site / "outcomes.csv").open(encoding="utf-8", newline="") as file:
        reader = csv.DictReader(file)
        assert tuple(reader.fieldnames) == OUTCOME_FIELDS
        for row in reader:
            item = {}
            for key in OUTCOME_KEYS:
                text = row[key]
                if text.startswith("'") and text[1:2] in FORMULA_STARTS:
                    text = text[1:]  # the spreadsheet guard, taken off again
                if text != "":
                    item[key] = json.loads(text) if key in ("value", "baseline") else text
            found.setdefault(row["entry_id"], []).append((int(row["outcome"]), item))
    return {entry_id: [item for _, item in sorted(rows)] for entry_id, rows in found.items()}


@pytest.mark.parametrize("library", ["known", "sample"])
def test_the_outcomes_csv_round_trips_into_entries_json(library, known, built_site):
    site = known[1] if library == "known" else built_site
    feed = json.loads((site / "entries.json").read_text(encoding="utf-8"))
    expected = {e["id"]: e["outcomes"] for e in feed["entries"] if e.get("outcomes")}
    assert expected, "the library has outcomes"
    rows = read_outcomes(site)
    assert rows == expected
    for entry_id, items in rows.items():
        for got, wanted in zip(items, expected[entry_id], strict=True):
            for key in ("value", "baseline"):
                assert type(got.get(key)) is type(wanted.get(key))  # 200 stays an integer, 4.5 a float
    if library == "known":
        assert rows["alpha"][1]["measure"].startswith("=")
        assert rows["echo"][0]["baseline"] == -4.5
        assert "foxtrot" not in rows and "golf" in rows  # drafts never; archived, as in entries.json
