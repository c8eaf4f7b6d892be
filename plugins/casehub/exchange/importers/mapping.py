"""Which source column or front matter key fills which field: mapping files, --map, --default, --where.

`read_mapping` reads a mapping file with the strict loader and checks its shape
against schemas/import-mapping.schema.json; `build_mapping` puts --map,
--default, --where and --skip on top and checks every default and every
crosswalk target (`values:`) against the vocabularies, so a bad mapping stops
the import (ImportUsageError, exit 2) before anything is written.

`ItemFilter` is the mapping's `where:` and `skip:` (and --where, --skip): which
rows of a spreadsheet, or files by their front matter, come in.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable
from pathlib import Path

from ...core.loader import LoadError
from ...core.project import Project
from .dates import parse_date
from .model import FIELDS, LIST_FIELDS, SECTION_PREFIX, ImportUsageError, Mapping
from .text import one_line, split_list
from .vocab import VOCABULARY_OF, Resolver, budget_band, label_key

MAX_SHOWN = 40  # characters of a source value quoted in a filter's reason


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
    for name, table in (data.get("values") or {}).items():
        check_field(str(name), f"{path}: values")
        if str(name).startswith(SECTION_PREFIX) or name == "body":
            raise ImportUsageError(f"{path}: values: '{name}' is not a field whose values can be crosswalked")
        crosswalk = mapping.values.setdefault(str(name), {})
        for label, target in (table or {}).items():
            crosswalk[str(label)] = _target(target)  # keyed as compared once checked (build_mapping)
    for key, target in (("where", mapping.where), ("skip", mapping.skip)):
        for column, value in (data.get(key) or {}).items():
            values = value if isinstance(value, list) else [value]
            target.setdefault(str(column), []).extend(_text_value(v) for v in values)
    for name in mapping.fields:
        check_field(name, str(path))
    if any(name.startswith(SECTION_PREFIX) for name in mapping.defaults) or "body" in mapping.defaults:
        raise ImportUsageError(f"{path}: defaults cannot give a body or a section")
    for name in mapping.defaults:
        check_field(name, f"{path}: defaults")
    return mapping


def _text_value(value) -> str:
    return "" if value is None else str(value)  # a number, as written: the schema lets nothing else through


def _target(value) -> str | list[str] | None:
    """A crosswalk's target as given: None (not a value), a text, or several texts."""
    if value is None or value == "":
        return None
    if isinstance(value, list):
        return [_text_value(v) for v in value if v not in (None, "")] or None
    return _text_value(value)


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


def parse_filters(pairs: tuple[str, ...] | list[str], option: str) -> dict[str, list[str]]:
    """`COLUMN=VALUE` pairs from the command line; a column given more than once takes any of its values."""
    found: dict[str, list[str]] = {}
    for pair in pairs:
        column, sep, value = pair.partition("=")
        if not sep or not column.strip():
            raise ImportUsageError(f"{option} {pair!r}: write COLUMN=VALUE, for example {option} Status=Published")
        found.setdefault(column.strip(), []).append(value.strip())
    return found


def build_mapping(project: Project, mapping_file: Path | None, maps: dict[str, str], defaults: dict[str, str],
                  where: dict[str, list[str]] | None = None, skip: dict[str, list[str]] | None = None) -> Mapping:
    """The mapping file (if any), with --map, --default, --where and --skip on top; defaults and crosswalk
    targets are checked against the vocabularies."""
    mapping = read_mapping(mapping_file) if mapping_file else Mapping()
    for given, target in ((where or {}, mapping.where), (skip or {}, mapping.skip)):
        for column, values in given.items():
            target.setdefault(column, []).extend(values)
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
    for name, crosswalk in mapping.values.items():
        mapping.values[name] = {label_key(label) or label: _checked_target(resolver, name, label, target)
                                for label, target in crosswalk.items()}
    return mapping


def _checked_target(resolver: Resolver, name: str, label: str, target):
    """A crosswalk target as the value it stands for (a vocabulary id), or ImportUsageError naming it."""
    if target is None:
        return None
    targets = target if isinstance(target, list) else [target]
    if len(targets) > 1 and name not in LIST_FIELDS:
        raise ImportUsageError(f"values: {name}: '{label}' is given {len(targets)} values, but an entry has "
                               f"one {name.replace('_', ' ')}")
    found = []
    for value in targets:
        vocabulary = VOCABULARY_OF.get(name)
        if vocabulary:
            term = resolver.term(vocabulary, value)
            if not term:
                close = resolver.closest(vocabulary, value)
                hint = f" (did you mean '{close}'?)" if close else ""
                raise ImportUsageError(f"values: {name}: '{label}' is mapped to '{value}', which is not in "
                                       f"data/{vocabulary}.yaml{hint}")
        elif name == "nation":
            term = resolver.nation(value)
            if not term:
                raise ImportUsageError(f"values: nation: '{label}' is mapped to '{value}', which is not England, "
                                       "Scotland, Wales, Northern Ireland or UK")
        elif name == "licence":
            term = resolver.term("licence", value)
            if not term:
                raise ImportUsageError(f"values: licence: '{label}' is mapped to '{value}', which is not a licence "
                                       "Casehub publishes under (OGL-UK-3.0, CC-BY-4.0, CC-BY-SA-4.0, CC0-1.0)")
        elif name == "budget_band":
            term = budget_band(value, resolver)
            if not term:
                raise ImportUsageError(f"values: budget_band: '{label}' is mapped to '{value}', which is not a "
                                       "budget band or an amount")
        else:
            term = one_line(value)[0]
        found.append(term)
    return found if isinstance(target, list) else found[0]


class ItemFilter:
    """Which items come in: each `where` column has one of its values, and no `skip` column has one of its.

    Values are compared ignoring case and the spaces around them; `*` and `?` match any characters; an
    empty value means the column is empty (or missing). `reason` says why an item was left out."""

    def __init__(self, where: dict[str, list[str]], skip: dict[str, list[str]]):
        self.where = where
        self.skip = skip

    def __bool__(self) -> bool:
        return bool(self.where or self.skip)

    @property
    def columns(self) -> list[str]:
        return list(dict.fromkeys([*self.where, *self.skip]))

    def reason(self, lookup: Callable[[str], object]) -> str:
        """'' if the item comes in; otherwise why not, in words. `lookup(column)` gives the item's value."""
        for column, values in self.where.items():
            value = _shown(lookup(column))
            if not any(_matches(value, wanted) for wanted in values):
                wanted = " or ".join(f"'{v}'" for v in values)
                return f"left out by the filter: {column} is {_quoted(value)}, not {wanted}"
        for column, values in self.skip.items():
            value = _shown(lookup(column))
            if any(_matches(value, unwanted) for unwanted in values):
                return f"left out by the filter: {column} is {_quoted(value)}"
        return ""


def _shown(value) -> str:
    if isinstance(value, (list, tuple)):
        return "; ".join(str(v) for v in value if v is not None)
    return "" if value is None or isinstance(value, dict) else str(value)


def _quoted(value: str) -> str:
    value = " ".join(value.split())
    return f"'{value[:MAX_SHOWN]}{'…' if len(value) > MAX_SHOWN else ''}'" if value else "empty"


def _matches(value: str, wanted: str) -> bool:
    value, wanted = " ".join(value.split()).casefold(), " ".join(wanted.split()).casefold()
    if not wanted:
        return not value
    if "*" not in wanted and "?" not in wanted:
        return value == wanted
    pattern = re.escape(wanted).replace(r"\*", ".*").replace(r"\?", ".")
    return re.fullmatch(pattern, value, re.DOTALL) is not None
