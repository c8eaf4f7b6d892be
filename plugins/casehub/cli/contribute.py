"""Contributors' commands: `new`, `add`, `from-issue`, `labels`."""

from __future__ import annotations

import json
from pathlib import Path

import click

from ..contribute.questions import QUESTIONS, choices_for, hint, option_help, resolve
from ..core.entry import slugify
from .app import cli
from .errors import Findings
from .options import output_dir_option, today_option


def question_options(function):
    """An option for each question `casehub new` asks (contribute/questions.py), in the order asked."""
    for question in reversed(QUESTIONS):
        default = None if question.asked else question.default
        function = click.option(question.option, question.name, multiple=question.many, default=default,
                                show_default=default is not None, help=option_help(question))(function)
    return function


@cli.command()
@question_options
@click.option("--id", "entry_id", default=None, help="The file name to use. Default: made from the title.")
@today_option("The publication date to write.")
@click.pass_obj
def new(project, entry_id, today, **given):
    """Start a new entry: answer a few questions, get a valid draft in casestudies/.

    Asks for anything not given as an option. A choice can be given by its id or
    its label ("East of England"). Never overwrites an existing file.

    Example: casehub new --type story --title "Our repairs line, redesigned with tenants"
    """
    from ..contribute.new import Answers, personal_data_warnings, suggested_id, write_new_entry
    from ..core.report import render
    from ..core.validate import validate as run_validation

    answers = dict(given_answers(project, given))
    for question in QUESTIONS:
        value = answers[question.name]
        if value is None and question.when and not question.when(answers):
            continue  # another answer stands in for this one (a mailbox or a web page)
        if value is None or not question.choices:  # a text given too short is asked for again
            answers[question.name] = ask(project, question, value)
    answers = Answers(**{name: value or "" for name, value in answers.items()} | {
        "topics": list(answers["topics"]), "entry_id": entry_id or suggested_id(answers["title"])})
    for warning in personal_data_warnings(answers):
        click.echo(f"Warning: {warning}", err=True)
    path = write_new_entry(project, answers, today)
    shown = project.relative(path)
    report = run_validation(project, [path])
    prompts = [f for f in report.findings if f.rule == "example-text"]
    click.echo(f"Wrote {shown} (status: draft). Next: under each of its {len(prompts)} headings, write your own "
               f"text in place of the prompt; then 'casehub validate {shown}' shows what is left, and you "
               "can open a pull request." if prompts else f"Wrote {shown} (status: draft).")
    others = [f for f in report.findings if f.rule != "example-text"]
    if others:  # an answer the validator has more to say about: the draft is kept, to fix
        if not report.ok:
            raise Findings(render(others, report.checked, "text"))
        click.echo(render(others, report.checked, "text"), err=True)


def given_answers(project, given: dict):
    """The answers given as options, each choice as its id; a choice that is not one stops the command."""
    for question in QUESTIONS:
        value = given[question.name]
        if question.many:
            value = value or None  # a repeated option not given is ()
        if question.choices and value is not None:
            choices = choices_for(project, question)
            ids = [_given_choice(question, one, choices) for one in (value if question.many else (value,))]
            value = tuple(ids) if question.many else ids[0]
        yield question.name, value


def _given_choice(question, value, choices):
    found = resolve(value, choices)
    if found is None:
        advice = hint(value, choices) or "use one of: " + ", ".join(choice.id for choice in choices)
        raise click.BadParameter(f"'{value}' is not a {question.noun}: {advice}", param_hint=question.option)
    return found


def ask(project, question, value):
    """Ask one question until it has a usable answer; a wrong choice gets the closest ones back."""
    if not question.choices:
        return _text(question, value)
    choices = choices_for(project, question)
    ids = [choice.id for choice in choices]
    default = question.default if question.default in ids else None
    numbered = [f"  {number:>{len(str(len(choices)))}}. {choice.label}"
                + ("" if slugify(choice.label) == choice.id else f" ({choice.id})")
                for number, choice in enumerate(choices, 1)]
    click.echo("\n".join([f"{question.prompt}:", *numbered]), err=True)  # shown once; ? shows them again
    prompt = f"{question.prompt} ({'numbers or names' if question.many else 'a number or a name'})"
    while True:
        answer = click.prompt(prompt, default=default)
        if answer.strip() == "?":
            click.echo("\n".join(numbered), err=True)
            continue
        parts = [part.strip() for part in answer.split(",") if part.strip()] if question.many else [answer]
        found = [_numbered_choice(part, choices) or resolve(part, choices) for part in parts]
        wrong = [part for part, one in zip(parts, found, strict=True) if one is None]
        for part in wrong:
            advice = hint(part, choices) or "type ? to see them all"
            click.echo(f"  Not a {question.noun}: {part} — {advice}", err=True)
        if parts and not wrong:
            return tuple(dict.fromkeys(found)) if question.many else found[0]


def _numbered_choice(answer: str, choices) -> str | None:
    """The id of the choice an answer gives by its number in the list shown, or None."""
    number = answer.strip().rstrip(".")
    return choices[int(number) - 1].id if number.isdigit() and 1 <= int(number) <= len(choices) else None


def _text(question, value):
    """A text answer with at least the question's fewest characters (or blank, where that is allowed)."""
    if question.blank and value is None:
        return click.prompt(question.prompt, default="", show_default=False).strip()
    while not value or len(value.strip()) < question.minimum:
        if value:
            click.echo(f"  Please write at least {question.minimum} characters.", err=True)
        value = click.prompt(question.prompt)
    return value.strip()


@cli.command()
@click.argument("source", metavar="FILE|-", type=click.File("rb"))
@click.option("--id", "entry_id", default=None,
              help="The id to give the entry. Default: the sender's file name, else made from the title.")
@click.option("--branch", is_flag=True,
              help="Commit the entry alone on a new branch, submission/<id>, ready to push as a pull request, "
                   "then come back to the branch you were on.")
@click.pass_obj
def add(project, source, entry_id, branch):
    """Add an entry that arrived outside GitHub (by e-mail or the publisher's form handler) as a draft.

    FILE is the entry file, the e-mail saved as a .eml file (the entry attached or in
    its text), or '-' to read text pasted in (the e-mail's text, say). Finds the
    entry, checks it can be read, claims a free id (a taken one gets a number on the
    end: nothing is ever overwritten), writes casestudies/<id>.md with status: draft,
    and validates it, listing what the draft still needs. Exit 0 once it is added,
    1 when it was added with a finding that fails even a draft (personal data,
    unsafe markup), 2 when no entry could be added (nothing is written).

    Example: casehub add ~/Downloads/entry.eml --branch
    """
    from ..contribute.submission import add_submission
    from ..core.report import render

    data = source.read()
    name = getattr(source, "name", "-")
    name = "" if name in ("-", "<stdin>") else Path(name).name
    added = add_submission(project, data, name, entry_id or "", branch)
    shown = project.relative(added.path)
    click.echo(f"Added {shown} (status: draft), from {added.where}.")
    for note in added.notes:
        click.echo(f"  Note: {note}.")
    if added.branch:
        came_back = f"; you are back on {added.back_on}" if added.back_on else ""
        click.echo(f"Committed it alone on the branch {added.branch}{came_back}. To open the pull request:\n"
                   f"  git push -u origin {added.branch} && gh pr create --head {added.branch} --fill")
    if added.findings:
        shown_findings = render(added.findings, 1, "text") + (
            f"\nThe draft is added{f' on {added.branch}' if added.branch else ''}: fix these, or ask the sender "
            "to, before it is published.")
        if any(f.severity == "error" for f in added.findings):
            raise Findings(shown_findings)
        click.echo(shown_findings, err=True)


@cli.command("from-issue")
@click.argument("body_file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--number", type=click.IntRange(min=1), help="The issue's number, to link the pull request to it.")
@output_dir_option("the entry")
@today_option("The entry's published date.")
@click.pass_obj
def from_issue(project, body_file, number, output_dir, today):
    """Turn a 'Share a case study' issue into a draft entry, and print the pull request to open, as JSON.

    BODY_FILE holds the issue's body. Never overwrites a file: a taken id gets a
    number on the end. Exit 0 once the file is written (even with findings, which
    are in the JSON), 2 if the issue cannot be used at all.

    Example: casehub from-issue body.md --number 42
    """
    from ..contribute.issueform import convert_issue, read_issue_body

    result = convert_issue(project, read_issue_body(body_file), number=number, output_dir=output_dir,
                           today=today)
    click.echo(json.dumps(result.as_dict(), indent=2, ensure_ascii=False))


@cli.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.pass_obj
def labels(project, paths):
    """Print the pull request labels for entry files: type:<type> and topic:<topic>, one a line.

    Only values from the vocabularies become labels; missing or unreadable files are skipped.

    Example: casehub labels casestudies/my-entry.md
    """
    from ..contribute.issueform import entry_labels

    for label in entry_labels(project, list(paths)):
        click.echo(label)


