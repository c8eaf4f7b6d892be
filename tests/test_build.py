"""The real Pelican build of the sample library, read back with a real HTML parser."""

import subprocess
import sys

import pytest
from bs4 import BeautifulSoup

from casehub.core.validate import validate
from casehub.site.build import build
from casehub.site.generator import BuildStopped, load_library, page_window
from casehub.site.render import Renderer

from .support import MINIMAL, ROOT

FILTERS = {"type", "topic", "region", "council type", "organisation", "stage", "year"}


def page(site, path):
    return BeautifulSoup((site / path).read_text(encoding="utf-8"), "html.parser")


def html_pages(site):
    return [p for p in site.rglob("*.html") if "pagefind" not in p.parts]


def test_every_published_entry_has_a_page_with_its_filters(project, built_site):
    report = validate(project)
    library = load_library(project)
    for document in report.documents:
        status = document.metadata["status"]
        path = built_site / document.id / "index.html"
        if status == "draft":
            assert not path.exists(), f"draft {document.id} was published"
            continue
        soup = page(built_site, f"{document.id}/index.html")
        assert soup.h1.get_text(strip=True) == document.metadata["title"]
        body = soup.select("[data-pagefind-body]")
        if status == "archived":
            assert body == [], "archived entries leave search"
            assert "This entry is archived" in soup.get_text()
            continue
        assert len(body) == 1
        filters = {tag["data-pagefind-filter"] for tag in soup.select("[data-pagefind-filter]")}
        entry = library.by_id[document.id]
        expected = set(FILTERS) if entry.council_type_term else FILTERS - {"council type"}
        expected |= {"budget"} if "budget_band" in document.metadata else set()
        expected |= {"evidence", "outcome"} if document.metadata.get("outcomes") else set()
        expected |= {"population"} if entry.council and entry.council.population else set()
        assert filters == expected, document.id
        assert soup.select_one("[data-pagefind-sort='date[datetime]']")["datetime"] == document.metadata["published"]


def test_only_entry_pages_are_indexed(built_site):
    for path in html_pages(built_site):
        soup = page(built_site, path.relative_to(built_site))
        if soup.select("[data-pagefind-body]"):
            assert soup.select_one("article[data-pagefind-body] .key-facts"), path


def test_every_page_has_one_h1_lang_landmarks_and_a_skip_link(built_site):
    for path in html_pages(built_site):
        soup = page(built_site, path.relative_to(built_site))
        assert len(soup.find_all("h1")) == 1, path
        assert soup.html["lang"].lower() == "en-gb"
        assert soup.find("main", id="main") and soup.find("header") and soup.find("footer"), path
        assert soup.find("a", class_="skip-link")["href"] == "#main"
        csp = soup.find("meta", attrs={"http-equiv": "Content-Security-Policy"})["content"]
        assert "script-src 'self' 'wasm-unsafe-eval'" in csp


def test_no_script_handler_or_javascript_url_survives(built_site):
    for path in html_pages(built_site):
        soup = page(built_site, path.relative_to(built_site))
        for script in soup.find_all("script"):
            if script.get("type") == "application/ld+json":  # data, never run
                assert "<" not in script.string
                continue
            assert script.get("src") and not script.string, f"inline script in {path}"
        for tag in soup.find_all(True):
            for name, value in tag.attrs.items():
                assert not name.startswith("on"), f"{name} on {tag.name} in {path}"
                if name in ("href", "src", "action"):
                    assert not str(value).strip().lower().startswith(("javascript:", "data:")), path
            assert "style" not in tag.attrs, f"inline style in {path}"


def test_search_assets_load_only_on_the_search_page(built_site):
    for path in html_pages(built_site):
        text = path.read_text(encoding="utf-8")
        is_search = path == built_site / "search" / "index.html"
        assert ("search.js" in text) == is_search, path
    assert (built_site / "pagefind" / "pagefind.js").is_file()
    assert list((built_site / "pagefind" / "index").iterdir())


def test_every_listed_entry_is_reachable_without_javascript(project, built_site):
    listed = {d.id for d in validate(project).documents if d.metadata["status"] == "published"}
    linked = set()
    for path in (built_site / "entries").rglob("index.html"):
        for a in page(built_site, path.relative_to(built_site)).select("main a[href]"):
            linked.add(a["href"].strip("/").split("/")[-1])
    assert listed <= linked


def test_browse_pages_for_every_facet(built_site):
    for facet in ("topics", "regions", "council-types", "types", "stages", "organisations"):
        soup = page(built_site, f"{facet}/index.html")
        links = soup.select("main ul.terms a")
        assert links, facet
        first = links[0]["href"].strip("/")
        assert (built_site / first / "index.html").is_file()


def test_the_sanitiser_removes_what_the_validator_would_also_refuse():
    hostile = ("<script>alert(1)</script>\n\n<img src=x onerror=alert(1)>\n\n"
               "[click](javascript:alert(1)) [data](data:text/html,hi)\n\n<a href='java&#x73;cript:x'>x</a>\n\n"
               "<iframe src='https://example.org'></iframe><style>body{}</style>\n\n| a |\n|---|\n| b |\n")
    html = str(Renderer()(hostile))
    lowered = html.lower()
    for bad in ("<script", "onerror", "javascript:", "data:", "<iframe", "<style", "style="):
        assert bad not in lowered, bad
    assert "<table>" in html


def test_entries_cannot_set_pelican_settings_or_output_paths(new_project, tmp_path):
    sneaky = MINIMAL.replace("stage: live", "stage: live\nsave_as: ../../evil.html\ntemplate: page\nurl: /x")
    project = new_project({"sneaky.md": sneaky})
    with pytest.raises(BuildStopped) as stopped:
        build(project.root, "pelicanconf.py", tmp_path / "out", search=False)
    assert {f.field for f in stopped.value.findings} == {"save_as", "template", "url"}
    assert not list(tmp_path.rglob("evil.html"))


def test_a_bad_entry_stops_the_build_with_the_validators_message(new_project, tmp_path):
    project = new_project({"good.md": MINIMAL, "bad.md": MINIMAL.replace("type: story", "type: stroy")})
    with pytest.raises(BuildStopped) as stopped:
        build(project.root, "pelicanconf.py", tmp_path / "out", search=False)
    assert stopped.value.findings == validate(project).findings
    assert "casestudies/bad.md:4:7: type: 'stroy' is not an allowed value — did you mean 'story'?" in str(
        stopped.value.code)


def test_pelicans_own_command_stops_without_a_traceback(new_project, tmp_path):
    project = new_project({"bad.md": MINIMAL.replace("type: story", "type: stroy")})
    result = subprocess.run([sys.executable, "-m", "pelican", "-s", "pelicanconf.py", "-o", str(tmp_path / "out")],
                            cwd=project.root, capture_output=True, text=True, check=False)
    assert result.returncode == 1
    assert "casestudies/bad.md:4:7: type: 'stroy' is not an allowed value" in result.stderr
    assert "Traceback" not in result.stderr + result.stdout


def test_pelicans_own_command_builds_the_library(tmp_path):
    result = subprocess.run([sys.executable, "-m", "pelican", "-s", "pelicanconf.py", "-o", str(tmp_path / "out")],
                            cwd=ROOT, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "out" / "stockport-digital-strategy" / "index.html").is_file()
    assert (tmp_path / "out" / "pagefind" / "pagefind.js").is_file()


def test_images_beside_an_entry_are_published(new_project, tmp_path):
    project = new_project({"with-image/index.md": MINIMAL + "\n![A chart of visits](chart.png)\n"})
    (project.entries_dir / "with-image" / "chart.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    out = build(project.root, "pelicanconf.py", tmp_path / "out", search=False)
    assert (out / "with-image" / "chart.png").read_bytes().startswith(b"\x89PNG")
    assert page(out, "with-image/index.html").select_one(".prose img")["alt"] == "A chart of visits"


@pytest.mark.parametrize(("number", "count", "expected"), [
    (1, 1, [1]),
    (1, 3, [1, 2, 3]),
    (1, 200, [1, 2, None, 200]),
    (5, 200, [1, None, 4, 5, 6, None, 200]),
    (3, 200, [1, 2, 3, 4, None, 200]),
    (200, 200, [1, None, 199, 200]),
])
def test_page_links_are_first_last_and_neighbours(number, count, expected):
    assert page_window(number, count) == expected


def test_listing_pages_link_each_other_without_growing_with_the_library(tmp_path):
    settings = tmp_path / "small_pages.py"
    settings.write_text(f"import sys\nsys.path.insert(0, {str(ROOT)!r})\n"
                        "from pelicanconf import *  # noqa\nCASEHUB_PAGE_SIZE = 2\n", encoding="utf-8")
    site = build(ROOT, str(settings), tmp_path / "out", search=False)
    pages = sorted((site / "entries" / "page").iterdir(), key=lambda p: int(p.name))
    count = len(pages) + 1
    assert count >= 6
    seen = set()
    for number in range(1, count + 1):
        path = "entries/index.html" if number == 1 else f"entries/page/{number}/index.html"
        soup = page(site, path)
        nav = soup.select_one("nav.pagination")
        links = [a["href"] for a in nav.select("a:not([rel])")]
        assert len(links) <= 4, path  # first, last and two neighbours, however long the list
        for href in links:
            assert (site / href.strip("/") / "index.html").exists(), href
        assert nav.select_one("[aria-current=page]").get_text() == str(number)
        if number not in (1, count):
            assert {a["rel"][0] for a in nav.select("a[rel]")} == {"prev", "next"}
        seen.update(a["href"] for a in soup.select(".cards .card h2 a"))
    total = int(page(site, "entries/index.html").select_one("main h1 + p").get_text().split()[0])
    assert len(seen) == total  # every listed entry on exactly one of the pages


def test_a_cached_card_is_what_the_card_template_renders(tmp_path):
    from casehub.site.build import build_site

    last = build_site(ROOT, "publishconf.py", tmp_path / "out", search=False).generator
    assert len(last.library.listed) >= 5
    template = last.env.from_string('{% include "_entry_card.html" %}')
    for entry in last.library.listed[:5]:
        for heading in ("h2", "h3"):
            plain = template.render(SITEURL=last.context.get("SITEURL", ""), entry=entry, card_heading=heading)
            assert last.entry_card(entry, heading) == plain


def test_the_search_index_holds_what_readers_search_for_not_page_furniture(project, built_site):
    """Pagefind indexes an entry's words, organisations, places and topics; not the labels,
    dates and licence every entry shares, while their filters and sort keys still work."""
    import gzip
    import json

    fragments = {}
    for path in (built_site / "pagefind" / "fragment").iterdir():
        raw = gzip.decompress(path.read_bytes())
        record = json.loads(raw[raw.index(b"{"):])
        fragments[record["url"].strip("/")] = record
    documents = {d.id: d for d in validate(project).documents if d.metadata["status"] == "published"}
    assert set(fragments) == set(documents)
    for entry_id, record in fragments.items():
        meta = documents[entry_id].metadata
        content = record["content"]
        for organisation in meta["organisations"]:
            assert organisation["name"] in content, entry_id
        for furniture in ("Key facts", "Open Government Licence", "Last reviewed", "Published"):
            assert furniture not in content, (entry_id, furniture)
        assert record["filters"]["year"] == [meta["published"][:4]]
        assert record["meta"]["date"] == meta["published"]


def test_an_outcomes_source_is_linked_from_its_evidence(new_project, tmp_path):
    outcomes = ("stage: live\noutcomes:\n  - measure: Visits to the site\n    value: 1200\n    unit: visits\n"
                "    evidence: internal-evaluation\n    source: https://www.example.gov.uk/dashboard\n"
                "  - measure: Calls\n    value: 30\n    unit: calls\n    evidence: self-reported")
    project = new_project({"with-source.md": MINIMAL.replace("stage: live", outcomes, 1)})
    out = build(project.root, "pelicanconf.py", tmp_path / "out", search=False)
    page = (out / "with-source" / "index.html").read_text(encoding="utf-8")
    assert ('<a href="https://www.example.gov.uk/dashboard">Internal evaluation<span class="visually-hidden"> '
            "(the source of this figure)</span></a>") in page
    assert "<td data-pagefind-ignore data-label=\"Evidence\">Self-reported</td>" in page
