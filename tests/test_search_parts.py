"""The search index in parts (site/search.py) in a real browser: the sample library indexed in
parts of five entries finds what the one-part index finds, sorts newest first across parts,
and says when the older parts are searched too."""

from __future__ import annotations

import functools
import re
import threading
import time
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import quote

import pytest

from casehub.site.build import build_site

from .support import ROOT, served
from .support.browser import console_errors, result_titles, status, wait_for

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]


@pytest.fixture(scope="module")
def parts_site(tmp_path_factory):
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("CASEHUB_SEARCH_PART_SIZE", "5")
        state = build_site(ROOT, "publishconf.py", tmp_path_factory.mktemp("parts") / "site")
    assert len(state.generator.search_parts) >= 3
    return state.output


@pytest.fixture(scope="module")
def parts_url(parts_site):
    with served(parts_site) as url:
        yield url


def settled(browser) -> dict:
    """Once every part is searched: the state, the count the status gives, and the dates shown."""
    wait_for(browser, lambda d: d.find_element("id", "search-results").get_attribute("data-search-state")
             == "complete" and re.search(r"\d+ results?|No results", status(d)))
    count = re.search(r"(\d+) results?", status(browser))
    dates = [t.get_attribute("datetime") for t in browser.find_elements("css selector", "#search-results time")]
    return {"count": int(count.group(1)) if count else 0, "titles": result_titles(browser), "dates": dates}


@pytest.mark.parametrize("query", ["council", "digital services", "housing"])
def test_parts_find_what_one_index_finds(browser, site_url, parts_url, query):
    browser.get(f"{site_url}/search/?q={quote(query)}")
    whole = settled(browser)
    browser.get_log("browser")
    browser.get(f"{parts_url}/search/?q={quote(query)}")
    parted = settled(browser)
    assert parted["count"] == whole["count"] and parted["count"] > 0
    assert console_errors(browser) == []


def test_newest_first_holds_across_parts(browser, site_url, parts_url):
    browser.get(f"{site_url}/search/?q=council&sort=date")
    whole = settled(browser)
    browser.get(f"{parts_url}/search/?q=council&sort=date")
    parted = settled(browser)
    assert parted["dates"] == sorted(parted["dates"], reverse=True) and len(parted["dates"]) > 5
    assert parted["dates"] == whole["dates"]


class _SlowParts(SimpleHTTPRequestHandler):
    """Serves the site, taking a second over each file of the older parts: a slow connection."""

    def do_GET(self):
        if "/pagefind/part-" in self.path:
            time.sleep(1)
        super().do_GET()

    def log_message(self, format, *args):
        pass


def test_first_results_show_before_the_older_parts_load(browser, parts_site):
    """While the older parts load, the newest part's results show, the status says older
    entries are being searched, and nothing is announced; then the complete result follows."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_SlowParts, directory=str(parts_site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        browser.get(f"http://127.0.0.1:{server.server_address[1]}/search/?q=council")
        wait_for(browser, lambda d: result_titles(d), timeout=60)
        state = browser.find_element("id", "search-results").get_attribute("data-search-state")
        assert state == "partial" and "Searching older entries" in status(browser)
        assert browser.find_element("id", "search-announce").text == ""  # nothing announced yet
        first = len(result_titles(browser))
        done = settled(browser)
        assert "Searching older entries" not in status(browser) and done["count"] >= first
    finally:
        server.shutdown()
        server.server_close()
