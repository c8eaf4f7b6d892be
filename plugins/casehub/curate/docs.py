"""Generated documentation: the field reference, written from the schema.

`content/pages/fields.md` is generated, committed and published; `casehub docs`
rewrites it and `casehub docs --check` (run by the tests) fails when it is stale.
Vocabulary values are not copied in, so adding a topic needs no regeneration.
"""

from __future__ import annotations

from pathlib import Path

from ..core.project import Project
from ..core.schema import source_schema

NOTE = "<!-- Generated from plugins/casehub/core/schemas/entry.schema.json by `casehub docs`. Do not edit. -->"


def _type_of(node: dict, defs: dict) -> str:
    if "$ref" in node:
        node = {**defs[node["$ref"].rsplit("/", 1)[1]], **{k: v for k, v in node.items() if k != "$ref"}}
    kind = node.get("type", "")
    if kind == "array":
        return f"list of {_type_of(node.get('items', {}), defs)}"
    if "x-vocabulary" in node:
        return f"text from data/{node['x-vocabulary']}.yaml"
    if "enum" in node:
        return "one of " + ", ".join(f"`{v}`" for v in node["enum"])
    if node.get("format") == "date":
        return "date (YYYY-MM-DD)"
    if "pattern" in node and "https?" in node["pattern"]:
        return "web address"
    words = {"string": "text", "number": "number", "boolean": "true or false", "object": "group of fields"}
    return words.get(kind, kind)


def _rows(node: dict, defs: dict, prefix: str = "") -> list[str]:
    rows = []
    required = set(node.get("required", []))
    for name, child in node.get("properties", {}).items():
        field = f"{prefix}{name}"
        limits = []
        for key, words in (("minLength", "at least {} characters"), ("maxLength", "at most {} characters"),
                           ("minItems", "at least {} items"), ("maxItems", "at most {} items")):
            if key in child:
                limits.append(words.format(child[key]))
        description = child.get("description", "")
        if limits:
            description += f" ({', '.join(limits)})"
        rows.append(f"| `{field}` | {'yes' if name in required else 'no'} | {_type_of(child, defs)} | {description} |")
        items = child.get("items", {})
        if child.get("type") == "object":
            rows += _rows(child, defs, f"{field}.")
        elif items.get("type") == "object":
            rows += _rows(items, defs, f"{field}[].")
    return rows


def field_reference(project: Project) -> str:
    """The field reference page, as Markdown with Pelican metadata."""
    schema = source_schema()
    defs = schema.get("$defs", {})
    lines = [
        "Title: Field reference",
        "Summary: Every field an entry's front matter can have, generated from the entry schema.",
        "",
        NOTE,
        "",
        schema["description"],
        "",
        "The machine-readable schema, with every vocabulary filled in, is published at "
        "[/schema/entry.schema.json](/schema/entry.schema.json).",
        "",
        "| Field | Required | Type | What it is |",
        "| --- | --- | --- | --- |",
        *_rows(schema, defs),
        "",
        "## Body sections",
        "",
        "Below the front matter, the body is Markdown. Each type of entry must have these "
        "level-2 headings (`## Heading`); other sections may be added.",
        "",
    ]
    for term in project.vocabularies["types"].items:
        sections = ", ".join(term.get("sections", [])) or "none required"
        lines.append(f"- **{term['label']}** (`{term['id']}`): {sections}")
    lines += [
        "",
        "Two rules depend on other fields: `archived_reason` is required "
        "when `status` is `archived`, and `contact` needs an `email` or a `url`.",
        "",
    ]
    return "\n".join(lines)


def reference_path(project: Project) -> Path:
    return project.pages_dir / "fields.md"


def stale_docs(project: Project) -> list[Path]:
    """Generated files whose committed text differs from what would be generated now."""
    path = reference_path(project)
    current = path.read_text(encoding="utf-8") if path.is_file() else None
    return [] if current == field_reference(project) else [path]


def write_docs(project: Project) -> list[Path]:
    path = reference_path(project)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(field_reference(project), encoding="utf-8")
    return [path]
