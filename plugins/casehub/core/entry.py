"""The entry model the site is built from: a validated document, rendered.

An `Entry` is made only from a document that passed validation, so every
field here is known and typed. Templates read entries through this class; it
holds no Pelican objects and adds nothing that could change where a page is
written (the URL comes from the id, which the validator has checked).
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property, lru_cache
from types import SimpleNamespace

from markupsafe import Markup

from .councils import band_label, population_band
from .loader import Document
from .project import Project, fold_id

LICENCES = {
    "OGL-UK-3.0": ("Open Government Licence v3.0",
                   "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/"),
    "CC-BY-4.0": ("Creative Commons Attribution 4.0", "https://creativecommons.org/licenses/by/4.0/"),
    "CC-BY-SA-4.0": ("Creative Commons Attribution-ShareAlike 4.0",
                     "https://creativecommons.org/licenses/by-sa/4.0/"),
    "CC0-1.0": ("Creative Commons Zero 1.0", "https://creativecommons.org/publicdomain/zero/1.0/"),
}
BUDGET_BANDS = {
    "none": "No extra cost", "under-10k": "Under £10,000", "10k-50k": "£10,000 to £50,000",
    "50k-250k": "£50,000 to £250,000", "250k-1m": "£250,000 to £1 million",
    "over-1m": "Over £1 million", "unknown": "Not known",
}
EVIDENCE = {
    "self-reported": "Self-reported", "internal-evaluation": "Internal evaluation",
    "external-evaluation": "External evaluation", "trial": "Trial",
}
# Kinds of measure, told apart by an outcome's unit: (id, label, unit words). Units are
# free text ("percent", "£", "households"), so the first word that matches decides.
MEASURE_KINDS = (
    ("rate", "Rates and shares (%)", {"percent", "percentage", "pp", "points"}),
    ("money", "Money (£)", {"pounds", "pound", "£", "gbp", "£k", "£m"}),
    ("people", "People reached", {"people", "residents", "users", "households", "families", "children",
                                  "adults", "tenants", "volunteers", "participants", "customers", "clients",
                                  "patients", "pupils", "learners", "members", "carers", "staff", "homes"}),
    ("time", "Time", {"hours", "hour", "days", "day", "weeks", "week", "minutes", "minute", "months",
                      "month", "years", "year", "seconds"}),
)
KIND_LABELS = {kind: label for kind, label, _ in MEASURE_KINDS} | {"count": "Other counts"}
NATIONS = {"england": "England", "scotland": "Scotland", "wales": "Wales",
           "northern-ireland": "Northern Ireland", "uk": "UK-wide"}


@lru_cache(maxsize=4096)  # units are few: "people", "percent", "£"…
def measure_kind(unit: str) -> str:
    """The kind of measure a unit names: rate, money, people, time, or count for anything else."""
    text = unit.strip().lower()
    if "%" in text or "per cent" in text:
        return "rate"
    if "£" in text:
        return "money"
    for word in re.findall(r"[a-z£]+", text):
        for kind, _, words in MEASURE_KINDS:
            if word in words:
                return kind
    return "count"


@lru_cache(maxsize=65536)  # the same organisation names come again and again
def slugify(text: str) -> str:
    """Lower-case words joined by hyphens, accents folded: "Repair café" -> "repair-cafe"."""
    return "-".join(re.findall(r"[a-z0-9]+", fold_id(text).replace("'", "").replace("’", "")))


def canonical_names(uses: Iterable[tuple[str, tuple]]) -> dict[str, str]:
    """For each slug, the one spelling of a name to show on the page all its spellings share.

    `uses` are (name, rank) pairs, one per use; lower ranks come first, so a rank of
    (whether a partner hub's, when published, entry id) lets our own entries decide, then
    the earliest. The spelling most of the first-ranked kind use wins; on a tie, the one
    with the first rank. So "Stockport Metropolitan Borough Council." in one new entry
    cannot rename the page that older entries spell without the full stop."""
    spellings: dict[str, dict[str, list]] = defaultdict(dict)
    for name, rank in uses:
        count_and_rank = spellings[slugify(name)].setdefault(name, [0, rank])
        count_and_rank[0] += 1
        count_and_rank[1] = min(count_and_rank[1], rank)
    return {slug: min(names, key=lambda name: (names[name][1][:1], -names[name][0], names[name][1], name))
            for slug, names in spellings.items()}


@dataclass(frozen=True)
class Term:
    """One value of a facet (a topic, a region…), with where its browse page lives.

    Terms are equal when their pages are the same: the label is left out, so names that
    slug alike ("Leeds City Council", "Leeds City Council.") are one term, one page."""

    facet: str
    id: str
    label: str = field(compare=False)

    @property
    def url(self) -> str:
        return f"{self.facet}/{self.id}/"


@dataclass
class Entry:
    id: str
    source_path: str
    meta: dict
    content: Markup
    project: Project = field(repr=False)
    federated = False  # True for a partner hub's entry (federation.FederatedEntry)
    cache_key = None  # the key of its checked and rendered file in the content cache, if it has one

    @classmethod
    def from_document(cls, document: Document, project: Project, render) -> Entry:
        return cls(document.id, document.display_path, document.metadata,
                   render(document.body), project)

    def __getattr__(self, name):
        # Templates may read any schema field directly (entry.budget_band);
        # a field the entry does not set reads as None. Python comes here only after the usual
        # look-up fails, which is slow, and pages read some fields many times (a title is on
        # every page that lists the entry): so the value is kept on the entry, where the usual
        # look-up finds it next time. (Only names no attribute has come here, and fields are
        # never changed once the entry is made.)
        if name.startswith("_") or name in ("meta",):
            raise AttributeError(name)
        value = self.__dict__[name] = self.meta.get(name)
        return value

    @property
    def url(self) -> str:
        return f"{self.id}/"

    def _term(self, facet: str, vocabulary: str, term_id: str | None) -> Term | None:
        if term_id is None:
            return None
        return Term(facet, term_id, self.project.vocabularies[vocabulary].label(term_id))

    @cached_property
    def type_term(self) -> Term:
        return self._term("types", "types", self.meta["type"])

    @cached_property
    def topic_terms(self) -> list[Term]:
        return [self._term("topics", "topics", t) for t in self.meta["topics"]]

    @cached_property
    def region_term(self) -> Term:
        return self._term("regions", "regions", self.meta["geography"]["region"])

    @cached_property
    def council_type_term(self) -> Term | None:
        """The kind of council that led the work: as the entry gives it, or else its council's."""
        return self._term("council-types", "council-types", self.peer["type"] or None)

    @cached_property
    def stage_term(self) -> Term:
        return self._term("stages", "stages", self.meta["stage"])

    @cached_property
    def organisation_terms(self) -> list[Term]:
        return [Term("organisations", slugify(o["name"]), o["name"]) for o in self.meta["organisations"]]

    @property
    def lead_organisation(self) -> str:
        return self.meta["organisations"][0]["name"]

    @cached_property
    def councils(self) -> list:
        """The councils among the organisations, by GSS code or name (core/councils.py), in the
        entry's order: [(organisation, Council)]. Other bodies resolve to none."""
        register = self.project.councils
        found = []
        for org in self.meta["organisations"]:
            council = register.by_gss.get(org["gss"]) if org.get("gss") else register.find(org["name"])
            if council is not None:
                found.append((org, council))
        return found

    @cached_property
    def council(self):
        """The council that led the work (the first council named), or None."""
        return self.councils[0][1] if self.councils else None

    @cached_property
    def council_terms(self) -> list[Term]:
        """A browse term for each council named, whose page is /councils/<slug>/."""
        return list({c.slug: Term("councils", c.slug, c.name) for _, c in self.councils}.values())

    def organisation_url(self, org: dict) -> str:
        """Where an organisation's entries are listed: its council's page, or its organisation page."""
        for named, council in self.councils:
            if named is org:
                return f"councils/{council.slug}/"
        return f"organisations/{slugify(org['name'])}/"

    @cached_property
    def peer(self) -> dict:
        """What "councils like mine" compares: council type, region and population (of its council)."""
        council_type = self.meta["geography"].get("council_type") or (self.council and self.council.council_type)
        population = self.council.population if self.council else None
        return {"type": council_type or "", "region": self.meta["geography"]["region"], "population": population}

    @cached_property
    def population_label(self) -> str | None:
        """The size band of its council ("100,000 to 200,000 people"), a search filter."""
        band = population_band(self.peer["population"])
        return None if band is None else band_label(band)

    @cached_property
    def peer_data(self) -> str:
        """The peer facts as one attribute value for the page's script: "district east-of-england 90000"."""
        peer = self.peer
        return f"{peer['type'] or '-'} {peer['region']} {peer['population'] or 0}"

    @property
    def nation_label(self) -> str:
        return NATIONS[self.meta["geography"]["nation"]]

    @cached_property
    def published_date(self) -> date:
        return date.fromisoformat(self.meta["published"])

    @cached_property
    def last_reviewed_date(self) -> date | None:
        value = self.meta.get("last_reviewed")
        return date.fromisoformat(value) if value else None

    @cached_property
    def review_by_date(self) -> date | None:
        value = self.meta.get("review_by")
        return date.fromisoformat(value) if value else None

    @property
    def year(self) -> int:
        return self.published_date.year

    def is_overdue(self, today: date) -> bool:
        return self.review_by_date is not None and self.review_by_date < today

    @property
    def is_archived(self) -> bool:
        return self.meta["status"] == "archived"

    @property
    def licence_id(self) -> str:
        return self.meta.get("licence", "OGL-UK-3.0")

    @property
    def licence_label(self) -> str:
        return LICENCES[self.licence_id][0]

    @property
    def licence_url(self) -> str:
        return LICENCES[self.licence_id][1]

    @property
    def budget_label(self) -> str | None:
        band = self.meta.get("budget_band")
        return BUDGET_BANDS[band] if band else None

    @property
    def outcome_rows(self) -> list[SimpleNamespace]:
        """The outcomes as the page's table shows them (attributes, which templates read faster than keys)."""
        return [SimpleNamespace(**{"baseline": None, "period": None, "source": None, **o,
                                   "evidence_label": EVIDENCE[o["evidence"]]})
                for o in self.meta.get("outcomes", [])]

    @cached_property
    def evidence_labels(self) -> list[str]:
        """The evidence levels behind its outcomes, weakest first (a search filter)."""
        levels = {o["evidence"] for o in self.meta.get("outcomes", [])}
        return [label for level, label in EVIDENCE.items() if level in levels]

    @cached_property
    def measure_labels(self) -> list[str]:
        """The kinds of measure its outcomes report (a search filter)."""
        kinds = {measure_kind(o["unit"]) for o in self.meta.get("outcomes", [])}
        return [label for kind, label in KIND_LABELS.items() if kind in kinds]

    @property
    def update_items(self) -> list[dict]:
        """Follow-ups, oldest first, each with its date and its text split into paragraphs."""
        return [{"date": date.fromisoformat(u["date"]), "title": u["title"],
                 # In a folded (>-) value a blank line arrives as one newline: a new paragraph.
                 "paragraphs": [p.strip() for p in u["text"].split("\n") if p.strip()]}
                for u in sorted(self.meta.get("updates", []), key=lambda u: u["date"])]

    def facet_terms(self) -> dict[str, list[Term]]:
        """The entry's values for each browse facet."""
        return {
            "types": [self.type_term],
            "topics": self.topic_terms,
            "regions": [self.region_term],
            "council-types": [self.council_type_term] if self.council_type_term else [],
            "stages": [self.stage_term],
            "organisations": self.organisation_terms,
            "councils": self.council_terms,
        }
