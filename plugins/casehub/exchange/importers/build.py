"""A candidate's values mapped to the schema's fields: the entry to write, and every change as a note.

`EntryBuilder` does it one field group at a time, each a method that can be
called (and tested) on its own: identity (title, summary, type), the body,
organisations, geography, topics and tags, stage and publication date, budget
and funding, contact, source, licence and authors. `build` runs them in that
order, so notes come out in the order of the entry's fields, and returns a
`Built`: the front matter as ordered (key, value) pairs, the safe body, the
images to copy, and the notes. Vocabulary look-ups are vocab.py's, dates
dates.py's, bodies body.py's, personal data personal.py's; nothing here writes
a file.

The mapping's crosswalks (`values:`) are tried before the vocabularies; its
defaults for a field with a vocabulary apply when nothing in the source
matches (the originals kept as tags, for topics), for any other field when the
source leaves it empty. The lead organisation is looked up in the council
register, which places the entry (region, council type, nation, GSS code)
where the source does not.
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
from .redact import PersonalData, is_personal_address
from .text import clean_text, one_line, plain_summary, split_list
from .vocab import VOCABULARY_OF, Resolver, budget_band, label_key, split_labels, tag_for

MAX_TAGS = 20
MAX_TOPICS = 5
_GSS = re.compile(r"^[EKLMNSW][0-9]{8}$")
_WEB_URL = re.compile(r"^https?://[^\s]+$")
# Fields whose default applies when nothing in the source matches, not only when the source is empty.
MATCHED_FIELDS = frozenset({*VOCABULARY_OF, "nation", "licence", "budget_band"})
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
    slug: str = ""  # the source's own name for the item, which the entry's id is made from when it can be
    archived_reason: str = ""  # withdrawn at the source: archived (or a draft saying so), never published


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
        self.defaults = options.mapping.defaults
        self.crosswalks = options.mapping.values
        for name, value in self.defaults.items():
            if name not in MATCHED_FIELDS and not self.values.get(name):
                self.values[name] = value
        self.changed_characters = False  # invisible characters removed from some single-line value
        self.council = None  # the lead organisation, found in the council register
        self.personal = PersonalData()  # what is taken out, for one note at the end

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

    def crosswalk(self, name: str, label: str) -> tuple[bool, object]:
        """Whether the mapping's `values:` name this label for the field, and what it becomes (None: nothing)."""
        table = self.crosswalks.get(name)
        key = label_key(label)
        if table and key in table:
            return True, table[key]
        return False, None

    def matched(self, name: str, vocabulary: str) -> tuple[str, str]:
        """The value as given, and the vocabulary id it stands for ('' when none): crosswalk, then vocabulary."""
        value = self.text(name)
        if not value:
            return "", ""
        hit, target = self.crosswalk(name, value)
        if hit:
            return value, str(target or "")
        return value, self.resolver.term(vocabulary, value) or ""

    def settle(self, name: str, vocabulary: str, value: str, found: str) -> str:
        """What a field with a vocabulary becomes: the id found; else the default (noted when it replaced a
        value); else the value as given, noted for a person."""
        if found:
            return found
        shown = name.replace("_", " ")
        default = self.defaults.get(name)
        if default:
            term = self.resolver.term(vocabulary, default) or default
            if value:
                self.notes.append(Note(f"the {shown} '{value[:60]}' is not in data/{vocabulary}.yaml, so the default "
                                       f"'{term}' was used", False, "default-applied"))
            return term
        if value and self.crosswalk(name, value)[0]:
            self.notes.append(Note(f"the {shown} '{value[:60]}' is mapped to nothing, so it was left out", False,
                                   "value-dropped"))
            return ""
        if value:
            close = self.resolver.closest(vocabulary, value)
            hint = f" (did you mean '{close}'?)" if close else ""
            self.notes.append(Note(f"the {shown} '{value[:60]}' is not in data/{vocabulary}.yaml{hint}: map it in "
                                   f"the mapping's values: {name}:", code="value-not-in-vocabulary"))
        return value

    def term(self, name: str, vocabulary: str) -> str:
        """A vocabulary id for the value; the default, or the value as given (with a note), when it is not in
        the vocabulary."""
        return self.settle(name, vocabulary, *self.matched(name, vocabulary))

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
        body = self.personal.remove(body, "the body", markdown=True)
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
        hit, target = self.crosswalk("organisation", lead) if lead else (False, None)
        if hit:
            lead = str(target or "")
        gss = self.text("gss").upper()
        if gss and not _GSS.fullmatch(gss):
            self.notes.append(Note(f"'{gss[:20]}' is not a GSS code (a letter and eight digits), "
                                   "so it was left out", False, "gss-invalid"))
            gss = ""
        self.council = self.resolver.council(gss) if gss else None
        self.council = self.council or self.resolver.council(lead)
        if lead:
            organisation: Pairs = [("name", lead), ("role", "lead")]
            if not gss and self.council:
                gss = self.council.gss
                self.notes.append(Note(f"'{lead[:60]}' is {self.council.name} in the council register: its GSS "
                                       f"code {gss} was added", False, "gss-from-council"))
            if gss:
                organisation.append(("gss", gss))
            organisations.append(organisation)
        for partner in split_list(self.values.get("partners")):
            name = one_line(partner)[0]
            if name and fold_id(name) != fold_id(lead):
                organisations.append([("name", name), ("role", "partner")])
        return organisations

    def geography(self) -> Pairs:
        """Nation, region and council type: from the source (crosswalked), then the council register (the
        lead organisation's council, or a council named as the region), then the defaults; a nation from
        the region, a region from a nation that is one."""
        region_text, region = self.matched("region", "regions")
        council = self.council
        if region_text and not region and not self.crosswalk("region", region_text)[0]:
            named = self.resolver.council(region_text)  # "Enfield" given as the place
            if named:
                council = council or named
                region = named.region
                self.notes.append(Note(f"the region '{region_text[:60]}' is {named.name} in the council register, "
                                       f"so the region is {region}", False, "region-from-council"))
        type_text, council_type = self.matched("council_type", "council-types")
        if council:
            filled = []
            if not region and not region_text:
                region = council.region
                filled.append(f"region {region}")
            if not council_type and not type_text:
                council_type = council.council_type
                filled.append(f"council type {council_type}")
            if filled:
                self.notes.append(Note(f"placed from the council register ({council.name}): " + ", ".join(filled),
                                       False, "place-from-council"))
            self.disagreement(council, region, council_type)
        region = self.settle("region", "regions", region_text, region)
        council_type = self.settle("council_type", "council-types", type_text, council_type)
        nation_text = self.text("nation")
        hit, target = self.crosswalk("nation", nation_text) if nation_text else (False, None)
        nation = str(target or "") if hit else (self.resolver.nation(nation_text) if nation_text else None)
        if not nation:
            nation = self.resolver.region_nation(region) or (council.nation if council else None)
        if not nation and self.defaults.get("nation"):
            nation = self.resolver.nation(self.defaults["nation"])
            if nation_text:
                self.notes.append(Note(f"the nation '{nation_text[:40]}' is not England, Scotland, Wales, Northern "
                                       f"Ireland or UK, so the default '{nation}' was used", False, "default-applied"))
        elif nation_text and not nation:
            self.notes.append(Note(f"the nation '{nation_text[:40]}' is not England, Scotland, Wales, "
                                   "Northern Ireland or UK", code="value-not-in-vocabulary"))
            nation = nation_text
        if nation in ("scotland", "wales", "northern-ireland") and not region:
            region = nation  # the three nations are their own regions
        if nation == "uk" and not region:
            region = "uk-wide"
        return [(k, v) for k, v in (("nation", nation), ("region", region), ("council_type", council_type)) if v]

    def disagreement(self, council, region: str, council_type: str) -> None:
        """A note for a person when the source places the lead council differently from the register."""
        differ = [f"{what} '{given}' (the register has {known})"
                  for what, given, known in (("region", region, council.region),
                                             ("council type", council_type, council.council_type))
                  if given and known and given != known]
        if differ:
            self.notes.append(Note(f"the source gives {council.name} the " + " and the ".join(differ)
                                   + ": check which is right", code="place-disagrees"))

    def topics_and_tags(self) -> tuple[list[str], list[str]]:
        """Topics from the vocabulary (at most five when extras may become tags), and tags."""
        topics: list[str] = []
        tags: list[str] = []
        unmatched: list[str] = []

        def known(label: str) -> bool:
            return self.crosswalk("topics", label)[0] or bool(self.resolver.term("topics", label))

        for value in split_labels(self.values.get("topics"), known):
            hit, target = self.crosswalk("topics", value)
            if hit:
                if target is None:
                    tags.append(value)  # the mapping says it is not a topic: a tag, then
                else:
                    topics += target if isinstance(target, list) else [target]
            elif found := self.resolver.term("topics", value):
                topics.append(found)
            else:
                unmatched.append(one_line(value)[0])
        default = split_list(self.defaults.get("topics"))
        if not topics and default:
            topics = [self.resolver.term("topics", d) or d for d in default]
            if unmatched:
                shown = ", ".join(f"'{u[:40]}'" for u in unmatched[:5]) + (" …" if len(unmatched) > 5 else "")
                self.notes.append(Note(f"no topic matched data/topics.yaml ({shown}), so the default "
                                       f"{', '.join(topics)} was used and the originals were kept as tags", False,
                                       "default-applied"))
                tags += unmatched
        elif self.candidate.topics_to_tags:
            tags += unmatched
        else:
            for value in unmatched:
                close = self.resolver.closest("topics", value)
                hint = f" (did you mean '{close}'?)" if close else ""
                self.notes.append(Note(f"the topic '{value[:60]}' is not in data/topics.yaml{hint}: map it in the "
                                       "mapping's values: topics:", code="value-not-in-vocabulary"))
            topics += unmatched
        topics = list(dict.fromkeys(topics))
        if len(topics) > MAX_TOPICS and self.candidate.topics_to_tags:
            self.notes.append(Note(f"{len(topics)} topics matched; an entry has at most {MAX_TOPICS}, so the first "
                                   f"{MAX_TOPICS} were kept and the rest became tags", code="topics-cut"))
            tags += topics[MAX_TOPICS:]
            topics = topics[:MAX_TOPICS]
        given_tags = []
        for value in split_list(self.values.get("tags")):
            hit, target = self.crosswalk("tags", value)
            given_tags += ([] if target is None else target if isinstance(target, list) else [target]) if hit \
                else [value]
        tags = list(dict.fromkeys(t for t in (tag_for(v) for v in [*tags, *given_tags]) if t))
        if len(tags) > MAX_TAGS:
            self.notes.append(Note(f"there were {len(tags)} tags; the first {MAX_TAGS} were kept", False,
                                   "tags-cut"))
            tags = tags[:MAX_TAGS]
        return topics, tags

    def stage_and_date(self) -> tuple[str, object]:
        """The stage (a vocabulary id) and the publication date (None when there is none or it is unreadable)."""
        stage = self.term("stage", "stages")
        published = None
        raw_date = self.values.get("published")
        if raw_date not in (None, ""):
            published, date_note = parse_date(raw_date)
            if published is None and self.defaults.get("published"):
                published = parse_date(self.defaults["published"])[0]
                date_note = f"{date_note}; the default {published} was used"
            if date_note:
                self.notes.append(Note(f"published: {date_note}", published is None or "month/day" in date_note,
                                       "date-unclear"))
        return stage, published

    def money(self) -> tuple[str, list[str]]:
        """The budget band (from a band or an amount) and the funding sources."""
        band = ""
        budget_text = self.text("budget_band")
        if budget_text:
            hit, target = self.crosswalk("budget_band", budget_text)
            band = str(target or "") if hit else budget_band(budget_text, self.resolver) or ""
            if not band and not hit and self.defaults.get("budget_band"):
                band = budget_band(self.defaults["budget_band"], self.resolver) or ""
                self.notes.append(Note(f"the budget '{budget_text[:40]}' could not be matched to a budget band, so "
                                       f"the default {band} was used", False, "default-applied"))
            elif not band and not hit:
                self.notes.append(Note(f"the budget '{budget_text[:40]}' could not be matched to a budget band, "
                                       "so it was left out", code="value-not-in-vocabulary"))
        elif self.defaults.get("budget_band"):
            band = budget_band(self.defaults["budget_band"], self.resolver) or ""
        funding = [one_line(v)[0] for v in split_list(self.values.get("funding_sources"))]
        return band, funding

    def contact(self) -> Pairs:
        """The contact team, e-mail address and web page: from `contact` (either), `contact_email`, `contact_url`."""
        found: dict[str, str] = {}
        for given in (self.text("contact"), self.text("contact_email"), self.text("contact_url")):
            value, kind = contact_address(given)
            if not value:
                continue
            if kind == "email" and is_personal_address(value):
                self.personal.counted("an e-mail address", "the contact")
            elif kind in ("url", "email"):
                found.setdefault(kind, value)
            elif kind == "domain":
                found.setdefault("url", "https://" + value)
                self.notes.append(Note("https:// was added to the contact web page", False, "contact-fixed"))
            else:
                self.notes.append(Note("the contact is not an e-mail address or a web page, so it was left out",
                                       code="contact-unusable"))
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
                                   False, "source-url-dropped"))
        kept_url = dict(source).get("url", "")
        aliases = [a for a in candidate.addresses if a != kept_url and _ALIAS.fullmatch(a) and len(a) <= 500]
        if aliases:
            source.append(("aliases", aliases[:MAX_ALIASES]))
        if candidate.source_path:
            source.append(("path", candidate.source_path[:500]))
        item = one_line(candidate.source_item)[0]
        if item:
            source.append(("item", item[:200]))
        return [*source, ("format", self.format), ("imported", options.today)]

    def licence_and_authors(self) -> tuple[str, list[str]]:
        """The licence (an id Casehub publishes under, else the value with a note) and the authors."""
        licence_text = self.text("licence")
        hit, target = self.crosswalk("licence", licence_text) if licence_text else (False, None)
        licence = str(target or "") if hit else self.resolver.term("licence", licence_text) if licence_text else ""
        default = self.resolver.term("licence", self.defaults.get("licence", "")) if self.defaults.get("licence") \
            else ""
        if not licence and default:
            if licence_text and not hit:
                self.notes.append(Note(f"the licence '{licence_text[:40]}' is not one Casehub publishes under, so the "
                                       f"default {default} was used", False, "default-applied"))
            licence = default
        elif licence_text and not licence and not hit:
            self.notes.append(Note(f"the licence '{licence_text[:40]}' is not one Casehub publishes under",
                                   code="value-not-in-vocabulary"))
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
        archived_reason = one_line(self.candidate.archived_reason)[0][:300]
        metadata: Pairs = [
            ("title", title), ("summary", summary), ("type", entry_type), ("status", "published"),
            ("archived_reason", archived_reason),
            ("organisations", organisations), ("geography", geography), ("topics", topics), ("tags", tags),
            ("stage", stage), ("published", published), ("budget_band", band), ("funding_sources", funding),
            ("contact", contact), ("source", source), ("licence", licence), ("authors", authors)]
        metadata = [(k, self.personal.from_field(k, v)) for k, v in metadata if v not in ("", None, [])]
        title = dict(metadata).get("title", "")
        note = self.personal.note()
        if note:
            self.notes.append(note)
        return Built(metadata, body, images, unique_notes(self.notes), title, self.slug(), archived_reason)

    # The id ----------------------------------------------------------------------------------

    def slug(self) -> str:
        """The source's own name for the item, when it has letters in it (a bare number is not a name)."""
        slug = one_line(str(self.values.get("slug") or self.candidate.slug or ""))[0]
        return slug if re.search(r"[A-Za-z]", slug) else ""


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
