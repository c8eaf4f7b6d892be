"""Markdown to safe HTML for entry bodies.

One Markdown renderer is built once and reset between entries; its output is
always passed through nh3 (the Ammonia sanitiser) with an allow-list, so even
if the validator missed something, no script, event handler or unsafe URL
reaches a page. This is the only place entry HTML is marked safe.
"""

from __future__ import annotations

import markdown
import nh3
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


class Renderer:
    """Renders entry bodies; reuse one instance for many entries."""

    def __init__(self):
        self._markdown = markdown.Markdown(
            extensions=["tables", "fenced_code", "sane_lists", "toc"],
            extension_configs={"toc": {"permalink": False}},
            output_format="html",
        )

    def __call__(self, text: str) -> Markup:
        html = self._markdown.reset().convert(text)
        return Markup(sanitise(html))


def render_all(bodies: list[str]) -> list[str]:
    """Render many bodies with one renderer (a chunk for `parallel.map_in_chunks`)."""
    render = Renderer()
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
