"""WordPress exports: `casehub import wordpress site.WordPress.2026-11-30.xml`.

The file WordPress writes under Tools → Export (WXR: RSS with `wp:` fields),
read with defusedxml, so an export cannot expand entities or reach the
network. Posts and pages become entries; attachments, menus and revisions do
not. From each item:

- title, content (`content:encoded`, paragraphs restored as WordPress's
  `wpautop` would), excerpt as the summary, date, slug (`wp:post_name`, which
  becomes the id, so old addresses map to new ones), categories as topics and
  tags as tags, the permalink kept as the source address;
- status: `publish` may be published; drafts, pending and private posts stay
  drafts; trashed ones are skipped;
- shortcodes: `[caption]` keeps its image and caption, `[embed]` and a bare
  address on its own line become a link; any other is removed, with a note;
- images from `wp-content/uploads/` are carried into the entry's folder when
  the uploads folder sits beside the export (`uploads/` or
  `wp-content/uploads/`, as a backup plugin or `scp` leaves it); otherwise the
  image stays a link to the old site, with a note.
"""

from __future__ import annotations

import html
import re
from pathlib import Path
from urllib.parse import unquote, urlsplit

from .feed import FeedItems, html_body
from .model import Candidate, Failure, ImportUsageError, Note

POST_TYPES = ("post", "page")
_LOCAL = "}"  # element names are matched by their local part: exports use wp 1.0, 1.1 and 1.2 namespaces
_BLOCK = re.compile(r"<(?:p|div|h[1-6]|ul|ol|table|blockquote|pre|figure)\b", re.IGNORECASE)
_CAPTION = re.compile(r"\[caption\b[^\]]*\](.*?)\[/caption\]", re.IGNORECASE | re.DOTALL)
_EMBED = re.compile(r"\[embed\b[^\]]*\]\s*(https?://[^\s\[]+)\s*\[/embed\]", re.IGNORECASE)
_BARE_URL = re.compile(r"^[ \t]*(https?://[^\s<>\"]+)[ \t]*$", re.MULTILINE)
# A shortcode: a closing tag, one with attributes, or one WordPress and common plugins register, so that
# "[sic]" or "[1]" in a post stays text.
_KNOWN = "gallery|audio|video|playlist|embed|caption|wp_caption|contact-form-7|gravityform|pdf-embedder|toc"
_SHORTCODE = re.compile(r"\[(?:/([a-z][a-z0-9_-]{0,40})|([a-z][a-z0-9_-]{0,40})\s[^\[\]\n=]{0,2000}=[^\[\]\n]{0,2000}"
                        r"|(" + _KNOWN + r"|(?:vc|et_pb|su|fusion)_[a-z0-9_]{1,40}))\]", re.IGNORECASE)
_UPLOADS = re.compile(r"""(<img\b[^>]*?\bsrc=["'])(https?://[^"']*/wp-content/uploads/([^"'?#]+))""", re.IGNORECASE)


def _child(element, name: str):
    for child in element:
        if isinstance(child.tag, str) and (child.tag == name or child.tag.endswith(_LOCAL + name)):
            return child
    return None


def _text(element, name: str) -> str:
    child = _child(element, name)
    return (child.text or "").strip() if child is not None else ""


def autop(text: str) -> str:
    """WordPress stores paragraphs as blank lines; put back the <p> its themes add on display."""
    if _BLOCK.search(text):
        return text
    paragraphs = [p.strip() for p in re.split(r"\n\s*\n", text) if p.strip()]
    return "".join(f"<p>{p.replace(chr(10), '<br>')}</p>" for p in paragraphs)


def shortcodes(text: str) -> tuple[str, list[str]]:
    """Captions and embeds kept as HTML; every other shortcode removed and named."""
    text = _CAPTION.sub(lambda m: _caption(m.group(1)), text)
    text = _EMBED.sub(lambda m: f'<p><a href="{html.escape(m.group(1))}">{html.escape(m.group(1))}</a></p>', text)
    text = _BARE_URL.sub(lambda m: f'<p><a href="{html.escape(m.group(1))}">{html.escape(m.group(1))}</a></p>',
                         text)
    removed = sorted({next(g for g in m.groups() if g).lower() for m in _SHORTCODE.finditer(text)})
    return _SHORTCODE.sub("", text), removed


def _caption(inner: str) -> str:
    image = re.search(r"<img\b[^<>]*>", inner)
    words = re.sub(r"<[^<>]*>", "", inner).strip()
    return f"<figure>{image.group() if image else ''}<figcaption>{words}</figcaption></figure>"


class WxrImporter(FeedItems):
    suffixes = (".xml", ".wxr")
    kind = "WordPress export file (.xml)"
    format = "wordpress"
    description = "a WordPress export (WXR) file: posts and pages, with their images"

    def parse(self, data: bytes) -> list:
        from defusedxml import ElementTree
        from defusedxml.common import DefusedXmlException

        try:
            root = ElementTree.fromstring(data)
        except (ElementTree.ParseError, DefusedXmlException) as error:
            raise ImportUsageError(f"{self.source} is not a WordPress export that can be read ({error})") from None
        channel = _child(root, "channel")
        if channel is None or not any(isinstance(c.tag, str) and "wordpress.org/export" in c.tag for c in channel):
            raise ImportUsageError(f"{self.source} is not a WordPress export (no wp: fields in its channel)")
        self.site = _text(channel, "title")
        self.uploads = next((folder for folder in (self.root / "uploads", self.root / "wp-content" / "uploads")
                             if folder.is_dir()), None)
        items = [item for item in channel if isinstance(item.tag, str) and item.tag == "item"]
        wanted = [(n, item) for n, item in enumerate(items, 1)
                  if _text(item, "post_type") in POST_TYPES and _text(item, "status") != "trash"]
        if not wanted:
            raise ImportUsageError(f"{self.source} has no posts or pages to import")
        return wanted

    def origin(self, item) -> str:
        number, element = item
        return f"{self.source.name}, item {number} ({_text(element, 'post_type')} {_text(element, 'post_id')})"

    def convert(self, item) -> Candidate:
        number, element = item
        link = _text(element, "link")
        content = _text(element, "encoded")  # content:encoded comes before excerpt:encoded
        encoded = [c for c in element if isinstance(c.tag, str) and c.tag.endswith(_LOCAL + "encoded")]
        excerpt = (encoded[1].text or "").strip() if len(encoded) > 1 else ""
        if not content.strip():
            raise Failure("the post has no text")
        notes: list[Note] = []
        content, removed = shortcodes(autop(content))
        if removed:
            notes.append(Note(f"WordPress shortcodes were removed: {', '.join(f'[{name}]' for name in removed)}; "
                              "check nothing the page showed is missing", code="shortcode-removed"))
        content = self._local_images(content, notes)
        body, body_notes = html_body(content, link)
        notes += body_notes
        status = _text(element, "status")
        categories = [c for c in element if isinstance(c.tag, str) and c.tag == "category"]
        values: dict[str, object] = {
            "title": html.unescape(_text(element, "title")),
            "published": _text(element, "post_date")[:10] or _text(element, "pubDate"),
            "topics": [(c.text or "").strip() for c in categories if c.get("domain") == "category"],
            "tags": [(c.text or "").strip() for c in categories if c.get("domain") == "post_tag"],
        }
        if excerpt:
            values["summary"] = html_body(excerpt, link)[0]
        draft_reason = "" if status == "publish" else f"it was '{status}' in WordPress, not published"
        slug = unquote(_text(element, "post_name"))
        return Candidate(origin=self.origin(item), values=values, body=body, source_path=self.source.name,
                         source_url=link, source_name=self.site, base_dir=self.root, notes=notes,
                         draft_reason=draft_reason, fallback_id=slug or f"item-{number}", topics_to_tags=True,
                         slug=slug, source_item=_text(element, "post_id"),
                         base_url=link)

    def _local_images(self, content: str, notes: list[Note]) -> str:
        """Images in wp-content/uploads/ pointed at the uploads folder beside the export, when it is there."""
        missing: list[str] = []

        def local(match):
            path = unquote(match.group(3))
            if self.uploads is not None and (self.uploads / path).is_file():
                return match.group(1) + (self.uploads / path).relative_to(self.root).as_posix()
            missing.append(Path(urlsplit(match.group(2)).path).name)
            return match.group()

        content = _UPLOADS.sub(local, content)
        if missing:
            where = "beside the export" if self.uploads is None else f"in {self.uploads.name}/"
            notes.append(Note(f"{len(missing)} image(s) were not found {where} and still load from the old site "
                              f"({', '.join(missing[:3])}{'…' if len(missing) > 3 else ''}): copy the uploads "
                              "folder next to the export and import again, or replace them", True,
                              "image-on-original-site"))
        return content
