"""The entry schema: the single source of truth for an entry's fields.

`entry.schema.json` beside this module is the schema as written; fields marked
`x-vocabulary` get their `enum` from the project's data files, which makes the
published schema. This module also turns jsonschema's errors into findings in
plain English. It does not know about Markdown bodies.

The other schemas beside it describe the shape of the YAML files facilitators
edit (the vocabularies and settings in data/, collections, hubs.yaml and import
mappings); `data_findings` checks a data file against one, with the same
translation. What a schema cannot say (ids that must differ, names that must be
in another file) is checked in code beside each call.
"""

from __future__ import annotations

import copy
import difflib
import json
from functools import cache, lru_cache
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from .findings import Finding, join_pointer
from .loader import Document
from .safetext import FORBIDDEN_CHARS, visible

if TYPE_CHECKING:
    from jsonschema import Draft202012Validator
    from jsonschema.exceptions import ValidationError

    from .project import Project

SCHEMAS_DIR = Path(__file__).parent / "schemas"
SCHEMA_PATH = SCHEMAS_DIR / "entry.schema.json"
SCHEMA_VERSION = "1.1.0"  # 1.1: outcomes may give their source


@lru_cache(maxsize=1)
def source_schema() -> dict:
    """The schema as written, with vocabularies named but not filled in."""
    return json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))


def published_schema(project: Project) -> dict:
    """The schema with each `x-vocabulary` filled in from the project's data files."""
    schema = copy.deepcopy(source_schema())
    schema["x-schema-version"] = SCHEMA_VERSION

    def fill(node):
        if isinstance(node, dict):
            name = node.get("x-vocabulary")
            if name:
                node["enum"] = project.vocabularies[name].ids
            for value in node.values():
                fill(value)
        elif isinstance(node, list):
            for value in node:
                fill(value)

    fill(schema)
    return schema


@lru_cache(maxsize=8)
def validator_for(project: Project) -> Draft202012Validator:
    """One compiled validator per project (projects hash by identity).

    jsonschema is imported here, not above: it is needed only for an entry that
    jsonschema-rs rejects, and importing it costs as much as checking a few
    hundred valid entries."""
    from jsonschema import Draft202012Validator

    return Draft202012Validator(published_schema(project),
                                format_checker=Draft202012Validator.FORMAT_CHECKER)


@lru_cache(maxsize=8)
def fast_validator_for(project: Project):
    """The same schema compiled by jsonschema-rs, to pass valid entries quickly.

    Only a yes/no is taken from it: any entry it rejects is checked again by
    jsonschema, whose errors the messages below are written for. A test keeps
    the two in agreement on every fixture."""
    import jsonschema_rs

    return jsonschema_rs.validator_for(published_schema(project), validate_formats=True)


def schema_findings(document: Document, project: Project) -> list[Finding]:
    """Check a document's front matter against the schema."""
    return checked_findings(document, fast_validator_for(project), validator_for(project))


def checked_findings(document: Document, fast, explainer) -> list[Finding]:
    """jsonschema-rs (`fast`) decides; jsonschema (`explainer`) says why in plain English.

    The schemas are written so the two agree (tests/test_schema.py), but the verdict
    must not hang on that: whatever jsonschema-rs rejects and jsonschema passes is
    still reported, in jsonschema-rs's words, with the field's description as the hint."""
    if fast.is_valid(document.metadata):
        return []
    findings = []
    for error in explainer.iter_errors(document.metadata):
        findings.extend(_translate(error, document))
    if not findings:
        findings = [_fast_finding(error, document, explainer.schema) for error in fast.iter_errors(document.metadata)]
    # jsonschema reports each missing required field as its own error, each
    # naming the whole list; keep one finding per field.
    unique = {(f.pointer, f.rule, f.message): f for f in findings}
    return list(unique.values())


def _fast_finding(error, document: Document, schema: dict) -> Finding:
    pointer = _pointer(error.instance_path)
    line, column = document.position(pointer)
    keyword = str(error.schema_path[-1]) if error.schema_path else "schema"
    return Finding(document.display_path, line, column, f"schema-{keyword}",
                   f"{_describe(error.instance)} is not accepted here ({error.message})",
                   _description_at(schema, error.instance_path) or "compare it with examples/full.md", pointer)


def _description_at(schema: dict, path) -> str:
    """The description of the field at an instance path, following properties, items and $refs."""
    node = schema
    for token in [*path, None]:
        while isinstance(node, dict) and "$ref" in node:
            node = schema.get("$defs", {}).get(node["$ref"].rsplit("/", 1)[-1], {})
        if token is None or not isinstance(node, dict):
            break
        node = node.get("items", {}) if isinstance(token, int) else node.get("properties", {}).get(token, {})
    return node.get("description", "") if isinstance(node, dict) else ""


# --- Data files ------------------------------------------------------------------

def web_address(value) -> bool:
    """An http(s) address with a host, and no user name, ?query or #fragment (a hub's url)."""
    if not isinstance(value, str) or FORBIDDEN_CHARS.search(value) or any(c.isspace() for c in value):
        return False
    parts = urlsplit(value)
    return (parts.scheme in ("http", "https") and bool(parts.hostname) and not parts.username
            and not parts.query and not parts.fragment)


# Formats of our own, checked the same way by both engines; a format applies to text only.
DATA_FORMATS = {"web-address": lambda value: not isinstance(value, str) or web_address(value)}


@cache
def data_schema(name: str) -> dict:
    """A data file's schema: `schemas/<name>.schema.json`."""
    return json.loads((SCHEMAS_DIR / f"{name}.schema.json").read_text(encoding="utf-8"))


@cache
def _data_validator(name: str):
    """jsonschema-rs to pass a good file quickly, jsonschema (imported only then) to explain a bad one."""
    import jsonschema_rs

    return jsonschema_rs.validator_for(data_schema(name), formats=DATA_FORMATS, validate_formats=True)


@cache
def _data_explainer(name: str) -> Draft202012Validator:
    from jsonschema import Draft202012Validator, FormatChecker

    checker = FormatChecker(formats=())
    for format_name, check in DATA_FORMATS.items():
        checker.checks(format_name)(check)
    return Draft202012Validator(data_schema(name), format_checker=checker)


def data_findings(document: Document, name: str) -> list[Finding]:
    """Check a data file, loaded with `loader.load_data_document`, against the schema `name`."""
    return checked_findings(document, _data_validator(name), _data_explainer(name))


def _pointer(path) -> str:
    pointer = ""
    for token in path:
        pointer = join_pointer(pointer, token)
    return pointer


def _describe(value) -> str:
    if value is None:
        return "empty"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (dict, list)):
        return "a list" if isinstance(value, list) else "a group of fields"
    text = str(value)
    return f"'{visible(text[:60])}…'" if len(text) > 60 else f"'{visible(text)}'"


def _suggest(value, choices) -> str:
    if isinstance(value, str):
        close = difflib.get_close_matches(value.lower(), [str(c) for c in choices], n=1, cutoff=0.6)
        if close:
            return f"did you mean '{close[0]}'?"
    shown = ", ".join(str(c) for c in list(choices)[:12])
    more = ", …" if len(choices) > 12 else ""
    return f"use one of: {shown}{more}"


_TYPE_HINTS = {
    "boolean": "use true or false",
    "array": "write a list, one '- item' per line",
    "object": "write its fields on the indented lines below it",
    "integer": "write a whole number, without units or commas",
}


def _type_hint(expected: str, value) -> str:
    if value is None:
        return "fill in a value, or delete the line"
    if expected == "number":
        if isinstance(value, str) and value.replace(".", "", 1).lstrip("-").isdigit():
            return f"write the number without trailing zeros or leading zeros ({float(value):g})"
        return "write a plain number, without units, commas or a currency sign"
    if expected == "string":
        return "put the value in quotes"
    return _TYPE_HINTS.get(expected, f"use a {expected}")


def _translate(error: ValidationError, document: Document) -> list[Finding]:
    pointer = _pointer(error.absolute_path)
    line, col = document.position(pointer)
    shown = document.display_path
    kind = error.validator
    value = error.instance
    schema = error.schema if isinstance(error.schema, dict) else {}

    def finding(message, hint, where=None, at=None):
        at = at or (line, col)
        return Finding(shown, at[0], at[1], f"schema-{kind}", message, hint, where or pointer)

    if kind == "required":
        missing = [name for name in error.validator_value if name not in (value or {})]
        properties = schema.get("properties", {})
        found = []
        for name in missing:
            about = properties.get(name, {}).get("description", "")
            found.append(finding(f"'{name}' is missing", f"add '{name}:' — {about}".rstrip(" —"),
                                 join_pointer(pointer, name)))
        return found
    if kind == "additionalProperties":
        allowed = list(schema.get("properties", {}))
        found = []
        for name in value:
            if name not in allowed:
                where = join_pointer(pointer, name)
                found.append(finding(f"'{name}' is not a field Casehub knows",
                                     _suggest(name, allowed).replace("use one of", "remove it, or use one of"),
                                     where, document.key_position(where)))
        return found
    if kind == "type":
        expected = error.validator_value
        expected = expected if isinstance(expected, str) else expected[0]
        noun = {"array": "a list", "object": "a group of fields", "boolean": "true or false",
                "string": "text", "number": "a number", "integer": "a whole number"}[expected]
        return [finding(f"{_describe(value)} should be {noun}", _type_hint(expected, value))]
    if kind == "enum":
        return [finding(f"{_describe(value)} is not an allowed value", _suggest(value, error.validator_value))]
    if kind == "format":
        if error.validator_value == "date":
            return [finding(f"{_describe(value)} is not a real date",
                            "write dates as YYYY-MM-DD, for example 2024-03-31")]
        return [finding(f"{_describe(value)} is not a valid {error.validator_value.replace('-', ' ')}",
                        schema.get("description", ""))]
    if kind == "pattern":
        return [finding(f"{_describe(value)} is not in the expected form", schema.get("description", ""))]
    if kind == "maxLength":
        limit = error.validator_value
        return [finding(f"the text is {len(value)} characters long, over the limit of {limit}",
                        f"shorten it by {len(value) - limit} characters")]
    if kind == "minLength":
        limit = error.validator_value
        return [finding(f"the text is {len(value)} characters long, under the minimum of {limit}",
                        "say a little more: " + schema.get("description", ""))]
    if kind == "minItems":
        return [finding(f"the list needs at least {error.validator_value} item(s)",
                        schema.get("description", "add an item"))]
    if kind == "maxItems":
        return [finding(f"the list has {len(value)} items, more than {error.validator_value}",
                        "keep the most important ones")]
    if kind == "uniqueItems":
        seen, repeats = set(), []
        for index, item in enumerate(value):
            key = json.dumps(item, sort_keys=True)
            if key in seen:
                repeats.append(index)
            seen.add(key)
        return [finding(f"{_describe(value[i])} appears more than once", "delete the repeat",
                        join_pointer(pointer, i), document.position(join_pointer(pointer, i)))
                for i in repeats]
    if kind == "anyOf" and "email" in schema.get("properties", {}):
        return [finding("the contact has neither an email nor a url",
                        "add the team's shared mailbox as 'email:' or its contact page as 'url:'")]
    if "x-message" in schema:  # a data file's schema words a combination of conditions itself
        return [finding(schema["x-message"], schema.get("x-hint", schema.get("description", "")))]
    return [finding(error.message, schema.get("description", ""))]  # pragma: no cover
