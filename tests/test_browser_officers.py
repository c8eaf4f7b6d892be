"""An officer's questions in a real browser (headless Chromium over loopback, the site's
Content-Security-Policy, real Pagefind): set my council and see councils like it marked and
first; every vocabulary value's page; search that shows its working (highlighted excerpts,
filter tags, Back and Forward, unknown filters reported, one announcement per settled search);
the accessibility fixes, with axe at 1280 and 375 pixels wide."""

from __future__ import annotations

import time
from urllib.parse import quote

import pytest

from .support import require_tool
from .support.browser import AXE, console_errors, result_titles, run_axe, status, wait_for

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

# Records what the live region says: each time it is given text, once.
LISTEN = """
window.heard = [];
new MutationObserver(() => {
  const text = document.getElementById('search-announce').textContent;
  if (text) window.heard.push(text);
}).observe(document.getElementById('search-announce'), {childList: true, characterData: true, subtree: true});
"""


@pytest.fixture
def fresh(browser, site_url):
    """A browser with no council set, at 1280 pixels, before and after the test."""
    browser.get(f"{site_url}/404.html")
    browser.execute_script("localStorage.clear()")
    browser.set_window_size(1280, 1000)
    browser.get_log("browser")  # drop what earlier tests in this browser logged
    yield browser
    browser.get(f"{site_url}/404.html")
    browser.execute_script("localStorage.clear()")
    browser.set_window_size(1280, 1000)


def set_council(browser, site_url, name):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    browser.get(f"{site_url}/")
    browser.find_element(By.ID, "my-council-summary").click()  # one line until opened
    box = browser.find_element(By.ID, "my-council-input")
    box.send_keys(name)
    wait_for(browser, lambda d: d.execute_script(
        "return document.querySelectorAll('#my-council-list option').length") == 397)  # loaded when used
    box.send_keys(Keys.ENTER)
    wait_for(browser, lambda d: d.find_element(By.ID, "my-council-name").text)


def test_setting_my_council_marks_and_ranks_councils_like_it(fresh, site_url):
    from selenium.webdriver.common.by import By

    browser = fresh
    browser.get(f"{site_url}/topics/digital-and-technology/")
    assert browser.find_elements(By.CSS_SELECTOR, ".peer-mark") == []
    newest_first = [a.text for a in browser.find_elements(By.CSS_SELECTOR, ".cards h3 a")]
    set_council(browser, site_url, "Wigan")
    chosen = browser.find_element(By.ID, "my-council-name").text
    assert chosen == "Wigan Metropolitan Borough Council (metropolitan borough, 330,712 people, North West)"
    assert "Wigan" in browser.find_element(By.ID, "my-council-status").get_attribute("textContent")
    assert browser.find_element(By.ID, "my-council-summary").text == "Your council: Wigan"
    assert browser.execute_script("return JSON.parse(localStorage.getItem('casehub-council')).gss") == "E08000010"

    # A listing: Stockport (a metropolitan borough in the North West) and Leeds (one next door) come first, marked.
    browser.get(f"{site_url}/topics/digital-and-technology/")
    titles = [a.text for a in browser.find_elements(By.CSS_SELECTOR, ".cards h3 a")]
    assert sorted(titles) == sorted(newest_first) and titles != newest_first
    assert titles[0].startswith("Stockport") and titles[1].startswith("100% Digital Leeds")
    marks = [m.text for m in browser.find_elements(By.CSS_SELECTOR, ".cards .peer-mark")]
    assert marks == ["A council like yours: metropolitan borough, 294,197 people, North West",
                     "A council like yours: metropolitan borough, 798,786 people, Yorkshire and the Humber"]
    assert "from councils like yours" in browser.find_element(By.CSS_SELECTOR, ".peer-note").text

    # Search ranks them first too, and says so.
    browser.get(f"{site_url}/search/?q=digital")
    wait_for(browser, lambda d: "result" in status(d))
    assert "Councils like yours first" in status(browser)
    assert result_titles(browser)[0].startswith("Stockport")
    assert browser.find_element(By.CSS_SELECTOR, "#search-results li:first-child .peer-mark").is_displayed()

    # Related entries on an entry page: Stockport's page marks Leeds.
    browser.get(f"{site_url}/stockport-digital-strategy/")
    related = browser.find_element(By.CSS_SELECTOR, "section[aria-labelledby=related] li:first-child")
    assert "A council like yours" in related.text and "Leeds" in related.text

    # Forgetting it undoes it all.
    browser.get(f"{site_url}/")
    browser.find_element(By.ID, "my-council-summary").click()
    browser.find_element(By.ID, "my-council-forget").click()
    assert browser.execute_script("return localStorage.getItem('casehub-council')") is None
    browser.get(f"{site_url}/topics/digital-and-technology/")
    assert [a.text for a in browser.find_elements(By.CSS_SELECTOR, ".cards h3 a")] == newest_first
    assert console_errors(browser) == []


def test_a_council_that_is_not_in_the_register_is_explained(fresh, site_url):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    fresh.get(f"{site_url}/search/")
    fresh.find_element(By.ID, "my-council-summary").click()
    box = fresh.find_element(By.ID, "my-council-input")
    box.send_keys("Atlantis", Keys.ENTER)
    wait_for(fresh, lambda d: d.find_element(By.ID, "my-council-error").text)
    assert "We don't know a council called 'Atlantis'" in fresh.find_element(By.ID, "my-council-error").text
    assert box.get_attribute("aria-invalid") == "true"
    assert fresh.switch_to.active_element == box


def test_a_council_page_can_be_made_my_council(fresh, site_url):
    from selenium.webdriver.common.by import By

    fresh.get(f"{site_url}/councils/leeds/")
    button = fresh.find_element(By.CSS_SELECTOR, "button[data-council]")
    assert button.is_displayed() and button.text == "This is my council"
    button.click()
    wait_for(fresh, lambda d: d.execute_script("return localStorage.getItem('casehub-council')"))
    assert fresh.execute_script("return JSON.parse(localStorage.getItem('casehub-council')).gss") == "E08000035"
    fresh.get(f"{site_url}/search/")
    assert fresh.find_element(By.ID, "my-council-summary").text == "Your council: Leeds"


def test_every_vocabulary_value_has_a_page(fresh, site_url, project):
    from selenium.webdriver.common.by import By

    for name in ("topics", "regions", "council-types", "types", "stages"):
        for item in project.vocabularies[name].items:
            fresh.get(f"{site_url}/{name}/{item['id']}/")
            assert fresh.find_element(By.TAG_NAME, "h1").text == item["label"]
            if fresh.find_elements(By.CSS_SELECTOR, ".empty-term"):
                assert "No entries yet" in fresh.find_element(By.CSS_SELECTOR, ".empty-term").text
            else:
                assert fresh.find_elements(By.CSS_SELECTOR, ".cards .card")
    fresh.get(f"{site_url}/council-types/district/")
    assert "Share an entry" in fresh.find_element(By.CSS_SELECTOR, ".empty-term").text


def test_results_show_the_highlighted_words_that_matched(fresh, site_url):
    from selenium.webdriver.common.by import By

    fresh.get(f"{site_url}/search/?q=homelessness")
    wait_for(fresh, lambda d: result_titles(d))
    excerpt = fresh.find_element(By.CSS_SELECTOR, "#search-results .excerpt")
    marks = excerpt.find_elements(By.TAG_NAME, "mark")
    assert marks and all(m.text.lower().startswith("homelessness") for m in marks)
    # Only text and <mark>: nothing else from the index becomes markup.
    tags = fresh.execute_script("return [...document.querySelectorAll('#search-results .excerpt *')]"
                                ".map(e => e.tagName)")
    assert set(tags) <= {"MARK", "SPAN"}
    # A thin result set says so and offers to ask for a case study.
    thin = fresh.find_element(By.ID, "search-thin")
    assert thin.is_displayed() and "Only 1 result" in thin.text
    ask = fresh.find_element(By.ID, "ask-link").get_attribute("href")
    assert "title=Case%20study%20wanted%3A%20homelessness" in ask


def test_back_undoes_a_filter_and_forward_applies_it_again(fresh, site_url):
    from selenium.webdriver.common.by import By

    fresh.get(f"{site_url}/search/?q=digital")
    wait_for(fresh, lambda d: len(result_titles(d)) > 2)
    before = result_titles(fresh)
    fresh.find_element(By.XPATH, "//summary[starts-with(normalize-space(), 'Region')]").click()
    fresh.find_element(By.CSS_SELECTOR, "label[for='" + fresh.find_element(
        By.CSS_SELECTOR, "input[name=region][value='London']").get_attribute("id") + "']").click()
    wait_for(fresh, lambda d: "region=London" in d.current_url and result_titles(d) != before)
    filtered = result_titles(fresh)
    tag = fresh.find_element(By.CSS_SELECTOR, "#applied-list button")
    assert tag.text == "Region: London" and tag.get_attribute("aria-label") == "Remove filter Region: London"
    fresh.back()
    wait_for(fresh, lambda d: "region=" not in d.current_url and result_titles(d) == before)
    assert not fresh.find_element(By.CSS_SELECTOR, "input[name=region][value='London']").is_selected()
    assert not fresh.find_element(By.ID, "applied-filters").is_displayed()
    fresh.forward()
    wait_for(fresh, lambda d: "region=London" in d.current_url and result_titles(d) == filtered)
    assert fresh.find_element(By.CSS_SELECTOR, "input[name=region][value='London']").is_selected()
    # Removing the tag removes the filter; "Clear all filters" removes them all.
    fresh.find_element(By.CSS_SELECTOR, "#applied-list button").click()
    wait_for(fresh, lambda d: "region=" not in d.current_url and result_titles(d) == before)
    fresh.get(f"{site_url}/search/?q=digital&region=London&type={quote('Case study')}")
    wait_for(fresh, lambda d: len(d.find_elements(By.CSS_SELECTOR, "#applied-list button")) == 2)
    fresh.find_element(By.ID, "clear-filters").click()
    wait_for(fresh, lambda d: d.current_url.endswith("?q=digital") and result_titles(d) == before)


def test_an_unknown_filter_in_the_address_is_reported(fresh, site_url):
    from selenium.webdriver.common.by import By

    fresh.get(f"{site_url}/search/?q=digital&foo=bar")
    wait_for(fresh, lambda d: "result" in status(d))
    notice = fresh.find_element(By.ID, "search-notice")
    assert notice.is_displayed()
    assert notice.text == "We don't know the filter 'foo=bar'; showing results without it."
    fresh.get(f"{site_url}/search/?region=Atlantis")
    wait_for(fresh, lambda d: d.find_element(By.ID, "search-notice").is_displayed())
    assert "'region=Atlantis'; showing all results" in fresh.find_element(By.ID, "search-notice").text


def test_one_announcement_per_settled_search_even_when_the_count_is_unchanged(fresh, site_url):
    from selenium.webdriver.common.by import By

    fresh.get(f"{site_url}/search/")
    wait_for(fresh, lambda d: "Type to search" in status(d))
    time.sleep(1)  # the empty page's own announcement has settled
    fresh.execute_script(LISTEN)
    box = fresh.find_element(By.ID, "search-input")
    for letter in "homelessness":  # a steady typist: each pause long enough for a search to run
        box.send_keys(letter)
        time.sleep(0.25)
    wait_for(fresh, lambda d: d.execute_script("return window.heard.length") >= 1)
    time.sleep(1.5)
    heard = fresh.execute_script("return window.heard")
    assert heard == ["1 result for “homelessness”."], heard
    # A filter that leaves the count as it was is still announced, naming the filter.
    fresh.find_element(By.XPATH, "//summary[starts-with(normalize-space(), 'Type')]").click()
    story = fresh.find_element(By.CSS_SELECTOR, "input[name=type][value='Story']")
    fresh.find_element(By.CSS_SELECTOR, f"label[for='{story.get_attribute('id')}']").click()
    wait_for(fresh, lambda d: d.execute_script("return window.heard.length") >= 2)
    time.sleep(1.5)
    heard = fresh.execute_script("return window.heard")
    assert heard[1:] == ["1 result for “homelessness”, filtered by Type: Story."], heard
    assert fresh.find_element(By.ID, "search-announce").get_attribute("role") == "status"
    assert fresh.find_element(By.ID, "search-status").get_attribute("role") is None  # not a second live region


def test_on_a_phone_results_come_first_and_filters_open_from_a_button(fresh, site_url):
    from selenium.webdriver.common.by import By

    fresh.set_window_size(375, 800)
    fresh.get(f"{site_url}/search/?q=digital")
    wait_for(fresh, lambda d: result_titles(d))
    toggle = fresh.find_element(By.ID, "filter-toggle")
    assert toggle.is_displayed() and toggle.get_attribute("aria-expanded") == "false"
    assert not fresh.find_element(By.ID, "filter-panel").is_displayed()
    first = fresh.find_element(By.CSS_SELECTOR, "#search-results li:first-child")
    assert first.rect["y"] < 600, first.rect  # on the first screen
    toggle.click()
    assert toggle.get_attribute("aria-expanded") == "true"
    assert fresh.find_element(By.ID, "filter-panel").is_displayed()
    # Every option shows: no group scrolls inside itself.
    fresh.find_element(By.XPATH, "//summary[starts-with(normalize-space(), 'Topic')]").click()
    overflow = fresh.execute_script("return [...document.querySelectorAll('.filter fieldset')]"
                                    ".filter(f => f.scrollHeight > f.clientHeight + 1).length")
    assert overflow == 0


def test_the_skip_link_does_not_paint_the_main_area(fresh, site_url):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    fresh.get(f"{site_url}/100-percent-digital-leeds/")
    fresh.find_element(By.TAG_NAME, "body").send_keys(Keys.TAB)
    fresh.switch_to.active_element.send_keys(Keys.ENTER)
    assert fresh.switch_to.active_element.get_attribute("id") == "main"
    style = fresh.execute_script("const s = getComputedStyle(document.getElementById('main'));"
                                 "return [s.backgroundColor, s.boxShadow]")
    assert style == ["rgba(0, 0, 0, 0)", "none"]


def test_at_375_pixels_the_outcomes_can_be_reached_and_show_their_evidence(fresh, site_url):
    from selenium.webdriver.common.by import By

    fresh.set_window_size(375, 800)
    fresh.get(f"{site_url}/100-percent-digital-leeds/")
    region = fresh.find_element(By.CSS_SELECTOR, ".table-scroll")
    assert (region.get_attribute("tabindex"), region.get_attribute("role")) == ("0", "region")
    assert region.get_attribute("aria-label")
    evidence = fresh.find_element(By.CSS_SELECTOR, ".outcomes-table td[data-label=Evidence]")
    box = evidence.rect
    assert box["x"] >= 0 and box["x"] + box["width"] <= 375 and evidence.text == "Self-reported"
    assert fresh.execute_script("const r = document.querySelector('.table-scroll');"
                                "return r.scrollWidth <= r.clientWidth")


AXE_PAGES = {
    "home with the council control": ("/", None),
    "council page": ("/councils/leeds/", None),
    "councils index": ("/councils/", None),
    "empty vocabulary value": ("/council-types/district/", None),
    "topic with its evidence": ("/topics/digital-and-technology/", "details.follow"),
    "evidence page": ("/evidence/", None),
    "how to follow": ("/follow/", None),
    "entry with outcomes": ("/100-percent-digital-leeds/", None),
    "search with filters, tags and a thin result": ("/search/?q=homelessness&type=Story", "details.filter"),
    "search with an unknown filter": ("/search/?q=digital&foo=bar", None),
}


@pytest.mark.parametrize("width", [1280, 375])
@pytest.mark.parametrize("name", list(AXE_PAGES))
def test_no_axe_violations_at_both_widths(fresh, site_url, name, width):
    from selenium.webdriver.common.by import By

    require_tool(AXE.is_file(), "axe-core is needed: run make test (it runs npm ci)")
    fresh.set_script_timeout(30)
    fresh.set_window_size(width, 900)
    path, open_selector = AXE_PAGES[name]
    if name.startswith("home"):
        set_council(fresh, site_url, "Mid Suffolk")  # the control as it is once used
    fresh.get(site_url + path)
    if path.startswith("/search/"):
        wait_for(fresh, lambda d: "result" in status(d))
        if width == 375:
            fresh.find_element(By.ID, "filter-toggle").click()  # the filter panel open
    if open_selector:
        for element in fresh.find_elements(By.CSS_SELECTOR, open_selector):
            fresh.execute_script("arguments[0].open = true", element)
    violations = run_axe(fresh)
    assert violations == [], "\n".join(f"{v['id']}: {v['help']}\n  " + "\n  ".join(v["nodes"]) for v in violations)
