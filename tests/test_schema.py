"""The schema is well formed, fully described, and its published forms cannot drift."""

import copy
import json

import pytest
from jsonschema import Draft202012Validator

from casehub.core.schema import SCHEMAS_DIR, published_schema, source_schema
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


# --- One verdict, whichever checker decides (issue 15, item 5) --------------------------------------

TRICKY = {
    "/tags/0": ["energy", "energy\n", "\nenergy", "energy ", "Energy", "energy-", "a--b", "énergie", "e" * 41],
    "/organisations/0/gss": ["E08000007", "E08000007\n", "e08000007", "E0800000", "E080000071", " E08000007"],
    "/related/0": ["stockport-digital-strategy", "stockport-digital-strategy\n", "x ", "X", "a_b"],
    "/contact/email": ["digital@example.gov.uk", "team@example.gov.uk?bcc=attacker%40evil.example&subject=hi",
                       "a@b.co\n", "a@b.co\r\n", ".a@b.co", "a..b@c.co", "a@-b.co", "a@b-.co", "a@b_c.co", "a@b",
                       "o'brien@x.gov.uk", "a b@c.co", "a@b.co#x", "a@b.co/x", "mailto:a@b.co", "a@b.co\u200b",
                       "ä@b.co", "a@b.co\x1c", "a@b.co\u3000", "first.last+tag@sub.example.org", "a@b.co>"],
    "/contact/url": ["https://example.org", "https://example.org\n", "https://exa mple.org", "https://example.org\x1c",
                     "https://example.org\u3000x", "https://example.org\ufeff", "https://example.org\u180e",
                     "https://example.org\u2028", "javascript:alert(1)", "http://x", "https://"],
}


def _with(value, pointer):
    from casehub.core.loader import parse

    from .support import MINIMAL

    metadata = copy.deepcopy(parse(MINIMAL.encode(), "entry.md").metadata)
    metadata.update(tags=["energy"], related=["stockport-digital-strategy"])
    metadata["organisations"][0]["gss"] = "E08000007"
    metadata["contact"]["email"] = "digital@example.gov.uk"
    parts = pointer.strip("/").split("/")
    node = metadata
    for part in parts[:-1]:
        node = node[int(part)] if part.isdigit() else node[part]
    node[int(parts[-1]) if parts[-1].isdigit() else parts[-1]] = value
    return metadata


@pytest.mark.parametrize("pointer", list(TRICKY))
def test_both_checkers_give_one_verdict_on_tricky_values(project, pointer):
    from casehub.core.schema import fast_validator_for, validator_for

    verdicts = []
    for value in TRICKY[pointer]:
        metadata = _with(value, pointer)
        fast = fast_validator_for(project).is_valid(metadata)
        slow = not any(validator_for(project).iter_errors(metadata))
        assert fast == slow, f"{pointer} = {value!r}: jsonschema-rs says {fast}, jsonschema {slow}"
        verdicts.append(fast)
    assert True in verdicts and False in verdicts  # the corpus has both kinds


def test_the_contact_email_pattern_is_safetexts_and_they_agree(project):
    from casehub.core.safetext import EMAIL_ADDRESS
    from casehub.core.schema import fast_validator_for

    email = source_schema()["properties"]["contact"]["properties"]["email"]
    assert email["pattern"] == "^" + EMAIL_ADDRESS.pattern + "(?![\\s\\S])"
    for value in TRICKY["/contact/email"]:
        accepted = fast_validator_for(project).is_valid(_with(value, "/contact/email"))
        assert accepted == bool(EMAIL_ADDRESS.fullmatch(value)), value
    assert not EMAIL_ADDRESS.fullmatch("team@example.gov.uk?bcc=attacker%40evil.example&subject=hi")


def test_no_schema_pattern_ends_in_a_bare_dollar():
    """Python's $ also passes a final newline; (?![\\s\\S]) is the end in both engines."""
    for path in sorted(SCHEMAS_DIR.glob("*.schema.json")):
        for where, node in walk(json.loads(path.read_text(encoding="utf-8"))):
            pattern = node.get("pattern") if isinstance(node.get("pattern"), str) else ""
            if pattern.endswith("$") and not pattern.endswith("\\$") and "[^<>]" not in pattern:
                assert pattern.endswith("\\s*$"), f"{path.name} {where}: {pattern}"


def test_what_only_the_fast_checker_rejects_is_still_reported():
    """The schemas are written so the checkers agree; if they ever do not, the entry still fails."""
    import jsonschema_rs
    from jsonschema import Draft202012Validator

    from casehub.core.loader import Document
    from casehub.core.schema import checked_findings

    schema = {"type": "object", "properties": {"email": {"type": "string", "format": "email",
                                                         "description": "The team's shared mailbox."}}}
    fast = jsonschema_rs.validator_for(schema, validate_formats=True)
    lenient = Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)
    document = Document(SCHEMAS_DIR / "x.md", "x.md", {"email": ".a@b.co"}, "", 1, {"/email": (3, 8)})
    assert not list(lenient.iter_errors(document.metadata)) and not fast.is_valid(document.metadata)
    [finding] = checked_findings(document, fast, lenient)
    assert (finding.line, finding.column, finding.field, finding.rule) == (3, 8, "email", "schema-format")
    assert finding.message.startswith("'.a@b.co' is not accepted here") and finding.hint == "The team's shared mailbox."
