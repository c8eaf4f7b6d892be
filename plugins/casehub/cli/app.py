"""The `casehub` group: the options every command shares, and how errors end a command."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from ..core.findings import CasehubError, FindingsError
from ..core.project import Project


class CasehubGroup(click.Group):
    """Turns Casehub's own errors into messages and exit codes instead of tracebacks."""

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except FindingsError as error:
            click.echo(str(error), err=True)
            sys.exit(1)
        except CasehubError as error:
            click.echo(f"Error: {error}", err=True)
            sys.exit(2)


@click.group(cls=CasehubGroup)
@click.version_option(package_name="casehub")
@click.option("--root", type=click.Path(file_okay=False, path_type=Path), default=".",
              help="The project folder (holding casestudies/ and data/). Default: the current folder.")
@click.pass_context
def cli(ctx, root):
    """Casehub: validate, build and serve a library of public service practice."""
    ctx.obj = Project(root)


def main():
    cli(prog_name="casehub")
