"""Shared fixtures: the repository as a project, a built copy of the sample
library, and throwaway projects in tmp_path for tests that change content."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from casehub.build import build
from casehub.project import Project

from .fixtures.make_fixtures import BASE

ROOT = Path(__file__).resolve().parent.parent
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
