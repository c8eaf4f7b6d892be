"""Links between pages of the original site, pointed at what they should reach now.

Once every item of an import has its id, `LinkIndex` knows each item's old
addresses (its own path and aliases, oldsite.py), its source URL and its file
(`content_path`). `LinkIndex.resolve(body, candidate)` then rewrites each link
of a body (inline links and reference definitions, outside code):

- to an item of this import (by address, by file, or by Hugo `ref`/`relref`,
  Jekyll `{% link %}`/`{% post_url %}`, which templating.py leaves as
  `link_marker`s): `../<id>/`, the entry's page, relative so the site works at
  any address;
- to another page of the original site (site-relative `/…`, relative `../…`,
  or a marker): its original address, from the site's address (`--base-url`
  or the site's configuration);
- when nothing resolves (no site address is known), or the link is empty
  (`[text]()`): the link goes and its words stay. No empty link is written.

Web addresses elsewhere, `mailto:` and `#section` links are left as they are.
Each kind of change is a note with a stable code: `link-resolved-internal`,
`link-to-original`, `link-unresolved`, `link-dropped-empty`.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import quote, unquote, urljoin, urlsplit

from ...core.safetext import fenced_segments, replace_code_spans
from .model import Candidate, Note

LINK_MARKER = ".casehub-link/"  # a relative path, so it survives HTML conversion; never written to an entry
_MARKER = re.compile(re.escape(LINK_MARKER) + r"(ref|relref|link|post)/([^\s)>\"']*)")
_PAGE_SUFFIX = re.compile(r"(?:/(?:_?index))?\.(?:html?|md|markdown|mdown|mkd|php|aspx?)$|/_?index$", re.IGNORECASE)
_INLINE = re.compile(
    r"(?<![\\!])\[((?:[^\[\]\\]|\\.|\[(?:[^\[\]\\]|\\.)*\])*)\]"  # [text], with [nested] brackets one deep
    r"\(\s*+(<[^<>\n]*>|(?:[^()\s\\]|\\.|\((?:[^()\s\\]|\\.)*\))*)"  # (target, in <…> or with (balanced) parens
    r"((?:\s++(?:\"[^\"\n]*\"|'[^'\n]*'|\([^()\n]*\)))?)\s*+\)")  # "title"); possessive: linear
_DEFINITION = re.compile(r"^( {0,3})\[([^\]\n^][^\]\n]*)\]:[ \t]*(<[^<>\n]*>|\S*)(.*)$", re.MULTILINE)
_REFERENCE_IMAGE = re.compile(r"!\[((?:[^\[\]\n]|\[[^\[\]\n]*\])*)\]\[([^\[\]\n]*)\]")  # linear: see safetext.LINK_TEXT
_FAKE_ORIGIN = "https://old-site.invalid"  # joins relative paths when the site's address is unknown
MAX_EXAMPLES = 3


def link_marker(kind: str, target: str) -> str:
    """A link target standing for a page named the generator's way (Hugo ref, Jekyll link or post_url)."""
    return LINK_MARKER + kind + "/" + quote(target.strip(), safe="/#._-~")


def page_key(path: str) -> str:
    """A path as lookups compare it: decoded, lower case, without index pages, suffixes or end slashes."""
    path = unquote(path.split("#", 1)[0].split("?", 1)[0]).strip().lower()
    path = _PAGE_SUFFIX.sub("", path.rstrip("/")) if path.rstrip("/") else path
    return "/" + re.sub(r"/{2,}", "/", path).strip("/")


@dataclass
class Resolved:
    """What one link became: a kind ('internal', 'original', 'unresolved', 'empty' or 'kept') and its target."""

    kind: str
    target: str = ""


@dataclass
class LinkChanges:
    """One body's link changes by kind, with a few examples each, as notes."""

    examples: dict[str, list[str]] = field(default_factory=dict)
    counts: dict[str, int] = field(default_factory=dict)

    def add(self, kind: str, example: str) -> None:
        self.counts[kind] = self.counts.get(kind, 0) + 1
        shown = self.examples.setdefault(kind, [])
        if len(shown) < MAX_EXAMPLES and example not in shown:
            shown.append(example)

    def notes(self, base_known: bool) -> list[Note]:
        notes = []
        for kind, code, review in (("internal", "link-resolved-internal", False),
                                   ("original", "link-to-original", False),
                                   ("unresolved", "link-unresolved", True), ("empty", "link-dropped-empty", False)):
            n = self.counts.get(kind, 0)
            if not n:
                continue
            links, shown = ("link" if n == 1 else "links"), "; ".join(self.examples[kind])
            point, were = ("points", "was") if n == 1 else ("point", "were")
            message = {
                "internal": f"{n} {links} now {point} to entries from this import ({shown})",
                "original": f"{n} {links} to pages that were not imported now {point} to the original site ({shown})",
                "unresolved": f"{n} {links} to pages of the original site that were not imported {were} removed, "
                              f"their words kept ({shown}): "
                              + ("link them by hand" if base_known else "import again with --base-url to link "
                                                                        "to the original, or link them by hand"),
                "empty": f"{n} empty {links} removed, {'its' if n == 1 else 'their'} words kept ({shown})",
            }[kind]
            notes.append(Note(message, review, code))
        return notes


class LinkIndex:
    """Every item of an import by its old addresses and files, and the entry id it became."""

    def __init__(self, base_url: str = "", old_path: Callable[[str], str] | None = None):
        self.base_url = base_url
        parts = urlsplit(base_url)
        self.host = parts.netloc.lower()
        self.origin = f"{parts.scheme}://{parts.netloc}" if parts.netloc else ""
        self.base_path = parts.path.rstrip("/")
        self.old_path = old_path  # a page's path on the old site from its file, when the generator is known
        self.pages: dict[str, str | None] = {}  # host + page key -> id (None: two items claim it)
        self.files: dict[str, str | None] = {}  # content path key -> id
        self.names: dict[str, str | None] = {}  # a file's or bundle's name -> id

    # Building --------------------------------------------------------------------------------------

    def add(self, entry_id: str, candidate: Candidate) -> None:
        for address in [*candidate.addresses, candidate.source_url]:
            if address:
                self._put(self.pages, self._page(address), entry_id)
        if candidate.content_path:
            key = page_key(candidate.content_path)
            self._put(self.files, key, entry_id)
            self._put(self.names, key.rsplit("/", 1)[-1], entry_id)

    @staticmethod
    def _put(table: dict, key: str, entry_id: str) -> None:
        table[key] = entry_id if table.get(key, entry_id) == entry_id else None

    def _page(self, address: str) -> str:
        """The lookup key of an address: a path on the site's host, or another host's address."""
        parts = urlsplit(address)
        host = parts.netloc.lower()
        host = "" if not host or host == self.host or host.removeprefix("www.") == self.host.removeprefix("www.") \
            else host
        return host + page_key(parts.path or "/")

    def old_address(self, address: str) -> str:
        """An old address as a redirect map gives it: a web address when the site's address is known."""
        if re.match(r"(?i)https?://", address) or not self.origin:
            return address
        return self.origin + address

    # Resolving -------------------------------------------------------------------------------------

    def resolve(self, body: str, candidate: Candidate) -> tuple[str, list[Note]]:
        """The body with each link pointed at what it should reach now, and a note for each kind of change."""
        changes = LinkChanges()
        page = self._page_url(candidate)
        folder = posixpath.dirname(candidate.content_path)

        def decide(target: str) -> Resolved:
            return self._resolve(target.strip(), page, folder)

        def inline(match: re.Match) -> str:
            text, target, title = match.group(1), match.group(2), match.group(3)
            target = target[1:-1] if target.startswith("<") else target
            result = decide(target)
            if result.kind == "kept":
                return match.group()
            changes.add(result.kind, _example(text, target, result))
            if result.kind in ("unresolved", "empty"):
                return text
            return f"[{text}]({result.target}{title})"

        removed: set[str] = set()
        images = {(m.group(2) or m.group(1)).lower() for m in _REFERENCE_IMAGE.finditer(body)} if "![" in body \
            else set()

        def definition(match: re.Match) -> str:
            indent, label, target, rest = match.groups()
            if label.lower() in images:
                return match.group()  # an image's: images.py's business
            target = target[1:-1] if target.startswith("<") else target
            result = decide(target)
            if result.kind == "kept":
                return match.group()
            changes.add(result.kind, _example(label, target, result))
            if result.kind in ("unresolved", "empty"):
                removed.add(label.lower())
                return "\x00drop\x00"
            return f"{indent}[{label}]: {result.target}{rest}"

        out = []
        for is_code, lines in fenced_segments(body.split("\n")):
            text = "\n".join(lines)
            if not is_code and ("](" in text or "]:" in text):
                text = _outside_code_spans(text, lambda t: _DEFINITION.sub(definition, _INLINE.sub(inline, t)))
            out.append(text)
        body = "\n".join(out)
        if LINK_MARKER in body:  # a ref or link tag outside a link's target: its address was shown as text
            def leftover(match: re.Match) -> str:
                changes.add("unresolved", f"'{unquote(match.group(2))}' ({match.group(1)})")
                return ""
            body = "\n".join("\n".join(lines) if is_code else _MARKER.sub(leftover, "\n".join(lines))
                              for is_code, lines in fenced_segments(body.split("\n")))
        if removed:
            body = _unlink_references(body.replace("\x00drop\x00\n", "").replace("\x00drop\x00", ""), removed)
        return body, changes.notes(bool(self.origin))

    def _page_url(self, candidate: Candidate) -> str:
        """The item's own address, to resolve relative links against (a made-up host when unknown)."""
        if candidate.source_url:
            return candidate.source_url
        own = candidate.addresses[0] if candidate.addresses else ""
        if re.match(r"(?i)https?://", own):
            return own
        if own:
            return (self.origin or _FAKE_ORIGIN) + own
        return ""

    def _resolve(self, target: str, page: str, folder: str) -> Resolved:
        if not target:
            return Resolved("empty")
        marker = _MARKER.search(target)
        if marker:
            return self._marker(marker.group(1), unquote(marker.group(2)), folder)
        if target.startswith("#"):
            return Resolved("kept")
        parts = urlsplit(target)
        fragment = f"#{parts.fragment}" if parts.fragment else ""
        if parts.scheme or target.startswith("//"):
            if parts.scheme.lower() not in ("http", "https", ""):
                return Resolved("kept")
            found = self.pages.get(self._page(target))
            return Resolved("internal", _entry(found, fragment)) if found else Resolved("kept")
        if target.startswith("/"):
            for key in (page_key(parts.path), page_key(self.base_path + parts.path)):
                if self.pages.get(key):
                    return Resolved("internal", _entry(self.pages[key], fragment))
            if self.files.get(page_key(parts.path)):  # a link to a file from the folder's top
                return Resolved("internal", _entry(self.files[page_key(parts.path)], fragment))
            return Resolved("original", self.origin + target) if self.origin else Resolved("unresolved")
        # Relative: a file beside this one, then a page beside this page.
        beside = page_key(posixpath.normpath(posixpath.join(folder, unquote(parts.path))))
        if parts.path and self.files.get(beside):
            return Resolved("internal", _entry(self.files[beside], fragment))
        if page:
            absolute = urljoin(page, target)
            found = self.pages.get(self._page(absolute))
            if found:
                return Resolved("internal", _entry(found, fragment))
            if not absolute.startswith(_FAKE_ORIGIN):
                return Resolved("original", absolute)
        return Resolved("unresolved")

    def _marker(self, kind: str, target: str, folder: str) -> Resolved:
        """A Hugo ref/relref, a Jekyll link or post_url: the page by its file."""
        path, _, fragment = target.partition("#")
        fragment = f"#{fragment}" if fragment else ""
        path = path.strip()
        if kind == "post":
            name = page_key(path).rsplit("/", 1)[-1]
            keys = [key for key in self.files if key.rsplit("/", 1)[-1] == name and "/_posts" in f"/{key}"]
            found = self.files[keys[0]] if len(keys) == 1 else None
            content_path = f"_posts/{name}.md"
        else:
            keys = [page_key(path)] if path.startswith("/") or kind == "link" else \
                [page_key(posixpath.normpath(posixpath.join(folder, path))), page_key(path)]
            found = next((self.files[k] for k in keys if self.files.get(k)), None)
            if not found and "/" not in path.strip("/"):
                found = self.names.get(page_key(path).lstrip("/"))
            content_path = path.lstrip("/")
        if found:
            return Resolved("internal", _entry(found, fragment))
        old = self.old_path(content_path) if self.old_path and path else ""
        if old and self.origin:
            return Resolved("original", self.origin + old + fragment)
        return Resolved("unresolved")


def _entry(entry_id: str, fragment: str) -> str:
    return f"../{entry_id}/{fragment}"


def _example(text: str, target: str, result: Resolved) -> str:
    words = " ".join(re.sub(r"!\[((?:[^\[\]]|\[[^\[\]]*\])*)\]\([^()]*\)", r"\1", text).split())[:40] or "(no words)"
    target = _MARKER.sub(lambda m: unquote(m.group(2)), target)
    shown = f"'{words}' → {result.target}" if result.target else f"'{words}' ({target or 'no address'})"
    return shown


def _outside_code_spans(text: str, change: Callable[[str], str]) -> str:
    """`change` applied to the text with its code spans held aside."""
    spans: list[str] = []

    def keep(span: str) -> str:
        spans.append(span)
        return f"\x00{len(spans) - 1}\x00"

    changed = change(replace_code_spans(text, keep) if "`" in text else text)
    return re.sub("\x00([0-9]+)\x00", lambda m: spans[int(m.group(1))], changed) if spans else changed


def _unlink_references(body: str, labels: set[str]) -> str:
    """Reference links whose definitions were removed, as their words: [text][label], [label][], [label]."""
    def words(match: re.Match) -> str:
        text, label = match.group(1), match.group(2)
        return text if (label or text).lower() in labels else match.group()
    return re.sub(r"(?<![\\!\]])\[([^\[\]\n]+)\](?:\[([^\[\]\n]*)\])?(?![(:\[])", words, body)
