"""Helpers shared by the tests of contribute form (moved out of tests/test_contribute_form.py)."""

from __future__ import annotations

from .browser import wait_for

TITLE = "Testshire libraries lend energy monitors to residents"


ENTRY_ID = "testshire-libraries-lend-energy-monitors-to-residents"


STORY = ("Any resident can borrow a plug-in energy monitor from a Testshire library for three weeks.\n\n"
         "Most borrowers said they changed at least one habit, such as switching off standby.")


def by_id(browser, element_id):
    from selenium.webdriver.common.by import By

    return browser.find_element(By.ID, element_id)


def open_form(browser, site_url, keep_draft=False):
    """The Contribute page, with no draft from an earlier test (unless `keep_draft`)."""
    browser.get_log("browser")  # drop messages from earlier tests in this browser
    if not keep_draft:
        browser.get(f"{site_url}/404.html")  # leaving a form saves its draft: clear drafts away from it
        browser.execute_script("localStorage.clear()")
    browser.get(f"{site_url}/contribute/")
    wait_for(browser, lambda d: d.execute_script("return !document.getElementById('entry-form').hidden"))


def choose(browser, name, value):
    """Tick a radio button or checkbox from the keyboard."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    browser.find_element(By.CSS_SELECTOR, f"input[name='{name}'][value='{value}']").send_keys(Keys.SPACE)


CHECKS = ("const f = document.getElementById('entry-form').dataset;"
          "return [+(f.checksStarted || 0), +(f.checksDone || 0)]")


def check(browser):
    """Press the check button with the keyboard; wait until that check (the latest) has shown its result."""
    from selenium.webdriver.common.keys import Keys

    wait_for(browser, lambda d: len(set(d.execute_script(CHECKS))) == 1)  # none still waiting for the sitemap
    before = browser.execute_script(CHECKS)[0]
    by_id(browser, "check").send_keys(Keys.ENTER)
    wait_for(browser, lambda d: (lambda started, done: done == started > before)(*d.execute_script(CHECKS)))


def summary_items(browser):
    return browser.execute_script(
        "return [...document.querySelectorAll('#error-list li')].map(li => li.textContent)")


def inline_error(browser, element_id):
    return browser.execute_script(
        "const m = document.getElementById(arguments[0]).closest('.field').querySelector('.error-message');"
        "return m ? m.textContent : ''", element_id)


def fill_story(browser, story=STORY, title=TITLE):
    """Every required field, by typing: a story, so there is one body box."""
    choose(browser, "type", "story")
    by_id(browser, "f-title").send_keys(title)
    by_id(browser, "f-summary").send_keys("Residents borrow plug-in energy monitors from any library, "
                                          "and most cut their electricity use within a month.")
    by_id(browser, "f-organisations-1-name").send_keys("Testshire County Council")
    by_id(browser, "f-nation").send_keys("England")
    by_id(browser, "f-region").send_keys("South West")
    by_id(browser, "f-council-type").send_keys("County")
    choose(browser, "topics", "climate-and-environment")
    choose(browser, "stage", "live")
    by_id(browser, "f-body").send_keys(story)
    by_id(browser, "f-contact-team").send_keys("Libraries team")
    by_id(browser, "f-contact-email").send_keys("libraries@testshire.example.gov.uk")
