"""A build that fails leaves the last good site exactly as it was; a search index that could
not be written whole stops the build instead of being reported as success."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path

import pytest

from casehub.core.validate import validate
from casehub.site.build import build
from casehub.site.generator import BuildStopped

from .support import MINIMAL


def fingerprint(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def test_a_failed_build_leaves_the_last_good_site_untouched(new_project, tmp_path):
    project = new_project({"good-entry.md": MINIMAL})
    out = tmp_path / "site"
    build(project.root, "publishconf.py", out)
    before = fingerprint(out)
    assert "good-entry/index.html" in before and any(name.startswith("pagefind/") for name in before)
    (project.entries_dir / "broken.md").write_text(MINIMAL.replace("type: story", "type: nonsense"), "utf-8")
    with pytest.raises(BuildStopped):
        build(project.root, "publishconf.py", out)
    assert fingerprint(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["project", "site"]  # nothing half-built beside it


def test_an_entry_folder_holding_a_name_the_build_writes_is_a_finding(new_project):
    project = new_project({})
    folder = project.entries_dir / "with-images"
    (folder / "entry.json").mkdir(parents=True)
    (folder / "index.md").write_text(MINIMAL, encoding="utf-8")
    report = validate(project, [folder / "index.md"])
    assert [str(f) for f in report.findings] == [
        "casestudies/with-images/index.md:1:1: folder: the entry's folder holds 'entry.json', a name the site "
        "writes for the entry itself — rename or remove entry.json in the entry's folder; keep only index.md and "
        "its images there"]


def test_a_search_index_cut_short_by_a_full_disk_stops_the_build(built_site, tmp_path):
    """Pagefind exits 0 when its writes fail; a file-size limit makes them fail as a full disk does."""
    site = tmp_path / "site"
    subprocess.run(["cp", "-r", str(built_site), str(site)], check=True)
    subprocess.run(["rm", "-r", str(site / "pagefind")], check=True)
    script = ("import resource, signal, sys\n"
              "signal.signal(signal.SIGXFSZ, signal.SIG_IGN)\n"
              "resource.setrlimit(resource.RLIMIT_FSIZE, (2000, 2000))\n"
              "from casehub.core.findings import CasehubError\n"
              "from casehub.site.search import index_site\n"
              "try:\n    index_site(sys.argv[1])\nexcept CasehubError as error:\n"
              "    print(error); sys.exit(1)\n")
    result = subprocess.run([sys.executable, "-c", script, str(site)], capture_output=True, text=True,
                            env={**os.environ, "PYTHONWARNINGS": "ignore"})
    assert result.returncode == 1, result.stdout + result.stderr  # either Pagefind says so, or our check does
    assert "Pagefind failed" in result.stdout or "the search index is incomplete" in result.stdout


@pytest.mark.parametrize("damage", ["cut", "empty", "entry"])
def test_an_index_file_cut_short_is_found(built_site, tmp_path, damage):
    from casehub.site.search import SearchIndexError, verify_index

    index = tmp_path / "pagefind"
    subprocess.run(["cp", "-r", str(built_site / "pagefind"), str(index)], check=True)
    verify_index(index)  # whole: no complaint
    fragment = next(index.glob("fragment/*.pf_fragment"))
    if damage == "cut":
        fragment.write_bytes(fragment.read_bytes()[:40])
    elif damage == "empty":
        fragment.write_bytes(b"")
    else:
        (index / "pagefind-entry.json").write_text('{"version": "1', encoding="utf-8")
    with pytest.raises(SearchIndexError, match=r"the search index is incomplete: .* \(is the disk full\?\)"):
        verify_index(index)
