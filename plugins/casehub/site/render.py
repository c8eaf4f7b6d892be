"""Markdown to safe HTML for entry bodies.

One Markdown renderer is built once and reset between entries; its output is
always passed through nh3 (the Ammonia sanitiser) with an allow-list, so even
if the validator missed something, no script, event handler or unsafe URL
reaches a page. This is the only place entry HTML is marked safe.
"""

from __future__ import annotations

import html
import re

import markdown
import nh3
from markdown.extensions.toc import TocExtension, TocTreeprocessor, remove_fnrefs, render_inner_html, strip_tags, unique
from markdown.treeprocessors import InlineProcessor
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

    def run(self, doc) -> None:
        if self.marker and any((p.text or "").strip() == self.marker for p in doc.iter("p")):
            return super().run(doc)
        used_ids = {el.attrib["id"] for el in doc.iter() if "id" in el.attrib}
        counters: dict[str, int] = {}
        for el in doc.iter():
            if isinstance(el.tag, str) and self.header_rgx.match(el.tag):
                self.set_level(el)
                if "id" not in el.attrib:
                    name = strip_tags(render_inner_html(remove_fnrefs(el), self.md))
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
_MAY_MATCH = re.compile(r"[\\`*_\[!<&\x02\x03]|  \n")


class PlainTextInline(InlineProcessor):
    """Python-Markdown's inline processor, which skips text no inline pattern can match.

    It tries each of its fourteen patterns on every run of text, and most runs of
    prose contain no markup: half the Markdown time went there. Installed only
    when the registered patterns are the known ones above; the output is the
    same as without it (tested on every sample, example and synthetic entry)."""

    def _InlineProcessor__handleInline(self, data, patternIndex=0):  # noqa: N802 - overrides the private loop
        if patternIndex == 0 and not isinstance(data, AtomicString) and not _MAY_MATCH.search(data):
            return data
        return super()._InlineProcessor__handleInline(data, patternIndex)


def markdown_renderer(heading_ids=HeadingIdExtension, plain_text_shortcut: bool = True) -> markdown.Markdown:
    """Python-Markdown as entries use it: tables, fenced code, sane lists and heading ids."""
    md = markdown.Markdown(extensions=["tables", "fenced_code", "sane_lists", heading_ids(permalink=False)],
                           output_format="html")
    if plain_text_shortcut and set(md.inlinePatterns._data) <= INLINE_PATTERNS:
        md.treeprocessors.register(PlainTextInline(md), "inline", 20)  # in place of the stock one, same priority
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


def sanitise(html: str) -> str:
    """Keep only the tags, attributes and URL schemes an entry body may use."""
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer",
        strip_comments=True,
    )


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
