"""Shared fixtures: the repository as a project, a built copy of the sample library
and of a large generated one (each built once per run, however many test processes),
throwaway projects in tmp_path for tests that change content, and headless Chromium.
Helpers that are not fixtures are in tests/support."""

from __future__ import annotations

import pytest

from casehub.core.project import Project

from .support import ROOT, make_project, require_tool, served, sites
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
    """The sample library, built once per run with production settings and indexed. Read it, never change it."""
    return sites.sample_site(sites.run_folder(tmp_path_factory))


@pytest.fixture(scope="session")
def site_url(built_site):
    with served(built_site) as url:
        yield url


@pytest.fixture(scope="session", autouse=True)
def content_cache(tmp_path_factory):
    """Every build in the run shares one content cache (core/cache.py) in the run's folder, as
    successive builds on a machine do, and none writes one into the repository."""
    import os

    folder = sites.run_folder(tmp_path_factory) / "content-cache"
    previous = os.environ.get("CASEHUB_CACHE")
    os.environ["CASEHUB_CACHE"] = str(folder)
    yield folder
    if previous is None:
        os.environ.pop("CASEHUB_CACHE", None)
    else:
        os.environ["CASEHUB_CACHE"] = previous


@pytest.fixture(scope="session", autouse=True)
def scale_site_started_early(request, tmp_path_factory):
    """When the run has tests on the large library, it is built in the background from the
    start, while other tests run, rather than when the first of them needs it."""
    started = None
    if any("scale_site" in getattr(item, "fixturenames", ()) for item in request.session.items):
        started = sites.start_scale_site(sites.run_folder(tmp_path_factory), sites.scale_count())
    yield
    sites.stop(started)


@pytest.fixture(scope="session")
def scale_site(tmp_path_factory):
    """A generated library of CASEHUB_SCALE_ENTRIES entries (1,000 unless set), built once per run
    with production settings and indexed, and its entry count. Read it, never change it."""
    count = sites.scale_count()
    return sites.scale_site(sites.run_folder(tmp_path_factory), count), count


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
