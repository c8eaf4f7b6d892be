"""Which source column or front matter key fills which field: mapping files, --map and --default.

`read_mapping` reads a mapping file with the strict loader and checks its shape
against schemas/import-mapping.schema.json; `build_mapping` puts --map and
--default on top and checks every default against the vocabularies, so a bad
mapping stops the import (ImportUsageError, exit 2) before anything is written.
"""

from __future__ import annotations

import difflib
from pathlib import Path

from ...core.loader import LoadError
from ...core.project import Project
from .dates import parse_date
from .model import FIELDS, SECTION_PREFIX, ImportUsageError, Mapping
from .text import split_list
from .vocab import Resolver


def check_field(name: str, where: str) -> None:
    if name.startswith(SECTION_PREFIX) and name[len(SECTION_PREFIX):].strip():
        return
    if name not in FIELDS:
        close = difflib.get_close_matches(name, list(FIELDS), n=1)
        hint = f"did you mean '{close[0]}'? " if close else ""
        raise ImportUsageError(f"{where}: '{name}' is not a field the importer fills — {hint}use one of: "
                               + ", ".join(FIELDS) + f", or {SECTION_PREFIX}<Heading> for a body section")


def read_mapping(path: Path) -> Mapping:
    """A mapping file (YAML, read with the strict loader): name, map, sections and defaults.

    Its shape is checked against schemas/import-mapping.schema.json; the fields it names, here."""
    from ...core.loader import load_data_document
    from ...core.schema import data_findings

    if not path.is_file():
        raise ImportUsageError(f"{path}: no such mapping file")
    try:
        document = load_data_document(path, str(path))
    except LoadError as error:
        raise ImportUsageError(f"the mapping file cannot be read: {error.finding}") from None
    problems = data_findings(document, "import-mapping")
    if problems:
        raise ImportUsageError("\n".join(str(problem) for problem in sorted(problems)))
    data = document.metadata
    mapping = Mapping(name=_text_value(data.get("name")))
    for key, target in (("map", mapping.fields), ("sections", mapping.sections), ("defaults", mapping.defaults)):
        for name, value in (data.get(key) or {}).items():
            target[str(name)] = _text_value(value)
    for name in mapping.fields:
        check_field(name, str(path))
    if any(name.startswith(SECTION_PREFIX) for name in mapping.defaults) or "body" in mapping.defaults:
        raise ImportUsageError(f"{path}: defaults cannot give a body or a section")
    for name in mapping.defaults:
        check_field(name, f"{path}: defaults")
    return mapping


def _text_value(value) -> str:
    return "" if value is None else str(value)  # a number, as written: the schema lets nothing else through


def parse_pairs(pairs: tuple[str, ...] | list[str], option: str) -> dict[str, str]:
    """`FIELD=VALUE` pairs from the command line."""
    found: dict[str, str] = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        name = name.strip()
        if not sep or not name:
            raise ImportUsageError(f"{option} {pair!r}: write FIELD=VALUE, for example {option} title=\"Project name\"")
        found[name] = value.strip()
    return found


def build_mapping(project: Project, mapping_file: Path | None, maps: dict[str, str], defaults: dict[str, str]
                  ) -> Mapping:
    """The mapping file (if any), with --map and --default on top; defaults are checked against the vocabularies."""
    mapping = read_mapping(mapping_file) if mapping_file else Mapping()
    for name, column in maps.items():
        check_field(name, "--map")
        if name.startswith(SECTION_PREFIX):
            mapping.sections[name[len(SECTION_PREFIX):].strip()] = column
        else:
            mapping.fields[name] = column
    for name, value in defaults.items():
        if name == "body" or name.startswith(SECTION_PREFIX):
            raise ImportUsageError("--default cannot give a body or a section")
        check_field(name, "--default")
        mapping.defaults[name] = value
    for name in list(mapping.fields):  # section:<Heading> given in the map section of a file
        if name.startswith(SECTION_PREFIX):
            mapping.sections[name[len(SECTION_PREFIX):].strip()] = mapping.fields.pop(name)
    resolver = Resolver(project)
    vocabularies = {"type": "types", "region": "regions", "council_type": "council-types", "stage": "stages"}
    for name, value in mapping.defaults.items():
        problem = ""
        if name in vocabularies and not resolver.term(vocabularies[name], value):
            problem = f"not in data/{vocabularies[name]}.yaml"
        elif name == "topics" and not all(resolver.term("topics", v) for v in split_list(value)):
            problem = "not all of them are in data/topics.yaml"
        elif name == "nation" and not resolver.nation(value):
            problem = "not England, Scotland, Wales, Northern Ireland or UK"
        elif name == "published" and not parse_date(value)[0]:
            problem = "not a date"
        if problem:
            raise ImportUsageError(f"the default {name} '{value}' is {problem}")
    return mapping
