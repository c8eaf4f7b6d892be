"""axe-core (WCAG 2.0, 2.1 and 2.2, A and AA) on every page template, in headless
Chromium, including search with results, with no results and with filters."""

from __future__ import annotations

import pytest

from .support import require_tool
from .support.browser import AXE, SCREENSHOTS, run_axe, status, wait_for

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

SCREENSHOT_PAGES = {"home", "entry with outcomes", "search with filters"}

PAGES = {
    "home": "/",
    "entry": "/stockport-digital-strategy/",
    "entry with outcomes": "/100-percent-digital-leeds/",
    "entry overdue for review": "/riot-clean-up-2011/",
    "entry archived": "/casserole-club/",
    "all entries": "/entries/",
    "topic": "/topics/digital-and-technology/",
    "facet index": "/topics/",
    "organisations": "/organisations/",
    "about page": "/about/",
    "field reference": "/fields/",
    "open data page": "/open-data/",
    "statistics": "/stats/",
    "contribute page": "/contribute/",
    "not found": "/404.html",
    "search, empty": "/search/",
    "search with results": "/search/?q=digital",
    "search with no results": "/search/?q=zzzxqy",
    "search with filters": "/search/?q=digital&region=London&type=Case+study",
}


@pytest.mark.parametrize("name", list(PAGES))
def test_no_axe_violations(browser, site_url, name):
    require_tool(AXE.is_file(), "axe-core is needed: run make test (it runs npm ci)")
    browser.set_script_timeout(30)
    browser.get(site_url + PAGES[name])
    if PAGES[name].startswith("/search/"):
        wait_for(browser, lambda d: status(d) and "could not start" not in status(d))
    if name in SCREENSHOT_PAGES:  # for people to look at: test-output/screenshots/
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        browser.save_screenshot(str(SCREENSHOTS / f"{name.replace(' ', '-')}.png"))
    violations = run_axe(browser)
    assert violations == [], "\n".join(f"{v['id']}: {v['help']}\n  " + "\n  ".join(v["nodes"])
                                       for v in violations)


def test_the_axe_harness_reports_real_violations(browser, site_url):
    """Guards the test above: break a page on purpose and axe must say so."""
    require_tool(AXE.is_file(), "axe-core is needed: run make test (it runs npm ci)")
    browser.get(site_url + "/")
    browser.execute_script("const img = document.createElement('img'); img.src = '/none.png';"
                           "document.querySelector('main').append(img);"
                           "document.querySelector('.search-form label').remove();")
    assert {v["id"] for v in run_axe(browser)} >= {"image-alt", "label"}
