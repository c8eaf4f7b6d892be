"""The one strict loader: an entry file in, metadata, body and positions out.

Used by the CLI, the Pelican build and the tests alike. It owns the file
format (UTF-8, a `---` front matter block, then Markdown) and a deliberately
small YAML: mappings, sequences and scalars, with no anchors, aliases, tags or
merge keys, and with YAML 1.1 look-alikes (`yes`, `1.10`, `0755`, `12:30`,
unquoted dates) kept as strings so the schema decides what they should be.

It raises only `LoadError`, whose finding says where and how to fix the
problem. It never writes to a file and knows nothing about the schema.

Why it is longer than the other modules: it holds three readers of the same
small YAML that must agree exactly — a line reader for the plain form most
entries use, libyaml's events without positions, and the full walk that keeps
the position of every key and value for findings — and the guards that send
anything the fast two are unsure of to the full one. Kept side by side so a
change to the format is made in one place; tests/test_loader_readers.py
compares them.
"""

from __future__ import annotations

import os
import re
import stat
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from .findings import CasehubError, Finding, join_pointer
from .safetext import ASCII_CONTROLS, FORBIDDEN_CHARS, character_kind, unsafe_character

try:
    from yaml import CSafeLoader as _Loader
    from yaml.cyaml import CParser as _Parser  # the loader's parser alone: the same events, less set-up
except ImportError:  # pragma: no cover - PyYAML built without libyaml
    from yaml import SafeLoader as _Loader
    _Parser = _Loader

MAX_FILE_BYTES = 1_000_000
MAX_FRONT_MATTER_LINES = 2_000
MAX_DEPTH = 8
MAX_ITEMS = 1_000
MAX_NUMBER_CHARS = 20

_INT = re.compile(r"-?(0|[1-9][0-9]*)")
# A decimal with no trailing zero, so the number reads back as it was written.
_FLOAT = re.compile(r"-?(0|[1-9][0-9]*)\.[0-9]*[1-9]")
_NUMBERISH = re.compile(r"[-+]?[0-9][0-9_.,eE+-]*")
_DELIMITER = re.compile(r"---[ \t]*")
_CLOSING_LINE = re.compile(r"^(---|\.\.\.)[ \t]*$", re.MULTILINE)  # only \n ends a line, as in str.split


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
    cache_key: str | None = field(default=None, repr=False, compare=False)  # its key in the content cache
    # The body's prose lines, worked out once by `rules.body_lines` for the checks that read them.
    prose_lines: list[tuple[int, str]] | None = field(default=None, repr=False, compare=False)

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


def load(path: Path | str, display_path: str | None = None, positions: bool = True) -> Document:
    """Read and parse one entry file. Raises LoadError on any problem.

    Without `positions` the document's positions are left empty, which parses
    faster; see `parse`."""
    path = Path(path)
    shown = display_path or str(path)
    return parse(read_entry(path, shown), path, shown, positions)


def read_entry(path: Path | str, shown: str) -> bytes:
    """An entry file's bytes, once it is known to be a readable regular-sized file, not a link.

    One lstat answers both questions: for a file that is not a link it is the
    same as stat."""
    try:
        status = os.lstat(path)
        if stat.S_ISLNK(status.st_mode):
            raise _error(shown, 1, 1, "no-symlink", "the file is a symbolic link",
                         "replace the link with the file itself")
        if status.st_size > MAX_FILE_BYTES:
            raise _error(shown, 1, 1, "file-size",
                         f"the file is {status.st_size:,} bytes, over the limit of {MAX_FILE_BYTES:,}",
                         "split it, or move large material to a linked document")
        with open(path, "rb") as file:
            return file.read()
    except OSError as exc:
        raise _error(shown, 1, 1, "unreadable", f"the file cannot be read ({exc.strerror})",
                     "check the path and its permissions") from None


def parse(data: bytes, path: Path | str = "<entry>", display_path: str | None = None,
          positions: bool = True) -> Document:
    """Parse an entry from bytes. Raises LoadError on any problem.

    Positions are only needed to locate findings, and recording them is most of
    the cost of parsing, so without `positions` the front matter is read without
    them: by `_read_simply` if it is in the plain form most entries take, else by
    `_read_plainly`. The data, the body and every LoadError are the same either
    way: whatever those readers are not sure of, they hand on, in the end to the
    full walk. A caller that finds a problem in such a document parses it again
    with positions to say where the problem is."""
    path = Path(path)
    shown = display_path or str(path)
    text = _decode(data, shown)
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    _check_characters(text, shown)
    # Lines are found by searching the text rather than splitting it: most of it is body.
    first_end = text.find("\n")
    if not _DELIMITER.fullmatch(text if first_end < 0 else text[:first_end]):
        raise _error(shown, 1, 1, "front-matter-missing",
                     "the file does not start with front matter",
                     "make the first line three dashes (---), then the fields, then another ---")
    closing = _CLOSING_LINE.search(text, first_end + 1) if first_end >= 0 else None
    if closing is None:
        raise _error(shown, 1, 1, "front-matter-unterminated",
                     "the front matter starts here but never ends",
                     "add a line of three dashes (---) after the last field")
    end = text.count("\n", 0, closing.start())  # the closing line's index, counting from 0
    if end - 1 > MAX_FRONT_MATTER_LINES:
        raise _error(shown, 1, 1, "front-matter-size",
                     f"the front matter is {end - 1:,} lines long",
                     f"keep it under {MAX_FRONT_MATTER_LINES:,} lines; put long text in the body")
    source = text[first_end + 1:closing.start()] or "\n"  # each line ends in a newline
    body = text[closing.end() + 1:]
    escapes = "\\" in source  # a double-quoted escape may make a character the check above cannot see
    if not positions:
        for read in (_read_simply, _read_plainly):
            try:
                metadata = read(source)
            except _Unsure:
                continue  # the next reader decides; the full walk below raises the located error, if any
            if not escapes or _unsafe_value(metadata, "") is None:
                return Document(path, shown, metadata, body, end + 2)
            break  # the full walk below says where
    builder = _Builder(shown, line_offset=1)
    metadata = builder.build(source)
    if escapes:
        _check_values(metadata, builder, shown)
    if metadata is None:
        raise _error(shown, 1, 1, "front-matter-empty", "the front matter is empty",
                     "add the required fields between the two --- lines (see examples/minimal.md)")
    if not isinstance(metadata, dict):
        line, col = builder.positions[""]
        raise _error(shown, line, col, "front-matter-not-mapping",
                     "the front matter is not a list of fields",
                     "write each field on its own line as 'name: value'")
    return Document(path, shown, metadata, body, end + 2, builder.positions, builder.key_positions)


def load_data_file(path: Path, display_path: str | None = None) -> tuple[object, dict[str, tuple[int, int]]]:
    """Parse a YAML data file (a vocabulary, for example) with the same strict rules.

    Returns the data and the (line, column) of every value, by JSON pointer."""
    document = load_data_document(path, display_path)
    return document.metadata, document.positions


def load_data_document(path: Path, display_path: str | None = None) -> Document:
    """A YAML data file read as `load_data_file` reads it, as a Document: its data
    (of any type, not only a mapping) as `metadata`, no body, and the positions of
    its keys and values, so `schema.data_findings` can locate what it finds."""
    shown = display_path or str(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise _error(shown, 1, 1, "unreadable", f"the file cannot be read ({exc.strerror})",
                     "check the path and its permissions") from None
    text = _decode(data, shown).replace("\r\n", "\n")
    _check_characters(text, shown)
    builder = _Builder(shown, line_offset=0)
    data = builder.build(text)
    if "\\" in text:
        _check_values(data, builder, shown)
    return Document(Path(path), shown, data, "", 0, builder.positions, builder.key_positions)


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
    if text.isascii():  # the usual case: deleting the controls from the bytes is much faster than a search
        raw = text.encode("ascii")
        if len(raw.translate(None, ASCII_CONTROLS)) == len(raw):
            return
    match = FORBIDDEN_CHARS.search(text)
    if match:
        line = text.count("\n", 0, match.start()) + 1
        column = match.start() - (text.rfind("\n", 0, match.start()) + 1) + 1
        char = match.group()
        raise _error(shown, line, column, "control-character",
                     f"the file contains {character_kind(char)} (U+{ord(char):04X})",
                     "delete it; if you pasted this text, retype the line")


def _check_values(data, builder: _Builder, shown: str) -> None:
    """Refuse a parsed value or field name holding a character the file itself may not.

    A double-quoted YAML value can spell any character as an escape (`"\\u202E"`,
    `"\\0"`, `"\\e"`), which the check of the file's text cannot see."""
    found = _unsafe_value(data, "")
    if found is None:
        return
    pointer, char, in_key = found
    line, column = (builder.key_positions if in_key else builder.positions).get(pointer) or (1, 1)
    where = "field name" if in_key else "value"
    raise _error(shown, line, column, "control-character",
                 f"the {where} contains {character_kind(char)} (U+{ord(char):04X}), written as an escape",
                 f"remove the backslash escape that writes U+{ord(char):04X} from the quoted {where}", pointer)


def _unsafe_value(value, pointer: str) -> tuple[str, str, bool] | None:
    """(pointer, character, whether in a field name) of the first unsafe character in parsed data."""
    if isinstance(value, str):
        match = unsafe_character(value)
        return (pointer, match.group(), False) if match else None
    if isinstance(value, dict):
        for key, child in value.items():
            child_pointer = join_pointer(pointer, key)
            match = unsafe_character(key) if isinstance(key, str) else None
            if match:
                return child_pointer, match.group(), True
            if (found := _unsafe_value(child, child_pointer)) is not None:
                return found
    elif isinstance(value, list):
        for index, child in enumerate(value):
            if (found := _unsafe_value(child, join_pointer(pointer, index))) is not None:
                return found
    return None


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
        try:
            return _plain_value(event.value)
        except _NumberTooLong:
            raise self._fail(event, "number-too-long",
                             f"the number is {len(event.value)} characters long",
                             f"numbers may have at most {MAX_NUMBER_CHARS} characters; "
                             "round it, or put it in quotes if it is text", pointer) from None


# --- Reading without positions ----------------------------------------------
#
# Validation reads every entry but needs positions only for the few with
# findings (see `parse`), so two readers give the front matter's data alone:
# `_read_simply`, for the plain form most entries are written in, and
# `_read_plainly`, for any YAML. Neither refuses anything itself: each raises
# _Unsure at whatever it is not sure of, and the next one (in the end the full
# walk, `_Builder`) decides, so every LoadError is made, and located, in one place.

class _Unsure(Exception):
    """Raised by a reader without positions at anything it leaves to the next."""


class _NumberTooLong(_Unsure):
    """A plain scalar that is a number of more than MAX_NUMBER_CHARS characters."""


_PLAIN_CONSTANTS = {"": None, "~": None, "null": None, "true": True, "false": False}
_NUMBER_START = frozenset("+-0123456789")  # every number pattern starts with one of these


def _plain_value(value: str):
    """What an unquoted scalar means: null, true or false, a whole number, a decimal
    that reads back as written, or else the text itself. The one definition, for
    all three readers."""
    if value in _PLAIN_CONSTANTS:
        return _PLAIN_CONSTANTS[value]
    if value[0] not in _NUMBER_START:  # most values: no number pattern can match
        return value
    if len(value) > MAX_NUMBER_CHARS and _NUMBERISH.fullmatch(value):
        raise _NumberTooLong
    if _INT.fullmatch(value):
        return int(value)
    if _FLOAT.fullmatch(value):
        return float(value)
    return value


def _read_plainly(source: str) -> dict:
    """The front matter as `_Builder` reads it, but recording no positions.

    The same libyaml events, read into the same data by the same rules, with no
    JSON pointers or marks and one function call per collection rather than per
    value. It accepts only what the full walk accepts without complaint (a mapping
    at the top, no anchors, aliases, tags or merge keys, no repeated keys, within
    the limits) and raises _Unsure at anything else, YAML errors included.
    (Module functions, not closures: closures that call each other make a
    reference cycle per document for the garbage collector.)"""
    parser = _Parser(source)
    next_event = parser.get_event
    try:
        next_event()  # the start of the stream
        if type(next_event()) is not yaml.DocumentStartEvent:
            raise _Unsure  # empty
        event = next_event()
        if type(event) is not _MAPPING_START or event.anchor or event.tag:
            raise _Unsure
        data = _plain_mapping(next_event, 0)
        if type(next_event()) is not yaml.DocumentEndEvent or type(next_event()) is not yaml.StreamEndEvent:
            raise _Unsure
        return data
    except yaml.YAMLError:
        raise _Unsure from None
    finally:
        parser.dispose()


_SCALAR, _MAPPING_START, _SEQUENCE_START = yaml.ScalarEvent, yaml.MappingStartEvent, yaml.SequenceStartEvent
_MAPPING_END, _SEQUENCE_END = yaml.MappingEndEvent, yaml.SequenceEndEvent


def _plain_node(next_event, event, depth: int):
    kind = type(event)
    if kind is not _SCALAR and kind is not _MAPPING_START and kind is not _SEQUENCE_START:
        raise _Unsure  # an alias
    if depth > MAX_DEPTH or event.anchor or event.tag:
        raise _Unsure
    if kind is _SCALAR:
        if event.style or not event.implicit[0]:
            return event.value  # quoted or block scalars are always text
        return _plain_value(event.value)
    if kind is _MAPPING_START:
        return _plain_mapping(next_event, depth)
    return _plain_sequence(next_event, depth)


def _plain_mapping(next_event, depth: int) -> dict:
    fields: dict = {}
    while type(event := next_event()) is not _MAPPING_END:
        if type(event) is not _SCALAR or event.anchor or event.tag:
            raise _Unsure
        key = event.value
        if not event.style and event.implicit[0] and (key in _PLAIN_CONSTANTS or key[0] in _NUMBER_START
                                                      or key == "<<"):
            raise _Unsure  # a merge key, a field name that is not text, or one that may be a number
        if key in fields or len(fields) >= MAX_ITEMS:
            raise _Unsure
        event = next_event()
        if type(event) is _SCALAR and depth < MAX_DEPTH and not event.anchor and not event.tag:
            # A scalar, read here as `_plain_node` would read it, since most values are.
            text = event.value
            if not event.style and event.implicit[0] and (text in _PLAIN_CONSTANTS or text[0] in _NUMBER_START):
                text = _plain_value(text)
            fields[key] = text
        else:
            fields[key] = _plain_node(next_event, event, depth + 1)
    return fields


def _plain_sequence(next_event, depth: int) -> list:
    items = []
    while type(event := next_event()) is not _SEQUENCE_END:
        if len(items) >= MAX_ITEMS:
            raise _Unsure
        if type(event) is _SCALAR and depth < MAX_DEPTH and not event.anchor and not event.tag:
            text = event.value
            if not event.style and event.implicit[0] and (text in _PLAIN_CONSTANTS or text[0] in _NUMBER_START):
                text = _plain_value(text)
            items.append(text)
        else:
            items.append(_plain_node(next_event, event, depth + 1))
    return items


# --- The plain form, read without libyaml -----------------------------------
#
# Most entries are written in a small part of YAML: `name: value` lines, lists
# of `- item` lines or `[a, b]`, and nesting by indentation, with values that are
# plain words or quoted text on one line. `_read_simply` reads exactly that
# part, line by line, in under half the time of the plain walk (libyaml makes a
# Python object for every event and every mark, and that alone costs more), and
# raises _Unsure at anything outside it. What it accepts it reads as libyaml
# and `_Builder` do: tests/test_loader_readers.py compares them on thousands of
# generated documents.

# Characters that may start something other than a plain scalar, or that the
# plain form leaves to libyaml wherever they start a value.
_INDICATORS = frozenset("-?:,[]{}#&*!|>'\"%@`\\")
# Characters left to libyaml: tabs, and any it would take as a line break (as str.split
# does not) or refuse. The loader refuses most of them before this, but a reader
# should not rely on that. (Bytes for ASCII text, the usual case: deleting is fast.)
_ASCII_NOT_SIMPLE = bytes(c for c in range(128) if c != 10 and not 32 <= c < 127)
_NOT_SIMPLE = re.compile("[^\n\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd\U00010000-\U0010ffff]")
_DOUBLE_QUOTED = re.compile(r'"([^"\\]*)"')  # no escapes
_SINGLE_QUOTED = re.compile(r"'([^']*)'")  # no doubled quotes
_FLOW_SEQUENCE = re.compile(r"\[([^\[\]{}#:\"']*)\]")  # plain words, nothing nested
MAX_KEY_CHARS = 1_000  # libyaml takes nothing longer than 1,024 for a name on a line of its own


def _read_simply(source: str) -> dict:
    """The front matter as `_read_plainly` reads it, when it is in the plain form, else _Unsure.

    The lines left after blanks and comments are rows of (indentation, text);
    a mapping is the rows at one indentation, each `name: value` or `name:`
    with its value on the more indented rows below (or a list at the same
    indentation); a list is the rows at one indentation that start `- `."""
    if source.isascii():
        raw = source.encode("ascii")
        if len(raw.translate(None, _ASCII_NOT_SIMPLE)) != len(raw):
            raise _Unsure
    elif _NOT_SIMPLE.search(source):
        raise _Unsure
    rows = []
    for line in source.split("\n"):
        text = line.lstrip(" ")
        if text and text[0] != "#":
            rows.append((len(line) - len(text), text.rstrip(" ")))
    if not rows or rows[0][0]:
        raise _Unsure
    rows.append((-1, ""))  # the end
    position = [0]  # the row each reader below starts at, then the row after what it read
    data = _simple_mapping(rows, position, 0, 0)
    if rows[position[0]][0] != -1:
        raise _Unsure
    return data


def _simple_mapping(rows: list[tuple[int, str]], position: list[int], indent: int, depth: int) -> dict:
    if depth >= MAX_DEPTH:
        raise _Unsure
    fields: dict = {}
    i = position[0]
    while True:
        spaces, text = rows[i]
        if spaces != indent:
            if spaces > indent:
                raise _Unsure  # a plain value going on to the next line, or a misplaced line
            position[0] = i
            return fields
        colon = text.find(":")
        key = text[:colon]
        if (colon < 1 or not (key.isascii() and key.isidentifier()) or len(key) > MAX_KEY_CHARS
                or key in fields or key in _PLAIN_CONSTANTS or len(fields) >= MAX_ITEMS):
            raise _Unsure
        i += 1
        rest = text[colon + 1:]
        if rest:
            if rest[0] != " ":
                raise _Unsure  # `name:value` is one plain scalar to YAML
            fields[key] = _simple_scalar(rest.lstrip(" "), depth + 1)
            continue
        below, text = rows[i]
        if below < indent or (below == indent and text[0] != "-"):
            fields[key] = None  # `name:` with nothing under it
            continue
        position[0] = i
        if text[0] == "-":
            fields[key] = _simple_sequence(rows, position, below, depth + 1)
        else:
            fields[key] = _simple_mapping(rows, position, below, depth + 1)
        i = position[0]


def _simple_sequence(rows: list[tuple[int, str]], position: list[int], indent: int, depth: int) -> list:
    if depth >= MAX_DEPTH:
        raise _Unsure
    items: list = []
    i = position[0]
    while True:
        spaces, text = rows[i]
        if spaces != indent or text[0] != "-":
            if spaces > indent:
                raise _Unsure
            position[0] = i
            return items
        if text[:2] != "- " or len(items) >= MAX_ITEMS:
            raise _Unsure
        rest = text[2:].lstrip(" ")
        colon = rest.find(":")
        if colon > 0 and rest[colon + 1:colon + 2] in (" ", "") and rest[:colon].isidentifier():
            # `- name: value`: a mapping whose rows line up with `name`.
            column = indent + len(text) - len(rest)
            rows[i] = (column, rest)
            position[0] = i
            items.append(_simple_mapping(rows, position, column, depth + 1))
            i = position[0]
        else:
            items.append(_simple_scalar(rest, depth + 1))
            i += 1


def _simple_scalar(text: str, depth: int):
    """A value on one line: a plain scalar, a quoted one without escapes, or a list of words."""
    first = text[0]
    if first not in _INDICATORS:
        if "#" in text or ": " in text or text[-1] == ":" or "[" in text or "]" in text or "{" in text or "}" in text:
            raise _Unsure  # a comment, a mapping, or flow punctuation: left to libyaml
        return _plain_value(text) if text in _PLAIN_CONSTANTS or first in _NUMBER_START else text
    if first == '"':
        match = _DOUBLE_QUOTED.fullmatch(text)
    elif first == "'":
        match = _SINGLE_QUOTED.fullmatch(text)
    elif first == "[" and depth < MAX_DEPTH:
        match = _FLOW_SEQUENCE.fullmatch(text)
        if match is None:
            raise _Unsure
        inside = match.group(1)
        if not inside.strip(" "):
            return []
        items: list = inside.split(",")
        if len(items) > MAX_ITEMS:
            raise _Unsure
        for index, item in enumerate(items):
            item = item.strip(" ")
            if not item or item[0] in _INDICATORS:
                raise _Unsure
            items[index] = _plain_value(item) if item in _PLAIN_CONSTANTS or item[0] in _NUMBER_START else item
        return items
    else:
        raise _Unsure
    if match is None:
        raise _Unsure
    return match.group(1)
