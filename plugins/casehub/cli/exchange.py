"""Commands that bring entries in from elsewhere: `import`, `sync`."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from .app import _today, cli


@cli.command("import")
@click.argument("fmt", metavar="FORMAT")
@click.argument("source", type=click.Path(path_type=Path))
@click.option("--map", "maps", multiple=True, metavar="FIELD=COLUMN",
              help="Which column (csv) or front matter key (markdown) fills a field; section:<Heading>=COLUMN "
              "fills a body section. Repeat for more.")
@click.option("--mapping", type=click.Path(dir_okay=False, path_type=Path),
              help="A mapping file (see examples/import/lga-style-mapping.yaml).")
@click.option("--default", "defaults", multiple=True, metavar="FIELD=VALUE",
              help="A value for entries whose source leaves the field empty, such as type=case-study.")
@click.option("--source-name", help="The source in plain words, kept in each entry's source.name.")
@click.option("--output-dir", type=click.Path(file_okay=False, path_type=Path),
              help="Where to write the entries. Default: the library's casestudies/ folder.")
@click.option("--on-clash", type=click.Choice(["rename", "skip"]), default="rename", show_default=True,
              help="When an entry with the same id exists: save as <id>-2 (and report it), or skip the item.")
@click.option("--dry-run", is_flag=True, help="Write nothing; report what would be imported.")
@click.option("--today", "today", metavar="YYYY-MM-DD", help="The import date recorded in source.imported.")
@click.option("--report", "report_format", type=click.Choice(["text", "json"]), default="text", show_default=True,
              help="text for people, json for programs.")
@click.pass_obj
def import_(project, fmt, source, maps, mapping, defaults, source_name, output_dir, on_clash, dry_run, today,
            report_format):
    """Turn existing material into entries: FORMAT is csv, markdown or html.

    Never overwrites an entry. Entries that need a person (findings, or text the
    importer had to change) are saved as drafts, each listed with what to check.
    Exit 0 once it has run (even with drafts), 2 if the input cannot be used.

    Example: casehub import csv case-studies.csv --mapping examples/import/lga-style-mapping.yaml
    """
    from ..exchange.importers import ImportOptions, build_mapping, parse_pairs, prepare, report_json, report_text

    options = ImportOptions(
        mapping=build_mapping(project, mapping, parse_pairs(maps, "--map"), parse_pairs(defaults, "--default")),
        output_dir=output_dir, dry_run=dry_run, today=_today(today), on_clash=on_clash,
        source_name=(source_name or "").strip())
    run = prepare(project, fmt, source, options)
    if len(run) > 20 and sys.stderr.isatty():
        with click.progressbar(length=len(run), label="Importing", file=sys.stderr) as bar:
            report = run.run(bar.update)
    else:
        report = run.run()
    click.echo((report_json if report_format == "json" else report_text)(report), nl=False)


@cli.command()
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True,
              help="text for people, json for programs.")
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
    sys.exit(1 if any(r.error for r in results) else 0)


