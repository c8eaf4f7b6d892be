"""Helpers shared by the tests of import mapping (moved out of tests/test_import_mapping.py)."""

from __future__ import annotations

from pathlib import Path

from casehub.exchange.importers import ImportOptions, build_mapping, prepare

from .imports import IMPORT, TODAY

CATALOGUE = IMPORT / "catalogue"


HUGO = IMPORT / "hugo-archive"


HUGO_MAPPING = IMPORT / "hugo-archive.mapping.yaml"


def run(project, fmt, source, mapping=None, where=None, skip=None, defaults=None, **options):
    built = build_mapping(project, mapping, {}, defaults or {}, where, skip)
    return prepare(project, fmt, Path(source), ImportOptions(mapping=built, today=TODAY, **options)).run()


def codes(outcome) -> set[str]:
    return {note.code for note in outcome.notes}
