"""Where each field is in an entry file's text, and changes to the lines that hold it.

`FrontMatter(text, path, shown)` holds an entry's text (without a byte order
mark) as lines with their own endings, and the document the strict loader reads
from it. Its methods replace a field's value, remove a field, or insert lines,
touching only the lines of the field they are given; `edit.py` decides what to
change and checks every result by loading it again before anything is written.

It never parses YAML itself: where a field is, at any depth, comes from the
loader's positions of keys and values. A value ends where the next key at the
same or a lesser indentation starts (or the closing ---), less trailing blank
and comment lines.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from ..core.findings import CasehubError, Finding
from ..core.loader import LoadError, parse

_LINE = re.compile(r"([^\r\n]*)(\r\n|\r|\n|$)")
_COMMENT = re.compile(r"(?:^|[ \t])#")
_BLOCK_HEADER = re.compile(r"[|>][+-]?([1-9]?)")
# Characters libyaml counts as line breaks but the loader does not: positions
# could not be trusted if the front matter held one.
_YAML_ONLY_BREAKS = ("\u2028", "\u2029", "\x85")


class FrontMatterError(CasehubError):
    """The text cannot be changed safely as asked; nothing was written."""

    def __init__(self, message: str, findings: list[Finding] | None = None):
        self.findings = findings or []
        super().__init__(message)


@dataclass
class Span:
    """Where a field is: its key line, and its value from (line, col) to (end_line, end_col).

    Lines are 0-based indexes into the file's lines, columns 0-based into a line."""

    key_line: int
    line: int
    col: int
    end_line: int
    end_col: int


def _iter_lines(text: str):
    position = 0
    while position < len(text):
        match = _LINE.match(text, position)
        yield match
        position = match.end()


def last_token(pointer: str) -> str:
    return pointer.rsplit("/", 1)[1].replace("~1", "/").replace("~0", "~")


class FrontMatter:
    """An entry's text as lines with their own endings, and the loaded document."""

    def __init__(self, text: str, path: Path, shown: str):
        self.path, self.shown = path, shown
        self.lines = [[m.group(1), m.group(2)] for m in _iter_lines(text)]
        try:
            self.doc = parse(text.encode("utf-8"), path, shown)
        except LoadError as error:
            raise FrontMatterError(f"{error.finding} — the edit went wrong, so the file was not changed; "
                                   "please report this", [error.finding]) from None
        self.closing = self.doc.body_line - 2  # index of the closing --- line
        if any(ch in line for line, _ in self.lines[:self.closing] for ch in _YAML_ONLY_BREAKS):
            raise FrontMatterError(f"{shown}: the front matter contains a Unicode line or paragraph separator "
                                   "(U+2028, U+2029 or U+0085); remove it, then try again")
        # Every key, at any depth, by where it is: (line, col, pointer), 0-based.
        self.keys = sorted((line - 1, col - 1, pointer) for pointer, (line, col) in self.doc.key_positions.items())
        top = [line for line, _, pointer in self.keys if pointer.count("/") == 1]
        if len(set(top)) != len(top):
            raise FrontMatterError(f"{shown}: two fields share a line in the front matter; "
                                   "put each field on its own line, then try again")

    def text(self) -> str:
        return "".join(content + ending for content, ending in self.lines)

    def has(self, pointer: str) -> bool:
        return pointer in self.doc.key_positions

    def value(self, pointer: str):
        value = self.doc.metadata
        for token in pointer[1:].split("/"):
            token = token.replace("~1", "/").replace("~0", "~")
            value = value[int(token)] if isinstance(value, list) else value[token]
        return value

    def key_at(self, pointer: str) -> tuple[int, int]:
        """The 0-based line and column of a field's key."""
        line, col = self.doc.key_positions[pointer]
        return line - 1, col - 1

    def indent(self) -> int:
        """The top-level fields' indentation (0 in every file Casehub writes)."""
        return next((col for _, col, pointer in self.keys if pointer.count("/") == 1), 0)

    def _limit(self, key_line: int, base: int) -> int:
        """The line after a field's last possible line: the next key at its indentation or less, or
        the closing ---."""
        return next((line for line, col, _ in self.keys if line > key_line and col <= base), self.closing)

    def is_block_mapping(self, pointer: str) -> bool:
        """Whether a field holds a group of fields written one a line below its key (not `{…}`)."""
        value = self.value(pointer)
        key_line, _ = self.key_at(pointer)
        children = [line for line, _, child in self.keys if child.startswith(pointer + "/")
                    and child.count("/") == pointer.count("/") + 1]
        return isinstance(value, dict) and bool(children) and min(children) > key_line

    def child_indent(self, pointer: str) -> int:
        """The indentation of the fields of a group: its first field's, or two more than its key."""
        children = [col for _, col, child in self.keys if child.startswith(pointer + "/")
                    and child.count("/") == pointer.count("/") + 1]
        return children[0] if children else self.key_at(pointer)[1] + 2

    def span(self, pointer: str) -> Span:
        """Where a single value is (a list or group has no span: `last_line` is its end)."""
        key = last_token(pointer)
        key_line, base = self.key_at(pointer)
        line, col = (n - 1 for n in self.doc.positions[pointer])
        value = self.value(pointer)
        if isinstance(value, (dict, list)):
            raise FrontMatterError(f"{self.shown}:{key_line + 1}:{base + 1}: '{key}' holds "
                                   f"{'a list' if isinstance(value, list) else 'a group of fields'}, "
                                   "not a single value; change it by hand")
        limit = self._limit(key_line, base)
        text = self.lines[line][0]
        rest = text[col:].strip()
        if value is None and line == key_line and (not rest or rest.startswith("#")):
            return Span(key_line, line, col, line, col)  # `key:` with nothing after it
        first = text[col:col + 1]
        if first in ("'", '"'):
            end_line, end_col = self._quoted_end(line, col)
        elif first in ("|", ">"):
            end_line, end_col = self._block_end(line, col, base, limit)
        else:
            end_line, end_col = self._plain_end(line, col, base, limit)
        return Span(key_line, line, col, end_line, end_col)

    def _quoted_end(self, line: int, col: int) -> tuple[int, int]:
        quote = self.lines[line][0][col]
        index = col + 1
        while line < self.closing:
            text = self.lines[line][0]
            while index < len(text):
                char = text[index]
                if quote == '"' and char == "\\":
                    index += 2
                    continue
                if char == quote:
                    if quote == "'" and text[index + 1:index + 2] == "'":
                        index += 2
                        continue
                    return line, index + 1
                index += 1
            line, index = line + 1, 0
        raise FrontMatterError(  # pragma: no cover
            f"{self.shown}:{line + 1}: a quoted value never ends; fix it by hand")

    def _block_end(self, line: int, col: int, base: int, limit: int) -> tuple[int, int]:
        header = _BLOCK_HEADER.match(self.lines[line][0], col)
        explicit = header.group(1) if header else ""
        indent = base + int(explicit) if explicit else None  # an indentation indicator counts from the key
        end = line
        for number in range(line + 1, limit):
            text = self.lines[number][0]
            if not text.strip():
                continue
            width = len(text) - len(text.lstrip(" "))
            if indent is None:
                indent = width
            if width < indent or width <= base:
                break
            end = number
        if end == line:  # no content lines: the header is the whole value
            return line, len(self.lines[line][0])
        return end, len(self.lines[end][0])

    def _plain_end(self, line: int, col: int, base: int, limit: int) -> tuple[int, int]:
        text = self.lines[line][0]
        comment = _COMMENT.search(text, col)
        if comment:
            return line, len(text[:comment.start()].rstrip())
        end = (line, len(text.rstrip()))
        for number in range(line + 1, limit):
            text = self.lines[number][0]
            stripped = text.strip()
            if not stripped:
                continue
            if len(text) - len(text.lstrip(" \t")) <= base or stripped.startswith("#"):
                break
            comment = _COMMENT.search(text)
            if comment:
                return number, len(text[:comment.start()].rstrip())
            end = (number, len(text.rstrip()))
        return end

    def last_line(self, pointer: str) -> int:
        """A field's last line: where its value ends, or for a list or group the last line before
        the next field that is not blank and not a comment at the field's own indentation."""
        if not isinstance(self.value(pointer), (dict, list)):
            return self.span(pointer).end_line
        key_line, base = self.key_at(pointer)
        last = key_line
        for number in range(key_line + 1, self._limit(key_line, base)):
            text = self.lines[number][0]
            if text.strip() and not (len(text) - len(text.lstrip()) <= base and text.lstrip().startswith("#")):
                last = number
        return last

    # The changes ------------------------------------------------------------

    def replace(self, pointer: str, new: str) -> None:
        """Give a single value new text; its key, any comment after it and every other line stay."""
        key = last_token(pointer)
        span = self.span(pointer)
        first = span.line
        head = self.lines[span.line][0][:span.col]
        tail = self.lines[span.end_line][0][span.end_col:]
        if span.line == span.end_line and span.col == span.end_col:  # `key:` had no value
            new = " " + new
        elif span.line > span.key_line:  # the value starts below its key: bring it up onto the key's line
            text = self.lines[span.key_line][0]
            colon = re.compile(rf"""(?:{re.escape(key)}|"{re.escape(key)}"|'{re.escape(key)}')[ \t]*:""")
            match = colon.match(text, len(text) - len(text.lstrip()))
            if match:
                first, head, new = span.key_line, text[:match.end()], " " + new
                tail = text[match.end():].rstrip() + tail  # a comment after the key stays
        ending = self.lines[span.end_line][1]
        self.lines[first:span.end_line + 1] = [[head + new + tail, ending]]

    def replace_lines(self, pointer: str, new: list[str]) -> None:
        """Put whole lines (already indented) in place of a field's key and value."""
        key_line, _ = self.key_at(pointer)
        last = self.last_line(pointer)
        ending = self.lines[last][1] or "\n"
        self.lines[key_line:last + 1] = [[line, ending] for line in new]

    def remove(self, pointer: str) -> None:
        key_line, _ = self.key_at(pointer)
        del self.lines[key_line:self.last_line(pointer) + 1]

    def insert_at(self, pointer_after: str | None) -> int:
        """Where new lines go: after the field given, or just before the closing ---."""
        return self.last_line(pointer_after) + 1 if pointer_after else self.closing

    def insert(self, at: int, new: list[str]) -> None:
        ending = self.lines[at - 1][1] or "\n"
        self.lines[at:at] = [[line, ending] for line in new]

    def drop_comment_header(self, first_words: str) -> bool:
        """Remove the comment lines just after the opening --- if the first says `# <first_words>…`
        (the importer's notes on a draft); True if there were any."""
        end = 1
        while end < self.closing and self.lines[end][0].lstrip().startswith("#"):
            end += 1
        if end == 1 or not self.lines[1][0].lstrip().lstrip("#").lstrip().startswith(first_words):
            return False
        del self.lines[1:end]
        return True
