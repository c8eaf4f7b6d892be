"""What a static site generator would have done to a page's Markdown, done here: shortcodes, Liquid, kramdown.

Outside fenced code, `render_templating(body, site)`:

- Hugo shortcodes: image shortcodes (`figure`, `img`, `image`…) become
  Markdown images with their alternative text and caption; `ref` and `relref`
  become links that links.py resolves once every item has an id; embeds
  (`youtube`, `vimeo`, `gist`, `tweet`, `instagram`) become links to what they
  showed; `highlight` becomes a fenced code block; any other shortcode is
  removed, its inner text kept;
- Liquid: `{% link %}` and `{% post_url %}` become links for links.py;
  `{{ site.baseurl }}`, `{{ site.url }}` and the `relative_url`/`absolute_url`
  filters become the site's address; an image include (`{% include image.html
  url=… description=… %}`) becomes an image; another include leaves its text
  arguments (content, text, caption…); `{% raw %}` keeps what it holds as
  written, `{% highlight %}` becomes a fenced code block, comments and captures
  go, and other tags are removed with their inner text kept;
- kramdown: attribute lists (`{: .intro}`, `{:toc}` and the table of contents
  line before it, `{:target="_blank"}` after a link) and extensions
  (`{::comment}`, `{::options /}`) are removed.

Each kind of change is one note with a stable code, so nothing goes silently.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from urllib.parse import quote

from ...core.safetext import fenced_segments
from .links import link_marker
from .model import Note
from .oldsite import OldSite

_URL_SAFE = ":/?#[]@!$&'*+,;=%~"
IMAGE_SHORTCODES = frozenset({"figure", "img", "image", "picture", "photo", "imgproc", "resize", "responsive-image",
                              "gallery-image"})
IMAGE_INCLUDE = re.compile(r"(?:^|[/_-])(image|img|figure|picture|photo)s?(?:[._-]|$)", re.IGNORECASE)
SRC_KEYS = ("src", "source", "url", "image", "img", "file", "path", "name")
ALT_KEYS = ("alt", "description", "desc", "title", "caption")
TEXT_KEYS = ("content", "text", "body", "message", "caption", "title", "description", "summary")
EMBEDS = {
    "youtube": ("Watch the video on YouTube", "https://www.youtube.com/watch?v={id}"),
    "vimeo": ("Watch the video on Vimeo", "https://vimeo.com/{id}"),
    "gist": ("See the code on GitHub", "https://gist.github.com/{user}/{id}"),
    "tweet": ("See the post on X (Twitter)", "https://x.com/{user}/status/{id}"),
    "x": ("See the post on X (Twitter)", "https://x.com/{user}/status/{id}"),
    "instagram": ("See the post on Instagram", "https://www.instagram.com/p/{id}/"),
}

# Linear, as safetext's patterns are (tests/test_redos.py): the arguments are taken whole, up to the
# closing `>}}` or `%}}` (a trailing `/`, `-` or space is `arguments`' to ignore), quoted values
# stop at a brace, and a block that is never closed stops where the next one opens.
_ARGS = r"""(?:[^"'`{}>%]|"(?:[^"\\\n{}]|\\.)*"|'[^'\n{}]*'|`[^`{}]*`|\{(?!\{)|\}(?!\})|[>%](?!\}\}))*+"""
_SHORTCODE = re.compile(r"\{\{(?P<kind>[<%])-?\s*+(?P<close>/)?\s*+(?P<name>[A-Za-z0-9_./-]++)(?P<args>" + _ARGS
                        + r")[>%]\}\}", re.DOTALL)
_HIGHLIGHT = re.compile(r"\{\{[<%]\s*+highlight\s++(?P<args>" + _ARGS + r")[>%]\}\}\n?"
                        r"(?P<code>(?:(?!\{\{[<%]\s*highlight\b).)*?)\{\{[<%]\s*/\s*highlight\s*[>%]\}\}", re.DOTALL)
_ARGUMENT = re.compile(r"""(?:(?P<key>[A-Za-z_][\w-]*)\s*=\s*)?"""
                       r"""(?P<value>"(?:[^"\\]|\\.)*"|'[^']*'|`[^`]*`|[^\s"'`=]+)""")

_LIQUID_RAW = re.compile(r"\{%-?\s*+raw\s*+-?%\}((?:(?!\{%-?\s*raw\b).)*?)\{%-?\s*+endraw\s*+-?%\}", re.DOTALL)
_LIQUID_COMMENT = re.compile(r"\{%-?\s*+comment\s*+-?%\}(?:(?!\{%-?\s*comment\b).)*?\{%-?\s*+endcomment\s*+-?%\}",
                             re.DOTALL)
_LIQUID_CAPTURE = re.compile(r"\{%-?\s*+capture\b[^%]*+%\}(?:(?!\{%-?\s*capture\b).)*?\{%-?\s*+endcapture\s*+-?%\}",
                             re.DOTALL)
_LIQUID_HIGHLIGHT = re.compile(r"\{%-?\s*+highlight\s++([A-Za-z0-9_+-]++)[^%]*+%\}\n?((?:(?!\{%-?\s*highlight\b).)*?)"
                               r"\{%-?\s*+endhighlight\s*+-?%\}", re.DOTALL)
_LIQUID_TAG = re.compile(r"\{%-?\s*+(?P<name>[A-Za-z_]*+)(?P<args>[^%]*?)-?%\}", re.DOTALL)
_LIQUID_URL = re.compile(r"\{\{-?\s*(?:'([^'{}]*)'|\"([^\"{}]*)\")\s*\|\s*(relative_url|absolute_url|url|prepend:\s*"
                         r"site\.baseurl)\s*-?\}\}")
_LIQUID_SITE = re.compile(r"\{\{-?\s*site\.(baseurl|url)\s*-?\}\}")
_LIQUID_OUTPUT = re.compile(r"\{\{-?[^{}<%]*?-?\}\}")
_KRAMDOWN_EXTENSION = re.compile(r"\{::(comment|nomarkdown)\b[^{}]*\}((?:(?!\{::\1\b).)*?)\{:/(?:\1)?\}", re.DOTALL)
_KRAMDOWN_LINE = re.compile(r"^[ \t]*\{::?[^{}\n]*\}[ \t]*$", re.MULTILINE)
_KRAMDOWN_TOC = re.compile(r"^[ \t]*(?:[-*+]|1\.)[ \t]+[^\n]*\n[ \t]*\{:[ \t]*(?:toc|\.no_toc)[ \t]*\}[ \t]*$",
                           re.MULTILINE | re.IGNORECASE)
_KRAMDOWN_SPAN = re.compile(r"\{:(?!:)[^{}\n]*\}")
_HEADING_ATTRIBUTES = re.compile(r"^(#{1,6}[ \t](?:.*?[^ \t])?)[ \t]*\{:?[ \t]*[#.][\w-]+(?:[ \t]+[#.][\w-]+)*"
                                 r"[ \t]*\}[ \t]*$", re.MULTILINE)  # ## Heading {#its-id .class}


@dataclass
class Changes:
    """What was changed in one body, counted by kind, for the notes."""

    counts: Counter = field(default_factory=Counter)
    names: dict[str, list[str]] = field(default_factory=dict)

    def add(self, code: str, name: str = "") -> None:
        self.counts[code] += 1
        if name:
            self.names.setdefault(code, [])
            if name not in self.names[code]:
                self.names[code].append(name)

    def listed(self, code: str) -> str:
        return ", ".join(self.names.get(code, [])[:8])


def arguments(text: str) -> tuple[list[str], dict[str, str]]:
    """A shortcode's or include's arguments: positional values, and named ones (keys in lower case)."""
    positional, named = [], {}
    text = text.rstrip()  # and the `-` and `/` a shortcode may end with: `{{< figure src="a.png" />}}`
    text = text.removesuffix("-").rstrip()
    text = text.removesuffix("/").rstrip()
    for match in _ARGUMENT.finditer(text):
        value = match.group("value")
        if value[:1] in "\"'`" and value[-1:] == value[:1] and len(value) > 1:
            value = value[1:-1].replace('\\"', '"')
        if match.group("key"):
            named[match.group("key").lower()] = value
        else:
            positional.append(value)
    return positional, named


def image_markdown(src: str, alt: str, caption: str = "") -> str:
    """A Markdown image (spaces in its target as %20), and its caption below when it says more."""
    alt = " ".join(alt.replace("[", "(").replace("]", ")").split())
    target = quote(src.strip(), safe=_URL_SAFE)  # spaces and brackets encoded: images.py decodes them
    image = f"![{alt}]({target})"
    caption = " ".join(caption.split())
    return f"{image}\n\n{caption}" if caption and caption != alt else image


class Templating:
    """One body's templating rendered as Markdown, counting each kind of change."""

    def __init__(self, site: OldSite):
        self.site = site
        self.changes = Changes()
        self.raw: list[str] = []

    def render(self, body: str) -> str:
        body = _LIQUID_RAW.sub(self._keep_raw, body)
        body = "\n".join("\n".join(lines) if is_code else self._prose("\n".join(lines))
                         for is_code, lines in fenced_segments(body.split("\n")))
        return re.sub("\x00raw([0-9]+)\x00", lambda m: self.raw[int(m.group(1))], body)

    def _keep_raw(self, match: re.Match) -> str:
        self.raw.append(match.group(1))
        return f"\x00raw{len(self.raw) - 1}\x00"

    def _prose(self, text: str) -> str:
        if "{" not in text:
            return text
        text = _HIGHLIGHT.sub(self._hugo_highlight, text)
        text = _SHORTCODE.sub(self._shortcode, text)
        text = self._liquid(text)
        return self._kramdown(text)

    # Hugo ------------------------------------------------------------------------------------------

    def _hugo_highlight(self, match: re.Match) -> str:
        positional, _ = arguments(match.group("args"))
        language = positional[0] if positional and re.fullmatch(r"[A-Za-z0-9_+-]{1,30}", positional[0]) else ""
        self.changes.add("code-block-converted", "highlight")
        return f"```{language}\n{match.group('code').strip(chr(10))}\n```"

    def _shortcode(self, match: re.Match) -> str:
        name = match.group("name").strip("/").lower()
        positional, named = arguments(match.group("args"))
        if match.group("close"):
            return ""
        if name in IMAGE_SHORTCODES:
            return self._image(name, positional, named)
        if name in ("ref", "relref"):
            target = named.get("path") or (positional[0] if positional else "")
            if not target:
                self.changes.add("link-dropped-empty", name)
                return ""
            return link_marker("ref" if name == "ref" else "relref", target)
        if name in EMBEDS:
            return self._embed(name, positional, named)
        self.changes.add("shortcode-removed", name)
        return ""

    def _image(self, name: str, positional: list[str], named: dict[str, str]) -> str:
        src = next((named[k] for k in SRC_KEYS if named.get(k)), positional[0] if positional else "")
        alt = next((named[k] for k in ALT_KEYS if named.get(k)), positional[1] if len(positional) > 1 else "")
        if not src:
            self.changes.add("image-dropped", f"{name} (no image named)")
            return alt
        self.changes.add("image-from-shortcode", name)
        return image_markdown(src, alt, named.get("caption", ""))

    def _embed(self, name: str, positional: list[str], named: dict[str, str]) -> str:
        text, pattern = EMBEDS[name]
        values = {"id": named.get("id") or (positional[-1] if positional else ""),
                  "user": named.get("user") or (positional[0] if len(positional) > 1 else "i")}
        if not values["id"] or not all(re.fullmatch(r"[A-Za-z0-9_.-]{1,80}", v) for v in values.values()):
            self.changes.add("shortcode-removed", name)
            return ""
        self.changes.add("embed-linked", name)
        return f"[{text}]({pattern.format(**values)})"

    # Liquid ----------------------------------------------------------------------------------------

    def _liquid(self, text: str) -> str:
        text, count = _LIQUID_COMMENT.subn("", text)
        self.changes.counts["liquid-comment-removed"] += count
        text, count = _LIQUID_CAPTURE.subn("", text)
        for _ in range(count):
            self.changes.add("liquid-removed", "capture")
        text = _LIQUID_HIGHLIGHT.sub(self._liquid_highlight, text)
        text = _LIQUID_TAG.sub(self._liquid_tag, text)
        text = _LIQUID_URL.sub(self._liquid_url, text)
        text = _LIQUID_SITE.sub(lambda m: self._site_value(m.group(1)), text)
        return _LIQUID_OUTPUT.sub(self._liquid_output, text)

    def _liquid_highlight(self, match: re.Match) -> str:
        self.changes.add("code-block-converted", "highlight")
        return f"```{match.group(1)}\n{match.group(2).rstrip()}\n```"

    def _liquid_tag(self, match: re.Match) -> str:
        name, args = match.group("name").lower(), match.group("args").strip()
        if name in ("link", "post_url"):
            target = arguments(args)[0][:1]
            if not target:
                self.changes.add("link-dropped-empty", name)
                return ""
            return link_marker("link" if name == "link" else "post", target[0])
        if name in ("include", "include_relative"):
            return self._include(args)
        self.changes.add("liquid-removed", name or "?")
        return ""

    def _include(self, args: str) -> str:
        positional, named = arguments(args)
        include = positional[0] if positional else "?"
        if IMAGE_INCLUDE.search(include.rsplit("/", 1)[-1]):
            src = next((named[k] for k in SRC_KEYS if named.get(k)), "")
            if src:
                self.changes.add("image-from-include", include)
                src = _LIQUID_SITE.sub(lambda m: self._site_value(m.group(1)), src)
                alt = next((named[k] for k in ALT_KEYS if named.get(k)), "")
                return image_markdown(src, alt, named.get("caption", ""))
        words = [named[k] for k in TEXT_KEYS if named.get(k) and "{{" not in named[k]]
        self.changes.add("include-removed", include)
        return " ".join(dict.fromkeys(words))

    def _liquid_url(self, match: re.Match) -> str:
        path = match.group(1) if match.group(1) is not None else match.group(2)
        path = self.site.base_path + "/" + path.lstrip("/") if path.startswith("/") or "prepend" in match.group(3) \
            else path
        if match.group(3) == "absolute_url" and self.site.base_url:
            return self._site_value("url") + path
        return path

    def _site_value(self, name: str) -> str:
        """{{ site.baseurl }} is the site's path on its host; {{ site.url }} its scheme and host."""
        if name == "baseurl":
            return self.site.base_path
        if not self.site.base_url:
            return ""
        return re.match(r"[A-Za-z]+://[^/]+", self.site.base_url).group()

    def _liquid_output(self, match: re.Match) -> str:
        self.changes.add("liquid-removed", " ".join(match.group().strip("{}- ").split())[:40])
        return ""

    # kramdown --------------------------------------------------------------------------------------

    def _kramdown(self, text: str) -> str:
        text, total = _HEADING_ATTRIBUTES.subn(r"\1", text)
        if "{:" not in text:
            self.changes.counts["kramdown-attributes-removed"] += total
            return text
        text = _KRAMDOWN_EXTENSION.sub(lambda m: "" if m.group(1) == "comment" else m.group(2), text)
        for pattern in (_KRAMDOWN_TOC, _KRAMDOWN_LINE, _KRAMDOWN_SPAN):
            text, count = pattern.subn("", text)
            total += count
        self.changes.counts["kramdown-attributes-removed"] += total
        return text

    # Notes -----------------------------------------------------------------------------------------

    def notes(self) -> list[Note]:
        return [Note(_message(code, count, self.changes.listed(code)), review, code)
                for code, review in NOTE_CODES.items() if (count := self.changes.counts[code])]


# Each kind of change, and whether it needs a person (a `review` note makes the entry a draft).
NOTE_CODES = {"image-from-shortcode": False, "image-from-include": False, "image-dropped": True,
              "embed-linked": False, "code-block-converted": False, "shortcode-removed": True,
              "liquid-removed": True, "include-removed": True, "liquid-comment-removed": False,
              "kramdown-attributes-removed": False, "link-dropped-empty": True}


def _message(code: str, n: int, names: str) -> str:
    s = "" if n == 1 else "s"
    check = "check nothing the page showed is missing"
    return {
        "image-from-shortcode": f"{n} image shortcode{s} ({names}) became Markdown image{s}",
        "image-from-include": f"{n} image include{s} ({names}) became Markdown image{s}",
        "image-dropped": f"{n} image shortcode{s} named no image ({names}): only the alternative text was kept",
        "embed-linked": f"{n} embed{s} ({names}) became {'a link' if n == 1 else 'links'} to what was embedded",
        "code-block-converted": f"{n} highlight block{s} became fenced code block{s}",
        "shortcode-removed": f"{n} Hugo shortcode{s} removed ({names}), inner text kept: {check}",
        "liquid-removed": f"{n} Liquid tag{s} removed ({names}), inner text kept: {check}",
        "include-removed": f"{n} Liquid include{s} removed ({names}), text arguments kept: {check}",
        "liquid-comment-removed": f"{n} Liquid comment{s} ({{% comment %}}) removed: they were not shown",
        "kramdown-attributes-removed": f"{n} attribute list{s} ({{: .class}}, {{:toc}}, {{#id}}) removed",
        "link-dropped-empty": f"{n} link tag{s} ({names}) named no page and {'were' if s else 'was'} removed",
    }[code]


def render_templating(body: str, site: OldSite) -> tuple[str, list[Note]]:
    """A body with its shortcodes, Liquid and kramdown attributes rendered or removed, and a note for each kind."""
    templating = Templating(site)
    return templating.render(body), templating.notes()
