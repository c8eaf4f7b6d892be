"""Search in a real browser: headless Chromium over loopback, against the
built sample library, under the site's Content-Security-Policy.

Runs wherever Chromium and ChromeDriver are installed; in CI (CI or
CASEHUB_REQUIRE_BROWSER set) a missing browser fails the run instead of skipping."""

from __future__ import annotations

from urllib.parse import quote

import pytest

from .support.browser import FOCUS_STATE, console_errors, result_titles, status, wait_for

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]


def test_typing_a_query_finds_the_entry(browser, site_url):
    from selenium.webdriver.common.by import By

    browser.get_log("browser")  # drop messages from earlier tests in this browser
    browser.get(f"{site_url}/search/")
    wait_for(browser, lambda d: "Type to search" in status(d))
    browser.find_element(By.ID, "search-input").send_keys("Hackney cyber")
    wait_for(browser, lambda d: result_titles(d))
    assert any("Hackney" in title for title in result_titles(browser))
    assert "Hackney" in browser.current_url  # the query is in the address, to share
    assert console_errors(browser) == []  # nothing blocked by the Content-Security-Policy


def test_a_filter_narrows_the_results(browser, site_url):
    from selenium.webdriver.common.by import By

    browser.get(f"{site_url}/search/?q=digital")
    wait_for(browser, lambda d: len(result_titles(d)) > 2)
    before = result_titles(browser)
    browser.find_element(By.XPATH, "//summary[starts-with(normalize-space(), 'Region')]").click()
    london = browser.find_element(By.CSS_SELECTOR, "input[name=region][value='London']")
    browser.find_element(By.CSS_SELECTOR, f"label[for='{london.get_attribute('id')}']").click()
    wait_for(browser, lambda d: result_titles(d) != before and result_titles(d))
    after = result_titles(browser)
    assert 0 < len(after) < len(before)
    assert set(after) <= set(before)
    assert "region=London" in browser.current_url


def test_the_address_restores_a_search(browser, site_url):
    from selenium.webdriver.common.by import By

    browser.get(f"{site_url}/search/?q={quote('community')}&type={quote('How-to')}&sort=date")
    wait_for(browser, lambda d: result_titles(d))
    assert browser.find_element(By.ID, "search-input").get_attribute("value") == "community"
    how_to = browser.find_element(By.CSS_SELECTOR, "input[name=type][value='How-to']")
    assert how_to.is_selected()
    assert browser.find_element(By.ID, "search-sort").get_attribute("value") == "date"
    for link in browser.find_elements(By.CSS_SELECTOR, "#search-results h2 a"):
        assert "how-to" in link.get_attribute("href")


def test_no_results_says_what_to_try(browser, site_url):
    browser.get(f"{site_url}/search/?q=zzzxqy")
    wait_for(browser, lambda d: "No results" in status(d))
    assert "browse" in browser.find_element("id", "search-results").text


def test_archived_entries_are_not_in_search(browser, site_url):
    browser.get(f"{site_url}/search/?q=casserole")
    wait_for(browser, lambda d: "result" in status(d).lower())
    assert not any("Casserole" in title for title in result_titles(browser))


def test_keyboard_reaches_the_search_box_and_results(browser, site_url):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    browser.get(f"{site_url}/search/")
    wait_for(browser, lambda d: "Type to search" in status(d))
    body = browser.find_element(By.TAG_NAME, "body")
    body.send_keys(Keys.TAB)
    skip = browser.switch_to.active_element
    assert skip.get_attribute("class") == "skip-link"
    assert skip.value_of_css_property("left") == "0px"  # visible when focused
    skip.send_keys(Keys.ENTER)
    active = browser.switch_to.active_element
    for _ in range(3):
        if active.get_attribute("id") == "search-input":
            break
        active.send_keys(Keys.TAB)
        active = browser.switch_to.active_element
    assert active.get_attribute("id") == "search-input"
    active.send_keys("Leeds", Keys.ENTER)
    wait_for(browser, lambda d: result_titles(d))
    assert any("Leeds" in t for t in result_titles(browser))


def test_keyboard_order_and_visible_focus_on_search(browser, site_url):
    """Tab through the whole search page: a sensible order, and every stop visibly focused."""
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.keys import Keys

    browser.get(f"{site_url}/search/?q=digital")
    wait_for(browser, lambda d: len(result_titles(d)) > 2)
    stops = []
    for _ in range(120):
        ActionChains(browser).send_keys(Keys.TAB).perform()
        state = browser.execute_script(FOCUS_STATE)
        if state["tag"] == "body" or (stops and state == stops[0]):
            break
        stops.append(state)
    assert stops[0]["cls"] == "skip-link"
    kinds = []
    for stop in stops:
        kind = ("skip" if stop["cls"] == "skip-link" else "input" if stop["id"] == "search-input"
                else "council" if stop["inCouncil"]
                else "more" if stop["id"] == "search-more" else "button" if stop["tag"] == "button"
                else "sort" if stop["id"] == "search-sort"
                else "filter" if stop["tag"] in ("input", "summary") else "result" if stop["inResults"]
                else "header" if not kinds or kinds[-1] in ("skip", "header") else "footer")
        kinds.append(kind)
        assert stop["visible"], f"no visible focus on {stop}"
    order = [k for i, k in enumerate(kinds) if i == 0 or kinds[i - 1] != k]
    more = browser.execute_script("return !document.getElementById('search-more').hidden")
    expected = (["skip", "header", "input", "button", "council", "sort", "filter", "result"] + ["more"] * more
                + ["footer"])
    assert order == expected, order


def test_filters_and_sort_work_from_the_keyboard(browser, site_url):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    browser.get(f"{site_url}/search/?q=digital")
    wait_for(browser, lambda d: len(result_titles(d)) > 2)
    before = result_titles(browser)
    region = browser.find_element(By.XPATH, "//summary[starts-with(normalize-space(), 'Region')]")
    browser.execute_script("arguments[0].focus()", region)
    region.send_keys(Keys.ENTER)  # opens the group
    box = browser.find_element(By.CSS_SELECTOR, "input[name=region][value='London']")
    assert box.is_displayed()
    box.send_keys(Keys.SPACE)
    wait_for(browser, lambda d: "region=London" in d.current_url and result_titles(d) != before)
    sort = browser.find_element(By.ID, "search-sort")
    browser.execute_script("arguments[0].focus()", sort)
    sort.send_keys(Keys.ARROW_DOWN)
    wait_for(browser, lambda d: "sort=date" in d.current_url)
    dates = browser.execute_script(
        "return [...document.querySelectorAll('#search-results time')].map(t => t.getAttribute('datetime'))")
    assert dates == sorted(dates, reverse=True) and dates


def test_results_come_ten_at_a_time_and_show_more_continues_from_the_new_ones(browser, site_url):
    from selenium.webdriver.common.by import By

    # A filter with no query lists every entry that has it: all of the sample library's types together.
    browser.get(f"{site_url}/search/?" + "&".join(f"type={quote(t)}" for t in
                                                  ("Case study", "How-to", "Story", "What didn't work")))
    wait_for(browser, lambda d: "result" in status(d))
    total = int(status(browser).split()[0])
    assert total > 10, status(browser)
    assert len(result_titles(browser)) == 10
    assert "showing the first 10" in status(browser)
    more = browser.find_element(By.ID, "search-more")
    assert more.is_displayed()
    more.click()
    wait_for(browser, lambda d: len(result_titles(d)) == min(total, 20))
    eleventh = browser.find_elements(By.CSS_SELECTOR, "#search-results > li h2 a")[10]
    assert browser.switch_to.active_element == eleventh
    assert len(set(result_titles(browser))) == len(result_titles(browser))  # no result twice
    if total <= 20:
        assert not more.is_displayed()
