"""`casehub serve`: builds, serves on loopback, rebuilds on change, and keeps
serving the last good site when an edit breaks an entry."""

import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request

from .support import MINIMAL


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def fetch(url: str) -> str:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.read().decode("utf-8")
    except urllib.error.HTTPError as error:
        return f"HTTP {error.code} " + error.read().decode("utf-8")
    except OSError:
        return ""


def wait_until(condition, timeout=60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.25)
    return False


def test_serve_rebuilds_on_change(new_project):
    project = new_project({"first-story.md": MINIMAL})
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "casehub.cli", "--root", str(project.root), "serve", "--port", str(port)],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    url = f"http://127.0.0.1:{port}/first-story/"
    try:
        assert wait_until(lambda: "An example story from a council" in fetch(url)), "first build not served"
        missing = fetch(f"http://127.0.0.1:{port}/no-such-page/")
        assert missing.startswith("HTTP 404") and "Page not found" in missing
        # No folder listings, and no traceback for a NUL in a path.
        for odd in ("pagefind/", "first-story/%00", "%00/", "first-story/index.html%00.png"):
            assert fetch(f"http://127.0.0.1:{port}/{odd}").startswith("HTTP 404"), odd
        entry = project.entries_dir / "first-story.md"
        entry.write_text(MINIMAL.replace("An example story from a council", "A retitled story from a council"))
        assert wait_until(lambda: "A retitled story from a council" in fetch(url)), "edit not rebuilt"
        entry.write_text(MINIMAL.replace("type: story", "type: stroy"))
        time.sleep(3)
        assert "A retitled story from a council" in fetch(url), "a bad edit must keep the last good site"
    finally:
        server.terminate()
        output, _ = server.communicate(timeout=20)
    assert "casestudies/first-story.md:4:7: type: 'stroy' is not an allowed value" in output
    assert "Traceback" not in output
    assert "Updated in" not in output.split("Not updated")[-1], "a refused edit was reported as updated"
