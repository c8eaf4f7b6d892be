"""Contributors' commands: `new`, `from-issue`, `labels`."""

from __future__ import annotations

import json
from pathlib import Path

import click

from .app import cli
from .errors import Findings
from .options import output_dir_option, today_option


@cli.command()
@click.option("--type", "entry_type", help="case-study, story, how-to or what-didnt-work.")
@click.option("--title", help="The headline: what was done and where.")
@click.option("--summary", help="One or two sentences saying what happened and what changed.")
@click.option("--organisation", help="The lead organisation's name.")
@click.option("--role", default="lead", show_default=True, help="The organisation's role.")
@click.option("--nation", help="england, scotland, wales, northern-ireland or uk.")
@click.option("--region", help="A region id from data/regions.yaml.")
@click.option("--council-type", default=None, help="A council type id from data/council-types.yaml (optional).")
@click.option("--topic", "topics", multiple=True, help="A topic id from data/topics.yaml (repeat for more).")
@click.option("--stage", help="A stage id from data/stages.yaml.")
@click.option("--contact-team", help="The team readers can contact.")
@click.option("--contact-email", default=None, help="The team's shared mailbox (or give --contact-url).")
@click.option("--contact-url", default=None, help="The team's contact page.")
@click.option("--id", "entry_id", default=None, help="The file name to use. Default: made from the title.")
@today_option("The publication date to write.")
@click.pass_obj
def new(project, entry_type, title, summary, organisation, role, nation, region, council_type, topics, stage,
        contact_team, contact_email, contact_url, entry_id, today):
    """Start a new entry: answer a few questions, get a valid draft in casestudies/.

    Asks for anything not given as an option. Never overwrites an existing file.

    Example: casehub new --type story --title "Our repairs line, redesigned with tenants"
    """
    from ..contribute.new import Answers, personal_data_warnings, suggested_id, write_new_entry
    from ..core.report import render
    from ..core.validate import validate as run_validation

    vocab = project.vocabularies

    def choose(value, name, prompt, choices, default=None):
        if value is not None and value not in choices:
            raise click.BadParameter(f"'{value}' is not one of: {', '.join(choices)}", param_hint=name)
        return value or click.prompt(prompt, type=click.Choice(choices), default=default, show_choices=True)

    def text(value, prompt, minimum=1):
        while not value or len(value.strip()) < minimum:
            if value:
                click.echo(f"  Please write at least {minimum} characters.", err=True)
            value = click.prompt(prompt)
        return value.strip()

    entry_type = choose(entry_type, "--type", "Type of entry", vocab["types"].ids, "case-study")
    title = text(title, "Title (what was done, and where)", 5)
    summary = text(summary, "Summary (one or two sentences, 30 to 300 characters)", 30)
    organisation = text(organisation, "Lead organisation")
    role = choose(role, "--role", "Its role", ["lead", "partner", "funder", "supplier"], "lead")
    nation = choose(nation, "--nation", "Nation", ["england", "scotland", "wales", "northern-ireland", "uk"],
                    "england")
    region = choose(region, "--region", "Region", vocab["regions"].ids)
    council_type = choose(council_type, "--council-type", "Council type", vocab["council-types"].ids)
    topic_ids = vocab["topics"].ids
    for topic in topics:
        choose(topic, "--topic", "Topic", topic_ids)
    while not topics:
        answer = click.prompt(f"Topics, separated by commas (from: {', '.join(topic_ids)})")
        chosen = [t.strip() for t in answer.split(",") if t.strip()]
        unknown = [t for t in chosen if t not in topic_ids]
        if unknown:
            click.echo(f"  Not a topic: {', '.join(unknown)}", err=True)
        else:
            topics = tuple(chosen)
    stage = choose(stage, "--stage", "Stage", vocab["stages"].ids, "live")
    contact_team = text(contact_team, "Team readers can contact", 2)
    if not (contact_email or contact_url):
        contact_email = click.prompt("The team's shared mailbox (leave blank to give a web page instead)",
                                     default="", show_default=False).strip()
        if not contact_email:
            contact_url = text(None, "The team's contact web page (https://…)", 8)
    answers = Answers(entry_type, title, summary, organisation, role, nation, region, list(topics), stage,
                      contact_team, contact_email or "", contact_url or "", council_type or "",
                      entry_id or suggested_id(title))
    for warning in personal_data_warnings(answers):
        click.echo(f"Warning: {warning}", err=True)
    path = write_new_entry(project, answers, today)
    click.echo(f"Wrote {project.relative(path)} (status: draft). Replace the example text under each heading "
               "with your own, then run 'casehub validate' and open a pull request.")
    report = run_validation(project, [path])
    if report.findings:
        raise Findings(render(report.findings, report.checked, "text"))


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


