"""The inputs a network's library actually comes in: Word documents, RSS and Atom feeds, and a
WordPress export. Each fixture is built in the real shape (tests/fixtures/make_docx.py writes the
Word files as Word does); the tests assert what survives: words, links and their targets,
images with their alternative text, tables, and which items become entries."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from click.testing import CliRunner

from casehub.cli import cli
from casehub.core.loader import load
from casehub.exchange.importers import ImportOptions, build_mapping, prepare

from .support import FIXTURES

IMPORT = FIXTURES / "import"
TODAY = date(2026, 11, 30)


def run(project, fmt, source):
    options = ImportOptions(mapping=build_mapping(project, None, {}, {}), today=TODAY)
    return prepare(project, fmt, Path(source), options).run()


def entry(project, outcome):
    return load(project.root / outcome.path, outcome.path)


def test_a_word_case_study_keeps_its_words_links_list_image_and_facts(new_project):
    project = new_project({})
    report = run(project, "docx", IMPORT / "docx")
    by_origin = {o.origin: o for o in report.outcomes}
    outcome = by_origin["southvale-warm-spaces.docx"]
    assert outcome.path == "casestudies/warm-spaces-in-southvales-libraries/index.md" and outcome.images == 1
    document = entry(project, outcome)
    meta, body = document.metadata, document.body
    assert meta["title"] == "Warm spaces in Southvale's libraries"
    # The LGA template's table of facts became fields, not a table in the body.
    assert meta["organisations"] == [{"name": "Southvale District Council", "role": "lead"}]
    assert meta["geography"] == {"nation": "england", "region": "east-of-england"}
    assert meta["topics"] == ["communities-and-engagement"] and meta["published"] == "2024-03-31"
    assert "| Council |" not in body and "Southvale District Council opened twelve warm spaces" in body
    for section in ("## The challenge", "## The solution", "## The impact", "## Lessons learned"):
        assert section in body
    assert "*residents told us*" in body and "**1,240 visits**" in body
    assert "- Twelve libraries opened late three evenings a week." in body
    assert "[government guidance on warm spaces](https://www.gov.uk/guidance/warm-spaces)" in body
    assert "![Volunteers setting out chairs in the library's warm space](image-1.png)" in body
    assert (project.entries_dir / "warm-spaces-in-southvales-libraries" / "image-1.png").read_bytes()[:4] == \
        b"\x89PNG"
    assert any("LGA Intro Text" in n.message for n in outcome.notes)  # a style Word knows and we do not
    assert meta["source"]["format"] == "docx"


def test_a_word_note_with_a_personal_address_is_a_draft_without_it(new_project):
    project = new_project({})
    report = run(project, "docx", IMPORT / "docx")
    [outcome] = [o for o in report.outcomes if o.origin == "repairs-note.docx"]
    assert outcome.status == "draft"
    assert entry(project, outcome).metadata["title"] == "Repairs line redesigned with tenants"
    assert not any(f.rule == "personal-data" for f in outcome.findings)  # removed on the way in, and said so
    assert any(n.code == "personal-data-removed" and n.review for n in outcome.notes)
    assert any("created" in n.message for n in outcome.notes)  # the date came from the file's properties


def test_an_rss_feed_gives_one_entry_an_item_with_its_full_text(new_project):
    project = new_project({})
    report = run(project, "feed", IMPORT / "feeds" / "council-news.rss")
    first, second = report.outcomes
    document = entry(project, first)
    assert document.metadata["title"] == "Digital inclusion hubs open in five libraries"
    assert document.metadata["published"] == "2023-03-14"
    assert document.metadata["topics"] == ["digital-and-technology"] and "libraries" in document.metadata["tags"]
    assert document.metadata["source"]["url"] == "https://www.northbridge.gov.uk/news/digital-inclusion-hubs"
    body = document.body
    assert "## What we did" in body and "- 312 residents helped in six months" in body
    # A site-relative link made absolute against the item's address; the script gone, with its text.
    assert "[champions programme](https://www.northbridge.gov.uk/news/digital-champions)" in body
    assert "alert" not in body and "<script" not in (project.root / first.path).read_text("utf-8")
    # An item that is only a teaser is a draft that says where the full text is.
    assert second.status == "draft"
    assert any("only a summary" in n.message and "council-tax-texts" in n.message for n in second.notes)


def test_an_atom_feed_keeps_its_table(new_project):
    project = new_project({})
    [outcome] = run(project, "feed", IMPORT / "feeds" / "partner-updates.atom").outcomes
    document = entry(project, outcome)
    assert "| Council | Target year |\n| --- | --- |\n| Eastvale | 2030 |\n| Westvale | 2035 |" in document.body
    assert document.metadata["topics"] == ["climate-and-environment"]
    assert document.metadata["summary"] == "Six district councils adopted one climate action plan."


def test_a_wordpress_export_gives_posts_and_pages_with_their_uploaded_images(new_project):
    project = new_project({})
    report = run(project, "wordpress", IMPORT / "wordpress" / "northbridge.WordPress.2026-11-30.xml")
    # The attachment, the menu item and the trashed post are not entries.
    assert [o.origin for o in report.outcomes] == [
        "northbridge.WordPress.2026-11-30.xml, item 1 (post 12)",
        "northbridge.WordPress.2026-11-30.xml, item 3 (page 2)",
        "northbridge.WordPress.2026-11-30.xml, item 4 (post 20)"]
    post, page, draft = report.outcomes
    document = entry(project, post)
    meta, body = document.metadata, document.body
    assert meta["title"] == "Warm spaces: what we learned" and meta["published"] == "2021-03-03"
    assert meta["summary"] == "Four warm spaces, run with the food bank, and what we would do differently."
    assert meta["topics"] == ["communities-and-engagement"] and meta["tags"] == ["winter"]
    assert meta["source"]["url"] == "https://practice.northbridge.gov.uk/2021/03/warm-spaces-what-we-learned/"
    # Paragraphs restored, the caption's image carried with its caption, [sic] kept as text.
    assert "We opened warm spaces in four community centres over the winter.\n\n" in body
    assert "![Volunteers serving hot drinks](warm-space-volunteers.png)" in body
    assert "Volunteers at the Eastfield centre" in body and "next time [sic]." in body
    assert (project.root / post.path).parent.joinpath("warm-space-volunteers.png").is_file()
    assert "https://www.youtube.com/watch?v=abc123" in body and "[gallery" not in body
    messages = " ".join(n.message for n in post.notes)
    assert "[gallery]" in messages and "missing-chart.png" in messages
    assert draft.status == "draft" and any("'draft' in WordPress" in n.message for n in draft.notes)
    assert entry(project, page).metadata["title"] == "About this library"


def test_the_new_formats_are_commands_with_plain_errors(new_project, tmp_path):
    project = new_project({})
    not_wxr = tmp_path / "plain.xml"
    not_wxr.write_text("<rss><channel><title>x</title></channel></rss>", encoding="utf-8")
    result = CliRunner().invoke(cli, ["--root", str(project.root), "import", "wordpress", str(not_wxr)])
    assert result.exit_code == 2 and "is not a WordPress export" in result.output
    bomb = tmp_path / "bomb.xml"
    bomb.write_text('<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;&a;">]>'
                    "<rss><channel>&b;</channel></rss>", encoding="utf-8")
    result = CliRunner().invoke(cli, ["--root", str(project.root), "import", "wordpress", str(bomb)])
    assert result.exit_code == 2 and "Traceback" not in result.output
    result = CliRunner().invoke(cli, ["--root", str(project.root), "import", "feed", str(not_wxr)])
    assert result.exit_code == 2 and "not an RSS or Atom feed with items" in result.output
    assert list(project.entries_dir.iterdir()) == []
