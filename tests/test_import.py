"""`casehub import`: spreadsheets, Markdown sites and saved web pages into entries.

Every file written either passes validation or is a draft whose findings the
report lists; no raw HTML, script or unsafe link survives in any body; nothing
is ever overwritten; `source` is recorded; a dry run writes nothing; and the
command exits 0 when it has run, 2 when the input cannot be used."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner

from casehub.cli import cli
from casehub.core.loader import load, parse
from casehub.core.rules import check_raw_html, check_safe_links
from casehub.core.validate import validate
from casehub.exchange.importers.body import safe_markdown
from casehub.exchange.importers.dates import parse_date
from casehub.exchange.importers.vocab import Resolver, budget_band

from .support import ROOT
from .support.imports import HOSTILE, IMPORT, assert_safe_and_accounted_for, cli_import, run_import

SAMPLE_CSV = ROOT / "examples" / "import" / "case-studies.csv"
SAMPLE_MAPPING = ROOT / "examples" / "import" / "lga-style-mapping.yaml"
# What must never reach a body, in any case.


def written(project) -> list[Path]:
    return sorted(p for p in project.entries_dir.rglob("*") if p.is_file())


# Spreadsheets ---------------------------------------------------------------------------------


def test_the_sample_spreadsheet_imports_with_its_mapping(new_project):
    project = new_project()
    report = run_import(project, "csv", SAMPLE_CSV, mapping=SAMPLE_MAPPING)
    assert_safe_and_accounted_for(project, report)
    assert len(report.outcomes) >= 10
    assert report.count("published") >= 10
    # The two rows that need a person are drafts with work to do, which fails nothing (they are not published).
    checked = validate(project)
    assert checked.ok and len({f.path for f in checked.findings if f.severity == "todo"}) == 2
    first = load(project.entries_dir / "example-borough-council-redesigns-its-repairs-line-with.md").metadata
    assert first["type"] == "case-study" and first["status"] == "published"
    assert first["topics"] == ["housing-and-homelessness", "digital-and-technology"]
    assert first["geography"] == {"nation": "england", "region": "west-midlands",
                                  "council_type": "metropolitan-borough"}
    assert first["published"] == "2021-03-03" and first["budget_band"] == "50k-250k"
    assert first["organisations"][1] == {"name": "Example District Council", "role": "partner"}
    assert re.fullmatch(r"[0-9a-f]{16}", first["source"].pop("hash"))  # what was written, for a re-import
    assert first["source"] == {"name": "Example council case study spreadsheet",
                               "url": "https://www.example.gov.uk/case-studies/repairs",
                               "path": "case-studies.csv", "format": "csv", "imported": "2026-11-22"}
    scottish = load(project.entries_dir / "example-scottish-councils-digital-skills-for-older-people.md").metadata
    assert scottish["geography"]["nation"] == "scotland"
    drafts = {o.origin: o for o in report.attention}
    libraries = drafts["case-studies.csv, row 13"]
    assert any("'Libraries' is not in data/topics.yaml" in n.message for n in libraries.notes)
    assert any(f.rule == "schema-enum" for f in libraries.findings)


@pytest.mark.parametrize("name", ["utf8.csv", "bom.csv", "cp1252.csv", "semicolons.csv"])
def test_encodings_and_delimiters_read_the_same(new_project, name):
    project = new_project()
    report = run_import(project, "csv", IMPORT / "csv" / name)
    assert_safe_and_accounted_for(project, report)
    assert [o.id for o in report.outcomes] == ["example-town-cafe-opening-hours-page",
                                               "example-countys-repairs-line-redesigned-with-tenants",
                                               "example-district-warm-spaces-network"]
    text = (project.entries_dir / "example-countys-repairs-line-redesigned-with-tenants.md").read_text("utf-8")
    assert "Example County’s repairs line" in text and "café" in text
    cafe = load(project.entries_dir / "example-town-cafe-opening-hours-page.md").metadata
    assert cafe["title"] == "Example Town café opening hours page"
    assert cafe["budget_band"] == "under-10k"  # £8,500
    assert cafe["topics"] == ["digital-and-technology", "communities-and-engagement"]
    notes = " ".join(report.notes)
    assert ("Windows-1252" in notes) == (name == "cp1252.csv")
    assert ("semicolons" in notes) == (name == "semicolons.csv")


def test_missing_columns_make_drafts_with_their_findings(new_project):
    project = new_project()
    report = run_import(project, "csv", IMPORT / "csv" / "missing-columns.csv",
                        maps=["title=Case study title", "organisation=Council", "topics=Themes",
                              "published=Date published", "summary=Summary", "region=Region",
                              "section:Context=Background"])
    assert_safe_and_accounted_for(project, report)
    assert report.count("draft") == 2 and report.count("published") == 0
    assert any("'Region' (for region) is not in the file" in n for n in report.notes)
    food = report.outcomes[0]
    assert {f.field for f in food.findings} >= {"geography", "stage", "contact"}
    assert load(project.root / food.path).metadata["published"] == "2023-09-05"
    parking = report.outcomes[1]
    assert any("did you mean 'transport-and-highways'" in n.message for n in parking.notes)
    # No summary column value: it comes from the first paragraph, and a person is asked to check it.
    assert load(project.root / parking.path).metadata["summary"].startswith("Residents can now apply")


def test_formula_cells_are_never_imported(new_project):
    project = new_project()
    report = run_import(project, "csv", IMPORT / "csv" / "formula.csv")
    assert_safe_and_accounted_for(project, report)
    [outcome] = report.outcomes
    assert outcome.status == "draft"
    text = (project.root / outcome.path).read_text("utf-8")
    assert "HYPERLINK" not in text and "cmd|" not in text and "evil.example" not in text
    assert sum("spreadsheet formula" in n.message for n in outcome.notes) == 2


# Markdown sites ---------------------------------------------------------------------------------


def test_a_jekyll_and_hugo_folder(new_project):
    project = new_project()
    report = run_import(project, "markdown", IMPORT / "markdown")
    assert_safe_and_accounted_for(project, report)
    by_origin = {o.origin: o for o in report.outcomes}

    warm = by_origin["hugo/content/case-studies/warm-spaces.md"]  # TOML front matter, our own field names
    assert warm.status == "published"
    meta = load(project.root / warm.path).metadata
    assert meta["published"] == "2022-11-01" and meta["topics"] == ["climate-and-environment",
                                                                    "communities-and-engagement"]
    assert meta["tags"] == ["warm-spaces"] and meta["geography"]["council_type"] == "district"

    bikes = by_origin["hugo/content/case-studies/bike-library/index.md"]  # a page bundle with images
    assert bikes.path == "casestudies/bike-library/index.md" and bikes.status == "draft"  # its id: the bundle's
    folder = project.entries_dir / "bike-library"
    assert sorted(p.name for p in folder.iterdir()) == ["index.md", "photo.png"]
    assert (folder / "photo.png").read_bytes() == (
        IMPORT / "markdown/hugo/content/case-studies/bike-library/photo.png").read_bytes()
    body = load(folder / "index.md").body
    assert "![People collecting bikes outside the library](photo.png)" in body  # the figure shortcode
    assert "{{" not in body and "diagram.svg" not in body and "How the loan works" in body
    assert "Bikes are lent for up to a month." in body  # a shortcode's inner text is kept
    messages = " ".join(n.message for n in bikes.notes)
    assert "1 Hugo shortcode removed (notice)" in messages and "SVG" in messages
    assert "[Watch the video on YouTube](https://www.youtube.com/watch?v=dQw4w9WgXcQ)" in body  # an embed, linked
    assert any(f.rule == "image-alt" for f in bikes.findings)
    assert load(folder / "index.md").metadata["source"]["path"] == "hugo/content/case-studies/bike-library/index.md"

    repairs = by_origin["jekyll/_posts/2021-03-03-repairs-redesign.md"]  # YAML 1.1 timestamp, Liquid, raw HTML
    meta = load(project.root / repairs.path).metadata
    assert meta["published"] == "2021-03-03" and meta["authors"] == ["Example Housing Team"]
    assert meta["topics"] == ["digital-and-technology"] and meta["tags"] == ["tenants", "service-design", "housing"]
    body = load(project.root / repairs.path).body
    assert "![Repeat calls fell from 31% to 18%](repairs-chart.png)" in body  # {{ site.baseurl }}/assets/…
    assert "We worked with **two** neighbouring councils." in body
    assert "See the tracker or [the code](https://example.org/code)." in body
    assert "```python\nprint(\"hello\")\n```" in body
    assert "gtag" not in body and not body.startswith("# ")

    assert by_origin["jekyll/_posts/2020-01-10-unpublished-idea.md"].status == "draft"
    unsafe = by_origin["jekyll/_posts/2019-05-01-unsafe-yaml.md"]
    assert unsafe.status == "failed" and not unsafe.path
    assert "YAML tag that is refused" in unsafe.notes[0].message

    messy = by_origin["hugo/content/case-studies/messy.md"]
    assert messy.status == "draft"
    document = load(project.root / messy.path)
    assert document.metadata["title"] == "Messy page"
    assert "personal-data" not in {f.rule for f in messy.findings}  # removed on the way in, and said so
    assert "jane.smith@example.com" not in document.body and "[e-mail address removed]" in document.body
    assert any(n.code == "personal-data-removed" and n.review for n in messy.notes)
    assert "\u202e" not in document.body
    index = by_origin["hugo/content/case-studies/_index.md"]  # a list page: skipped, and named
    assert index.status == "skipped" and not index.path and index.notes[0].code == "template-skipped"


def test_hostile_markdown_bodies_come_out_safe():
    hostile = [
        "<script>alert(1)</script>", "<SCRIPT src=//x></SCRIPT>", "<img src=x onerror=alert(1)>",
        "<a href='javascript:alert(1)'>x</a>", "[x](JaVaScRiPt:alert(1))", "[x]( javascript :alert(1))",
        "<javascript:alert(1)>", "[x][1]\n\n[1]: javascript:alert(1)", "<iframe src=https://x></iframe>",
        "<style>body{}</style>", "<!-- hidden -->", "&lt;script&gt;alert(1)&lt;/script&gt; in <b>bold</b>",
        "<div><p>unclosed <span onclick='x()'>", "![x](data:image/svg+xml;base64,PHN2Zz4=)", "<svg><g/></svg>",
        "<p\nonclick=x>split tag</p>", "<form><input></form>", "text <b", "<?php echo 1 ?>", "<![CDATA[x]]>",
        "- item <em>one</em>\n- item two", "<table><tr><td>a</td></tr></table>", "<vbscript:msgbox>",
    ]
    for text in hostile:
        body, _ = safe_markdown(text)
        document = parse(f"---\ntitle: x\n---\n{body}\n".encode(), "x.md")
        assert check_raw_html(document) == [], (text, body)
        assert check_safe_links(document) == [], (text, body)
        assert not HOSTILE.search(body), (text, body)
    assert safe_markdown("- item <em>one</em>\n- item two")[0] == "- item *one*\n- item two"
    wrapped = '<form id="aspnetForm"><input type="hidden" value="x"><h2>Context</h2><p>Kept text</p><button>Go</button>'
    assert safe_markdown(wrapped + "</form>")[0] == "## Context\n\nKept text"  # a form around a page keeps its text
    assert safe_markdown("```html\n<script>kept as code</script>\n```")[0] == \
        "```html\n<script>kept as code</script>\n```"


# Saved web pages ---------------------------------------------------------------------------------


def test_saved_web_pages_become_drafts(new_project):
    project = new_project()
    report = run_import(project, "html", IMPORT / "html")
    assert_safe_and_accounted_for(project, report)
    by_origin = {o.origin: o for o in report.outcomes}
    assert report.count("published") == 0 and report.count("draft") == len(report.outcomes) == 10
    assert {"clean.html", "messy.html", "mislabelled.html", "network/school-streets.html"} <= set(by_origin)

    clean = by_origin["clean.html"]
    assert clean.path == "casestudies/example-council-library-app/index.md"
    meta = load(project.root / clean.path).metadata
    assert meta["title"] == "Example Council library app" and meta["published"] == "2020-09-15"
    assert meta["summary"].startswith("Example data. A library app")
    assert meta["topics"] == ["digital-and-technology"] and meta["tags"] == ["libraries", "apps"]
    assert meta["source"]["url"] == "https://platform.example.org/case-studies/library-app"
    assert meta["source"]["name"] == "Example Case Study Platform"
    body = load(project.root / clean.path).body
    assert "[the readers' panel](https://platform.example.org/people/readers-panel)" in body
    assert "![The app's home screen](library.jpg)" in body and "Home" not in body  # no navigation
    assert (project.entries_dir / "example-council-library-app" / "library.jpg").is_file()
    assert any("saved web page" in n.message and n.review for n in clean.notes)

    messy = by_origin["messy.html"]
    document = load(project.root / messy.path)
    assert document.metadata["title"] == "Community energy in Example Town"
    assert document.metadata["published"] == "2021-03-03"  # "Published: 3 March 2021"
    body = document.body
    assert "leisure centre’s roof, raising £120,000" in body and "“It just works,”" in body
    assert "café" in body and "panels… most days" in body
    for gone in ("cookies", "Buy cheap watches", "track", "Subscribe", "tracker.example", "Home | About"):
        assert gone not in body, gone
    assert "Share this" in body  # the javascript: link's words stay
    changed = " ".join(n.message for n in messy.notes)
    assert "event handlers" in changed and "hidden content" in changed and "tracking images" in changed

    mislabelled = by_origin["mislabelled.html"]
    meta = load(project.root / mislabelled.path).metadata
    assert meta["published"] == "2019-10-01" and "“parents”" in meta["summary"] and "café" in meta["summary"]
    assert any("read as Windows-1252" in n.message for n in mislabelled.notes)


def test_page_furniture_goes_but_text_stays(new_project, tmp_path):
    project = new_project()
    story = "Carers told us the care finder was hard to use on a phone, so we rebuilt it with them. " * 6
    page = tmp_path / "page.html"
    page.write_text(f"""<html><head><title>Example care finder | Example Platform</title></head><body>
<div class="cookie-banner">We use cookies</div>
<main><div class="social-care-story"><p>{story}</p></div>
<div class="share-buttons"><a href="https://x.example/share">Share on X</a></div>
<ul class="breadcrumbs"><li>Home</li><li>Stories</li></ul></main></body></html>""", encoding="utf-8")
    [outcome] = run_import(project, "html", page).outcomes
    document = load(project.root / outcome.path)
    assert document.metadata["title"] == "Example care finder"  # from <title>, without the site's name
    assert story.strip() in " ".join(document.body.split())
    for gone in ("cookies", "Share on X", "Stories"):
        assert gone not in document.body


# Never overwrite, dry runs, the command ---------------------------------------------------------


def test_an_existing_entry_is_never_overwritten(new_project):
    project = new_project()
    existing = project.entries_dir / "example-town-cafe-opening-hours-page.md"
    existing.write_bytes(b"---\ntitle: not an entry yet\n---\nkeep me\r\n")
    before = existing.read_bytes()
    report = run_import(project, "csv", IMPORT / "csv" / "utf8.csv")
    assert existing.read_bytes() == before
    outcome = report.outcomes[0]
    assert outcome.path == "casestudies/example-town-cafe-opening-hours-page-2.md"
    assert outcome.status == "draft"  # a possible duplicate needs a person
    assert ("casestudies/example-town-cafe-opening-hours-page.md exists; saved as "
            "casestudies/example-town-cafe-opening-hours-page-2.md") in outcome.notes[0].message
    # Importing again finds what the first import wrote: nothing new. --on-clash skip writes nothing for a
    # taken id that is not this source's.
    files = {path: path.read_bytes() for path in written(project)}
    again = run_import(project, "csv", IMPORT / "csv" / "utf8.csv")
    assert again.outcomes[0].path.endswith("-2.md") and again.count("unchanged") == 3
    assert {path: path.read_bytes() for path in written(project)} == files
    (project.entries_dir / "example-town-cafe-opening-hours-page-2.md").unlink()
    skipped = run_import(project, "csv", IMPORT / "csv" / "utf8.csv", on_clash="skip")
    assert skipped.count("skipped") == 1 and skipped.count("unchanged") == 2
    assert "exists; skipped" in skipped.outcomes[0].notes[0].message


def test_a_folder_or_a_reserved_id_is_never_chosen(new_project, tmp_path):
    project = new_project()
    (project.entries_dir / "bike-library").mkdir()  # an empty folder still holds the id
    source = IMPORT / "markdown" / "hugo" / "content" / "case-studies" / "bike-library" / "index.md"
    report = run_import(project, "markdown", source)
    assert report.outcomes[0].path == "casestudies/bike-library-2/index.md"
    sheet = tmp_path / "reserved.csv"
    sheet.write_text("Title,Summary\nAbout,One\nSearch,Two\nAbout,Three\n", encoding="utf-8")
    report = run_import(project, "csv", sheet)
    assert [o.id for o in report.outcomes] == ["about-2", "search-2", "about-3"]
    assert "'about' is a path the site itself uses" in report.outcomes[0].notes[0].message
    assert "an earlier item in this import took the id 'about-2'" in report.outcomes[2].notes[0].message


def test_a_dry_run_writes_nothing(new_project):
    project = new_project()
    report = run_import(project, "markdown", IMPORT / "markdown", dry_run=True)
    assert written(project) == []
    assert report.dry_run and report.count("draft") >= 4
    bikes = next(o for o in report.outcomes if "bike-library" in o.origin)
    assert bikes.path == "casestudies/bike-library/index.md"
    assert all(f.path == bikes.path for f in bikes.findings)
    result = cli_import(project, "csv", str(SAMPLE_CSV), "--mapping", str(SAMPLE_MAPPING), "--dry-run")
    assert result.exit_code == 0, result.output
    assert result.output.startswith("Would import 13 entries") and "nothing was written" in result.output
    assert written(project) == []


def test_the_command_and_its_exit_codes(new_project, tmp_path):
    project = new_project()
    ok = cli_import(project, "csv", str(IMPORT / "csv" / "missing-columns.csv"))
    assert ok.exit_code == 0, ok.output  # drafts are not a failure
    assert "Imported 2 entries" in ok.output and "2 need a person's attention" in ok.output
    assert "casestudies/example-borough-food-waste-collections.md" in ok.output
    as_json = cli_import(project, "html", str(IMPORT / "html" / "clean.html"), "--report", "json")
    data = json.loads(as_json.output)
    assert as_json.exit_code == 0 and data["drafts"] == 1 and data["entries"][0]["status"] == "draft"

    bad_mapping = tmp_path / "bad.yaml"
    bad_mapping.write_text("map:\n  titel: Project name\n")
    unknown_section = tmp_path / "unknown.yaml"
    unknown_section.write_text("columns:\n  title: Project name\n")
    for args in (["csv", "no/such/file.csv"], ["xlsx", str(SAMPLE_CSV)], ["csv", str(SAMPLE_CSV), "--map", "title"],
                 ["csv", str(SAMPLE_CSV), "--map", "titel=Case study title"],
                 ["csv", str(SAMPLE_CSV), "--map", "title=No such column"],
                 ["csv", str(SAMPLE_CSV), "--mapping", str(bad_mapping)],
                 ["csv", str(SAMPLE_CSV), "--mapping", str(unknown_section)],
                 ["csv", str(SAMPLE_CSV), "--mapping", str(tmp_path / "missing.yaml")],
                 ["csv", str(SAMPLE_CSV), "--default", "region=Atlantis"],
                 ["csv", str(IMPORT / "html" / "clean.html")], ["markdown", str(IMPORT / "csv")],
                 ["csv", str(SAMPLE_CSV), "--output-dir", str(tmp_path / "nowhere")]):
        before = written(project)
        result = cli_import(project, *args)
        assert result.exit_code == 2, (args, result.output)
        assert "Traceback" not in result.output and result.output.strip()
        assert written(project) == before
    assert "did you mean 'title'?" in cli_import(project, "csv", str(SAMPLE_CSV), "--map", "titel=x").output


def test_the_report_format_is_format_as_elsewhere_and_report_still_works(new_project):
    project = new_project()
    source = str(IMPORT / "html" / "clean.html")
    as_format = cli_import(project, "html", source, "--dry-run", "--format", "json")
    as_report = cli_import(project, "html", source, "--dry-run", "--report", "json")
    assert as_format.exit_code == as_report.exit_code == 0
    assert json.loads(as_format.output) == json.loads(as_report.output)
    assert "--report" not in CliRunner().invoke(cli, ["import", "--help"]).output  # hidden: --format is its name
    both = cli_import(project, "html", source, "--dry-run", "--format", "text", "--report", "json")
    assert both.exit_code == 2 and "--report is its old name" in both.output


def test_output_dir_and_defaults(new_project, tmp_path):
    project = new_project()
    out = tmp_path / "imported"
    out.mkdir()
    result = cli_import(project, "markdown", str(IMPORT / "markdown" / "jekyll" / "_posts"), "--output-dir", str(out),
                        "--default", "organisation=Example Housing Association", "--default", "region=North East",
                        "--default", "stage=live", "--default", "contact_url=https://www.example.org/contact",
                        "--source-name", "Example housing blog")
    assert result.exit_code == 0, result.output
    assert written(project) == []
    # The image is in the site's assets/, outside the folder that was imported: left out, with a note.
    assert "the image '/assets/images/repairs-chart.png' was not imported" in result.output
    meta = load(out / "repairs-redesign.md").metadata  # its id from the post's name, as its address was
    assert meta["organisations"] == [{"name": "Example Housing Association", "role": "lead"}]
    assert meta["geography"] == {"nation": "england", "region": "north-east"}
    assert meta["source"]["name"] == "Example housing blog"
    assert meta["source"]["path"] == "2021-03-03-repairs-redesign.md"


# Values ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("text, expected", [
    ("03/03/2021", date(2021, 3, 3)), ("3/3/21", date(2021, 3, 3)), ("25.12.2020", date(2020, 12, 25)),
    ("3 March 2021", date(2021, 3, 3)), ("3rd March 2021", date(2021, 3, 3)),
    ("Wednesday 3 Mar 2021", date(2021, 3, 3)),
    ("March 3, 2021", date(2021, 3, 3)), ("2021-03-03T10:00:00Z", date(2021, 3, 3)), ("44258", date(2021, 3, 3)),
    ("Wed, 03 Mar 2021 10:00:00 +0000", date(2021, 3, 3)), ("March 2021", date(2021, 3, 1)),
    ("12/25/2020", date(2020, 12, 25)), ("31/02/2021", None), ("soon", None),
])
def test_uk_dates(text, expected):
    assert parse_date(text)[0] == expected


def test_budget_bands(project):
    resolver = Resolver(project)
    cases = {"£8,500": "under-10k", "£10k-£50k": "10k-50k", "25k": "10k-50k", "£1.2m": "over-1m",
             "£250,000 to £1 million": "250k-1m", "£5,000 - £60,000": None, "Not known": "unknown",
             "none": "none", "lots": None}
    assert {text: budget_band(text, resolver) for text in cases} == cases


def test_the_corpus_generator_and_a_larger_import(new_project, tmp_path):
    corpus = tmp_path / "corpus"
    script = ROOT / "scripts" / "make_import_corpus.py"
    subprocess.run([sys.executable, str(script), "40", str(corpus)], check=True, capture_output=True)
    first = sorted(p.relative_to(corpus).as_posix() for p in corpus.rglob("*") if p.is_file())
    again = tmp_path / "again"
    subprocess.run([sys.executable, str(script), "40", str(again)], check=True, capture_output=True)
    assert sorted(p.relative_to(again).as_posix() for p in again.rglob("*") if p.is_file()) == first
    assert all((corpus / p).read_bytes() == (again / p).read_bytes() for p in first)  # deterministic
    assert sum(p.endswith(".md") for p in first) == 40
    project = new_project()
    report = run_import(project, "markdown", corpus)
    assert len(report.outcomes) == 40
    assert_safe_and_accounted_for(project, report)
    assert report.count("published") > 0 and report.count("draft") > 0
