"""The benchmark's synthetic entries are valid and deterministic, so its numbers are honest."""

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
