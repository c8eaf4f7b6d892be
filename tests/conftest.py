"""Shared fixtures: the repository as a project, a built copy of the sample
library, and throwaway projects in tmp_path for tests that change content."""

from __future__ import annotations

import os
import shutil
import tempfile
import threading
from pathlib import Path

import pytest

from casehub.core.project import Project
from casehub.site.build import build, make_server

from .fixtures.make_fixtures import BASE

ROOT = Path(__file__).resolve().parent.parent
NODE_TOOLS = ROOT / "node_modules"
FIXTURES = ROOT / "tests" / "fixtures"
SITE_PARTS = ("content", "data", "theme", "pelicanconf.py", "publishconf.py")

# A valid minimal entry; each invalid fixture is this with one thing wrong.
MINIMAL = BASE


@pytest.fixture(scope="session")
def project() -> Project:
    return Project(ROOT)


def make_project(folder: Path, entries: dict[str, str] | None = None, copy_library: bool = False) -> Project:
    """A project in `folder` with the repository's site parts and the given entries."""
    for part in SITE_PARTS:
        source = ROOT / part
        if source.is_dir():
            shutil.copytree(source, folder / part)
        else:
            shutil.copy(source, folder / part)
    if copy_library:
        shutil.copytree(ROOT / "casestudies", folder / "casestudies")
    else:
        (folder / "casestudies").mkdir()
        (folder / "data" / "collections.yaml").unlink()  # its entries are the sample library's
    for name, text in (entries or {}).items():
        path = folder / "casestudies" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return Project(folder)


@pytest.fixture
def new_project(tmp_path):
    def factory(entries=None, copy_library=False):
        return make_project(tmp_path / "project", entries, copy_library)
    return factory


@pytest.fixture(scope="session")
def built_site(tmp_path_factory) -> Path:
    """The sample library, built once per test process with production settings and indexed."""
    output = tmp_path_factory.mktemp("site")
    return build(ROOT, "publishconf.py", output)


def browser_required() -> bool:
    return bool(os.environ.get("CASEHUB_REQUIRE_BROWSER") or os.environ.get("CI"))


def require_tool(available: bool, message: str) -> None:
    """Skip a test whose tool is missing here; in CI, a missing tool fails it."""
    if not available:
        if browser_required():
            pytest.fail(message)
        pytest.skip(message)


CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")
CHROMEDRIVER = shutil.which("chromedriver")


@pytest.fixture(scope="session")
def site_url(built_site):
    server = make_server(built_site, "127.0.0.1", 0)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="session")
def browser():
    require_tool(bool(CHROMIUM and CHROMEDRIVER),
                 "headless Chromium and chromedriver are needed (apt-get install chromium chromium-driver)")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    profile = tempfile.mkdtemp(prefix="casehub-chromium-")
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--no-first-run", "--disable-quic", f"--user-data-dir={profile}", "--window-size=1280,1000"):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(executable_path=CHROMEDRIVER), options=options)
    driver.set_page_load_timeout(30)
    yield driver
    driver.quit()
    shutil.rmtree(profile, ignore_errors=True)
