"""The benchmark's figures against the issue's targets, and as Markdown for a closing note.

`evaluate(result)` checks one library size's figures (a dict from scripts/bench.py)
against each target; `markdown(results, ...)` prints every size's figures and
verdicts as tables. Kept apart from the measuring so both can be read (and tested)
on their own."""

from __future__ import annotations

from dataclasses import dataclass

# The step names scripts/bench.py times, and how the tables head them.
OURS = {"validate": "validate", "cold": "cold build", "warm": "warm build", "warm-kept": "warm, output kept",
        "render": "build without search", "index": "Pagefind on it, one index"}
HUGO = {"hugo": "Hugo", "hugo+pf": "Pagefind on Hugo"}
CACHE_NOTE = ("\nNo cache was written (the build does not read CASEHUB_CACHE yet): each warm build above is "
              "simply another build, with one entry changed.")


@dataclass(frozen=True)
class Target:
    key: str
    what: str
    limit: float
    unit: str
    sizes: tuple[int, ...] = ()  # the sizes the issue sets it at; empty: every size


TARGETS = (
    Target("cold", "cold build ÷ Hugo + Pagefind cold", 1.5, "×"),
    Target("warm", "warm build (cache restored) ÷ Hugo + Pagefind cold", 1.0, "×", (10_000,)),
    Target("page", "heaviest page (HTML + CSS, gzip)", 14, "KB"),
    Target("first_search", "first search (largest of the queries)", 300, "KB"),
    Target("peak", "peak memory of any of our steps", 7, "GB"),
    Target("preview", "edit to preview", 1.0, "s"),
    Target("validate", "validate", 3.0, "s", (10_000,)),
)


def seconds(result: dict, *names: str) -> float | None:
    steps = result["steps"]
    return sum(steps[n]["seconds"] for n in names) if all(n in steps for n in names) else None


def measured(result: dict, key: str) -> float | None:
    """The figure a target is about, or None when it was not measured (no Hugo, no Chromium)."""
    hugo = seconds(result, "hugo", "hugo+pf")
    if key in ("cold", "warm"):
        ours = seconds(result, key)
        return ours / hugo if ours is not None and hugo else None
    if key == "page":
        return result["heaviest_page"]["kb"]
    if key == "first_search":
        found = [f["bytes"] / 1024 for f in result["first_search"].values() if f]
        return max(found) if found else None
    if key == "peak":
        peaks = [s["peak_mb"] / 1024 for name, s in result["steps"].items() if name in OURS]
        return max(peaks) if peaks else None
    if key == "preview":
        return result.get("preview_seconds")
    return seconds(result, key)


def evaluate(result: dict) -> list[dict]:
    """Each target for this size: what was measured, the limit, and whether it is met (None: not measured)."""
    verdicts = []
    for target in TARGETS:
        value = measured(result, target.key)
        verdicts.append({"target": target.key, "what": target.what, "measured": value, "limit": target.limit,
                         "unit": target.unit, "met": None if value is None else value <= target.limit,
                         "set_at_this_size": not target.sizes or result["count"] in target.sizes})
    return verdicts


def _cell(value: float | None, fmt: str = "{:.2f}") -> str:
    return fmt.format(value) if value is not None else "–"


def _search(found: dict | None) -> str:
    if not found:
        return "no Chromium"
    return f"{found['bytes'] / 1024:.0f} KB, {found['requests']} requests"


def markdown(results: list[dict], memory_method: str, repeat: int) -> str:
    """Every size's figures and the targets, as Markdown tables."""
    lines = [f"\n## Builds (seconds, the fastest of {repeat} run{'s' * (repeat != 1)})\n",
             "Cold: `casehub build` from an empty output folder and an empty cache. Warm: one entry's text "
             "changed, the cache the cold build filled restored (CASEHUB_CACHE), into an empty output folder as "
             "on CI; \"output kept\": the same with the last build's output left in place. Hugo and Pagefind: "
             "the same entries with a minimal layout, cold.\n",
             "| entries | cold build | warm build | warm, output kept | edit to preview | validate | Hugo "
             "| Pagefind on Hugo | Hugo + Pagefind | cold ÷ Hugo+PF | warm ÷ Hugo+PF | cache MB |",
             "| ---: " * 12 + "|"]
    for r in results:
        hugo = seconds(r, "hugo", "hugo+pf")
        lines.append(
            f"| {r['count']:,} | {_cell(seconds(r, 'cold'))} | {_cell(seconds(r, 'warm'))} "
            f"| {_cell(seconds(r, 'warm-kept'))} | {_cell(r.get('preview_seconds'))} "
            f"| {_cell(seconds(r, 'validate'))} | {_cell(seconds(r, 'hugo'))} | {_cell(seconds(r, 'hugo+pf'))} "
            f"| {_cell(hugo)} | {_cell(measured(r, 'cold'))} | {_cell(measured(r, 'warm'))} "
            f"| {r['cache_mb']:.0f} |")
    if any("render" in r["steps"] for r in results):
        lines += ["\nThe same build in two parts, one after the other (--parts): the build without search (no "
                  "cache), then Pagefind over its entry pages as one index.\n",
                  "| entries | build without search | Pagefind on it | both | cold build |", "| ---: " * 5 + "|"]
        lines += [f"| {r['count']:,} | {_cell(seconds(r, 'render'))} | {_cell(seconds(r, 'index'))} "
                  f"| {_cell(seconds(r, 'render', 'index'))} | {_cell(seconds(r, 'cold'))} |" for r in results]
    names = [n for n in (*OURS, *HUGO) if any(n in r["steps"] for r in results)]
    lines += ["\n## Peak memory of each step (MB)\n", f"Measured by {memory_method}.\n",
              "| entries | " + " | ".join({**OURS, **HUGO}[n] for n in names) + " | pages | output MB |",
              "| ---: " * (len(names) + 3) + "|"]
    for r in results:
        peaks = [_cell(r["steps"][n]["peak_mb"], "{:.0f}") if n in r["steps"] else "–" for n in names]
        lines.append(f"| {r['count']:,} | " + " | ".join(peaks) + f" | {r['pages']:,} | {r['output_mb']:.0f} |")
    queries = list(results[0]["first_search"]) if results else []
    lines += ["\n## Readers\n",
              "First search: every byte the browser fetched before the first results were on the screen; "
              "complete: until the whole index was searched (gzip-compressed text, as static hosts send it).\n",
              "| entries | heaviest page (HTML + CSS, gzip) | "
              + " | ".join(f"first search '{q}' | complete '{q}'" for q in queries) + " |",
              "| ---: | --- | " + "---: | ---: | " * len(queries)]
    for r in results:
        page = r["heaviest_page"]
        cells = []
        for query in queries:
            found = r["first_search"][query]
            cells += [_search(found), _search(found and found["complete"])]
        lines.append(f"| {r['count']:,} | {page['page']} {page['kb']:.1f} KB | " + " | ".join(cells) + " |")
    lines += ["\n## Targets\n", "| entries | target | measured | limit | met |", "| ---: | --- | ---: | ---: | --- |"]
    informative = False
    for r in results:
        for t in r["targets"]:
            met = "–" if t["met"] is None else "met" if t["met"] else "**not met**"
            if not t["set_at_this_size"] and t["met"] is not None:
                met, informative = f"({'met' if t['met'] else 'not met'})", True
            lines.append(f"| {r['count']:,} | {t['what']} | {_cell(t['measured'])} {t['unit']} "
                         f"| {t['limit']:g} {t['unit']} | {met} |")
    if informative:
        lines.append("\nIn brackets: the issue sets that target at another size; shown for comparison.")
    failed = [f"{r['count']:,} {name}" for r in results for name, s in r["steps"].items() if s["status"]]
    if failed:
        lines.append("\nSteps that failed (their messages are above): " + ", ".join(failed))
    return "\n".join(lines)
