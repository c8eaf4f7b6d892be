"""The statistics page and `casehub stats`: exact counts on a small library with known
numbers, the built page's charts and tables, the command's output, and escaping."""

from __future__ import annotations

import json
import re
from datetime import date
from urllib.parse import parse_qs

import pytest
from bs4 import BeautifulSoup
from click.testing import CliRunner

from casehub.cli import cli
from casehub.site.build import build
from casehub.site.generator import load_library
from casehub.site.stats import library_stats, stats_as_text

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
    "alpha.md": entry(published=(PUBLISHED, "published: 2023-05-01\nreview_by: 2026-01-01\n"
                                            "authors: ['@jo-bloggs', Jane Smith]")),
    # Listed; two topics; Wales, unitary; review_by within 60 days of TODAY: due.
    "bravo.md": entry(topics=(TOPICS, "topics: [climate-and-environment, digital-and-technology]"),
                      region=(REGION, "  nation: wales\n  region: wales\n  council_type: unitary\n"),
                      stage=("stage: live", "stage: pilot"),
                      published=(PUBLISHED, "published: 2024-02-01\nreview_by: 2026-07-15\n"
                                            "source: {name: LGA case study library, imported: 2024-02-02}")),
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

# The rows with entries; every other term of the vocabulary is a row with 0 (a gap), in the vocabulary's order.
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
VOCABULARY_TABLES = {"topics": "topics", "regions": "regions", "council-types": "council-types", "types": "types",
                     "stages": "stages"}


def pairs(table) -> list[tuple[str, int]]:
    return [(row.label, row.count) for row in table.rows]


def nonzero(table) -> list[tuple[str, int]]:
    return [(row.label, row.count) for row in table.rows if row.count]


@pytest.fixture
def library_project(new_project):
    return new_project(ENTRIES)


@pytest.fixture
def stats(library_project):
    return library_stats(load_library(library_project), library_project, TODAY)


def test_counts_are_exact(stats, library_project):
    assert stats.totals == {"listed": 3, "archived": 1, "drafts": 1, "all": 5}
    assert {key: nonzero(table) for key, table in stats.tables.items()} == EXPECTED_TABLES
    for key, vocabulary in VOCABULARY_TABLES.items():  # every term, those with no entries too
        labels = [item["label"] for item in library_project.vocabularies[vocabulary].items]
        assert [row.label for row in stats.tables[key].rows if row.label != "Not given"] == labels
    assert pairs(stats.review) == EXPECTED_REVIEW
    assert (stats.review_period_months, stats.due_soon_days) == (18, 60)


def test_every_row_leads_somewhere(stats):
    topics = {row.label: row for row in stats.tables["topics"].rows}
    assert topics["Digital and technology"].url == "topics/digital-and-technology/"
    assert not topics["Digital and technology"].gap
    assert topics["Adult social care"].gap and topics["Adult social care"].url == "contribute/?topic=adult-social-care"
    council = {row.label: row for row in stats.tables["council-types"].rows}
    assert council["District council"].url == "contribute/?council-type=district"
    assert council["Not given"].url is None and not council["Not given"].gap
    assert {row.label: row.url for row in stats.tables["years"].rows}["2024"] == "search/?year=2024"
    assert {row.label: row.url for row in stats.tables["stages"].rows}["Idea"] == "contribute/?stage=idea"


def test_the_grid_counts_each_topic_by_council_type(stats, library_project):
    columns = [label for _, label in stats.council_types]
    assert columns == [item["label"] for item in library_project.vocabularies["council-types"].items]
    rows = {row.topic: row for row in stats.grid}
    assert len(rows) == len(library_project.vocabularies["topics"].items)
    digital = {cell.label: cell for cell in rows["digital-and-technology"].cells}
    assert digital["Unitary authority"].count == 1  # bravo; alpha has no council type, so no cell
    assert digital["Unitary authority"].url == "search/?topic=Digital+and+technology&council-type=Unitary+authority"
    assert digital["District council"].gap
    assert digital["District council"].url == "contribute/?topic=digital-and-technology&council-type=district"
    assert rows["housing-and-homelessness"].cells[columns.index("Metropolitan borough")].count == 1
    assert stats.gaps == len(rows) * len(columns) - 3
    request = parse_qs(rows["digital-and-technology"].request)
    assert request["title"] == ["Request: case studies on Digital and technology"]
    assert "District council" in request["body"][0] and "Unitary authority" not in request["body"][0]


def test_new_this_month_and_contributors(library_project):
    library = load_library(library_project)
    assert [e.id for e in library_stats(library, library_project, date(2025, 3, 20)).new_this_month] == ["charlie"]
    assert library_stats(library, library_project, TODAY).new_this_month == []
    stats = library_stats(library, library_project, TODAY)
    assert pairs(stats.contributors) == [("@jo-bloggs", 1), ("Example Borough Council", 1),
                                        ("Imported from LGA case study library", 1)]
    assert [row.url for row in stats.contributors.rows] == [
        "https://github.com/jo-bloggs", "organisations/example-borough-council/", None]
    assert pairs(stats.organisations) == [("Example Borough Council", 3)]


def test_review_health_moves_with_today(library_project):
    library = load_library(library_project)
    # A year earlier nothing is due; on 2026-08-15 bravo is overdue and charlie (2026-09-01) due soon.
    assert pairs(library_stats(library, library_project, date(2025, 6, 1)).review) == [
        ("Current", 3), ("Due for review soon", 0), ("Overdue for review", 0)]
    assert pairs(library_stats(library, library_project, date(2026, 8, 15)).review) == [
        ("Current", 0), ("Due for review soon", 1), ("Overdue for review", 2)]


def test_as_text_aligns_every_table(stats):
    text = stats_as_text(stats)
    assert text.startswith("Library statistics on 2026-06-01\n")
    assert re.search(r"^  Digital and technology +2$", text, re.M)
    assert re.search(r"^  Adult social care +0$", text, re.M)
    assert re.search(r"^  Overdue for review +1$", text, re.M)
    assert re.search(r"^  Drafts +1$", text, re.M)
    assert "Gaps: 140 of 143 topic and council type pairs have no entries" in text
    for block in text.split("\n\n")[1:-1]:
        rows = block.strip("\n").splitlines()[1:]
        if block.startswith(("New this month", "Gaps")):
            continue
        assert len({len(row) for row in rows}) <= 1, block  # counts end in one column


@pytest.fixture
def built_stats_page(library_project, tmp_path):
    with (library_project.root / "pelicanconf.py").open("a", encoding="utf-8") as settings:
        settings.write(f"\nimport datetime\nCASEHUB_TODAY = datetime.date.fromisoformat('{TODAY.isoformat()}')\n")
    site = build(library_project.root, "pelicanconf.py", tmp_path / "out", search=False)
    return site


def table_rows(table) -> list[tuple[str, int]]:
    """(label, count) for each row: the label is the row heading's first part, its link's text or plain text."""
    return [(tr.th.contents[0].get_text().strip(), int(tr.td.get_text(strip=True)))
            for tr in table.tbody.find_all("tr")]


def test_the_built_page_gives_the_numbers_and_every_link_leads_somewhere(built_stats_page, stats):
    site = built_stats_page
    html = (site / "stats" / "index.html").read_text(encoding="utf-8")
    soup = BeautifulSoup(html, "html.parser")
    assert len(soup.find_all("h1")) == 1
    assert "style=" not in html and "<script" not in html and not soup.find_all(style=True)
    assert not soup.find_all("svg")
    ids = [tag["id"] for tag in soup.find_all(id=True)]
    assert len(ids) == len(set(ids)), "ids must be unique on the page"
    tables = {t.caption.get_text(strip=True): t for t in soup.find_all("table")}
    for table in [*(stats.tables[k] for k in ("topics", "council-types", "regions", "types", "stages", "years")),
                  stats.review]:
        shown = tables[table.title]
        assert table_rows(shown) == pairs(table), table.title
        assert all(th["scope"] == "col" for th in shown.thead.find_all("th"))
        assert all(th["scope"] == "row" for th in shown.tbody.find_all("th"))
        widths = [int(span["class"][1][1:]) for span in shown.select("span.bar")]
        assert max(widths) == 20
        assert all((w == 0) == (row.count == 0) for w, row in zip(widths, table.rows, strict=True))
    # Every link on the page that stays on the site leads to a page the build wrote.
    for link in soup.select("main a[href^='/']"):
        target = link["href"].split("?")[0].lstrip("/")
        assert (site / target / "index.html").is_file() or (site / target).is_file(), link["href"]
    shares = soup.select("main a[href^='/contribute/?']")
    assert len(shares) == sum(r.gap for t in stats.tables.values() for r in t.rows) + stats.gaps
    grid = tables["Entries by topic and kind of council"]
    assert len(grid.tbody.find_all("tr")) == len(stats.grid)
    first = grid.tbody.tr
    assert first.th.get_text() == stats.grid[0].label
    assert len(first.find_all("td")) == len(stats.council_types) + 1
    ask = first.find_all("td")[-1].a
    assert ask["href"].startswith("https://github.com/casehub-uk/casehub/issues/new?title=Request")
    assert "140 of 143 have none yet" in soup.find(id="s-gaps").parent.get_text()
    # Numbers not repeated: the long lists sit behind a disclosure.
    assert soup.find("details").summary.get_text() == "Contributions over time"
    assert "@jo-bloggs" in html and "Jane Smith" not in html
    figures = {div.dt.get_text(): div.dd.get_text() for div in soup.select("dl.figures div")}
    assert figures == {"Listed entries": "3", "New this month": "0", "Organisations": "1", "Contributors": "3",
                       "Drafts in review": "1", "Archived": "1"}
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
    assert soup.find("a", string="Digital <script>alert(1)</script> & 'tech'")["href"] == \
        "/topics/digital-and-technology/"


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
    assert data["contributors"]["rows"][0] == {"label": "@jo-bloggs", "count": 1, "url": "https://github.com/jo-bloggs"}
    assert len(data["grid"]["rows"]) == 11 and len(data["grid"]["council_types"]) == 13


def test_stats_command_reports_bad_content_and_bad_dates(new_project):
    project = new_project({**ENTRIES, "bad.md": MINIMAL.replace("type: story", "type: stroy")})
    result = CliRunner().invoke(cli, ["--root", str(project.root), "stats", "--today", "2026-06-01"])
    assert result.exit_code == 1
    assert "casestudies/bad.md" in result.output and "stroy" in result.output
    result = CliRunner().invoke(cli, ["--root", str(project.root), "stats", "--today", "22/11/2026"])
    assert result.exit_code == 2 and "YYYY-MM-DD" in result.output


@pytest.mark.browser
@pytest.mark.xdist_group("browser")
def test_a_gap_opens_the_form_with_its_topic_and_council_type_chosen(browser, site_url):
    from .support.browser import wait_for

    browser.get(f"{site_url}/stats/")
    browser.execute_script("localStorage.clear()")  # no draft from another test: one put back would win
    gap = browser.find_element("css selector", ".grid td.gap a")
    href = gap.get_attribute("href")
    query = parse_qs(href.split("?", 1)[1])
    gap.click()
    wait_for(browser, lambda d: d.find_element("id", "entry-form").is_displayed())
    topic = browser.find_element("id", f"f-topics-{query['topic'][0]}")
    assert topic.is_selected()
    assert browser.find_element("id", "f-council-type").get_attribute("value") == query["council-type"][0]
    assert len(browser.find_elements("css selector", 'input[name="topics"]:checked')) == 1
    # A region brings its nation; a value the form does not offer is left alone.
    browser.get(f"{site_url}/404.html")  # leaving the form saves a draft: clear it away from the form
    browser.execute_script("localStorage.clear()")
    browser.get(f"{site_url}/contribute/?region=wales&type=how-to&stage=nonsense&topic=nonsense")
    wait_for(browser, lambda d: d.find_element("id", "entry-form").is_displayed())
    assert browser.find_element("id", "f-nation").get_attribute("value") == "wales"
    assert browser.find_element("id", "f-region").get_attribute("value") == "wales"
    assert browser.find_element("id", "f-type-how-to").is_selected()
    assert browser.find_elements("css selector", 'input[name="stage"]:checked, input[name="topics"]:checked') == []
