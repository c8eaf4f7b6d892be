"""Shared fixtures: the repository as a project, a built copy of the sample library
and of a large generated one (each built once per run, however many test processes),
throwaway projects in tmp_path for tests that change content, and headless Chromium.
Helpers that are not fixtures are in tests/support."""

from __future__ import annotations

import os

import pytest

from casehub.core.project import Project
from casehub.site.build import build
from casehub.site.synthetic import write_site

from .support import ROOT, make_project, require_tool, served
from .support.browser import MISSING, available, headless_chromium
from .support.shared import made_once


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
    """The sample library, built once per run with production settings and indexed. Read it, never change it."""
    return made_once(tmp_path_factory, "site", lambda output: build(ROOT, "publishconf.py", output))


@pytest.fixture(scope="session")
def site_url(built_site):
    with served(built_site) as url:
        yield url


@pytest.fixture(scope="session")
def scale_site(tmp_path_factory):
    """A generated library of CASEHUB_SCALE_ENTRIES entries (1,000 unless set), built once per run
    with production settings and indexed, and its entry count. Read it, never change it."""
    count = int(os.environ.get("CASEHUB_SCALE_ENTRIES", "1000"))

    def make(folder):
        root = write_site(ROOT, folder, count)
        return build(root, "publishconf.py", root / "output")

    return made_once(tmp_path_factory, f"scale-{count}", make), count


@pytest.fixture(scope="session")
def scale_url(scale_site):
    with served(scale_site[0]) as url:
        yield url


@pytest.fixture(scope="session")
def browser():
    require_tool(available(), MISSING)
    with headless_chromium(window_size="1280,1000", console_log=True) as driver:
        driver.set_page_load_timeout(30)
        yield driver
