"""The library: every entry, and the views of it the site needs.

Builds the browse facets (type, topic, region, council type, stage,
organisation) with their counts, the newest and featured lists, and related
entries. Works on `Entry` objects only; it reads no files and writes none.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from functools import cached_property

from ..core.entry import Entry, Term

# (path and key, heading, singular noun) for each browse facet, in page order.
FACETS = (
    ("topics", "Topics", "topic"),
    ("regions", "Regions", "region"),
    ("council-types", "Council types", "council type"),
    ("types", "Entry types", "type"),
    ("stages", "Stages", "stage"),
    ("organisations", "Organisations", "organisation"),
)

MAX_FILTER_OPTIONS = 40  # per filter on the search page

# (facet key, Pagefind filter name, label) in the order the search page shows them.
SEARCH_FILTERS = (
    ("types", "type", "Type"),
    ("topics", "topic", "Topic"),
    ("regions", "region", "Region"),
    ("council-types", "council type", "Council type"),
    ("organisations", "organisation", "Organisation"),
    ("stages", "stage", "Stage"),
    ("years", "year", "Year"),
)


@dataclass
class Collection:
    """A facilitator's titled, ordered reading list (data/collections.yaml)."""

    id: str
    title: str
    introduction: str
    topics: list[str]
    entries: list[Entry]

    @property
    def url(self) -> str:
        return f"collections/{self.id}/"


@dataclass
class Facet:
    key: str
    title: str
    noun: str
    groups: list[tuple[Term, list[Entry]]] = field(default_factory=list)

    @property
    def url(self) -> str:
        return f"{self.key}/"


class Library:
    """All entries that passed validation. Drafts are kept but never published; drafts that are
    not complete yet are only counted (`unfinished_drafts`), as they cannot be entries."""

    def __init__(self, entries: list[Entry], project, federated: list[Entry] = (), unfinished_drafts: int = 0):
        self.project = project
        self.unfinished_drafts = unfinished_drafts
        self.all = sorted(entries, key=lambda e: (e.published_date, e.id), reverse=True)
        self.by_id = {e.id: e for e in self.all}
        # Partner hubs' entries (federation.py): shown in listings, browse pages and search,
        # never in `all`, `published` or `listed`, so open data, stats and review count ours only.
        self._hub_order = list(dict.fromkeys(e.hub for e in federated))  # hubs.yaml order
        self.federated = sorted(federated, key=lambda e: (e.published_date, e.hub.id, e.id), reverse=True)

    @cached_property
    def published(self) -> list[Entry]:
        """Entries with pages: published and archived (archived keep their URL)."""
        return [e for e in self.all if e.status in ("published", "archived")]

    @cached_property
    def listed(self) -> list[Entry]:
        """Entries shown in listings and search: published, not archived."""
        return [e for e in self.all if e.status == "published"]

    @cached_property
    def shown(self) -> list[Entry]:
        """What listings and search show: listed entries and partner hubs' entries, newest first."""
        if not self.federated:
            return self.listed
        return sorted(self.listed + self.federated, key=lambda e: (e.published_date, e.federated, e.id),
                      reverse=True)

    @cached_property
    def hubs(self) -> list[tuple]:
        """(hub, its entries) for each partner hub with entries, in hubs.yaml order."""
        return [(hub, [e for e in self.federated if e.hub == hub]) for hub in self._hub_order]

    @cached_property
    def featured(self) -> list[Entry]:
        return [e for e in self.listed if e.featured]

    @cached_property
    def collections(self) -> list[Collection]:
        """Collections with their entries resolved, in file order; unpublished entries are left out."""
        data, _ = self.project.collections
        return [Collection(c["id"], c["title"], c["introduction"], c.get("topics", []),
                           [self.by_id[i] for i in c["entries"] if i in self.by_id
                            and self.by_id[i].status == "published"])
                for c in data]

    @cached_property
    def facets(self) -> list[Facet]:
        """The browse facets of our own listed entries (open data, stats)."""
        return self._facets(self.listed)

    @cached_property
    def browse_facets(self) -> list[Facet]:
        """The browse facets the site's pages show: partner hubs' entries included."""
        return self._facets(self.shown) if self.federated else self.facets

    def _facets(self, entries: list[Entry]) -> list[Facet]:
        grouped: dict[str, dict[Term, list[Entry]]] = {key: defaultdict(list) for key, _, _ in FACETS}
        for entry in entries:
            for key, terms in entry.facet_terms().items():
                for term in terms:
                    grouped[key][term].append(entry)
        facets = []
        for key, title, noun in FACETS:
            order = self._vocabulary_order(key)
            groups = sorted(grouped[key].items(),
                            key=lambda item: (order.get(item[0].id, len(order)), item[0].label.casefold()))
            facets.append(Facet(key, title, noun, groups))
        return facets

    @cached_property
    def search_filters(self) -> list[dict]:
        """The search page's filters, with the same values the entry pages give Pagefind.

        Rendered at build time so the page does not move when search starts;
        the search script then keeps the counts current."""
        by_key = {facet.key: facet for facet in self.browse_facets}
        groups = []
        for key, filter_name, label in SEARCH_FILTERS:
            if key == "years":
                years = sorted({e.year for e in self.shown}, reverse=True)
                options = [(str(y), sum(1 for e in self.shown if e.year == y)) for y in years]
            else:
                options = [(term.label, len(entries)) for term, entries in by_key[key].groups]
            if len(options) > MAX_FILTER_OPTIONS:
                # A national library names thousands of organisations: the page keeps the
                # ones with most entries, so it stays within one round trip.
                top = sorted(options, key=lambda o: (-o[1], o[0].casefold()))[:MAX_FILTER_OPTIONS]
                options = sorted(top, key=lambda o: o[0].casefold())
            groups.append({"key": filter_name, "param": filter_name.replace(" ", "-"), "label": label,
                           "options": options})
        if self.hubs:  # partner hubs' entries carry a "hub" filter; ours do not
            groups.append({"key": "hub", "param": "hub", "label": "Partner hub",
                           "options": [(hub.name, len(entries)) for hub, entries in self.hubs]})
        return groups

    def _vocabulary_order(self, key: str) -> dict[str, int]:
        vocabulary = self.project.vocabularies.get(key)
        return {term: i for i, term in enumerate(vocabulary.ids)} if vocabulary else {}

    @cached_property
    def _links_to(self) -> dict[str, dict[str, str]]:
        """For each id, the entries that link to it, and how (read once, not per entry)."""
        links: dict[str, dict[str, str]] = defaultdict(dict)
        for other in self.published:
            for name, why in (("inspired_by", "Inspired by this"), ("adopted_by", "Adopted from here"),
                              ("related", "Related")):
                for target in other.meta.get(name, []):
                    links[target].setdefault(other.id, why)
        return links

    @cached_property
    def _by_topic(self) -> dict[str, list[Entry]]:
        topics: dict[str, list[Entry]] = defaultdict(list)
        for entry in self.listed:
            for topic in entry.meta["topics"]:
                topics[topic].append(entry)
        return topics

    def prepare_related(self) -> None:
        """Work out the indexes `related` uses, so worker processes inherit them ready-made."""
        self._links_to, self._by_topic  # noqa: B018 - computing cached properties

    def related(self, entry: Entry, limit: int = 4) -> list[tuple[Entry, str]]:
        """Entries to read next, each with why: explicit links both ways, then shared topics.

        Candidates for shared topics are the newest few per topic, so the work per
        entry stays the same however large the library grows."""
        found: dict[str, str] = {}
        for name, why in (("related", "Related"), ("inspired_by", "Inspired this work"),
                          ("adopted_by", "Adopted this work")):
            for other in entry.meta.get(name, []):
                found.setdefault(other, why)
        for other, why in self._links_to.get(entry.id, {}).items():
            found.setdefault(other, why)
        topics = set(entry.meta["topics"])
        council_type = entry.meta["geography"].get("council_type")
        candidates = {}
        for topic in entry.meta["topics"]:
            for other in self._by_topic[topic][: limit * 3]:
                if other.id != entry.id and other.id not in found:
                    candidates[other.id] = (len(topics & set(other.meta["topics"])),
                                            other.meta["geography"].get("council_type") == council_type,
                                            other.published_date, other.id)
        for *_, other_id in sorted(candidates.values(), reverse=True):
            found.setdefault(other_id, "Shares a topic")
        return [(self.by_id[i], why) for i, why in found.items()
                if i in self.by_id and self.by_id[i].status != "draft"][:limit]
