"""Facilitators' commands: `review`, `reminders`, `reviewed`, `archive`, `feature`, `codeowners`, `docs`."""

from __future__ import annotations

import json

import click

from .app import cli
from .errors import FINDINGS, OK, finish
from .options import check_option, entry_id_argument, format_option, today_option


@cli.command()
@click.option("--topic", help="Only entries on this topic (an id from data/topics.yaml).")
@format_option("text", "json", "markdown")
@today_option("Review as if it were this date.")
@click.pass_obj
def review(project, topic, fmt, today):
    """List what needs a facilitator: drafts, entries due or overdue for review, and weak entries.

    Each line says what to do. Exit 0 whether or not the queue is empty.

    Example: casehub review --topic climate-and-environment
    """
    from ..curate.review import queue_as_markdown, queue_as_text, review_queue

    if topic and topic not in project.vocabularies["topics"].by_id:
        raise click.BadParameter(f"'{topic}' is not a topic in data/topics.yaml", param_hint="--topic")
    items = review_queue(project, today, topic)
    if fmt == "json":
        click.echo(json.dumps([i.as_dict() for i in items], indent=2, ensure_ascii=False))
    else:
        click.echo((queue_as_markdown if fmt == "markdown" else queue_as_text)(items), nl=False)


@cli.command()
@today_option("As if it were this date.")
@click.pass_obj
def reminders(project, today):
    """Print, as JSON, one issue (title, label, body) per topic with overdue entries.

    The scheduled review workflow opens or updates an issue from each.

    Example: casehub reminders > reminders.json
    """
    from ..curate.review import reminders as make

    click.echo(json.dumps(make(project, today), indent=2, ensure_ascii=False))


def _edited(action) -> None:
    """Run one front matter edit: print what changed, and any findings the entry still has.

    Exit 0 once the file is written (findings it already had are reported, not fatal),
    1 if the edit was refused because of the file's content, 2 for an unknown id or bad value
    (errors.py tells EditError and EditUsageError so)."""
    result = action()
    click.echo(result.summary())
    if result.findings:
        for finding in result.findings:
            click.echo(str(finding), err=True)
        count = len(result.findings)
        click.echo(f"{result.path} still has {count} problem{'s' if count != 1 else ''} that this change did not "
                   f"cause: fix {'them' if count != 1 else 'it'} separately ('casehub validate {result.path}').",
                   err=True)


@cli.command()
@entry_id_argument
@today_option("The day the entry was checked.", "--on")
@click.pass_obj
def reviewed(project, entry_id, on):
    """Record that an entry was checked and is still accurate.

    Sets last_reviewed to the day, and review_by to the day plus the library's review
    period (review_period_months in data/casehub.yaml). Only those lines change.

    Example: casehub reviewed camden-data-charter --on 2026-11-22
    """
    from ..curate.edit import record_review

    _edited(lambda: record_review(project, entry_id, on))


@cli.command()
@entry_id_argument
@click.option("--reason", required=True, help="Why, in 10 to 300 characters; shown in a banner on the entry's page.")
@click.pass_obj
def archive(project, entry_id, reason):
    """Archive an entry: it keeps its page, with the reason in a banner, and leaves listings and search.

    Sets status: archived and archived_reason. Only those lines change.

    Example: casehub archive casserole-club --reason "The service closed in 2023; kept for the record."
    """
    from datetime import date

    from ..curate.edit import archive as run

    _edited(lambda: run(project, entry_id, reason, date.today()))


@cli.command()
@entry_id_argument
@click.option("--remove", is_flag=True, help="Stop featuring the entry (removes the featured line).")
@click.pass_obj
def feature(project, entry_id, remove):
    """Feature an entry on the home page (featured: true), or stop featuring it with --remove.

    Example: casehub feature camden-data-charter --remove
    """
    from ..curate.edit import feature as run

    _edited(lambda: run(project, entry_id, not remove))


@cli.command()
@check_option(".github/CODEOWNERS is out of date")
@click.pass_obj
def codeowners(project, check):
    """Regenerate .github/CODEOWNERS: each entry is owned by its topics' facilitators.

    Example: casehub codeowners --check
    """
    from ..curate.codeowners import codeowners_path, stale_codeowners, write_codeowners

    if check:
        if stale_codeowners(project):
            click.echo(f"{project.relative(codeowners_path(project))} is out of date: run 'casehub codeowners' "
                       "and commit it.", err=True)
            finish(FINDINGS)
        return
    click.echo(f"Wrote {project.relative(write_codeowners(project))}")


@cli.command()
@check_option("the generated docs are out of date")
@click.pass_obj
def docs(project, check):
    """Regenerate the field reference (content/pages/fields.md) from the schema.

    Example: casehub docs --check
    """
    from ..curate.docs import stale_docs, write_docs

    if check:
        stale = stale_docs(project)
        for path in stale:
            click.echo(f"{project.relative(path)} is out of date: run 'casehub docs' and commit it.", err=True)
        finish(FINDINGS if stale else OK)
    for path in write_docs(project):
        click.echo(f"Wrote {project.relative(path)}")


