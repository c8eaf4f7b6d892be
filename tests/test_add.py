"""`casehub add`: an entry that arrived by e-mail (attached, pasted between the page's
markers, quoted in a reply, HTML only) or as a file becomes a draft, validated, with a
free id, never overwriting anything; with --branch, committed alone on a new branch."""

from __future__ import annotations

import os
import re
import subprocess
from email.message import EmailMessage

import pytest
from click.testing import CliRunner

from casehub.cli import cli
from casehub.core.loader import load

from .support import MINIMAL

ENTRY = MINIMAL.replace("status: published", "status: published\nfeatured: true")
LONG_BODY = "\n\n".join(f"Paragraph {n}: we worked with residents and staff to change the service, one step "
                        "at a time, and measured what changed." for n in range(200))
GIT = {"GIT_AUTHOR_NAME": "Facilitator", "GIT_AUTHOR_EMAIL": "facilitator@example.gov.uk",
       "GIT_COMMITTER_NAME": "Facilitator", "GIT_COMMITTER_EMAIL": "facilitator@example.gov.uk"}


def run(project, *args, input=None):
    return CliRunner().invoke(cli, ["--root", str(project.root), "add", *args], input=input)


def marked(text, name="casestudies/libraries-lend-monitors.md"):
    """The text the Contribute page's e-mail link writes."""
    return (f"Please add this entry to Casehub.\n\n----- BEGIN CASEHUB ENTRY {name} -----\n{text}"
            "----- END CASEHUB ENTRY -----\n\nThanks,\nJo Bloggs\nLibraries officer, 07700 900123\n")


def email_with(text=None, attachment=None, filename="libraries-lend-monitors.md", html=None, flowed=False):
    message = EmailMessage()
    message["From"] = "Jo Bloggs <jo.bloggs@example.gov.uk>"
    message["To"] = "casehub-submissions@example.gov.uk"
    message["Subject"] = "Casehub entry: An example story from a council"
    if text is not None:
        message.set_content(text)
        if flowed:
            message.set_param("format", "flowed")
    if html is not None:
        if text is None:
            message.set_content(html, subtype="html")
        else:
            message.add_alternative(html, subtype="html")
    if attachment is not None:
        message.add_attachment(attachment.encode("utf-8"), maintype="text", subtype="markdown", filename=filename)
    return bytes(message)


def test_pasted_email_text_between_the_markers_becomes_a_draft_without_the_signature(new_project):
    project = new_project()
    result = run(project, "-", input=marked(MINIMAL))
    assert result.exit_code == 0, result.output
    assert result.output.startswith("Added casestudies/libraries-lend-monitors.md (status: draft), from the pasted "
                                    "text, between its BEGIN and END lines.")
    path = project.entries_dir / "libraries-lend-monitors.md"
    document = load(path)
    assert document.metadata["status"] == "draft" and document.metadata["title"] == "An example story from a council"
    assert document.body.strip() == "The body of the story, in plain Markdown."
    assert "07700" not in path.read_text() and "Bloggs" not in path.read_text()  # nothing about the sender


def test_an_eml_with_the_file_attached_and_a_long_body_loses_nothing(new_project, tmp_path):
    project = new_project()
    text = ENTRY.replace("The body of the story, in plain Markdown.\n", LONG_BODY + "\n")
    saved = tmp_path / "Casehub entry.eml"
    saved.write_bytes(email_with("Please add my entry to Casehub. The entry is the attached file.", text))
    result = run(project, str(saved))
    assert result.exit_code == 0, result.output
    assert "from the attachment 'libraries-lend-monitors.md' of Casehub entry.eml" in result.output
    assert "Note: its status was 'published': it is written as a draft" in result.output
    assert "Note: its 'featured' field was removed" in result.output
    document = load(project.entries_dir / "libraries-lend-monitors.md")
    assert document.body.strip() == LONG_BODY  # all 200 paragraphs
    assert document.metadata["status"] == "draft" and "featured" not in document.metadata


@pytest.mark.parametrize("kind", ["quoted reply", "flowed", "html only", "plain file", "begin line broken"])
def test_the_entry_is_found_however_the_mail_program_sent_it(new_project, tmp_path, kind):
    project = new_project()
    if kind == "quoted reply":
        data = ("On Monday, Jo wrote:\n" + "".join(f"> {line}\n" for line in marked(MINIMAL).split("\n"))).encode()
        name = "reply.txt"
    elif kind == "flowed":  # long lines broken with a trailing space, as format=flowed mail programs do
        flowed = marked(MINIMAL).replace("long enough to pass the minimum length ",
                                         "long enough to pass \nthe minimum length ")
        data, name = email_with(flowed, flowed=True), "flowed.eml"
    elif kind == "html only":
        lines = [line.replace("&", "&amp;").replace("<", "&lt;") for line in marked(MINIMAL).split("\n")]
        html = "<html><body><p>Please add this.</p><p>" + "<br>".join(lines) + "</p></body></html>"
        data, name = email_with(html=html), "outlook.eml"
    elif kind == "begin line broken":  # a mail program that wraps long lines without marking it
        data = marked(MINIMAL).replace("ENTRY casestudies/", "ENTRY\ncasestudies/").encode()
        name = "pasted.txt"
    else:
        data, name = MINIMAL.encode(), "libraries-lend-monitors.md"
    (tmp_path / name).write_bytes(data)
    result = run(project, str(tmp_path / name))
    assert result.exit_code == 0, result.output
    [path] = project.entries_dir.iterdir()
    document = load(path)
    assert document.metadata["summary"] == MINIMAL.split("summary: ")[1].split("\n")[0]
    assert document.body.strip() == "The body of the story, in plain Markdown."


def test_a_taken_id_gets_a_number_and_nothing_is_overwritten(new_project):
    project = new_project({"libraries-lend-monitors.md": MINIMAL})
    before = (project.entries_dir / "libraries-lend-monitors.md").read_bytes()
    result = run(project, "-", input=marked(MINIMAL))
    assert result.exit_code == 0, result.output
    assert "Added casestudies/libraries-lend-monitors-2.md" in result.output
    assert "the id 'libraries-lend-monitors' was taken (casestudies/libraries-lend-monitors.md exists)" in result.output
    assert (project.entries_dir / "libraries-lend-monitors.md").read_bytes() == before
    taken = run(project, "-", "--id", "libraries-lend-monitors", input=marked(MINIMAL))
    assert taken.exit_code == 2 and "the id 'libraries-lend-monitors' is taken" in taken.output
    assert sorted(p.name for p in project.entries_dir.iterdir()) == ["libraries-lend-monitors-2.md",
                                                                    "libraries-lend-monitors.md"]


def test_without_a_file_name_the_id_comes_from_the_title(new_project):
    project = new_project()
    result = run(project, "-", input=MINIMAL)
    assert result.exit_code == 0, result.output
    assert (project.entries_dir / "an-example-story-from-a-council.md").is_file()


def test_findings_are_listed_and_the_draft_kept(new_project):
    project = new_project()
    text = MINIMAL.replace("  url: https://www.example.gov.uk/contact", "  email: jane.smith@gmail.com")
    result = run(project, "-", input=marked(text))
    assert result.exit_code == 1
    assert re.search(r"casestudies/libraries-lend-monitors.md:\d+:10: contact.email: 'gmail.com' is a personal "
                     "webmail service, not a team's mailbox", result.output)
    assert "The draft is added: fix these, or ask the sender to" in result.output
    assert (project.entries_dir / "libraries-lend-monitors.md").is_file()


def test_what_a_draft_still_needs_is_listed_without_failing(new_project):
    project = new_project()
    result = run(project, "-", input=marked(MINIMAL.replace("type: story", "type: how-to")))
    assert result.exit_code == 0, result.output
    assert "a how-to needs a '## Before you start' section" in result.output
    assert "The draft is added: fix these, or ask the sender to" in result.output


@pytest.mark.parametrize("text, message", [
    ("Hello, I would like to share what we did with our libraries.\n",
     "no entry was found in the pasted text: an entry starts with a line '---'"),
    (marked(MINIMAL.replace("title: An example story from a council", "title: Lambeth: a council")),
     "the entry in the pasted text, between its BEGIN and END lines, cannot be read: line 2, column 15: "
     "this value contains ': ', which YAML reads as a new field"),
])
def test_what_cannot_be_added_is_refused_plainly_and_nothing_written(new_project, text, message):
    project = new_project()
    result = run(project, "-", input=text)
    assert result.exit_code == 2
    assert message in result.output and "Nothing was written" in result.output
    assert "Traceback" not in result.output
    assert list(project.entries_dir.iterdir()) == []


def git(project, *args):
    return subprocess.run(["git", *args], cwd=project.root, capture_output=True, text=True, check=True,
                          env={**os.environ, **GIT}).stdout.strip()


def test_branch_commits_the_entry_alone_and_comes_back(new_project, monkeypatch):
    for name, value in GIT.items():
        monkeypatch.setenv(name, value)
    project = new_project()
    git(project, "init", "-q", "-b", "main")
    git(project, "add", "-A")
    git(project, "commit", "-q", "-m", "A library")
    (project.root / "notes.txt").write_text("a facilitator's own work in progress\n")
    git(project, "add", "notes.txt")
    result = run(project, "-", "--branch", input=marked(MINIMAL))
    assert result.exit_code == 0, result.output
    assert ("Committed it alone on the branch submission/libraries-lend-monitors; you are back on main. "
            "To open the pull request:\n  git push -u origin submission/libraries-lend-monitors") in result.output
    assert git(project, "branch", "--show-current") == "main"
    assert git(project, "show", "--name-only", "--format=%s", "submission/libraries-lend-monitors") == \
        "Add libraries-lend-monitors: An example story from a council\n\ncasestudies/libraries-lend-monitors.md"
    assert git(project, "diff", "--cached", "--name-only") == "notes.txt"  # the facilitator's work is untouched
    committed = git(project, "show", "submission/libraries-lend-monitors:casestudies/libraries-lend-monitors.md")
    assert "status: draft" in committed
    again = run(project, "-", "--branch", "--id", "libraries-lend-monitors", input=marked(MINIMAL))
    assert again.exit_code == 2  # the id is free here (the file is on the branch) but the branch exists
    assert "the branch 'submission/libraries-lend-monitors' already exists" in again.output
    assert not (project.entries_dir / "libraries-lend-monitors.md").exists()


def test_branch_outside_git_writes_nothing(new_project):
    project = new_project()
    result = run(project, "-", "--branch", input=marked(MINIMAL))
    assert result.exit_code == 2 and "is not in a git repository" in result.output
    assert list(project.entries_dir.iterdir()) == []
