"""The optimised build (both cores, Markdown and card shortcuts, unchanged files left
alone) writes the same site, byte for byte, as the straightforward one-process build
with stock Python-Markdown; and two builds in a row match, search index included."""

import hashlib

from casehub.core import parallel
from casehub.site.build import build

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
