"""Saved web pages read as a set: what a site repeats on every page, and what one page says about itself.

A `SiteProfile` is made from every page of an import before any is converted.
It knows the blocks of text (navigation, footers, a "related" table…) found on
most pages, so `remove_shared` can drop them from each page, and the part of the
`<title>` most pages share (the site's name, before or after the page's own
title: "Page | Site", "Site – Page"), so `clean_title` can drop it. With fewer
than three pages nothing counts as shared, and a page is never emptied by it.

`main_content` finds the element holding a page's own text: `<main>`,
`<article>` or a content landmark when the page has one, else the element that
best matches what readability-lxml (a port of Mozilla's Readability) extracts.
`page_facts` reads label and value pairs from definition lists, two-column
tables of labels, and "Label: value" lines in sidebars. `word_count` counts
words, for the share of a page's text an entry keeps.
"""

from __future__ import annotations

import copy
import logging
import re
from collections import Counter
from dataclasses import dataclass

MIN_PAGES = 3  # fewer pages than this share nothing
MIN_SHARED_CHARS = 20  # shorter blocks (a "Share" link, a "Background" heading) never count as shared
MIN_KEPT_WORDS = 20  # a page is never left with fewer words than this by removing shared text
MIN_CONTENT_WORDS = 15
_WORD = re.compile(r"\w+")
_HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")
# Elements whose text is compared across pages.
_BLOCKS = frozenset({"p", "li", "tr", "table", "ul", "ol", "dl", "div", "section", "aside", "nav", "header",
                     "footer", "blockquote", "figure", "form", "address", "details", "center", "span", "small"})
_LANDMARK_IDS = ("main-content", "maincontent", "content", "main")
_CANDIDATES = frozenset({"div", "section", "article", "main", "td", "body", "center", "form"})
_TITLE_SEPARATOR = re.compile(r"(\s+(?:[|–—·•»:]|-|::)\s+)")
_SIDEBAR_WORDS = frozenset({"sidebar", "facts", "keyfacts", "key-facts", "details", "meta", "metadata", "info",
                            "summary", "aside", "properties", "attributes", "at-a-glance", "panel"})
CHROME = ("nav", "header", "footer", "aside")
# Page furniture by class or id: cookie banners, breadcrumbs, share buttons, menus… Only short elements go,
# so a block of text whose class happens to say "social" (social-care, say) stays.
_CHROME_WORDS = frozenset({"cookie", "cookies", "consent", "gdpr", "breadcrumb", "breadcrumbs", "share", "sharing",
                           "sharethis", "addthis", "social", "skiplink", "skip", "newsletter", "masthead", "advert",
                           "advertisement", "ad", "ads", "sidebar", "related", "pagination", "feedback", "nav",
                           "navbar", "navigation", "menu", "footer", "topbar", "toolbar", "crumbs", "crumb"})
MAX_CHROME_TEXT = 400
_LABEL_LINE = re.compile(r"^([A-Z][\w '&/(),.-]{0,40}?)\s*:\s+(\S.{0,499})$", re.DOTALL)
MAX_LABEL = 40


def word_count(text: str) -> int:
    return len(_WORD.findall(text))


def text_of(element) -> str:
    return " ".join(element.get_text(" ").split())


def _key(text: str) -> str:
    return " ".join(text.split()).lower()


def title_parts(title: str) -> list[str]:
    """A <title> split at its separators, separators kept: 'A | B' -> ['A', ' | ', 'B']."""
    return [part for part in _TITLE_SEPARATOR.split(" ".join(title.split())) if part]


class SiteProfile:
    """What most pages of one import share: `add` each page (parsed), then `finish`.

    Until finished, or with fewer than three pages, it shares nothing."""

    def __init__(self):
        self.pages = 0
        self._blocks: Counter = Counter()
        self._headings: Counter = Counter()
        self._affixes: Counter = Counter()
        self.shared: set[str] = set()
        self.shared_headings: set[str] = set()
        self.affixes: set[tuple[str, str]] = set()
        self._shown: dict[str, str] = {}  # a title part as the pages write it, by its key

    def add(self, soup) -> None:
        """Count one page's blocks, headings and title parts (the page is not kept)."""
        self.pages += 1
        body = soup.body or soup
        tags = [tag for tag in body.descendants if tag.name in _BLOCKS or tag.name in _HEADINGS]
        seen = {_key(text_of(tag)) for tag in tags if tag.name in _BLOCKS}
        self._blocks.update(text for text in seen if len(text) >= MIN_SHARED_CHARS)
        self._headings.update({_key(text_of(tag)) for tag in tags if tag.name in _HEADINGS})
        parts = title_parts(soup.title.get_text(" ") if soup.title else "")
        if len(parts) >= 3:
            self._affixes.update({("start", _key(parts[0])), ("end", _key(parts[-1]))})
            for part in (parts[0], parts[-1]):
                self._shown.setdefault(_key(part), part.strip())

    def finish(self) -> SiteProfile:
        enough = max(MIN_PAGES, self.pages / 2) if self.pages >= MIN_PAGES else float("inf")
        self.shared = {text for text, count in self._blocks.items() if count >= enough}
        self.shared_headings = {text for text, count in self._headings.items() if count >= enough}
        self.affixes = {affix for affix, count in self._affixes.items() if count >= max(2, self.pages / 2)}
        self._blocks, self._headings, self._affixes = Counter(), Counter(), Counter()
        return self

    @property
    def site_names(self) -> list[str]:
        """The parts of the title most pages share, as the pages write them."""
        return sorted({self._shown.get(text, text) for _, text in self.affixes})

    def is_shared(self, element) -> bool:
        return _key(text_of(element)) in self.shared

    def is_shared_heading(self, text: str) -> bool:
        return _key(text) in self.shared_headings

    def remove_shared(self, root) -> int:
        """Drop from `root` the blocks most pages share (and headings left with nothing under them),
        unless that would leave fewer than MIN_KEPT_WORDS words; how many blocks went."""
        if not self.shared:
            return 0
        found = []

        def visit(element):
            for child in [node for node in element.children if node.name]:
                if child.name in _BLOCKS and not _header_row(child) and self.is_shared(child):
                    found.append(child)
                else:
                    visit(child)

        visit(root)
        if not found or word_count(text_of(root)) - sum(word_count(text_of(f)) for f in found) < MIN_KEPT_WORDS:
            return 0
        for element in found:
            element.decompose()
        for table in [tag for tag in root.descendants if tag.name == "table"]:
            rows = table.find_all("tr")
            if len(rows) <= 1 and (not rows or _header_row(rows[0])) and not table.find(["td"]):
                table.decompose()
        for heading in [tag for tag in root.descendants if tag.name in _HEADINGS]:
            if not heading.decomposed and self.is_shared_heading(text_of(heading)) and not _section_text(heading):
                heading.decompose()
        return len(found)

    def clean_title(self, title: str, site_name: str = "") -> str:
        """The title without the site's name before or after it."""
        parts = title_parts(title)
        names = {text for _, text in self.affixes} | ({_key(site_name)} if site_name else set())
        while len(parts) >= 3 and _key(parts[0]) in names:
            parts = parts[2:]
        while len(parts) >= 3 and _key(parts[-1]) in names:
            parts = parts[:-2]
        return "".join(parts).strip()


def is_chrome(tag) -> bool:
    """Page furniture: navigation, a header, footer or aside, or a short element whose class or id says
    cookie banner, breadcrumbs, share buttons, menu…"""
    if tag.name in CHROME:
        return True
    names = " ".join([str(tag.get("id", "") or ""), *map(str, tag.get("class", []) or [])]).lower()
    return bool(set(re.split(r"[-_\s]+", names)) & _CHROME_WORDS) and len(text_of(tag)) < MAX_CHROME_TEXT


def remove_chrome(content) -> None:
    """Navigation, headers, footers, asides and short page furniture out of the content."""
    for tag in [tag for tag in content.descendants if tag.name]:
        if not tag.decomposed and is_chrome(tag):
            tag.decompose()


def _header_row(element) -> bool:
    """A table's header row, which is kept when rows under it are dropped."""
    if element.name != "tr":
        return False
    table = element.find_parent("table")
    first = table.find("tr") if table else None
    return element.find_parent("thead") is not None or (
        first is element and all(cell.name == "th" for cell in element.find_all(["td", "th"], recursive=False)))


def _section_text(heading) -> str:
    """The text under a heading, up to the next heading of its level or higher."""
    level = int(heading.name[1])
    texts = []
    for sibling in heading.find_next_siblings(True):
        if sibling.name in _HEADINGS and int(sibling.name[1]) <= level:
            break
        texts.append(text_of(sibling))
    return " ".join(texts).strip()


def _landmark(tag) -> int | None:
    """Where a tag ranks as the page's content landmark (lower is surer), or None if it is not one."""
    if tag.name in ("main", "article"):
        return 0 if tag.name == "main" else 1
    if str(tag.get("role", "")).lower() == "main":
        return 2
    ident = str(tag.get("id", "")).lower()
    if ident in _LANDMARK_IDS:
        return 3 + _LANDMARK_IDS.index(ident)
    return 3 + len(_LANDMARK_IDS) if "main-content" in (tag.get("class") or []) else None


def main_content(soup, min_words: int = MIN_CONTENT_WORDS):
    """The element holding the page's own text: a content landmark (`<main>`, `<article>`, role=main, a
    #content…), else readability's choice, else the body."""
    ranked: dict[int, object] = {}
    for tag in soup.descendants:
        if tag.name and (rank := _landmark(tag)) is not None and rank not in ranked:
            ranked[rank] = tag
    for rank in sorted(ranked):
        if word_count(text_of(ranked[rank])) >= min_words:
            return ranked[rank]
    return _readability_choice(soup, min_words) or soup.body or soup


def _readability_choice(soup, min_words: int):
    """The element of our own tree whose words best match readability's extract (by F1 of word overlap),
    so the page's own markup (tables, frames, images) is kept as it was, not as readability cleaned it."""
    from bs4 import BeautifulSoup, NavigableString
    from readability import Document
    from readability.readability import Unparseable

    logging.getLogger("readability.readability").setLevel(logging.WARNING)
    try:
        extract = Document(str(soup)).summary(html_partial=True)
    except (Unparseable, ValueError):
        return None
    target = Counter(w.lower() for w in _WORD.findall(BeautifulSoup(extract, "html.parser").get_text(" ")))
    wanted = sum(target.values())
    if wanted < min_words:
        return None
    body = soup.body or soup
    totals: dict[int, tuple[int, int, int]] = {}  # id(tag) -> (words, words also in the extract, all words)
    tags = [tag for tag in body.descendants if tag.name]
    for tag in reversed([body, *tags]):
        words = overlap = raw = 0
        for child in tag.children:
            if isinstance(child, NavigableString):
                if type(child) is NavigableString:  # not a comment, script or style
                    found = [w.lower() for w in _WORD.findall(str(child))]
                    words, raw = words + len(found), raw + len(found)
                    overlap += sum(1 for w in found if w in target)
            elif id(child) in totals:
                counted = totals[id(child)]
                words, overlap, raw = words + counted[0], overlap + counted[1], raw + counted[2]
        if tag is not body and (is_chrome(tag) or _hidden(tag)):
            words = overlap = 0  # furniture goes anyway: it neither helps nor hurts a candidate
        totals[id(tag)] = (words, overlap, raw)
    best, best_key = None, (0.0, 0)
    for tag in [body, *(tag for tag in tags if tag.name in _CANDIDATES)]:
        words, overlap, raw = totals.get(id(tag), (0, 0, 0))
        if not words or not overlap:
            continue
        precision, recall = overlap / words, min(1.0, overlap / wanted)
        key = (round(2 * precision * recall / (precision + recall), 6), -raw)  # ties: the smaller element
        if key > best_key:
            best, best_key = tag, key
    return best


def _hidden(tag) -> bool:
    style = str(tag.get("style", "")).replace(" ", "").lower()
    return tag.has_attr("hidden") or "display:none" in style


def _sidebar(element) -> bool:
    for node in [element, *element.parents]:
        if node.name in ("aside", "dl"):
            return True
        names = " ".join([str(node.get("id", "") or ""), *map(str, node.get("class", []) or [])]).lower()
        if set(re.split(r"[\s_]+", names)) & _SIDEBAR_WORDS or any(w in names for w in ("sidebar", "facts")):
            return True
    return False


def _value(element) -> str:
    items = element.find_all("li")
    if items:
        return "; ".join(text_of(item) for item in items if text_of(item))
    if element.find("br"):
        element = copy.copy(element)  # the page itself is left as it is
        for br in element.find_all("br"):
            br.replace_with("; ")
    return re.sub(r"\s+([,;])", r"\1", text_of(element)).strip(" ;")


@dataclass
class Fact:
    """A label and value the page shows ("Organisation: Example Council"), and the element showing it."""

    label: str
    value: str
    element: object


def page_facts(soup) -> list[Fact]:
    """Label and value pairs the page shows: definition lists, tables of labels and values, and
    "Label: value" lines in sidebars. The first value for a label wins."""
    facts: list[Fact] = []
    seen: set[str] = set()

    def add(label: str, value: str, element) -> None:
        label = " ".join(label.split()).strip().rstrip(":").strip()
        value = " ".join(value.split())
        if label and value and len(label) <= MAX_LABEL and label.lower() not in seen:
            seen.add(label.lower())
            facts.append(Fact(label, value[:500], element))

    body = soup.body or soup
    tags = [tag for tag in body.descendants if tag.name]
    for dl in [tag for tag in tags if tag.name == "dl"]:
        label = ""
        for item in dl.find_all(["dt", "dd"]):
            if item.find_parent("dl") is not dl:
                continue
            if item.name == "dt":
                label = text_of(item)
            elif label:
                add(label, _value(item), dl)
    for table in [tag for tag in tags if tag.name == "table"]:
        rows = [[cell for cell in row.children if cell.name in ("td", "th")] for row in table.find_all("tr")]
        rows = [row for row in rows if row]
        if rows and all(len(row) == 2 for row in rows) and all(
                row[0].name == "th" or text_of(row[0]).endswith(":") or row[0].find(["strong", "b"])
                for row in rows):
            for label, value in rows:
                add(text_of(label), _value(value), table)
    for element in [tag for tag in tags if tag.name in ("li", "p", "div", "span")]:
        if not _sidebar(element) or any(tag.name in ("li", "p", "div", "table", "dl") for tag in element.descendants):
            continue
        match = _LABEL_LINE.match(text_of(element))
        if match:
            add(match.group(1), match.group(2), element)
    return facts
