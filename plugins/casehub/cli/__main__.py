"""`python -m casehub.cli`: the same as the `casehub` command."""

from . import main

main()
