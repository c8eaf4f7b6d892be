"""Curation on the site: collections, topic pages as communities, and follow-up updates."""

from bs4 import BeautifulSoup

from casehub.core.validate import validate
from casehub.site.build import build

from .support import MINIMAL

COLLECTIONS = """- id: reading-list
  title: A reading list
  introduction: Three entries to read in this order.
  topics: [digital-and-technology]
  entries: [second, first]
- id: broken
  title: A broken list
  introduction: Names things that are not there.
  topics: [no-such-topic]
  entries: [firts, a-draft]
"""

UPDATE = """updates:
  - date: 2025-06-01
    title: One year on
    text: >-
      Still running, and two more councils have adopted it.

      A second paragraph.
  - date: 2024-09-01
    title: Three months on
    text: The first results are in and look promising so far.
"""


def project_with(new_project, collections):
    project = new_project({
        "first.md": MINIMAL.replace("stage: live", "stage: live\n" + UPDATE.rstrip()),
        "second.md": MINIMAL.replace("An example story", "A second story"),
        "a-draft.md": MINIMAL.replace("status: published", "status: draft"),
    })
    (project.data_dir / "collections.yaml").write_text(collections)
    return project


def test_collections_are_checked_against_the_library(new_project):
    project = project_with(new_project, COLLECTIONS)
    found = [(f.path, f.line, f.column, f.rule, f.message, f.hint) for f in validate(project).findings]
    assert found == [
        ("data/collections.yaml", 9, 12, "collection-topics", "'no-such-topic' is not a topic in data/topics.yaml",
         "use a topic id from data/topics.yaml"),
        ("data/collections.yaml", 10, 13, "collection-entries", "'firts' is not an entry", "did you mean 'first'?"),
        ("data/collections.yaml", 10, 20, "collection-entries", "'a-draft' is a draft",
         "collections list published entries only; remove it or publish it"),
    ]


def test_collection_pages_topic_pages_and_updates(new_project, tmp_path):
    project = project_with(new_project, COLLECTIONS.split("- id: broken")[0])
    out = build(project.root, "pelicanconf.py", tmp_path / "out", search=False)

    collection = BeautifulSoup((out / "collections/reading-list/index.html").read_text(), "html.parser")
    assert collection.h1.get_text() == "A reading list"
    assert [a.get_text() for a in collection.select("main ol.cards h2 a")] == [
        "A second story from a council", "An example story from a council"]
    assert (out / "collections/reading-list/feed.xml").is_file()
    assert "reading-list" in (out / "collections/index.html").read_text()

    topic = BeautifulSoup((out / "topics/digital-and-technology/index.html").read_text(), "html.parser")
    text = topic.get_text(" ", strip=True)
    assert "Facilitated by @casehub-facilitators" in text
    assert topic.select_one(".community a[href$='/collections/reading-list/']")
    assert topic.select_one("link[type='application/atom+xml']")["href"].endswith(
        "/topics/digital-and-technology/feed.xml")

    entry = BeautifulSoup((out / "first/index.html").read_text(), "html.parser")
    updates = entry.select(".updates article")
    assert [" ".join(u.h3.get_text().split()) for u in updates] == [
        "Three months on (1 September 2024)", "One year on (1 June 2025)"]
    assert len(updates[1].find_all("p")) == 2
