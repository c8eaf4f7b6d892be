"""HTML to Markdown: parsed HTML cleaned of what must not reach an entry, then converted.

`clean_soup` drops scripts, styles, frames, forms, embedded objects, hidden
elements, event handlers, tracking pixels and links to javascript:, data: or
file: addresses (their words kept), recording each kind of change in a set;
`html_to_markdown` converts what is left with markdownify. `change_notes` turns
the kinds of change (these and body.py's) into the notes an importer reports.
Nothing here decides what a body is: that is body.py's job.
"""

from __future__ import annotations

import re
from urllib.parse import urljoin

from .model import Note

# HTML that is never kept, with everything inside it.
UNSAFE_TAGS = ("script", "style", "iframe", "frame", "frameset", "object", "embed", "applet", "form", "input",
               "button", "select", "textarea", "option", "noscript", "template", "svg", "math", "canvas", "audio",
               "video", "source", "track", "link", "meta", "base", "head", "title", "dialog", "portal")
BLOCK_TAGS = frozenset({"p", "div", "ul", "ol", "li", "table", "thead", "tbody", "tr", "td", "th", "h1", "h2", "h3",
                        "h4", "h5", "h6", "blockquote", "pre", "section", "article", "figure", "figcaption", "dl",
                        "dt", "dd", "hr", "main", "aside", "header", "footer", "nav", "details", "summary", "center",
                        *UNSAFE_TAGS})
ANY_TAG = re.compile(r"</?([A-Za-z][A-Za-z0-9-]*)(?:\s[^<>]*)?/?>")
_SAFE_SCHEMES = ("http", "https", "mailto")
_CHANGE_MESSAGES = {
    "unsafe": ("scripts, styles, frames, forms or embedded objects were removed", False),
    "hidden": ("hidden content (hidden, aria-hidden or display:none) was removed", True),
    "handlers": ("event handlers (onclick, onload…) were removed", False),
    "links": ("unsafe links (to javascript, data or file addresses) were removed, their words kept", True),
    "tracking": ("tracking images (1 pixel) were removed", False),
    "html": ("HTML was converted to Markdown", False),
    "comments": ("HTML comments were removed", False),
    "escaped": ("text that would read as HTML had its < written as &lt;", True),
    "characters": ("invisible control or text-direction characters were removed", False),
}


# Each kind of change's note code, as the report counts them.
_CHANGE_CODES = {"unsafe": "unsafe-html-removed", "hidden": "hidden-html-removed", "handlers": "event-handlers-removed",
                 "links": "unsafe-links-removed", "tracking": "tracking-images-removed", "html": "html-converted",
                 "comments": "html-comments-removed", "escaped": "html-escaped", "characters": "characters-removed"}


def change_notes(changes: set[str]) -> list[Note]:
    return [Note(message, review, _CHANGE_CODES.get(key, f"html-{key}"))
            for key, (message, review) in _CHANGE_MESSAGES.items() if key in changes]


def _scheme(url: str) -> str:
    compact = re.sub(r"[\s\x00-\x1f]+", "", url).lower()
    match = re.match(r"([a-z][a-z0-9+.-]*):", compact)
    return match.group(1) if match else ""


def clean_soup(soup, changes: set[str], base_url: str = "") -> None:
    """Remove from parsed HTML everything that must not reach an entry, recording what kind of thing went."""
    from bs4 import Comment

    for comment in soup.find_all(string=lambda s: isinstance(s, Comment)):
        comment.extract()
        changes.add("comments")
    for form in soup.find_all("form"):
        if form.find(["p", "h1", "h2", "h3", "article", "main", "section", "ul", "table"]):
            form.unwrap()  # a form around the page's text: keep the text, its controls go below
            changes.add("unsafe")
    for tag in soup.find_all(UNSAFE_TAGS):
        if tag.decomposed:
            continue
        if tag.name in UNSAFE_TAGS and tag.name not in ("meta", "link", "head", "title", "base"):
            changes.add("unsafe")
        tag.decompose()
    for tag in soup.find_all(True):
        if tag.decomposed:
            continue
        style = str(tag.get("style", "")).replace(" ", "").lower()
        if (tag.has_attr("hidden") or str(tag.get("aria-hidden", "")).lower() == "true"
                or "display:none" in style or "visibility:hidden" in style):
            tag.decompose()
            changes.add("hidden")
            continue
        handlers = [name for name in tag.attrs if name.lower().startswith("on")]
        for name in handlers:
            del tag.attrs[name]
            changes.add("handlers")
        if tag.name == "a" and tag.has_attr("href"):
            href = str(tag["href"]).strip()
            scheme = _scheme(href)
            if scheme and scheme not in _SAFE_SCHEMES:
                tag.unwrap()
                changes.add("links")
            elif not scheme and base_url and not href.startswith("#"):
                tag["href"] = urljoin(base_url, href)
        elif tag.name == "img":
            src = str(tag.get("src", "")).strip()
            if _scheme(src) and _scheme(src) not in ("http", "https"):
                tag.decompose()
                changes.add("links")
            elif str(tag.get("width", "")).strip() in ("0", "1") or str(tag.get("height", "")).strip() in ("0", "1"):
                tag.decompose()
                changes.add("tracking")


def _code_language(element) -> str | None:
    for node in [element, *element.find_all("code", limit=1)]:
        for name in node.get("class", []) or []:
            if name.startswith(("language-", "lang-")):
                language = name.split("-", 1)[1]
                return language if re.fullmatch(r"[A-Za-z0-9_+-]{1,30}", language) else None
    return None


def html_to_markdown(html_or_soup, changes: set[str], base_url: str = "") -> str:
    """HTML (text or a parsed tree) as Markdown, after `clean_soup`. Markdown in text nodes passes through."""
    from bs4 import BeautifulSoup
    from markdownify import MarkdownConverter

    soup = html_or_soup
    if isinstance(soup, str):
        soup = BeautifulSoup(soup, "html.parser")
    clean_soup(soup, changes, base_url)
    converter = MarkdownConverter(
        heading_style="ATX", bullets="-", escape_asterisks=False, escape_underscores=False, escape_misc=False,
        code_language_callback=_code_language, strip=["span", "font", "u", "small", "big", "abbr"],
        keep_inline_images_in=["a", "td", "th", "li", "p", "div", "span", "figure", "strong", "em", "b", "i"])
    changes.add("html")
    return converter.convert_soup(soup)
