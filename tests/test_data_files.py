"""The YAML files facilitators edit (vocabularies, settings, collections, hubs.yaml and
import mappings) are checked against their schemas, and a bad value in each is
reported with its file, line, column, field and a fix."""

from __future__ import annotations

import shutil

import pytest
from jsonschema import Draft202012Validator

from casehub.core import safetext
from casehub.core.findings import FindingsError
from casehub.core.project import DEFAULT_SETTINGS, VOCABULARIES, Project
from casehub.core.schema import _data_explainer, _data_validator, data_schema
from casehub.exchange.federation import read_hubs
from casehub.exchange.importers import ImportUsageError, build_mapping

from .support import ROOT

DATA_SCHEMAS = ("vocabulary", "settings", "collections", "hubs", "import-mapping")


@pytest.fixture
def data_project(tmp_path):
    """A project with the repository's data files and nothing else."""
    shutil.copytree(ROOT / "data", tmp_path / "data")
    (tmp_path / "casestudies").mkdir()
    return Project(tmp_path)


def findings_of(read) -> list:
    with pytest.raises(FindingsError) as raised:
        read()
    return raised.value.findings


@pytest.mark.parametrize("name", DATA_SCHEMAS)
def test_each_data_schema_is_valid_draft_2020_12(name):
    Draft202012Validator.check_schema(data_schema(name))
    assert data_schema(name)["$schema"] == "https://json-schema.org/draft/2020-12/schema"


def test_the_settings_schema_names_the_defaults():
    properties = data_schema("settings")["properties"]
    assert {name: node["default"] for name, node in properties.items()} == DEFAULT_SETTINGS


def test_a_hub_name_refuses_the_markup_the_rules_refuse():
    name = data_schema("hubs")["$defs"]["hub"]["properties"]["name"]
    assert name["not"]["pattern"] == safetext.HTML.pattern


@pytest.mark.parametrize("hub", [
    {"id": "wales-hub", "name": "Wales Hub", "url": "https://hub.example/", "take": "all"},
    {"id": "wales-hub\n", "name": "Wales Hub", "url": "https://hub.example/", "take": "all"},
    {"id": "w" * 41, "name": "Wales Hub", "url": "https://hub.example/", "take": "all"},
    {"id": "a", "name": "  x  ", "url": "https://hub.example/", "take": "all"},
    {"id": "a", "name": " xy\n", "url": "https://hub.example/", "take": "all"},
    {"id": "a", "name": "x" * 100, "url": "https://hub.example/", "topics": ["t"]},
    {"id": "a", "name": " " + "x" * 101, "url": "https://hub.example/", "take": "all"},
    {"id": "a", "name": "A <b>hub</b>", "url": "https://hub.example/", "take": "all"},
    {"id": "a", "name": "A hub", "url": "https://user@hub.example/", "take": "all"},
    {"id": "a", "name": "A hub", "url": "https://hub.example/?x=1", "take": "all"},
    {"id": "a", "name": "A hub", "url": "https://hub.example/", "take": "all", "topics": None},
    {"id": "a", "name": "A hub", "url": "https://hub.example/", "take": None, "topics": ["t"]},
    {"id": "a", "name": "A hub", "url": "https://hub.example/", "take": "some"},
    {"id": "a", "name": "A hub", "url": "https://hub.example/"},
])
def test_both_engines_agree_on_a_hub(hub):
    """jsonschema-rs passes good files; jsonschema explains bad ones. They must not differ."""
    assert _data_validator("hubs").is_valid([hub]) == _data_explainer("hubs").is_valid([hub])


@pytest.mark.parametrize("name", VOCABULARIES)
def test_a_bad_term_in_each_vocabulary_is_located(data_project, name):
    path = data_project.data_dir / f"{name}.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "- id: extra\n  label: [not, text]\n", encoding="utf-8")
    line = path.read_text(encoding="utf-8").count("\n")
    [finding] = findings_of(lambda: data_project.vocabularies)
    assert (finding.path, finding.line, finding.column) == (f"data/{name}.yaml", line, 10)
    assert finding.field.endswith("].label")
    assert finding.message == "a list should be text" and finding.hint == "put the value in quotes"


def test_vocabulary_problems_and_repeated_ids_are_reported_together(data_project):
    (data_project.data_dir / "topics.yaml").write_text(
        "- id: a\n  label: A\n  community: http://example.org/\n- id: b\n- id: a\n  label: Again\n")
    found = {(f.line, f.column, f.field, f.message) for f in findings_of(lambda: data_project.vocabularies)}
    assert found == {
        (3, 14, "[0].community", "'http://example.org/' is not in the expected form"),
        (4, 3, "[1].label", "'label' is missing"),
        (5, 7, "[2].id", "the id 'a' appears twice"),
    }


def test_a_bad_setting_is_located(data_project):
    (data_project.data_dir / "casehub.yaml").write_text("due_soon_days: 60\nreview_period_months: twelve\n")
    [finding] = findings_of(lambda: data_project.settings)
    assert (finding.path, finding.line, finding.column, finding.field) == \
        ("data/casehub.yaml", 2, 23, "review_period_months")
    assert finding.message == "'twelve' should be a whole number"
    (data_project.data_dir / "casehub.yaml").write_text("due_soon_days: 60\nreview_months: 12\n")
    [finding] = findings_of(lambda: data_project.settings)
    assert (finding.line, finding.column, finding.field) == (2, 1, "review_months")
    assert "review_period_months" in finding.hint


@pytest.mark.parametrize("line, message", [
    ("submission_mailbox: casehub at example.gov.uk", "'casehub at example.gov.uk' is not in the expected form"),
    ("submission_endpoint: http://forms.example.org/casehub", "'http://forms.example.org/casehub' is not in the "
                                                             "expected form"),
])
def test_a_bad_submission_setting_is_located_with_its_fix(data_project, line, message):
    (data_project.data_dir / "casehub.yaml").write_text(f"due_soon_days: 60\n{line}\n")
    [finding] = findings_of(lambda: data_project.settings)
    assert (finding.line, finding.field, finding.message) == (2, line.split(":")[0], message)
    assert finding.hint.startswith("give ")


def test_submission_settings_and_a_topic_mailbox_are_read(data_project):
    from casehub.contribute.webform import endpoint_origin, routes

    (data_project.data_dir / "casehub.yaml").write_text(
        "submission_mailbox: casehub@example.gov.uk\nsubmission_endpoint: https://forms.example.org/casehub?x=1\n")
    assert endpoint_origin(data_project) == "https://forms.example.org"
    found = routes(data_project)
    assert (found["mailbox"], found["endpoint"]) == ("casehub@example.gov.uk", "https://forms.example.org/casehub?x=1")
    assert found["topicMailboxes"] == {"housing-and-homelessness": "housing-practice@example.gov.uk"}
    assert found["issue"] is None  # this project has no .github/ISSUE_TEMPLATE: the page leaves the route out
    topics = data_project.data_dir / "topics.yaml"
    topics.write_text(topics.read_text(encoding="utf-8").replace("housing-practice@example.gov.uk", "housing"))
    data_project.__dict__.pop("vocabularies", None)
    [finding] = findings_of(lambda: data_project.vocabularies)
    assert finding.field.endswith("].mailbox") and finding.hint.startswith("give the topic's shared mailbox")


def test_a_bad_collection_is_located(data_project):
    (data_project.data_dir / "collections.yaml").write_text(
        "- id: reading\n  title: Reading\n  introduction: Things to read.\n  entries: first-entry\n")
    [finding] = findings_of(lambda: data_project.collections)
    assert (finding.path, finding.line, finding.column, finding.field) == \
        ("data/collections.yaml", 4, 12, "[0].entries")
    assert finding.message == "'first-entry' should be a list"


def test_a_bad_hub_is_located(data_project):
    (data_project.root / "hubs.yaml").write_text(
        "- id: wales-hub\n  name: Wales\n  url: https://hub.example/\n  take: all\n"
        "- id: wales-hub\n  name: '<em>Again</em>'\n  url: ftp://hub.example/\n  topics: [no-such-topic]\n")
    found = {(f.path, f.line, f.column, f.field, f.message) for f in findings_of(lambda: read_hubs(data_project))}
    assert found == {
        ("hubs.yaml", 5, 7, "[1].id", "the id 'wales-hub' appears twice"),
        ("hubs.yaml", 6, 9, "[1].name", "the hub's name has markup"),
        ("hubs.yaml", 7, 8, "[1].url", "'ftp://hub.example/' is not a valid web address"),
        ("hubs.yaml", 8, 12, "[1].topics[0]", "'no-such-topic' is not a topic in data/topics.yaml"),
    }


def test_good_hubs_are_read(data_project):
    (data_project.root / "hubs.yaml").write_text(
        "- id: wales-hub\n  name: ' Wales '\n  url: https://hub.example/wales\n  topics: [digital-and-technology]\n"
        "- id: b\n  name: B hub\n  url: http://b.example/\n  take: all\n  topics:\n")
    hubs = read_hubs(data_project)
    assert [(h.id, h.name, h.url, h.topics) for h in hubs] == [
        ("wales-hub", "Wales", "https://hub.example/wales/", ("digital-and-technology",)),
        ("b", "B hub", "http://b.example/", None)]


def test_a_bad_mapping_file_is_located(data_project, tmp_path):
    mapping = tmp_path / "mapping.yaml"
    mapping.write_text("name: Council list\nmap:\n  title: Project name\n  summary: [Summary, Intro]\n")
    with pytest.raises(ImportUsageError) as raised:
        build_mapping(data_project, mapping, {}, {})
    assert str(raised.value) == f"{mapping}:4:12: map.summary: a list should be text — put the value in quotes"
    mapping.write_text("name: Council list\ncolumns:\n  title: Project name\n")
    with pytest.raises(ImportUsageError) as raised:
        build_mapping(data_project, mapping, {}, {})
    assert str(raised.value).startswith(f"{mapping}:2:1: columns: 'columns' is not a field Casehub knows")


def test_a_good_mapping_file_is_read(data_project, tmp_path):
    mapping = tmp_path / "mapping.yaml"
    mapping.write_text("name: 2024\nmap:\n  title: Project name\nsections:\ndefaults:\n  budget_band: 5000\n")
    built = build_mapping(data_project, mapping, {}, {})
    assert (built.name, built.fields, built.sections, built.defaults) == \
        ("2024", {"title": "Project name"}, {}, {"budget_band": "5000"})


def test_the_shipped_files_pass_both_engines(project):
    from casehub.core.loader import load_data_file

    files = [(f"data/{name}.yaml", "vocabulary") for name in VOCABULARIES] + [
        ("data/casehub.yaml", "settings"), ("data/collections.yaml", "collections"), ("hubs.yaml", "hubs"),
        ("examples/import/lga-style-mapping.yaml", "import-mapping")]
    for path, schema in files:
        data, _ = load_data_file(ROOT / path)
        assert _data_validator(schema).is_valid(data) and _data_explainer(schema).is_valid(data), path
