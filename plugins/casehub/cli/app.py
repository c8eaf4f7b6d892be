"""The `casehub` group: the options every command shares, and how errors end a command."""

from __future__ import annotations

from pathlib import Path

import click

from ..core.project import Project
from .errors import DEBUG, told_plainly


class CasehubCommand(click.Command):
    """A command whose errors end it as messages and exit codes (errors.py), not tracebacks."""

    def invoke(self, ctx):
        with told_plainly(ctx):
            return super().invoke(ctx)


class CasehubGroup(click.Group):
    """The group, whose commands are CasehubCommands; errors outside them are told the same way."""

    command_class = CasehubCommand

    def invoke(self, ctx):
        with told_plainly(ctx):
            return super().invoke(ctx)


@click.group(cls=CasehubGroup)
@click.version_option(package_name="casehub")
@click.option("--root", type=click.Path(file_okay=False, path_type=Path), default=".",
              help="The project folder (holding casestudies/ and data/). Default: the current folder.")
@click.option("--debug", is_flag=True,
              help="Show the traceback when a command fails, instead of a sentence (for reporting a bug).")
@click.pass_context
def cli(ctx, root, debug):
    """Casehub: validate, build and serve a library of public service practice."""
    ctx.meta[DEBUG] = debug
    ctx.obj = Project(root)


def main():
    cli(prog_name="casehub")
