"""The library: every entry, and the views of it the site needs.

Builds the browse facets (type, topic, region, council type, stage,
organisation, council) with their counts, the newest and featured lists, the
search page's filters, each topic's evidence summary (evidence.py) and related
entries (related.py). Works on `Entry` objects only; it reads no files and
writes none.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from functools import cached_property

from ..core.councils import PEER_SCORE, POPULATION_BANDS, band_label, peer_score, profile
from ..core.entry import BUDGET_BANDS, EVIDENCE, KIND_LABELS, Entry, Term, canonical_names
from .evidence import EvidenceSummary, summarise
from .related import RelatedIndex

# (path and key, heading, singular noun) for each browse facet, in page order.
FACETS = (
    ("topics", "Topics", "topic"),
    ("regions", "Regions", "region"),
    ("council-types", "Council types", "council type"),
    ("types", "Entry types", "type"),
    ("stages", "Stages", "stage"),
    ("organisations", "Organisations", "organisation"),
    ("councils", "Councils", "council"),
)
# Facets whose every value has a page, entries or not: their values come from data/*.yaml.
VOCABULARY_FACETS = ("topics", "regions", "council-types", "types", "stages")

MAX_FILTER_OPTIONS = 40  # per filter on the search page
HOME_LIST = 6  # entries in each of the home page's lists

# (facet key, Pagefind filter name, label) in the order the search page shows them.
SEARCH_FILTERS = (
    ("types", "type", "Type"),
    ("topics", "topic", "Topic"),
    ("regions", "region", "Region"),
    ("council-types", "council type", "Council type"),
    ("population", "population", "Council size"),
    ("organisations", "organisation", "Organisation"),
    ("stages", "stage", "Stage"),
    ("evidence", "evidence", "Evidence"),
    ("outcome", "outcome", "Outcomes measured"),
    ("budget", "budget", "Budget"),
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
    def newest_not_featured(self) -> list[Entry]:
        """The home page's "New and updated": the newest entries not already in its Featured list."""
        featured = {e.id for e in self.featured[:HOME_LIST]}
        newest = []
        for entry in self.listed:
            if len(newest) == HOME_LIST:
                break
            if entry.id not in featured:
                newest.append(entry)
        return newest

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
        """The browse facets of our own listed entries, values with entries only (open data, stats)."""
        if self.shown is self.listed:  # no partner hubs' entries: the browse facets, less empty values
            return [Facet(f.key, f.title, f.noun, [(term, entries) for term, entries in f.groups if entries])
                    for f in self.browse_facets]
        return self._facets(self.listed)

    @cached_property
    def browse_facets(self) -> list[Facet]:
        """The browse facets the site's pages show: partner hubs' entries included, and every
        vocabulary value, so that each has a page ("no entries yet") and a search filter."""
        return self._facets(self.shown, every_term=True)

    def _facets(self, entries: list[Entry], every_term: bool = False) -> list[Facet]:
        grouped: dict[str, dict[Term, list[Entry]]] = {key: defaultdict(list) for key, _, _ in FACETS}
        if every_term:
            for key in VOCABULARY_FACETS:
                for item in self.project.vocabularies[key].items:
                    grouped[key][Term(key, item["id"], item["label"])] = []
        for entry in entries:
            for key, terms in entry.facet_terms().items():
                for term in terms:
                    members = grouped[key][term]
                    if not members or members[-1] is not entry:  # an entry naming one organisation twice
                        members.append(entry)
        # Organisations whose names slug alike share one page (terms compare by id), under one spelling.
        names = canonical_names((term.label, (entry.federated, entry.published_date, entry.id))
                                for entry in entries for term in entry.organisation_terms)
        grouped["organisations"] = {Term("organisations", term.id, names[term.id]): members
                                    for term, members in grouped["organisations"].items()}
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
        the search script then keeps the counts current. Every vocabulary value is
        offered, with or without entries."""
        by_key = {facet.key: facet for facet in self.browse_facets}
        extra = {"years": lambda e: [str(e.year)], "evidence": lambda e: e.evidence_labels,
                 "outcome": lambda e: e.measure_labels, "budget": lambda e: [e.budget_label] if e.budget_label else [],
                 "population": lambda e: [e.population_label] if e.population_label else []}
        orders = {"years": lambda value: -int(value), "evidence": list(EVIDENCE.values()).index,
                  "outcome": list(KIND_LABELS.values()).index, "budget": list(BUDGET_BANDS.values()).index,
                  "population": [band_label(b) for b in range(len(POPULATION_BANDS))].index}
        groups = []
        for key, filter_name, label in SEARCH_FILTERS:
            if key in extra:
                counts = Counter(value for e in self.shown for value in extra[key](e))
                options = sorted(counts.items(), key=lambda option: orders[key](option[0]))
                if key == "evidence":  # every level, so that readers can see which have none
                    options = [(level, counts[level]) for level in EVIDENCE.values()]
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

    @cached_property
    def evidence(self) -> dict[str, EvidenceSummary]:
        """Each topic's "what the evidence says", from its listed entries (ours and partners')."""
        stages = {item["id"]: item["label"] for item in self.project.vocabularies["stages"].items}
        topics = next(facet for facet in self.browse_facets if facet.key == "topics")
        return {term.id: summarise(entries, term.label, stages) for term, entries in topics.groups}

    def _vocabulary_order(self, key: str) -> dict[str, int]:
        vocabulary = self.project.vocabularies.get(key)
        return {term: i for i, term in enumerate(vocabulary.ids)} if vocabulary else {}

    @cached_property
    def neighbours(self) -> dict[str, list[str]]:
        """Each region's neighbouring regions (data/regions.yaml)."""
        return {item["id"]: item.get("neighbours", []) for item in self.project.vocabularies["regions"].items}

    @cached_property
    def _councils_by_type(self) -> dict[str, list[tuple]]:
        """The councils that have entries here, by council type: [(slug, council, profile, entries)]."""
        register = self.project.councils
        councils = next(facet for facet in self.browse_facets if facet.key == "councils").groups
        by_type: dict[str, list[tuple]] = defaultdict(list)
        for term, entries in councils:
            council = register.by_slug[term.id]
            by_type[council.council_type].append((term.id, council, profile(council), entries))
        return by_type

    def peer_councils(self, slug: str, limit: int = 8) -> list[tuple]:
        """Councils like this one that have entries here, most alike first: [(council, entries)].

        Only councils of its own type can be alike (`peer_score`), so only those are compared:
        every council's page asks, and comparing each with all would grow with their square."""
        mine = profile(self.project.councils.by_slug[slug])
        scored = []
        for other, council, theirs, entries in self._councils_by_type.get(mine["type"], ()):
            score = peer_score(mine, theirs, self.neighbours)
            if other != slug and score >= PEER_SCORE:
                scored.append((-score, council.name, council, len(entries)))
        return [(council, count) for *_, council, count in sorted(scored)[:limit]]

    @cached_property
    def _related(self) -> RelatedIndex:
        vocabularies = self.project.vocabularies
        labels = {name: {item["id"]: item["label"] for item in vocabularies[name].items}
                  for name in ("topics", "council-types")}
        return RelatedIndex(self.listed, self.published, self.neighbours, labels)

    def prepare_related(self) -> None:
        """Work out the index `related` uses, so worker processes inherit it ready-made."""
        self._related  # noqa: B018 - computing a cached property

    def related(self, entry: Entry, limit: int = 5) -> list[tuple[Entry, str]]:
        """Entries to read next, each with why (see related.py)."""
        return self._related.related(entry, limit)
