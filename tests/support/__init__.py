"""What the tests share besides fixtures: the repository's paths, throwaway projects,
and skipping (or, in CI, failing) when a tool is missing. Browser, axe and Nu checker
helpers are in support.browser and support.vnu; the built sites, each made once per
run, in support.sites. Test modules import from here, never from each other."""

from __future__ import annotations

import os
import shutil
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from casehub.core.project import Project
from casehub.site.build import make_server

from ..fixtures.make_fixtures import BASE

ROOT = Path(__file__).resolve().parent.parent.parent
NODE_TOOLS = ROOT / "node_modules"
FIXTURES = ROOT / "tests" / "fixtures"
SITE_PARTS = ("content", "data", "theme", "pelicanconf.py", "publishconf.py")

# A valid minimal entry; each invalid fixture is this with one thing wrong.
MINIMAL = BASE


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


def browser_required() -> bool:
    return bool(os.environ.get("CASEHUB_REQUIRE_BROWSER") or os.environ.get("CI"))


def require_tool(available: bool, message: str) -> None:
    """Skip a test whose tool is missing here; in CI, a missing tool fails it."""
    if not available:
        if browser_required():
            pytest.fail(message)
        pytest.skip(message)


@contextmanager
def served(folder: Path) -> Iterator[str]:
    """The address of `folder` served on loopback while inside the `with`."""
    server = make_server(folder, "127.0.0.1", 0)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
