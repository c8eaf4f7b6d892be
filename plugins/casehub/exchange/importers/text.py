"""Single values and plain text from a source, cleaned: one line, a list, a summary.

Invisible control and text-direction characters removed, HTML tags dropped
(words kept), entities decoded, cells split into lists, spreadsheet formulas
recognised, and a summary taken from a body's first real paragraph. Bodies as a
whole are body.py's; what a value means (a vocabulary term, a date) is vocab.py's
and dates.py's.
"""

from __future__ import annotations

import re

from ...core.safetext import FENCE, clean_characters
from .htmltomd import ANY_TAG, UNSAFE_TAGS

SUMMARY_LIMIT = 300
_ENTITY = re.compile(r"&(?:#[0-9]{1,7}|#x[0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")
# A formula: anything starting =, or +, - or @ then a function (SUM(…) or a DDE call such as cmd|…).
_FORMULA = re.compile(r"^\s*=|^\s*[+\-@]\s*(?:[A-Z][A-Z0-9_.]*\(|[A-Za-z]+\|)")


def clean_text(text: str) -> tuple[str, int]:
    """Line breaks unified, invisible control and text-direction characters removed; and how many were."""
    return clean_characters(text)


def one_line(text: str) -> tuple[str, bool]:
    """A single-line value: HTML tags dropped (words kept), entities decoded, white space collapsed.

    Returns the text and whether HTML was removed."""
    text, _ = clean_text(text)
    had_html = bool(ANY_TAG.search(text))
    if had_html:
        from bs4 import BeautifulSoup

        soup = BeautifulSoup(text, "html.parser")
        for tag in soup.find_all(UNSAFE_TAGS):
            tag.decompose()
        text = soup.get_text(" ")
    elif _ENTITY.search(text):
        import html

        text = html.unescape(text)
    text, _ = clean_text(text)
    return " ".join(text.split()), had_html


def split_list(value) -> list[str]:
    """A multi-value cell: items separated by semicolons, new lines or vertical bars, else by commas."""
    if isinstance(value, (list, tuple)):
        items = [str(v) for v in value if v is not None and not isinstance(v, (dict, list))]
    else:
        text = str(value or "")
        items = re.split(r"[;\n|]", text) if re.search(r"[;\n|]", text) else text.split(",")
    return list(dict.fromkeys(item.strip() for item in items if item and item.strip()))


def looks_like_formula(text: str) -> bool:
    """A spreadsheet formula (`=HYPERLINK(…)`, `@SUM(…)`): never imported as text."""
    return bool(_FORMULA.match(text))


def plain_summary(markdown: str, limit: int = SUMMARY_LIMIT) -> str:
    """The first real paragraph of a Markdown body (40 characters or more) as plain text, cut at a
    sentence within the limit."""
    paragraphs: list[str] = []
    current: list[str] = []
    fence = None
    for line in [*markdown.split("\n"), ""]:
        if FENCE.match(line):
            fence = None if fence else line
            continue
        stripped = line.strip()
        if fence:
            continue
        if not stripped or stripped.startswith(("#", "|", "![", ">", "<")) or re.fullmatch(r"[-*_=]{3,}", stripped):
            if current:
                paragraphs.append(" ".join(current))
                current = []
            continue
        current.append(stripped)
    for paragraph in paragraphs:
        text = re.sub(r"!\[[^\]]*\]\([^)]*\)", "", paragraph)
        text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)
        text = re.sub(r"^([-*+]|\d+[.)])\s+", "", text)
        text = " ".join(re.sub(r"[*_`]+", "", text).split())
        if len(text) >= 40:
            return _cut(text, limit)
    return ""


def _cut(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    kept = ""
    for sentence in re.split(r"(?<=[.!?])\s+", text):
        if len(kept) + len(sentence) + 1 > limit:
            break
        kept = f"{kept} {sentence}".strip()
    if len(kept) >= 30:
        return kept
    return text[:limit - 1].rsplit(" ", 1)[0].rstrip(",;:") + "…"
