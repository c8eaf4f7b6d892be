"""Federation: two hubs on loopback. Hub A is the sample library, built and served;
hub B is a small project whose hubs.yaml points at hub A and at hostile or broken
partner feeds served from a folder. `casehub sync`, then B's build, must take A's
entries (labelled, linked to the originals, searchable) and reject every bad entry
or feed with a reason, without breaking B's build or letting any script through."""

from __future__ import annotations

import copy
import json
import shutil
import threading
from types import SimpleNamespace

import pytest
from click.testing import CliRunner

from casehub.cli import cli
from casehub.core.findings import FindingsError
from casehub.core.project import Project
from casehub.core.schema import SCHEMA_VERSION
from casehub.exchange import federation
from casehub.exchange.federation import FetchError, Hub, check_feed, fetch, read_hubs, sync
from casehub.site.build import build, make_server

from .support import MINIMAL, ROOT, make_project, require_tool
from .support.browser import status, wait_for
from .support.vnu import VNU, run_vnu

# Shares a worker with the browser tests, so the two hubs are built once for the module.
pytestmark = pytest.mark.xdist_group("browser")

HUB_A_NAME = "Hub A Practice Library"
INJECTED = "Injected by hand <script>alert('cache')</script>"


def serve(folder):
    server = make_server(folder, "127.0.0.1", 0)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}"


def feed(entries, version=SCHEMA_VERSION):
    return json.dumps({"schema_version": version, "count": len(entries), "entries": entries}).encode()


def hostile_entries(good: dict, base: str) -> list:
    """One valid entry and, after it, one bad thing each."""
    def variant(entry_id, **changes):
        item = {**copy.deepcopy(good), "id": entry_id, "url": f"{base}{entry_id}/"}
        item.update(changes)
        return item

    email_summary = "A summary that names a resident, write to jo.bloggs@example.com for details of the case."
    return [
        variant("good-one", title="A partner's good practice, checked and taken"),
        variant("script-title", title="<script>alert(1)</script> Fixing the roads"),
        variant("personal-data", summary=email_summary),
        variant("unknown-field", secret_field="x"),
        variant("bad-type", topics="digital-and-technology"),
        variant("../../etc"),
        variant("javascript-url", url="javascript:alert(1)"),
        variant("other-site", url="https://evil.example/other-site/"),
        variant("bidi-title", title="A title with a \u202ehidden direction change"),
        "just a string",
        variant("good-one"),  # the same id again
        variant("archived-one", status="archived", archived_reason="Closed in 2023, kept for the record."),
    ]


@pytest.fixture(scope="module")
def hubs(tmp_path_factory):
    base = tmp_path_factory.mktemp("federation")
    a_site = base / "hub-a"
    a_site.mkdir()
    server_a, url_a = serve(a_site)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("CASEHUB_SITEURL", url_a)
        build(ROOT, "publishconf.py", a_site, search=False)
    a_feed = json.loads((a_site / "entries.json").read_text(encoding="utf-8"))

    partners = base / "partners"
    server_p, url_p = serve(partners)
    good = next(e for e in a_feed["entries"] if e["status"] == "published")
    for name, data in {"hostile": feed(hostile_entries(good, f"{url_p}/hostile/")),
                       "notjson": b"<html><script>alert(1)</script></html>",
                       "future": feed([], "2.0.0"),
                       "wrongshape": b'{"schema_version": "1.0.0", "entries": {"a": 1}}'}.items():
        (partners / name).mkdir(parents=True)
        (partners / name / "entries.json").write_bytes(data)

    project = make_project(base / "hub-b", {"local-story.md": MINIMAL})
    hubs_yaml = f"""- id: hub-a
  name: {HUB_A_NAME}
  url: {url_a}
  take: all
""" + "".join(f"""- id: {name}
  name: {name.title()} Hub
  url: {url_p}/{name}/
  take: all
""" for name in ("hostile", "notjson", "future", "wrongshape", "missing"))
    (project.root / "hubs.yaml").write_text(hubs_yaml, encoding="utf-8")
    synced = CliRunner().invoke(cli, ["--root", str(project.root), "sync"])
    # A hand-edited copy must not get past the build's own check.
    cached = project.root / "federated" / "hostile" / "entries.json"
    data = json.loads(cached.read_text(encoding="utf-8"))
    data["entries"].append({**copy.deepcopy(good), "id": "injected", "url": f"{url_p}/hostile/injected/",
                            "title": INJECTED})
    cached.write_text(json.dumps(data), encoding="utf-8")
    b_site = build(project.root, "pelicanconf.py", base / "hub-b-site")
    yield SimpleNamespace(a_feed=a_feed, url_a=url_a, url_p=url_p, project=project, synced=synced,
                          site=b_site, good=good)
    for server in (server_a, server_p):
        server.shutdown()
        server.server_close()


def a_entry(hubs):
    return next(e for e in hubs.a_feed["entries"] if e["id"] == "stockport-digital-strategy")


def test_sync_reports_what_was_taken_rejected_and_why(hubs):
    out = hubs.synced.output
    assert hubs.synced.exit_code == 1, out  # some feeds could not be used
    assert "Traceback" not in out
    published = [e for e in hubs.a_feed["entries"] if e["status"] == "published"]
    assert f"hub-a ({hubs.url_a}/entries.json): {len(published)} entries taken: {len(published)} added" in out
    hostile = out.split("hostile (", 1)[1].split("\nnotjson", 1)[0]
    assert "1 entry taken: 1 added" in hostile and "10 rejected; 1 skipped" in hostile
    expected = {
        "'script-title'": "title: has HTML markup",
        "'personal-data'": "summary: this looks like an e-mail address",
        "'unknown-field'": "'secret_field' is not a field Casehub knows",
        "'bad-type'": "topics: 'digital-and-technology' should be a list",
        "'../../etc'": "id: '../../etc' is not lower-case words",
        "'javascript-url'": "url: 'javascript:alert(1)' is not an http(s) address",
        "'other-site'": "is not on the hub's own site",
        "'bidi-title'": "title: has control or text-direction characters",
        "entry 10:": "it is not a JSON object",
        "entry 11 ('good-one')": "its id appears more than once",
    }
    lines = hostile.splitlines()
    for entry, reason in expected.items():
        assert any(entry in line and reason in line for line in lines if line.startswith("  rejected")), entry
    assert "jo.bloggs" not in out  # personal data is located, never repeated
    assert "\u202e" not in out
    assert "notjson" in out and "not synced: the feed is not JSON" in out
    assert "not synced: the feed's schema_version is '2.0.0'" in out
    assert "wrongshape" in out and "not a Casehub entries.json" in out
    assert "missing" in out and "not synced: the hub answered 404" in out
    assert not (hubs.project.root / "federated" / "notjson").exists()


def test_the_cache_is_the_raw_feed(hubs):
    cached = hubs.project.root / "federated" / "hub-a" / "entries.json"
    assert json.loads(cached.read_text(encoding="utf-8")) == hubs.a_feed


def test_a_partner_entry_appears_in_listings_labelled_and_linked_to_the_original(hubs):
    entry = a_entry(hubs)
    page = f"/hubs/hub-a/{entry['id']}/"
    for listing in ("entries/index.html", "topics/digital-and-technology/index.html", "hubs/hub-a/index.html"):
        text = (hubs.site / listing).read_text(encoding="utf-8")
        card = text.split(f'href="{page}"', 1)[1].split("</li>", 1)[0]
        assert f"From {HUB_A_NAME}" in card, listing
    html = (hubs.site / page.strip("/") / "index.html").read_text(encoding="utf-8")
    assert f'href="{entry["url"]}"' in html and entry["url"] == f"{hubs.url_a}/{entry['id']}/"
    assert f'<link rel="canonical" href="{entry["url"]}">' in html
    assert f"Read the full entry on {HUB_A_NAME}" in html
    assert "data-pagefind-body" in html and 'data-pagefind-filter="hub">Hub A Practice Library<' in html
    # Our own entry is still listed, and without a label.
    listing = (hubs.site / "entries" / "index.html").read_text(encoding="utf-8")
    assert '<a href="/local-story/">' in listing
    published = [e for e in hubs.a_feed["entries"] if e["status"] == "published"]
    assert listing.count('class="from-hub"') == len(published) + 1  # hub A's, and the hostile hub's good one


def test_bad_and_injected_entries_never_reach_the_site(hubs):
    assert (hubs.site / "hubs" / "hostile" / "good-one" / "index.html").is_file()
    assert sorted(p.name for p in (hubs.site / "hubs" / "hostile").iterdir()) == ["good-one", "index.html"]
    assert not (hubs.site / "hubs" / "notjson").exists()
    for path in hubs.site.rglob("*"):
        if path.is_file() and path.suffix in (".html", ".json", ".xml", ".csv") and "pagefind" not in path.parts:
            text = path.read_text(encoding="utf-8")
            assert "alert(" not in text and "Injected by hand" not in text, path


def test_partner_entries_stay_out_of_our_open_data_and_counts(hubs):
    data = json.loads((hubs.site / "entries.json").read_text(encoding="utf-8"))
    assert [e["id"] for e in data["entries"]] == ["local-story"]
    assert (hubs.site / "entries.csv").read_text(encoding="utf-8").count("\n") == 2
    assert "stockport" not in (hubs.site / "feed.xml").read_text(encoding="utf-8")
    assert "hubs/" not in (hubs.site / "sitemap.xml").read_text(encoding="utf-8")
    stats = (hubs.site / "stats" / "index.html").read_text(encoding="utf-8")
    assert '<div><dt>Listed entries</dt><dd>1</dd></div>' in stats


def test_a_second_sync_reports_nothing_new(hubs):
    results = {r.hub.id: r for r in sync(hubs.project)}
    a = results["hub-a"]
    assert (a.added, a.changed, a.removed, a.error) == ([], [], [], None) and a.unchanged > 5
    assert results["notjson"].error and results["hostile"].added == []


def test_a_changed_or_removed_partner_entry_is_reported(hubs, tmp_path):
    project = make_project(tmp_path / "p")
    (project.root / "hubs.yaml").write_text(f"- id: a\n  name: Hub A\n  url: {hubs.url_p}/x/\n  take: all\n")
    first = {**copy.deepcopy(hubs.good), "id": "one", "url": f"{hubs.url_p}/x/one/"}
    second = {**first, "id": "two", "url": f"{hubs.url_p}/x/two/"}
    feeds = iter([feed([first, second]), feed([{**first, "title": "A new title for the first entry"}])])
    sync(project, fetcher=lambda url: next(feeds))
    [result] = sync(project, fetcher=lambda url: next(feeds))
    assert (result.added, result.changed, result.removed) == ([], ["one"], ["two"])


def test_topics_choose_which_entries_a_hub_gives(hubs, tmp_path):
    project = make_project(tmp_path / "p")
    (project.root / "hubs.yaml").write_text(
        f"- id: a\n  name: Hub A\n  url: {hubs.url_a}/\n  topics: [climate-and-environment]\n")
    [result] = sync(project)
    taken = result.added
    assert taken and all("climate-and-environment" in e["topics"] for e in hubs.a_feed["entries"] if e["id"] in taken)
    assert result.skipped == len(hubs.a_feed["entries"]) - len(taken)


def test_fetch_refuses_other_schemes_and_caps_the_size(hubs):
    with pytest.raises(FetchError, match="not an http"):
        fetch("file:///etc/passwd")
    with pytest.raises(FetchError, match="over the limit"):
        fetch(f"{hubs.url_a}/entries.json", limit=1000)
    assert fetch(f"{hubs.url_a}/entries.json").startswith(b"{")


@pytest.mark.parametrize("raw, message", [
    (b"\xff\xfe", "not UTF-8"),
    (b"[" * 100_000, "not JSON"),
    (b'{"schema_version": "1.0.0", "entries": [{"n": NaN}]}', "not JSON"),
    (b'["entries"]', "not a Casehub entries.json"),
    (b'{"entries": []}', "schema_version is 'None'"),
])
def test_a_malformed_feed_is_rejected_whole(project, raw, message):
    hub = Hub("x", "X", "https://x.example/")
    assert message in check_feed(raw, hub, project).error


def test_a_huge_feed_is_rejected_whole(project, monkeypatch):
    monkeypatch.setattr(federation, "MAX_FEED_BYTES", 100)
    assert "over the limit" in check_feed(feed([]) + b" " * 100, Hub("x", "X", "https://x.example/"), project).error


def test_hubs_yaml_problems_are_located(new_project):
    project = new_project()
    (project.root / "hubs.yaml").write_text("""- id: Bad Id
  name: A hub
  url: https://hub.example/
  take: all
- id: two
  name: Two
  url: javascript:alert(1)
  take: all
  topics: [not-a-topic]
  colour: red
""", encoding="utf-8")
    with pytest.raises(FindingsError) as raised:
        read_hubs(project)
    found = {(f.line, f.pointer) for f in raised.value.findings}
    assert {(1, "/0/id"), (7, "/1/url"), (10, "/1/colour")} <= found
    assert any("either 'take: all' or a list of 'topics'" in f.message for f in raised.value.findings)
    result = CliRunner().invoke(cli, ["--root", str(project.root), "sync"])
    assert result.exit_code == 1 and "hubs.yaml:7:" in result.output and "Traceback" not in result.output


def test_the_shipped_hubs_file_is_an_empty_list():
    assert read_hubs(Project(ROOT)) == []
    result = CliRunner().invoke(cli, ["--root", str(ROOT), "sync"])
    assert result.exit_code == 0 and "nothing to sync" in result.output


@pytest.mark.browser
def test_search_finds_a_partner_entry_labelled(hubs, browser):
    server, url = serve(hubs.site)
    try:
        browser.get(f"{url}/search/?q=Stockport")
        wait_for(browser, lambda d: "result" in status(d))
        results = browser.execute_script(
            "return [...document.querySelectorAll('#search-results li')].map(li => "
            "[li.querySelector('h2 a').getAttribute('href'), li.textContent])")
        hits = [(href, text) for href, text in results if "/hubs/hub-a/stockport-digital-strategy/" in href]
        assert hits and f"From {HUB_A_NAME}" in hits[0][1]
        assert browser.find_elements("css selector", "input[name=hub]")  # the hub filter
    finally:
        server.shutdown()
        server.server_close()


def test_partner_pages_are_valid_html(hubs):
    require_tool(VNU.is_file() and shutil.which("java") is not None, "the Nu HTML Checker needs Java and vnu.jar")
    pages = [hubs.site / "hubs" / "hub-a" / "index.html", hubs.site / "hubs" / "hub-a" / "stockport-digital-strategy"
             / "index.html", hubs.site / "entries" / "index.html", hubs.site / "search" / "index.html"]
    assert run_vnu(pages) == []
