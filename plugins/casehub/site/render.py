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
from markdown.treeprocessors import InlineProcessor
from markdown.util import AtomicString
from markupsafe import Markup

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
                    el.attrib["id"] = unique(self.slugify(html.unescape(name), self.sep), used_ids, counters)
                el.attrib.pop("data-toc-label", None)
        return None


class HeadingIdExtension(TocExtension):
    TreeProcessorClass = HeadingIds


# The inline patterns Python-Markdown registers for these extensions, and a character
# (or two spaces before a line break) that every one of them needs in order to match;
# \x02 and \x03 mark text already stashed by a pattern.
INLINE_PATTERNS = {"backtick", "escape", "reference", "link", "image_link", "image_reference", "short_reference",
                   "short_image_ref", "autolink", "automail", "linebreak", "html", "entity", "em_strong", "em_strong2"}
MAY_MATCH = ("\\", "`", "*", "_", "[", "!", "<", "&", "\x02", "\x03", "  \n")


def _holds(text: str, pieces: tuple[str, ...]) -> bool:
    # A few substring searches, each a fast scan: quicker over a whole body than one pattern.
    return any(piece in text for piece in pieces)


class PlainTextInline(InlineProcessor):
    """Python-Markdown's inline processor, which skips text no inline pattern can match.

    It tries each of its fourteen patterns on every run of text, and most runs of
    prose contain no markup: half the Markdown time went there. Installed only
    when the registered patterns are the known ones above; the output is the
    same as without it (tested on every sample, example and synthetic entry)."""

    def _InlineProcessor__handleInline(self, data, patternIndex=0):  # noqa: N802 - overrides the private loop
        if patternIndex == 0 and not isinstance(data, AtomicString) and not _holds(data, MAY_MATCH):
            return data
        return super()._InlineProcessor__handleInline(data, patternIndex)


# Characters without which HTML blocks, fenced code and heading text need no work: markup, entities
# and the placeholders (\x02, \x03) Python-Markdown stashes text behind.
MARKUP = ("<", ">", "&", "\x02", "\x03")
# A block every line of which starts with a letter, and no table pipe: no block processor
# but the paragraph's can take it (each of the others needs a space, #, =, -, *, +, _, a digit,
# >, [ or | where this has a letter, or none).
_PLAIN_PARAGRAPH = re.compile(r"[A-Za-z][^|\n]*(?:\n[A-Za-z][^|\n]*)*")
BLOCK_PROCESSORS = {"empty", "indent", "code", "table", "hashheader", "setextheader", "hr", "olist", "ulist",
                    "quote", "reference", "paragraph"}


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
            return text.split("\n")
        return super().run(lines)


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
    if plain_text_shortcut and set(md.parser.blockprocessors._data) == BLOCK_PROCESSORS:
        md.parser.blockprocessors.register(PlainParagraphs(md.parser), "plain_paragraph", 110)
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
