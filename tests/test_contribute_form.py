"""The Contribute page's form in headless Chromium: typed in from the keyboard,
checked in the browser, and the file it hands to GitHub checked again by the
real Python validator. Also: the browser's validator gives the same messages
as the Python one for every fixture, and axe passes with errors showing."""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from casehub.core import rules
from casehub.core.loader import LoadError, load, parse
from casehub.core.schema import published_schema, schema_findings
from casehub.core.validate import validate

from .support import FIXTURES, ROOT, require_tool
from .support.browser import AXE, FOCUS_STATE, SCREENSHOTS, console_errors, run_axe, wait_for
from .support.contribute import (
    ENTRY_ID,
    STORY,
    TITLE,
    by_id,
    check,
    choose,
    fill_story,
    inline_error,
    open_form,
    summary_items,
)

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

PHONE = "020 7946 0018"


def handed_over(browser):
    """The GitHub editor link, split up: (path, query parameters)."""
    href = by_id(browser, "open-github").get_attribute("href")
    parts = urlsplit(href)
    assert (parts.scheme, parts.netloc) == ("https", "github.com")
    return parts.path, parse_qs(parts.query, keep_blank_values=True)


def test_the_choices_come_from_the_published_schema(browser, site_url, project):
    open_form(browser, site_url)
    schema = published_schema(project)
    shown = browser.execute_script(
        "const values = sel => [...document.querySelectorAll(sel)].map(e => e.value);"
        "return {type: values('input[name=type]'), topics: values('input[name=topics]'),"
        " stage: values('input[name=stage]'), region: values('#f-region option').slice(1),"
        " council: values('#f-council-type option').slice(1)}")
    assert shown["type"] == schema["properties"]["type"]["enum"]
    assert shown["topics"] == schema["properties"]["topics"]["items"]["enum"]
    assert shown["stage"] == schema["properties"]["stage"]["enum"]
    assert shown["region"] == schema["properties"]["geography"]["properties"]["region"]["enum"]
    assert shown["council"] == schema["properties"]["geography"]["properties"]["council_type"]["enum"]
    labels = browser.execute_script(
        "return [...document.querySelectorAll('#type-options label')].map(l => l.textContent)")
    assert labels == [t["label"] for t in project.vocabularies["types"].items]
    assert console_errors(browser) == []  # nothing blocked by the Content-Security-Policy


def test_checking_an_empty_form_shows_the_error_summary_and_focuses_it(browser, site_url):
    open_form(browser, site_url)
    check(browser)
    assert browser.switch_to.active_element.get_attribute("id") == "error-summary"
    assert browser.title.startswith("Error: ")
    items = summary_items(browser)
    for expected in ("Choose what kind of entry it is", "Enter a title", "Enter a summary",
                     "Enter the lead organisation's name", "Choose a nation", "Choose a region",
                     "Choose at least one topic", "Choose how far the work has got",
                     "Enter the team or role to contact", "Enter the team's shared mailbox or its contact page",
                     "Enter a file name for the entry"):
        assert expected in items
    assert items.index("Choose what kind of entry it is") < items.index("Enter a title") \
        < items.index("Enter a file name for the entry")  # in the order of the form
    # Each message is also beside its field, and the field points to it.
    assert "Enter a title" in inline_error(browser, "f-title")
    title = by_id(browser, "f-title")
    assert "f-title-error" in title.get_attribute("aria-describedby").split()
    assert title.get_attribute("aria-invalid") == "true"
    topics = by_id(browser, "w-topics")
    assert "w-topics-error" in topics.get_attribute("aria-describedby").split()
    # Every link in the summary leads to a field that exists.
    targets = browser.execute_script(
        "return [...document.querySelectorAll('#error-list a')].map(a => !!document.querySelector(a.hash))")
    assert targets and all(targets)


def test_an_error_link_moves_focus_to_its_field(browser, site_url):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    open_form(browser, site_url)
    check(browser)
    link = browser.find_element(By.XPATH, "//ul[@id='error-list']//a[.='Enter a summary']")
    link.send_keys(Keys.ENTER)
    assert browser.switch_to.active_element.get_attribute("id") == "f-summary"


def test_a_short_summary_gets_the_validators_message_and_the_counter_says_so(browser, site_url):
    open_form(browser, site_url)
    by_id(browser, "f-summary").send_keys("Too short.")
    assert by_id(browser, "f-summary-count").text == "Write at least 20 characters more"
    check(browser)
    assert "Summary must be 30 characters or more" in summary_items(browser)
    assert inline_error(browser, "f-summary") == "Error: Summary must be 30 characters or more"


def test_an_email_address_in_the_body_is_flagged_without_repeating_it(browser, site_url):
    open_form(browser, site_url)
    fill_story(browser, story=STORY + "\n\nFor details write to jo.bloggs@example.com any time.")
    check(browser)
    assert "Your story: remove what looks like an e-mail address — entries are public" in summary_items(browser)
    message = inline_error(browser, "f-body")
    assert "entries are public" in message
    assert "jo.bloggs" not in message and not any("jo.bloggs" in item for item in summary_items(browser))
    assert by_id(browser, "ready").get_attribute("hidden") is not None  # nothing to hand over


def test_a_phone_number_in_the_body_is_a_personal_data_warning_that_does_not_repeat_it(browser, site_url):
    open_form(browser, site_url)
    fill_story(browser, story=STORY + f"\n\nResidents can ring Pat on {PHONE} to book.")
    check(browser)
    items = summary_items(browser)
    assert "Your story: remove what looks like a UK phone number — entries are public" in items
    message = inline_error(browser, "f-body")
    assert message == "Error: Your story: remove what looks like a UK phone number — entries are public"
    errors = browser.execute_script(
        "return [...document.querySelectorAll('.error-summary, .error-message')].map(e => e.textContent).join(' ')")
    assert "7946" not in errors
    assert PHONE in by_id(browser, "preview-body").text  # the preview shows the text as written


def test_the_whole_form_can_be_filled_from_the_keyboard_alone(browser, site_url):
    """Tab, arrows, space and typing only, sent to whatever has focus; every stop visibly focused."""
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.keys import Keys

    open_form(browser, site_url)
    stops = []

    def keys(*pressed):
        ActionChains(browser).send_keys(*pressed).perform()

    def tab_to(element_id):
        for _ in range(40):
            keys(Keys.TAB)
            state = browser.execute_script(FOCUS_STATE)
            stops.append(state)
            assert state["visible"], f"no visible focus on {state}"
            if state["id"] == element_id:
                return
        raise AssertionError(f"Tab never reached {element_id}: {[s['id'] for s in stops[-40:]]}")

    browser.execute_script("document.getElementById('form-heading').scrollIntoView()")
    browser.find_element("css selector", "input[name=type]").click()  # focus (and choose) the first type
    keys(Keys.ARROW_DOWN)  # arrows move through a radio group: now a story
    tab_to("f-title")
    keys(TITLE)
    tab_to("f-summary")
    keys("Residents borrow plug-in energy monitors from any library, and most cut their use.")
    tab_to("f-organisations-1-name")
    keys("Testshire County Council")
    tab_to("f-nation")
    keys("England")
    tab_to("f-region")
    keys("South West")
    tab_to("f-topics-climate-and-environment")
    keys(Keys.SPACE)
    tab_to("f-stage-idea")
    keys(Keys.ARROW_DOWN, Keys.ARROW_DOWN, Keys.ARROW_DOWN)  # idea, discovery, pilot, live
    tab_to("f-body")
    keys(STORY)
    tab_to("f-contact-team")
    keys("Libraries team")
    tab_to("f-contact-email")
    keys("libraries@testshire.example.gov.uk")
    tab_to("check")
    keys(Keys.ENTER)
    wait_for(browser, lambda d: not d.find_element("id", "ready").get_attribute("hidden"))
    assert summary_items(browser) == []
    _, query = handed_over(browser)
    text = query["value"][0]
    assert "stage: live" in text and "type: story" in text and "region: south-west" in text
    order = [s["id"] for s in stops]
    assert order.index("f-title") < order.index("f-organisations-1-role") < order.index("f-council-type") \
        < order.index("f-published-day") < order.index("f-published-year") < order.index("add-outcomes") \
        < order.index("add-links") < order.index("f-id") < order.index("check")


def test_an_empty_story_and_a_pasted_control_character_are_refused(browser, site_url):
    open_form(browser, site_url)
    fill_story(browser, story="")
    check(browser)
    assert summary_items(browser) == ["Write the text of the entry"]
    browser.execute_script("const box = document.getElementById('f-body');"
                           "box.value = 'Pasted from a web page \u202e with a hidden override.';"
                           "box.dispatchEvent(new Event('input', {bubbles: true}))")
    check(browser)
    assert summary_items(browser) == [
        "Your story: the file contains a bidirectional-text control character (U+202E)"]


def test_the_body_boxes_follow_the_type_and_keep_what_was_typed(browser, site_url, project):
    open_form(browser, site_url)
    boxes = "return [...document.querySelectorAll('#body-fields label')].map(l => l.textContent)"
    choose(browser, "type", "case-study")
    sections = project.vocabularies["types"].by_id["case-study"]["sections"]
    assert browser.execute_script(boxes) == sections
    by_id(browser, "f-body-context").send_keys("A large rural county.")
    choose(browser, "type", "what-didnt-work")
    assert browser.execute_script(boxes) == project.vocabularies["types"].by_id["what-didnt-work"]["sections"]
    assert by_id(browser, "f-body-context").get_attribute("value") == "A large rural county."
    choose(browser, "type", "story")
    assert browser.execute_script(boxes) == ["Your story", "Lessons learned (optional)"]


def test_a_complete_entry_opens_github_with_a_file_the_python_validator_accepts(browser, site_url, new_project):
    open_form(browser, site_url)
    fill_story(browser)
    by_id(browser, "add-outcomes").click()
    by_id(browser, "f-outcomes-1-measure").send_keys("Households that borrowed a monitor")
    by_id(browser, "f-outcomes-1-value").send_keys("412")
    by_id(browser, "f-outcomes-1-unit").send_keys("households")
    by_id(browser, "f-outcomes-1-evidence").send_keys("Self")
    assert by_id(browser, "f-id").get_attribute("value") == ENTRY_ID  # suggested from the title
    check(browser)
    assert summary_items(browser) == [] and browser.title == "Contribute – Casehub"
    assert browser.switch_to.active_element.get_attribute("id") == "ready"
    path, query = handed_over(browser)
    assert path == "/casehub-uk/casehub/new/main"
    assert query["filename"] == [f"casestudies/{ENTRY_ID}.md"]
    text = query["value"][0]
    assert text == by_id(browser, "file-text").get_attribute("value")  # the copy is the same file
    project = new_project({f"{ENTRY_ID}.md": text})
    report = validate(project)
    assert report.checked == 1 and report.findings == [], "\n".join(map(str, report.findings))
    meta = report.documents[0].metadata
    assert meta["title"] == TITLE and meta["type"] == "story" and meta["status"] == "draft"
    assert meta["geography"] == {"nation": "england", "region": "south-west", "council_type": "county"}
    assert meta["outcomes"] == [{"measure": "Households that borrowed a monitor", "value": 412,
                                 "unit": "households", "evidence": "self-reported"}]
    assert report.documents[0].body.strip() == STORY
    assert console_errors(browser) == []


def test_hostile_text_round_trips_exactly(browser, site_url, new_project):
    from selenium.webdriver.common.keys import Keys

    title = 'He said "yes": #1 of 2 \\n C:\\temp\\ a < b > c &lt;i&gt; \'ok\' - [x] {y} & |z|'  # (tags: refused)
    organisation = "Council of \"Quotes\": & #hashes, ---, *stars* and 'apostrophes'"
    story = STORY + '\n\n---\ntitle: "Hijacked"\nstatus: published\n---\n\nStill the body.'
    open_form(browser, site_url)
    fill_story(browser, title=title, story=story)
    by_id(browser, "f-title").send_keys(Keys.ENTER)  # a newline attempt: Enter checks the form instead
    by_id(browser, "f-organisations-1-name").clear()
    by_id(browser, "f-organisations-1-name").send_keys(organisation)
    by_id(browser, "f-summary").send_keys(Keys.ENTER, "A second line: # with --- and \"quotes\" \\ too.")
    check(browser)
    assert summary_items(browser) == []
    _, query = handed_over(browser)
    text, entry_id = query["value"][0], query["filename"][0][len("casestudies/"):-3]
    document = parse(text.encode("utf-8"))
    assert document.metadata["title"] == title
    assert document.metadata["organisations"][0]["name"] == organisation
    assert document.metadata["summary"].endswith("within a month. A second line: # with --- and \"quotes\" \\ too.")
    assert document.body.strip() == story and document.metadata["status"] == "draft"
    assert browser.execute_script(  # user text is only ever text: no element came from it
        "return document.querySelectorAll('#preview-body *:not(h3, h4, p, div, dl, dt, dd)').length") == 0
    report = validate(new_project({f"{entry_id}.md": text}))
    assert report.findings == [], "\n".join(map(str, report.findings))


def test_a_long_entry_is_copied_then_pasted_into_githubs_editor(browser, site_url, new_project, project):
    open_form(browser, site_url)
    fill_story(browser)
    choose(browser, "type", "case-study")
    paragraph = "We worked with residents and staff to change the service, one step at a time. " * 20
    for name in project.vocabularies["types"].by_id["case-study"]["sections"]:
        box = browser.execute_script("return [...document.querySelectorAll('#body-fields textarea')]"
                                     ".find(b => b.dataset.section === arguments[0])", name)
        browser.execute_script("arguments[0].value = arguments[1]; arguments[0].dispatchEvent(new Event('input', "
                               "{bubbles: true}))", box, paragraph)
        box.send_keys(" The end.")
    check(browser)
    assert summary_items(browser) == []
    path, query = handed_over(browser)
    assert "value" not in query and query["filename"] == [f"casestudies/{ENTRY_ID}.md"]  # too long for GitHub's address
    assert by_id(browser, "step-paste").is_displayed() and not by_id(browser, "github-empty-hint").is_displayed()
    text = by_id(browser, "file-text").get_attribute("value")
    report = validate(new_project({f"{ENTRY_ID}.md": text}))
    assert report.findings == [], "\n".join(map(str, report.findings))
    assert [line for line in text.split("\n") if line.startswith("## ")] == \
        [f"## {name}" for name in project.vocabularies["types"].by_id["case-study"]["sections"]]


def test_changing_a_checked_entry_keeps_the_hand_over_in_step(browser, site_url):
    open_form(browser, site_url)
    fill_story(browser)
    check(browser)
    by_id(browser, "f-body").send_keys(f" Ring {PHONE}.")
    wait_for(browser, lambda d: d.find_element("id", "ready-stale").is_displayed())
    assert not by_id(browser, "open-github").is_displayed()


def test_an_id_already_used_on_the_site_is_refused(browser, site_url):
    open_form(browser, site_url)
    fill_story(browser)
    by_id(browser, "f-id").clear()
    by_id(browser, "f-id").send_keys("stockport-digital-strategy")
    check(browser)
    assert ("File name is already used by a page on this site: choose a more specific file name, such as "
            "'stockport-digital-strategy-" in summary_items(browser)[0])


def test_axe_passes_with_the_error_summary_and_with_the_hand_over(browser, site_url):
    require_tool(AXE.is_file(), "axe-core is needed: run make test (it runs npm ci)")
    browser.set_script_timeout(30)
    open_form(browser, site_url)
    by_id(browser, "f-summary").send_keys("Too short.")
    choose(browser, "type", "case-study")
    check(browser)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    browser.save_screenshot(str(SCREENSHOTS / "contribute-errors.png"))
    violations = run_axe(browser)
    assert violations == [], violations
    open_form(browser, site_url)
    fill_story(browser)
    check(browser)
    browser.save_screenshot(str(SCREENSHOTS / "contribute-ready.png"))
    violations = run_axe(browser)
    assert violations == [], violations


# --- The browser's validator against the Python one -------------------------

RUN_CHECKS = """
const [schema, meta, body, term, type] = arguments;
const done = arguments[arguments.length - 1];
import(new URL('/theme/js/contribute.js', location.href).href)
  .then(m => done([...m.validate(schema, meta), ...m.ruleFindings(meta, body, term, type)]
    .map(f => [f.rule, f.pointer, f.message, f.hint])))
  .catch(e => done([['error', '', String(e), '']]));
"""
# No dates but published; no image files; nor the library's other entries; the form never starts
# from an example's text, and asks for no GSS code (so never needs the council register). (render-limit
# guards the build against pathological bodies: the pull request's check reports it.)
NOT_IN_THE_BROWSER = {"date-order", "image-exists", "image-type", "entry-link", "example-text", "known-council",
                      "render-limit"}


def python_findings(document, project):
    found = schema_findings(document, project) + rules.check_document(document, project)
    return sorted({(f.rule, f.pointer, f.message, f.hint) for f in found if f.rule not in NOT_IN_THE_BROWSER})


def browser_findings(browser, schema, document, project):
    term = project.vocabularies["types"].by_id.get(document.metadata.get("type")) \
        if isinstance(document.metadata.get("type"), str) else None
    found = browser.execute_async_script(RUN_CHECKS, schema, json.loads(json.dumps(document.metadata)),
                                         document.body, term, document.metadata.get("type"))
    return sorted({tuple(f) for f in found})


def test_the_browser_gives_the_python_validators_messages_for_every_fixture(browser, site_url, project):
    open_form(browser, site_url)
    browser.set_script_timeout(30)
    schema = published_schema(project)
    compared = 0
    for path in sorted((FIXTURES / "invalid").glob("*.md")):
        try:
            document = load(path)
        except LoadError:
            continue  # the loader's findings: the form writes files the loader reads
        expected = python_findings(document, project)
        assert browser_findings(browser, schema, document, project) == expected, path.name
        compared += bool(expected)
    assert compared >= 30


@pytest.mark.parametrize("folder", ["casestudies", "examples", "tests/fixtures/valid"])
def test_the_browser_finds_nothing_in_valid_entries(browser, site_url, project, folder):
    open_form(browser, site_url)
    schema = published_schema(project)
    for path in sorted(Path(ROOT / folder).glob("*.md")):
        document = load(path)
        assert browser_findings(browser, schema, document, project) == python_findings(document, project) == [], path
