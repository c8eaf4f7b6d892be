"""The statistics page and `casehub stats`: exact counts on a small library with known
numbers, the built page's charts and tables, the command's output, and escaping."""

from __future__ import annotations

import json
import re
from datetime import date

import pytest
from bs4 import BeautifulSoup
from click.testing import CliRunner

from casehub.cli import cli
from casehub.site.build import build
from casehub.site.generator import load_library
from casehub.site.stats import bar_chart_svg, library_stats, stats_as_text

from .support import MINIMAL

TODAY = date(2026, 6, 1)  # review: due soon until 2026-07-31 (60 days), overdue before 2026-06-01


def entry(**changes: str) -> str:
    text = MINIMAL
    for old, new in changes.values():
        assert old in text, old
        text = text.replace(old, new, 1)
    return text


TOPICS = "topics: [digital-and-technology]"
REGION = "  nation: england\n  region: london\n"
PUBLISHED = "published: 2024-03-01"
STATUS = "status: published"

ENTRIES = {
    # Listed; no council type; review_by passed: overdue.
    "alpha.md": entry(published=(PUBLISHED, "published: 2023-05-01\nreview_by: 2026-01-01")),
    # Listed; two topics; Wales, unitary; review_by within 60 days of TODAY: due.
    "bravo.md": entry(topics=(TOPICS, "topics: [climate-and-environment, digital-and-technology]"),
                      region=(REGION, "  nation: wales\n  region: wales\n  council_type: unitary\n"),
                      stage=("stage: live", "stage: pilot"),
                      published=(PUBLISHED, "published: 2024-02-01\nreview_by: 2026-07-15")),
    # Listed; no review_by: due 18 months after publication (2026-09-01): current.
    "charlie.md": entry(topics=(TOPICS, "topics: [housing-and-homelessness]"),
                        region=(REGION, "  nation: england\n  region: north-west\n"
                                        "  council_type: metropolitan-borough\n"),
                        stage=("stage: live", "stage: scaled"),
                        published=(PUBLISHED, "published: 2025-03-01")),
    # Archived: counted in contributions over time only.
    "delta.md": entry(status=(STATUS, "status: archived\narchived_reason: The service closed in 2023."),
                      topics=(TOPICS, "topics: [transport-and-highways]"),
                      published=(PUBLISHED, "published: 2022-01-10")),
    # Draft: counted in the totals only.
    "echo.md": entry(status=(STATUS, "status: draft"), topics=(TOPICS, "topics: [economy-and-skills]"),
                     published=(PUBLISHED, "published: 2026-05-01")),
}

EXPECTED_TABLES = {
    "topics": [("Climate and environment", 1), ("Digital and technology", 2), ("Housing and homelessness", 1)],
    "regions": [("North West", 1), ("London", 1), ("Wales", 1)],
    "council-types": [("Unitary authority", 1), ("Metropolitan borough", 1), ("Not given", 1)],
    "types": [("Story", 3)],
    "stages": [("Pilot", 1), ("Live", 1), ("Scaled", 1)],
    "years": [("2023", 1), ("2024", 1), ("2025", 1)],
    "contributions": [("2022", 1), ("2023", 1), ("2024", 1), ("2025", 1)],
}
EXPECTED_REVIEW = [("Current", 1), ("Due for review soon", 1), ("Overdue for review", 1)]


@pytest.fixture
def library_project(new_project):
    return new_project(ENTRIES)


@pytest.fixture
def stats(library_project):
    return library_stats(load_library(library_project), library_project, TODAY)


def test_counts_are_exact(stats):
    assert stats.totals == {"listed": 3, "archived": 1, "drafts": 1, "all": 5}
    assert {key: table.rows for key, table in stats.tables.items()} == EXPECTED_TABLES
    assert stats.review.rows == EXPECTED_REVIEW
    assert (stats.review_period_months, stats.due_soon_days) == (18, 60)


def test_review_health_moves_with_today(library_project):
    library = load_library(library_project)
    # A year earlier nothing is due; on 2026-08-15 bravo is overdue and charlie (2026-09-01) due soon.
    assert library_stats(library, library_project, date(2025, 6, 1)).review.rows == [
        ("Current", 3), ("Due for review soon", 0), ("Overdue for review", 0)]
    assert library_stats(library, library_project, date(2026, 8, 15)).review.rows == [
        ("Current", 0), ("Due for review soon", 1), ("Overdue for review", 2)]


def test_as_text_aligns_every_table(stats):
    text = stats_as_text(stats)
    assert text.startswith("Library statistics on 2026-06-01\n")
    assert re.search(r"^  Digital and technology +2$", text, re.M)
    assert re.search(r"^  Overdue for review +1$", text, re.M)
    assert re.search(r"^  Drafts +1$", text, re.M)
    for block in text.split("\n\n")[1:]:
        rows = block.strip("\n").splitlines()[1:]
        assert len({len(row) for row in rows}) <= 1, block  # counts end in one column


@pytest.fixture
def built_stats_page(library_project, tmp_path):
    with (library_project.root / "pelicanconf.py").open("a", encoding="utf-8") as settings:
        settings.write(f"\nimport datetime\nCASEHUB_TODAY = datetime.date.fromisoformat('{TODAY.isoformat()}')\n")
    site = build(library_project.root, "pelicanconf.py", tmp_path / "out", search=False)
    return (site / "stats" / "index.html").read_text(encoding="utf-8")


def table_rows(table) -> list[tuple[str, int]]:
    return [(tr.th.get_text(strip=True), int(tr.td.get_text(strip=True))) for tr in table.tbody.find_all("tr")]


def test_the_built_page_charts_and_tables_give_the_same_numbers(built_stats_page, stats):
    html = built_stats_page
    soup = BeautifulSoup(html, "html.parser")
    assert len(soup.find_all("h1")) == 1
    assert "style=" not in html and "<script" not in html and not soup.find_all(style=True)
    svgs = soup.find_all("svg")
    assert len(svgs) == len(stats.tables) + 1
    ids = [tag["id"] for tag in soup.find_all(id=True)]
    assert len(ids) == len(set(ids)), "ids must be unique on the page"
    for svg in svgs:
        assert svg["role"] == "img" and svg.get("viewbox")
        labelled_by = svg["aria-labelledby"].split()
        assert [svg.find(id=i).name for i in labelled_by] == ["title", "desc"]
        assert svg.title.get_text() and svg.desc.get_text()
    tables = {t.caption.get_text(strip=True): t for t in soup.find_all("table")}
    for table in [*stats.tables.values(), stats.review]:
        assert table_rows(tables[table.title]) == table.rows, table.title
        for th in tables[table.title].thead.find_all("th"):
            assert th["scope"] == "col"
        assert all(th["scope"] == "row" for th in tables[table.title].tbody.find_all("th"))
        chart = soup.find("svg", attrs={"aria-labelledby": re.compile(f"^chart-{table.key}-t ")})
        assert chart.title.get_text() == table.title
        texts = [t.get_text() for t in chart.find_all("text")]
        assert list(zip(texts[::2], map(int, texts[1::2]), strict=True)) == table.rows
    assert [count for _, count in table_rows(tables["Totals"])] == [3, 1, 1, 5]
    assert "18 months" in soup.find(id="s-review").parent.get_text()
    assert soup.select_one('footer a[href="/stats/"]').get_text() == "Statistics"


def test_hostile_vocabulary_labels_are_escaped_on_the_page(new_project, tmp_path):
    project = new_project(ENTRIES)
    topics = project.data_dir / "topics.yaml"
    text = topics.read_text(encoding="utf-8")
    topics.write_text(text.replace("label: Digital and technology",
                                   "label: \"Digital <script>alert(1)</script> & 'tech'\"", 1), encoding="utf-8")
    site = build(project.root, "pelicanconf.py", tmp_path / "out", search=False)
    html = (site / "stats" / "index.html").read_text(encoding="utf-8")
    assert "<script" not in html
    assert "Digital &lt;script&gt;alert(1)&lt;/script&gt; &amp; " in html
    soup = BeautifulSoup(html, "html.parser")
    desc = soup.find(id="chart-topics-d").get_text()
    assert desc == "Digital <script>alert(1)</script> & 'tech' has the most entries, 2."


def test_bar_chart_escapes_labels_and_title():
    svg = bar_chart_svg("<i>Title</i> & co", [("<b>x</b> & 'y'", 3), ('"quoted"', 1)])
    assert "<b>" not in svg and "<i>" not in svg
    assert "&lt;b&gt;x&lt;/b&gt; &amp; &#39;y&#39;" in svg
    assert "&lt;i&gt;Title&lt;/i&gt; &amp; co" in svg
    assert "&#34;quoted&#34;" in svg
    soup = BeautifulSoup(str(svg), "html.parser")
    assert soup.desc.get_text() == "<b>x</b> & 'y' has the most entries, 3."
    assert [t.get_text() for t in soup.find_all("text")] == ["<b>x</b> & 'y'", "3", '"quoted"', "1"]


def test_bar_chart_shape():
    svg = bar_chart_svg("Entries by region", [("London", 4), ("Wales", 2), ("UK-wide", 4), ("North East", 0)])
    soup = BeautifulSoup(str(svg), "html.parser")
    root = soup.svg
    assert root["role"] == "img" and root["viewbox"].startswith("0 0 ")
    assert root["aria-labelledby"] == "chart-entries-by-region-t chart-entries-by-region-d"
    assert "style" not in str(svg) and "font-family" not in str(svg)
    widths = [float(r["width"]) for r in soup.find_all("rect")]
    assert widths[0] == widths[2] == 2 * widths[1] and widths[3] == 0
    assert max(widths) < float(root["viewbox"].split()[2])
    assert soup.desc.get_text() == "London and UK-wide have the most entries, 4 each."
    assert bar_chart_svg("A", [("x", 1)], chart_id="one") != bar_chart_svg("A", [("x", 1)], chart_id="two")
    assert "No entries." in bar_chart_svg("Nothing", [])


def test_stats_command_prints_the_same_numbers(library_project, stats):
    runner = CliRunner()
    result = runner.invoke(cli, ["--root", str(library_project.root), "stats", "--today", "2026-06-01"])
    assert result.exit_code == 0, result.output
    assert result.output == stats_as_text(stats)
    assert re.search(r"^  Due for review soon +1$", result.output, re.M)
    assert re.search(r"^  Climate and environment +1$", result.output, re.M)
    assert re.search(r"^  2022 +1$", result.output, re.M)
    result = runner.invoke(cli, ["--root", str(library_project.root), "stats", "--today", "2026-06-01",
                                 "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data == stats.as_dict()
    assert data["totals"] == {"listed": 3, "archived": 1, "drafts": 1, "all": 5}
    assert [(r["label"], r["count"]) for r in data["review"]["rows"]] == EXPECTED_REVIEW


def test_stats_command_reports_bad_content_and_bad_dates(new_project):
    project = new_project({**ENTRIES, "bad.md": MINIMAL.replace("type: story", "type: stroy")})
    result = CliRunner().invoke(cli, ["--root", str(project.root), "stats", "--today", "2026-06-01"])
    assert result.exit_code == 1
    assert "casestudies/bad.md" in result.output and "stroy" in result.output
    result = CliRunner().invoke(cli, ["--root", str(project.root), "stats", "--today", "22/11/2026"])
    assert result.exit_code == 2 and "YYYY-MM-DD" in result.output
