"""`casehub init`: a new hub written into an empty folder builds, through its own Makefile,
into a working empty site; its settings, topics, issue form, CODEOWNERS and workflows agree;
bad answers are asked again; nothing is ever overwritten."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import threading
from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup
from click.testing import CliRunner

from casehub.cli import cli
from casehub.core.project import Project
from casehub.curate.quickstart import WORKFLOWS, problem
from casehub.site.build import build, make_server

from .support import ROOT, require_tool
from .support.browser import AXE, run_axe
from .support.vnu import VNU, run_vnu

# name, organisation, repository (the default), address (the default), topics, facilitators
ANSWERS = ("North West Practice Hub\nNW Councils Partnership\n\n\n1, Housing and homelessness, digital-and-technology\n"
           "jo-bloggs\n")


def init(*args, input=None):
    return CliRunner().invoke(cli, ["init", *map(str, args)], input=input)


@pytest.fixture(scope="module")
def hub(tmp_path_factory) -> Path:
    """A hub started by answering the questions, then built by its own `make build`."""
    folder = tmp_path_factory.mktemp("hubs") / "north-west"
    result = init(folder, input=ANSWERS)
    assert result.exit_code == 0, result.output
    assert "Wrote " in result.output and f"cd {folder} && make serve" in result.output
    make = shutil.which("make")
    require_tool(bool(make), "make is needed to build the new hub as its README says")
    # The hub's Makefile installs Casehub from requirements.txt into .venv; this one is ours, already set up.
    (folder / ".venv").mkdir()
    (folder / ".venv" / "bin").symlink_to(Path(sys.executable).parent)
    (folder / ".venv" / ".installed-stamp").touch()
    built = subprocess.run([make, "build"], cwd=folder, capture_output=True, text=True, timeout=300,
                           env={**os.environ, "MAKEFLAGS": ""})
    assert built.returncode == 0, built.stdout + built.stderr
    return folder


def test_the_questions_make_a_ready_library(hub):
    for name in ("pelicanconf.py", "publishconf.py", "Makefile", "requirements.txt", "requirements.lock",
                 "README.md", ".gitignore", "hubs.yaml", "content/pages/about.md", "content/pages/contribute.md",
                 "theme/templates/base.html", "examples/case-study.md", "data/councils.csv",
                 "scripts/post_reminders.py", ".github/CODEOWNERS", ".github/ISSUE_TEMPLATE/share-a-case-study.yml"):
        assert (hub / name).is_file(), name
    assert [p.name for p in (hub / "casestudies").iterdir()] == [".gitkeep"]
    project = Project(hub)
    assert project.vocabularies["topics"].ids == ["adult-social-care", "digital-and-technology",
                                                  "housing-and-homelessness"]
    assert all(t["facilitators"] == ["jo-bloggs"] for t in project.vocabularies["topics"].items)
    settings = (hub / "pelicanconf.py").read_text(encoding="utf-8")
    assert "SITENAME = 'North West Practice Hub'\n" in settings
    assert "CASEHUB_REPO_URL = 'https://github.com/nw-councils-partnership/north-west-practice-hub'\n" in settings
    assert ("'https://nw-councils-partnership.github.io/north-west-practice-hub'"
            in (hub / "publishconf.py").read_text(encoding="utf-8"))
    assert "casehub @ git+https://github.com/casehub-uk/casehub@" in (hub / "requirements.txt").read_text()
    readme = (hub / "README.md").read_text(encoding="utf-8")
    assert readme.startswith("# North West Practice Hub\n")
    assert "Source: GitHub Actions" in readme and "Allow GitHub Actions to" in readme


def test_the_hub_checks_clean(hub):
    for command in (["validate"], ["codeowners", "--check"], ["docs", "--check"]):
        result = CliRunner().invoke(cli, ["--root", str(hub), *command])
        assert result.exit_code == 0, (command, result.output)
    owners = (hub / ".github" / "CODEOWNERS").read_text(encoding="utf-8")
    assert "\n* @jo-bloggs\n" in owners and "/casestudies/ @jo-bloggs\n" in owners
    assert "casehub-uk" not in owners


def test_the_built_hub_is_a_working_empty_site(hub):
    site = hub / "output"
    home = BeautifulSoup((site / "index.html").read_text(encoding="utf-8"), "html.parser")
    assert home.title.get_text() == "North West Practice Hub"
    empty = home.find(id="empty").parent
    assert empty.h2.get_text() == "No entries yet"
    assert empty.find("a", string="Share a case study")["href"].endswith("/contribute/")
    assert "casehub new" in empty.get_text()
    assert "North West Practice Hub is open source" in home.footer.get_text()
    about = (site / "about" / "index.html").read_text(encoding="utf-8")
    assert "run by NW Councils Partnership" in about
    for page in ("stats/index.html", "contribute/index.html", "search/index.html", "entries.json",
                 "topics/index.html", "pagefind/pagefind.js"):
        assert (site / page).is_file(), page
    assert 'href="https://nw-councils-partnership.github.io/north-west-practice-hub/contribute/"' \
        in (site / "index.html").read_text(encoding="utf-8")  # production settings: the site's own address


def test_make_serve_runs_casehub_serve(hub):
    dry = subprocess.run(["make", "-n", "serve"], cwd=hub, capture_output=True, text=True, timeout=60)
    assert dry.returncode == 0 and ".venv/bin/casehub serve --port 8000" in dry.stdout


def test_the_issue_form_offers_the_hubs_topics(hub):
    form = yaml.safe_load((hub / ".github/ISSUE_TEMPLATE/share-a-case-study.yml").read_text(encoding="utf-8"))
    topics = next(e for e in form["body"] if e.get("id") == "topics")
    assert topics["attributes"]["options"] == Project(hub).vocabularies["topics"].ids
    casehub = yaml.safe_load((ROOT / ".github/ISSUE_TEMPLATE/share-a-case-study.yml").read_text(encoding="utf-8"))
    assert [e.get("id") for e in form["body"]] == [e.get("id") for e in casehub["body"]]
    config = (hub / ".github/ISSUE_TEMPLATE/config.yml").read_text(encoding="utf-8")
    assert "github.com/nw-councils-partnership/north-west-practice-hub/blob/main/CONTRIBUTING.md" in config


def test_the_hubs_workflows_are_the_ones_casehub_checks(hub):
    """Byte for byte the workflows tests/test_workflows.py audits, Casehub's own CI left out."""
    names = sorted(p.name for p in (hub / ".github" / "workflows").iterdir())
    assert names == sorted(WORKFLOWS) and "sync.yml" in names and "ci.yml" not in names
    for name in names:
        text = (hub / ".github/workflows" / name).read_bytes()
        assert text == (ROOT / ".github/workflows" / name).read_bytes()
        for script in re.findall(rb"scripts/[\w./-]+", text):  # what the workflows run is in the hub
            assert (hub / script.decode()).is_file(), (name, script)
    makefile = (hub / "Makefile").read_text(encoding="utf-8")
    assert "$(STAMP): requirements.lock requirements.txt" in makefile
    assert "STAMP := $(VENV)/.installed-stamp" in makefile
    assert "--require-hashes -r requirements.lock" in makefile
    assert (hub / "requirements.lock").read_bytes() == (ROOT / "requirements.lock").read_bytes()


def test_options_for_scripts_and_python_safe_values(tmp_path):
    result = init(tmp_path / "hub", "--name", "St Helen's Practice Hub", "--organisation", "St Helens Council",
                  "--facilitator", "sh-council/practice", "--topic", "all", "--url", "https://practice.example.gov.uk/")
    assert result.exit_code == 0, result.output
    settings = (tmp_path / "hub" / "pelicanconf.py").read_text(encoding="utf-8")
    assert 'SITENAME = "St Helen\'s Practice Hub"\n' in settings
    compile(settings, "pelicanconf.py", "exec")
    readme = (tmp_path / "hub" / "README.md").read_text(encoding="utf-8")
    assert "Custom domain: `practice.example.gov.uk`" in readme and "CNAME" in readme
    assert len(Project(tmp_path / "hub").vocabularies["topics"].ids) == len(Project(ROOT).vocabularies["topics"].ids)


def test_bad_answers_are_asked_again(tmp_path):
    answers = ("X\nA hub\nNW Councils\nnot a repository\nnw/hub\ncamden.gov.uk\nhttps://hub.example.org.uk/\n"
               "99\nhousing\nhousing-and-homelessness\njo bloggs\njo-bloggs\n")
    result = CliRunner().invoke(cli, ["init", str(tmp_path / "hub")], input=answers)
    assert result.exit_code == 0, result.output
    assert "Enter the hub's name.\n" in result.output
    assert "Enter the GitHub repository as owner/name, for example leeds-council/practice-hub." in result.output
    assert "Enter a web address starting with https://" in result.output
    assert "'99' is not one of the topics: give numbers from 1 to 11" in result.output
    assert "'housing' is not one of the topics: did you mean 'housing-and-homelessness'?\n" in result.output
    assert "'jo bloggs' is not a GitHub username" in result.output
    assert Project(tmp_path / "hub").vocabularies["topics"].ids == ["housing-and-homelessness"]


def test_init_never_overwrites(tmp_path):
    (tmp_path / "README.md").write_text("Mine.\n", encoding="utf-8")
    before = sorted(p.name for p in tmp_path.iterdir())
    result = init(tmp_path, "--name", "Hub", "--organisation", "Org", "--facilitator", "jo-bloggs")
    assert result.exit_code == 2
    assert "already has README.md: casehub init never overwrites a file" in result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == before
    assert (tmp_path / "README.md").read_text(encoding="utf-8") == "Mine.\n"


def test_wrong_options_stop_before_anything_is_written(tmp_path):
    result = init(tmp_path / "hub", "--name", "Hub", "--organisation", "Org", "--url", "http://x.example.org/",
                  "--facilitator", "jo-bloggs")
    assert result.exit_code == 2 and "Enter a web address starting with https://" in result.output
    assert not (tmp_path / "hub").exists()


@pytest.mark.parametrize(("field", "value", "message"), [
    ("name", "", "Enter the hub's name"),
    ("name", "<script>", "without <, >"),
    ("repository", "owner", "as owner/name"),
    ("url", "https://localhost/", "starting with https://"),
    ("url", "https://hub.example.org/?x=1", "starting with https://"),
    ("facilitators", [], "at least one facilitator"),
])
def test_problems(field, value, message):
    assert message in problem(field, value)
    assert problem("url", "https://hub.example.org.uk/") is None


def test_the_empty_hubs_pages_are_valid_html(hub):
    require_tool(VNU.is_file() and shutil.which("java") is not None, "the Nu HTML Checker needs Java and vnu.jar")
    pages = [hub / "output" / name for name in ("index.html", "stats/index.html", "about/index.html",
                                                 "entries/index.html", "topics/index.html")]
    assert run_vnu(pages) == []


@pytest.mark.browser
@pytest.mark.xdist_group("browser")
def test_the_empty_hubs_pages_are_axe_clean(hub, browser, tmp_path):
    require_tool(AXE.is_file(), "axe-core is needed: run make test (it runs npm ci)")
    site = build(hub, "pelicanconf.py", tmp_path / "site", search=False)  # served here, not at its address
    server = make_server(site, "127.0.0.1", 0)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        for page in ("/", "/stats/"):
            browser.get(f"http://127.0.0.1:{server.server_address[1]}{page}")
            assert browser.find_element("css selector", "h1").text
            assert run_axe(browser) == [], page
    finally:
        server.shutdown()
        server.server_close()
