"""Options and arguments that several commands share, made in one place.

Each is a decorator, as in Datasette and sqlite-utils, so a shared option is
spelled, checked and explained the same way wherever it appears:

    @cli.command()
    @format_option("text", "json")
    @today_option("Count review health as of this date.")
    def stats(project, fmt, today): ...
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import click

# What each output format is for, as a command's --format help says it.
FORMATS = {
    "text": "people",
    "json": "programs",
    "github": "workflow annotations",
    "summary": "a Markdown job summary",
    "markdown": "a checklist to paste into an issue",
}


class Day(click.ParamType):
    """A date written YYYY-MM-DD."""

    name = "date"

    def convert(self, value, param, ctx):
        if isinstance(value, date):
            return value
        try:
            return date.fromisoformat(value)
        except ValueError:
            self.fail(f"'{value}' is not a date: write YYYY-MM-DD", param, ctx)


def _today_if_missing(ctx, param, value):
    return value or date.today()


def today_option(help: str, *names: str):
    """`--today YYYY-MM-DD` (or the names given), passed on as a date; today when not given."""
    return click.option(*(names or ("--today",)), type=Day(), metavar="YYYY-MM-DD", callback=_today_if_missing,
                        help=f"{help} Default: today.")


def format_option(*choices: str, help: str | None = None):
    """`--format` with the given choices, passed on as `fmt`; text unless another is asked for."""
    described = ", ".join(f"{choice} for {FORMATS[choice]}" for choice in choices) + "."
    return click.option("--format", "fmt", type=click.Choice(choices), default=choices[0], show_default=True,
                        help=help or described)


def check_option(stale: str):
    """`--check`: write nothing, and exit 1 if what the command writes is stale (`stale` says so in words)."""
    return click.option("--check", is_flag=True, help=f"Do not write; exit 1 if {stale}.")


def output_dir_option(what: str):
    """`--output-dir DIR`: where to write, instead of the library's casestudies/ folder."""
    return click.option("--output-dir", type=click.Path(file_okay=False, path_type=Path),
                        help=f"Where to write {what}. Default: the library's casestudies/ folder.")


def settings_option(default: str):
    """`--settings FILE`: the Pelican settings file."""
    return click.option("--settings", default=default, show_default=True,
                        help="Pelican settings file, relative to the project.")


def entry_id_argument(function):
    """The ID argument of the commands that edit one entry."""
    return click.argument("entry_id", metavar="ID")(function)


def entry_ids_argument(function):
    """The ID… arguments of the commands that edit one entry or several: each an id, or a path to the entry."""
    return click.argument("entry_ids", metavar="ID...", nargs=-1, required=True)(function)


def selection_options(function):
    """`--batch NAME` and `--where FIELD=VALUE` (repeatable): which entries a bulk command changes,
    with or instead of the ids it is given."""
    function = click.option("--where", "where", multiple=True, metavar="FIELD=VALUE",
                            help="Only entries whose FIELD matches VALUE (* and ? match any text; case is "
                                 "ignored; an empty VALUE means the field is missing). Repeat to narrow further. "
                                 "FIELD may be a group's field: geography.region.")(function)
    return click.option("--batch", metavar="NAME",
                        help="The entries of one import: \"<source name> <date>\" as 'casehub review' shows it, "
                             "or the source name alone for every import from it.")(function)


def dry_run_option(what: str):
    """`--dry-run`: change nothing, and say what would change."""
    return click.option("--dry-run", is_flag=True, help=f"Write nothing; report what {what}.")
