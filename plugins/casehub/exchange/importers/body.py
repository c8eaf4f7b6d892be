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
from ...core.rules import fenced_segments
from ...core.safetext import CODE_SPAN, HTML, UNSAFE_LINK, remove_unsafe_links
from .htmltomd import ANY_TAG, BLOCK_TAGS, html_to_markdown
from .model import Note
from .text import clean_text

# Removed with their content straight from Markdown; a <form> is left to clean_soup, which keeps the text
_WITH_CONTENT = ("script", "style", "iframe", "frameset", "object", "embed", "applet", "noscript", "template",
                 "svg", "math", "select", "textarea", "canvas", "audio", "video", "title", "head")
_UNSAFE_BLOCK = re.compile(r"<(" + "|".join(_WITH_CONTENT) + r")\b[^>]*>.*?</\1\s*>", re.IGNORECASE | re.DOTALL)
_UNSAFE_OPEN = re.compile(r"</?(?:" + "|".join(_WITH_CONTENT) + r")\b[^>]*>", re.IGNORECASE)  # left unclosed
_COMMENT = re.compile(r"<!--.*?(?:-->|\Z)", re.DOTALL)
_ATX = re.compile(r"^( {0,3})(#{1,6})([ \t]+|$)(.*)$")
# A link or image target in <…> (`![A photo](<my photo.png>)`), which would read as an HTML tag: written with %20.
_ANGLE_TARGET = re.compile(r"(\]\(\s*|^ {0,3}\[[^\]\n]+\]:[ \t]*)<([^<>\n]*)>", re.MULTILINE)
_URL_SAFE = ":/?#[]@!$&'()*+,;=%~"
_LINE_PREFIX = re.compile(r"^(\s*(?:[-*+]\s+|\d{1,9}[.)]\s+|>\s*|#{1,6}\s+)*)")


def _convert_block(block: list[str], changes: set[str], base_url: str) -> list[str]:
    text = "\n".join(block)
    names = {m.group(1).lower() for m in ANY_TAG.finditer(text)}
    if names & BLOCK_TAGS:
        converted = html_to_markdown(text, changes, base_url).strip("\n")
        return converted.split("\n") if converted.strip() else []
    out = []
    for line in block:  # inline HTML only: line by line, keeping list and heading markers
        if not ANY_TAG.search(line):
            out.append(line)
            continue
        prefix = _LINE_PREFIX.match(line).group(1)
        converted = " ".join(html_to_markdown(line[len(prefix):], changes, base_url).split())
        out.append(prefix + converted)
    return out


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
    out: list[str] = []
    block: list[str] = []
    previous_blank = True

    def flush():
        if block:
            if any(ANY_TAG.search(line) for line in block) or re.search(r"<[A-Za-z][^>]*\n[^<]*>", "\n".join(block)):
                out.extend(_convert_block(block, changes, base_url))
            else:
                out.extend(block)
            block.clear()

    for line in text.split("\n"):
        if not line.strip():
            flush()
            out.append("")
            previous_blank = True
            continue
        if previous_blank and line.startswith(("    ", "\t")) and not block:
            out.append(line)  # indented code: shown as written
            continue
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

            def keep(match, spans=spans):
                spans.append(match.group())
                return f"\x00{len(spans) - 1}\x00"

            masked = CODE_SPAN.sub(keep, line)
            while match := HTML.search(masked):
                masked = masked[:match.start()] + "&lt;" + masked[match.start() + 1:]
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
