"""The content cache (core/cache.py) and the search index in parts (site/search.py): a build
that takes work from the cache writes exactly the site a build without it writes, however
stale, damaged or foreign the cache is, and a build after one entry changed indexes one
part of the search index again, not all of it."""

from __future__ import annotations

import json
from datetime import date, datetime
from pathlib import Path

import pytest

from casehub.core.cache import ContentCache
from casehub.site.build import build_site

from .support import make_project

PART_SIZE = "5"  # the sample library in several parts


def tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def assert_same_site(one: Path, other: Path) -> None:
    first, second = tree(one), tree(other)
    assert sorted(first) == sorted(second)
    different = [name for name in first if first[name] != second[name]]
    assert not different, f"{len(different)} files differ, first {different[:5]}"


@pytest.fixture
def library(tmp_path, monkeypatch):
    monkeypatch.setenv("CASEHUB_SEARCH_PART_SIZE", PART_SIZE)
    return make_project(tmp_path / "project", copy_library=True)


def build(project, output: Path, cache) -> object:
    return build_site(project.root, "publishconf.py", output, cache=cache)


def edit_one_entry(project) -> Path:
    """A published entry's body, edited: its page, and so its part of the search index, changes."""
    entry = [p for p in sorted(project.entries_dir.glob("*.md"))
             if "\nstatus: published\n" in p.read_text(encoding="utf-8")][3]
    text = entry.read_text(encoding="utf-8")
    entry.write_text(text.rstrip("\n") + "\n\nA sentence added to the last section.\n", encoding="utf-8")
    return entry


def retitle_one_entry(project) -> None:
    """A published entry's title, changed: the pages that list it as related change too."""
    entry = [p for p in sorted(project.entries_dir.glob("*.md"))
             if "\nstatus: published\n" in p.read_text(encoding="utf-8")][5]
    text = entry.read_text(encoding="utf-8")
    entry.write_text(text.replace('\ntitle: "', '\ntitle: "Revised: ', 1), encoding="utf-8")


def test_warm_build_writes_what_a_build_without_the_cache_writes(library, tmp_path):
    cache = tmp_path / "cache"
    cold = build(library, tmp_path / "cold", cache)
    assert cold.cache.misses >= 0 and cold.cache.hits == 0
    parts = sorted(p.parent.relative_to(tmp_path / "cold").as_posix()
                   for p in (tmp_path / "cold" / "pagefind").rglob("pagefind-entry.json"))
    assert len(parts) >= 3 and len(cold.search_indexed) == len(parts)  # every part indexed, none from the cache
    edit_one_entry(library)
    warm = build(library, tmp_path / "warm", cache)
    published = len(warm.generator.library.published)
    assert warm.cache.hits >= published - 1  # only the edited entry was checked and rendered again
    assert len(warm.search_indexed) == 1  # only its part of the search index was indexed again
    assert len(warm.cached_pages) == 2 * published  # every entry page and entry.json kept in the cache
    build(library, tmp_path / "uncached", False)
    assert_same_site(tmp_path / "warm", tmp_path / "uncached")
    retitle_one_entry(library)  # other entries' pages show it as related: they are rendered again
    build(library, tmp_path / "retitled", cache)
    build(library, tmp_path / "retitled-uncached", False)
    assert_same_site(tmp_path / "retitled", tmp_path / "retitled-uncached")
    assert "Revised: " in "".join(p.read_text(encoding="utf-8") for p in (tmp_path / "retitled").glob("*/index.html")
                                  if p.parent.name != retitled_id(library))


def retitled_id(project) -> str:
    return next(p.stem for p in project.entries_dir.glob("*.md")
                if 'title: "Revised: ' in p.read_text(encoding="utf-8"))


def test_a_stale_cache_never_changes_the_output(library, tmp_path):
    cache = tmp_path / "cache"
    build(library, tmp_path / "first", cache)
    topics = library.data_dir / "topics.yaml"
    text = topics.read_text(encoding="utf-8")
    label = next(line.split(":", 1)[1].strip() for line in text.splitlines() if line.strip().startswith("label:"))
    topics.write_text(text.replace(label, label + " and more", 1), encoding="utf-8")  # every entry on it changes
    card = library.root / "theme" / "templates" / "_entry_card.html"
    card.write_text(card.read_text(encoding="utf-8") + "<!-- changed -->\n", encoding="utf-8")
    build(library, tmp_path / "cached", cache)
    build(library, tmp_path / "uncached", False)
    assert_same_site(tmp_path / "cached", tmp_path / "uncached")
    assert "<!-- changed -->" in (tmp_path / "cached" / "entries" / "index.html").read_text(encoding="utf-8")
    assert label + " and more" in (tmp_path / "cached" / "entries" / "index.html").read_text(encoding="utf-8") or \
        any(label + " and more" in p.read_text(encoding="utf-8") for p in (tmp_path / "cached").glob("*/index.html"))


def test_a_damaged_cache_is_ignored(library, tmp_path):
    cache = tmp_path / "cache"
    build(library, tmp_path / "first", cache)
    records = list((cache / "entries").rglob("*"))
    records = [p for p in records if p.is_file()]
    for record in records[::2]:
        record.write_bytes(b"{not json")
    for record in records[1::2]:  # valid JSON of the wrong shape: treated as a miss, never a crash
        record.write_text(json.dumps({"metadata": None}), encoding="utf-8")
    fragments = sorted((cache / "search").rglob("*.pf_fragment"))
    fragments[0].write_bytes(fragments[0].read_bytes()[:10])  # cut off, as a full disk leaves it
    again = build(library, tmp_path / "again", cache)
    assert len(again.search_indexed) >= 1
    build(library, tmp_path / "uncached", False)
    assert_same_site(tmp_path / "again", tmp_path / "uncached")


def test_values_keep_their_types_through_the_cache(tmp_path):
    cache = ContentCache(tmp_path)
    value = {"published": date(2025, 3, 31), "at": datetime(2025, 3, 31, 9, 30), "n": 1, "f": 1.5, "b": True,
             "none": None, "list": ["a", {"b": [1, 2]}], "text": "£ and ‘quotes’"}
    cache.put("entries", "ab" * 32, value)
    got = ContentCache(tmp_path).get("entries", "ab" * 32)
    assert got == value and type(got["published"]) is date and type(got["at"]) is datetime
    assert type(got["b"]) is bool and type(got["f"]) is float
    cache.put("entries", "cd" * 32, {"tuple": (1, 2)})  # would come back a list: not kept
    assert ContentCache(tmp_path).get("entries", "cd" * 32) is None


def test_no_cache_writes_nothing(library, tmp_path):
    state = build(library, tmp_path / "out", False)
    assert state.cache.folder is None
    assert not (library.root / ".casehub-cache").exists()
