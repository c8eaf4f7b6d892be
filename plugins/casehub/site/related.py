"""Related entries: what to read next, and why, ranked by what entries share.

An entry's links (`related`, `inspired_by`, `adopted_by`, and entries that link to it)
come first. Then other entries are scored by what they have in common with it: tags
(the most specific), topics, the same kind of council, and the same or a neighbouring
region. Recency counts for nothing, so the newest entries are not everyone's suggestion.

The work per entry stays small however large the library: candidates come from
buckets of entries sharing a tag, a pair of topics, a topic and a council type, or a
topic and a region, and from each bucket only the entries nearest the entry itself
(in publication order) are taken, which spreads suggestions across the library.
Works on `Entry` objects only.
"""

from __future__ import annotations

from bisect import bisect_left
from collections import defaultdict
from collections.abc import Iterable
from itertools import combinations

from ..core.entry import Entry

# From each bucket, the entries nearest the entry itself: this many either side.
WINDOW = 6
WEIGHTS = {"tag": 3, "topic": 2, "council_type": 2, "region": 1.5, "neighbour": 0.5}
LINKS = (("related", "Related"), ("inspired_by", "Inspired this work"), ("adopted_by", "Adopted this work"))
LINKED_FROM = {"inspired_by": "Inspired by this", "adopted_by": "Adopted from here", "related": "Related"}


def _keys(entry: Entry) -> list[tuple]:
    topics = sorted(entry.meta["topics"])
    council_type = entry.peer["type"]
    region = entry.meta["geography"]["region"]
    keys: list[tuple] = [("tag", tag) for tag in entry.meta.get("tags", ())]
    keys += [("topics", a, b) for a, b in combinations(topics, 2)]
    keys += [("type", topic, council_type) for topic in topics if council_type]
    keys += [("region", topic, region) for topic in topics]
    keys += [("topic", topic) for topic in topics]
    return keys


def _profile(entry: Entry, topic_bits: dict[str, int]) -> tuple:
    """What scoring compares, ready to compare: topics (as a bit set, one bit a topic, so that the
    topics two entries share are counted in one step), tags, council type, region."""
    topics = 0
    for topic in entry.meta["topics"]:
        topics |= topic_bits.get(topic, 0)
    return topics, frozenset(entry.meta.get("tags", ())), entry.peer["type"], entry.meta["geography"]["region"]


class RelatedIndex:
    """The buckets `related` draws candidates from, built once per library."""

    def __init__(self, entries: list[Entry], published: list[Entry], neighbours: dict[str, list[str]],
                 labels: dict[str, dict[str, str]]):
        self.entries = entries  # the candidates: listed entries, newest first
        self.rank = {e.id: i for i, e in enumerate(entries)}
        self.neighbours = neighbours
        self.labels = labels  # topics and council-types: id -> label, for the reasons given
        self.by_id = {e.id: e for e in published}
        self.topic_bits: dict[str, int] = {}
        for entry in entries:
            for topic in entry.meta["topics"]:
                self.topic_bits.setdefault(topic, 1 << len(self.topic_bits))
        self.profiles = [_profile(e, self.topic_bits) for e in entries]
        self.keys = [_keys(e) for e in entries]
        self.buckets: dict[tuple, list[int]] = defaultdict(list)
        for i, keys in enumerate(self.keys):
            for key in keys:
                self.buckets[key].append(i)  # ascending, as entries are visited in order
        self.links_to: dict[str, dict[str, str]] = defaultdict(dict)
        for other in published:
            for name, why in LINKED_FROM.items():
                for target in other.meta.get(name, []):
                    self.links_to[target].setdefault(other.id, why)

    def candidates(self, entry: Entry) -> set[int]:
        found: set[int] = set()
        rank = self.rank.get(entry.id)
        for key in _keys(entry) if rank is None else self.keys[rank]:
            bucket = self.buckets.get(key, ())
            at = bisect_left(bucket, rank) if rank is not None else len(bucket) // 2
            found.update(bucket[max(0, at - WINDOW):at + WINDOW + 1])
        found.discard(rank)
        return found

    def ranked(self, mine: tuple, candidates: Iterable[int], here: int) -> list[tuple[float, int, int]]:
        """The candidates that share a tag or topic with the profile `mine`, best first: (minus the
        score, distance from `here` in publication order, index), the score being how much they
        share, and equal scores going to the entry nearest in time. (One loop over them all: it
        runs for every candidate of every entry.)"""
        topics, tags, council_type, region = mine
        neighbours = self.neighbours.get(region, ())
        tag, topic, same_type, same_region, neighbour = (
            WEIGHTS[k] for k in ("tag", "topic", "council_type", "region", "neighbour"))
        found = []
        for i in candidates:
            their_topics, their_tags, their_type, their_region = self.profiles[i]
            shared_tags = 0 if tags.isdisjoint(their_tags) else len(tags & their_tags)
            shared_topics = (topics & their_topics).bit_count()
            if not shared_tags and not shared_topics:
                continue
            score = tag * shared_tags + topic * shared_topics
            if council_type and council_type == their_type:
                score += same_type
            if region == their_region and region != "uk-wide":
                score += same_region
            elif their_region in neighbours:
                score += neighbour
            found.append((-score, abs(i - here), i))
        found.sort()
        return found

    def why(self, entry: Entry, other: Entry) -> str:
        """What two entries share, in words: "Tagged libraries; on digital and technology; …"."""
        tags = [t for t in entry.meta.get("tags", ()) if t in set(other.meta.get("tags", ()))]
        topics = [t for t in entry.meta["topics"] if t in set(other.meta["topics"])]
        reasons = []
        if tags:
            reasons.append("tagged " + ", ".join(tags[:2]))
        if topics:
            more = f" and {len(topics) - 1} more topic{'s' if len(topics) > 2 else ''}" if len(topics) > 1 else ""
            reasons.append("on " + lower_first(self.labels["topics"].get(topics[0], topics[0])) + more)
        council_type = entry.peer["type"]
        if council_type and council_type == other.peer["type"]:
            kind = lower_first(self.labels["council-types"].get(council_type, council_type))
            reasons.append("by another " + kind.removeprefix("other "))
        region, theirs = entry.meta["geography"]["region"], other.meta["geography"]["region"]
        if region == theirs and region != "uk-wide":
            reasons.append("in the same region")
        elif theirs in self.neighbours.get(region, ()):
            reasons.append("in a neighbouring region")
        return _sentence(reasons)

    def related(self, entry: Entry, limit: int = 5) -> list[tuple[Entry, str]]:
        """Entries to read next, each with why: its links both ways first, then the best scored."""
        found: dict[str, str] = {}
        for name, why in LINKS:
            for other in entry.meta.get(name, []):
                found.setdefault(other, why)
        for other, why in self.links_to.get(entry.id, {}).items():
            found.setdefault(other, why)
        rank = self.rank.get(entry.id)
        mine = _profile(entry, self.topic_bits) if rank is None else self.profiles[rank]
        picked = 0
        for *_, i in self.ranked(mine, self.candidates(entry), rank or 0):
            if picked == limit:
                break
            other = self.entries[i]
            if other.id not in found:
                found[other.id] = self.why(entry, other)
                picked += 1
        return [(self.by_id[i], why) for i, why in found.items()
                if i in self.by_id and self.by_id[i].meta["status"] != "draft"][:limit]

# Labels that start with a name keep their capital in the middle of a sentence.
_NAMES = frozenset({"London", "Scottish", "Welsh", "Northern", "UK"})


def lower_first(label: str) -> str:
    return label if label.split(" ", 1)[0] in _NAMES else label[:1].lower() + label[1:]


def _sentence(reasons: list[str]) -> str:
    text = "; ".join(reasons)
    return text[:1].upper() + text[1:]
