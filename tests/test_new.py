"""`casehub new`: answers in, a valid draft out; never overwrites; warns about personal data."""

import shutil

from click.testing import CliRunner

from casehub.cli import cli
from casehub.core.examples import WRITE_HERE
from casehub.core.loader import load
from casehub.core.validate import validate

from .support import ROOT

OPTIONS = ["--type", "case-study", "--title", "Tenants redesign the repairs line: what we learned",
           "--summary", "Tenants and the repairs team redesigned how repairs are reported, halving repeat calls.",
           "--organisation", "Example Borough Council", "--nation", "england", "--region", "west-midlands",
           "--council-type", "metropolitan-borough", "--topic", "housing-and-homelessness",
           "--topic", "communities-and-engagement", "--stage", "pilot", "--contact-team", "Repairs team",
           "--contact-email", "repairs@example.gov.uk", "--today", "2026-11-22"]


def run(project, args, input=None):
    return CliRunner().invoke(cli, ["--root", str(project.root), "new", *args], input=input)


def with_examples(project):
    shutil.copytree(ROOT / "examples", project.root / "examples")
    return project


def test_options_give_a_draft_with_the_examples_headings_and_prompts_not_its_text(new_project):
    project = with_examples(new_project())
    result = run(project, OPTIONS)
    assert result.exit_code == 0, result.output
    path = project.entries_dir / "tenants-redesign-the-repairs-line-what-we-learned.md"
    assert ("Wrote casestudies/tenants-redesign-the-repairs-line-what-we-learned.md (status: draft). Next: under "
            "each of its 6 headings, write your own text in place of the prompt") in result.output
    document = load(path)
    assert document.metadata["title"] == "Tenants redesign the repairs line: what we learned"
    assert document.metadata["status"] == "draft" and document.metadata["published"] == "2026-11-22"
    assert document.metadata["topics"] == ["housing-and-homelessness", "communities-and-engagement"]
    sections = project.vocabularies["types"].by_id["case-study"]["sections"]
    assert [line[3:] for line in document.body.split("\n") if line.startswith("## ")] == sections
    assert "Describe the place and the organisation briefly" in document.body  # the example's prompt...
    assert "65 to 42" not in document.body and "Example City Council" not in document.body  # ...not its figures
    # Until each prompt is replaced, the validator says so, once per section.
    findings = validate(project).findings
    assert [(f.rule, f.message) for f in findings] == [
        ("example-text", "this paragraph is the guidance from examples/case-study.md, still in place")] * 6
    written = "\n".join(f"## {name}\n\nWhat we did about {name.lower()}, in our own words.\n" for name in sections)
    path.write_text(path.read_text().split("## ", 1)[0] + written)
    assert validate(project).findings == []


def test_a_type_without_an_example_gets_a_prompt_for_each_section(new_project):
    project = new_project()  # no examples/ folder
    assert run(project, OPTIONS).exit_code == 0
    document = load(project.entries_dir / "tenants-redesign-the-repairs-line-what-we-learned.md")
    assert document.body.count(WRITE_HERE) == 6
    assert {f.message for f in validate(project).findings} == {
        "this paragraph is the prompt 'casehub new' wrote, still in place"}


def test_never_overwrites(new_project):
    project = new_project()
    assert run(project, OPTIONS).exit_code == 0
    path = next(project.entries_dir.glob("*.md"))
    path.write_text(path.read_text() + "\nMy own words.\n")
    before = path.read_bytes()
    again = run(project, OPTIONS)
    assert again.exit_code == 2
    assert "already exists; nothing was written" in again.output
    assert path.read_bytes() == before


def test_questions_are_asked_for_what_is_missing(new_project):
    project = new_project()
    answers = "\n".join([
        "story",                                   # type
        "A story about a library's repair café",  # title
        "too short",                               # summary: refused, asked again
        "Volunteers now fix small appliances at the library every Saturday, and people come back.",
        "Example Town Council",                    # organisation
        "wales",                                   # nation
        "wales",                                   # region
        "town-or-parish",                          # council type
        "climate, climate-and-environment",        # topics: one unknown, asked again
        "climate-and-environment",
        "live",                                    # stage
        "Library team",                            # contact team
        "",                                        # no mailbox...
        "https://www.example.gov.uk/library",      # ...so a web page
    ]) + "\n"
    result = run(project, ["--today", "2026-11-22"], input=answers)
    assert result.exit_code == 0, result.output
    assert "Please write at least 30 characters" in result.output
    assert "Not a topic: climate" in result.output
    document = load(project.entries_dir / "a-story-about-a-librarys-repair-cafe.md")
    assert document.metadata["contact"] == {"team": "Library team", "url": "https://www.example.gov.uk/library"}
    assert document.metadata["geography"] == {"nation": "wales", "region": "wales", "council_type": "town-or-parish"}


def test_personal_data_is_warned_about_without_repeating_it(new_project):
    project = new_project()
    args = list(OPTIONS)
    args[args.index("--summary") + 1] = "Ring the resident on 07700 900123 to hear how the repairs line changed."
    result = run(project, args)
    assert "Warning: The summary looks like it contains a UK phone number" in result.output
    assert "07700" not in result.output
    assert result.exit_code == 1  # the draft is written, and the validator lists the problem to fix


def test_hostile_answers_stay_text(new_project):
    project = new_project()
    args = list(OPTIONS)
    title = 'A "quoted" title: with # hash, \\ backslash and --- dashes'
    args[args.index("--title") + 1] = title
    args += ["--id", "hostile"]
    result = run(project, args)
    assert result.exit_code == 0, result.output
    assert load(project.entries_dir / "hostile.md").metadata["title"] == title


def test_a_choice_can_be_answered_by_its_label_in_any_case(new_project):
    project = new_project()
    answers = "\n".join([
        "Case study",                              # type, by label
        "Tenants redesign the repairs line in Ipswich",
        "Tenants and the repairs team redesigned how repairs are reported, halving repeat calls.",
        "Example District Council",
        "ENGLAND",                                 # nation, by id in capitals
        "east of england",                         # region, by label
        "District",                                # council type: its id, typed as a word
        "Housing and homelessness, communities-and-engagement",
        "Pilot",
        "Repairs team",
        "repairs@example.gov.uk",
    ]) + "\n"
    result = run(project, ["--today", "2026-11-22"], input=answers)
    assert result.exit_code == 0, result.output
    document = load(project.entries_dir / "tenants-redesign-the-repairs-line-in-ipswich.md")
    assert document.metadata["type"] == "case-study" and document.metadata["stage"] == "pilot"
    assert document.metadata["geography"] == {"nation": "england", "region": "east-of-england",
                                              "council_type": "district"}
    assert document.metadata["topics"] == ["housing-and-homelessness", "communities-and-engagement"]


def test_options_take_labels_too(new_project):
    project = new_project()
    args = list(OPTIONS)
    for option, label in (("--type", "Case study"), ("--region", "West Midlands"),
                          ("--council-type", "Metropolitan borough"), ("--nation", "England")):
        args[args.index(option) + 1] = label
    result = run(project, args)
    assert result.exit_code == 0, result.output
    assert {f.rule for f in validate(project).findings} == {"example-text"}  # only the prompts to replace


def test_a_wrong_answer_gets_the_closest_choices_not_the_whole_list_again(new_project):
    project = new_project()
    answers = "\n".join([
        "story", "A story about a library's repair café",
        "Volunteers now fix small appliances at the library every Saturday, and people come back.",
        "Example Town Council", "england",
        "east england",                            # no such region: the closest come back
        "East of England",
        "parish",                                  # part of a label's words
        "town-or-parish",
        "climate", "Climate and environment", "", "Library team", "library@example.gov.uk",
    ]) + "\n"
    result = run(project, ["--today", "2026-11-22"], input=answers)
    assert result.exit_code == 0, result.output
    assert "Not a region: east england — did you mean 'east-of-england'" in result.output
    assert "Not a council type: parish — did you mean 'town-or-parish' (Town or parish council)?" in result.output
    assert "Not a topic: climate — did you mean 'climate-and-environment'?" in result.output
    assert result.output.count("Yorkshire and the Humber") == 1  # the list is shown once, when first asked
    assert "  3. Yorkshire and the Humber\n" in result.output and "  13. UK-wide\n" in result.output


def test_a_choice_can_be_answered_by_its_number_in_the_list(new_project):
    project = new_project()
    answers = "\n".join([
        "2", "A story about a library's repair café",
        "Volunteers now fix small appliances at the library every Saturday, and people come back.",
        "Example Town Council", "3", "11", "10", "3, 4", "4", "Library team", "library@example.gov.uk",
    ]) + "\n"
    result = run(project, ["--today", "2026-11-22"], input=answers)
    assert result.exit_code == 0, result.output
    assert "Type of entry:\n  1. Case study\n  2. Story\n" in result.output
    document = load(project.entries_dir / "a-story-about-a-librarys-repair-cafe.md")
    assert document.metadata["type"] == "story"
    assert document.metadata["geography"] == {"nation": "wales", "region": "wales", "council_type": "town-or-parish"}
    assert document.metadata["topics"] == ["climate-and-environment", "communities-and-engagement"]
    assert document.metadata["stage"] == "live"


def test_a_wrong_option_stops_before_any_question(new_project):
    project = new_project()
    result = run(project, ["--nation", "Englnd", "--region", "London"])
    assert result.exit_code == 2
    assert "'Englnd' is not a nation: did you mean 'england'" in result.output
    assert "Title" not in result.output  # nothing was asked
    assert run(project, ["--region", "Atlantis"]).output.count("uk-wide") == 1  # nothing close: the choices


def test_the_choices_come_from_the_data(new_project):
    from casehub.contribute.questions import QUESTIONS, choices_for
    from casehub.core.entry import NATIONS

    project = new_project()
    (project.data_dir / "regions.yaml").write_text("- {id: kernow, label: Cornwall, nation: england}\n")
    asked = {question.name: question for question in QUESTIONS}
    assert [choice.id for choice in choices_for(project, asked["nation"])] == list(NATIONS)
    assert [choice.id for choice in choices_for(project, asked["region"])] == ["kernow"]
    args = list(OPTIONS)
    args[args.index("--region") + 1] = "cornwall"
    result = run(project, args)
    assert "casestudies/tenants-redesign-the-repairs-line-what-we-learned.md" in result.output
    assert load(project.entries_dir / "tenants-redesign-the-repairs-line-what-we-learned.md"
                ).metadata["geography"]["region"] == "kernow"
