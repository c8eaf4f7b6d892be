"""HTML to Markdown: parsed HTML cleaned of what must not reach an entry, then converted.

`html_to_markdown` is the one converter every importer feeds HTML through (saved
pages, HTML in Markdown bodies and spreadsheet cells, and documents or feeds
turned into HTML first). It runs `clean_soup`, which drops scripts, styles,
forms, hidden elements, event handlers, tracking pixels and links to
javascript:, data: or file: addresses (their words kept), and turns embedded
videos, maps and other frames into a link to what they showed ("Video: [Our
film](https://www.youtube.com/watch?v=…)"); then unwraps layout tables and
converts the rest with markdownify, data tables as one Markdown table each and
definition lists as readable lists (htmltables.py). Each kind of change is
recorded in a set, which `change_notes` turns into notes with stable codes.
Nothing here decides what a body is: that is body.py's job.
"""

from __future__ import annotations

import functools
import html
import re
from urllib.parse import parse_qs, urljoin, urlsplit

from .htmltables import one_line, table_markdown, unwrap_layout_tables
from .model import Note

# HTML that is never kept, with everything inside it (embedded frames become links first).
UNSAFE_TAGS = ("script", "style", "iframe", "frame", "frameset", "object", "embed", "applet", "form", "input",
               "button", "select", "textarea", "option", "noscript", "template", "svg", "math", "canvas", "audio",
               "video", "source", "track", "link", "meta", "base", "head", "title", "dialog", "portal")
EMBED_TAGS = ("iframe", "embed", "object", "video", "audio")
BLOCK_TAGS = frozenset({"p", "div", "ul", "ol", "li", "table", "thead", "tbody", "tr", "td", "th", "h1", "h2", "h3",
                        "h4", "h5", "h6", "blockquote", "pre", "section", "article", "figure", "figcaption", "dl",
                        "dt", "dd", "hr", "main", "aside", "header", "footer", "nav", "details", "summary", "center",
                        *UNSAFE_TAGS})
INLINE_TAGS = frozenset({"a", "abbr", "b", "br", "cite", "code", "em", "i", "img", "kbd", "mark", "q", "s", "small",
                         "span", "strong", "sub", "sup", "u", "font", "big", "del", "ins", "time", "picture"})
ANY_TAG = re.compile(r"</?([A-Za-z][A-Za-z0-9-]*)(?:\s[^<>]*)?/?>")
_SAFE_SCHEMES = ("http", "https", "mailto")
_INLINE_PARENTS = frozenset({"p", "span", "a", "em", "strong", "b", "i", "label", "h1", "h2", "h3", "h4", "h5", "h6",
                             "td", "th", "dt", "small", "font"})
_TRACKERS = re.compile(r"(?i)googletagmanager\.com|doubleclick\.net|facebook\.com/tr|google-analytics\.com")
# What an embedded frame showed, by its address: the word a reader sees before the link.
_EMBED_KINDS = (
    ("Video", re.compile(r"(?i)youtube(?:-nocookie)?\.com|youtu\.be|vimeo\.com|dailymotion\.com|wistia\.(?:com|net)"
                         r"|ted\.com/talks|loom\.com|vidyard\.com|brightcove|stream\.microsoft\.com"
                         r"|facebook\.com/plugins/video")),
    ("Audio", re.compile(r"(?i)soundcloud\.com|spotify\.com|anchor\.fm|buzzsprout\.com|podbean\.com|libsyn\.com"
                         r"|audioboom\.com")),
    ("Map", re.compile(r"(?i)google\.[a-z.]+/maps|maps\.google\.|openstreetmap\.org|arcgis\.com|mapbox\.com|umap\.")),
    ("Slides", re.compile(r"(?i)docs\.google\.com/presentation|slideshare\.net|speakerdeck\.com|prezi\.com")),
    ("Form", re.compile(r"(?i)docs\.google\.com/forms|forms\.office\.com|forms\.gle|surveymonkey\.")),
    ("Chart", re.compile(r"(?i)datawrapper\.dwcdn\.net|flourish\.studio|tableau\.com|powerbi\.com|infogram\.com")),
    ("Document", re.compile(r"(?i)docs\.google\.com/(?:document|spreadsheets)|\.pdf(?:[?#]|$)|sharepoint\.com"
                            r"|onedrive\.live\.com")),
    ("Post", re.compile(r"(?i)twitter\.com|//x\.com|linkedin\.com/embed|instagram\.com")),
)
_YOUTUBE = re.compile(r"(?i)^https?://(?:www\.)?youtube(?:-nocookie)?\.com/(?:embed|v)/([A-Za-z0-9_-]{6,})")
_VIMEO = re.compile(r"(?i)^https?://player\.vimeo\.com/video/([0-9]+)")
_LAZY_SOURCES = ("data-src", "data-lazy-src", "data-original", "data-srcset", "srcset")

# Each kind of change: its code (stable, for programs), its message, and whether a person should look.
_CHANGES = {
    "unsafe": ("unsafe-html-removed", "scripts, styles, forms or unsafe embedded objects were removed", False),
    "hidden": ("hidden-html-removed", "hidden content (hidden, aria-hidden or display:none) was removed", True),
    "handlers": ("event-handlers-removed", "event handlers (onclick, onload…) were removed", False),
    "links": ("unsafe-links-removed", "unsafe links (to javascript, data or file addresses) were removed, "
              "their words kept", True),
    "tracking": ("tracking-images-removed", "tracking images and frames (1 pixel) were removed", False),
    "embeds": ("embed-linked", "embedded videos, maps or other frames became links to what they showed", False),
    "layout": ("layout-table-unwrapped", "tables used for page layout were unwrapped into their content", False),
    "html": ("html-converted", "HTML was converted to Markdown", False),
    "comments": ("html-comments-removed", "HTML comments were removed", False),
    "escaped": ("html-escaped", "text that would read as HTML had its < written as &lt;", True),
    "characters": ("characters-removed", "invisible control or text-direction characters were removed", False),
}


def change_notes(changes: set[str]) -> list[Note]:
    return [Note(message, review, code) for key, (code, message, review) in _CHANGES.items() if key in changes]


def _scheme(url: str) -> str:
    compact = re.sub(r"[\s\x00-\x1f]+", "", url).lower()
    match = re.match(r"([a-z][a-z0-9+.-]*):", compact)
    return match.group(1) if match else ""


def _hidden(tag) -> bool:
    style = str(tag.get("style", "")).replace(" ", "").lower()
    return (tag.has_attr("hidden") or str(tag.get("aria-hidden", "")).lower() == "true"
            or "display:none" in style or "visibility:hidden" in style)


def _tiny(tag) -> bool:
    return str(tag.get("width", "")).strip() in ("0", "1") or str(tag.get("height", "")).strip() in ("0", "1")


def embedded_address(tag, base_url: str = "") -> str:
    """The web address an iframe, embed, object, video or audio element showed, as a reader would open it
    (a YouTube or Vimeo player as its watch page), or '' when it has none that is safe to link to."""
    src = tag.get("src") or tag.get("data-src") or tag.get("data") or ""
    if not src and tag.name in ("video", "audio"):
        source = tag.find("source", src=True)
        src = source.get("src", "") if source else ""
    if not src and tag.name == "object":
        param = tag.find("param", attrs={"name": re.compile("(?i)^(movie|src|url)$")})
        src = param.get("value", "") if param else ""
    src = str(src).strip()
    if src.startswith("//"):
        src = "https:" + src
    scheme = _scheme(src)
    if not scheme:
        if not base_url or not src:
            return ""
        src, scheme = urljoin(base_url, src), _scheme(urljoin(base_url, src))
    if scheme not in ("http", "https") or re.search(r"[\s<>\"']", src):
        return ""
    if match := _YOUTUBE.match(src):
        query = parse_qs(urlsplit(src).query)
        if match.group(1) == "videoseries" and query.get("list"):
            return "https://www.youtube.com/playlist?list=" + query["list"][0]
        return "https://www.youtube.com/watch?v=" + match.group(1)
    if match := _VIMEO.match(src):
        return "https://vimeo.com/" + match.group(1)
    return re.sub(r"(?i)^(https://www\.google\.[a-z.]+/maps/d/)embed\b", r"\1viewer", src)


def embed_kind(tag_name: str, url: str) -> str:
    """What a reader is told the link leads to: Video, Audio, Map, Slides, Form, Chart, Document, Post."""
    if tag_name == "video":
        return "Video"
    if tag_name == "audio":
        return "Audio"
    return next((kind for kind, pattern in _EMBED_KINDS if pattern.search(url)), "Embedded content")


def embed_html(tag, base_url: str = "") -> str:
    """The HTML that stands in for an embedded frame: `<p>Video: <a href=…>title</a></p>`, or ''."""
    url = embedded_address(tag, base_url)
    if not url:
        return ""
    title = " ".join(str(tag.get("title") or tag.get("aria-label") or "").split()) or url
    element = "span" if tag.parent is not None and tag.parent.name in _INLINE_PARENTS else "p"
    return (f'<{element}>{html.escape(embed_kind(tag.name, url))}: '
            f'<a href="{html.escape(url)}">{html.escape(title)}</a></{element}>')


def embed_markdown(tag, base_url: str = "") -> str:
    """The Markdown that stands in for an embedded frame: `Video: [title](address)`, or ''."""
    url = embedded_address(tag, base_url)
    if not url:
        return ""
    title = " ".join(str(tag.get("title") or tag.get("aria-label") or "").split())
    title = title.replace("[", "(").replace("]", ")").replace("<", "").replace(">", "")
    target = f"<{url}>" if re.search(r"[()]", url) else url
    link = f"[{title}]({target})" if title else f"<{url}>"
    return f"{embed_kind(tag.name, url)}: {link}"


def _replace_embeds(soup, changes: set[str], base_url: str) -> None:
    from bs4 import BeautifulSoup

    for tag in [node for node in soup.descendants if node.name in EMBED_TAGS]:
        if tag.decomposed or tag.find_parent(["noscript", "template", "head"]) or \
                (tag.find_parent(EMBED_TAGS) and tag.name != "iframe"):
            continue  # fallbacks and what is inside an object or video go with it
        if _tiny(tag) or _TRACKERS.search(str(tag.get("src", ""))):
            tag.decompose()
            changes.add("tracking")
            continue
        replacement = embed_html(tag, base_url)
        if replacement:
            tag.replace_with(BeautifulSoup(replacement, "html.parser").contents[0])
            changes.add("embeds")


def _image_source(tag) -> str:
    """An image's address, from a lazy-loading attribute when `src` is a placeholder or missing."""
    src = str(tag.get("src", "")).strip()
    if src and _scheme(src) != "data":
        return src
    for name in _LAZY_SOURCES:
        value = str(tag.get(name, "")).strip()
        if value:
            candidate = value.split(",")[0].strip().split(" ")[0] if "srcset" in name else value
            if candidate and _scheme(candidate) != "data":
                return candidate
    return src


def _tags(soup) -> list:
    return [node for node in soup.descendants if node.name]  # one walk; find_all per kind is slow on big pages


def clean_soup(soup, changes: set[str], base_url: str = "") -> None:
    """Remove from parsed HTML everything that must not reach an entry, recording what kind of thing went."""
    from bs4 import Comment

    for comment in [node for node in soup.descendants if isinstance(node, Comment)]:
        comment.extract()
        changes.add("comments")
    tags = _tags(soup)
    for form in [tag for tag in tags if tag.name == "form"]:
        if form.find(["p", "h1", "h2", "h3", "article", "main", "section", "ul", "table"]):
            form.unwrap()  # a form around the page's text: keep the text, its controls go below
            changes.add("unsafe")
    for tag in tags:
        if not tag.decomposed and tag.attrs and _hidden(tag):
            tag.decompose()
            changes.add("hidden")
    if any(tag.name in EMBED_TAGS and not tag.decomposed for tag in tags):
        _replace_embeds(soup, changes, base_url)
        tags = _tags(soup)
    unsafe = frozenset(UNSAFE_TAGS)
    for tag in tags:
        if tag.name not in unsafe or tag.decomposed:
            continue
        if tag.name not in ("meta", "link", "head", "title", "base"):
            changes.add("unsafe")
        tag.decompose()
    for tag in tags:
        if tag.decomposed:
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
            src = _image_source(tag)
            if _scheme(src) and _scheme(src) not in ("http", "https"):
                tag.decompose()
                changes.add("links")
            elif _tiny(tag):
                tag.decompose()
                changes.add("tracking")
            else:
                tag["src"] = src


def _code_language(element) -> str | None:
    for node in [element, *element.find_all("code", limit=1)]:
        for name in node.get("class", []) or []:
            if name.startswith(("language-", "lang-")):
                language = name.split("-", 1)[1]
                return language if re.fullmatch(r"[A-Za-z0-9_+-]{1,30}", language) else None
    return None


@functools.cache
def _converter():
    from markdownify import MarkdownConverter

    class Converter(MarkdownConverter):
        """markdownify, with data tables, definition lists and image addresses done our way."""

        def process_tag(self, node, parent_tags=None):
            parent_tags = parent_tags or set()
            if node.name == "table":
                if "_inline" in parent_tags:
                    return " " + self.inline(node, parent_tags) + " "
                return "\n\n" + table_markdown(node, lambda cell: self.cell(cell, parent_tags)) + "\n\n"
            if node.name == "dl":
                return self.definition_list(node, parent_tags)
            return super().process_tag(node, parent_tags)

        def children(self, node, parent_tags) -> str:
            inner = set(parent_tags) | {node.name}
            return "".join(self.process_element(child, inner) for child in node.children)

        def inline(self, node, parent_tags) -> str:
            return " ".join(self.children(node, set(parent_tags) | {"_inline"}).split())

        def cell(self, cell, parent_tags) -> str:
            text = self.children(cell, set(parent_tags) | {"table", "tr"})
            return one_line(text)

        def definition_list(self, dl, parent_tags) -> str:
            groups: list[tuple[list[str], list[str]]] = []
            for item in dl.find_all(["dt", "dd"]):
                if item.find_parent("dl") is not dl:
                    continue
                if item.name == "dt":
                    term = self.inline(item, parent_tags).rstrip(":").strip()
                    if not groups or groups[-1][1]:
                        groups.append(([], []))
                    if term:
                        groups[-1][0].append(term)
                else:
                    text = re.sub(r"\n{3,}", "\n\n", self.children(item, parent_tags)).strip()
                    if not groups:
                        groups.append(([], []))
                    if text:
                        groups[-1][1].append(text)
            if "_inline" in parent_tags:
                return " " + "; ".join(f"{' / '.join(t)}: {' '.join(d)}".strip(": ") for t, d in groups) + " "
            short = all("\n" not in d and len(d) <= 200 for _, ds in groups for d in ds)
            lines: list[str] = []
            for terms, definitions in groups:
                term = " / ".join(terms)
                if short:
                    lines.append(f"- **{term}:** {'; '.join(definitions)}".rstrip() if term
                                 else f"- {'; '.join(definitions)}")
                else:
                    lines += ([f"**{term}**", ""] if term else []) + [part for d in definitions for part in (d, "")]
            return "\n\n" + "\n".join(lines).strip("\n") + "\n\n"

        def convert_img(self, el, text, parent_tags):
            alt = " ".join(str(el.attrs.get("alt") or "").split()).replace("[", "(").replace("]", ")")
            src = str(el.attrs.get("src") or "").strip()
            title = " ".join(str(el.attrs.get("title") or "").split()).replace('"', "'")
            if not src or ("_inline" in parent_tags and el.parent.name not in self.options["keep_inline_images_in"]):
                return alt
            src = re.sub(r"[\s()<>]", lambda m: f"%{ord(m.group()):02X}", src)  # a path with spaces stays one link
            title_part = f' "{title}"' if title else ""
            return f"![{alt}]({src}{title_part})"

    return Converter(
        heading_style="ATX", bullets="-", escape_asterisks=False, escape_underscores=False, escape_misc=False,
        code_language_callback=_code_language, strip=["span", "font", "u", "small", "big", "abbr"],
        keep_inline_images_in=["a", "td", "th", "li", "p", "div", "span", "figure", "strong", "em", "b", "i"])


def html_to_markdown(html_or_soup, changes: set[str], base_url: str = "") -> str:
    """HTML (text or a parsed tree) as safe Markdown: cleaned (`clean_soup`), layout tables unwrapped,
    data tables and definition lists made readable. Markdown in text nodes passes through.

    `changes` collects the kinds of change made (see `change_notes`); `base_url` makes relative links
    absolute. The parsed tree given is changed in place."""
    from bs4 import BeautifulSoup

    soup = html_or_soup
    if isinstance(soup, str):
        soup = BeautifulSoup(soup, "html.parser")
    clean_soup(soup, changes, base_url)
    if unwrap_layout_tables(soup):
        changes.add("layout")
    changes.add("html")
    return _converter().convert_soup(soup)
