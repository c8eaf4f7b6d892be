"""The README's command table is the command's reference: walking click's command tree
(as sqlite-utils and Datasette test their docs), every command and every option is in
the table, the table names nothing else, and each has help text for `--help`."""

from __future__ import annotations

import re

import click
import pytest

from casehub.cli import cli

from .support import ROOT

COMMANDS = sorted(cli.commands.items())


def readme_table() -> dict[str | None, set[str]]:
    """The README's rows, as each command's name (None for `casehub` alone) and the options they name."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("## The `casehub` command\n", 1)[1].split("\n## ", 1)[0]
    rows: dict[str | None, set[str]] = {}
    for line in section.splitlines():
        if not line.startswith("| `casehub"):
            continue
        cells = [cell.strip() for cell in re.split(r"(?<!\\)\|", line)[1:-1]]
        words = cells[0].strip("`").split()
        name = words[1] if len(words) > 1 else None
        rows.setdefault(name, set()).update(re.findall(r"(?<![\w-])--?[a-z][a-z-]*", " ".join(cells[:2])))
    return rows


def options(command: click.Command, hidden: bool = False) -> list[click.Option]:
    return [p for p in command.params if isinstance(p, click.Option) and (hidden or not p.hidden)]


def option_names(command: click.Command) -> set[str]:
    return {name for option in options(command) for name in option.opts + option.secondary_opts}


def test_every_command_has_a_row_and_every_row_a_command():
    assert set(readme_table()) - {None} == set(cli.commands)


def test_the_options_before_any_command_are_in_the_table():
    assert readme_table()[None] == option_names(cli)


@pytest.mark.parametrize(("name", "command"), COMMANDS, ids=[name for name, _ in COMMANDS])
def test_every_option_is_in_its_commands_row(name, command):
    assert readme_table().get(name, set()) == option_names(command), (
        f"the README's row for 'casehub {name}' should name exactly its options")


@pytest.mark.parametrize(("name", "command"), [(None, cli), *COMMANDS], ids=["casehub", *(n for n, _ in COMMANDS)])
def test_every_command_and_option_has_help(name, command):
    assert (command.help or "").strip(), f"'casehub {name}' has no help text (its docstring)"
    for option in options(command, hidden=True):
        assert (option.help or "").strip(), f"'{option.opts[0]}' of 'casehub {name}' has no help text"
