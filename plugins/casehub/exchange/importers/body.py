"""An entry's body made safe Markdown, with the title as its only top-level heading.

`safe_markdown` takes Markdown that may hold HTML (as exported by other sites):
HTML blocks and inline tags are converted (htmltomd.py), comments and unsafe
elements removed, `javascript:`, `data:` and `file:` links removed (words
kept), invisible characters removed, and anything still read as HTML escaped;
code blocks and code spans are left as written. It returns the kinds of change,
which `htmltomd.change_notes` turns into notes: text is never removed silently.
`normalise_headings` keeps the title the page's only `#` heading.
"""

from __future__ import annotations

import re
from urllib.parse import quote

from ...core.project import fold_id
from ...core.safetext import HTML, UNSAFE_LINK, escape_html, fenced_segments, remove_unsafe_links, replace_code_spans
from .htmltomd import ANY_TAG, BLOCK_TAGS, INLINE_TAGS, embed_markdown, html_to_markdown
from .model import Note
from .text import clean_text

# Removed with their content straight from Markdown; a <form> is left to clean_soup, which keeps the text
_WITH_CONTENT = ("script", "style", "frameset", "applet", "noscript", "template", "svg", "math", "select", "textarea",
                 "canvas", "title", "head")
# (Linear as safetext's patterns are: a block's scan stops where another of its kind opens.)
_UNSAFE_BLOCK = re.compile(r"<(" + "|".join(_WITH_CONTENT) + r")\b[^<>]*>(?:(?!<\1\b).)*?</\1\s*>",
                           re.IGNORECASE | re.DOTALL)
_UNSAFE_OPEN = re.compile(r"</?(?:" + "|".join(_WITH_CONTENT) + r")\b[^<>]*>", re.IGNORECASE)  # left unclosed
_SPLIT_TAG = re.compile(r"<[A-Za-z][^<>\n]*+\n[^<>]*+>")  # a tag across lines
# An embedded frame or player, closed or not: it becomes a link to what it showed (htmltomd.embed_markdown). What
# is inside one is its fallback, which goes too; the bound keeps many unclosed ones from taking quadratic time.
_EMBED = re.compile(r"<(iframe|object|video|audio)\b[^>]*>(?:.{0,4000}?</\1\s*>)?|<embed\b[^>]*>"
                    r"|</(?:iframe|object|video|audio)\s*>", re.IGNORECASE | re.DOTALL)
_COMMENT = re.compile(r"<!--.*?(?:-->|\Z)", re.DOTALL)
_ATX = re.compile(r"^( {0,3})(#{1,6})([ \t]+|$)(.*)$")
# A link or image target in <…> (`![A photo](<my photo.png>)`), which would read as an HTML tag: written with %20.
_ANGLE_TARGET = re.compile(r"(\]\(\s*|^ {0,3}\[[^\]\n]+\]:[ \t]*)<([^<>\n]*)>", re.MULTILINE)
_URL_SAFE = ":/?#[]@!$&'()*+,;=%~"
_LINE_PREFIX = re.compile(r"^(\s*(?:[-*+]\s+|\d{1,9}[.)]\s+|>\s*|#{1,6}\s+)*)")
_LIST_OR_HEADING = re.compile(r"^\s*(?:[-*+]\s|\d{1,9}[.)]\s|#{1,6}\s|>)")
# A line that starts with a real HTML tag: indented, it is HTML laid out by its author, never code.
_HTML_LINE = re.compile(r"^</?(?:" + "|".join(sorted(BLOCK_TAGS | INLINE_TAGS, key=len, reverse=True))
                        + r")(?=[\s/>]|$)", re.IGNORECASE)
_VOID = frozenset({"br", "img", "hr", "wbr", "input", "meta", "link", "source", "track", "col", "area", "base",
                   "embed"})
MAX_JOINED_LINES = 40


def _depth(text: str, names=None) -> int:
    """How many elements (of `names`, or any non-void) the text opens and does not close."""
    depth = 0
    for match in ANY_TAG.finditer(text):
        name = match.group(1).lower()
        if name in _VOID or (names is not None and name not in names) or match.group().endswith("/>"):
            continue
        depth += -1 if match.group().startswith("</") else 1
    return depth


def _unfinished(text: str) -> bool:
    """An inline element or a tag left open at the end of the text, to be finished on the next line."""
    return bool(re.search(r"<[A-Za-z/][^<>]*$", text)) or _depth(text) > 0


def _inline_units(block: list[str]) -> list[str]:
    """Lines joined where an inline element or tag runs on to the next (an <a> across lines in a list item)."""
    units: list[str] = []
    joined = 0
    for line in block:
        if units and joined < MAX_JOINED_LINES and _unfinished(units[-1]) and (
                re.search(r"<[A-Za-z/][^<>]*$", units[-1]) or not _LIST_OR_HEADING.match(line)):
            units[-1] += "\n" + line
            joined += 1
        else:
            units.append(line)
            joined = 0
    return units


def _convert_block(block: list[str], changes: set[str], base_url: str) -> list[str]:
    text = "\n".join(block)
    names = {m.group(1).lower() for m in ANY_TAG.finditer(text)}
    if names & BLOCK_TAGS:
        converted = html_to_markdown(text, changes, base_url).strip("\n")
        return converted.split("\n") if converted.strip() else []
    out = []
    for unit in _inline_units(block):  # inline HTML only: unit by unit, keeping list and heading markers
        if not ANY_TAG.search(unit):
            out.extend(unit.split("\n"))
            continue
        prefix = _LINE_PREFIX.match(unit).group(1)
        converted = " ".join(html_to_markdown(unit[len(prefix):], changes, base_url).split())
        out.append(prefix + converted)
    return out


def _embeds_to_links(text: str, changes: set[str], base_url: str) -> str:
    from bs4 import BeautifulSoup

    def replace(match):
        if match.group().startswith("</"):
            return ""
        tag = BeautifulSoup(match.group(), "html.parser").find(True)
        replacement = embed_markdown(tag, base_url) if tag is not None else ""
        changes.add("embeds" if replacement else "unsafe")
        return replacement

    return _EMBED.sub(replace, text)


def _next_starts_html(lines: list[str], index: int) -> bool:
    """Whether the next non-blank line after `index` starts with an HTML tag."""
    for line in lines[index + 1:]:
        if line.strip():
            return bool(_HTML_LINE.match(line.lstrip()))
    return False


def _prose(lines: list[str], changes: set[str], base_url: str) -> list[str]:
    text = "\n".join(lines)
    if "<" not in text:
        return lines
    text = _ANGLE_TARGET.sub(lambda m: m.group(1) + quote(m.group(2).strip(), safe=_URL_SAFE), text)
    text, count = _COMMENT.subn("", text)
    if count:
        changes.add("comments")
    text, count = _UNSAFE_BLOCK.subn("", text)
    text, more = _UNSAFE_OPEN.subn("", text)
    if count or more:
        changes.add("unsafe")
    text = _embeds_to_links(text, changes, base_url)
    out: list[str] = []
    block: list[str] = []
    previous_blank = True

    def flush():
        if block:
            if any(ANY_TAG.search(line) for line in block) or _SPLIT_TAG.search("\n".join(block)):
                out.extend(_convert_block(block, changes, base_url))
            else:
                out.extend(block)
            block.clear()

    lines = text.split("\n")
    depth, chunk = 0, 0  # elements the block leaves open, up to the line where its last chunk starts
    for index, line in enumerate(lines):
        if not line.strip():
            if block:
                depth, chunk = depth + _depth("\n".join(block[chunk:]), BLOCK_TAGS), len(block)
            if block and depth > 0 and _next_starts_html(lines, index):
                block.append(line)  # an HTML element still open, with more HTML after the gap: one block
                chunk += 1
                continue
            depth = chunk = 0
            flush()
            out.append("")
            previous_blank = True
            continue
        if previous_blank and line.startswith(("    ", "\t")) and not block:
            if not _HTML_LINE.match(line.lstrip()):
                out.append(line)  # indented code: shown as written
                continue
            line = line.lstrip()  # indented HTML: converted, never shown as code
        block.append(line)
        previous_blank = False
    flush()
    return out


def _escape_leftovers(lines: list[str], changes: set[str]) -> list[str]:
    """Whatever prose still reads as HTML gets its `<` written `&lt;` (code spans and code blocks kept)."""
    out = []
    previous_blank = True
    for is_code, segment in fenced_segments(lines):
        if is_code:
            out.extend(segment)
            previous_blank = False
            continue
        for line in segment:
            indented = line.startswith(("    ", "\t")) and previous_blank
            previous_blank = not line.strip() or (indented and previous_blank)
            if indented:
                out.append(line)
                continue
            spans: list[str] = []

            def keep(span, spans=spans):
                spans.append(span)
                return f"\x00{len(spans) - 1}\x00"

            masked = replace_code_spans(line, keep)
            if HTML.search(masked):
                masked = escape_html(masked)
                changes.add("escaped")
            out.append(re.sub("\x00([0-9]+)\x00", lambda m, spans=spans: spans[int(m.group(1))], masked))
    return out


def safe_markdown(text: str, base_url: str = "") -> tuple[str, set[str]]:
    """Markdown (perhaps with HTML in it) made safe to publish; and the kinds of change made."""
    changes: set[str] = set()
    text, removed = clean_text(text)
    if removed:
        changes.add("characters")
    lines: list[str] = []
    for is_code, segment in fenced_segments(text.split("\n")):
        lines.extend(segment if is_code else _prose(segment, changes, base_url))
    text = "\n".join(lines)
    text, unsafe = remove_unsafe_links(text)
    if unsafe:
        changes.add("links")
    lines = _escape_leftovers(text.split("\n"), changes)
    for index, line in enumerate(lines):  # a last guard, in any spelling the validator would see
        while UNSAFE_LINK.search(line):
            line = UNSAFE_LINK.sub(lambda m: m.group()[:-1].rstrip(":") + " ", line, count=1)
            changes.add("links")
        lines[index] = line
    text = "\n".join(line.rstrip() for line in lines)
    text = re.sub(r"\n{3,}", "\n\n", text).strip("\n")
    return text, changes


def normalise_headings(body: str, title: str) -> tuple[str, list[Note]]:
    """The title is the page's only top-level heading: a first `# <title>` goes, other `#` headings move down."""
    notes: list[Note] = []
    lines = body.split("\n")
    prose = [i for is_code, segment in _indexed_segments(lines) if not is_code for i in segment]
    for i in prose:  # setext level-one headings (Title / =====) become ATX
        if i > 0 and re.fullmatch(r" {0,3}=+\s*", lines[i]) and lines[i - 1].strip() and (i - 1) in prose:
            lines[i - 1], lines[i] = "# " + lines[i - 1].strip(), ""
    first = next((i for i in prose if lines[i].strip()), None)
    if first is not None and (m := _ATX.match(lines[first])) and len(m.group(2)) == 1:
        if fold_id(" ".join(m.group(4).strip(" #").split())) == fold_id(" ".join(title.split())):
            lines[first] = ""
            notes.append(Note("the first heading repeated the title, so it was removed", False, "heading-removed"))
    if any((m := _ATX.match(lines[i])) and len(m.group(2)) == 1 for i in prose):
        for i in prose:
            if m := _ATX.match(lines[i]):
                level = min(len(m.group(2)) + 1, 6)
                lines[i] = f"{m.group(1)}{'#' * level} {m.group(4)}".rstrip()
        notes.append(Note("headings were moved down a level: the title is the page's only top-level heading",
                          False, "headings-demoted"))
    return "\n".join(lines).strip("\n"), notes


def _indexed_segments(lines: list[str]):
    start = 0
    for is_code, segment in fenced_segments(lines):
        yield is_code, range(start, start + len(segment))
        start += len(segment)
