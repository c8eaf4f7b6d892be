"""The casehub command: exit codes, formats, and no tracebacks."""

import subprocess
import sys

from click.testing import CliRunner

from casehub.cli import cli

from .support import FIXTURES, MINIMAL, ROOT


def run(*args, root=ROOT):
    return CliRunner().invoke(cli, ["--root", str(root), *args])


def test_validate_clean_library_exits_0():
    result = run("validate")
    assert result.exit_code == 0
    assert result.output.startswith("Checked ") and "no problems found" in result.output


def test_validate_findings_exit_1():
    result = run("validate", str(FIXTURES / "invalid" / "type-unknown.md"))
    assert result.exit_code == 1


def test_usage_and_io_errors_exit_2():
    assert run("validate", "no/such/file.md").exit_code == 2
    assert run("validate", "--format", "xml").exit_code == 2
    assert run("no-such-command").exit_code == 2


def test_github_format():
    result = run("validate", "--format", "github", str(FIXTURES / "invalid" / "featured-yes.md"))
    assert result.exit_code == 1
    assert result.output.startswith("::error file=tests/fixtures/invalid/featured-yes.md,line=14,col=11,")


def test_a_broken_vocabulary_is_reported_not_raised(new_project):
    project = new_project({"a.md": MINIMAL})
    (project.data_dir / "topics.yaml").write_text("- id: a\n  label: A\n- id: a\n  label: Again\n")
    result = run("validate", root=project.root)
    assert result.exit_code == 1
    assert "data/topics.yaml:3:7: [1].id: the id 'a' appears twice — keep one of them" in result.output
    assert "Traceback" not in result.output


def test_build_and_its_failure(new_project, tmp_path):
    project = new_project({"a.md": MINIMAL})
    ok = run("build", "--output", str(tmp_path / "site"), root=project.root)
    assert ok.exit_code == 0, ok.output
    assert (tmp_path / "site" / "a" / "index.html").is_file()
    assert (tmp_path / "site" / "pagefind" / "pagefind.js").is_file()
    assert "Note: No site address" in ok.output and "CASEHUB_SITEURL" in ok.output  # the sitemap needs it
    (project.entries_dir / "b.md").write_text(MINIMAL.replace("featured", "x").replace("stage: live", "stage: later"))
    bad = run("build", "--output", str(tmp_path / "site2"), root=project.root)
    assert bad.exit_code == 1
    assert "casestudies/b.md:13:8: stage: 'later' is not an allowed value" in bad.output
    assert "The site was not built" in bad.output


def test_docs_check_passes_on_the_repository():
    assert run("docs", "--check").exit_code == 0


def test_console_script_runs():
    result = subprocess.run([sys.executable, "-m", "casehub.cli"], capture_output=True, text=True, check=False)
    assert result.returncode in (0, 2)
    exe = ROOT / ".venv" / "bin" / "casehub"
    if exe.exists():
        done = subprocess.run([str(exe), "--root", str(ROOT), "validate", "examples"],
                              capture_output=True, text=True, check=False)
        assert done.returncode == 0, done.stderr


def test_each_kind_of_error_has_one_exit_code_and_a_sentence(monkeypatch):
    from casehub.core.findings import CasehubError, Finding, FindingsError
    from casehub.core.validate import UsageError
    from casehub.curate.edit import EditError
    from casehub.curate.ids import UnknownEntryError
    from casehub.site.generator import BuildStopped

    finding = Finding("casestudies/a.md", 3, 1, "schema-enum", "'later' is not an allowed value")
    cases = [(FindingsError([finding]), 1, "casestudies/a.md:3:1: "), (BuildStopped([finding], 1), 1, "Checked 1"),
             (EditError("the file was not changed"), 1, "Error: the file was not changed"),
             (UnknownEntryError("nope", []), 2, "there is no entry 'nope'"),
             (UsageError("no such file"), 2, "Error: no such file"),
             (CasehubError("the input cannot be used"), 2, "Error: the input cannot be used"),
             (PermissionError(13, "Permission denied", "content/pages/fields.md"), 2,
              "Error: content/pages/fields.md: permission denied"),
             (KeyError("surprise"), 2, "Error: something unexpected went wrong (KeyError: 'surprise')")]
    for error, code, message in cases:
        def fail(*args, error=error, **kwargs):
            raise error
        monkeypatch.setattr("casehub.curate.docs.write_docs", fail)
        result = run("docs")
        assert result.exit_code == code, (error, result.output)
        assert message in result.output and "Traceback" not in result.output, (error, result.output)
        assert not result.exception or isinstance(result.exception, SystemExit)


def test_debug_lets_the_traceback_through(monkeypatch):
    def fail(*args, **kwargs):
        raise KeyError("surprise")
    monkeypatch.setattr("casehub.curate.docs.write_docs", fail)
    result = CliRunner().invoke(cli, ["--root", str(ROOT), "--debug", "docs"])
    assert isinstance(result.exception, KeyError)
