"""Driving the built site in headless Chromium: waiting on the search page, reading its
results and focus, and running axe-core. The browser itself is started by
scripts/headless_chromium.py, the one set-up scripts/firstsearch.py uses too."""

from __future__ import annotations

import sys

from . import NODE_TOOLS, ROOT

sys.path.insert(0, str(ROOT / "scripts"))
from headless_chromium import MISSING, available, headless_chromium  # noqa: E402, F401

AXE = NODE_TOOLS / "axe-core" / "axe.min.js"
SCREENSHOTS = ROOT / "test-output" / "screenshots"
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]


def wait_for(driver, condition, timeout=15):
    from selenium.webdriver.support.ui import WebDriverWait

    return WebDriverWait(driver, timeout).until(lambda d: condition(d))


def result_titles(driver):
    # Read in one script call: results are replaced as the user types, so
    # element handles can go stale between two reads.
    return driver.execute_script(
        "return [...document.querySelectorAll('#search-results h2 a')].map(a => a.textContent)")


def status(driver):
    return driver.execute_script("return document.getElementById('search-status').textContent")


def console_errors(driver):
    return [entry["message"] for entry in driver.get_log("browser") if entry["level"] == "SEVERE"]


FOCUS_STATE = """
const e = document.activeElement, s = getComputedStyle(e);
const visible = (s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0 && s.outlineColor !== 'rgba(0, 0, 0, 0)')
  || (s.boxShadow && s.boxShadow !== 'none') || s.backgroundColor === 'rgb(255, 221, 0)';
return {tag: e.tagName.toLowerCase(), id: e.id, cls: e.className, name: e.getAttribute('name') || '',
        href: e.getAttribute('href') || '', inResults: !!e.closest('#search-results'),
        inCouncil: !!e.closest('#my-council'), visible: visible};
"""


def run_axe(browser) -> list[dict]:
    browser.execute_script(AXE.read_text(encoding="utf-8"))
    result = browser.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "axe.run(document, {runOnly: {type: 'tag', values: arguments[0]}, resultTypes: ['violations']})"
        ".then(r => done(r.violations.map(v => ({id: v.id, help: v.help,"
        " nodes: v.nodes.map(n => n.target.join(' ') + ': ' + n.failureSummary)}))))"
        ".catch(e => done([{id: 'axe-error', help: String(e), nodes: []}]));", TAGS)
    return result
