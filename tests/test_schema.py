"""The schema is well formed, fully described, and its published forms cannot drift."""

import json

from jsonschema import Draft202012Validator

from casehub.core.schema import published_schema, source_schema
from casehub.curate.docs import field_reference, reference_path


def walk(node, path="#"):
    if isinstance(node, dict):
        yield path, node
        for key, value in node.items():
            yield from walk(value, f"{path}/{key}")
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from walk(value, f"{path}/{index}")


def test_schema_is_valid_draft_2020_12(project):
    Draft202012Validator.check_schema(source_schema())
    Draft202012Validator.check_schema(published_schema(project))
    assert source_schema()["$schema"] == "https://json-schema.org/draft/2020-12/schema"


def test_every_property_is_described_and_every_object_closed():
    for path, node in walk(source_schema()):
        if node.get("type") == "object" and "properties" in node:
            assert node.get("additionalProperties") is False, path
            assert set(node.get("required", [])) <= set(node["properties"]), path
        if "/allOf/" in path:  # conditions restate fields, they do not define them
            continue
        for name, child in node.get("properties", {}).items():
            assert child.get("description"), f"{path}/properties/{name} has no description"
        if "items" in node:
            assert node["items"].get("description") or "$ref" in node["items"] or "properties" in node["items"], path


def test_vocabularies_fill_the_published_schema(project):
    schema = published_schema(project)
    assert schema["properties"]["topics"]["items"]["enum"] == project.vocabularies["topics"].ids
    assert schema["properties"]["geography"]["properties"]["region"]["enum"] == project.vocabularies["regions"].ids
    assert "enum" not in source_schema()["properties"]["type"]


def test_field_reference_is_current(project):
    assert reference_path(project).read_text(encoding="utf-8") == field_reference(project), \
        "content/pages/fields.md is stale: run 'casehub docs' and commit it"


def test_field_reference_documents_every_field(project):
    text = field_reference(project)
    for _, node in walk(source_schema()):
        for name in node.get("properties", {}):
            assert f"{name}`" in text, name


def test_site_publishes_the_schema(project, built_site):
    published = json.loads((built_site / "schema" / "entry.schema.json").read_text(encoding="utf-8"))
    assert published == published_schema(project)
    assert (built_site / "fields" / "index.html").is_file()


def test_the_fast_validator_agrees_with_jsonschema_on_every_fixture(project):
    """Valid entries skip jsonschema only because jsonschema-rs says yes; they must agree."""
    from casehub.core.loader import LoadError, load
    from casehub.core.schema import fast_validator_for, validator_for

    from .support import FIXTURES, ROOT

    paths = [*(FIXTURES / "invalid").rglob("*.md"), *(FIXTURES / "valid").rglob("*.md"),
             *(ROOT / "examples").glob("*.md"), *(ROOT / "casestudies").glob("*.md")]
    checked = 0
    for path in paths:
        try:
            metadata = load(path).metadata
        except LoadError:
            continue
        slow = not any(validator_for(project).iter_errors(metadata))
        assert fast_validator_for(project).is_valid(metadata) == slow, path
        checked += 1
    assert checked > 50
