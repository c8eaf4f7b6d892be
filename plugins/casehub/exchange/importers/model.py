"""The importers' data: what an importer reads, what it is told, and what happened.

`FIELDS` names the values an importer can fill; an importer (a subclass of
`Importer`, or `FileImporter` for one entry a file) turns each item of its
source into a `Candidate`: those values, a Markdown body and `Note`s. The run
(run.py) turns candidates into entries and records an `Outcome` for each in an
`ImportReport`. Nothing here reads vocabularies, changes text or writes files.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from ...core.findings import CasehubError, Finding
from ...core.project import Project

# The values an importer can fill, and what each takes. "section:<Heading>" names a body section.
FIELDS: dict[str, str] = {
    "title": "the headline",
    "slug": "the item's own short name or id at the source (a slug or id column): the entry's id when it has letters",
    "summary": "one or two sentences",
    "type": "an entry type (id or label from data/types.yaml)",
    "organisation": "the lead organisation's name",
    "partners": "partner organisations (several, separated by ; or new lines)",
    "gss": "the lead organisation's GSS code",
    "nation": "England, Scotland, Wales, Northern Ireland or UK",
    "region": "a region (id or label from data/regions.yaml)",
    "council_type": "a council type (id or label from data/council-types.yaml)",
    "topics": "topics (ids or labels from data/topics.yaml, separated by ; or ,)",
    "tags": "free keywords (separated by ; or ,)",
    "stage": "a stage (id or label from data/stages.yaml)",
    "published": "the date it was published (dd/mm/yyyy, 3 March 2021 or 2021-03-03)",
    "budget_band": "a budget band, or an amount such as £25,000",
    "funding_sources": "where the money came from (separated by ;)",
    "contact": "the team's shared mailbox or contact web page",
    "contact_team": "the team readers can contact",
    "contact_email": "the team's shared mailbox",
    "contact_url": "the team's contact web page",
    "authors": "who wrote it (separated by ;)",
    "licence": "OGL-UK-3.0, CC-BY-4.0, CC-BY-SA-4.0 or CC0-1.0",
    "url": "the original's web address (kept as source.url)",
    "body": "the text, in Markdown or HTML",
}
LIST_FIELDS = frozenset({"partners", "topics", "tags", "funding_sources", "authors"})
SECTION_PREFIX = "section:"


class ImportUsageError(CasehubError):
    """The input cannot be used at all (a missing source, a bad mapping): exit 2, nothing written."""


@dataclass
class Note:
    """Something the importer changed or could not use. `review` notes make the entry a draft.

    `code` names the kind of change, stable from release to release, so a program
    (or the report's totals) can count them: `link-resolved-internal`, `personal-data-removed`…;
    `data` holds numbers that go with it (`text-kept-share`: the words kept and the page's)."""

    message: str
    review: bool = True
    code: str = ""
    data: dict = field(default_factory=dict)  # numbers that go with the code (text-kept-share: words kept)

    def as_dict(self) -> dict:
        return {"code": self.code, "message": self.message, "review": self.review, **self.data}


@dataclass
class Mapping:
    """Which source column (or front matter key) fills each field, body sections, defaults, the source's name;
    value crosswalks (field -> label -> what it becomes) and the filters that choose which items come in."""

    fields: dict[str, str] = field(default_factory=dict)
    sections: dict[str, str] = field(default_factory=dict)
    defaults: dict[str, str] = field(default_factory=dict)
    name: str = ""
    # field -> {label (once built, as compared: vocab.label_key): a vocabulary id, several (topics), or None}
    values: dict[str, dict[str, str | list[str] | None]] = field(default_factory=dict)
    where: dict[str, list[str]] = field(default_factory=dict)  # column -> values: an item comes in if each matches
    skip: dict[str, list[str]] = field(default_factory=dict)  # column -> values: an item is left out if any matches

    @property
    def empty(self) -> bool:
        return not (self.fields or self.sections)


@dataclass
class ImportOptions:
    mapping: Mapping = field(default_factory=Mapping)
    output_dir: Path | None = None
    dry_run: bool = False
    today: date = field(default_factory=date.today)
    on_clash: str = "rename"  # or "skip"
    source_name: str = ""
    base_url: str = ""  # the original site's address (--base-url): links relative to it are resolved


@dataclass
class Candidate:
    """One entry as an importer read it, before mapping: values by field name, a Markdown body, notes."""

    origin: str  # how the report names it: "case-studies.csv, row 4", "posts/2021-03-03-repairs.md"
    values: dict[str, object] = field(default_factory=dict)
    body: str = ""
    sections: list[tuple[str, str]] = field(default_factory=list)
    source_path: str = ""
    source_url: str = ""
    source_name: str = ""
    base_dir: Path | None = None  # where relative images are looked up
    image_root: Path | None = None  # images may come from inside here (default: the imported folder)
    notes: list[Note] = field(default_factory=list)
    draft_reason: str = ""  # a reason the entry is always a draft (for example, it came from a web page)
    fallback_id: str = ""
    topics_to_tags: bool = False  # topics that are not in the vocabulary become tags, not problems
    slug: str = ""  # the source's own short name for the item (its slug, file name, post_name): the entry's id
    source_item: str = ""  # which item of a file that holds many (a row's id, a post's id): kept as source.item
    archived_reason: str = ""  # the item was withdrawn at the source (expired): it comes in archived, saying why
    base_url: str = ""  # HTML in the body has its relative links made absolute against it
    # Where the original lived, for links between imported items and the redirect map (links.py):
    addresses: list[str] = field(default_factory=list)  # its old paths on the site, its own first, then aliases
    content_path: str = ""  # its file, relative to the site's content folder (what Hugo's ref names)
    site_url: str = ""  # the original site's address: images on it are looked for in the imported folder


@dataclass
class Outcome:
    """What happened to one source item."""

    origin: str
    # "published", "archived" or "draft" (written), "updated" (a draft rewritten from its changed source),
    # "unchanged" (imported before and the same at the source: nothing written), "skipped" or "failed"
    status: str
    path: str = ""
    id: str = ""
    findings: list[Finding] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)
    images: int = 0
    old_addresses: list[str] = field(default_factory=list)  # where the original lived: a redirect map's lines
    entry_status: str = ""  # the entry's own status, when it is not `status` (an entry imported before)

    @property
    def needs_attention(self) -> bool:
        """Drafts, updates and failures; a skipped item only when a note asks for a person."""
        if self.status in ("published", "archived", "unchanged"):
            return False
        return self.status != "skipped" or any(n.review for n in self.notes)

    def as_dict(self) -> dict:
        return {"origin": self.origin, "status": self.status, "path": self.path, "id": self.id,
                "images": self.images, "old_addresses": self.old_addresses,
                "notes": [n.as_dict() for n in self.notes], "findings": [f.as_dict() for f in self.findings]}


@dataclass
class ImportReport:
    format: str
    source: str
    output: str
    dry_run: bool
    notes: list[str] = field(default_factory=list)
    outcomes: list[Outcome] = field(default_factory=list)
    base_url: str = ""  # the original site's address, when known: the redirect map's old addresses start with it

    def count(self, status: str) -> int:
        return sum(1 for o in self.outcomes if o.status == status)

    @property
    def attention(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.needs_attention]

    def as_dict(self) -> dict:
        return {"format": self.format, "source": self.source, "output": self.output, "dry_run": self.dry_run,
                "imported": self.count("published") + self.count("draft") + self.count("archived"),
                "published": self.count("published"),
                "drafts": self.count("draft"), "updated": self.count("updated"), "unchanged": self.count("unchanged"),
                "skipped": self.count("skipped"), "failed": self.count("failed"),
                "archived": self.count("archived"), "needs_attention": len(self.attention), "base_url": self.base_url,
                "changes": self.changes(), "notes": self.notes, "entries": [o.as_dict() for o in self.outcomes]}

    def changes(self) -> dict[str, int]:
        """How many entries have a note of each code, most first: the report's totals."""
        counts: dict[str, int] = {}
        for outcome in self.outcomes:
            for code in dict.fromkeys(n.code or "other" for n in outcome.notes):
                counts[code] = counts.get(code, 0) + 1
        return dict(sorted(counts.items(), key=lambda pair: (-pair[1], pair[0])))


class Failure(CasehubError):
    """One source item that cannot become an entry (unreadable, unsafe YAML…); the run goes on."""


class Skip(CasehubError):
    """One source item deliberately not imported (a template, a row the filter leaves out); reported with a code."""

    def __init__(self, message: str, code: str):
        super().__init__(message)
        self.code = code


class Importer:
    """Base class: a subclass reads one kind of source into Candidates. See csv.py, markdown.py, html.py."""

    format = ""
    description = ""
    filters = False  # whether it applies the mapping's where: and skip: (row filters)

    def __init__(self, project: Project, source: Path, options: ImportOptions):
        self.project = project
        self.source = source
        self.options = options
        self.notes: list[str] = []  # about the whole run, for the report

    @property
    def root(self) -> Path:
        """The folder that was imported: relative paths and images must stay inside it."""
        return self.source if self.source.is_dir() else self.source.parent

    @property
    def image_root(self) -> Path:
        """The folder images may come from (a Markdown site's own folder, where its static images are)."""
        return self.root

    @property
    def base_url(self) -> str:
        """The original site's address ('https://www.example.gov.uk/'), or '' when it is not known."""
        from .oldsite import web_address

        return web_address(self.options.base_url)

    def old_path(self, content_path: str) -> str:
        """The old address of a page that was not imported, from its file (links.py), or '' when unknown."""
        return ""

    def items(self) -> list:
        """The units of work (files or rows). Raises ImportUsageError when the source is unusable."""
        raise NotImplementedError

    def convert(self, item) -> Candidate:
        """One unit of work as a Candidate. Raises Failure for an item that cannot be used."""
        raise NotImplementedError

    def origin(self, item) -> str:
        return str(item)

    def close(self) -> None:
        """Let go of anything the run needed (a scratch folder); called once the run is over."""

    def default_source_name(self) -> str:
        return self.source.name

    def relative(self, path: Path) -> str:
        try:
            return path.relative_to(self.root).as_posix()
        except ValueError:
            return path.name


class FileImporter(Importer):
    """Base for importers that read one entry from each file in a folder (Markdown, web pages)."""

    max_bytes = 5_000_000
    noun = "file"
    suffixes: tuple[str, ...] = ()  # the file names it reads end so, ignoring case
    kind = ""  # how the command names one such file: "a web page (.html or .htm)"

    def source_files(self) -> list[Path]:
        """The source itself if it is a file (raising ImportUsageError if it is not of this `kind`), or
        the folder's files with one of the `suffixes`, not symbolic links, that `wanted` keeps, sorted."""
        source = self.source
        if source.is_file():
            if source.suffix.lower() not in self.suffixes:
                raise ImportUsageError(f"{source} is not {self.kind}")
            return [source]
        if not source.is_dir():
            raise ImportUsageError(f"{source}: no such folder")
        return [path for path in sorted(source.rglob("*"))
                if path.suffix.lower() in self.suffixes and path.is_file() and not path.is_symlink()
                and self.wanted(path.relative_to(source).parts)]

    def wanted(self, parts: tuple[str, ...]) -> bool:
        """Whether a file in the folder (its path's parts below the folder) is read: not in a hidden folder."""
        return not any(part.startswith(".") for part in parts[:-1])

    def origin(self, item: Path) -> str:
        return self.relative(item)

    def default_source_name(self) -> str:
        return self.root.name if self.source.is_dir() else self.source.name

    def read(self, path: Path) -> bytes:
        """The file's bytes, or Failure if it is too big or cannot be read."""
        try:
            if path.stat().st_size > self.max_bytes:
                raise Failure(f"the {self.noun} is over {self.max_bytes // 1_000_000} MB")
            return path.read_bytes()
        except OSError as error:
            raise Failure(f"the {self.noun} cannot be read ({error.strerror})") from None
