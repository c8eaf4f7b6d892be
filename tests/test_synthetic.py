"""The benchmark's synthetic entries are valid and deterministic, so its numbers are honest."""

import pytest

from casehub.core.validate import validate
from casehub.site.synthetic import entry_text, write_library


def test_synthetic_entries_are_valid_and_repeatable(new_project):
    project = new_project()
    write_library(project, project.entries_dir, 60)
    report = validate(project)
    assert report.checked == 60
    assert report.findings == []
    assert entry_text(7, project) == entry_text(7, project)
    assert entry_text(7, project) != entry_text(8, project)


def test_search_filters_stay_short_in_a_large_library(new_project):
    from casehub.site.generator import load_library
    from casehub.site.library import MAX_FILTER_OPTIONS

    project = new_project()
    write_library(project, project.entries_dir, 150)
    library = load_library(project)
    organisations = next(g for g in library.search_filters if g["key"] == "organisation")
    assert len(organisations["options"]) == MAX_FILTER_OPTIONS
    assert len({e.lead_organisation for e in library.listed}) > MAX_FILTER_OPTIONS


def test_synthetic_lengths_follow_the_sample_entries():
    """Per type, the generated bodies' median is near the sample entries' (as they are now, in
    casestudies/ and examples/), and the library has entries longer than the longest sample."""
    import statistics

    from casehub.core.loader import load
    from casehub.core.project import Project

    from .support import ROOT

    samples: dict[str, list[int]] = {}
    for path in sorted((ROOT / "casestudies").glob("*.md")) + sorted((ROOT / "examples").glob("*.md")):
        document = load(path, positions=False)
        samples.setdefault(document.metadata["type"], []).append(len(document.body.split()))
    project = Project(ROOT)
    generated: dict[str, list[int]] = {}
    for index in range(600):
        front, body = entry_text(index, project).split("\n---\n", 1)
        kind = next(line.split(":", 1)[1].strip() for line in front.splitlines() if line.startswith("type:"))
        generated.setdefault(kind, []).append(len(body.split()))
    assert generated.keys() == samples.keys()
    for kind, lengths in generated.items():
        # When the samples change much, measure them again into SAMPLE_BODY_WORDS.
        assert statistics.median(lengths) == pytest.approx(statistics.median(samples[kind]), rel=0.15), kind
        assert min(lengths) < min(samples[kind]) * 1.2, kind
    longest = max(n for lengths in samples.values() for n in lengths)
    assert sum(n > longest for lengths in generated.values() for n in lengths) >= 10
    assert max(n for lengths in generated.values() for n in lengths) > 900
