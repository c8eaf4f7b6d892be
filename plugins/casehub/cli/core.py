"""Commands over entries and the schema: `validate`, `schema`."""

from __future__ import annotations

import json
from pathlib import Path

import click

from .app import cli
from .errors import FINDINGS, OK, finish
from .options import format_option


@cli.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@format_option("text", "json", "github", "summary")
@click.pass_obj
def validate(project, paths, fmt):
    """Check entries and report every problem with its file, line, column and fix.

    PATHS are entry files or folders; the default is the whole library.

    Example: casehub validate casestudies/my-entry.md
    """
    from ..core.report import render
    from ..core.validate import validate as run

    report = run(project, list(paths) or None)
    click.echo(render(report.findings, report.checked, fmt), nl=False)
    finish(OK if report.ok else FINDINGS)


@cli.command()
@click.pass_obj
def schema(project):
    """Print the published entry schema, with every vocabulary filled in.

    Example: casehub schema > entry.schema.json
    """
    from ..core.schema import published_schema

    click.echo(json.dumps(published_schema(project), indent=2, ensure_ascii=False))
