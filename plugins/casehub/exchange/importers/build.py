"""A candidate's values mapped to the schema's fields: the entry to write, and every change as a note.

`EntryBuilder` does it one field group at a time, each a method that can be
called (and tested) on its own: identity (title, summary, type), the body,
organisations, geography, topics and tags, stage and publication date, budget
and funding, contact, source, licence and authors. `build` runs them in that
order, so notes come out in the order of the entry's fields, and returns a
`Built`: the front matter as ordered (key, value) pairs, the safe body, the
images to copy, and the notes. Vocabulary look-ups are vocab.py's, dates
dates.py's, bodies body.py's; nothing here writes a file.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from ...core.project import fold_id
from ...core.safetext import TOP_HEADING, contact_address
from .body import normalise_headings, safe_markdown
from .dates import parse_date
from .htmltomd import change_notes
from .images import Image, carry_images, lost_images
from .model import Candidate, ImportOptions, Note
from .text import clean_text, one_line, plain_summary, split_list
from .vocab import Resolver, budget_band, tag_for

MAX_TAGS = 20
MAX_TOPICS = 5
_GSS = re.compile(r"^[EKLMNSW][0-9]{8}$")
_WEB_URL = re.compile(r"^https?://[^\s]+$")
_ALIAS = re.compile(r"(?:/|https?://)\S*")  # an old address: a path on the old site, or a web address
MAX_ALIASES = 50

Pairs = list[tuple[str, object]]


@dataclass
class Built:
    """An entry ready to write: front matter as ordered (key, value) pairs, body, images, notes."""

    metadata: Pairs
    body: str
    images: list[Image]
    notes: list[Note]
    title: str


class EntryBuilder:
    """One candidate on its way to an entry. Each step reads values and appends to `notes`."""

    def __init__(self, resolver: Resolver, candidate: Candidate, options: ImportOptions, fmt: str,
                 default_name: str, root: Path):
        self.resolver = resolver
        self.candidate = candidate
        self.options = options
        self.format = fmt
        self.default_name = default_name
        self.root = root
        self.notes: list[Note] = list(candidate.notes)
        self.values: dict[str, object] = dict(candidate.values)
        for name, value in options.mapping.defaults.items():
            if not self.values.get(name):
                self.values[name] = value
        self.changed_characters = False  # invisible characters removed from some single-line value

    # Reading values ------------------------------------------------------------------------------

    def text(self, name: str) -> str:
        """A single-line value (HTML tags and invisible characters removed, each noted), or ''."""
        value = self.values.get(name)
        if value is None or isinstance(value, (dict, list)):
            return ""
        raw = str(value)
        if clean_text(raw)[1]:
            self.changed_characters = True
        result, had_html = one_line(raw)
        if had_html:
            self.notes.append(Note(f"HTML tags were removed from the {name.replace('_', ' ')} (words kept)", False,
                                   "value-html-removed"))
        return result

    def term(self, name: str, vocabulary: str) -> str:
        """A vocabulary id for the value; the value as given (with a note) when it is not in the vocabulary."""
        value = self.text(name)
        if not value:
            return ""
        found = self.resolver.term(vocabulary, value)
        if found:
            return found
        self.notes.append(Note(f"the {name.replace('_', ' ')} '{value[:60]}' is not in data/{vocabulary}.yaml"))
        return value

    # The steps, in the order `build` runs them ---------------------------------------------------

    def identity(self) -> tuple[str, str, str]:
        """The title, the summary (perhaps '': `summary_from_body` fills it) and the type (a story if none)."""
        title = self.text("title")
        summary = self.text("summary")
        entry_type = self.term("type", "types")
        if not entry_type:
            entry_type = "story"
            self.notes.append(Note("no type was given, so the entry is a story; change it if it is a case study, "
                                   "a how-to or what didn't work", False, "type-defaulted"))
        return title, summary, entry_type

    def body(self, title: str, entry_type: str) -> tuple[str, list[Image]]:
        """The body as safe Markdown (the body value, the candidate's body, then its sections), its images."""
        source = join_body(self.values.get("body"), self.candidate)
        body, changes = safe_markdown(source, self.candidate.base_url)
        self.notes += change_notes(changes)
        body, heading_notes = normalise_headings(body, title)
        self.notes += heading_notes
        body, images, image_notes = carry_images(body, self.candidate.base_dir, self.candidate.image_root or self.root,
                                                 self.candidate.site_url or self.candidate.base_url)
        self.notes += image_notes
        self.notes += lost_images(source, body, image_notes)
        if not body.strip():
            self.notes.append(Note("the entry has no text", entry_type != "story", "body-empty"))
        return body, images

    def summary_from_body(self, summary: str, body: str) -> str:
        """The summary given, or else the body's first real paragraph (noted, for a person to check)."""
        if summary or not body:
            return summary
        summary = plain_summary(body)
        if summary:
            self.notes.append(Note("there was no summary, so it was taken from the first paragraph: "
                                   "check it reads well", code="summary-from-body"))
        return summary

    def organisations(self) -> list[Pairs]:
        """The lead organisation (with its GSS code when valid), then partners other than the lead."""
        organisations: list[Pairs] = []
        lead = self.text("organisation")
        if lead:
            organisation: Pairs = [("name", lead), ("role", "lead")]
            gss = self.text("gss").upper()
            if gss and _GSS.fullmatch(gss):
                organisation.append(("gss", gss))
            elif gss:
                self.notes.append(Note(f"'{gss[:20]}' is not a GSS code (a letter and eight digits), "
                                       "so it was left out", False))
            organisations.append(organisation)
        for partner in split_list(self.values.get("partners")):
            name = one_line(partner)[0]
            if name and fold_id(name) != fold_id(lead):
                organisations.append([("name", name), ("role", "partner")])
        return organisations

    def geography(self) -> Pairs:
        """Nation, region and council type; a nation from the region, a region from a nation that is one."""
        region = self.term("region", "regions")
        nation_text = self.text("nation")
        nation = self.resolver.nation(nation_text) if nation_text else None
        if nation_text and not nation:
            self.notes.append(Note(f"the nation '{nation_text[:40]}' is not England, Scotland, Wales, "
                                   "Northern Ireland or UK"))
            nation = nation_text
        region_nation = self.resolver.region_nation(region)
        if not nation and region_nation:
            nation = region_nation
        if nation in ("scotland", "wales", "northern-ireland") and not region:
            region = nation  # the three nations are their own regions
        if nation == "uk" and not region:
            region = "uk-wide"
        council_type = self.term("council_type", "council-types")
        return [(k, v) for k, v in (("nation", nation), ("region", region), ("council_type", council_type)) if v]

    def topics_and_tags(self) -> tuple[list[str], list[str]]:
        """Topics from the vocabulary (at most five when extras may become tags), and tags."""
        topics: list[str] = []
        tags: list[str] = []
        for value in split_list(self.values.get("topics")):
            found = self.resolver.term("topics", value)
            if found:
                topics.append(found)
            elif self.candidate.topics_to_tags:
                tags.append(value)
            else:
                close = self.resolver.closest("topics", value)
                hint = f" (did you mean '{close}'?)" if close else ""
                self.notes.append(Note(f"the topic '{one_line(value)[0][:60]}' is not in data/topics.yaml{hint}"))
                topics.append(one_line(value)[0])
        topics = list(dict.fromkeys(topics))
        if len(topics) > MAX_TOPICS and self.candidate.topics_to_tags:
            self.notes.append(Note(f"{len(topics)} topics matched; an entry has at most {MAX_TOPICS}, so the first "
                                   f"{MAX_TOPICS} were kept and the rest became tags"))
            tags += topics[MAX_TOPICS:]
            topics = topics[:MAX_TOPICS]
        tags = list(dict.fromkeys(t for t in (tag_for(v) for v in [*tags, *split_list(self.values.get("tags"))])
                                  if t))
        if len(tags) > MAX_TAGS:
            self.notes.append(Note(f"there were {len(tags)} tags; the first {MAX_TAGS} were kept", False))
            tags = tags[:MAX_TAGS]
        return topics, tags

    def stage_and_date(self) -> tuple[str, object]:
        """The stage (a vocabulary id) and the publication date (None when there is none or it is unreadable)."""
        stage = self.term("stage", "stages")
        published = None
        raw_date = self.values.get("published")
        if raw_date not in (None, ""):
            published, date_note = parse_date(raw_date)
            if date_note:
                self.notes.append(Note(f"published: {date_note}", published is None or "month/day" in date_note))
        return stage, published

    def money(self) -> tuple[str, list[str]]:
        """The budget band (from a band or an amount) and the funding sources."""
        band = ""
        budget_text = self.text("budget_band")
        if budget_text:
            band = budget_band(budget_text, self.resolver) or ""
            if not band:
                self.notes.append(Note(f"the budget '{budget_text[:40]}' could not be matched to a budget band, "
                                       "so it was left out"))
        funding = [one_line(v)[0] for v in split_list(self.values.get("funding_sources"))]
        return band, funding

    def contact(self) -> Pairs:
        """The contact team, e-mail address and web page: from `contact` (either), `contact_email`, `contact_url`."""
        found: dict[str, str] = {}
        for given in (self.text("contact"), self.text("contact_email"), self.text("contact_url")):
            value, kind = contact_address(given)
            if not value:
                continue
            if kind in ("url", "email"):
                found.setdefault(kind, value)
            elif kind == "domain":
                found.setdefault("url", "https://" + value)
                self.notes.append(Note("https:// was added to the contact web page", False))
            else:
                self.notes.append(Note("the contact is not an e-mail address or a web page, so it was left out"))
        team = self.text("contact_team")
        return [(k, v) for k, v in (("team", team), *((k, found[k]) for k in ("email", "url") if k in found)) if v]

    def source(self) -> Pairs:
        """Where the entry came from: the source's name, the original's address and path, format, date."""
        options, candidate = self.options, self.candidate
        name = options.source_name or options.mapping.name or candidate.source_name or self.default_name
        source: Pairs = [("name", name[:200])]
        url = self.text("url") or candidate.source_url
        if url and _WEB_URL.fullmatch(url) and len(url) <= 500:
            source.append(("url", url))
        elif url:
            self.notes.append(Note("the original's address is not a web address (https://…), so it was not kept",
                                   False))
        kept_url = dict(source).get("url", "")
        aliases = [a for a in candidate.addresses if a != kept_url and _ALIAS.fullmatch(a) and len(a) <= 500]
        if aliases:
            source.append(("aliases", aliases[:MAX_ALIASES]))
        if candidate.source_path:
            source.append(("path", candidate.source_path[:500]))
        return [*source, ("format", self.format), ("imported", options.today)]

    def licence_and_authors(self) -> tuple[str, list[str]]:
        """The licence (an id Casehub publishes under, else the value with a note) and the authors."""
        licence_text = self.text("licence")
        licence = self.resolver.term("licence", licence_text) if licence_text else ""
        if licence_text and not licence:
            self.notes.append(Note(f"the licence '{licence_text[:40]}' is not one Casehub publishes under"))
            licence = licence_text
        authors = [one_line(v)[0] for v in split_list(self.values.get("authors"))]
        return licence, authors

    # All of it ---------------------------------------------------------------------------------

    def build(self) -> Built:
        title, summary, entry_type = self.identity()
        body, images = self.body(title, entry_type)
        summary = self.summary_from_body(summary, body)
        organisations = self.organisations()
        geography = self.geography()
        topics, tags = self.topics_and_tags()
        stage, published = self.stage_and_date()
        band, funding = self.money()
        contact = self.contact()
        source = self.source()
        licence, authors = self.licence_and_authors()
        if self.changed_characters:
            self.notes += change_notes({"characters"})
        metadata: Pairs = [
            ("title", title), ("summary", summary), ("type", entry_type), ("status", "published"),
            ("organisations", organisations), ("geography", geography), ("topics", topics), ("tags", tags),
            ("stage", stage), ("published", published), ("budget_band", band), ("funding_sources", funding),
            ("contact", contact), ("source", source), ("licence", licence), ("authors", authors)]
        metadata = [(k, v) for k, v in metadata if v not in ("", None, [])]
        return Built(metadata, body, images, unique_notes(self.notes), title)


def build_entry(resolver: Resolver, candidate: Candidate, options: ImportOptions, fmt: str, default_name: str,
                root: Path) -> Built:
    """Map a candidate's values to the schema's fields, make its body safe, and note every change."""
    return EntryBuilder(resolver, candidate, options, fmt, default_name, root).build()


def join_body(body_value, candidate: Candidate) -> str:
    """The body's Markdown before it is made safe: a `body` value, the candidate's body, then each
    non-empty section under a `## ` heading (its own `#` and `##` headings demoted below it)."""
    parts = []
    if isinstance(body_value, str) and body_value.strip():
        parts.append(body_value.strip("\n"))
    if candidate.body.strip():
        parts.append(candidate.body.strip("\n"))
    for heading, section in candidate.sections:
        section = str(section or "").strip("\n")
        if not section.strip():
            continue
        demoted = "\n".join(TOP_HEADING.sub(r"\1###", line) for line in section.split("\n"))
        parts.append(f"## {one_line(heading)[0]}\n\n{demoted}")
    return "\n\n".join(parts)


def unique_notes(notes: list[Note]) -> list[Note]:
    """The notes without repeats (the first of each message kept)."""
    seen, out = set(), []
    for note in notes:
        if note.message not in seen:
            seen.add(note.message)
            out.append(note)
    return out
