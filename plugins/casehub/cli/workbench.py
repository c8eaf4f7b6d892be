"""The migration workbench's commands: `set`, `publish` and `worklist`, for imported batches (and any
entries), over `curate/bulk.py` and `curate/workbench.py`."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from .app import cli
from .errors import FINDINGS, OK, finish
from .options import dry_run_option, selection_options


@cli.command("set")
@click.argument("words", nargs=-1, metavar="FIELD=VALUE… [ID…]")
@selection_options
@dry_run_option("would change")
@click.pass_obj
def set_(project, words, batch, where, dry_run):
    """Set fields on many entries at once: the ids given, an import's --batch, and/or --where.

    FIELD=VALUE sets a field (`stage=live`), a list (`topics=housing-and-homelessness,digital-and-technology`),
    the lead organisation (`organisations="Camden Council"`) or a group's field (`geography.region=london`);
    an empty VALUE removes the field. Only those fields' lines change in each file. A change that would add
    a problem to an entry is refused for that entry (exit 1); unknown ids get the near misses (exit 2).

    Example: casehub set topics=housing-and-homelessness --batch "Council archive 2026-11-30" --where topics=
    """
    from ..curate.batches import select
    from ..curate.bulk import parse_assignments, set_many, set_text
    from ..curate.edit import EditUsageError

    assignments = [w for w in words if "=" in w]
    ids = [w for w in words if "=" not in w]
    if not assignments:
        raise EditUsageError("say what to set: FIELD=VALUE, for example stage=live")
    changes = parse_assignments(project, assignments)
    targets = select(project, ids, batch, list(where))
    result = set_many(project, targets, changes, dry_run)
    click.echo(set_text(result, changes), nl=False)
    finish(OK if result.ok else FINDINGS)


@cli.command()
@click.argument("ids", nargs=-1, metavar="[ID…]")
@selection_options
@dry_run_option("would be published and what is not complete")
@click.pass_obj
def publish(project, ids, batch, where, dry_run):
    """Publish complete drafts: the ids given, or an import's --batch (narrowed by --where).

    Sets status: published and removes the importer's comment lines at the top; nothing else changes.
    A draft that is not complete is left as it was, with what it still needs (exit 1).

    Example: casehub publish --batch "Council archive 2026-11-30" --dry-run
    """
    from ..curate.batches import select
    from ..curate.bulk import publish_many, publish_text

    result = publish_many(project, select(project, list(ids), batch, list(where)), dry_run)
    click.echo(publish_text(result), nl=False)
    finish(OK if result.ok else FINDINGS)


@cli.command()
@click.option("--batch", metavar="NAME", help="Only the drafts of this import (as 'casehub review' names it).")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              help="The CSV file to write. Default: print it.")
@click.pass_obj
def worklist(project, batch, output):
    """Write a CSV of drafts to share out: id, title, path, batch, source, what each needs and the command
    that fixes what a command can, with an empty assignee column.

    Example: casehub worklist --batch "Council archive 2026-11-30" -o worklist.csv
    """
    from ..core.validate import validate
    from ..curate.batches import check_batch
    from ..curate.workbench import worklist_rows, write_worklist

    report = validate(project)
    if batch is not None:  # an unknown batch: the near misses
        check_batch(batch, [d.metadata for d in report.documents + report.unfinished])
    rows = worklist_rows(project, report, batch)
    if output is None:
        write_worklist(rows, sys.stdout)
        return
    with open(output, "w", encoding="utf-8", newline="") as stream:
        write_worklist(rows, stream)
    click.echo(f"Wrote {len(rows)} draft{'s' if len(rows) != 1 else ''} to {output}.", err=True)
