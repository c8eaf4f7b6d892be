"""The UK's councils: every current local authority, from mySociety's open register.

`data/councils.csv` is the 397 current authorities of mySociety's "UK Local
Authority Names and Codes" (uk_local_authorities_current.csv, version 1.6.1;
CC BY 4.0 — credit mySociety wherever it is published), cut to the columns
Casehub uses: codes, official and short names, GSS code, nation, region, type,
alternative names, GOV.UK slug, population (2020) and location.

`Councils.find(text)` resolves what people write — "Enfield", "London Borough
of Enfield", "Stockport MBC", a GSS code such as E09000010 — to one `Council`,
whose `region` and `council_type` are ids in our own vocabularies
(data/regions.yaml, data/council-types.yaml). The importers use it to place
an organisation; the site uses it for "councils like mine".
"""

from __future__ import annotations

import csv
import functools
import re
from dataclasses import dataclass
from pathlib import Path

COUNCILS_FILE = "councils.csv"
ATTRIBUTION = ("Council names, codes, types, regions and populations: mySociety, "
               "UK Local Authority Names and Codes (CC BY 4.0)")
ATTRIBUTION_URL = "https://github.com/mysociety/uk_local_authority_names_and_codes"

# The register's region names and types, as ids in data/regions.yaml and data/council-types.yaml.
REGIONS = {
    "North East": "north-east", "North West": "north-west", "Yorkshire and The Humber": "yorkshire-and-the-humber",
    "East Midlands": "east-midlands", "West Midlands": "west-midlands", "East of England": "east-of-england",
    "London": "london", "South East": "south-east", "South West": "south-west", "Scotland": "scotland",
    "Wales": "wales", "Northern Ireland": "northern-ireland",
}
NATIONS = {"England": "england", "Scotland": "scotland", "Wales": "wales", "Northern Ireland": "northern-ireland"}
TYPES = {
    "NMD": "district", "UA": "unitary", "MD": "metropolitan-borough", "LBO": "london-borough", "CTY": "county",
    "COMB": "combined-authority", "SCO": "scottish-council", "WPA": "welsh-council", "NID": "northern-ireland-council",
    "SRA": "combined-authority",  # the Greater London Authority
    "CC": "london-borough",  # the City of London Corporation sits among the London boroughs
}
GSS = re.compile(r"[EKLMNSW][0-9]{8}")
# Words that say what kind of body a council is, not which one: dropped when matching names.
_KIND_WORDS = frozenset("""the council borough city county district metropolitan royal of and london mbc bc dc cc
    smbc rbc lbc corporation authority unitary principal combined""".split())


@dataclass(frozen=True)
class Council:
    """One current local authority."""

    code: str  # the register's three-letter code
    name: str  # the official name: "London Borough of Enfield"
    short_name: str  # "Enfield"
    gss: str  # E09000010
    nation: str  # an id: england, scotland, wales, northern-ireland
    region: str  # an id in data/regions.yaml
    council_type: str  # an id in data/council-types.yaml
    type_name: str  # the register's own words for its type
    slug: str  # its GOV.UK slug, used for its page: /councils/<slug>/
    population: int | None
    latitude: float | None
    longitude: float | None
    alt_names: tuple[str, ...]


def _number(text: str) -> float | None:
    try:
        return float(text)
    except ValueError:
        return None


@functools.lru_cache(maxsize=65536)  # entries name the same councils again and again
def normalise(text: str) -> str:
    """A name as compared: lower case, '&' as 'and', punctuation dropped, spaces collapsed."""
    text = text.lower().replace("&", " and ").replace("’", "'")
    return " ".join(re.findall(r"[a-z0-9]+", text.replace("'", "")))


def _core(text: str) -> str:
    """A name without the words that say what kind of council it is: 'enfield'."""
    return " ".join(word for word in normalise(text).split() if word not in _KIND_WORDS)


class Councils:
    """The register, with look-ups by GSS code, slug and the names people use."""

    def __init__(self, councils: list[Council]):
        self.all = sorted(councils, key=lambda c: c.name)
        self.by_gss = {c.gss: c for c in self.all}
        self.by_slug = {c.slug: c for c in self.all}
        self._by_name: dict[str, Council] = {}
        self._by_core: dict[str, list[Council]] = {}
        for council in self.all:
            for name in (council.name, council.short_name, *council.alt_names):
                self._by_name.setdefault(normalise(name), council)
            for name in {_core(council.name), _core(council.short_name)} - {""}:
                self._by_core.setdefault(name, []).append(council)

    @classmethod
    def read(cls, path: Path) -> Councils:
        with open(path, encoding="utf-8", newline="") as handle:
            rows = list(csv.DictReader(handle))
        councils = []
        for row in rows:
            population = _number(row["pop-2020"])
            short = row["nice-name"] or row["official-name"]
            councils.append(Council(
                code=row["local-authority-code"], name=row["official-name"], short_name=short,
                gss=row["gss-code"], nation=NATIONS.get(row["nation"], "uk"), region=REGIONS.get(row["region"], ""),
                council_type=TYPES.get(row["local-authority-type"], "other-public-body"),
                type_name=row["local-authority-type-name"],
                slug=row["gov-uk-slug"] or "-".join(normalise(short).split()),
                population=int(population) if population is not None else None,
                latitude=_number(row["lat"]), longitude=_number(row["long"]),
                alt_names=tuple(name.strip() for name in row["alt-names"].split(",") if name.strip())))
        return cls(councils)

    def find(self, text: str) -> Council | None:
        """The council a name or GSS code means, or None when it names none (or several)."""
        text = (text or "").strip()
        if not text:
            return None
        if GSS.fullmatch(text.upper()):
            return self.by_gss.get(text.upper())
        exact = self._by_name.get(normalise(text))
        if exact:
            return exact
        matches = self._by_core.get(_core(text), [])
        if len(matches) == 1:
            return matches[0]
        # "Kent County Council" and "Kent" name the county, not the districts inside it.
        counties = [c for c in matches if c.council_type == "county"] if "county" in normalise(text).split() else []
        return counties[0] if len(counties) == 1 else None

    def __len__(self) -> int:
        return len(self.all)

    def __iter__(self):
        return iter(self.all)


@functools.cache
def _read_cached(path: str, mtime_ns: int) -> Councils:
    return Councils.read(Path(path))


def load_councils(data_dir: Path) -> Councils:
    """The register in a project's data folder (an empty one if the project has none)."""
    path = Path(data_dir) / COUNCILS_FILE
    if not path.is_file():
        return Councils([])
    return _read_cached(str(path), path.stat().st_mtime_ns)


# --- Councils like mine ------------------------------------------------------------
# The site's script (theme/static/js/mycouncil.js) applies the same rules in the browser;
# tests/test_peers.py checks that both give the same bands.

# Population bands, by lower bound, each twice the one before: a council is "of a similar
# size" when it is in the same band or the next one either side.
POPULATION_BANDS = (0, 50_000, 100_000, 200_000, 400_000, 800_000)
PEER_SCORE = 2  # the lowest `peer_score` of "a council like yours"


def population_band(population: int | None) -> int | None:
    """The index of a population's band in POPULATION_BANDS, or None when it is not known."""
    if not population:
        return None
    return max(i for i, low in enumerate(POPULATION_BANDS) if population >= low)


def band_label(band: int) -> str:
    """A band as readers see it: "100,000 to 200,000 people"."""
    low = POPULATION_BANDS[band]
    if band + 1 == len(POPULATION_BANDS):
        return f"Over {low:,} people"
    high = POPULATION_BANDS[band + 1]
    return f"Under {high:,} people" if low == 0 else f"{low:,} to {high:,} people"


def similar_size(a: int | None, b: int | None) -> bool:
    first, second = population_band(a), population_band(b)
    return first is not None and second is not None and abs(first - second) <= 1


def peer_score(mine: dict, theirs: dict, neighbours: dict[str, list[str]]) -> int:
    """How like `mine` a council (or an entry's) profile is: {"type", "region", "population"}.

    0 unless the council type is the same; then 1, plus 2 for the same region (1 for a
    neighbouring one) and 1 for a similar size. "A council like yours" scores 2 or more:
    the same type, and nearby or of a similar size."""
    if not mine.get("type") or mine.get("type") != theirs.get("type"):
        return 0
    score = 1
    if mine.get("region") and mine.get("region") == theirs.get("region"):
        score += 2
    elif theirs.get("region") in neighbours.get(mine.get("region"), ()):
        score += 1
    if similar_size(mine.get("population"), theirs.get("population")):
        score += 1
    return score


def profile(council: Council) -> dict:
    return {"type": council.council_type, "region": council.region, "population": council.population}
