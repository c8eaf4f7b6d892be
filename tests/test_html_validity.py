"""The W3C Nu HTML Checker (vnu.jar, run with Java) finds no errors in the built site."""

import json
import shutil
import subprocess

from .conftest import NODE_TOOLS, require_tool

VNU = NODE_TOOLS / "vnu-jar" / "build" / "dist" / "vnu.jar"


def run_vnu(paths):
    result = subprocess.run(
        [shutil.which("java") or "java", "-jar", str(VNU), "--errors-only", "--format", "json", *map(str, paths)],
        capture_output=True, text=True, check=False, timeout=300)
    return json.loads(result.stderr or '{"messages": []}')["messages"]


def test_built_site_is_valid_html(built_site):
    require_tool(VNU.is_file() and shutil.which("java") is not None,
                 "the Nu HTML Checker needs Java and vnu.jar: run make test (npm ci) with Java installed")
    pages = [p for p in built_site.rglob("*.html") if "pagefind" not in p.parts]
    messages = run_vnu(pages)
    assert messages == [], "\n".join(f"{m.get('url', '').split('/site')[-1]}:{m.get('lastLine')}: {m['message']}"
                                     for m in messages)


def test_the_checker_reports_real_errors(tmp_path):
    require_tool(VNU.is_file() and shutil.which("java") is not None, "the Nu HTML Checker needs Java and vnu.jar")
    page = tmp_path / "bad.html"
    page.write_text("<!DOCTYPE html><html lang=en><title>x</title><p><div></p></span>")
    assert run_vnu([page])
