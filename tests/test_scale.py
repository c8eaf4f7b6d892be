"""The reader-experience bars on a large generated library: every page within 14 KB,
valid HTML and no axe violations on each kind of page, search that finds an entry in
the browser, and a first search within 300 KB.

`make test` runs it at CASEHUB_SCALE_ENTRIES entries (default 1,000, to stay quick);
`make scale` runs it at 10,000."""

from __future__ import annotations

import shutil
import sys

import pytest

from .support import ROOT, require_tool
from .support.browser import AXE, result_titles, run_axe, status, wait_for
from .support.vnu import VNU, run_vnu

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

sys.path.insert(0, str(ROOT / "scripts"))
from firstsearch import BUDGET_KB, first_search  # noqa: E402
from pageweight import measure  # noqa: E402


def sample_pages(site) -> dict[str, str]:
    """One page of each kind, the longest listings' last pages among them."""
    listing_pages = sorted((site / "entries" / "page").iterdir(), key=lambda p: int(p.name))
    organisations = sorted(p for p in (site / "organisations").iterdir() if p.is_dir())
    return {
        "home": "/",
        "entry": "/synthetic-entry-00007/",
        "all entries": "/entries/",
        "all entries, middle page": f"/entries/page/{len(listing_pages) // 2 + 1}/",
        "all entries, last page": f"/entries/page/{listing_pages[-1].name}/",
        "topic": "/topics/housing-and-homelessness/",
        "organisations": "/organisations/",
        "an organisation": f"/organisations/{organisations[0].name}/",
        "statistics": "/stats/",
        "search, empty": "/search/",
        "search with results": "/search/?q=homelessness",
    }


def test_every_page_is_within_the_weight_bar(scale_site):
    site, count = scale_site
    rows = measure(site)
    assert len(rows) > count
    heavy = [(r["page"], r["html"] + r["css"]) for r in rows if r["html"] + r["css"] > 14 * 1024]
    assert heavy == []


def test_pages_of_every_kind_are_valid_html(scale_site):
    require_tool(VNU.is_file() and shutil.which("java") is not None,
                 "the Nu HTML Checker needs Java and vnu.jar: run make test (npm ci) with Java installed")
    site, _ = scale_site
    paths = [site / path.split("?")[0].strip("/") / "index.html" for path in sample_pages(site).values()]
    assert run_vnu(sorted(set(paths))) == []


def test_no_axe_violations_on_pages_of_every_kind(browser, scale_site, scale_url):
    require_tool(AXE.is_file(), "axe-core is needed: run make test (it runs npm ci)")
    browser.set_script_timeout(30)
    failures = {}
    for name, path in sample_pages(scale_site[0]).items():
        browser.get(scale_url + path)
        if path.startswith("/search/"):
            wait_for(browser, lambda d: status(d) and "could not start" not in status(d), timeout=30)
        violations = run_axe(browser)
        if violations:
            failures[name] = [v["id"] for v in violations]
    assert failures == {}


def test_search_finds_an_entry_by_a_word_of_its_title(browser, scale_site, scale_url):
    site, count = scale_site
    number = count * 3 // 4
    # Each title ends with its entry's number, a word no other entry has.
    browser.get(f"{scale_url}/search/?q={number}")
    wait_for(browser, lambda d: result_titles(d), timeout=30)
    assert any(title.endswith(f" {number}") for title in result_titles(browser)), result_titles(browser)


def test_a_first_search_stays_within_its_byte_budget(scale_site):
    site, _ = scale_site
    result = first_search(site, "homelessness")
    require_tool(result is not None, "headless Chromium and chromedriver are needed")
    assert result["results"] == 10
    assert result["bytes"] <= BUDGET_KB * 1024, result["by_kind"]
