"""HTML that survives an import, and saved web pages read as a site.

A folder of six pages saved from one site (tests/fixtures/import/html/network/)
shares a header, menus, a "join" box, a footer and a 61-row "related case
studies" table; each page has a facts sidebar (a definition list, a table of
labels or "Label: value" lines). What must survive: the words of each page's
own text (and none of the boilerplate), a 14-row data table as one Markdown
table, a layout table as its content, embedded frames as links, titles without
the site's name, facts as fields, and the share of each page's words kept.
HTML inside Markdown bodies and spreadsheet cells goes through the same converter.
"""

from __future__ import annotations

import json
import re

import pytest
from bs4 import BeautifulSoup
from hypothesis import given, settings
from hypothesis import strategies as st

from casehub.core.loader import load, parse
from casehub.core.rules import check_raw_html, check_safe_links
from casehub.exchange.importers.body import safe_markdown
from casehub.exchange.importers.htmltomd import html_to_markdown
from casehub.exchange.importers.pages import SiteProfile
from casehub.exchange.importers.report import report_json, report_text
from casehub.site.render import Renderer

from .support.imports import IMPORT, assert_safe_and_accounted_for, cli_import, run_import

NETWORK = IMPORT / "html" / "network"
SITE = "Example Improvement Network"
# Words of the shared boilerplate: none may reach any entry.
BOILERPLATE = ["not-for-profit company limited by guarantee", "Join the network", "Membership is free", "Sign in",
               "Sharing what works", "Related case studies", "Parking permits online", "Kerbside textile recycling",
               "Skip to content", "Accessibility statement", "All rights reserved", "About the network", "Register"]
# A phrase from each page's own text, first and last paragraph: all must arrive.
OWN_TEXT = {
    "digital-inclusion-hubs.html": ["borrow a tablet, get a data SIM", "returned on time in nine cases out of ten",
                                    "Trained 38 library staff"],
    "repairs-data-dashboard.html": ["helped to design", "noticeboard in every block"],
    "community-hub-layout.html": ["bought the building for a peppercorn sum", "runs classes there twice a week"],
    "warm-spaces-film.html": ["in libraries, churches, community centres", "a third came back every week"],
    "volunteer-drivers.html": ["only bus left before clinics opened", "45p a mile from its public health budget"],
    "school-streets.html": ["experimental traffic orders", "lower nitrogen dioxide at the school gates"],
}


def markdown_tables(body: str) -> list[list[str]]:
    """The Markdown tables in a body, each as its lines."""
    tables, current = [], []
    for line in [*body.split("\n"), ""]:
        if line.startswith("|"):
            current.append(line)
        elif current:
            tables.append(current)
            current = []
    return tables


def assert_publishable_markdown(markdown: str) -> None:
    """What the validator's no-raw-HTML and safe-link rules say of a body."""
    document = parse(f"---\ntitle: x\n---\n{markdown}\n".encode(), "x.md")
    assert check_raw_html(document) == [], markdown
    assert check_safe_links(document) == [], markdown


@pytest.fixture(scope="module")
def network(tmp_path_factory):
    """The six saved pages imported once, with `--map stage="Project status"`."""
    from .support import make_project

    project = make_project(tmp_path_factory.mktemp("network") / "project")
    report = run_import(project, "html", NETWORK, maps=["stage=Project status"])
    outcomes = {o.origin: o for o in report.outcomes}
    documents = {origin: load(project.root / o.path) for origin, o in outcomes.items()}
    return project, report, outcomes, documents


def test_each_page_keeps_its_own_text_and_none_of_the_boilerplate(network):
    project, report, outcomes, documents = network
    assert_safe_and_accounted_for(project, report)
    assert set(outcomes) == set(OWN_TEXT) and report.count("draft") == 6
    for origin, phrases in OWN_TEXT.items():
        body = " ".join(documents[origin].body.split())
        for phrase in phrases:
            assert phrase in body, (origin, phrase)
        for phrase in BOILERPLATE:
            assert phrase not in body, (origin, phrase)
        assert SITE not in body and "Home" not in body and "Key facts" not in body, origin
        assert_publishable_markdown(documents[origin].body)
    # the page whose related table left out its own row lost the table by its rows
    assert "Chatbot for council tax questions" not in documents["community-hub-layout.html"].body
    assert any("left out of every entry" in note for note in report.notes)


def test_titles_lose_the_site_name_and_the_source_is_the_site(network):
    _, report, _, documents = network
    titles = {origin: document.metadata["title"] for origin, document in documents.items()}
    assert titles == {
        "digital-inclusion-hubs.html": "Digital inclusion hubs in libraries",
        "repairs-data-dashboard.html": "Repairs data dashboard for tenants",
        "community-hub-layout.html": "A community hub in a former bank",
        "warm-spaces-film.html": "Warm spaces through the winter",
        "volunteer-drivers.html": "Volunteer drivers for hospital appointments",
        "school-streets.html": "School streets in six weeks",
    }
    for origin, document in documents.items():
        assert document.metadata["source"]["name"] == SITE
        assert document.metadata["source"]["url"] == f"https://network.example.org/case-studies/{origin[:-5]}"
        assert document.metadata["title"] not in document.body, origin  # not repeated as a heading, no breadcrumbs
    assert any(f"'{SITE}'" in note for note in report.notes)


def test_a_fourteen_row_data_table_stays_one_table(network):
    body = network[3]["repairs-data-dashboard.html"].body
    [table] = markdown_tables(body)
    assert len(table) == 15  # the header, its rule and 13 rows: 14 rows of the original
    assert table[0] == "| Month | Jobs | Median days | Fixed first time |"
    assert table[2] == "| April 2018 | 1,204 | 18 | 62% |"
    assert table[-1] == r"| Total jobs (all trades \| all areas) |  | 13 | 73% |"  # colspan=2: an empty cell
    assert "Responsive repairs, April 2018 to March 2019" in body  # the caption
    rendered = BeautifulSoup(str(Renderer()(body)), "html.parser")
    [html_table] = rendered.find_all("table")
    assert [th.get_text() for th in html_table.find_all("th")] == ["Month", "Jobs", "Median days",
                                                                    "Fixed first time"]
    rows = html_table.find("tbody").find_all("tr")
    assert len(rows) == 13 and rows[-1].find("td").get_text() == "Total jobs (all trades | all areas)"


def test_a_layout_table_is_unwrapped_into_its_content(network):
    project, _, outcomes, documents = network
    body = documents["community-hub-layout.html"].body
    assert markdown_tables(body) == []
    assert body.index("### The building") < body.index("peppercorn") < body.index("### Who uses it")
    assert "![The hub's café in the old banking hall](hub.jpg)" in body
    assert (project.root / outcomes["community-hub-layout.html"].path).with_name("hub.jpg").is_file()
    assert any(n.code == "layout-table-unwrapped" for n in outcomes["community-hub-layout.html"].notes)


def test_embedded_frames_become_links_to_what_they_showed(network):
    _, _, outcomes, documents = network
    body = documents["warm-spaces-film.html"].body
    assert "it presents like this:\n\nVideo: [Warm spaces in our city, winter 2022]" \
           "(https://www.youtube.com/watch?v=dQw4w9WgXcQ)" in body
    assert "Map: <https://www.google.com/maps/d/viewer?mid=1AbCdEfGh>" in body
    assert any(n.code == "embed-linked" for n in outcomes["warm-spaces-film.html"].notes)
    links = BeautifulSoup(str(Renderer()(body)), "html.parser").find_all("a")
    assert [a["href"] for a in links] == ["https://www.youtube.com/watch?v=dQw4w9WgXcQ",
                                          "https://www.google.com/maps/d/viewer?mid=1AbCdEfGh"]


def test_indented_html_and_links_across_lines_and_images_survive(network):
    project, _, outcomes, documents = network
    body = documents["volunteer-drivers.html"].body
    assert not re.search(r"^( {4}|\t)", body, re.MULTILINE)  # nothing reads as a code block
    assert '- [Volunteer driver scheme](https://www.example.gov.uk/volunteer-drivers "Volunteer driver scheme") ' \
           "on the council's website" in body
    assert "- [The evaluation report (PDF)](https://www.example.org/evaluation.pdf)" in body
    assert "1. The patient rings the booking line" in body
    assert "![A volunteer driver helping a patient into the car](driver.jpg)" in body
    assert (project.root / outcomes["volunteer-drivers.html"].path).with_name("driver.jpg").is_file()


def test_facts_become_fields(network):
    _, _, outcomes, documents = network
    meta = {origin: document.metadata for origin, document in documents.items()}
    hubs = meta["digital-inclusion-hubs.html"]  # a definition list in the sidebar
    assert hubs["organisations"] == [{"name": "Example Borough Council", "role": "lead"}]
    assert hubs["published"] == "2019-03-14" and hubs["topics"] == ["digital-and-technology"]
    assert hubs["geography"] == {"nation": "england", "region": "north-west"}
    repairs = meta["repairs-data-dashboard.html"]  # a table of labels and values
    assert repairs["organisations"][0]["name"] == "Example Homes" and repairs["published"] == "2019-05-02"
    assert repairs["geography"]["region"] == "yorkshire-and-the-humber"
    hub = meta["community-hub-layout.html"]  # "Label: value" lines in a sidebar list
    assert hub["organisations"][0]["name"] == "Example District Council" and hub["published"] == "2018-07-02"
    assert hub["topics"] == ["communities-and-engagement"] and hub["geography"] == {"council_type": "district"}
    assert meta["warm-spaces-film.html"]["topics"] == ["health-and-wellbeing", "communities-and-engagement"]
    assert meta["volunteer-drivers.html"]["stage"] == "pilot"  # --map stage="Project status"
    streets = meta["school-streets.html"]
    assert [o["name"] for o in streets["organisations"]] == ["Example London Borough", "Example Primary School",
                                                             "Example Cycling Trust"]
    notes = {o: {n.code: n.message for n in outcome.notes} for o, outcome in outcomes.items()}
    assert notes["digital-inclusion-hubs.html"]["fields-not-imported"].endswith(": Ward")
    assert "fields-not-imported" not in notes["school-streets.html"]  # its glossary is in the body
    assert "organisation (Organisation)" in notes["repairs-data-dashboard.html"]["facts-read"]
    assert "- **School street:** A road closed to motor traffic" in documents["school-streets.html"].body


def test_the_share_of_text_kept_is_reported_per_page_and_in_total(network):
    _, report, outcomes, _ = network
    shares = {}
    for origin, outcome in outcomes.items():
        [note] = [n for n in outcome.notes if n.code == "text-kept-share"]
        shares[origin] = note.data
        assert 0 < note.data["kept_words"] < note.data["page_words"]
        assert f"{note.data['share']}% of the page's words came across" in note.message
    data = json.loads(report_json(report))
    kept, total = (sum(s[k] for s in shares.values()) for k in ("kept_words", "page_words"))
    assert data["text_kept"] == {"kept_words": kept, "page_words": total, "share": round(100 * kept / total)}
    assert kept * 2 < total  # the boilerplate outweighed the pages' own text
    entry = next(e for e in data["entries"] if e["origin"] == "school-streets.html")
    assert any(n.get("code") == "text-kept-share" and n["share"] == shares["school-streets.html"]["share"]
               for n in entry["notes"])
    assert f"Kept {kept:,} of the pages' {total:,} words" in report_text(report).split("\n")[1]


def test_jekyll_front_matter_in_an_html_file(new_project):
    project = new_project()
    report = run_import(project, "html", IMPORT / "html" / "2021-05-04-warm-homes-grants.html")
    assert_safe_and_accounted_for(project, report)
    document = load(project.root / report.outcomes[0].path)
    meta = document.metadata
    assert meta["title"] == "Warm homes grants: what we learned" and meta["published"] == "2021-05-04"
    assert meta["summary"].startswith("Example data. How a county council and three districts")
    assert meta["organisations"] == [{"name": "Example County Council", "role": "lead"}]
    assert meta["topics"] == ["climate-and-environment", "housing-and-homelessness"]
    assert meta["geography"] == {"nation": "england", "region": "south-west"}
    body = document.body
    assert "---" not in body and "layout:" not in body and "{{" not in body
    assert "## What we did\n\nThe county council ran procurement once" in body  # indented HTML, not code
    assert '- [The full evaluation report](https://www.example.gov.uk/warm-homes/report.pdf "Evaluation report")' \
           in body


# HTML inside Markdown bodies and spreadsheet cells -----------------------------------------------


def test_a_table_split_by_blank_lines_stays_one_table():
    rows = "\n\n".join(f"  <tr><td>Ward {n}</td><td>{n * 10}</td></tr>" for n in range(1, 14))
    body, changes = safe_markdown(f"Intro.\n\n<table>\n  <tr><th>Ward</th><th>Homes</th></tr>\n\n{rows}\n</table>\n\n"
                                  "After.")
    [table] = markdown_tables(body)
    assert len(table) == 15 and table[0] == "| Ward | Homes |" and table[-1] == "| Ward 13 | 130 |"
    assert body.startswith("Intro.\n\n|") and body.endswith("|\n\nAfter.")
    assert_publishable_markdown(body)


def test_indented_html_is_converted_never_shown_as_code():
    text = "Intro paragraph.\n\n    <div class=\"box\">\n\n        <p>Boxed text here.</p>\n\n    </div>\n\nAfter."
    body, _ = safe_markdown(text)
    assert body == "Intro paragraph.\n\nBoxed text here.\n\nAfter."
    code = "Intro.\n\n    indented code stays code\n\nAfter."
    assert safe_markdown(code)[0] == code  # indented text that is not HTML is still code
    assert_publishable_markdown(body)


def test_a_link_across_lines_in_a_list_item_becomes_a_link():
    text = ('- <a href="https://example.org/report"\n     class="x">The full report</a>\n- second\n'
            '- <a href="https://example.org/b">\n    Other\n  </a> after\n- third')
    body, _ = safe_markdown(text)
    assert body == ("- [The full report](https://example.org/report)\n- second\n"
                    "- [Other](https://example.org/b) after\n- third")


def test_embeds_in_markdown_become_links_or_go():
    body, changes = safe_markdown('It presents like this;\n\n<iframe width="560" src="https://player.vimeo.com/video/'
                                  '76979871" title="Our film"></iframe>\n\nAfter.')
    assert body == "It presents like this;\n\nVideo: [Our film](https://vimeo.com/76979871)\n\nAfter."
    assert "embeds" in changes
    for hostile in ('<iframe src="javascript:alert(1)"></iframe>', "<iframe srcdoc='<script>x</script>'></iframe>",
                    '<embed src="data:text/html,x">', "<iframe src=x>unclosed"):
        body, changes = safe_markdown(f"Text.\n\n{hostile}\n\nMore.")
        assert "iframe" not in body and "javascript" not in body and "data:" not in body, hostile
        assert_publishable_markdown(body)
    body, _ = safe_markdown('<video controls src="https://cdn.example.org/film.mp4"></video>')
    assert body == "Video: <https://cdn.example.org/film.mp4>"


def test_images_and_definition_lists_in_html_blocks():
    body, _ = safe_markdown('<div class="figure">\n<img src="images/chart one.png" alt="A chart [2021]">\n'
                            '<p>Caption</p>\n</div>\n\n<dl><dt>Organisation</dt><dd>Example Council</dd>'
                            '<dt>Date</dt><dd>3 March 2021</dd></dl>')
    assert body == ("![A chart (2021)](images/chart%20one.png)\n\nCaption\n\n"
                    "- **Organisation:** Example Council\n- **Date:** 3 March 2021")
    lazy = html_to_markdown('<img src="data:image/gif;base64,R0lGOD" data-src="photo.jpg" alt="Lazy">', set())
    assert lazy == "![Lazy](photo.jpg)"
    long = html_to_markdown("<dl><dt>Background</dt><dd><p>One.</p><p>Two.</p></dd></dl>", set())
    assert long == "**Background**\n\nOne.\n\nTwo."


def test_an_image_with_spaces_in_its_path_is_carried(tmp_path):
    from casehub.exchange.importers.images import carry_images

    (tmp_path / "images").mkdir()
    (tmp_path / "images" / "chart one.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    body, _ = safe_markdown('<p><img src="images/chart one.png" alt="Chart"></p>')
    body, images, notes = carry_images(body, tmp_path, tmp_path)
    assert body == "![Chart](chart-one.png)" and [i.source.name for i in images] == ["chart one.png"]
    assert [n.code for n in notes] == ["image-carried"]


def test_tables_spans_headers_and_layout():
    spans = html_to_markdown("<table><tr><th>Area</th><th>Q1</th><th>Q2</th></tr>"
                             "<tr><td rowspan='2'>North</td><td>1</td><td>2</td></tr><tr><td>3</td><td>4</td></tr>"
                             "<tr><td>South</td><td colspan='2'>closed</td></tr></table>", set())
    assert spans == ("| Area | Q1 | Q2 |\n| --- | --- | --- |\n| North | 1 | 2 |\n|  | 3 | 4 |\n"
                     "| South | closed |  |")
    bold_header = html_to_markdown("<table><tr><td><strong>Name</strong></td><td><b>Count</b></td></tr>"
                                   "<tr><td>a</td><td><ul><li>x</li><li>y</li></ul></td></tr></table>", set())
    assert bold_header == "| Name | Count |\n| --- | --- |\n| a | x; y |"
    facts = html_to_markdown("<table><tr><th>Council</th><td>Example</td></tr><tr><th>Cost</th><td>£5</td></tr>"
                             "</table>", set())
    assert facts == "- **Council:** Example\n- **Cost:** £5"
    changes: set[str] = set()
    layout = html_to_markdown("<table role='presentation'><tr><td><h2>Left</h2><p>One</p></td>"
                              "<td><table><tr><td>Inner</td></tr></table></td></tr></table>", changes)
    assert layout == "## Left\n\nOne\n\nInner" and "layout" in changes
    assert html_to_markdown("<table><tr><td>Only one column</td></tr><tr><td>Second row</td></tr></table>",
                            set()) == "Only one column\n\nSecond row"


def test_html_tables_in_a_spreadsheet_cell(new_project, tmp_path):
    project = new_project()
    sheet = tmp_path / "sheet.csv"
    cell = ("<p>Results:</p>\n<table>\n<tr><th>Year</th><th>Visits</th></tr>\n\n<tr><td>2020</td><td>10</td></tr>"
            "\n\n<tr><td>2021</td><td>25</td></tr>\n</table>")
    sheet.write_text('Title,Body\n"Library visits rose in Example Town","' + cell.replace('"', '""') + '"\n',
                     encoding="utf-8")
    report = run_import(project, "csv", sheet, maps=["title=Title", "body=Body"])
    assert_safe_and_accounted_for(project, report)
    body = load(project.root / report.outcomes[0].path).body
    assert markdown_tables(body) == [["| Year | Visits |", "| --- | --- |", "| 2020 | 10 |", "| 2021 | 25 |"]]


# Pages as a set ---------------------------------------------------------------------------------------


def _soup(title: str, body: str):
    return BeautifulSoup(f"<html><head><title>{title}</title></head><body>{body}</body></html>", "html.parser")


def test_the_site_name_is_the_title_part_most_pages_share():
    profile = SiteProfile()
    for title in ("Repairs | Example Hub", "Parks: a new start | Example Hub", "Libraries – open late | Example Hub"):
        profile.add(_soup(title, "<p>text</p>"))
    profile.finish()
    assert profile.site_names == ["Example Hub"]
    assert profile.clean_title("Libraries – open late | Example Hub") == "Libraries – open late"
    assert profile.clean_title("Example Hub | Parks") == "Parks"
    assert SiteProfile().finish().clean_title("Repairs | Example Hub", site_name="Example Hub") == "Repairs"
    assert SiteProfile().finish().clean_title("Repairs | Example Hub") == "Repairs | Example Hub"


def test_shared_text_never_empties_a_page():
    menu = "<ul><li>Home and welcome page</li><li>Case studies library index</li></ul>"
    same = "<p>" + "Every page says exactly this same thing. " * 3 + "</p>"
    profile = SiteProfile()
    for n in range(4):
        profile.add(_soup(f"Page {n}", menu + same + f"<p>Own words of page number {n} that nobody else has.</p>"))
    profile.finish()
    page = _soup("Page 9", menu + same)
    assert profile.remove_shared(page.body) == 0 and "Every page says" in page.get_text()  # would leave nothing
    page = _soup("Page 1", menu + same + "<p>" + "Plenty of words of its own on this page. " * 5 + "</p>")
    assert profile.remove_shared(page.body) == 2
    assert "Every page says" not in page.get_text() and "Home and welcome" not in page.get_text()
    assert SiteProfile().finish().remove_shared(page.body) == 0  # fewer than three pages share nothing


def test_the_command_reports_the_kept_share(new_project):
    project = new_project()
    result = cli_import(project, "html", str(NETWORK), "--dry-run", "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["drafts"] == 6 and 0 < data["text_kept"]["share"] < 50


# Any mix of these pieces converts to a body the validator's no-raw-HTML and safe-link rules pass.
_PIECES = ["<table>", "</table>", "<tr>", "</tr>", "<td>", "</td>", "<th colspan=3>", "<td rowspan=9>", "\n", "\n\n",
           "    ", "<iframe src='https://youtube.com/embed/abc' title='a]b[c'>", "</iframe>",
           "<iframe src='javascript:x'>",
           "<embed src=//x.org/y>", "<a href='javascript:alert(1)'>", '<a href="https://x.org/a(b)"\n>', "</a>",
           "<img src='x y.png' alt='a]'>", "<img src=data:x>", "<dl>", "<dt>", "<dd>", "</dl>", "- ", "1. ", "a | b",
           "`code <b>`", "```\n<b>x</b>\n```\n", "<div>", "</div>", "<p>", "<script>x</script>", "<svg onload=x>",
           "<video src='https://v.org/f.mp4'>", "</video>", "<object data='https://o.org/x'>", "<span\n", "<!-- c",
           "-->", "<b>", "<caption>cap</caption>", "<table role=presentation>", "<h2>H</h2>", "<", ">", "[x](", ")",
           "<th>", "<thead>", "</thead>"]


@settings(max_examples=120, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), min_size=1, max_size=30))
def test_any_mix_of_html_converts_to_a_safe_body(pieces):
    body, _ = safe_markdown("".join(pieces))
    assert_publishable_markdown(body)
