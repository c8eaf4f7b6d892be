"""casehub sync under attack: slow feeds, hostile redirects, linked cache folders and
addresses that climb out of the hub's site. Each case here got through before."""

from __future__ import annotations

import functools
import json
import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from casehub.core.loader import parse
from casehub.core.schema import SCHEMA_VERSION
from casehub.exchange.federation import FetchError, Hub, check_feed, fetch, read_cache, sync

from .support import MINIMAL


class _Hostile(BaseHTTPRequestHandler):
    """/slow trickles a byte every 0.2 s for ever; /meta redirects to the cloud metadata
    address; /loop redirects to itself; /down redirects an https request to http."""

    def do_GET(self):  # noqa: N802 - the http.server API
        if self.path == "/slow/entries.json":
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            try:
                for _ in range(600):
                    self.wfile.write(b" ")
                    self.wfile.flush()
                    time.sleep(0.2)
            except OSError:
                pass
            return
        targets = {"/meta/entries.json": "http://169.254.169.254/latest/meta-data/",
                   "/loop/entries.json": "/loop/entries.json",
                   "/file/entries.json": "file:///etc/passwd"}
        if self.path in targets:
            self.send_response(302)
            self.send_header("Location", targets[self.path])
            self.end_headers()
            return
        body = json.dumps({"schema_version": SCHEMA_VERSION, "count": 0, "entries": []}).encode()
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def hostile():
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Hostile)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_a_slow_feed_is_stopped_at_the_deadline_for_the_whole_request(hostile):
    started = time.monotonic()
    with pytest.raises(FetchError, match="took longer than 1.5 seconds"):
        fetch(f"{hostile}/slow/entries.json", timeout=1.5)
    assert time.monotonic() - started < 3


def test_a_slow_hub_does_not_stop_the_hubs_after_it(new_project, hostile):
    project = new_project({})
    (project.root / "hubs.yaml").write_text(
        f"- {{id: slow, name: Slow hub, url: '{hostile}/slow/', take: all}}\n"
        f"- {{id: fine, name: Fine hub, url: '{hostile}/fine/', take: all}}\n", encoding="utf-8")
    started = time.monotonic()
    slow, fine = sync(project, fetcher=functools.partial(fetch, timeout=1))
    assert "took longer" in slow.error and fine.error is None
    assert time.monotonic() - started < 4


@pytest.mark.parametrize("path, message", [
    ("/meta/entries.json", "'169.254.169.254' is at 169.254.169.254, an address a feed may not come from"),
    ("/loop/entries.json", "redirects more than 5 times"),
    ("/file/entries.json", "redirects to a non-web address"),
])
def test_redirects_follow_the_rules(hostile, path, message):
    with pytest.raises(FetchError, match=message.replace(".", r"\.")):
        fetch(hostile + path)


def test_link_local_and_unspecified_hosts_are_refused_before_connecting():
    for url in ("http://169.254.169.254/entries.json", "http://0.0.0.0:9/entries.json", "http://[fe80::1]/x"):
        with pytest.raises(FetchError, match="may not come from"):
            fetch(url, timeout=2)


def test_a_refused_connection_is_reported_not_raised():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with pytest.raises(FetchError, match="could not be reached"):
        fetch(f"http://127.0.0.1:{port}/entries.json", timeout=2)


def test_a_linked_cache_folder_is_neither_written_nor_read(new_project, hostile, tmp_path):
    project = new_project({"mine.md": MINIMAL})
    (project.root / "hubs.yaml").write_text(f"- {{id: fine, name: Fine hub, url: '{hostile}/fine/', take: all}}\n",
                                            encoding="utf-8")
    outside = tmp_path / "outside"
    outside.mkdir()
    (project.root / "federated").mkdir()
    (project.root / "federated" / "fine").symlink_to(outside, target_is_directory=True)
    [result] = sync(project)
    assert result.error == "federated/fine is a link; sync and the build use only real folders and files"
    assert list(outside.iterdir()) == []
    (outside / "entries.json").write_text("{}", encoding="utf-8")
    hub = Hub("fine", "Fine hub", f"{hostile}/fine/")
    assert read_cache(project, hub) is None


@pytest.mark.parametrize("address", [
    "https://hub.example.org/partner/../elsewhere/x/",
    "https://hub.example.org/partner/%2e%2e/elsewhere/x/",
    "https://hub.example.org/partner/%2E%2E%2Felsewhere/x/",
    "https://hub.example.org/partner/./x/",
])
def test_a_partner_address_cannot_climb_out_of_the_hubs_site(new_project, address):
    project = new_project({})
    hub = Hub("partner", "Partner", "https://hub.example.org/partner/")
    item = {**parse(MINIMAL.encode(), "x.md").metadata, "id": "x", "url": address}
    assert item["status"] == "published"
    raw = json.dumps({"schema_version": SCHEMA_VERSION, "count": 1, "entries": [item]}).encode()
    check = check_feed(raw, hub, project)
    assert not check.accepted
    assert any("'.' or '..'" in reason for rejection in check.rejected for reason in rejection.reasons)
