"""The W3C Nu HTML Checker (vnu.jar, run with Java) finds no errors in the built site."""

import shutil

from .support import require_tool
from .support.vnu import VNU, run_vnu


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
