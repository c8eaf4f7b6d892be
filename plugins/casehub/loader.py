"""The one strict loader: an entry file in, metadata, body and positions out.

Used by the CLI, the Pelican build and the tests alike. It owns the file
format (UTF-8, a `---` front matter block, then Markdown) and a deliberately
small YAML: mappings, sequences and scalars, with no anchors, aliases, tags or
merge keys, and with YAML 1.1 look-alikes (`yes`, `1.10`, `0755`, `12:30`,
unquoted dates) kept as strings so the schema decides what they should be.

It raises only `LoadError`, whose finding says where and how to fix the
problem. It never writes to a file and knows nothing about the schema.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from .findings import CasehubError, Finding, join_pointer

try:
    _Loader = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - PyYAML built without libyaml
    _Loader = yaml.SafeLoader

MAX_FILE_BYTES = 1_000_000
MAX_FRONT_MATTER_LINES = 2_000
MAX_DEPTH = 8
MAX_ITEMS = 1_000
MAX_NUMBER_CHARS = 20

# C0/C1 controls other than tab, newline and carriage return; bidirectional
# overrides and isolates (the "Trojan Source" characters); a stray BOM.
_FORBIDDEN_CHARS = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\ufeff]"
)
_INT = re.compile(r"-?(0|[1-9][0-9]*)")
# A decimal with no trailing zero, so the number reads back as it was written.
_FLOAT = re.compile(r"-?(0|[1-9][0-9]*)\.[0-9]*[1-9]")
_NUMBERISH = re.compile(r"[-+]?[0-9][0-9_.,eE+-]*")
_DELIMITER = re.compile(r"---[ \t]*")
_CLOSING = re.compile(r"(---|\.\.\.)[ \t]*")


class LoadError(CasehubError):
    """A file that cannot be read as an entry. Carries one located finding."""

    def __init__(self, finding: Finding):
        self.finding = finding
        super().__init__(str(finding))


@dataclass
class Document:
    """A loaded entry file: front matter as plain data, the Markdown body, and
    the 1-based (line, column) of every key and value, by JSON pointer."""

    path: Path
    display_path: str
    metadata: dict
    body: str
    body_line: int
    positions: dict[str, tuple[int, int]] = field(default_factory=dict)
    key_positions: dict[str, tuple[int, int]] = field(default_factory=dict)
    html: str | None = None  # the body rendered, when validation was asked to render it

    @property
    def id(self) -> str:
        """The entry's id is its file name, or its folder's name for `index.md`."""
        if self.path.name == "index.md":
            return self.path.parent.name
        return self.path.stem

    def position(self, pointer: str) -> tuple[int, int]:
        """Where a field's value starts; falls back to its nearest ancestor."""
        while True:
            if pointer in self.positions:
                return self.positions[pointer]
            if not pointer:
                return (1, 1)
            pointer = pointer.rsplit("/", 1)[0]

    def key_position(self, pointer: str) -> tuple[int, int]:
        return self.key_positions.get(pointer) or self.position(pointer)


def load(path: Path | str, display_path: str | None = None) -> Document:
    """Read and parse one entry file. Raises LoadError on any problem."""
    path = Path(path)
    shown = display_path or str(path)
    try:
        if path.is_symlink():
            raise _error(shown, 1, 1, "no-symlink", "the file is a symbolic link",
                         "replace the link with the file itself")
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise _error(shown, 1, 1, "file-size",
                         f"the file is {size:,} bytes, over the limit of {MAX_FILE_BYTES:,}",
                         "split it, or move large material to a linked document")
        data = path.read_bytes()
    except OSError as exc:
        raise _error(shown, 1, 1, "unreadable", f"the file cannot be read ({exc.strerror})",
                     "check the path and its permissions") from None
    return parse(data, path, shown)


def parse(data: bytes, path: Path | str = "<entry>", display_path: str | None = None) -> Document:
    """Parse an entry from bytes. Raises LoadError on any problem."""
    path = Path(path)
    shown = display_path or str(path)
    text = _decode(data, shown)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    _check_characters(text, shown)
    lines = text.split("\n")
    if not lines or not _DELIMITER.fullmatch(lines[0]):
        raise _error(shown, 1, 1, "front-matter-missing",
                     "the file does not start with front matter",
                     "make the first line three dashes (---), then the fields, then another ---")
    end = next((i for i in range(1, len(lines)) if _CLOSING.fullmatch(lines[i])), None)
    if end is None:
        raise _error(shown, 1, 1, "front-matter-unterminated",
                     "the front matter starts here but never ends",
                     "add a line of three dashes (---) after the last field")
    if end - 1 > MAX_FRONT_MATTER_LINES:
        raise _error(shown, 1, 1, "front-matter-size",
                     f"the front matter is {end - 1:,} lines long",
                     f"keep it under {MAX_FRONT_MATTER_LINES:,} lines; put long text in the body")
    source = "\n".join(lines[1:end]) + "\n"
    builder = _Builder(shown, line_offset=1)
    metadata = builder.build(source)
    if metadata is None:
        raise _error(shown, 1, 1, "front-matter-empty", "the front matter is empty",
                     "add the required fields between the two --- lines (see examples/minimal.md)")
    if not isinstance(metadata, dict):
        line, col = builder.positions[""]
        raise _error(shown, line, col, "front-matter-not-mapping",
                     "the front matter is not a list of fields",
                     "write each field on its own line as 'name: value'")
    body = "\n".join(lines[end + 1:])
    return Document(path, shown, metadata, body, end + 2, builder.positions, builder.key_positions)


def load_data_file(path: Path, display_path: str | None = None) -> tuple[object, dict[str, tuple[int, int]]]:
    """Parse a YAML data file (a vocabulary, for example) with the same strict rules.

    Returns the data and the (line, column) of every value, by JSON pointer."""
    shown = display_path or str(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise _error(shown, 1, 1, "unreadable", f"the file cannot be read ({exc.strerror})",
                     "check the path and its permissions") from None
    text = _decode(data, shown).replace("\r\n", "\n")
    _check_characters(text, shown)
    builder = _Builder(shown, line_offset=0)
    return builder.build(text), builder.positions


def _error(path: str, line: int, column: int, rule: str, message: str, hint: str,
           pointer: str = "") -> LoadError:
    return LoadError(Finding(path, line, column, rule, message, hint, pointer))


def _decode(data: bytes, shown: str) -> str:
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        before = data[: exc.start]
        line = before.count(b"\n") + 1
        column = len(before[before.rfind(b"\n") + 1:].decode("utf-8", "replace")) + 1
        raise _error(shown, line, column, "encoding",
                     f"byte 0x{data[exc.start]:02x} is not valid UTF-8",
                     "save the file as UTF-8 (most editors offer this under 'Save as' or 'Encoding')"
                     ) from None


def _check_characters(text: str, shown: str) -> None:
    match = _FORBIDDEN_CHARS.search(text)
    if match:
        line = text.count("\n", 0, match.start()) + 1
        column = match.start() - (text.rfind("\n", 0, match.start()) + 1) + 1
        char = match.group()
        kind = ("a bidirectional-text control character"
                if "\u061c" <= char <= "\u2069" else "an invisible control character")
        raise _error(shown, line, column, "control-character",
                     f"the file contains {kind} (U+{ord(char):04X})",
                     "delete it; if you pasted this text, retype the line")


# libyaml's wording, mapped to advice a contributor can act on.
_YAML_ADVICE = [
    ("mapping values are not allowed",
     "this value contains ': ', which YAML reads as a new field",
     "put the value in quotes"),
    ("found character that cannot start any token",
     "this line starts with a character YAML cannot read here",
     "indent with spaces, not tabs, and put values starting with @, ` or % in quotes"),
    ("found unexpected end of stream",
     "a quoted value is never closed",
     "add the closing quote mark"),
    ("found unknown escape character",
     "a backslash in double quotes starts an unknown escape",
     "use single quotes, or write \\\\ for a backslash"),
    ("did not find expected key",
     "the indentation here does not line up with the lines above",
     "line up fields at the same level with the same number of spaces"),
    ("could not find expected ':'",
     "a line here is not in 'name: value' form",
     "add a colon and a space after the field name, or put the text in quotes"),
    ("did not find expected '-' indicator",
     "a list item here does not line up with the others",
     "start every item of a list with '- ' at the same indentation"),
    ("found a tab character",
     "a tab is used for indentation",
     "indent with spaces, not tabs"),
    ("did not find expected node content",
     "a value is missing or starts with a character YAML cannot read",
     "put the value in quotes"),
    ("found undefined tag handle",
     "tags (!name) are not allowed",
     "remove the tag; write the plain value"),
]


class _Builder:
    """Turns YAML parse events into plain data, recording positions as it goes."""

    def __init__(self, shown: str, line_offset: int):
        self.shown = shown
        self.offset = line_offset
        self.positions: dict[str, tuple[int, int]] = {}
        self.key_positions: dict[str, tuple[int, int]] = {}

    def build(self, source: str):
        parser = _Loader(source)
        # The parser's own get_event, not yaml.parse's generator: half the calls per event.
        self._next = parser.get_event
        try:
            self._expect(yaml.StreamStartEvent)
            event = self._next()
            if isinstance(event, yaml.StreamEndEvent):
                return None
            value = self._node(self._next(), "", 0)
            self._expect(yaml.DocumentEndEvent)
            event = self._next()
            if not isinstance(event, yaml.StreamEndEvent):
                raise self._fail(event, "more-than-one-document",
                                 "there is more than one YAML document here",
                                 "remove the extra --- or ... line")
            return value
        except yaml.MarkedYAMLError as exc:
            raise self._yaml_error(exc) from None
        finally:
            parser.dispose()

    def _expect(self, kind):
        event = self._next()
        assert isinstance(event, kind), event  # the parser guarantees the order
        return event

    def _where(self, event) -> tuple[int, int]:
        mark = event.start_mark
        return (mark.line + 1 + self.offset, mark.column + 1)

    def _fail(self, event, rule, message, hint, pointer="") -> LoadError:
        line, col = self._where(event)
        return _error(self.shown, line, col, rule, message, hint, pointer)

    def _yaml_error(self, exc: yaml.MarkedYAMLError) -> LoadError:
        problem = exc.problem or ""
        # At the end of the file, where the problem started is more useful.
        if "end of stream" in problem and exc.context_mark:
            mark = exc.context_mark
        else:
            mark = exc.problem_mark or exc.context_mark
        line = (mark.line if mark else 0) + 1 + self.offset
        col = (mark.column if mark else 0) + 1
        for needle, message, hint in _YAML_ADVICE:
            if needle in problem:
                return _error(self.shown, line, col, "yaml-syntax", message, hint)
        return _error(self.shown, line, col, "yaml-syntax",
                      f"the front matter is not valid YAML ({problem})",
                      "compare this line with examples/full.md")

    def _node(self, event, pointer: str, depth: int):
        if depth > MAX_DEPTH:
            raise self._fail(event, "too-deep", f"the fields nest more than {MAX_DEPTH} levels deep",
                             "flatten the structure; see examples/full.md", pointer)
        if isinstance(event, yaml.AliasEvent):
            raise self._fail(event, "yaml-alias", f"the alias *{event.anchor} is not allowed",
                             "write the value out in full instead of referring to an anchor",
                             pointer)
        if getattr(event, "anchor", None):
            raise self._fail(event, "yaml-anchor", f"the anchor &{event.anchor} is not allowed",
                             "remove the anchor; write each value out in full", pointer)
        tag = getattr(event, "tag", None)
        if tag:
            tag = tag.replace("tag:yaml.org,2002:", "!!")
            raise self._fail(event, "yaml-tag", f"the tag {tag} is not allowed",
                             "remove the tag and write the plain value", pointer)
        self.positions[pointer] = self._where(event)
        if isinstance(event, yaml.ScalarEvent):
            return self._scalar(event, pointer)
        if isinstance(event, yaml.SequenceStartEvent):
            return self._sequence(pointer, depth)
        if isinstance(event, yaml.MappingStartEvent):
            return self._mapping(pointer, depth)
        raise self._fail(event, "yaml-syntax", "unexpected YAML structure",  # pragma: no cover
                         "compare this line with examples/full.md", pointer)

    def _sequence(self, pointer: str, depth: int) -> list:
        items = []
        while not isinstance(event := self._next(), yaml.SequenceEndEvent):
            if len(items) >= MAX_ITEMS:
                raise self._fail(event, "too-many-items", f"the list has more than {MAX_ITEMS} items",
                                 "shorten the list", pointer)
            items.append(self._node(event, join_pointer(pointer, len(items)), depth + 1))
        return items

    def _mapping(self, pointer: str, depth: int) -> dict:
        mapping: dict = {}
        while not isinstance(event := self._next(), yaml.MappingEndEvent):
            key = self._key(event, pointer)
            child = join_pointer(pointer, key)
            if key in mapping:
                first = self.key_positions[child]
                raise self._fail(event, "duplicate-key",
                                 f"'{key}' appears twice (first on line {first[0]})",
                                 "keep one of them and delete the other", child)
            if len(mapping) >= MAX_ITEMS:
                raise self._fail(event, "too-many-items", f"more than {MAX_ITEMS} fields",
                                 "remove fields", pointer)
            self.key_positions[child] = self._where(event)
            mapping[key] = self._node(self._next(), child, depth + 1)
        return mapping

    def _key(self, event, pointer: str) -> str:
        if not isinstance(event, yaml.ScalarEvent) or event.anchor or event.tag:
            if isinstance(event, (yaml.ScalarEvent, yaml.AliasEvent)):
                self._node(event, pointer, 0)  # raises the anchor, alias or tag error
            raise self._fail(event, "key-not-text", "a field name here is a list or a mapping",
                             "field names are single words such as 'title'", pointer)
        plain = event.implicit[0] and not event.style
        if plain and event.value == "<<":
            raise self._fail(event, "yaml-merge-key", "merge keys (<<) are not allowed",
                             "write the fields out in full", pointer)
        if plain and not isinstance(self._resolve_plain(event, pointer), str):
            raise self._fail(event, "key-not-text",
                             f"the field name {event.value or '(empty)'} is not text",
                             "field names are words such as 'title'", pointer)
        return event.value

    def _scalar(self, event, pointer: str):
        if not (event.implicit[0] and not event.style):
            return event.value  # quoted or block scalars are always text
        return self._resolve_plain(event, pointer)

    def _resolve_plain(self, event, pointer: str):
        value = event.value
        if value in ("", "~", "null"):
            return None
        if value in ("true", "false"):
            return value == "true"
        if _NUMBERISH.fullmatch(value) and len(value) > MAX_NUMBER_CHARS:
            raise self._fail(event, "number-too-long",
                             f"the number is {len(value)} characters long",
                             f"numbers may have at most {MAX_NUMBER_CHARS} characters; "
                             "round it, or put it in quotes if it is text", pointer)
        if _INT.fullmatch(value):
            return int(value)
        if _FLOAT.fullmatch(value):
            return float(value)
        return value
