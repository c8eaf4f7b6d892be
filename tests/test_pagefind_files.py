"""Pagefind's files made the same from build to build (casehub.site.pagefindfiles), on
real Pagefind runs: two runs on the same pages give the same bundle once canonicalised,
in Pagefind's own naming; canonicalising again changes nothing; files an earlier run
left are removed; a bundle it does not understand is refused and left as it was; and,
in Chromium, search with filters and the date sort answers exactly as on the bundle
Pagefind wrote."""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import cbor2
import pytest
from pagefind_bin import get_executable

from casehub.site.pagefindfiles import SearchBundleError, canonicalise

from .support import ROOT, served
from .support.browser import result_titles, wait_for

COLOURS = ["red", "orange", "yellow", "green", "blue", "indigo", "violet", "black", "white", "Ångström", "Zebra"]
TAGS = ["alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta"]


def write_pages(site: Path, count: int = 30, shift: int = 0) -> None:
    """Pages in two languages with two filters of many values and a date sort."""
    for n in range(count):
        colour = COLOURS[(n + shift) % len(COLOURS)]
        tags = "".join(f'<span data-pagefind-filter="tag">{tag}</span>' for tag in TAGS[n % 5:n % 5 + 3])
        page = site / f"page-{n}" / "index.html"
        page.parent.mkdir(parents=True, exist_ok=True)
        page.write_text(
            f'<!doctype html><html lang="{"cy" if n % 3 == 0 else "en"}"><head><title>Page {n}</title></head>'
            f'<body><main data-pagefind-body><h1>Page {n}</h1><p>About {colour} things, number {n}.</p>'
            f'<span data-pagefind-filter="colour">{colour}</span>{tags}'
            f'<time data-pagefind-sort="date">2024-{n % 12 + 1:02d}-{n % 28 + 1:02d}</time></main></body></html>',
            encoding="utf-8")


def pagefind(site: Path, subdir: str = "pagefind") -> Path:
    subprocess.run([str(get_executable()), "--site", str(site), "--output-subdir", subdir, "--silent"],
                   check=True, capture_output=True)
    return site / subdir


def files(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def unpack(path: Path):
    data = gzip.decompress(path.read_bytes())
    assert data.startswith(b"pagefind_dcd")
    return cbor2.loads(data[len(b"pagefind_dcd"):]), data[len(b"pagefind_dcd"):]


def pagefind_hash(data: bytes) -> str:
    # How Pagefind names its files: each byte of the SHA-1 in hex, without leading zeros.
    return "".join(f"{byte:x}" for byte in hashlib.sha1(data).digest())


@pytest.fixture
def two_runs(tmp_path):
    site = tmp_path / "site"
    write_pages(site)
    return pagefind(site, "one"), pagefind(site, "two")


def test_two_runs_give_the_same_files_once_canonicalised(two_runs):
    one, two = two_runs
    canonicalise(one)
    canonicalise(two)
    assert files(one) == files(two)
    entry = json.loads((one / "pagefind-entry.json").read_text(encoding="utf-8"))
    assert list(entry["languages"]) == ["cy", "en"]
    for language, details in entry["languages"].items():
        meta, meta_bytes = unpack(one / f"pagefind.{details['hash']}.pf_meta")
        assert details["hash"] == f"{language}_{pagefind_hash(meta_bytes)[:len(language) + 8]}"
        assert [name for name, _ in meta[3]] == ["colour", "tag"]
        for name, file_name in meta[3]:
            content, data = unpack(one / "filter" / f"{file_name}.pf_filter")
            assert content[0] == name and file_name == f"{language}_{pagefind_hash(data)[:7]}"
            values = [value for value, _ in content[1]]
            assert values == sorted(values) and len(values) > 3
            assert all(pages == sorted(pages) for _, pages in content[1])
        assert (one / "filter").is_dir() and len(list((one / "filter").iterdir())) == 4


def test_the_names_are_made_as_pagefind_makes_them(two_runs):
    # The index chunks Pagefind names itself are named by the same hash the filter files get.
    one, _ = two_runs
    chunks = list((one / "index").iterdir())
    assert chunks
    for chunk in chunks:
        language = chunk.name.split("_")[0]
        assert chunk.stem == f"{language}_{pagefind_hash(unpack(chunk)[1])[:7]}"


def test_canonicalising_again_changes_nothing(two_runs):
    one, _ = two_runs
    canonicalise(one)
    before = {path: (path.read_bytes(), path.stat().st_mtime_ns) for path in one.rglob("*") if path.is_file()}
    canonicalise(one)
    assert {path: (path.read_bytes(), path.stat().st_mtime_ns)
            for path in one.rglob("*") if path.is_file()} == before


def test_files_an_earlier_run_left_are_removed(tmp_path):
    site, fresh = tmp_path / "site", tmp_path / "fresh"
    write_pages(site)
    canonicalise(pagefind(site))
    write_pages(site, shift=1)  # every page changes colour: new fragments, filters and metadata
    canonicalise(pagefind(site))  # Pagefind keeps the files it finds; canonicalise removes the unnamed
    write_pages(fresh, shift=1)
    canonicalise(pagefind(fresh))
    assert files(site / "pagefind") == files(fresh / "pagefind")


def _garbage_filter(bundle):
    next((bundle / "filter").iterdir()).write_bytes(gzip.compress(b"pagefind_dcd" + b"\xff\x00"))


def _renamed_filter(bundle):
    path = next((bundle / "filter").iterdir())
    content, _ = unpack(path)
    path.write_bytes(gzip.compress(b"pagefind_dcd" + cbor2.dumps(["not this one", content[1]])))


def _unknown_meta_layout(bundle):
    path = next(bundle.glob("pagefind.en_*.pf_meta"))
    meta, _ = unpack(path)
    meta[1] = [[page, count, "group"] for page, count in meta[1]]  # a later Pagefind's grouped fragments
    path.write_bytes(gzip.compress(b"pagefind_dcd" + cbor2.dumps(meta)))


def _name_outside_the_folder(bundle):
    path = next(bundle.glob("pagefind.en_*.pf_meta"))
    meta, _ = unpack(path)
    meta[3][0][1] = "../../pagefind-entry"
    path.write_bytes(gzip.compress(b"pagefind_dcd" + cbor2.dumps(meta)))


def _missing_fragment(bundle):
    next((bundle / "fragment").iterdir()).unlink()


def _entry_without_languages(bundle):
    (bundle / "pagefind-entry.json").write_text('{"version":"1.5.2"}', encoding="utf-8")


@pytest.mark.parametrize(("damage", "message"), [
    (_garbage_filter, "its content cannot be decoded"),
    (_renamed_filter, "it is not a filter file for the filter"),
    (_unknown_meta_layout, "its layout is not the one Casehub knows (written by Pagefind 1."),
    (_name_outside_the_folder, "which is not a name Pagefind gives"),
    (_missing_fragment, "is missing"),
    (_entry_without_languages, "it names no language indexes"),
])
def test_a_bundle_it_does_not_understand_is_refused_and_left_alone(two_runs, damage, message):
    one, _ = two_runs
    damage(one)
    before = files(one)
    with pytest.raises(SearchBundleError) as raised:
        canonicalise(one)
    assert message in str(raised.value)
    assert str(one) in str(raised.value)
    assert files(one) == before


ANSWERS = """
const [raw, canonical, done] = [arguments[0], arguments[1], arguments[arguments.length - 1]];
(async () => {
  const answers = [];
  for (const url of [raw, canonical]) {
    const pagefind = await import(url);
    const filters = await pagefind.filters();
    const runs = {filters};
    for (const [filter, values] of Object.entries(filters).sort()) {
      for (const value of Object.keys(values).sort()) {
        const only = {filters: {[filter]: value}};
        runs[`${filter}=${value}`] = (await pagefind.search(null, only)).results.map(r => r.id);
        runs[`${filter}=${value}, by date`] =
          (await pagefind.search(null, {...only, sort: {date: "desc"}})).results.map(r => r.id);
      }
    }
    runs["digital, by date"] = (await pagefind.search("digital", {sort: {date: "desc"}})).results.map(r => r.id);
    const london = await pagefind.search(null, {filters: {region: {any: ["London"]}}, sort: {date: "desc"}});
    runs.london = await Promise.all(london.results.map(async r => (await r.data()).meta.title));
    answers.push(runs);
  }
  done(answers);
})().catch(error => done(String(error)));
"""


@pytest.mark.browser
@pytest.mark.xdist_group("browser")
def test_search_answers_as_on_the_bundle_pagefind_wrote(browser, built_site, tmp_path):
    """The sample site's canonicalised index against Pagefind's own on the same pages:
    every filter value, alone and sorted by date, a query sorted by date, and the search
    page with a filter and sort=date."""
    site = tmp_path / "site"
    shutil.copytree(built_site, site)
    shutil.rmtree(site / "pagefind-raw", ignore_errors=True)
    subprocess.run([str(get_executable()), "--site", str(site), "--output-subdir", "pagefind-raw", "--silent",
                    "--glob", "{*,hubs/*/*}/index.html"], check=True, capture_output=True)
    with served(site) as url:
        browser.get(f"{url}/search/")
        browser.set_script_timeout(60)
        raw, canonical = browser.execute_async_script(ANSWERS, "/pagefind-raw/pagefind.js", "/pagefind/pagefind.js")
        assert raw == canonical
        assert sum(len(values) for values in raw["filters"].values()) > 30
        assert any(len(ids) > 1 for ids in raw.values() if isinstance(ids, list))
        assert raw["london"]

        browser.get(f"{url}/search/?region=London&sort=date")
        wait_for(browser, lambda d: len(result_titles(d)) == len(raw["london"]))
        assert result_titles(browser) == raw["london"]


def _tmpfs() -> Path | None:
    shm = Path("/dev/shm")
    try:
        mounts = Path("/proc/mounts").read_text(encoding="utf-8").split("\n")
    except OSError:
        return None
    return shm if any(line.split()[1:3] == [str(shm), "tmpfs"] for line in mounts if line) else None


def test_pagefind_numbers_pages_as_the_build_orders_them_where_folders_list_as_made(monkeypatch):
    """Pagefind numbers pages in the order the file system lists their folders. Where that is
    the order they were made (tmpfs lists newest first), the numbering must follow the order
    the build gives a part's pages, not the order two workers happen to write them in, so
    that the index is the same from build to build."""
    from casehub.core import parallel
    from casehub.site.build import build_site

    shm = _tmpfs()
    if shm is None or not os.access(shm, os.W_OK):
        pytest.skip("needs a tmpfs at /dev/shm, a file system that lists folders in the order they were made")
    monkeypatch.setenv("CASEHUB_WORKERS", "2")
    monkeypatch.setattr(parallel, "MIN_ITEMS", 1)  # share out even the small sample library
    with tempfile.TemporaryDirectory(dir=shm) as scratch:
        state = build_site(ROOT, "publishconf.py", Path(scratch) / "site", cache=False)
        bundle = state.output / "pagefind"
        entry = json.loads((bundle / "pagefind-entry.json").read_text(encoding="utf-8"))
        meta, _ = unpack(bundle / f"pagefind.{entry['languages']['en-gb']['hash']}.pf_meta")
        urls = [json.loads(gzip.decompress((bundle / "fragment" / f"{page}.pf_fragment").read_bytes())[12:])["url"]
                for page, _ in meta[1]]
        parts = state.generator.search_parts
    assert len(parts) == 1 and len(urls) > 10
    given = ["/" + page.removesuffix("index.html") for page in parts[0].pages]
    assert urls in (given, given[::-1])
