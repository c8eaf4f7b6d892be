"""Federation: entries from partner hubs, taken from their `entries.json`.

`hubs.yaml` at the project root lists the partner hubs (reviewed by pull
request). `casehub sync` fetches each hub's feed over http(s), with a time
limit and a size cap, and stores it unchanged in `federated/<hub-id>/entries.json`,
reporting what was added, changed, removed or rejected since the last copy. The
build reads only that local copy, never the network, and checks it again, so a
copy edited by hand can add nothing the checks would refuse.

Every entry in a feed is checked on its own: against our schema (after removing
the keys a feed adds), the body-less rules (personal data, date order), no
markup or control characters in any text, an id that is a slug, and a url under
the hub's own address. A bad entry is rejected with its reasons; a feed that is
not JSON, has the wrong shape or a different major schema version, or is too
large is rejected as a whole. Nothing here raises for a partner's content.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

from markupsafe import Markup

from ..core import rules
from ..core.entry import Entry
from ..core.findings import Finding, FindingsError
from ..core.loader import Document, LoadError, load_data_document
from ..core.project import Project
from ..core.safetext import FORBIDDEN_CHARS, HTML, ID_MAX_LENGTH, ID_PATTERN
from ..core.schema import SCHEMA_VERSION, data_findings, schema_findings, web_address
from .fetch import MAX_FEED_BYTES, FetchError, fetch, printable, shown

HUBS_FILE = "hubs.yaml"
CACHE_DIR = "federated"
FEED_NAME = "entries.json"
MAX_FEED_ENTRIES = 20_000
ADDED_KEYS = ("id", "url", "json_url", "file")  # what opendata.entry_record adds to the front matter


@dataclass(frozen=True)
class Hub:
    """One partner hub from hubs.yaml."""

    id: str
    name: str
    url: str  # the site's base address, ending in "/"
    topics: tuple[str, ...] | None = None  # None: take every entry

    @property
    def feed_url(self) -> str:
        return urljoin(self.url, FEED_NAME)

    @property
    def listing_url(self) -> str:
        """Where the site lists this hub's entries."""
        return f"hubs/{self.id}/"

    def takes(self, meta: dict) -> bool:
        topics = meta.get("topics")
        return self.topics is None or (isinstance(topics, list) and bool(set(self.topics) & set(map(str, topics))))


@dataclass
class FederatedEntry(Entry):
    """An entry from a partner hub: its checked front matter, no body, and where the original lives."""

    hub: Hub | None = None
    original_url: str = ""
    federated = True

    @property
    def url(self) -> str:
        return f"{self.hub.listing_url}{self.id}/"


# --- hubs.yaml -----------------------------------------------------------------

def hubs_path(project: Project) -> Path:
    return project.root / HUBS_FILE


def cache_path(project: Project, hub: Hub) -> Path:
    return project.root / CACHE_DIR / hub.id / FEED_NAME


def cache_problem(project: Project, hub: Hub) -> str | None:
    """Why the hub's local copy may not be read or written (None if it may): every part of
    `federated/<hub>/entries.json` must be a real folder or file inside the repository, never a
    link, so neither sync nor the build can be led outside it."""
    root = project.root.resolve()
    path = root
    for part in (CACHE_DIR, hub.id, FEED_NAME):
        path = path / part
        if path.is_symlink():
            return f"{project.relative(path)} is a link; sync and the build use only real folders and files"
    if not path.resolve().is_relative_to(root):  # pragma: no cover - a link would have been found above
        return f"{project.relative(path)} is outside the repository"
    return None


def read_hubs(project: Project) -> list[Hub]:
    """The partner hubs in hubs.yaml (none if there is no file). Raises FindingsError for a bad file.

    Its shape is checked against schemas/hubs.schema.json; that ids differ and
    topics are in data/topics.yaml, here."""
    path = hubs_path(project)
    if not path.is_file():
        return []
    try:
        document = load_data_document(path, project.relative(path))
    except LoadError as error:
        raise FindingsError([error.finding]) from None
    topics = project.vocabularies["topics"].by_id
    data = document.metadata
    if data is None:
        return []
    problems = data_findings(document, "hubs")

    def problem(pointer, message, hint):
        line, column = document.position(pointer)
        problems.append(Finding(document.display_path, line, column, "hubs", message, hint, pointer))

    seen = set()
    for index, item in enumerate(data if isinstance(data, list) else []):
        if not isinstance(item, dict):
            continue
        hub_id = item.get("id")
        if isinstance(hub_id, str):
            if hub_id in seen:
                problem(f"/{index}/id", f"the id '{hub_id}' appears twice", "give each hub its own id")
            seen.add(hub_id)
        chosen = item.get("topics")
        for position, topic in enumerate(chosen if isinstance(chosen, list) else []):
            if isinstance(topic, str) and topic not in topics:
                problem(f"/{index}/topics/{position}", f"'{topic}' is not a topic in data/topics.yaml",
                        "use a topic id from data/topics.yaml")
    if problems:
        raise FindingsError(problems)
    hubs = []
    for item in data:
        url = item["url"] if item["url"].endswith("/") else item["url"] + "/"
        chosen = item.get("topics")
        hubs.append(Hub(item["id"], item["name"].strip(), url, tuple(chosen) if chosen is not None else None))
    return hubs


# --- checking a feed -------------------------------------------------------------

@dataclass
class Rejection:
    """One entry of a feed that was not taken, and why."""

    entry: str  # its id as sent (made safe to print), or its place in the feed
    reasons: list[str]

    def __str__(self) -> str:
        return f"{self.entry}: " + "; ".join(self.reasons)


@dataclass
class FeedCheck:
    """What a feed holds that we can take: entries (as in the feed), rejections and skips."""

    accepted: list[dict] = field(default_factory=list)
    rejected: list[Rejection] = field(default_factory=list)
    skipped: int = 0  # archived, or not on the topics the hub is taken for
    error: str | None = None  # the whole feed was rejected


def _finite(text: str) -> float:
    number = float(text)
    if not math.isfinite(number):
        raise ValueError("a number too large to read")
    return number


def _constant(name: str):
    raise ValueError(f"{name} is not a JSON number")


def parse_feed(raw: bytes) -> tuple[dict | None, str | None]:
    """The feed as data, or why it cannot be used as a whole."""
    if len(raw) > MAX_FEED_BYTES:
        return None, f"the feed is {len(raw):,} bytes, over the limit of {MAX_FEED_BYTES:,}"
    try:
        data = json.loads(raw.decode("utf-8"), parse_float=_finite, parse_constant=_constant)
    except UnicodeDecodeError:
        return None, "the feed is not UTF-8 text"
    except (ValueError, RecursionError) as error:
        return None, f"the feed is not JSON ({shown(error, 100)})"
    if not isinstance(data, dict) or not isinstance(data.get("entries"), list):
        return None, "the feed is not a Casehub entries.json (an object with an 'entries' list)"
    version = data.get("schema_version")
    if not isinstance(version, str) or version.split(".")[0] != SCHEMA_VERSION.split(".")[0]:
        return None, (f"the feed's schema_version is {shown(version)}, but this hub reads version "
                      f"{SCHEMA_VERSION.split('.')[0]}.x: its fields may mean something else")
    if len(data["entries"]) > MAX_FEED_ENTRIES:
        return None, f"the feed has {len(data['entries']):,} entries, over the limit of {MAX_FEED_ENTRIES:,}"
    return data, None


def _strings(value, pointer=""):
    if isinstance(value, dict):
        for key, child in value.items():
            yield pointer + "/" + key, key
            yield from _strings(child, f"{pointer}/{key}")
    elif isinstance(value, list):
        for index, child in enumerate(value):
            yield from _strings(child, f"{pointer}/{index}")
    elif isinstance(value, str):
        yield pointer, value


def _url_problem(url, hub: Hub) -> str | None:
    if isinstance(url, str) and url.startswith("/") and not url.startswith("//"):
        url = urljoin(hub.url, url)  # a development build gives root-relative addresses
    if not web_address(url):
        return f"url: {shown(url)} is not an http(s) address"
    base, parts = urlsplit(hub.url), urlsplit(url)
    segments = unquote(parts.path).replace("\\", "/").split("/")
    if "." in segments or ".." in segments:
        return f"url: {shown(url)} has '.' or '..' in its path, so it may lead off the hub's own site"
    if (parts.scheme, parts.netloc) != (base.scheme, base.netloc) or not parts.path.startswith(base.path):
        return f"url: {shown(url)} is not on the hub's own site ({hub.url})"
    return None


def original_url(item: dict, hub: Hub) -> str:
    url = item["url"]
    return urljoin(hub.url, url) if url.startswith("/") else url


def entry_problems(item, hub: Hub, project: Project, place: str) -> list[str]:
    """Why one entry of a feed cannot be taken (an empty list if it can)."""
    if not isinstance(item, dict):
        return ["it is not a JSON object"]
    problems = []
    entry_id = item.get("id")
    if not (isinstance(entry_id, str) and ID_PATTERN.fullmatch(entry_id)
            and len(entry_id) <= ID_MAX_LENGTH):
        problems.append(f"id: {shown(entry_id)} is not lower-case words joined by hyphens")
    url_problem = _url_problem(item.get("url"), hub)
    if url_problem:
        problems.append(url_problem)
    meta = {k: v for k, v in item.items() if k not in ADDED_KEYS}
    for pointer, text in _strings(meta):
        if FORBIDDEN_CHARS.search(text):
            problems.append(f"{pointer}: has control or text-direction characters")
        elif HTML.search(text):
            problems.append(f"{pointer}: has HTML markup, which this hub does not take from partners")
    document = Document(Path(place), place, meta, "", 1)
    findings = schema_findings(document, project)
    if not findings:  # the rules below expect the schema's shape
        findings = rules.check_date_order(document) + rules.check_personal_data(document)
    problems += [f"{f.field}: {printable(f.message)}" for f in findings]
    return list(dict.fromkeys(problems))


def check_feed(raw: bytes, hub: Hub, project: Project) -> FeedCheck:
    """Check a feed entry by entry; never raises for what the feed holds."""
    data, error = parse_feed(raw)
    if error:
        return FeedCheck(error=error)
    check = FeedCheck()
    seen: set[str] = set()
    for index, item in enumerate(data["entries"]):
        entry_id = item.get("id") if isinstance(item, dict) else None
        label = f"entry {index + 1}" + (f" ({shown(entry_id)})" if entry_id is not None else "")
        if isinstance(item, dict) and (item.get("status") != "published" or not hub.takes(item)):
            check.skipped += 1  # archived or draft entries leave listings; other topics are not wanted
            continue
        try:
            problems = entry_problems(item, hub, project, label)
        except Exception as error:  # noqa: BLE001 - a hostile value must reject the entry, never the run
            problems = [f"it could not be checked ({type(error).__name__})"]
        if not problems and entry_id in seen:
            problems = ["its id appears more than once in the feed"]
        if problems:
            check.rejected.append(Rejection(label, problems))
            continue
        seen.add(entry_id)
        check.accepted.append(item)
    return check


def read_cache(project: Project, hub: Hub) -> bytes | None:
    path = cache_path(project, hub)
    try:
        if cache_problem(project, hub) or not path.is_file() or path.stat().st_size > MAX_FEED_BYTES:
            return None
        return path.read_bytes()
    except OSError:
        return None


def federated_entries(project: Project) -> list[FederatedEntry]:
    """Every entry from the cached feeds that passes the checks again, for the build."""
    entries = []
    for hub in read_hubs(project):
        raw = read_cache(project, hub)
        if raw is None:
            continue
        for item in check_feed(raw, hub, project).accepted:
            meta = {k: v for k, v in item.items() if k not in ADDED_KEYS}
            entries.append(FederatedEntry(item["id"], f"{CACHE_DIR}/{hub.id}/{FEED_NAME}", meta, Markup(""),
                                          project, hub=hub, original_url=original_url(item, hub)))
    return entries


# --- casehub sync --------------------------------------------------------------------

@dataclass
class SyncResult:
    """What one hub's sync found, compared with the previous copy."""

    hub: Hub
    error: str | None = None  # the feed was not used; the previous copy is kept
    added: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    unchanged: int = 0
    skipped: int = 0
    rejected: list[Rejection] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {"hub": self.hub.id, "name": self.hub.name, "feed": self.hub.feed_url, "error": self.error,
                "added": self.added, "changed": self.changed, "removed": self.removed,
                "unchanged": self.unchanged, "skipped": self.skipped,
                "rejected": [{"entry": r.entry, "reasons": r.reasons} for r in self.rejected]}


def sync(project: Project, fetcher=fetch) -> list[SyncResult]:
    """Fetch every hub's feed, check it and, if it is usable, store it as the hub's local copy."""
    results = []
    for hub in read_hubs(project):
        result = SyncResult(hub)
        results.append(result)
        previous = read_cache(project, hub)
        before = {i["id"]: i for i in check_feed(previous, hub, project).accepted} if previous else {}
        try:
            raw = fetcher(hub.feed_url)
        except FetchError as error:
            result.error = str(error)
            continue
        check = check_feed(raw, hub, project)
        if check.error:
            result.error = check.error
            continue
        after = {i["id"]: i for i in check.accepted}
        result.added = [i for i in after if i not in before]
        result.changed = [i for i in after if i in before and after[i] != before[i]]
        result.removed = [i for i in before if i not in after]
        result.unchanged = len(after) - len(result.added) - len(result.changed)
        result.skipped, result.rejected = check.skipped, check.rejected
        problem = cache_problem(project, hub)
        if problem:
            result.error = problem
            continue
        path = cache_path(project, hub)
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_name(f".{path.name}.tmp")
        temporary.write_bytes(raw)
        temporary.replace(path)
    return results


def sync_as_text(results: list[SyncResult], project: Project) -> str:
    if not results:
        return f"No partner hubs in {HUBS_FILE}: nothing to sync.\n"
    lines = []
    for r in results:
        head = f"{r.hub.id} ({r.hub.feed_url})"
        if r.error:
            kept = "kept the previous copy" if read_cache(project, r.hub) is not None else "no copy is kept"
            lines.append(f"{head}: not synced: {r.error}; {kept}.")
            continue
        taken = len(r.added) + len(r.changed) + r.unchanged
        lines.append(f"{head}: {taken} entr{'y' if taken == 1 else 'ies'} taken: {len(r.added)} added, "
                     f"{len(r.changed)} changed, {len(r.removed)} removed, {r.unchanged} unchanged; "
                     f"{len(r.rejected)} rejected; {r.skipped} skipped (archived, or not on the chosen topics).")
        for name, ids in (("added", r.added), ("changed", r.changed), ("removed", r.removed)):
            if ids:
                lines.append(f"  {name}: {', '.join(ids)}")
        for rejection in r.rejected:
            lines.append(f"  rejected {rejection}")
    return "\n".join(lines) + "\n"
