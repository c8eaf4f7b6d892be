"""The Contribute form's script and the Python validator share one copy of their
data: the reserved ids, the nations, the id pattern and the personal-data
patterns live in Python and reach the script through the built page. Also: every
script module is in the built site and preloaded, so none waits on another."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser

import pytest

from casehub.contribute.webform import shared_with_the_form
from casehub.core.entry import NATIONS
from casehub.core.personal import PERSONAL_DATA_PATTERNS
from casehub.core.project import RESERVED_IDS
from casehub.core.rules import ID_MAX_LENGTH, ID_PATTERN
from casehub.core.safetext import PERSONAL_MAILBOX, WEBMAIL_DOMAINS
from casehub.core.schema import published_schema

from .support import ROOT
from .support.browser import console_errors
from .support.contribute import open_form

SCRIPT = ROOT / "theme" / "static" / "js" / "contribute.js"
MODULES = ROOT / "theme" / "static" / "js" / "contribute"
IMPORT = re.compile(r"""^\s*(?:import|export)\b[^;]*?["'](\./[^"']+)["']""", re.MULTILINE)
PYTHON_VALUES = {
    "reserved": sorted(RESERVED_IDS),
    "nations": NATIONS,
    "idPattern": ID_PATTERN.pattern,
    "idMaxLength": ID_MAX_LENGTH,
    "personalData": {kind: pattern.pattern for kind, pattern in PERSONAL_DATA_PATTERNS.items()},
    "webmail": sorted(WEBMAIL_DOMAINS),
    "personalMailbox": PERSONAL_MAILBOX.pattern,
}


class _Page(HTMLParser):
    def __init__(self):
        super().__init__()
        self.form: dict[str, str] = {}
        self.preloaded: list[str] = []
        self.scripts: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and attrs.get("id") == "entry-form":
            self.form = attrs
        elif tag == "link" and attrs.get("rel") == "modulepreload":
            self.preloaded.append(attrs["href"])
        elif tag == "script" and attrs.get("src"):
            self.scripts.append(attrs["src"])


def contribute_page(site) -> _Page:
    page = _Page()
    page.feed((site / "contribute" / "index.html").read_text(encoding="utf-8"))
    return page


def imports(path) -> list[str]:
    return IMPORT.findall(path.read_text(encoding="utf-8"))


def test_the_contribute_page_carries_the_python_values(built_site):
    shared = json.loads(contribute_page(built_site).form["data-shared"])
    assert shared == PYTHON_VALUES == shared_with_the_form()
    assert set(shared["reserved"]) == RESERVED_IDS and shared["nations"] == NATIONS


def test_the_script_keeps_no_copy_of_the_python_values():
    script = "\n".join(path.read_text(encoding="utf-8") for path in [SCRIPT, *MODULES.glob("*.js")])
    for label in NATIONS.values():
        assert f'"{label}"' not in script, label
    assert "pagefind" not in script and "open-data" not in script
    for pattern in [ID_PATTERN, PERSONAL_MAILBOX, *PERSONAL_DATA_PATTERNS.values()]:
        assert pattern.pattern[:24] not in script.replace(r"\/", "/"), pattern.pattern
    for domain in WEBMAIL_DOMAINS:
        assert domain not in script, domain


def test_every_script_module_is_built_preloaded_and_named_by_the_entry(built_site):
    page = contribute_page(built_site)
    modules = sorted(path.name for path in MODULES.glob("*.js"))
    assert len(modules) >= 5
    assert page.scripts == ["/theme/js/contribute.js"]
    assert sorted(href.rsplit("/", 1)[1] for href in page.preloaded) == modules
    assert all(href.startswith("/theme/js/contribute/") for href in page.preloaded)
    # The entry names every module itself, so the browser finds them all after one fetch.
    assert sorted(name.removeprefix("./contribute/") for name in imports(SCRIPT)) == modules
    for path in [SCRIPT, *MODULES.glob("*.js")]:
        built = built_site / "theme" / "js" / path.relative_to(ROOT / "theme" / "static" / "js")
        assert built.read_bytes() == path.read_bytes(), path.name
        for target in imports(path):
            assert (built.parent / target).resolve().is_file(), f"{path.name} imports {target}"


SEEN_BY_THE_SCRIPT = """
const done = arguments[arguments.length - 1];
Promise.all([import(new URL('/theme/js/contribute/page.js', location.href).href),
             import(new URL('/theme/js/contribute.js', location.href).href)])
  .then(([page, entry]) => done({
    reserved: [...page.RESERVED].sort(), nations: page.NATIONS, idPattern: page.ID_PATTERN.source,
    idMaxLength: page.ID_MAX_LENGTH, personalData: page.PERSONAL_DATA,
    webmail: [...page.WEBMAIL].sort(), personalMailbox: page.PERSONAL_MAILBOX.source,
    refused: [...page.RESERVED].filter(id => entry.idFindings(id, new Set()).length === 1),
    nationOptions: [...document.querySelectorAll('#f-nation option')].slice(1).map(o => [o.value, o.textContent]),
  }))
  .catch(e => done({error: String(e)}));
"""


@pytest.mark.browser
@pytest.mark.xdist_group("browser")
def test_the_form_script_sees_exactly_the_python_values(browser, site_url, project):
    open_form(browser, site_url)
    seen = browser.execute_async_script(SEEN_BY_THE_SCRIPT)
    assert "error" not in seen, seen
    assert seen["reserved"] == sorted(RESERVED_IDS) == seen["refused"]
    assert seen["nations"] == NATIONS
    assert seen["idPattern"] == f"^(?:{ID_PATTERN.pattern})$"
    assert seen["idMaxLength"] == ID_MAX_LENGTH
    assert seen["personalData"] == PYTHON_VALUES["personalData"]
    assert seen["webmail"] == sorted(WEBMAIL_DOMAINS)
    assert seen["personalMailbox"] == PERSONAL_MAILBOX.pattern
    nations = published_schema(project)["properties"]["geography"]["properties"]["nation"]["enum"]
    assert seen["nationOptions"] == [[nation, NATIONS[nation]] for nation in nations]
    assert console_errors(browser) == []


ADDRESSES = ["jane.smith@gmail.com", "Jane.Smith@Example.gov.uk", "j.smith@example.gov.uk", "jo_bloggs2@x.org",
             "mary-jane.o'brien@example.gov.uk", "digital@example.gov.uk", "digital.services@example.gov.uk",
             "waste-team@example.gov.uk", "active.travel@example.gov.uk", "info@hotmail.co.uk", "a@b.c",
             "customer.services@example.gov.uk", "housing.repairs@example.gov.uk", "jsmith@example.gov.uk"]
MAILBOXES_SEEN = """
const done = arguments[arguments.length - 1];
import(new URL('/theme/js/contribute/personal.js', location.href).href)
  .then(m => done(arguments[0].map(address => m.personalMailbox(address))))
  .catch(e => done(String(e)));
"""


@pytest.mark.browser
@pytest.mark.xdist_group("browser")
def test_the_form_and_the_validator_flag_the_same_contact_mailboxes(browser, site_url):
    from casehub.core.safetext import personal_mailbox

    open_form(browser, site_url)
    expected = [personal_mailbox(address) for address in ADDRESSES]
    assert browser.execute_async_script(MAILBOXES_SEEN, ADDRESSES) == expected
    assert expected.count("webmail") == 2 and expected.count("name") == 4  # and role mailboxes pass
