"""The optimised build (both cores, Markdown and card shortcuts, unchanged files left
alone) writes the same site, byte for byte, as the straightforward one-process build
with stock Python-Markdown; and two builds in a row match, search index included."""

import hashlib
import json

from casehub.core import parallel
from casehub.site.build import build
from casehub.site.generator import load_library
from casehub.site.library import Library
from casehub.site.opendata import Site, outcome_cell, write_sitemap
from casehub.site.synthetic import write_library

from .support import ROOT


def tree(folder):
    # Every file, pagefind/ included: Pagefind orders its filter files at random, and the
    # build makes them the same (casehub.site.pagefindfiles).
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def test_parallel_and_plain_builds_are_identical(tmp_path, monkeypatch):
    monkeypatch.setenv("CASEHUB_WORKERS", "1")
    # Without the content cache, so that Pagefind indexes this build's pages itself: two of its
    # runs, this one and the one that made the fast build's index (then or for the cache), compared.
    plain = build(ROOT, "publishconf.py", tmp_path / "plain", shortcuts=False, cache=False)
    monkeypatch.setenv("CASEHUB_WORKERS", "2")
    monkeypatch.setattr(parallel, "MIN_ITEMS", 1)  # share out even the small sample library
    fast = build(ROOT, "publishconf.py", tmp_path / "fast")
    assert tree(plain) == tree(fast)
    again = build(ROOT, "publishconf.py", tmp_path / "fast")
    assert tree(again) == tree(plain)
    assert len(tree(plain)) > 150
    assert any(name.startswith("pagefind/filter/") for name in tree(plain))


def test_a_rebuild_leaves_unchanged_pages_alone(tmp_path):
    out = build(ROOT, "pelicanconf.py", tmp_path / "out", search=False)
    page = out / "stockport-digital-strategy" / "index.html"
    before = page.stat().st_mtime_ns
    build(ROOT, "pelicanconf.py", tmp_path / "out", search=False)
    assert page.stat().st_mtime_ns == before


def test_without_partner_hubs_the_facets_are_the_browse_facets_less_empty_values(new_project):
    # A shortcut the sample library (which has partner hubs) does not take: shown here to give
    # what working out the facets again would.
    project = new_project()
    write_library(project, project.entries_dir, 15)
    library = load_library(project)
    assert not library.federated
    assert any(not entries for f in library.browse_facets for _, entries in f.groups)  # values with none

    def shape(facets):
        return [(f.key, f.title, f.noun, [(t.facet, t.id, t.label, [e.id for e in m]) for t, m in f.groups])
                for f in facets]

    assert shape(library.facets) == shape(Library._facets(library, library.listed))
    assert sum(len(f.groups) for f in library.facets) > 20


def test_the_sitemap_written_as_text_is_what_elementtree_writes(new_project, tmp_path):
    project = new_project()
    write_library(project, project.entries_dir, 5)
    library = load_library(project)
    site = Site(feed_base="https://example.org/a&b<c>d")  # each character XML escapes
    for shortcuts in (True, False):
        write_sitemap(library, project, site, tmp_path / str(shortcuts), shortcuts)
    text = (tmp_path / "True" / "sitemap.xml").read_text(encoding="utf-8")
    assert text == (tmp_path / "False" / "sitemap.xml").read_text(encoding="utf-8")
    assert "<lastmod>" in text and "a&amp;b&lt;c&gt;d" in text


def test_outcome_cells_give_numbers_as_json_does():
    numbers = [0, 7, -3, 10**30, 0.5, -2.25, 1e-7, 1e22, 123456789.125, float("nan"), float("inf"), float("-inf")]
    assert [outcome_cell(n) for n in numbers] == [json.dumps(n) for n in numbers]
    assert outcome_cell(True) == "True" and outcome_cell("=1+1") == "'=1+1" and outcome_cell(None) == ""
