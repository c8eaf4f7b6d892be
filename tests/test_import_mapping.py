"""`casehub import` mappings, ids and personal data on the way in.

Two fixture archives in the shapes real ones have: a messy spreadsheet
catalogue (tests/fixtures/import/catalogue: an id column that is sometimes a
slug and sometimes a number, labels with commas, "Enfield" as the place, a
status column to filter on, a personal and a webmail contact, phone, NI and NHS
numbers in the text; its mapping crosswalks labels to vocabulary ids) and a Hugo
archive (tests/fixtures/import/hugo-archive: an archetype, list pages, a
_template.md and a README that are not pages, a slug, expired pages, sections
in front matter and under the source's own headings). Each test asserts what
happens to every item; re-importing is tests/test_import_again.py's."""

from __future__ import annotations

import json
import re
from collections import Counter

import pytest

from casehub.core.loader import load
from casehub.core.personal import check_personal_data, personal_data_spans
from casehub.core.safetext import team_mailbox
from casehub.core.validate import validate
from casehub.exchange.importers import build_mapping
from casehub.exchange.importers.model import ImportUsageError
from casehub.exchange.importers.redact import remove_from_markdown, remove_personal_data
from casehub.exchange.importers.vocab import split_labels

from .support import BASE
from .support.imports import IMPORT, cli_import
from .support.imports_mapping import CATALOGUE, HUGO, HUGO_MAPPING, codes, run

# What was in the sources and must be in no file written: a person's address, phone, NI and NHS numbers.
PERSONAL = ("jane.smith", "volunteerdrivers@gmail.com", "sam.patel", "07700 900123", "020 8379 1000",
            "AB 12 34 56 C", "943 476 5919")


def written_text(project) -> str:
    return "\n".join(path.read_text(encoding="utf-8") for path in sorted(project.entries_dir.rglob("*.md")))


# The messy spreadsheet --------------------------------------------------------------------------


def test_the_messy_catalogue_comes_in_as_its_mapping_says(new_project):
    project = new_project()
    report = run(project, "csv", CATALOGUE / "projects.csv", CATALOGUE / "mapping.yaml")
    rows = {o.origin.rsplit(" ", 1)[1]: o for o in report.outcomes}
    assert sorted(rows) == ["2", "3", "4", "5", "6", "7"]

    # The status column filters: only what the catalogue shows as published (any case, spaces around).
    for row, status in (("4", "Draft"), ("5", "Withdrawn")):
        assert rows[row].status == "skipped" and not rows[row].path and codes(rows[row]) == {"filtered-out"}
        assert f"Status is '{status}', not 'Published' or 'Live'" in rows[row].notes[0].message
    assert rows["3"].status != "skipped"  # " published "

    # Ids from the id column when it is a name; from the title when it is a number (kept as source.item).
    assert {row: rows[row].id for row in ("2", "3", "6", "7")} == {
        "2": "repairs-tracker", "3": "cs-002", "6": "volunteer-drivers", "7": "data-sharing-across-greater-manchester"}
    entries = {row: load(project.root / rows[row].path).metadata for row in ("2", "3", "6", "7")}
    assert [entries[row]["source"]["item"] for row in ("2", "3", "6", "7")] == [
        "repairs-tracker", "CS-002", "volunteer-drivers", "123"]

    # Labels with commas kept whole; the crosswalk's labels and several ids for one label.
    assert entries["2"]["topics"] == ["housing-and-homelessness", "digital-and-technology"]
    assert entries["3"]["topics"] == ["health-and-wellbeing", "communities-and-engagement"]
    assert entries["7"]["topics"] == ["digital-and-technology", "knowledge-and-collaboration"]
    # Nothing matched: the default, with the originals kept as tags (one the crosswalk says is not a topic).
    assert entries["6"]["topics"] == ["communities-and-engagement"]
    assert entries["6"]["tags"] == ["uncategorised", "covid-recovery"]
    assert "default-applied" in codes(rows["6"])

    # Places from the council register: "Enfield" is in London, a London borough.
    assert entries["2"]["geography"] == {"nation": "england", "region": "london", "council_type": "london-borough"}
    assert entries["2"]["organisations"] == [{"name": "Enfield", "role": "lead", "gss": "E09000010"}]
    assert {"place-from-council", "gss-from-council"} <= codes(rows["2"])
    assert entries["3"]["geography"] == {"nation": "england", "region": "north-west",  # "N. West", crosswalked
                                         "council_type": "metropolitan-borough"}
    assert entries["7"]["geography"]["council_type"] == "combined-authority"
    # A region that disagrees with the register is kept, for a person to check.
    assert entries["6"]["geography"]["region"] == "west-midlands"
    disagrees = next(n for n in rows["6"].notes if n.code == "place-disagrees")
    assert disagrees.review and "the register has london" in disagrees.message

    # Personal data never reaches the repository; team mailboxes stay.
    text = written_text(project)
    assert not [value for value in PERSONAL if value in text]
    assert not list(personal_data_spans(text))
    assert "digital@enfield.gov.uk" in text and "gm.data@greatermanchester-ca.gov.uk" in text
    assert entries["2"]["contact"] == {"team": "Repairs team", "email": "repairs.team@enfield.gov.uk"}
    assert "email" not in entries["3"].get("contact", {}) and "email" not in entries["6"].get("contact", {})
    for row, removed in (("2", "1 phone number"), ("3", "2 personal e-mail addresses"),
                         ("6", "1 National Insurance number")):
        note = next(n for n in rows[row].notes if n.code == "personal-data-removed")
        assert note.review and removed in note.message and rows[row].status == "draft"
        assert not [value for value in PERSONAL if value in note.message]  # says what kind, never what
    assert "[phone number removed]" in load(project.root / rows["2"].path).body

    # Every change has a code; drafts are work to do, not failures.
    assert all(note.code for outcome in report.outcomes for note in outcome.notes)
    assert validate(project).ok


def test_the_report_gives_totals_first_then_each_item(new_project):
    project = new_project()
    result = cli_import(project, "csv", str(CATALOGUE / "projects.csv"), "--mapping", str(CATALOGUE / "mapping.yaml"))
    assert result.exit_code == 0, result.output
    text = result.output
    head, _, rest = text.partition("need a person's attention")
    assert head.startswith("Imported 4 entries") and "2 left out by the filter" in head
    assert "personal data removed" in head and "(personal-data-removed)" in head  # totals by code first
    assert "casestudies/cs-002.md — draft, from projects.csv, row 3" in rest  # then each item
    assert "Left out by the filter (2):" in rest and "projects.csv, row 5: left out by the filter" in rest
    data = json.loads(cli_import(project, "csv", str(CATALOGUE / "projects.csv"), "--mapping",
                                 str(CATALOGUE / "mapping.yaml"), "--format", "json").output)
    assert data["unchanged"] == 4 and data["skipped"] == 2 and data["imported"] == 0


def test_filters_and_defaults_on_the_command_line(new_project, tmp_path):
    project = new_project()
    sheet = tmp_path / "sheet.csv"
    sheet.write_text("Title,Summary,Topics,State\n"
                     "Warm spaces,Libraries opened as warm spaces over the winter for all residents.,Warmth,Live\n"
                     "Repairs,Tenants follow their repairs online from start to finish now.,Housing,Live\n"
                     "Bins,A pilot of text reminders the night before each collection day.,,Stopped\n",
                     encoding="utf-8")
    result = cli_import(project, "csv", str(sheet), "--where", "state=live", "--skip", "Title=Rep*",
                        "--default", "topics=communities-and-engagement", "--default", "type=story",
                        "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert [e["status"] for e in data["entries"]] == ["draft", "skipped", "skipped"]
    assert [e["notes"][0]["message"] for e in data["entries"][1:]] == [
        "left out by the filter: Title is 'Repairs'", "left out by the filter: state is 'Stopped', not 'live'"]
    warm = load(project.root / data["entries"][0]["path"]).metadata
    assert warm["topics"] == ["communities-and-engagement"] and warm["tags"] == ["warmth"]  # the default, and
    # the original kept: --default applies when no topic matches, not only when there is none.

    for args, message in (
            (["csv", str(sheet), "--where", "Colour=red"], "the filter names the column 'Colour'"),
            (["csv", str(sheet), "--where", "State"], "--where 'State': write COLUMN=VALUE"),
            (["html", str(IMPORT / "html"), "--where", "a=b"], "a html import cannot apply them")):
        refused = cli_import(project, *args)
        assert refused.exit_code == 2 and message in refused.output, refused.output


def test_a_crosswalk_is_checked_before_anything_is_written(new_project, tmp_path):
    project = new_project()
    for text, message in (
            ("values:\n  topics:\n    Housing: housing\n",
             "'Housing' is mapped to 'housing', which is not in data/topics.yaml (did you mean "
             "'housing-and-homelessness'?)"),
            ("values:\n  region:\n    London: [london, south-east]\n", "an entry has one region"),
            ("values:\n  colour:\n    red: blue\n", "'colour' is not a field the importer fills"),
            ("where:\n  Status: []\n", "where"),
    ):
        mapping = tmp_path / "mapping.yaml"
        mapping.write_text("map:\n  title: Title\n" + text, encoding="utf-8")
        with pytest.raises(ImportUsageError, match=re.escape(message)):
            build_mapping(project, mapping, {}, {})


@pytest.mark.parametrize("cell, expected", [
    ("Housing & homelessness, Digital, data and technology",
     ["Housing & homelessness", "Digital, data and technology"]),
    ("Digital, data and technology", ["Digital, data and technology"]),
    ("Health, Care; Digital, data and technology", ["Health", "Care", "Digital, data and technology"]),
    ("a, b, c", ["a", "b", "c"]),
    (["Digital, data and technology", "Housing"], ["Digital, data and technology", "Housing"]),
])
def test_labels_with_commas_are_split_only_between_labels(cell, expected):
    known = {"housing & homelessness", "digital, data and technology"}
    assert split_labels(cell, lambda label: label.casefold() in known) == expected


# The Hugo archive -------------------------------------------------------------------------------


def test_a_hugo_archive_skips_its_templates_and_honours_slugs_sections_and_expiry(new_project):
    project = new_project()
    report = run(project, "markdown", HUGO, HUGO_MAPPING)
    found = {o.origin: o for o in report.outcomes}

    skipped = {origin: o.notes[0].message for origin, o in found.items() if "template-skipped" in codes(o)}
    assert sorted(skipped) == ["archetypes/default.md", "content/README.md", "content/_index.md",
                               "content/case-studies/_index.md", "content/case-studies/_template.md"]
    assert all(found[origin].status == "skipped" and not found[origin].path for origin in skipped)
    assert "list page" in skipped["content/_index.md"] and "template" in skipped["content/case-studies/_template.md"]
    internal = found["content/case-studies/internal-note.md"]  # the mapping's skip: audience: internal
    assert internal.status == "skipped" and codes(internal) == {"filtered-out"}

    repairs = found["content/case-studies/repairs-online.md"]
    assert repairs.path == "casestudies/repairs.md"  # front matter slug, not the title
    document = load(project.root / repairs.path)
    assert document.metadata["topics"] == ["housing-and-homelessness", "digital-and-technology"]
    assert "\n## What we did\n\nWe built a tracker" in document.body  # the source's "## Approach", renamed
    assert "## Lessons learned\n\n- Involve tenants from the first week." in document.body  # from front matter
    assert {"section-renamed", "section-from-front-matter", "personal-data-removed"} <= codes(repairs)
    assert "[the digital team](mailto:digital@enfield.gov.uk)" in document.body  # a team's mailbox: kept
    assert "or Sam Patel." in document.body and "sam.patel" not in document.body  # a person's: its words kept
    assert "[phone number removed]" in document.body
    assert found["content/case-studies/library-app/index.md"].id == "library-app"  # a bundle: its folder

    expired = found["content/case-studies/old-consultation.md"]  # complete: archived, with the reason
    meta = load(project.root / expired.path).metadata
    assert expired.status == meta["status"] == "archived" and "expired-at-source" in codes(expired)
    assert meta["archived_reason"] == ("This page expired on the original site on 30 June 2023, and was no longer "
                                       "shown there.")
    incomplete = found["content/case-studies/expired-pilot.md"]  # expiryDate; a draft that says why
    meta = load(project.root / incomplete.path).metadata
    assert incomplete.status == "draft" and "31 December 2022" in meta["archived_reason"]
    assert "published" not in {o.status for o in (expired, incomplete)}

    assert not [value for value in PERSONAL if value in written_text(project)]
    assert validate(project).ok
    text = cli_import(project, "markdown", str(HUGO), "--mapping", str(HUGO_MAPPING), "--dry-run").output
    assert "5 templates, list pages or read-me files skipped" in text


# Personal data ----------------------------------------------------------------------------------


@pytest.mark.parametrize("text, expected, kinds", [
    ("Ring 07700 900123 today.", "Ring [phone number removed] today.", {"a UK phone number": 1}),
    ("Write to jane.smith@camden.gov.uk or digital@camden.gov.uk.",
     "Write to [e-mail address removed] or digital@camden.gov.uk.", {"an e-mail address": 1}),
    ("Our volunteers: drivers@hotmail.co.uk", "Our volunteers: [e-mail address removed]", {"an e-mail address": 1}),
    ("NI number AB 12 34 56 C, NHS number 943 476 5919 on file.",
     "NI number [National Insurance number removed], NHS number [NHS number removed] on file.",
     {"a National Insurance number": 1, "an NHS number": 1}),
    ("Costs £1,234,567 in 2021-2022, ref 12345.", "Costs £1,234,567 in 2021-2022, ref 12345.", {}),
])
def test_personal_data_is_removed_from_text(text, expected, kinds):
    counts = Counter()
    assert remove_personal_data(text, counts) == expected
    assert dict(counts) == kinds


def test_personal_data_is_removed_from_markdown_links_keeping_their_words():
    counts = Counter()
    body = ("Ask [Jane Smith](mailto:jane.smith@camden.gov.uk), [jo.bloggs@gmail.com](mailto:jo.bloggs@gmail.com), "
            "<sam.patel@camden.gov.uk>, [the team](mailto:housing@camden.gov.uk) or [call us](tel:02079460018).\n"
            "[ref]: mailto:ann.lee@camden.gov.uk\n")
    assert remove_from_markdown(body, counts) == (
        "Ask Jane Smith, [e-mail address removed], [e-mail address removed], "
        "[the team](mailto:housing@camden.gov.uk) or call us.\n\n")
    assert counts == {"an e-mail address": 4, "a UK phone number": 1}


def test_team_mailboxes_are_not_personal_data_anywhere(new_project):
    assert team_mailbox("digital@camden.gov.uk") and team_mailbox("repairs.team@enfield.gov.uk")
    assert not team_mailbox("jane.smith@camden.gov.uk") and not team_mailbox("drivers@gmail.com")
    body = "Write to digital@camden.gov.uk, or to jane.smith@camden.gov.uk."
    project = new_project({"entry.md": BASE.rstrip("\n") + "\n\n" + body + "\n"})
    document = load(project.entries_dir / "entry.md")
    found = check_personal_data(document)
    assert len(found) == 1 and found[0].column == body.index("jane") + 1
