"""RSS and Atom feeds: `casehub import feed news.xml`.

A council's blog or a partner's news feed, saved as a file (sync fetches live
feeds; importing works on what you have). Each item becomes one entry: its
title, its full content (`content:encoded` or Atom `content`) or else its
summary, its date, its categories (topics where they match the vocabulary,
tags otherwise), its link kept as the source address. Read with feedparser,
which copes with the malformed feeds real sites publish and drops their
scripts. An item that gave only a short summary is a draft, with a note to
fetch the full text from the original.

`FeedItems` is the base for importers whose one source file holds many
entries (feeds and WordPress exports): it reads the file once and lists its
items.
"""

from __future__ import annotations

import re
import time
from datetime import date

from .htmltomd import change_notes, html_to_markdown
from .model import Candidate, Failure, Importer, ImportUsageError, Note

MAX_BYTES = 50_000_000
SHORT_SUMMARY = 600  # characters: an item with no content and a summary this short is only a teaser


class FeedItems(Importer):
    """An importer reading one file that holds many entries; `parse` lists them."""

    suffixes: tuple[str, ...] = ()
    kind = ""

    def items(self) -> list:
        source = self.source
        if source.is_dir():
            files = [p for p in sorted(source.iterdir()) if p.suffix.lower() in self.suffixes and p.is_file()]
            if len(files) != 1:
                raise ImportUsageError(f"{source} is a folder: give the {self.kind} itself")
            source = self.source = files[0]
        try:
            if source.stat().st_size > MAX_BYTES:
                raise ImportUsageError(f"{source} is over {MAX_BYTES // 1_000_000} MB")
            data = source.read_bytes()
        except OSError as error:
            raise ImportUsageError(f"{source} cannot be read ({error.strerror})") from None
        return self.parse(data)

    def parse(self, data: bytes) -> list:
        raise NotImplementedError

    def default_source_name(self) -> str:
        return self.source.stem


def html_body(html: str, base_url: str) -> tuple[str, list[Note]]:
    """An item's HTML as safe Markdown, with notes for what the converter removed."""
    changes: set[str] = set()
    body = html_to_markdown(html, changes, base_url)
    changes.discard("html")
    return body, change_notes(changes)


def link_slug(link: str) -> str:
    """The last part of an item's address, which its old site named it by ('warm-spaces' of
    https://example.gov.uk/news/warm-spaces/), when it is a name rather than a number or a page file."""
    from urllib.parse import unquote, urlsplit

    last = unquote(urlsplit(link).path.rstrip("/").rsplit("/", 1)[-1])
    last = re.sub(r"\.(?:html?|php|aspx?)$", "", last, flags=re.IGNORECASE)
    return last if re.search(r"[A-Za-z]", last) and last.lower() not in ("index", "default") else ""


class FeedImporter(FeedItems):
    suffixes = (".xml", ".rss", ".atom", ".feed")
    kind = "RSS or Atom feed"
    format = "feed"
    description = "an RSS or Atom feed saved as a file, one entry an item"

    def parse(self, data: bytes) -> list:
        import feedparser

        parsed = feedparser.parse(data, sanitize_html=True, resolve_relative_uris=True)
        if not parsed.entries:
            problem = f" ({parsed.bozo_exception})" if parsed.get("bozo") else ""
            raise ImportUsageError(f"{self.source} is not an RSS or Atom feed with items{problem}")
        self.site = parsed.feed.get("title", "")
        return list(enumerate(parsed.entries, 1))

    def origin(self, item) -> str:
        number, entry = item
        return f"{self.source.name}, item {number}"

    def convert(self, item) -> Candidate:
        number, entry = item
        link = entry.get("link", "")
        content = next((c.get("value", "") for c in entry.get("content", []) if c.get("value")), "")
        summary_html = entry.get("summary", "")
        notes: list[Note] = []
        draft_reason = ""
        if not content:
            content = summary_html
            if len(" ".join(summary_html.split())) < SHORT_SUMMARY:
                draft_reason = (f"the feed gave only a summary: copy the full text from the original "
                                f"({link or 'no address given'}), then set status: published")
        if not content.strip():
            raise Failure("the item has no text")
        body, body_notes = html_body(content, link)
        notes += body_notes
        published = entry.get("published_parsed") or entry.get("updated_parsed")
        values: dict[str, object] = {
            "title": entry.get("title", ""),
            "published": date.fromtimestamp(time.mktime(published)).isoformat() if published else "",
            "topics": [tag.get("term", "") for tag in entry.get("tags", []) if tag.get("term")],
        }
        if summary_html and content is not summary_html:
            values["summary"] = html_body(summary_html, link)[0]
        return Candidate(origin=self.origin(item), values=values, body=body, source_path=self.source.name,
                         source_url=link, source_name=self.site, notes=notes, draft_reason=draft_reason,
                         fallback_id=f"item-{number}", topics_to_tags=True, base_url=link, slug=link_slug(link),
                         source_item=str(entry.get("id") or "") if entry.get("id") != link else "")

