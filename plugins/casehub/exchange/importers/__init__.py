"""`casehub import FORMAT SOURCE`: existing material in, entry files out.

A small registry of importers, one per kind of source:

- `csv`: a spreadsheet of case studies, one a row, with a column mapping (csv.py);
- `markdown`: a folder of Markdown files with front matter from another static
  site, Jekyll, Hugo or Eleventy (markdown.py);
- `html`: saved web pages of case studies (html.py);
- `docx`: Word documents, one case study a document (docx.py);
- `feed`: an RSS or Atom feed, one entry an item (feed.py);
- `wordpress`: a WordPress export file (WXR), posts and pages with their images (wxr.py).

Each reads its source into candidates (model.py); the rest is shared, one
module a stage:

- text.py, htmltomd.py, body.py: values, HTML and bodies made safe;
- templating.py, oldsite.py: shortcodes, Liquid and kramdown rendered; a site's old addresses;
- images.py: relative images carried into the entry's folder;
- links.py: links between imported pages pointed at the new entries, others at the original;
- vocab.py, dates.py: values matched to vocabularies, dates read;
- build.py: a candidate mapped to the schema's fields, every change a note;
- writer.py: ids claimed, entries written (never overwriting one) and checked;
- run.py, report.py, redirects.py: the run over every item, its report and redirect map;
- mapping.py: mapping files, --map, --default, value crosswalks and row filters;
- redact.py: personal data taken out on the way in;
- reimport.py: an item imported before found again, and what to do with it;
- sitefiles.py: templates, slugs, expiry and sections of a static site's pages.

`prepare` lists the work, so the command can show progress; `ImportRun.run`
does it and returns an `ImportReport`. A new importer subclasses `Importer`
(or `FileImporter`), fills `Candidate`s, and is added with `register`.
"""

from __future__ import annotations

from pathlib import Path

from ...core.project import Project
from .csv import CsvImporter
from .docx import DocxImporter
from .feed import FeedImporter
from .html import HtmlImporter
from .mapping import build_mapping, parse_filters, parse_pairs
from .markdown import MarkdownImporter
from .model import Importer, ImportOptions, ImportReport, ImportUsageError, Mapping
from .oldsite import web_address
from .redirects import write_redirects
from .report import report_json, report_text
from .run import ImportRun
from .wxr import WxrImporter

IMPORTERS: dict[str, type[Importer]] = {}


def register(importer: type[Importer]) -> type[Importer]:
    """Add an importer under its format name (`casehub import <format>`)."""
    IMPORTERS[importer.format] = importer
    return importer


for _importer in (CsvImporter, MarkdownImporter, HtmlImporter, DocxImporter, FeedImporter, WxrImporter):
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
    if (options.mapping.where or options.mapping.skip) and not importer.filters:
        raise ImportUsageError(f"row filters (where:, skip:, --where, --skip) choose rows of a spreadsheet or pages "
                               f"by their front matter; a {fmt} import cannot apply them")
    if options.base_url and not web_address(options.base_url):
        raise ImportUsageError(f"--base-url '{options.base_url}' is not the address of a site on the web: "
                               "give it as https://www.example.gov.uk/")
    output = options.output_dir or project.entries_dir
    if not output.is_dir():
        if options.output_dir and not options.dry_run:
            raise ImportUsageError(f"{output}: no such folder; nothing was written")
        if not options.dry_run:
            output.mkdir(parents=True)
    return ImportRun(project, importer(project, source, options))


__all__ = ["IMPORTERS", "ImportOptions", "ImportReport", "ImportRun", "ImportUsageError", "Importer", "Mapping",
           "build_mapping", "parse_filters", "parse_pairs", "prepare", "register", "report_json", "report_text",
           "write_redirects"]
