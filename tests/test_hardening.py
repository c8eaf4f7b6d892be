"""Issue 15, the validation half: each way in that a red-team pass found is closed, and stays
closed. (Each also has an invalid fixture with its exact message: tests/test_fixtures.py.
The patterns' timing is tests/test_redos.py; the schema's one verdict, tests/test_schema.py.)"""

from __future__ import annotations

import json
import time
from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from markupsafe import Markup

from casehub.contribute.issueform import convert_issue, pr_body
from casehub.core.entry import Entry, canonical_names
from casehub.core.findings import Finding
from casehub.core.loader import Document, LoadError, load_data_document, parse
from casehub.core.report import as_github, as_summary, as_text
from casehub.core.rules import check_document, check_field_markup, check_raw_html, check_render_cost
from casehub.core.safetext import strip_html
from casehub.core.validate import validate
from casehub.exchange.federation import Hub, entry_problems
from casehub.site.build import build
from casehub.site.library import Library
from casehub.site.render import Renderer

from .support import MINIMAL

TITLE = "title: An example story from a council"
HEAD = MINIMAL.rsplit("---\n", 1)[0] + "---\n"


def document(body: str = "The body.", text: str = MINIMAL) -> Document:
    return parse((text.rsplit("---\n", 1)[0] + "---\n" + body).encode(), "entry.md")


# --- 1. Escapes no longer bypass the character rule ------------------------------------------------

@pytest.mark.parametrize("line, field, code", [
    (r'title: "Invoice \u202Egnp.exe\u202C paid by the council"', "title", 0x202E),
    (r'title: "A title with a NUL \0 in it"', "title", 0x0000),
    (r'title: "Coloured \e[31m text, as a terminal reads it"', "title", 0x001B),
    (r'title: "Coloured \x1b[31m text, as a terminal reads it"', "title", 0x001B),
    (r'title: "A non-character \uFFFE that XML cannot carry"', "title", 0xFFFE),
    (r'title: "A next-line \N control character"', "title", 0x0085),
    (r'title: "A left-to-right isolate \u2066 here"', "title", 0x2066),
])
def test_a_value_written_as_an_escape_is_checked_as_parsed(line, field, code):
    text = MINIMAL.replace(TITLE, line)
    for positions in (False, True):
        with pytest.raises(LoadError) as caught:
            parse(text.encode(), "entry.md", positions=positions)
        finding = caught.value.finding
        assert (finding.line, finding.column, finding.rule, finding.field) == (2, 8, "control-character", field)
        assert f"(U+{code:04X}), written as an escape" in finding.message


def test_escapes_are_checked_in_nested_values_and_field_names():
    nested = MINIMAL.replace("  - name: Example Borough Council", '  - name: "Example \\u202eBorough Council"')
    with pytest.raises(LoadError) as caught:
        parse(nested.encode(), "entry.md", positions=False)
    assert caught.value.finding.field == "organisations[0].name"
    assert (caught.value.finding.line, caught.value.finding.column) == (7, 11)
    key = MINIMAL.replace("stage: live", 'stage: live\n"fund\\x1bing": x')
    with pytest.raises(LoadError) as caught:
        parse(key.encode(), "entry.md")
    assert "field name contains an invisible control character (U+001B)" in caught.value.finding.message
    assert caught.value.finding.line == 14


def test_an_ordinary_escape_still_reads():
    text = MINIMAL.replace(TITLE, r'title: "A caf\u00e9 that says \"hello\"\tto all"')
    assert parse(text.encode(), "entry.md").metadata["title"] == 'A café that says "hello"\tto all'


def test_data_files_check_escaped_values_too(tmp_path):
    path = tmp_path / "topics.yaml"
    path.write_text('- id: housing\n  label: "Hous\\u202eing"\n', encoding="utf-8")
    with pytest.raises(LoadError) as caught:
        load_data_document(path, "data/topics.yaml")
    assert caught.value.finding.field == "[0].label" and caught.value.finding.line == 2


def test_character_references_in_prose_are_checked_in_code_shown(project):
    found = check_document(document("Paid &#x202E;exe.gnp, &rlm;and &#8238; here, &#133; too."), project)
    # (&#133; is "…": browsers read references to C1 controls as Windows-1252, as html.unescape does)
    assert [f.column for f in found if f.rule == "control-character"] == [6, 23, 32]
    assert not [f for f in check_document(document("`&#x202E;` &amp; &#x41; &eacute; &#128;\n\n    &#8238;\n"),
                                          project) if f.rule == "control-character"]


# --- 4. Rendering stays linear ----------------------------------------------------------------------

def _largest_passing(piece: str, most: int = 40_000) -> int:
    low, high = 1, most
    while low < high:
        middle = (low + high + 1) // 2
        if check_render_cost(document(piece * middle)):
            high = middle - 1
        else:
            low = middle
    return low


@pytest.mark.parametrize("piece", ["[a", "[", "![a", "[[", "[a](x ", "<a ", "a<b ", "<a \n\n"])
def test_what_the_render_limit_passes_renders_in_well_under_a_second(piece):
    assert check_render_cost(document(piece * 4_000)), "the issue's 8 KB of brackets is refused"
    passing = piece * _largest_passing(piece)
    render = Renderer()
    start = time.process_time()
    render(passing)
    assert time.process_time() - start < 0.6


@pytest.mark.parametrize("body", [
    "Read [the report](https://example.org/report) and [the data](https://example.org/data). " * 3_000,
    ("A long paragraph [sic] with brackets [1] and a few never closed [like this " * 40 + "\n\n") * 50,
    "| a | [b] |\n| --- | --- |\n" + "| [x](https://e.org) | (y) |\n" * 2_000,
    "```\nfor (i = 0; i<n; i++) { a[i] = b[i; }\n```\n" * 500,
    "Costs fell by <5% where a<b, and x > y.\n\n" * 2_000,
    "- [ ] a task\n- [x] done\n" * 3_000,
])
def test_ordinary_bodies_pass_the_render_limit(body):
    assert check_render_cost(document(body)) == []


# --- 7. A tag split across lines is raw HTML ----------------------------------------------------------

@pytest.mark.parametrize("body, flagged", [
    ('Read.\n\n<img src="https://evil.example/x.gif" width="1"\nonerror="alert(1)">\n\nNext.', True),
    ('See <a href="https://evil.example"\ntitle="x">the report\n\nNext paragraph.', True),
    ("<img\nsrc=x>", True),
    ("Text <b and\nmore\nthen > here", True),
    ("if a <b and c\nmore text\n", False),       # no > follows: Markdown shows it as text
    ("a <b c\n\nd > e", False),                  # a blank line ends the paragraph
    ("a <b c\n> a quotation", False),            # so does a block quote
    ("a <b c\nd <e> f", True),                   # the next line's own tag
    ("`<img src=x`\nonerror=y>", False),         # code
])
def test_a_tag_split_across_lines_is_found(body, flagged):
    assert bool(check_raw_html(document(body))) == flagged


def test_the_cleaner_leaves_nothing_the_rule_finds():
    """What the issue and import routes write from hostile text passes the raw-HTML rule."""
    for hostile in ('<img src="https://evil.example/x.gif"\nonerror="alert(1)">',
                    '<a href="https://evil.example"\ntitle="x">swallow', "if a <b and\nc > d", "x<y\nz>"):
        assert check_raw_html(document(strip_html(hostile))) == [], hostile


# --- Markup in the front matter: one rule on both sides of the feed -------------------------------

@pytest.mark.parametrize("title", [
    "Council <b>saves</b> money on repairs", "Repairs <img src=x onerror=alert(1)> online",
    "A tag cut off at the end <img", "<!-- a comment --> in a title", "Costs fell by <5% in a year",
    "Where a < b and c > d", "Plain title with no markup at all", "An <https://example.org> address",
])
def test_our_validator_and_a_partner_hub_agree_on_markup(project, title):
    text = MINIMAL.replace(TITLE, f"title: {json.dumps(title)}")
    ours = check_field_markup(parse(text.encode(), "entry.md"))
    meta = parse(text.encode(), "entry.md").metadata
    item = {**meta, "id": "an-entry", "url": "https://hub.example/an-entry/"}
    theirs = [p for p in entry_problems(item, Hub("hub", "Hub", "https://hub.example/"), project, "entry 1")
              if "HTML markup" in p]
    assert bool(ours) == bool(theirs), (ours, theirs)


# --- 6. Organisation pages cannot be taken over -------------------------------------------------

def _entry(project, entry_id: str, name: str, published: str) -> Entry:
    text = MINIMAL.replace("Example Borough Council", name).replace("2024-03-01", published)
    return Entry.from_document(parse(text.encode(), f"{entry_id}.md"), project, lambda body: Markup(""))


def test_names_that_slug_alike_share_one_page_under_the_first_spelling(project):
    real = _entry(project, "real", "Stockport Metropolitan Borough Council", "2023-01-01")
    taker = _entry(project, "taker", "Stockport Metropolitan Borough Council.", "2024-06-01")
    other = _entry(project, "other", "Leeds City Council", "2024-01-01")
    facet = next(f for f in Library([taker, real, other], project).facets if f.key == "organisations")
    urls = [term.url for term, _ in facet.groups]
    assert len(urls) == len(set(urls)) == 2
    term, entries = next((t, e) for t, e in facet.groups if t.id == "stockport-metropolitan-borough-council")
    assert term.label == "Stockport Metropolitan Borough Council"
    assert {e.id for e in entries} == {"real", "taker"}


def test_the_canonical_spelling():
    uses = [("Leeds City Council.", (False, "2024-05-01", "b")), ("Leeds City Council", (False, "2023-01-01", "a")),
            ("Leeds city council", (False, "2022-01-01", "c")), ("Leeds City Council", (False, "2024-09-01", "d")),
            ("LEEDS CITY COUNCIL", (True, "2020-01-01", "partner"))]
    assert canonical_names(uses) == {"leeds-city-council": "Leeds City Council"}  # most of ours
    assert canonical_names(uses[:3])["leeds-city-council"] == "Leeds city council"  # a tie: the earliest
    assert canonical_names(uses[-1:])["leeds-city-council"] == "LEEDS CITY COUNCIL"


def test_the_validator_warns_on_another_spelling_and_the_build_keeps_every_entry(new_project, tmp_path):
    real = MINIMAL.replace("Example Borough Council", "Stockport Metropolitan Borough Council")
    taker = real.replace("Stockport Metropolitan Borough Council", "Stockport Metropolitan Borough Council.") \
        .replace("2024-03-01", "2024-09-01").replace(TITLE, "title: A later story that names it differently")
    project = new_project({"real-story.md": real, "later-story.md": taker})
    report = validate(project)
    assert report.ok
    [warning] = report.findings
    assert (warning.path, warning.line, warning.column, warning.rule, warning.severity) == (
        "casestudies/later-story.md", 7, 11, "organisation-name", "warning")
    assert "write it as 'Stockport Metropolitan Borough Council'" in warning.hint
    site = build(project.root, "pelicanconf.py", tmp_path / "site", search=False)
    page = (site / "organisations" / "stockport-metropolitan-borough-council" / "index.html").read_text()
    assert "later-story/" in page and "real-story/" in page
    index = (site / "organisations" / "index.html").read_text()
    assert index.count('organisations/stockport-metropolitan-borough-council/"') == 1


# --- 12. File names and @mentions -----------------------------------------------------------------

def test_a_file_name_cannot_drive_the_terminal_or_split_an_annotation():
    finding = Finding("casestudies/x\x1b[2J\u202e.md", 1, 1, "id-format", "the id is not valid", "rename it",
                      "/ti\x1btle")
    for output in (as_text([finding], 1), as_github([finding], 1), as_summary([finding], 1)):
        assert "\x1b" not in output and "\u202e" not in output
        assert "\\x1b[2J" in output and "\\u202e" in output


def test_a_mention_in_an_issue_notifies_nobody(project):
    body = pr_body(project, "casestudies/x.md", "Thanks @alice and @org/team", [
        Finding("casestudies/x.md", 2, 8, "schema-enum", "'@bob' is not an allowed value", "ask @carol")],
        7, False, [])
    assert "@alice" not in body and "@org" not in body and "@bob" not in body and "@carol" not in body
    assert "@&#8203;alice" in body


def test_from_issue_keeps_mentions_out_of_the_pull_request(new_project):
    text = ("### Type of entry\n\nstory\n\n### Title\n\nWith thanks to @alice for the work\n\n"
            "### What happened\n\nAsk @bob.\n")
    conversion = convert_issue(new_project(), text, number=3, today=date(2026, 1, 1))
    assert "@alice" not in conversion.pr_body and "@&#8203;alice" in conversion.pr_body


# --- Property tests: no input makes the loader crash -------------------------------------------

_YAMLISH = st.sampled_from(["---\n", "title: ", "\"", "'", "\\", "\\u202e", "\\x1b", "\\0", "- ", "  ", "\n", ":",
                            "[", "]", "{", "}", "&a ", "*a", "!!str ", "<<: ", "? ", "|\n", ">-\n", "#", "1.10",
                            "0755", "é", "\u202e", "\x00", "\r", "\ufeff", "\ud800", "\U0001f600", "\t", "..."])


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(st.binary(max_size=400),
                 st.lists(_YAMLISH, max_size=40).map(lambda parts: ("---\n" + "".join(parts) + "\n---\nBody.\n")
                                                    .encode("utf-8", "surrogatepass"))))
def test_the_loader_gives_a_document_or_a_located_load_error_for_any_bytes(data):
    results = []
    for positions in (False, True):
        try:
            loaded = parse(data, "entry.md", positions=positions)
            results.append(("ok", loaded.metadata, loaded.body))
        except LoadError as error:
            finding = error.finding
            assert finding.path == "entry.md" and finding.line >= 1 and finding.column >= 1
            assert finding.message and finding.hint
            results.append(("error", finding.rule))
    assert results[0] == results[1], "with and without positions, the same data or the same error"
