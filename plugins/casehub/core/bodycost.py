"""How much a body makes the Markdown renderer read again, and the limit that keeps rendering linear.

Python-Markdown reads most text once, but two of its passes read ahead from a
character to wherever that character is closed, and start again at the next:

- for each `[` (a link or image, perhaps), it reads on to the matching `]` (counting
  nested pairs), or to the end of the paragraph if there is none; after `](`, to the
  matching `)`. Unclosed or deeply nested brackets make that quadratic: `[a` 4,000
  times took 12 seconds.
- its raw-HTML pass (the standard library's html.parser, over the whole body but
  fenced code) reads from each `<` before a letter to the next `>`; with none after
  it, to the end of the body, and again from the next.

`render_cost_findings` counts those extra reads as the renderer would make them, in
time linear in the body, and reports a body over the limit, so that such an entry
neither passes validation nor stalls the build (which renders only entries that pass).
The limits allow far more than any real entry uses and keep one entry's rendering
well under a second. Reads nothing but the document; never renders.
"""

from __future__ import annotations

import re

from .findings import Finding
from .loader import Document

# Characters read again, at most: each about a quarter of a second of rendering (brackets are read one
# character at a time in Python, html.parser's scans in C).
MAX_BRACKET_READS = 1_000_000
MAX_TAG_READS = 5_000_000

_ESCAPED = re.compile(r"\\[\[\]()]")
_BRACKET = re.compile(r"[\[\]()]")
# A line that starts its own inline text: a list item, a heading, a table row.
_NEW_BLOCK = re.compile(r"\s*(?:[-*+]\s|\d{1,9}[.)]\s|#)|.*\|")
_TAG_START = re.compile(r"<[A-Za-z]")


def render_cost_findings(document: Document, prose_lines: list[tuple[int, str]], html_text) -> list[Finding]:
    """Findings for a body the renderer would read too often.

    `prose_lines` are the body's prose lines with code spans blanked (`rules.body_lines`);
    `html_text()` gives the body as the raw-HTML pass sees it: fenced code blanked."""
    found = []
    if "[" in document.body:
        for block in _blocks(prose_lines):
            at = _bracket_overrun(block)
            if at is not None:
                number, column = _locate(block, at)
                found.append(_finding(document, number, column,
                                      "brackets here are not closed, or are nested too deeply, for the page to be "
                                      "built in good time",
                                      "close each [ with ] and each ( with ), or write \\[ or \\( for a bracket "
                                      "shown as itself"))
                break  # one is enough to say what to fix
    tail = document.body.rfind(">") + 1
    if "<" in document.body[tail:] and _TAG_START.search(document.body, tail):  # only then can it be too much
        html_text = html_text()
        at = _tag_overrun(html_text)
        if at is not None:
            number = document.body_line + html_text.count("\n", 0, at)
            column = at - html_text.rfind("\n", 0, at)
            found.append(_finding(document, number, column,
                                  "'<' signs here are not closed by a '>', too many for the page to be built "
                                  "in good time",
                                  "write &lt; for a '<' shown as itself"))
    return found


def _finding(document: Document, line: int, column: int, message: str, hint: str) -> Finding:
    return Finding(document.display_path, line, column, "render-limit", message, hint, "#body")


def _blocks(prose_lines: list[tuple[int, str]]):
    """Runs of prose lines that Markdown reads as one inline text: [(line number, text), …]."""
    block: list[tuple[int, str]] = []
    for number, text in prose_lines:
        if block and (not text.strip() or number != block[-1][0] + 1 or _NEW_BLOCK.match(text)):
            yield block
            block = []
        if text.strip():
            block.append((number, text))
    if block:
        yield block


def _locate(block: list[tuple[int, str]], offset: int) -> tuple[int, int]:
    for number, text in block:
        if offset <= len(text):
            return number, offset + 1
        offset -= len(text) + 1
    return block[-1][0], 1


def _bracket_overrun(block: list[tuple[int, str]]) -> int | None:
    """Where (an offset into the block's text) the first bracket is whose reading takes the
    block over the limit, or None.

    Counted: each unclosed `[`, and `(` after `](`, reads to the end of the block; each
    closed pair inside another is read again by every pair around it. (A pair at the top
    level is read once, which is linear.)"""
    text = "\n".join(line for _, line in block)
    if "[" not in text:
        return None
    if "\\" in text:
        text = _ESCAPED.sub("  ", text)  # an escaped bracket is text to the renderer
    # Open brackets, and the sum of their positions, so that what they will read by any
    # position is known at once: (open count) × position − (sum of positions).
    squares: list[int] = []
    square_sum = nested = 0
    rounds: list[tuple[int, bool]] = []  # each `(`, and whether it starts a link's address (after `]`)
    links = link_sum = 0
    cost = 0
    for match in _BRACKET.finditer(text):
        position = match.start()
        char = text[position]
        if char == "[":
            squares.append(position)
            square_sum += position
        elif char == "]":
            if squares:
                start = squares.pop()
                square_sum -= start
                if squares:  # inside another pair, which reads it again
                    cost += position - start
                    nested = squares[0]
        elif char == "(":
            link = position > 0 and text[position - 1] == "]"
            rounds.append((position, link))
            if link:
                links += 1
                link_sum += position
        elif rounds:
            start, link = rounds.pop()
            if link:
                links -= 1
                link_sum -= start
            if links:  # inside a link's address, which reads it again
                cost += position - start
                nested = start
        pending = len(squares) * position - square_sum + links * position - link_sum
        if cost + pending > MAX_BRACKET_READS:  # what is open reads at least this far: too much already
            return _first_open(squares, rounds, nested)
    pending = len(squares) * len(text) - square_sum + links * len(text) - link_sum
    return _first_open(squares, rounds, nested) if cost + pending > MAX_BRACKET_READS else None


def _first_open(squares: list[int], rounds: list[tuple[int, bool]], nested: int) -> int:
    """The first bracket still open, else the outer bracket of the last nested pair."""
    starts = squares[:1] + [start for start, link in rounds if link][:1]
    return min(starts) if starts else nested


def _tag_overrun(text: str) -> int | None:
    """Where the first `<` is whose reading takes the body over the limit, or None.

    A `<` with a `>` somewhere after it is read to there once, as a tag, and the `<`s
    inside it with it; only those after the last `>` are each read to the end."""
    tail_start = text.rfind(">") + 1
    end = len(text)
    cost = 0
    for match in _TAG_START.finditer(text, tail_start):
        cost += end - match.start()
        if cost > MAX_TAG_READS:
            return next(_TAG_START.finditer(text, tail_start)).start()
    return None
