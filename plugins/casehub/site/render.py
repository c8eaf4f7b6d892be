"""Markdown to safe HTML for entry bodies.

One Markdown renderer is built once and reset between entries; its output is
always passed through nh3 (the Ammonia sanitiser) with an allow-list, so even
if the validator missed something, no script, event handler or unsafe URL
reaches a page. This is the only place entry HTML is marked safe.
"""

from __future__ import annotations

import html
import re
import xml.etree.ElementTree as etree

import markdown
import nh3
from markdown.blockprocessors import BlockProcessor
from markdown.extensions.fenced_code import FencedBlockPreprocessor
from markdown.extensions.toc import TocExtension, TocTreeprocessor, remove_fnrefs, render_inner_html, strip_tags, unique
from markdown.preprocessors import HtmlBlockPreprocessor, NormalizeWhitespace
from markdown.treeprocessors import InlineProcessor, UnescapeTreeprocessor
from markdown.util import AtomicString
from markupsafe import Markup

from .dates import long_date, month_name

ALLOWED_TAGS = {
    "a", "abbr", "blockquote", "br", "caption", "code", "dd", "del", "dl", "dt", "em",
    "figcaption", "figure", "h2", "h3", "h4", "h5", "h6", "hr", "img", "li", "ol", "p",
    "pre", "strong", "sub", "sup", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "ul",
}
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "abbr": {"title"},
    "img": {"src", "alt", "title", "width", "height"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan", "scope"},
    "h2": {"id"}, "h3": {"id"}, "h4": {"id"},
    "ol": {"start"},
}
URL_SCHEMES = {"http", "https", "mailto"}


class HeadingIds(TocTreeprocessor):
    """The toc extension's heading ids, without the table of contents no page shows.

    toc serialises a contents list for every entry, a quarter of the Markdown time;
    this gives each heading exactly the id toc would (tested against it), and hands
    the rare body that asks for a contents list with the [TOC] marker to toc itself."""

    def __init__(self, md, config):
        super().__init__(md, config)
        self.slugs: dict[str, str] = {}

    def run(self, doc) -> None:
        if self.marker and any((p.text or "").strip() == self.marker for p in doc.iter("p")):
            return super().run(doc)
        used_ids = {el.attrib["id"] for el in doc.iter() if "id" in el.attrib}
        counters: dict[str, int] = {}
        for el in doc.iter():
            if isinstance(el.tag, str) and self.header_rgx.match(el.tag):
                self.set_level(el)
                if "id" not in el.attrib:
                    if len(el) or _holds(el.text or "", MARKUP):
                        name = strip_tags(render_inner_html(remove_fnrefs(el), self.md))
                    else:  # plain text, which serialising and the postprocessors give back as it is
                        name = " ".join((el.text or "").split())
                    el.attrib["id"] = unique(self._slug(html.unescape(name)), used_ids, counters)
                el.attrib.pop("data-toc-label", None)
        return None


    def _slug(self, name: str) -> str:
        # Headings repeat from entry to entry ("Context", "Lessons learned"): each slugged once.
        if name not in self.slugs:
            self.slugs[name] = self.slugify(name, self.sep)
        return self.slugs[name]


class HeadingIdExtension(TocExtension):
    TreeProcessorClass = HeadingIds


# The inline patterns Python-Markdown registers for these extensions, each with what its
# pattern cannot match without (any one of): a character, "![" or two spaces before a line
# break. \x02 and \x03 mark text already stashed by a pattern: text with none of these at all
# is passed over whole.
TRIGGERS = {"backtick": ("`",), "escape": ("\\",), "reference": ("[",), "link": ("[",), "image_link": ("![",),
            "image_reference": ("![",), "short_reference": ("[",), "short_image_ref": ("![",), "autolink": ("<",),
            "automail": ("<",), "linebreak": ("  \n",), "html": ("<",), "entity": ("&",), "em_strong": ("*", "_"),
            "em_strong2": ("_",)}
INLINE_PATTERNS = set(TRIGGERS)
MAY_MATCH = ("\\", "`", "*", "_", "[", "!", "<", "&", "\x02", "\x03", "  \n")


def _holds(text: str, pieces: tuple[str, ...]) -> bool:
    # A few substring searches, each a fast scan: quicker over a whole body than one pattern.
    for piece in pieces:
        if piece in text:
            return True
    return False


class PlainTextInline(InlineProcessor):
    """Python-Markdown's inline processor, which does not try a pattern on text it cannot match.

    It tries each of its fourteen patterns on every run of text (and again on what is left
    each time one matches), and most runs of prose contain no markup, or one or two kinds:
    most of the Markdown time went there. This passes over text with nothing any pattern
    needs, and over each pattern whose every trigger (TRIGGERS) the text lacks, as the
    pattern would find no match there. Installed only when the registered patterns are the
    known ones above; the output is the same as without it (tested on every sample, example
    and synthetic entry, and on tricky markup)."""

    def __init__(self, md):
        super().__init__(md)
        self.triggers: list[tuple[str, ...] | None] = [None] * len(self.inlinePatterns)  # by the patterns' order
        for name, triggers in TRIGGERS.items():
            if name in self.inlinePatterns:
                self.triggers[self.inlinePatterns.get_index_for_name(name)] = triggers

    def _InlineProcessor__handleInline(self, data, patternIndex=0):  # noqa: N802 - overrides the private loop
        if isinstance(data, AtomicString) or (patternIndex == 0 and not _holds(data, MAY_MATCH)):
            return data
        # Python-Markdown's own loop, with the patterns that cannot match skipped: not matching
        # is all that trying one would do (it starts the next pattern from the beginning).
        start, count = 0, len(self.inlinePatterns)
        while patternIndex < count:
            triggers = self.triggers[patternIndex]
            if triggers is not None and not _holds(data, triggers):
                patternIndex, start = patternIndex + 1, 0
                continue
            data, matched, start = self._InlineProcessor__applyPattern(
                self.inlinePatterns[patternIndex], data, patternIndex, start)
            if not matched:
                patternIndex += 1
        return data


# Characters without which HTML blocks, fenced code and heading text need no work: markup, entities
# and the placeholders (\x02, \x03) Python-Markdown stashes text behind.
MARKUP = ("<", ">", "&", "\x02", "\x03")
# A block no block processor but the paragraph's can take: its first line does not start with
# a space (indented code, lists in lists), #, =, -, _, *, +, >, [, | or a digit, nor does any
# later line, digits apart (which only start a list on a block's first line); and no table pipe
# anywhere. Each of the other processors needs one of these where this has none.
_PLAIN_PARAGRAPH = re.compile(r"[^\s#=\-_*+>\[|0-9\x02\x03][^|\n]*(?:\n[^\s#=\-_*+>\[|][^|\n]*)*")
BLOCK_PROCESSORS = {"empty", "indent", "code", "table", "hashheader", "setextheader", "hr", "olist", "ulist",
                    "quote", "reference", "paragraph"}
# Block processors whose pattern cannot match a block without one of these, with the priority
# Python-Markdown registers each at: a table needs a pipe, a heading # (or a line of = or -), a
# rule -, _ or *, a quote >, a link reference [.
BLOCK_TRIGGERS = {"table": (("|",), 75), "hashheader": (("#",), 70), "setextheader": (("=", "-"), 60),
                  "hr": (("-", "_", "*"), 50), "quote": ((">",), 20), "reference": (("[",), 15)}


# What whitespace normalising changes: control characters, tabs, and lines of spaces only
# (a line of spaces starts with "\n ").
UNNORMAL = ("\x02", "\x03", "\r", "\t", "\n ")


class PlainWhitespace(NormalizeWhitespace):
    """Whitespace normalising, which only adds the two closing newlines to a body that has none
    of the characters it changes (most bodies), rather than scanning it five times."""

    def run(self, lines: list[str]) -> list[str]:
        source = "\n".join(lines)
        if _holds(source, UNNORMAL):
            return super().run(lines)
        return (source + "\n\n").split("\n")


class PlainHtmlBlocks(HtmlBlockPreprocessor):
    """The HTML block preprocessor, which gives back unchanged a body with no < or &: there
    is no HTML in it to set aside, and it would feed every body through an HTML parser."""

    def run(self, lines: list[str]) -> list[str]:
        if not _holds("\n".join(lines), MARKUP):
            return lines
        return super().run(lines)


class PlainFencedCode(FencedBlockPreprocessor):
    """The fenced code preprocessor, which gives back unchanged a body with no fence (``` or ~~~)."""

    def run(self, lines: list[str]) -> list[str]:
        text = "\n".join(lines)
        if "```" not in text and "~~~" not in text:
            return lines
        return super().run(lines)


class Triggered(BlockProcessor):
    """A stock block processor, asked about a block only when it holds one of its triggers
    (BLOCK_TRIGGERS): as it would say no to any other, and the table's asking is costly."""

    def __init__(self, processor: BlockProcessor, triggers: tuple[str, ...]):
        super().__init__(processor.parser)
        self.processor, self.triggers = processor, triggers

    def test(self, parent, block) -> bool:
        return _holds(block, self.triggers) and self.processor.test(parent, block)

    def run(self, parent, blocks):
        return self.processor.run(parent, blocks)


class PlainUnescape(UnescapeTreeprocessor):
    """Putting back backslash-escaped characters, which leaves alone text with no \x02: only an
    escape puts one there (whitespace normalising removes any the body had)."""

    def unescape(self, text: str) -> str:
        return super().unescape(text) if "\x02" in text else text


class PlainParagraphs(BlockProcessor):
    """Makes a paragraph of a top-level block of plain lines before the eleven block processors
    are each asked whether it is theirs, which the paragraph's would get last (same output)."""

    def test(self, parent, block) -> bool:
        return not self.parser.state and parent is self.parser.root and bool(_PLAIN_PARAGRAPH.fullmatch(block))

    def run(self, parent, blocks) -> None:
        # What ParagraphProcessor does with a block outside a list.
        etree.SubElement(parent, "p").text = blocks.pop(0).lstrip()


def markdown_renderer(heading_ids=HeadingIdExtension, plain_text_shortcut: bool = True) -> markdown.Markdown:
    """Python-Markdown as entries use it: tables, fenced code, sane lists and heading ids.

    `plain_text_shortcut` installs the processors above that pass over plain text, each only
    where the stock processors around it are the known ones."""
    md = markdown.Markdown(extensions=["tables", "fenced_code", "sane_lists", heading_ids(permalink=False)],
                           output_format="html")
    if plain_text_shortcut and set(md.inlinePatterns._data) <= INLINE_PATTERNS:
        md.treeprocessors.register(PlainTextInline(md), "inline", 20)  # in place of the stock one, same priority
    if plain_text_shortcut and "unescape" in md.treeprocessors:
        md.treeprocessors.register(PlainUnescape(md), "unescape", 0)
    if plain_text_shortcut and set(md.parser.blockprocessors._data) == BLOCK_PROCESSORS:
        md.parser.blockprocessors.register(PlainParagraphs(md.parser), "plain_paragraph", 110)
        for name, (triggers, priority) in BLOCK_TRIGGERS.items():
            md.parser.blockprocessors.register(Triggered(md.parser.blockprocessors[name], triggers), name, priority)
    if plain_text_shortcut and set(md.preprocessors._data) == {"normalize_whitespace", "html_block",
                                                                "fenced_code_block"}:
        fenced = md.preprocessors["fenced_code_block"]
        md.preprocessors.register(PlainWhitespace(md), "normalize_whitespace", 30)
        md.preprocessors.register(PlainHtmlBlocks(md), "html_block", 20)
        md.preprocessors.register(PlainFencedCode(md, fenced.config), "fenced_code_block", 25)
    return md


class Renderer:
    """Renders entry bodies; reuse one instance for many entries.

    `shortcuts=False` renders the straightforward way, with stock Python-Markdown (the
    build's CASEHUB_SHORTCUTS setting): a test compares the two sites byte for byte."""

    def __init__(self, shortcuts: bool = True):
        self._markdown = (markdown_renderer() if shortcuts
                          else markdown_renderer(TocExtension, plain_text_shortcut=False))

    def __call__(self, text: str) -> Markup:
        html = self._markdown.reset().convert(text)
        return Markup(sanitise(html))


def render_all(bodies: list[str], shortcuts: bool = True) -> list[str]:
    """Render many bodies with one renderer (a chunk for `parallel.map_in_chunks`)."""
    render = Renderer(shortcuts)
    return [str(render(body)) for body in bodies]


# Built once: nh3.clean would build the same sanitiser again for every body.
_SANITISER = nh3.Cleaner(
    tags=ALLOWED_TAGS,
    attributes=ALLOWED_ATTRIBUTES,
    url_schemes=URL_SCHEMES,
    link_rel="noopener noreferrer",
    strip_comments=True,
)


def sanitise(html: str) -> str:
    """Keep only the tags, attributes and URL schemes an entry body may use."""
    return _SANITISER.clean(html)


def sanitised(html: str) -> Markup:
    """Jinja filter for HTML from Pelican's own pages: sanitise, then mark safe."""
    return Markup(sanitise(str(html)))


def add_template_filters(generator) -> None:
    # Every generator's template environment gets the filter, so the theme can
    # mark HTML safe only after sanitising it.
    generator.env.filters["sanitised"] = sanitised
    # Dates in English on any machine (strftime's month names follow the process's locale).
    generator.env.filters["long_date"] = long_date
    generator.env.filters["month_name"] = month_name
