"""Values matched to the vocabularies: terms by id or label, nations, councils, budget bands, licences, tags.

`Resolver` looks a value up in data/*.yaml by id or label, ignoring case,
accents, punctuation and `&` for `and` (`Digital & technology` is
`digital-and-technology`), suggests the closest term for a near miss, and
finds the council a name means in the council register (data/councils.csv).
`split_labels` splits a cell of several labels without breaking a label that
has a comma in it; `budget_band` reads a band from its name or an amount
(£25,000, 25k, £1.2m); `tag_for` makes a free keyword a tag. Nothing here
writes notes: callers say what did not match.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable
from functools import cached_property

from ...core.councils import Council, Councils, load_councils
from ...core.entry import BUDGET_BANDS, LICENCES, slugify
from ...core.entryfile import id_from_text
from ...core.project import Project

NATIONS = {"england": "england", "scotland": "scotland", "wales": "wales", "northern-ireland": "northern-ireland",
           "uk": "uk", "uk-wide": "uk", "united-kingdom": "uk", "cymru": "wales"}
MAX_TAG_LENGTH = 40
# The fields whose values are ids in a vocabulary (data/<name>.yaml).
VOCABULARY_OF = {"type": "types", "region": "regions", "council_type": "council-types", "stage": "stages",
                 "topics": "topics"}
MAX_LABEL_PIECES = 6  # at most this many comma-separated pieces are tried together as one label


def label_key(text: str) -> str:
    """A label or id as compared: a slug, with `&` and `+` read as "and"."""
    return slugify(re.sub(r"(?<!\s)\s*[&+]\s*", " and ", str(text)))


class Resolver:
    """Vocabulary values by id or label, ignoring case, accents and `&` for `and`."""

    def __init__(self, project: Project):
        self.project = project
        self.index: dict[str, dict[str, str]] = {}
        for name, vocabulary in project.vocabularies.items():
            table: dict[str, str] = {}
            for item in vocabulary.items:
                table.setdefault(label_key(item["label"]), item["id"])
            for item in vocabulary.items:
                table[label_key(item["id"])] = item["id"]
            self.index[name] = table
        self.index["budget"] = {**{label_key(label): band for band, label in BUDGET_BANDS.items()},
                                **{label_key(band): band for band in BUDGET_BANDS}}
        licences = {label_key(lid): lid for lid in LICENCES}
        licences.update({label_key(label): lid for lid, (label, _) in LICENCES.items()})
        licences.update({"ogl": "OGL-UK-3.0", "ogl-v3": "OGL-UK-3.0", "ogl-3-0": "OGL-UK-3.0",
                         "open-government-licence": "OGL-UK-3.0", "cc-by": "CC-BY-4.0", "cc0": "CC0-1.0"})
        self.index["licence"] = licences

    def term(self, vocabulary: str, value: str) -> str | None:
        return self.index[vocabulary].get(label_key(value))

    def nation(self, value: str) -> str | None:
        return NATIONS.get(label_key(value))

    def region_nation(self, region: str) -> str | None:
        item = self.project.vocabularies["regions"].by_id.get(region)
        return item.get("nation") if item else None

    @cached_property
    def councils(self) -> Councils:
        return load_councils(self.project.data_dir)

    def council(self, text: str) -> Council | None:
        """The council a name ("Enfield", "London Borough of Enfield") or GSS code means, if exactly one."""
        return self.councils.find(text) if text else None

    def closest(self, vocabulary: str, value: str) -> str | None:
        names = self.project.vocabularies[vocabulary].ids if vocabulary in self.project.vocabularies else []
        key = label_key(value)
        close = difflib.get_close_matches(key, names, n=1, cutoff=0.6)
        starts = [name for name in names if key and name.startswith(key)]
        return close[0] if close else (starts[0] if len(starts) == 1 else None)


def split_labels(value, known: Callable[[str], bool]) -> list[str]:
    """Labels from a cell or a list: items are separated by semicolons, vertical bars or new lines, then
    by commas, except where the words between commas are one `known` label ("Digital, data and
    technology"): the longest run of pieces that is known is kept whole."""
    if isinstance(value, (list, tuple)):
        parts = [str(v) for v in value if v is not None and not isinstance(v, (dict, list))]
    else:
        parts = re.split(r"[;\n|]", str(value or ""))
    labels: list[str] = []
    for part in parts:
        part = part.strip()
        if not part:
            continue
        if known(part) or "," not in part:
            labels.append(part)
            continue
        pieces = [piece.strip() for piece in part.split(",")]
        start = 0
        while start < len(pieces):
            end = next((end for end in range(min(len(pieces), start + MAX_LABEL_PIECES), start + 1, -1)
                        if known(", ".join(pieces[start:end]))), start + 1)
            labels.append(", ".join(pieces[start:end]))
            start = end
    return list(dict.fromkeys(label for label in labels if label))


def budget_band(value: str, resolver: Resolver) -> str | None:
    """A band from its id or label, or from an amount (£25,000, 25k, £1.2m; a range within one band)."""
    band = resolver.term("budget", value)
    if band:
        return band
    amounts = []
    for number, unit in re.findall(r"(?<!\d)(\d[\d,]*(?:\.\d+)?)\s*(k|m|million|thousand|bn)?\b", value.lower()):
        amount = float(number.replace(",", ""))
        amount *= {"k": 1e3, "thousand": 1e3, "m": 1e6, "million": 1e6, "bn": 1e9}.get(unit, 1)
        amounts.append(amount)
    if not amounts:
        return "none" if label_key(value) in ("0", "nil", "no-cost", "free") else None
    bands = {_band_for(a) for a in amounts}
    return bands.pop() if len(bands) == 1 else None


def _band_for(amount: float) -> str:
    for limit, band in ((0, "none"), (10_000, "under-10k"), (50_000, "10k-50k"), (250_000, "50k-250k"),
                        (1_000_000, "250k-1m")):
        if amount < limit or (limit == 0 and amount == 0):
            return band
    return "over-1m"


def tag_for(text: str) -> str:
    """A free keyword as a tag: a slug of at most MAX_TAG_LENGTH characters, cut at a hyphen."""
    return id_from_text(text, MAX_TAG_LENGTH)
