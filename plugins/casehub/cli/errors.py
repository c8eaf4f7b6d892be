"""Exit codes, and how each kind of error is told: the one place that decides them.

    0  OK        the command did its work, and found nothing to fix
    1  FINDINGS  it ran and found something to fix: findings in entries (or a build
                 stopped by them), a generated file out of date, a partner hub's
                 feed that could not be used, an edit refused because of the file
    2  ERROR     it could not run: a usage mistake, input it cannot use, an I/O error

Commands end with `finish(code)` when they ran, and raise when they could not;
`told_plainly` turns what they raise into a sentence (or their findings) and the
exit code, never a traceback. `casehub --debug` lets the traceback through.
"""

from __future__ import annotations

from contextlib import contextmanager

import click

from ..core.findings import CasehubError, FindingsError
from ..core.report import render, shown
from ..core.safetext import visible
from ..core.validate import UsageError
from ..curate.edit import EditError, EditUsageError
from ..curate.ids import AmbiguousEntryError, UnknownEntryError
from ..site.generator import BuildStopped

OK, FINDINGS, ERROR = 0, 1, 2
DEBUG = "casehub.debug"  # in click's context meta: let tracebacks through


class Failure(click.ClickException):
    """An error told as one sentence, 'Error: …', ending the command with `exit_code`."""

    def __init__(self, message: str, exit_code: int = ERROR):
        super().__init__(visible(message, lines=True))  # a path in it may hold any character
        self.exit_code = exit_code


class Findings(click.ClickException):
    """Problems already written for people (findings, a report), shown as they are; exit 1."""

    exit_code = FINDINGS

    def show(self, file=None):
        click.echo(self.message, err=True, nl=not self.message.endswith("\n"))


def _usage(error, ctx):
    return click.UsageError(visible(str(error), lines=True), ctx)


def _sentence(exit_code):
    return lambda error, ctx: Failure(str(error), exit_code)


def _os_error(error: OSError, ctx):
    where = f"{error.filename}: " if error.filename else ""
    return Failure(f"{where}{(error.strerror or str(error)).lower()}")


def _unexpected(error: Exception, ctx):
    return Failure(f"something unexpected went wrong ({type(error).__name__}: {error}). This is a bug in Casehub: "
                   "please report it, with the command you ran and what it printed with --debug "
                   "('casehub --debug ...').")


# Each kind of error, the first that matches: how it is told, and so its exit code.
TOLD = (
    (BuildStopped, lambda error, ctx: Findings(render(error.findings, error.checked, "text"))),
    (FindingsError, lambda error, ctx: Findings("\n".join(shown(f) for f in error.findings))),
    (UsageError, _usage),                 # a path that cannot be validated
    (EditUsageError, _usage),             # a value the field cannot take
    ((UnknownEntryError, AmbiguousEntryError), _usage),  # an id that names no entry, or two
    (EditError, _sentence(FINDINGS)),     # refused because of the file's content; the file is unchanged
    (CasehubError, _sentence(ERROR)),     # any other error Casehub raises on purpose
    (OSError, _os_error),
    (Exception, _unexpected),
)


def as_click_error(error: BaseException, ctx: click.Context) -> click.ClickException:
    """The message and exit code for an error a command raised, as click shows them."""
    for kind, tell in TOLD:
        if isinstance(error, kind):
            return tell(error, ctx)
    raise error


@contextmanager
def told_plainly(ctx: click.Context):
    """Run a command's work, turning any error it raises into a message and an exit code."""
    try:
        yield
    except (click.ClickException, click.exceptions.Exit, click.Abort):
        raise  # click's own: already a message and an exit code
    except (Exception, BuildStopped) as error:
        if ctx.meta.get(DEBUG):
            raise
        raise as_click_error(error, ctx) from None


def finish(code: int) -> None:
    """End the command with an exit code (it ran: OK or FINDINGS)."""
    click.get_current_context().exit(code)
