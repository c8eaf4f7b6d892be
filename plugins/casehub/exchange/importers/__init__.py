"""`casehub import FORMAT SOURCE`: existing material in, entry files out.

A small registry of importers, one per kind of source:

- `csv`: a spreadsheet of case studies, one a row, with a column mapping (csv.py);
- `markdown`: a folder of Markdown files with front matter from another static
  site, Jekyll, Hugo or Eleventy (markdown.py);
- `html`: saved web pages of case studies (html.py).

Each reads its source into candidates; `common.py` turns every candidate into a
safe entry file (never overwriting one), checks it with the validator and saves
it as a draft when a person needs to look at it. `prepare` lists the work, so the
command can show progress; `ImportRun.run` does it and returns an `ImportReport`.
"""

from __future__ import annotations

from pathlib import Path

from ...core.project import Project
from .common import (
    Importer,
    ImportOptions,
    ImportReport,
    ImportRun,
    ImportUsageError,
    Mapping,
    build_mapping,
    parse_pairs,
    report_json,
    report_text,
)
from .csv import CsvImporter
from .html import HtmlImporter
from .markdown import MarkdownImporter

IMPORTERS: dict[str, type[Importer]] = {}


def register(importer: type[Importer]) -> type[Importer]:
    """Add an importer under its format name (`casehub import <format>`)."""
    IMPORTERS[importer.format] = importer
    return importer


for _importer in (CsvImporter, MarkdownImporter, HtmlImporter):
    register(_importer)


def prepare(project: Project, fmt: str, source: Path, options: ImportOptions) -> ImportRun:
    """The import, ready to run: the format is known, the source usable, its items listed.

    Raises ImportUsageError (exit 2, nothing written) otherwise."""
    importer = IMPORTERS.get(fmt)
    if importer is None:
        raise ImportUsageError(f"'{fmt}' is not a format casehub can import; use one of: "
                               + "; ".join(f"{name} ({cls.description})" for name, cls in IMPORTERS.items()))
    if not source.exists():
        raise ImportUsageError(f"{source}: no such file or folder")
    output = options.output_dir or project.entries_dir
    if not output.is_dir():
        if options.output_dir and not options.dry_run:
            raise ImportUsageError(f"{output}: no such folder; nothing was written")
        if not options.dry_run:
            output.mkdir(parents=True)
    return ImportRun(project, importer(project, source, options))


__all__ = ["IMPORTERS", "ImportOptions", "ImportReport", "ImportRun", "ImportUsageError", "Importer", "Mapping",
           "build_mapping", "parse_pairs", "prepare", "register", "report_json", "report_text"]
