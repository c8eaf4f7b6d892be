"""Commands that bring entries in from elsewhere: `import`, `sync`."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click
from click.core import ParameterSource

from .app import cli
from .errors import FINDINGS, OK, finish
from .options import format_option, output_dir_option, today_option


@cli.command("import")
@click.argument("source_format", metavar="FORMAT")
@click.argument("source", type=click.Path(path_type=Path))
@click.option("--map", "maps", multiple=True, metavar="FIELD=COLUMN",
              help="Which column (csv), front matter key (markdown) or label of a fact the page shows (html, "
              "as in stage='Project status') fills a field; section:<Heading>=COLUMN fills a body section. "
              "Repeat for more.")
@click.option("--mapping", type=click.Path(dir_okay=False, path_type=Path),
              help="A mapping file (see examples/import/lga-style-mapping.yaml).")
@click.option("--default", "defaults", multiple=True, metavar="FIELD=VALUE",
              help="A value for entries whose source gives none that can be used (empty, or no topic that "
              "matches), such as type=case-study.")
@click.option("--where", "where", multiple=True, metavar="COLUMN=VALUE",
              help="Import only rows (csv) or pages (markdown, by front matter) with this value; * matches "
              "anything. Repeat a column for any of several values.")
@click.option("--skip", "skip", multiple=True, metavar="COLUMN=VALUE",
              help="Leave out rows or pages with this value. Each one left out is listed in the report.")
@click.option("--source-name", help="The source in plain words, kept in each entry's source.name.")
@click.option("--base-url", metavar="URL",
              help="The original site's address (https://www.example.gov.uk/): links to its pages that were not "
              "imported point there. Default: a Jekyll or Hugo site's own configuration.")
@click.option("--redirects", "redirect_files", multiple=True, type=click.Path(dir_okay=False, path_type=Path),
              metavar="FILE", help="Write a redirect map from the old addresses to the new entries: a .csv file "
              "(old,new,entry,status) or a _redirects file (Netlify, Cloudflare Pages). Repeat for both.")
@output_dir_option("the entries")
@click.option("--on-clash", type=click.Choice(["rename", "skip"]), default="rename", show_default=True,
              help="When an entry with the same id exists: save as <id>-2 (and report it), or skip the item.")
@click.option("--dry-run", is_flag=True, help="Write nothing; report what would be imported.")
@today_option("The import date recorded in source.imported.")
@format_option("text", "json", help="How to print the report: text for people, json for programs.")
@click.option("--report", "report_format", type=click.Choice(["text", "json"]), hidden=True,
              help="The old name of --format, still accepted.")
@click.pass_obj
def import_(project, source_format, source, maps, mapping, defaults, where, skip, source_name, base_url, redirect_files,
            output_dir, on_clash, dry_run, today, fmt, report_format):
    """Turn existing material into entries: FORMAT is csv, markdown, html, docx, feed or wordpress.

    Never overwrites an entry. Entries that need a person (findings, or text the
    importer had to change) are saved as drafts, each listed with what to check.
    Importing the same source again skips what is unchanged and updates only
    drafts nobody has edited. Exit 0 once it has run (even with drafts), 2 if
    the input cannot be used.

    Links between imported pages point at the new entries; links to pages that
    were not imported point at the original site (--base-url).

    Example: casehub import csv case-studies.csv --mapping examples/import/lga-style-mapping.yaml

    Example: casehub import markdown my-hugo-site/ --base-url https://www.example.gov.uk/ --redirects _redirects
    """
    from ..exchange.importers import (
        ImportOptions,
        ImportUsageError,
        build_mapping,
        parse_filters,
        parse_pairs,
        prepare,
        report_json,
        report_text,
        write_redirects,
    )

    if report_format:  # --report: the old name of --format
        source_of_format = click.get_current_context().get_parameter_source("fmt")
        if source_of_format is ParameterSource.COMMANDLINE and report_format != fmt:
            raise click.UsageError("give the report's format once, with --format (--report is its old name)")
        fmt = report_format
    options = ImportOptions(
        mapping=build_mapping(project, mapping, parse_pairs(maps, "--map"), parse_pairs(defaults, "--default"),
                              parse_filters(where, "--where"), parse_filters(skip, "--skip")),
        output_dir=output_dir, dry_run=dry_run, today=today, on_clash=on_clash,
        source_name=(source_name or "").strip(), base_url=(base_url or "").strip())
    for path in redirect_files:
        if not path.parent.resolve().is_dir():
            raise ImportUsageError(f"{path}: no such folder for the redirect map; nothing was written")
    run = prepare(project, source_format, source, options)
    if len(run) > 20 and sys.stderr.isatty():
        with click.progressbar(length=run.steps, label="Importing", file=sys.stderr) as bar:
            report = run.run(bar.update)
    else:
        report = run.run()
    if redirect_files:
        report.notes += ["This was a dry run: no redirect map was written."] if dry_run else \
            write_redirects(report, list(redirect_files))
    click.echo((report_json if fmt == "json" else report_text)(report), nl=False)


@cli.command()
@format_option("text", "json")
@click.pass_obj
def sync(project, fmt):
    """Fetch each partner hub's entries.json (hubs.yaml) and keep a checked copy in federated/.

    Reports what was added, changed, removed or rejected, and why. A feed that cannot
    be used leaves the previous copy in place. The build reads only these copies.
    Exit 0 when every hub's feed was read (even with rejected entries), 1 otherwise.

    Example: casehub sync
    """
    from ..exchange.federation import sync as run
    from ..exchange.federation import sync_as_text

    results = run(project)
    if fmt == "json":
        click.echo(json.dumps([r.as_dict() for r in results], indent=2, ensure_ascii=False))
    else:
        click.echo(sync_as_text(results, project), nl=False)
    finish(FINDINGS if any(r.error for r in results) else OK)


