"""What the evidence says: a topic's typed outcomes, summed up the way the EEF Teaching
and Learning Toolkit sums up an approach (impact, cost and strength of evidence).

From the listed entries on a topic it counts how many entries report each kind of
measure, the spread of their results (change from baseline), the evidence levels behind
them, their budget bands and their stages. Each figure carries the search filters that
list exactly its entries, so the page can link every number to what it counts. Works on
`Entry` objects only; it reads no files and writes none.
"""

from __future__ import annotations

import statistics
from collections import Counter
from dataclasses import dataclass, field

from ..core.entry import BUDGET_BANDS, EVIDENCE, KIND_LABELS, Entry, measure_kind

# Evidence levels from weakest to strongest (the order the Evidence page explains them in).
LEVELS = tuple(EVIDENCE)
INDEPENDENT = ("external-evaluation", "trial")


def change_from_baseline(outcome: dict) -> float | None:
    """The result's change from its baseline, in percent of the baseline (None without one)."""
    baseline = outcome.get("baseline")
    if baseline is None or baseline == 0:
        return None
    return (outcome["value"] - baseline) / abs(baseline) * 100


def signed_percent(value: float) -> str:
    rounded = round(value)
    return f"+{rounded:,}%" if rounded > 0 else f"−{-rounded:,}%" if rounded < 0 else "0%"


@dataclass
class Figure:
    """One number on the summary: what it counts, how many, and the filters that list its entries."""

    label: str
    entries: int
    outcomes: int = 0
    filters: dict[str, str] = field(default_factory=dict)


@dataclass
class MeasureRow(Figure):
    changes: list[float] = field(default_factory=list)

    @property
    def spread(self) -> str:
        """The change from baseline in words: "median −42% (from −80% to +150%)", or ""."""
        if not self.changes:
            return ""
        median = signed_percent(statistics.median(self.changes))
        if len(self.changes) == 1:
            return median
        return f"median {median} (from {signed_percent(min(self.changes))} to {signed_percent(max(self.changes))})"


@dataclass
class EvidenceSummary:
    entries: int  # listed entries on the topic
    with_outcomes: int  # of which report at least one outcome
    outcomes: int
    independent: int  # outcomes from an external evaluation or a trial
    measures: list[MeasureRow]
    levels: list[Figure]
    budgets: list[Figure]
    stages: list[Figure]

    def as_dict(self) -> dict:
        def figures(items):
            return [{"label": f.label, "entries": f.entries, "outcomes": f.outcomes, "filters": f.filters,
                     **({"changes": f.changes} if isinstance(f, MeasureRow) else {})} for f in items]
        return {"entries": self.entries, "with_outcomes": self.with_outcomes, "outcomes": self.outcomes,
                "independent": self.independent, "measures": figures(self.measures),
                "levels": figures(self.levels), "budgets": figures(self.budgets), "stages": figures(self.stages)}


def summarise(entries: list[Entry], topic_label: str, stage_labels: dict[str, str]) -> EvidenceSummary:
    """The evidence summary of a topic's listed entries. Each figure's filters are the search
    page's (topic plus one more), so following its link lists the entries it counts."""
    base = {"topic": topic_label}
    measures: dict[str, MeasureRow] = {}
    level_entries, level_outcomes = Counter(), Counter()
    with_outcomes = outcomes = independent = 0
    for entry in entries:
        items = entry.meta.get("outcomes", [])
        if not items:
            continue
        with_outcomes += 1
        outcomes += len(items)
        kinds_seen, levels_seen = set(), set()
        for outcome in items:
            kind = measure_kind(outcome["unit"])
            row = measures.setdefault(kind, MeasureRow(KIND_LABELS[kind], 0,
                                                       filters={**base, "outcome": KIND_LABELS[kind]}))
            row.outcomes += 1
            if kind not in kinds_seen:
                row.entries += 1
                kinds_seen.add(kind)
            change = change_from_baseline(outcome)
            if change is not None:
                row.changes.append(change)
            level_outcomes[outcome["evidence"]] += 1
            levels_seen.add(outcome["evidence"])
            independent += outcome["evidence"] in INDEPENDENT
        level_entries.update(levels_seen)
    levels = [Figure(EVIDENCE[level], level_entries[level], level_outcomes[level],
                     {**base, "evidence": EVIDENCE[level]})
              for level in reversed(LEVELS) if level_entries[level]]  # strongest first
    budget_counts = Counter(e.meta["budget_band"] for e in entries if e.meta.get("budget_band"))
    budgets = [Figure(label, budget_counts[band], filters={**base, "budget": label})
               for band, label in BUDGET_BANDS.items() if budget_counts[band]]
    stage_counts = Counter(e.meta["stage"] for e in entries)
    stages = [Figure(label, stage_counts[stage], filters={**base, "stage": label})
              for stage, label in stage_labels.items() if stage_counts[stage]]
    return EvidenceSummary(len(entries), with_outcomes, outcomes, independent,
                           [measures[kind] for kind in KIND_LABELS if kind in measures], levels, budgets, stages)
