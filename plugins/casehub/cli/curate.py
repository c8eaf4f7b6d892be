"""Facilitators' commands: `review`, `reminders`, `reviewed`, `archive`, `feature`, `codeowners`, `docs`."""

from __future__ import annotations

import json
from pathlib import Path

import click

from ..curate.submissions import GH_ISSUE_FIELDS, GH_PR_FIELDS
from .app import cli
from .errors import FINDINGS, OK, finish
from .options import check_option, entry_ids_argument, format_option, today_option


@cli.command()
@click.option("--topic", help="Only entries and submissions on this topic (an id from data/topics.yaml); "
                              "submissions with no topic yet are kept.")
@click.option("--pulls", type=click.Path(exists=True, dir_okay=False, path_type=Path), metavar="FILE",
              help=f"Open pull requests, as 'gh pr list --json {GH_PR_FIELDS}' or the REST API's /pulls give them.")
@click.option("--issues", type=click.Path(exists=True, dir_okay=False, path_type=Path), metavar="FILE",
              help=f"Open issues, as 'gh issue list --label submission --json {GH_ISSUE_FIELDS}' or the REST API's "
                   "/issues give them: who sent a submission a workflow turned into a pull request, and "
                   "submissions that have none yet.")
@format_option("text", "json", "markdown")
@today_option("Review as if it were this date.")
@click.pass_obj
def review(project, topic, pulls, issues, fmt, today):
    """The review board: submissions waiting (with --pulls), then files that fail validation, imported
    batches (totals, and drafts grouped by what they need), drafts, entries due or overdue for review,
    and weak entries.

    Each submission shows who sent it, its topics, how many days it has waited, the state of its
    checks, a link to its preview and what to do next; each other line says what to do. Exit 0
    whether or not anything is waiting.

    Example: gh pr list --json number,title,author,createdAt,updatedAt,labels,files,headRefName,url,isDraft,\
statusCheckRollup > pulls.json && casehub review --pulls pulls.json
    """
    from ..curate.board import Board, board_as_markdown, board_as_text
    from ..curate.review import review_queue
    from ..curate.submissions import read_submissions

    if topic and topic not in project.vocabularies["topics"].by_id:
        raise click.BadParameter(f"'{topic}' is not a topic in data/topics.yaml", param_hint="--topic")
    if issues and not pulls:
        raise click.UsageError("--issues goes with --pulls: the issues say who sent the pull requests")
    submissions, others = read_submissions(project, pulls, today, issues) if pulls else (None, 0)
    if topic and submissions:
        submissions = [s for s in submissions if topic in s.topics or not s.topics]
    board = Board(today, submissions, others, review_queue(project, today, topic))
    if fmt == "json":
        click.echo(json.dumps(board.as_dict(), indent=2, ensure_ascii=False))
    else:
        click.echo((board_as_markdown if fmt == "markdown" else board_as_text)(project, board), nl=False)


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


def _edited(result) -> None:
    """Print what one edit changed, and any findings the entry still has (they were there before)."""
    click.echo(result.summary())
    if result.findings:
        for finding in result.findings:
            click.echo(str(finding), err=True)
        count = len(result.findings)
        click.echo(f"{result.path} still has {count} problem{'s' if count != 1 else ''} that this change did not "
                   f"cause: fix {'them' if count != 1 else 'it'} separately ('casehub validate {result.path}').",
                   err=True)


def _edit_each(project, entry_ids, action) -> None:
    """Run one front matter edit on each entry named, in order, each changing only its own lines.

    Every id must name an entry before anything is written (an unknown one is a usage error,
    exit 2, with the ids it is closest to). An entry whose file refuses the edit is reported and
    the rest are still done: exit 0 when every file was written (findings it already had are
    reported, not fatal), 1 when any was refused (errors.py tells EditError and the id errors so)."""
    from ..curate.edit import EditError
    from ..curate.ids import entry_paths

    entry_paths(project, entry_ids)
    asked = list(dict.fromkeys(entry_ids))
    if len(asked) == 1:
        _edited(action(asked[0]))
        return
    refused = []
    for entry_id in asked:
        try:
            _edited(action(entry_id))
        except EditError as error:
            click.echo(f"Error: {error}", err=True)
            refused.append(entry_id)
    if refused:
        click.echo(f"{len(refused)} of {len(asked)} entries were not changed: {', '.join(refused)}.", err=True)
        finish(FINDINGS)


@cli.command()
@entry_ids_argument
@today_option("The day the entries were checked.", "--on")
@click.pass_obj
def reviewed(project, entry_ids, on):
    """Record that entries were checked and are still accurate.

    Sets last_reviewed to the day, and review_by to the day plus the library's review
    period (review_period_months in data/casehub.yaml). Only those lines change.

    Example: casehub reviewed camden-data-charter casserole-club --on 2026-11-22
    """
    from ..curate.edit import record_review

    _edit_each(project, entry_ids, lambda entry_id: record_review(project, entry_id, on))


@cli.command()
@entry_ids_argument
@click.option("--reason", required=True, help="Why, in 10 to 300 characters; shown in a banner on the entry's page.")
@click.pass_obj
def archive(project, entry_ids, reason):
    """Archive entries: each keeps its page, with the reason in a banner, and leaves listings and search.

    Sets status: archived and archived_reason. Only those lines change.

    Example: casehub archive casserole-club --reason "The service closed in 2023; kept for the record."
    """
    from datetime import date

    from ..curate.edit import archive as run

    _edit_each(project, entry_ids, lambda entry_id: run(project, entry_id, reason, date.today()))


@cli.command()
@entry_ids_argument
@click.option("--remove", is_flag=True, help="Stop featuring the entries (removes the featured line).")
@click.pass_obj
def feature(project, entry_ids, remove):
    """Feature entries on the home page (featured: true), or stop featuring them with --remove.

    Only published entries can be featured: a draft or an archived entry is refused.

    Example: casehub feature camden-data-charter bristol-one-city-approach
    """
    from ..curate.edit import feature as run

    _edit_each(project, entry_ids, lambda entry_id: run(project, entry_id, not remove))


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


