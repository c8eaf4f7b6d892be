"""Shared fixtures: the repository as a project, a built copy of the sample
library, throwaway projects in tmp_path for tests that change content, and headless
Chromium. Helpers that are not fixtures are in tests/support."""

from __future__ import annotations

import threading

import pytest

from casehub.core.project import Project
from casehub.site.build import build, make_server

from .support import ROOT, make_project, require_tool
from .support.browser import MISSING, available, headless_chromium


@pytest.fixture(scope="session")
def project() -> Project:
    return Project(ROOT)


@pytest.fixture
def new_project(tmp_path):
    def factory(entries=None, copy_library=False):
        return make_project(tmp_path / "project", entries, copy_library)
    return factory


@pytest.fixture(scope="session")
def built_site(tmp_path_factory):
    """The sample library, built once per test process with production settings and indexed."""
    output = tmp_path_factory.mktemp("site")
    return build(ROOT, "publishconf.py", output)


@pytest.fixture(scope="session")
def site_url(built_site):
    server = make_server(built_site, "127.0.0.1", 0)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="session")
def browser():
    require_tool(available(), MISSING)
    with headless_chromium(window_size="1280,1000", console_log=True) as driver:
        driver.set_page_load_timeout(30)
        yield driver
