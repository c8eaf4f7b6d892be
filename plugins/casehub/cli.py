"""The `casehub` command: a thin click layer over the library.

Each command parses its options and calls one library function. Exit codes:
0 clean, 1 findings (or a stopped build), 2 usage or I/O errors. Errors are
printed as sentences, never as tracebacks (`--debug` shows them).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from .core.findings import CasehubError, FindingsError
from .core.project import Project


class CasehubGroup(click.Group):
    """Turns Casehub's own errors into messages and exit codes instead of tracebacks."""

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except FindingsError as error:
            click.echo(str(error), err=True)
            sys.exit(1)
        except CasehubError as error:
            click.echo(f"Error: {error}", err=True)
            sys.exit(2)


@click.group(cls=CasehubGroup)
@click.version_option(package_name="casehub")
@click.option("--root", type=click.Path(file_okay=False, path_type=Path), default=".",
              help="The project folder (holding casestudies/ and data/). Default: the current folder.")
@click.pass_context
def cli(ctx, root):
    """Casehub: validate, build and serve a library of public service practice."""
    ctx.obj = Project(root)


@cli.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["text", "json", "github", "summary"]), default="text",
              show_default=True, help="text for people, json for programs, github for workflow annotations, "
              "summary for a Markdown job summary.")
@click.pass_obj
def validate(project, paths, fmt):
    """Check entries and report every problem with its file, line, column and fix.

    PATHS are entry files or folders; the default is the whole library.

    Example: casehub validate casestudies/my-entry.md
    """
    from .core.report import render
    from .core.validate import UsageError
    from .core.validate import validate as run

    try:
        report = run(project, list(paths) or None)
    except UsageError as error:
        raise click.UsageError(str(error)) from None
    click.echo(render(report.findings, report.checked, fmt), nl=False)
    sys.exit(0 if report.ok else 1)


@cli.command()
@click.option("--settings", default="publishconf.py", show_default=True,
              help="Pelican settings file, relative to the project.")
@click.option("--output", type=click.Path(file_okay=False, path_type=Path),
              help="Where to write the site. Default: the settings' OUTPUT_PATH (output/).")
@click.option("--format", "fmt", type=click.Choice(["text", "json", "github"]), default="text",
              show_default=True, help="How to report bad entries if the build stops.")
@click.pass_obj
def build(project, settings, output, fmt):
    """Build the site with production settings (warnings are fatal), then index it for search.

    Example: casehub build --output /tmp/site
    """
    from .core.report import render
    from .site.build import build as run
    from .site.generator import BuildStopped

    try:
        path = run(project.root, settings, output)
    except BuildStopped as stopped:
        click.echo(render(stopped.findings, stopped.checked, fmt), nl=False, err=True)
        click.echo("The site was not built: fix the problems above and build again.", err=True)
        sys.exit(1)
    click.echo(f"Built the site in {path}")


@cli.command()
@click.option("--settings", default="pelicanconf.py", show_default=True,
              help="Pelican settings file, relative to the project.")
@click.option("--bind", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8000, show_default=True, type=int, help="Port to listen on.")
@click.pass_obj
def serve(project, settings, bind, port):
    """Build with development settings, serve the site, and rebuild when anything changes.

    Example: casehub serve --port 8001
    """
    from .site.build import serve as run

    try:
        run(project.root, settings, bind, port, echo=click.echo)
    except OSError as error:
        raise CasehubError(f"cannot serve on {bind}:{port} ({error.strerror})") from None


@cli.command()
@click.option("--check", is_flag=True, help="Do not write; exit 1 if the generated docs are out of date.")
@click.pass_obj
def docs(project, check):
    """Regenerate the field reference (content/pages/fields.md) from the schema.

    Example: casehub docs --check
    """
    from .curate.docs import stale_docs, write_docs

    if check:
        stale = stale_docs(project)
        for path in stale:
            click.echo(f"{project.relative(path)} is out of date: run 'casehub docs' and commit it.", err=True)
        sys.exit(1 if stale else 0)
    for path in write_docs(project):
        click.echo(f"Wrote {project.relative(path)}")


@cli.command()
@click.pass_obj
def schema(project):
    """Print the published entry schema, with every vocabulary filled in.

    Example: casehub schema > entry.schema.json
    """
    from .core.schema import published_schema

    click.echo(json.dumps(published_schema(project), indent=2, ensure_ascii=False))


def _today(value: str | None):
    from datetime import date

    try:
        return date.fromisoformat(value) if value else date.today()
    except ValueError:
        raise click.BadParameter(f"'{value}' is not a date: write YYYY-MM-DD") from None


@cli.command()
@click.option("--topic", help="Only entries on this topic (an id from data/topics.yaml).")
@click.option("--format", "fmt", type=click.Choice(["text", "json", "markdown"]), default="text", show_default=True)
@click.option("--today", "today", metavar="YYYY-MM-DD", help="Review as if it were this date. Default: today.")
@click.pass_obj
def review(project, topic, fmt, today):
    """List what needs a facilitator: drafts, entries due or overdue for review, and weak entries.

    Each line says what to do. Exit 0 whether or not the queue is empty.

    Example: casehub review --topic climate-and-environment
    """
    from .curate.review import queue_as_markdown, queue_as_text, review_queue

    if topic and topic not in project.vocabularies["topics"].by_id:
        raise click.BadParameter(f"'{topic}' is not a topic in data/topics.yaml", param_hint="--topic")
    items = review_queue(project, _today(today), topic)
    if fmt == "json":
        click.echo(json.dumps([i.as_dict() for i in items], indent=2, ensure_ascii=False))
    else:
        click.echo((queue_as_markdown if fmt == "markdown" else queue_as_text)(items), nl=False)


@cli.command()
@click.option("--today", "today", metavar="YYYY-MM-DD", help="As if it were this date. Default: today.")
@click.pass_obj
def reminders(project, today):
    """Print, as JSON, one issue (title, label, body) per topic with overdue entries.

    The scheduled review workflow opens or updates an issue from each.

    Example: casehub reminders > reminders.json
    """
    from .curate.review import reminders as make

    click.echo(json.dumps(make(project, _today(today)), indent=2, ensure_ascii=False))


@cli.command()
@click.option("--today", "today", metavar="YYYY-MM-DD", help="Count review health as of this date. Default: today.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True,
              help="text for people, json for programs.")
@click.pass_obj
def stats(project, today, fmt):
    """Print the library's statistics: the numbers on the site's Statistics page.

    Entries by topic, region, council type, type, stage and year, contributions
    over time, review health and totals. Reads the library; builds nothing.

    Example: casehub stats --today 2026-11-22
    """
    from .core.report import render
    from .site.generator import BuildStopped, load_library
    from .site.stats import library_stats, stats_as_text

    day = _today(today)
    try:
        library = load_library(project)
    except BuildStopped as stopped:
        click.echo(render(stopped.findings, stopped.checked, "text"), nl=False, err=True)
        sys.exit(1)
    numbers = library_stats(library, project, day)
    if fmt == "json":
        click.echo(json.dumps(numbers.as_dict(), indent=2, ensure_ascii=False))
    else:
        click.echo(stats_as_text(numbers), nl=False)


def _edited(action) -> None:
    """Run one front matter edit: print what changed, and any findings the entry still has.

    Exit 0 once the file is written (findings it already had are reported, not fatal),
    1 if the edit was refused because of the file's content, 2 for an unknown id or bad value."""
    from .curate.edit import EditError, EditUsageError

    try:
        result = action()
    except EditUsageError as error:
        raise click.UsageError(str(error)) from None
    except EditError as error:
        click.echo(f"Error: {error}", err=True)
        sys.exit(1)
    click.echo(result.summary())
    if result.findings:
        for finding in result.findings:
            click.echo(str(finding), err=True)
        count = len(result.findings)
        click.echo(f"{result.path} still has {count} problem{'s' if count != 1 else ''} that this change did not "
                   f"cause: fix {'them' if count != 1 else 'it'} separately ('casehub validate {result.path}').",
                   err=True)


@cli.command()
@click.argument("entry_id", metavar="ID")
@click.option("--on", "on", metavar="YYYY-MM-DD", help="The day the entry was checked. Default: today.")
@click.pass_obj
def reviewed(project, entry_id, on):
    """Record that an entry was checked and is still accurate.

    Sets last_reviewed to the day, and review_by to the day plus the library's review
    period (review_period_months in data/casehub.yaml). Only those lines change.

    Example: casehub reviewed camden-data-charter --on 2026-11-22
    """
    from .curate.edit import record_review

    day = _today(on)
    _edited(lambda: record_review(project, entry_id, day))


@cli.command()
@click.argument("entry_id", metavar="ID")
@click.option("--reason", required=True, help="Why, in 10 to 300 characters; shown in a banner on the entry's page.")
@click.pass_obj
def archive(project, entry_id, reason):
    """Archive an entry: it keeps its page, with the reason in a banner, and leaves listings and search.

    Sets status: archived and archived_reason. Only those lines change.

    Example: casehub archive casserole-club --reason "The service closed in 2023; kept for the record."
    """
    from datetime import date

    from .curate.edit import archive as run

    _edited(lambda: run(project, entry_id, reason, date.today()))


@cli.command()
@click.argument("entry_id", metavar="ID")
@click.option("--remove", is_flag=True, help="Stop featuring the entry (removes the featured line).")
@click.pass_obj
def feature(project, entry_id, remove):
    """Feature an entry on the home page (featured: true), or stop featuring it with --remove.

    Example: casehub feature camden-data-charter --remove
    """
    from .curate.edit import feature as run

    _edited(lambda: run(project, entry_id, not remove))


@cli.command()
@click.option("--type", "entry_type", help="case-study, story, how-to or what-didnt-work.")
@click.option("--title", help="The headline: what was done and where.")
@click.option("--summary", help="One or two sentences saying what happened and what changed.")
@click.option("--organisation", help="The lead organisation's name.")
@click.option("--role", default="lead", show_default=True, help="The organisation's role.")
@click.option("--nation", help="england, scotland, wales, northern-ireland or uk.")
@click.option("--region", help="A region id from data/regions.yaml.")
@click.option("--council-type", default=None, help="A council type id from data/council-types.yaml (optional).")
@click.option("--topic", "topics", multiple=True, help="A topic id from data/topics.yaml (repeat for more).")
@click.option("--stage", help="A stage id from data/stages.yaml.")
@click.option("--contact-team", help="The team readers can contact.")
@click.option("--contact-email", default=None, help="The team's shared mailbox (or give --contact-url).")
@click.option("--contact-url", default=None, help="The team's contact page.")
@click.option("--id", "entry_id", default=None, help="The file name to use. Default: made from the title.")
@click.option("--today", "today", metavar="YYYY-MM-DD", help="The publication date to write. Default: today.")
@click.pass_obj
def new(project, entry_type, title, summary, organisation, role, nation, region, council_type, topics, stage,
        contact_team, contact_email, contact_url, entry_id, today):
    """Start a new entry: answer a few questions, get a valid draft in casestudies/.

    Asks for anything not given as an option. Never overwrites an existing file.

    Example: casehub new --type story --title "Our repairs line, redesigned with tenants"
    """
    from .contribute.new import Answers, personal_data_warnings, suggested_id, write_new_entry
    from .core.report import render
    from .core.validate import validate as run_validation

    vocab = project.vocabularies

    def choose(value, name, prompt, choices, default=None):
        if value is not None and value not in choices:
            raise click.BadParameter(f"'{value}' is not one of: {', '.join(choices)}", param_hint=name)
        return value or click.prompt(prompt, type=click.Choice(choices), default=default, show_choices=True)

    def text(value, prompt, minimum=1):
        while not value or len(value.strip()) < minimum:
            if value:
                click.echo(f"  Please write at least {minimum} characters.", err=True)
            value = click.prompt(prompt)
        return value.strip()

    entry_type = choose(entry_type, "--type", "Type of entry", vocab["types"].ids, "case-study")
    title = text(title, "Title (what was done, and where)", 5)
    summary = text(summary, "Summary (one or two sentences, 30 to 300 characters)", 30)
    organisation = text(organisation, "Lead organisation")
    role = choose(role, "--role", "Its role", ["lead", "partner", "funder", "supplier"], "lead")
    nation = choose(nation, "--nation", "Nation", ["england", "scotland", "wales", "northern-ireland", "uk"],
                    "england")
    region = choose(region, "--region", "Region", vocab["regions"].ids)
    council_type = choose(council_type, "--council-type", "Council type", vocab["council-types"].ids)
    topic_ids = vocab["topics"].ids
    for topic in topics:
        choose(topic, "--topic", "Topic", topic_ids)
    while not topics:
        answer = click.prompt(f"Topics, separated by commas (from: {', '.join(topic_ids)})")
        chosen = [t.strip() for t in answer.split(",") if t.strip()]
        unknown = [t for t in chosen if t not in topic_ids]
        if unknown:
            click.echo(f"  Not a topic: {', '.join(unknown)}", err=True)
        else:
            topics = tuple(chosen)
    stage = choose(stage, "--stage", "Stage", vocab["stages"].ids, "live")
    contact_team = text(contact_team, "Team readers can contact", 2)
    if not (contact_email or contact_url):
        contact_email = click.prompt("The team's shared mailbox (leave blank to give a web page instead)",
                                     default="", show_default=False).strip()
        if not contact_email:
            contact_url = text(None, "The team's contact web page (https://…)", 8)
    answers = Answers(entry_type, title, summary, organisation, role, nation, region, list(topics), stage,
                      contact_team, contact_email or "", contact_url or "", council_type or "",
                      entry_id or suggested_id(title))
    for warning in personal_data_warnings(answers):
        click.echo(f"Warning: {warning}", err=True)
    path = write_new_entry(project, answers, _today(today))
    click.echo(f"Wrote {project.relative(path)} (status: draft). Replace the example text under each heading "
               "with your own, then run 'casehub validate' and open a pull request.")
    report = run_validation(project, [path])
    if report.findings:
        click.echo(render(report.findings, report.checked, "text"), nl=False, err=True)
        sys.exit(1)


@cli.command("from-issue")
@click.argument("body_file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--number", type=click.IntRange(min=1), help="The issue's number, to link the pull request to it.")
@click.option("--output-dir", type=click.Path(file_okay=False, path_type=Path),
              help="Where to write the entry. Default: the library's casestudies/ folder.")
@click.option("--today", "today", metavar="YYYY-MM-DD", help="The entry's published date. Default: today.")
@click.pass_obj
def from_issue(project, body_file, number, output_dir, today):
    """Turn a 'Share a case study' issue into a draft entry, and print the pull request to open, as JSON.

    BODY_FILE holds the issue's body. Never overwrites a file: a taken id gets a
    number on the end. Exit 0 once the file is written (even with findings, which
    are in the JSON), 2 if the issue cannot be used at all.

    Example: casehub from-issue body.md --number 42
    """
    from .contribute.issueform import convert_issue, read_issue_body

    result = convert_issue(project, read_issue_body(body_file), number=number, output_dir=output_dir,
                           today=_today(today))
    click.echo(json.dumps(result.as_dict(), indent=2, ensure_ascii=False))


@cli.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.pass_obj
def labels(project, paths):
    """Print the pull request labels for entry files: type:<type> and topic:<topic>, one a line.

    Only values from the vocabularies become labels; missing or unreadable files are skipped.

    Example: casehub labels casestudies/my-entry.md
    """
    from .contribute.issueform import entry_labels

    for label in entry_labels(project, list(paths)):
        click.echo(label)


@cli.command()
@click.option("--check", is_flag=True, help="Do not write; exit 1 if .github/CODEOWNERS is out of date.")
@click.pass_obj
def codeowners(project, check):
    """Regenerate .github/CODEOWNERS: each entry is owned by its topics' facilitators.

    Example: casehub codeowners --check
    """
    from .curate.codeowners import codeowners_path, stale_codeowners, write_codeowners

    if check:
        if stale_codeowners(project):
            click.echo(f"{project.relative(codeowners_path(project))} is out of date: run 'casehub codeowners' "
                       "and commit it.", err=True)
            sys.exit(1)
        return
    click.echo(f"Wrote {project.relative(write_codeowners(project))}")


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
    from .exchange.importers import ImportOptions, build_mapping, parse_pairs, prepare, report_json, report_text

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
    from .exchange.federation import sync as run
    from .exchange.federation import sync_as_text

    results = run(project)
    if fmt == "json":
        click.echo(json.dumps([r.as_dict() for r in results], indent=2, ensure_ascii=False))
    else:
        click.echo(sync_as_text(results, project), nl=False)
    sys.exit(1 if any(r.error for r in results) else 0)


def main():
    cli(prog_name="casehub")


if __name__ == "__main__":
    main()
