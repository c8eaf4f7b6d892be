"""The seams the importers and the issue-form converter are built from, each step on its own:
the shared id and contact rules, the importers' `EntryBuilder` field groups and file listing,
and the issue form's build steps."""

from __future__ import annotations

from datetime import date

import pytest

from casehub.contribute.issueform import base_id
from casehub.contribute.issueform import build as issue_build
from casehub.contribute.issueform.neutralise import Answers
from casehub.core.entryfile import id_from_text
from casehub.core.safetext import contact_address
from casehub.exchange.importers import ImportOptions, ImportUsageError
from casehub.exchange.importers.build import EntryBuilder, build_entry
from casehub.exchange.importers.html import HtmlImporter
from casehub.exchange.importers.markdown import MarkdownImporter
from casehub.exchange.importers.model import Candidate, Mapping, Skip
from casehub.exchange.importers.vocab import Resolver, tag_for
from casehub.exchange.importers.writer import base_id as import_base_id


@pytest.fixture(scope="module")
def resolver(project):
    return Resolver(project)


def builder(resolver, project, values, **candidate) -> EntryBuilder:
    return EntryBuilder(resolver, Candidate("row 2", values=values, **candidate), ImportOptions(today=date(2026, 1, 5)),
                        "csv", "cases.csv", project.root)


# Shared rules ---------------------------------------------------------------------------------


@pytest.mark.parametrize(("text", "length", "expected"), [
    ("Repair café: tenants' line", 60, "repair-cafe-tenants-line"),
    ("word " * 30, 60, "-".join(["word"] * 12)),  # cut at a hyphen, never mid-word
    ("a" * 70, 60, "a" * 60),  # no hyphen to cut at
    ("!!!", 60, ""),
    ("Digital and technology services", 12, "digital-and"),
])
def test_id_from_text_cuts_at_a_hyphen_within_the_limit(text, length, expected):
    assert id_from_text(text, length) == expected


def test_both_routes_fall_back_when_a_title_makes_no_id():
    assert base_id("???", 41) == "submission-41" and base_id("", None) == "submission"
    assert import_base_id("???", "2021-03-03-repairs") == "2021-03-03-repairs"
    assert import_base_id("", "") == "imported-entry"
    assert tag_for("A very long keyword that goes on well past forty characters") == \
        "a-very-long-keyword-that-goes-on-well"


@pytest.mark.parametrize(("given", "expected"), [
    ("<mailto:Team@Leeds.gov.uk>", ("Team@Leeds.gov.uk", "email")),
    (" https://www.leeds.gov.uk/contact ", ("https://www.leeds.gov.uk/contact", "url")),
    ("leeds.gov.uk/contact", ("leeds.gov.uk/contact", "domain")),
    ("javascript:alert(1)", ("javascript:alert(1)", "")),
    ("call reception", ("call reception", "")),
])
def test_contact_address_says_what_a_contact_is(given, expected):
    assert contact_address(given) == expected


# The importers' EntryBuilder, a field group at a time ---------------------------------------------


def test_identity_defaults_the_type_to_a_story_and_notes_html(resolver, project):
    step = builder(resolver, project, {"title": "<b>Warm</b> spaces", "summary": "Libraries open late."})
    assert step.identity() == ("Warm spaces", "Libraries open late.", "story")
    assert [n.message for n in step.notes] == [
        "HTML tags were removed from the title (words kept)",
        "no type was given, so the entry is a story; change it if it is a case study, a how-to or what didn't work"]


def test_geography_takes_the_nation_from_a_region_and_a_region_from_a_nation(resolver, project):
    assert builder(resolver, project, {"region": "Yorkshire & the Humber"}).geography() == [
        ("nation", "england"), ("region", "yorkshire-and-the-humber")]
    assert builder(resolver, project, {"nation": "Cymru"}).geography() == [("nation", "wales"), ("region", "wales")]
    step = builder(resolver, project, {"nation": "Atlantis"})
    assert step.geography() == [("nation", "Atlantis")]
    assert step.notes[0].review


def test_organisations_keep_a_valid_gss_code_and_drop_the_lead_from_partners(resolver, project):
    step = builder(resolver, project, {"organisation": "Leeds City Council", "gss": "e08000035",
                                       "partners": "Leeds City Council; Age UK Leeds"})
    assert step.organisations() == [[("name", "Leeds City Council"), ("role", "lead"), ("gss", "E08000035")],
                                    [("name", "Age UK Leeds"), ("role", "partner")]]
    assert builder(resolver, project, {"organisation": "X", "gss": "123"}).organisations() == [
        [("name", "X"), ("role", "lead")]]


def test_topics_beyond_the_vocabulary_become_tags_when_the_importer_asks(resolver, project):
    values = {"topics": "Digital & technology; Knitting", "tags": "Winter, winter"}
    topics, tags = builder(resolver, project, values, topics_to_tags=True).topics_and_tags()
    assert topics == ["digital-and-technology"] and tags == ["knitting", "winter"]
    strict = builder(resolver, project, values)
    assert strict.topics_and_tags()[0] == ["digital-and-technology", "Knitting"]
    assert "the topic 'Knitting' is not in data/topics.yaml" in strict.notes[0].message


def test_money_reads_a_band_from_an_amount(resolver, project):
    assert builder(resolver, project, {"budget_band": "£25,000", "funding_sources": "Council; Lottery"}).money() == (
        "10k-50k", ["Council", "Lottery"])
    step = builder(resolver, project, {"budget_band": "some"})
    assert step.money() == ("", []) and "could not be matched" in step.notes[0].message


def test_contact_takes_the_first_address_of_each_kind(resolver, project):
    step = builder(resolver, project, {"contact": "leeds.gov.uk/warm", "contact_email": "warm@leeds.gov.uk",
                                       "contact_url": "https://example.org", "contact_team": "Warm spaces team"})
    assert step.contact() == [("team", "Warm spaces team"), ("email", "warm@leeds.gov.uk"),
                              ("url", "https://leeds.gov.uk/warm")]
    assert [n.message for n in step.notes] == ["https:// was added to the contact web page"]


def test_source_prefers_the_options_name_and_keeps_only_web_addresses(resolver, project):
    step = EntryBuilder(resolver, Candidate("row 2", values={"url": "ftp://x"}, source_path="cases.csv"),
                        ImportOptions(mapping=Mapping(name="Old site"), today=date(2026, 1, 5)), "csv", "cases.csv",
                        project.root)
    assert step.source() == [("name", "Old site"), ("path", "cases.csv"), ("format", "csv"),
                             ("imported", date(2026, 1, 5))]
    assert "not a web address" in step.notes[0].message


def test_build_entry_puts_the_steps_together_in_the_schemas_order(resolver, project):
    built = build_entry(resolver, Candidate("row 2", values={
        "title": "Warm spaces", "type": "Case study", "topics": "adult social care", "published": "3/3/2021",
        "body": "We opened <em>warm</em> spaces in every library across the city this winter, with volunteers."}),
        ImportOptions(today=date(2026, 1, 5)), "csv", "cases.csv", project.root)
    assert [key for key, _ in built.metadata] == ["title", "summary", "type", "status", "topics", "published",
                                                  "source"]
    assert dict(built.metadata)["published"] == date(2021, 3, 3)
    assert built.body == "We opened *warm* spaces in every library across the city this winter, with volunteers."


# The file importers' listing ---------------------------------------------------------------------


def test_file_importers_list_their_files_and_skip_what_is_not_theirs(project, tmp_path):
    for name in ["a.md", "README.md", ".hidden/b.md", "node_modules/c.md", "d.html", "page_files/e.html",
                 "sub/f.markdown"]:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("x", encoding="utf-8")
    markdown = MarkdownImporter(project, tmp_path, ImportOptions())
    # A read-me is listed, to be skipped by name in the report (a template-skipped note), not silently.
    assert [p.relative_to(tmp_path).as_posix() for p in markdown.items()] == ["README.md", "a.md", "sub/f.markdown"]
    with pytest.raises(Skip, match="a read-me file, not a page"):
        markdown.convert(tmp_path / "README.md")
    html = HtmlImporter(project, tmp_path, ImportOptions())
    assert [p.relative_to(tmp_path).as_posix() for p in html.items()] == ["d.html"]
    with pytest.raises(ImportUsageError, match="is not a web page"):
        HtmlImporter(project, tmp_path / "a.md", ImportOptions()).items()


# The issue form's build steps ------------------------------------------------------------------


def test_issue_contact_step_notes_what_it_changed():
    answers = Answers({"Contact team": "Warm spaces team", "Contact email or web page": "leeds.gov.uk/warm"})
    assert issue_build.contact(answers) == {"team": "Warm spaces team", "url": "https://leeds.gov.uk/warm"}
    assert [n.rule for n in answers.notes] == ["issue-contact-https"]
    unsafe = Answers({"Contact email or web page": "javascript:alert(1)"})
    assert issue_build.contact(unsafe) == {} and unsafe.notes[0].rule == "issue-unsafe-link-removed"


def test_issue_geography_takes_the_nation_from_the_region(project):
    answers = Answers({"Region": "yorkshire-and-the-humber", "Council or organisation type": "metropolitan-district"})
    assert issue_build.geography(project, answers) == {
        "nation": "england", "region": "yorkshire-and-the-humber", "council_type": "metropolitan-district"}


def test_issue_answers_count_invisible_characters_and_cut_long_lines():
    answers = Answers({"Title": "Warm\u202e spaces", "Summary": "x" * 1_200})
    assert answers.line("Title", "/title") == "Warm spaces"
    assert len(answers.line("Summary", "/summary")) == 1_000
    answers.invisible_characters_note()
    assert [n.rule for n in answers.notes] == ["issue-value-too-long", "issue-invisible-characters"]
    assert "1 invisible control or text-direction character was removed" in answers.notes[-1].message


def test_issue_consent_and_an_empty_body_are_noted(project):
    answers = Answers({"Before you submit": "- [ ] I confirm"})
    issue_build.consent(answers)
    assert issue_build.body(project, answers) == ""
    assert [(n.rule, n.severity) for n in answers.notes] == [("issue-consent", "error"), ("issue-no-text", "warning")]
    ticked = Answers({"Before you submit": "- [X] I confirm", "What happened": "# Big\n\nWe opened."})
    issue_build.consent(ticked)
    assert issue_build.body(project, ticked) == "## What happened\n\n### Big\n\nWe opened.\n"
    assert [n.rule for n in ticked.notes] == ["issue-heading-demoted"]


def test_issue_build_entry_keeps_only_the_fields_answered(project):
    entry = issue_build.build_entry(project, {"Title": "Warm spaces", "Type of entry": "story",
                                              "Before you submit": "- [X] I confirm"}, date(2026, 1, 5))
    assert entry.metadata == {"title": "Warm spaces", "type": "story", "status": "draft",
                              "organisations": [{"role": "lead"}], "published": date(2026, 1, 5)}
    assert [n.rule for n in entry.notes] == ["issue-no-text"]
