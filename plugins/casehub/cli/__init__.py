"""The `casehub` command: a thin click layer over the library.

Each command parses its options and calls one library function. Exit codes:
0 clean, 1 findings (or a stopped build), 2 usage or I/O errors. Errors are
printed as sentences, never as tracebacks (`--debug` shows them).

The commands are grouped as the library is: `core` (validate, schema), `site`
(build, serve, stats), `contribute` (new, from-issue, labels), `curate`
(review, reminders, reviewed, archive, feature, codeowners, docs),
`exchange` (import, sync), `workbench` and `quickstart` (init); `app` holds the group they join.
"""

from . import contribute, core, curate, exchange, quickstart, site, workbench  # noqa: F401  (importing each adds its commands to `cli`)
from .app import cli, main

__all__ = ["cli", "main"]
