"""The Contribute page's routes, driven in headless Chromium to the point of hand-over and
then through the facilitator's side: the no-account route (a downloaded file and an
e-mail, a long entry whole; the publisher's form handler), the GitHub route (the issue
form's address, converted as GitHub would send it), a draft that survives a reload, the
day, month and year date, rows added and removed from the keyboard, and axe at 375 px."""

from __future__ import annotations

import email
import email.policy
import json
import threading
import time
from email.message import EmailMessage
from http.server import BaseHTTPRequestHandler, HTTPServer
from urllib.parse import parse_qs, unquote, urlsplit

import pytest
import yaml
from click.testing import CliRunner

from casehub.cli import cli
from casehub.contribute.issueform import convert_issue
from casehub.core.loader import load, parse
from casehub.core.validate import validate
from casehub.site.build import build, make_server

from .support import ROOT, make_project, require_tool
from .support.browser import AXE, console_errors, run_axe, wait_for
from .support.contribute import ENTRY_ID, by_id, check, choose, fill_story, inline_error, open_form, summary_items

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

PARAGRAPH = "We worked with residents and staff to change the service, one step at a time. " * 20
ISSUE_FORM = ROOT / ".github" / "ISSUE_TEMPLATE" / "share-a-case-study.yml"


def value(browser, element_id):
    return by_id(browser, element_id).get_attribute("value")


def fill_case_study(browser, project):
    """A story's fields, then a case study's six sections, each long: a long entry."""
    fill_story(browser)
    choose(browser, "type", "case-study")
    for name in project.vocabularies["types"].by_id["case-study"]["sections"]:
        box = browser.execute_script("return [...document.querySelectorAll('#body-fields textarea')]"
                                     ".find(b => b.dataset.section === arguments[0])", name)
        browser.execute_script("arguments[0].value = arguments[1]; arguments[0].dispatchEvent(new Event('input', "
                               "{bubbles: true}))", box, PARAGRAPH)
        box.send_keys(f" The end of {name.lower()}.")


def paste(browser, element_id, text):
    browser.execute_script(
        "const data = new DataTransfer(); data.setData('text/plain', arguments[1]);"
        "document.getElementById(arguments[0]).dispatchEvent(new ClipboardEvent('paste',"
        " {clipboardData: data, bubbles: true, cancelable: true}))", element_id, text)


def add_entry(project, *args, data=None):
    return CliRunner().invoke(cli, ["--root", str(project.root), "add", *args], input=data)


# The page ----------------------------------------------------------------------------


@pytest.mark.parametrize("width, height", [(1280, 1000), (375, 812)])
def test_the_form_comes_first_and_the_git_route_after_it(browser, site_url, width, height):
    browser.set_window_size(width, height)
    try:
        open_form(browser, site_url)
        tops = browser.execute_script(
            "const top = id => document.getElementById(id).getBoundingClientRect().top + scrollY;"
            "return {form: top('form-heading'), field: document.querySelector('input[name=type]')"
            ".getBoundingClientRect().top + scrollY, git: top('send-it-with-git'), check: top('check'),"
            " screen: innerHeight}")
        assert tops["form"] < tops["screen"] * 0.8, tops  # the form starts on the first screen...
        assert tops["field"] < tops["screen"] * (0.8 if width > 400 else 1.2), tops  # ...its first question too
        assert tops["git"] > tops["check"], tops  # the git route comes after the form
        routes = browser.execute_script("return [...document.querySelectorAll('.routes li')].map(li => li.textContent)")
        assert [route.split(":")[0].strip() for route in routes] == ["No GitHub account", "A GitHub account", "Git"]
        assert "You need only e-mail" in routes[0] and "casehub new" in routes[2]
    finally:
        browser.set_window_size(1280, 1000)


# Drafts --------------------------------------------------------------------------------

FIELDS = ("return [...document.querySelectorAll('#entry-form input, #entry-form select, #entry-form textarea')]"
          ".filter(e => e.id && !e.closest('#ready'))"
          ".map(e => [e.id, e.type === 'radio' || e.type === 'checkbox' ? e.checked : e.value])")


def test_a_reload_puts_back_every_field_including_rows_and_the_date(browser, site_url):
    open_form(browser, site_url)
    fill_story(browser)
    by_id(browser, "add-organisations").click()
    by_id(browser, "f-organisations-2-name").send_keys("Testshire Energy Trust")
    by_id(browser, "f-organisations-2-role").send_keys("Funder")
    by_id(browser, "add-outcomes").click()
    by_id(browser, "f-outcomes-1-measure").send_keys("Households that borrowed a monitor")
    by_id(browser, "add-links").click()
    by_id(browser, "f-links-1-url").send_keys("https://www.testshire.example.gov.uk/monitors")
    by_id(browser, "f-tags").send_keys("Energy monitors, libraries")
    paste(browser, "f-published-day", "31/03/2025")
    wait_for(browser, lambda d: "Saved in this browser" in d.find_element("id", "draft-status").text)
    before = browser.execute_script(FIELDS)
    browser.refresh()
    wait_for(browser, lambda d: d.execute_script("return !document.getElementById('entry-form').hidden"))
    after = browser.execute_script(FIELDS)
    assert after == before
    assert value(browser, "f-organisations-2-role") == "funder"
    assert [value(browser, f"f-published-{part}") for part in ("day", "month", "year")] == ["31", "3", "2025"]
    assert by_id(browser, "form-status").text.startswith("We put back the entry you were writing (last saved on ")
    # "Start again" asks first, then empties the form for good.
    by_id(browser, "clear-draft").click()
    browser.switch_to.alert.dismiss()
    assert value(browser, "f-title") != ""
    by_id(browser, "clear-draft").click()
    browser.switch_to.alert.accept()
    wait_for(browser, lambda d: d.execute_script("return !document.getElementById('entry-form').hidden"))
    assert value(browser, "f-title") == "" and browser.execute_script("return localStorage.length") == 0
    assert by_id(browser, "form-status").text == ""
    assert console_errors(browser) == []


LEAVE = ("const event = new Event('beforeunload', {cancelable: true}); window.dispatchEvent(event);"
         "return event.defaultPrevented")


def test_leaving_asks_first_only_when_the_browser_cannot_keep_the_work(browser, site_url):
    open_form(browser, site_url)
    assert browser.execute_script(LEAVE) is False  # an empty form
    by_id(browser, "f-title").send_keys("Testshire libraries lend energy monitors")
    wait_for(browser, lambda d: "Saved in this browser" in d.find_element("id", "draft-status").text)
    assert browser.execute_script(LEAVE) is False  # saved: leaving loses nothing
    browser.execute_script("Storage.prototype.setItem = () => {"
                           " throw new DOMException('full', 'QuotaExceededError'); }")
    by_id(browser, "f-title").send_keys(" to residents")
    wait_for(browser, lambda d: "not keeping a copy" in d.find_element("id", "draft-status").text)
    assert browser.execute_script(LEAVE) is True  # unsaved work: the browser asks before leaving
    browser.execute_script("document.getElementById('f-title').value = '';"
                           "document.getElementById('f-id').value = '';"
                           "document.getElementById('entry-form').dispatchEvent(new Event('input'))")
    time.sleep(0.3)
    assert browser.execute_script(LEAVE) is False  # nothing left to lose
    browser.refresh()  # a fresh page has the real setItem again


# The date ------------------------------------------------------------------------------


def test_the_date_is_day_month_year_and_takes_a_pasted_or_typed_uk_date(browser, site_url, new_project):
    from selenium.webdriver.common.keys import Keys

    open_form(browser, site_url)
    fill_story(browser)
    for part in ("day", "month", "year"):
        by_id(browser, f"f-published-{part}").clear()
    by_id(browser, "f-published-day").send_keys("31/03/2025", Keys.TAB)  # typed whole into the day box
    assert [value(browser, f"f-published-{part}") for part in ("day", "month", "year")] == ["31", "3", "2025"]
    by_id(browser, "f-published-month").clear()
    check(browser)
    assert summary_items(browser) == ["Date to publish it must include a month"]
    assert browser.execute_script("return document.querySelector('#error-list a').hash") == "#f-published-month"
    assert inline_error(browser, "f-published-day") == "Error: Date to publish it must include a month"
    paste(browser, "f-published-year", "31 February 2025")
    check(browser)
    assert summary_items(browser) == ["Date to publish it must be a real date"]
    paste(browser, "f-published-month", "2025-03-31")
    check(browser)
    assert summary_items(browser) == []
    text = by_id(browser, "file-text").get_attribute("value")
    assert "\npublished: 2025-03-31\n" in text
    assert validate(new_project({f"{ENTRY_ID}.md": text})).findings == []


# Rows ----------------------------------------------------------------------------------


def test_rows_are_added_and_removed_from_the_keyboard_with_focus_and_announcements(browser, site_url):
    from selenium.webdriver.common.keys import Keys

    open_form(browser, site_url)
    assert not by_id(browser, "w-organisations-1").find_elements("css selector", ".remove-row:not([hidden])")
    by_id(browser, "add-organisations").send_keys(Keys.ENTER)
    assert browser.switch_to.active_element.get_attribute("id") == "f-organisations-2-name"
    assert browser.execute_script("return document.getElementById('rows-live').textContent") == "Organisation 2 added"
    assert value(browser, "f-organisations-2-role") == "partner"
    by_id(browser, "f-organisations-2-name").send_keys("Second partner")
    by_id(browser, "add-organisations").send_keys(Keys.ENTER)
    by_id(browser, "f-organisations-3-name").send_keys("Third partner")
    remove = browser.find_element("css selector", "#w-organisations-2 .remove-row")
    assert remove.text == "Remove organisation 2"
    remove.send_keys(Keys.ENTER)
    assert browser.switch_to.active_element.get_attribute("id") == "add-organisations"
    assert browser.execute_script("return document.getElementById('rows-live').textContent") == "Organisation 2 removed"
    assert value(browser, "f-organisations-2-name") == "Third partner"  # renumbered
    assert browser.execute_script("return document.querySelector('label[for=f-organisations-2-name]') !== null")


def test_several_organisations_outcomes_links_and_keywords_reach_the_file(browser, site_url, new_project):
    open_form(browser, site_url)
    fill_story(browser)
    by_id(browser, "add-organisations").click()
    by_id(browser, "f-organisations-2-name").send_keys("Testshire Energy Trust")
    by_id(browser, "f-organisations-2-role").send_keys("Funder")
    for number, (measure, result, unit, baseline) in enumerate(
            [("Households that borrowed a monitor", "412", "households", ""),
             ("Average electricity use", "7.5", "kWh a day", "9")], start=1):
        by_id(browser, "add-outcomes").click()
        for key, text in (("measure", measure), ("value", result), ("unit", unit), ("baseline", baseline),
                          ("period", "first 6 months")):
            by_id(browser, f"f-outcomes-{number}-{key}").send_keys(text)
        by_id(browser, f"f-outcomes-{number}-evidence").send_keys("Internal")
    by_id(browser, "f-outcomes-2-source").send_keys("camden.gov.uk/data")
    by_id(browser, "add-links").click()
    by_id(browser, "f-links-1-title").send_keys("Evaluation report")
    by_id(browser, "f-links-1-url").send_keys("https://www.testshire.example.gov.uk/report")
    by_id(browser, "f-tags").send_keys("Energy monitors, Libraries, energy monitors")
    check(browser)
    assert summary_items(browser) == ["Enter a web address starting with https://"]
    assert browser.execute_script("return document.querySelector('#error-list a').hash") == "#f-outcomes-2-source"
    by_id(browser, "f-outcomes-2-source").clear()
    by_id(browser, "f-outcomes-2-source").send_keys("https://www.testshire.example.gov.uk/data")
    check(browser)
    assert summary_items(browser) == []
    report = validate(new_project({f"{ENTRY_ID}.md": by_id(browser, "file-text").get_attribute("value")}))
    assert report.findings == [], report.findings
    meta = report.documents[0].metadata
    assert meta["organisations"] == [{"name": "Testshire County Council", "role": "lead"},
                                     {"name": "Testshire Energy Trust", "role": "funder"}]
    assert meta["outcomes"][1] == {"measure": "Average electricity use", "value": 7.5, "unit": "kWh a day",
                                   "baseline": 9, "period": "first 6 months", "evidence": "internal-evaluation",
                                   "source": "https://www.testshire.example.gov.uk/data"}
    assert meta["links"] == [{"title": "Evaluation report", "url": "https://www.testshire.example.gov.uk/report"}]
    assert meta["tags"] == ["energy-monitors", "libraries"]


def test_a_personal_contact_mailbox_is_refused_in_govuk_words(browser, site_url):
    open_form(browser, site_url)
    fill_story(browser)
    by_id(browser, "f-contact-email").clear()
    by_id(browser, "f-contact-email").send_keys("jane.smith@gmail.com")
    check(browser)
    assert summary_items(browser) == ["Enter your team's shared mailbox, not a personal webmail address"]
    by_id(browser, "f-contact-email").clear()
    by_id(browser, "f-contact-email").send_keys("jane.smith@testshire.example.gov.uk")
    check(browser)
    assert summary_items(browser) == ["Enter a team's shared mailbox, not a person's own address"]
    by_id(browser, "f-contact-email").clear()
    by_id(browser, "f-contact-email").send_keys("energy.advice@testshire.example.gov.uk")
    check(browser)
    assert summary_items(browser) == []


# Without a GitHub account: e-mail ------------------------------------------------------


def mailto(browser):
    parts = urlsplit(by_id(browser, "email-link").get_attribute("href"))
    assert parts.scheme == "mailto"
    query = {key: values[0] for key, values in parse_qs(parts.query).items()}
    return unquote(parts.path), query


def test_a_long_entry_goes_whole_as_a_downloaded_file_named_in_a_short_email(browser, site_url, project, tmp_path,
                                                                            new_project):
    downloads = tmp_path / "downloads"
    downloads.mkdir()
    browser.execute_cdp_cmd("Browser.setDownloadBehavior", {"behavior": "allow", "downloadPath": str(downloads)})
    open_form(browser, site_url)
    fill_case_study(browser, project)
    choose(browser, "topics", "housing-and-homelessness")  # this topic has its own mailbox
    check(browser)
    assert summary_items(browser) == []
    text = by_id(browser, "file-text").get_attribute("value")
    assert len(text) > 10_000
    # The e-mail: to the topic's mailbox, copying the library's (climate has none of its own), short.
    to, query = mailto(browser)
    assert to == "housing-practice@example.gov.uk"
    assert query["cc"] == project.settings["submission_mailbox"]
    assert query["subject"] == "Casehub entry: Testshire libraries lend energy monitors to residents"
    assert f"The entry is the attached file, {ENTRY_ID}.md." in query["body"]
    assert len(by_id(browser, "email-link").get_attribute("href")) <= 2000
    assert by_id(browser, "email-attach").is_displayed() and not by_id(browser, "email-inline").is_displayed()
    # The file: downloaded whole, as <id>.md.
    link = by_id(browser, "download-file")
    assert link.text == f"Download the file {ENTRY_ID}.md"
    link.click()
    saved = downloads / f"{ENTRY_ID}.md"
    wait_for(browser, lambda d: saved.is_file() and saved.read_text(encoding="utf-8") == text)
    # The facilitator: the e-mail arrives with the file attached; `casehub add` makes the draft.
    message = EmailMessage()
    message["From"], message["To"], message["Subject"] = "Jo <jo.bloggs@example.gov.uk>", to, query["subject"]
    message.set_content(query["body"])
    message.add_attachment(saved.read_bytes(), maintype="text", subtype="markdown", filename=saved.name)
    (tmp_path / "entry.eml").write_bytes(bytes(message))
    library = new_project()
    result = add_entry(library, str(tmp_path / "entry.eml"))
    assert result.exit_code == 0, result.output
    added = load(library.entries_dir / f"{ENTRY_ID}.md")
    assert added.body == parse(text.encode("utf-8")).body  # every section, every character
    assert console_errors(browser) == []


def test_a_short_entry_goes_whole_in_the_email_and_casehub_add_reads_it_back(browser, site_url, new_project):
    open_form(browser, site_url)
    fill_story(browser)
    check(browser)
    to, query = mailto(browser)
    assert to == "casehub-submissions@example.gov.uk" and "cc" not in query
    text = by_id(browser, "file-text").get_attribute("value")
    assert f"----- BEGIN CASEHUB ENTRY casestudies/{ENTRY_ID}.md -----\n{text}----- END CASEHUB ENTRY -----" \
        in query["body"].replace("\r\n", "\n")
    assert by_id(browser, "email-inline").is_displayed() and not by_id(browser, "email-attach").is_displayed()
    library = new_project()
    result = add_entry(library, "-", data=query["body"] + "\r\n--\r\nJo Bloggs, 07700 900123\r\n")
    assert result.exit_code == 0, result.output
    added, sent = load(library.entries_dir / f"{ENTRY_ID}.md"), parse(text.encode("utf-8"))
    assert (added.metadata, added.body) == (sent.metadata, sent.body)


# Without a GitHub account: the publisher's form handler --------------------------------


class _Handler(BaseHTTPRequestHandler):
    received: list = []
    status = 200

    def _cors(self):
        self.send_header("Access-Control-Allow-Origin", "*")
        self.send_header("Access-Control-Allow-Headers", "*")

    def do_OPTIONS(self):  # noqa: N802
        self.send_response(204)
        self._cors()
        self.end_headers()

    def do_POST(self):  # noqa: N802
        body = self.rfile.read(int(self.headers["Content-Length"]))
        message = email.message_from_bytes(f"Content-Type: {self.headers['Content-Type']}\r\n\r\n".encode() + body,
                                           policy=email.policy.default)
        fields = {}
        for part in message.iter_parts():
            name = part.get_param("name", header="content-disposition")
            data = part.get_payload(decode=True)
            fields[name] = (part.get_filename(), data) if part.get_filename() else data.decode("utf-8")
        type(self).received.append(fields)
        self.send_response(self.status)
        self._cors()
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(json.dumps({"ok": self.status == 200}).encode())

    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def endpoint_site(tmp_path_factory):
    """A small library whose settings name a form handler (served here) and no mailbox."""
    handler = type("Handler", (_Handler,), {"received": [], "status": 200})
    endpoint = HTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=endpoint.serve_forever, daemon=True).start()
    folder = tmp_path_factory.mktemp("endpoint")
    library = make_project(folder / "library")
    settings = library.data_dir / "casehub.yaml"
    settings.write_text(settings.read_text(encoding="utf-8").replace(
        'submission_mailbox: casehub-submissions@example.gov.uk\nsubmission_endpoint: ""',
        f'submission_mailbox: ""\nsubmission_endpoint: http://127.0.0.1:{endpoint.server_address[1]}/submit'),
        encoding="utf-8")
    site = build(library.root, "publishconf.py", folder / "site", search=False)
    server = make_server(site, "127.0.0.1", 0)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}", handler, site
    for running in (server, endpoint):
        running.shutdown()
        running.server_close()


def test_the_form_handler_receives_the_whole_entry_and_casehub_add_takes_it(browser, endpoint_site, project,
                                                                           tmp_path, new_project):
    site_url, handler, site = endpoint_site
    page = (site / "contribute" / "index.html").read_text(encoding="utf-8")
    assert "connect-src 'self' http://127.0.0.1:" in page  # the policy lets the page post there, and only there
    assert 'id="email-link"' not in page and "You need only e-mail" in page
    open_form(browser, site_url)
    fill_case_study(browser, project)
    check(browser)
    assert summary_items(browser) == []
    text = by_id(browser, "file-text").get_attribute("value")
    by_id(browser, "reply-to").send_keys("jo.bloggs@testshire.example.gov.uk")
    handler.status = 500
    by_id(browser, "send-endpoint").click()
    wait_for(browser, lambda d: "could not be sent" in d.find_element("id", "send-status").text)
    assert "the server answered 500" in by_id(browser, "send-status").text
    handler.status = 200
    by_id(browser, "send-endpoint").click()
    wait_for(browser, lambda d: d.find_element("id", "send-status").text.startswith("Sent:"))
    received = handler.received[-1]
    assert received["id"] == ENTRY_ID and received["entry"].replace("\r\n", "\n") == text  # forms send CRLF
    assert received["file"] == (f"{ENTRY_ID}.md", text.encode("utf-8"))
    assert received["reply_to"] == "jo.bloggs@testshire.example.gov.uk"
    assert received["reply_to"] not in text  # the contributor's address goes to the facilitators, not the entry
    (tmp_path / f"{ENTRY_ID}.md").write_bytes(received["file"][1])
    library = new_project()
    result = add_entry(library, str(tmp_path / f"{ENTRY_ID}.md"))
    assert result.exit_code == 0, result.output
    added, sent = load(library.entries_dir / f"{ENTRY_ID}.md"), parse(text.encode("utf-8"))
    assert (added.metadata, added.body) == (sent.metadata, sent.body)


# With a GitHub account: the issue form -------------------------------------------------


def issue_form():
    form = yaml.safe_load(ISSUE_FORM.read_text(encoding="utf-8"))
    return {element["id"]: element for element in form["body"] if "id" in element}


def as_github_sends_it(query):
    """The issue's body as GitHub writes it from the form: each question, then its answer."""
    parts = []
    for element_id, element in issue_form().items():
        if element["type"] == "checkboxes":
            answer = "\n".join(f"- [X] {option['label']}" for option in element["attributes"]["options"])
        else:
            answer = query.get(element_id, "_No response_")
        parts.append(f"### {element['attributes']['label']}\n\n{answer}")
    return "\n\n".join(parts)


def test_the_issue_form_is_filled_in_from_the_page_and_converts_to_the_same_entry(browser, site_url, new_project):
    open_form(browser, site_url)
    fill_story(browser)
    check(browser)
    parts = urlsplit(by_id(browser, "open-issue").get_attribute("href"))
    assert (parts.netloc, parts.path) == ("github.com", "/casehub-uk/casehub/issues/new")
    query = {key: values[0] for key, values in parse_qs(parts.query).items()}
    assert query.pop("template") == ISSUE_FORM.name
    assert query.pop("title") == "Share a case study: Testshire libraries lend energy monitors to residents"
    fields = issue_form()
    assert set(query) <= set(fields), set(query) - set(fields)  # every other parameter is one of the form's fields
    for field, answer in query.items():
        if fields[field]["type"] == "dropdown":
            assert set(answer.split(",")) <= set(fields[field]["attributes"]["options"]), field
    assert not by_id(browser, "issue-left-out").is_displayed()
    text = by_id(browser, "file-text").get_attribute("value")
    library = new_project()
    result = convert_issue(library, as_github_sends_it(query), number=7,
                           today=parse(text.encode("utf-8")).metadata["published"])
    assert result.ok, result.findings
    converted, written = load(library.root / result.path).metadata, parse(text.encode("utf-8")).metadata
    for key in ("title", "summary", "type", "organisations", "geography", "topics", "stage", "contact"):
        assert converted[key] == written[key], key


def test_a_long_entry_on_the_issue_form_says_what_to_paste_and_what_has_no_place(browser, site_url, project):
    open_form(browser, site_url)
    fill_case_study(browser, project)
    by_id(browser, "add-outcomes").click()
    for key, text in (("measure", "Households that borrowed a monitor"), ("value", "412"), ("unit", "households")):
        by_id(browser, f"f-outcomes-1-{key}").send_keys(text)
    by_id(browser, "f-outcomes-1-evidence").send_keys("Self")
    check(browser)
    assert summary_items(browser) == []
    href = by_id(browser, "open-issue").get_attribute("href")
    assert len(href) <= 8000
    note = by_id(browser, "issue-left-out").text
    assert note.startswith("Too long to pass in the link, so paste these in yourself: ")
    assert "The issue form has no place for results: the editor keeps them." in note
    query = parse_qs(urlsplit(href).query)
    assert query["summary"] and query["context"]  # the short fields and the first sections fit


# Accessibility -------------------------------------------------------------------------


def test_axe_passes_at_375px_with_rows_errors_and_the_hand_over(browser, site_url):
    require_tool(AXE.is_file(), "axe-core is needed: run make test (it runs npm ci)")
    browser.set_script_timeout(30)
    browser.set_window_size(375, 812)
    try:
        open_form(browser, site_url)
        fill_story(browser)
        for group in ("organisations", "outcomes", "links"):
            by_id(browser, f"add-{group}").click()
        by_id(browser, "f-outcomes-1-value").send_keys("twelve")
        check(browser)
        assert summary_items(browser)
        assert run_axe(browser) == []
        browser.find_element("css selector", "#w-outcomes-1 .remove-row").click()
        browser.find_element("css selector", "#w-links-1 .remove-row").click()
        browser.find_element("css selector", "#w-organisations-2 .remove-row").click()
        check(browser)
        assert summary_items(browser) == []
        assert run_axe(browser) == []
        width = browser.execute_script("return document.documentElement.scrollWidth")
        assert width <= 375  # nothing makes the page scroll sideways on a phone
    finally:
        browser.set_window_size(1280, 1000)
