"""The open data files of the real build, read back as a consumer would read them."""

import csv
import dataclasses
import json
import xml.etree.ElementTree as ET

from jsonschema import Draft202012Validator

from casehub.core.schema import SCHEMA_VERSION, published_schema
from casehub.core.validate import validate
from casehub.site.build import build
from casehub.site.generator import load_library
from casehub.site.opendata import CSV_FIELDS, FEED_SIZE, entry_jsonld

from .support import MINIMAL, ROOT

ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
ADDED = ("id", "url", "json_url", "file")


def read_json(site, path):
    return json.loads((site / path).read_text(encoding="utf-8"))


def read_csv(site):
    with (site / "entries.csv").open(encoding="utf-8", newline="") as file:
        return list(csv.reader(file))


def documents_with(project, *statuses):
    return [d for d in validate(project).documents if d.metadata["status"] in statuses]


def newest_first(documents):
    return [d.id for d in sorted(documents, key=lambda d: (d.metadata["published"], d.id), reverse=True)]


def feed_ids(path):
    root = ET.parse(path).getroot()
    return [entry.find(f"{ATOM}id").text.rstrip("/").rsplit("/", 1)[-1] for entry in root.iter(f"{ATOM}entry")]


def test_entries_json_has_every_published_and_archived_entry_and_no_draft(project, built_site):
    data = read_json(built_site, "entries.json")
    assert data["schema_version"] == SCHEMA_VERSION
    published = documents_with(project, "published", "archived")
    assert [e["id"] for e in data["entries"]] == newest_first(published)
    assert data["count"] == len(published)
    drafts = {d.id for d in documents_with(project, "draft")}
    assert drafts and not drafts & {e["id"] for e in data["entries"]}
    assert {e["id"] for e in data["entries"] if e["status"] == "archived"} == {
        d.id for d in published if d.metadata["status"] == "archived"}
    newest = max(max(d.metadata["published"], d.metadata.get("last_reviewed", "")) for d in published)
    assert data["generated"] == newest


def test_every_entry_object_is_its_validated_front_matter(project, built_site):
    validator = Draft202012Validator(published_schema(project), format_checker=Draft202012Validator.FORMAT_CHECKER)
    by_id = {d.id: d for d in validate(project).documents}
    for item in read_json(built_site, "entries.json")["entries"]:
        entry_id = item["id"]
        assert item["url"] == f"/{entry_id}/" and item["json_url"] == f"/{entry_id}/entry.json"
        assert item["file"] == by_id[entry_id].display_path
        front_matter = {k: v for k, v in item.items() if k not in ADDED}
        assert list(validator.iter_errors(front_matter)) == [], entry_id
        assert front_matter == {"licence": "OGL-UK-3.0", **by_id[entry_id].metadata}
        assert read_json(built_site, f"{entry_id}/entry.json") == item


def test_csv_has_one_row_per_published_entry(project, built_site):
    rows = read_csv(built_site)
    assert tuple(rows[0]) == CSV_FIELDS
    assert [row[0] for row in rows[1:]] == newest_first(documents_with(project, "published", "archived"))
    assert all(len(row) == len(CSV_FIELDS) for row in rows)
    by_id = {row[0]: dict(zip(CSV_FIELDS, row, strict=True)) for row in rows[1:]}
    stockport = by_id["stockport-digital-strategy"]
    assert stockport["lead_organisation"] == "Stockport Metropolitan Borough Council"
    assert stockport["topics"].split("; ")[0] == "digital-and-technology"
    assert b"\r\n" not in (built_site / "entries.csv").read_bytes()


def test_csv_cells_cannot_run_as_formulas(new_project, tmp_path):
    hostile = (MINIMAL.replace("title: An example story from a council",
                               """title: '=HYPERLINK("https://evil.example","Click, for details")'""")
               .replace("team: Digital team", "team: '@Digital team'"))
    project = new_project({"hostile.md": hostile})
    site = build(project.root, "pelicanconf.py", tmp_path / "out", search=False)
    row = dict(zip(CSV_FIELDS, read_csv(site)[1], strict=True))
    assert row["title"] == """'=HYPERLINK("https://evil.example","Click, for details")"""
    assert row["contact_team"] == "'@Digital team"
    assert row["summary"].startswith("A short example")
    # The JSON keeps the title exactly as written: only the spreadsheet view is guarded.
    assert read_json(site, "hostile/entry.json")["title"].startswith("=HYPERLINK")


def test_every_feed_is_atom_with_absolute_links_and_entry_dates(built_site):
    feeds = sorted(built_site.rglob("feed.xml"))
    assert built_site / "feed.xml" in feeds and built_site / "topics" / "digital-and-technology" / "feed.xml" in feeds
    for path in feeds:
        root = ET.parse(path).getroot()
        assert root.tag == f"{ATOM}feed", path
        entries = list(root.iter(f"{ATOM}entry"))
        assert len(entries) <= FEED_SIZE, path
        if not entries:  # a vocabulary value with no entries yet: its page says so, and its feed waits
            assert "No entries yet" in (path.parent / "index.html").read_text(encoding="utf-8"), path
        for entry in entries:
            assert entry.find(f"{ATOM}link").get("href").startswith("http://localhost:8000/")
            assert entry.find(f"{ATOM}updated").text.endswith("T00:00:00Z")
            assert entry.find(f"{ATOM}author/{ATOM}name").text


def test_the_main_feed_has_listed_entries_only(project, built_site):
    listed = newest_first(documents_with(project, "published"))
    assert feed_ids(built_site / "feed.xml") == listed[:FEED_SIZE]


def test_a_topic_feed_has_exactly_the_listed_entries_of_that_topic(project, built_site):
    for topic in ("digital-and-technology", "climate-and-environment"):
        expected = newest_first(d for d in documents_with(project, "published") if topic in d.metadata["topics"])
        assert feed_ids(built_site / "topics" / topic / "feed.xml") == expected[:FEED_SIZE]


def test_every_browse_term_has_a_feed(project, built_site):
    for facet in load_library(project).facets:
        for term, entries in facet.groups:
            assert len(feed_ids(built_site / facet.key / term.id / "feed.xml")) == min(len(entries), FEED_SIZE)


def test_the_sitemap_lists_every_published_page_and_no_draft(project, built_site):
    root = ET.parse(built_site / "sitemap.xml").getroot()
    assert root.tag == f"{SITEMAP}urlset"
    urls = {u.find(f"{SITEMAP}loc").text: u.find(f"{SITEMAP}lastmod") for u in root.iter(f"{SITEMAP}url")}
    for document in documents_with(project, "published", "archived"):
        lastmod = urls[f"http://localhost:8000/{document.id}/"]
        assert lastmod.text == document.metadata.get("last_reviewed", document.metadata["published"])
    for document in documents_with(project, "draft"):
        assert f"http://localhost:8000/{document.id}/" not in urls
    for path in ("", "entries/", "topics/", "topics/digital-and-technology/", "open-data/", "fields/", "search/"):
        assert f"http://localhost:8000/{path}" in urls, path
    for url in urls:  # every listed page was built, and no second page is listed
        assert (built_site / url.removeprefix("http://localhost:8000/") / "index.html").is_file(), url
        assert "/page/" not in url


def test_json_ld_is_safe_inside_a_script_element(project):
    entry = load_library(project).by_id["stockport-digital-strategy"]
    hostile = dataclasses.replace(entry, meta={**entry.meta, "title": "</script><script>alert(1)</script> & <!--"})
    for item in (entry, hostile):
        text = str(entry_jsonld(item, "https://casehub.example", "Casehub"))
        assert "<" not in text and ">" not in text and "&" not in text
        data = json.loads(text)
        assert data["@type"] == "Article" and data["headline"] == item.meta["title"]
        assert data["url"] == "https://casehub.example/stockport-digital-strategy/"
        assert data["author"] == {"@type": "Organization", "name": "Stockport Metropolitan Borough Council"}
        assert data["dateModified"] == item.meta.get("last_reviewed", item.meta["published"])
        assert data["license"].startswith("https://www.nationalarchives.gov.uk/")


def test_two_builds_of_the_same_library_are_identical(tmp_path):
    first = build(ROOT, "pelicanconf.py", tmp_path / "first", search=False)
    second = build(ROOT, "pelicanconf.py", tmp_path / "second", search=False)
    for name in ("entries.json", "entries.csv", "feed.xml", "sitemap.xml", "topics/digital-and-technology/feed.xml",
                 "stockport-digital-strategy/entry.json"):
        assert (first / name).read_bytes() == (second / name).read_bytes(), name


def test_a_site_url_makes_every_address_absolute(monkeypatch, tmp_path):
    monkeypatch.setenv("CASEHUB_SITEURL", "https://casehub.example")
    site = build(ROOT, "publishconf.py", tmp_path / "out", search=False)
    item = read_json(site, "entries.json")["entries"][0]
    assert item["url"] == f"https://casehub.example/{item['id']}/"
    assert item["json_url"] == f"https://casehub.example/{item['id']}/entry.json"
    assert read_csv(site)[1][1] == item["url"]
    root = ET.parse(site / "feed.xml").getroot()
    assert root.find(f"{ATOM}entry/{ATOM}id").text == item["url"]
    assert "https://casehub.example/open-data/" in (site / "sitemap.xml").read_text(encoding="utf-8")


def test_an_empty_library_still_writes_valid_files(new_project, tmp_path):
    project = new_project()
    site = build(project.root, "pelicanconf.py", tmp_path / "out", search=False)
    data = read_json(site, "entries.json")
    assert (data["count"], data["entries"], data["generated"]) == (0, [], None)
    assert read_csv(site) == [list(CSV_FIELDS)]
    root = ET.parse(site / "feed.xml").getroot()
    assert root.find(f"{ATOM}updated").text == "1970-01-01T00:00:00Z"
