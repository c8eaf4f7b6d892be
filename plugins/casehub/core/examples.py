"""The scenario examples (examples/*.md) as text to recognise and to start from.

Each example's body is guidance and invented example text: under each `##`
heading, a first paragraph that says what to write (the prompt), then the
example's own paragraphs. `casehub new` starts an entry from the prompts; the
validator's `example-text` rule (rules.check_example_text) flags a paragraph
or list item of an entry that is still one of the examples', unchanged.

Paragraphs are compared with their white space collapsed, so re-wrapping a
paragraph does not hide it; a list's items are compared one by one, so one
edited item does not hide the others. Very short paragraphs are left out: a
phrase such as "Read the report." may be anyone's.
"""

from __future__ import annotations

import os
import re
import time
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from .loader import LoadError, load
from .safetext import fenced_segments

MIN_CHARACTERS = 25  # shorter paragraphs are not compared
OPENING_WORDS = 4  # how many of a paragraph's first words the quick test looks at
# The prompt `casehub new` writes under a section its type's example lacks; flagged like the examples' own.
WRITE_HERE = "Write this section in your own words, then delete this line."
_HEADING = re.compile(r"^##[ \t]+(.*[^ \t#]|[ \t#])[ \t#]*$")  # as rules.HEADING: linear, no lazy group
_ITEM = re.compile(r"^ {0,3}(?:[-*+]|[0-9]{1,3}[.)])[ \t]+")


@dataclass(frozen=True)
class Paragraph:
    line: int     # where it starts
    text: str     # as compared: list marker removed, white space collapsed
    heading: str  # the `##` heading it is under ('' before the first)
    first: bool   # the first paragraph under its heading, or before any heading


def paragraphs(lines) -> list[Paragraph]:
    """The paragraphs and list items of Markdown prose, from (line number, text) pairs.

    Code is the caller's to leave out (rules.body_lines does); headings end a paragraph."""
    found: list[Paragraph] = []
    heading, first = "", True
    block: list[tuple[int, str]] = []

    def close():
        nonlocal first
        if not block:
            return
        items: list[tuple[int, list[str]]] = []
        if _ITEM.match(block[0][1]):
            for number, text in block:
                if _ITEM.match(text):
                    items.append((number, [_ITEM.sub("", text, count=1)]))
                else:
                    items[-1][1].append(text)
        else:
            items.append((block[0][0], [text for _, text in block]))
        for number, parts in items:
            found.append(Paragraph(number, " ".join(" ".join(parts).split()), heading, first))
        first = False
        block.clear()

    previous = None
    for number, text in lines:
        if previous is not None and number != previous + 1:
            close()  # a gap: code between
        previous = number
        match = _HEADING.match(text)
        if match or text.startswith("#"):
            close()
            heading, first = (match.group(1).strip() if match else heading), True
        elif not text.strip():
            close()
        else:
            block.append((number, text))
    close()
    return found


def _prose(body: str, first_line: int):
    """(line number, text) for the lines of a body outside fenced code blocks."""
    number = first_line
    for is_code, lines in fenced_segments(body.split("\n")):
        if not is_code:
            yield from enumerate(lines, number)
        number += len(lines)


@dataclass(frozen=True)
class Example:
    path: Path
    shown: str  # as a contributor would write it: examples/case-study.md
    type: str
    paragraphs: tuple[Paragraph, ...]

    def prompts(self) -> list[tuple[str, str]]:
        """(heading, prompt) for each `##` section: the guidance an entry starts from."""
        return [(p.heading, p.text) for p in self.paragraphs if p.heading and p.first]


@dataclass
class _Known:
    """The examples as read, with what the checks look them up by, made once per reading."""

    examples: tuple[Example, ...] = ()
    index: dict[str, tuple[str, bool]] = field(default_factory=dict)
    openings: frozenset[str] = frozenset()


@lru_cache(maxsize=8)
def _read(folder: str, stamp: tuple) -> _Known:
    examples = []
    for name, _, _ in stamp:
        path = Path(folder) / name
        try:
            document = load(path, positions=False)
        except LoadError:
            continue  # the validator reports it when it checks examples/
        entry_type = document.metadata.get("type") if isinstance(document.metadata, dict) else None
        examples.append(Example(path, f"examples/{name}", entry_type if isinstance(entry_type, str) else "",
                                tuple(paragraphs(_prose(document.body, document.body_line)))))
    index: dict[str, tuple[str, bool]] = {WRITE_HERE: ("the prompt 'casehub new' wrote", True)}
    for example in examples:
        for paragraph in example.paragraphs:
            if len(paragraph.text) < MIN_CHARACTERS:
                continue
            guidance = paragraph.first or not paragraph.heading
            what = f"the guidance from {example.shown}" if guidance else f"the example's text from {example.shown}"
            index.setdefault(paragraph.text, (what, guidance))
    openings = frozenset(" ".join(text.split()[:OPENING_WORDS]) for text in index)
    return _Known(tuple(examples), index, openings)


_LOOKED: dict[Path, tuple[float, _Known]] = {}  # root -> (when its examples folder was last listed, what it held)
LOOK_AGAIN_AFTER = 2.0  # seconds: validation asks for every entry; `casehub serve` sees an edit soon after


def _known(root: Path) -> _Known:
    """The library's scenario examples, read again only when one changes (the folder is listed
    at most every LOOK_AGAIN_AFTER seconds)."""
    now = time.monotonic()
    looked = _LOOKED.get(root)
    if looked and now - looked[0] < LOOK_AGAIN_AFTER:
        return looked[1]
    folder = root / "examples"
    try:
        entries = sorted((e.name, e.stat().st_mtime_ns, e.stat().st_size) for e in os.scandir(folder)
                         if e.name.endswith(".md") and e.is_file())
    except OSError:
        entries = []
    known = _read(str(folder), tuple(entries))
    _LOOKED[root] = (now, known)
    return known


def examples_of(root: Path) -> tuple[Example, ...]:
    """The library's scenario examples."""
    return _known(root).examples


def example_text_index(root: Path) -> dict[str, tuple[str, bool]]:
    """Each example paragraph's text: (what it is, in words: "the guidance from examples/story.md";
    whether it is guidance rather than the example's own text)."""
    return _known(root).index


def example_for(root: Path, entry_type: str) -> Example | None:
    """The example of an entry type (examples/<type>.md), if there is one."""
    for example in examples_of(root):
        if example.path.stem == entry_type:
            return example
    return None


def _may_hold_example_text(lines, openings: frozenset[str]) -> bool:
    """False only where no paragraph can be an example's: none starts with an example paragraph's
    first words. Cheap, so most entries are cleared without being cut into paragraphs."""
    previous_blank = True
    opening: list[str] | None = None  # the first words of the paragraph being read, until there are enough
    for _, text in lines:
        if not text.strip() or text.startswith("#"):
            if opening and " ".join(opening) in openings:
                return True
            previous_blank, opening = True, None
            continue
        if previous_blank or _ITEM.match(text):
            if opening and " ".join(opening) in openings:
                return True
            opening = _ITEM.sub("", text, count=1).split()
        elif opening is not None:
            opening += text.split()
        if opening is not None and len(opening) >= OPENING_WORDS:
            if " ".join(opening[:OPENING_WORDS]) in openings:
                return True
            opening = None
        previous_blank = False
    return bool(opening) and " ".join(opening) in openings


def example_text_left(root: Path, lines) -> list[tuple[int, str, str]]:
    """(line, message, hint) for each paragraph of prose lines that is an example's, unchanged."""
    known = _known(root)
    if not _may_hold_example_text(lines, known.openings):
        return []
    index = known.index
    found = []
    for paragraph in paragraphs(lines):
        source = index.get(paragraph.text)
        if source is None:
            continue
        what, guidance = source
        if guidance:
            found.append((paragraph.line, f"this paragraph is {what}, still in place",
                          "write your own text for this section instead, then delete the guidance"))
        else:
            found.append((paragraph.line, f"this paragraph is {what}, unchanged",
                          "replace it with what happened in your work"))
    return found
