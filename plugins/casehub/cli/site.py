"""Commands that build, serve and count the site: `build`, `serve`, `stats`."""

from __future__ import annotations

import json
from pathlib import Path

import click

from .app import cli
from .errors import Failure, Findings
from .options import format_option, settings_option, today_option


@cli.command()
@settings_option("publishconf.py")
@click.option("--output", type=click.Path(file_okay=False, path_type=Path),
              help="Where to write the site. Default: the settings' OUTPUT_PATH (output/).")
@format_option("text", "json", "github", help="How to report bad entries if the build stops.")
@click.option("--cache", "cache_dir", type=click.Path(file_okay=False, path_type=Path),
              help="The content cache's folder. Default: CASEHUB_CACHE, else .casehub-cache/ in the project.")
@click.option("--no-cache", is_flag=True, help="Check, render and index everything afresh, and keep nothing.")
@click.pass_obj
def build(project, settings, output, fmt, cache_dir, no_cache):
    """Build the site with production settings (warnings are fatal), then index it for search.

    Published entries must have no findings; drafts are never published, so only a finding about
    safety in one (personal data, raw HTML, an unsafe link…) stops the build. Work from earlier
    builds is reused from the content cache when its inputs are unchanged, so the site is the
    same as without it, sooner.

    Example: casehub build --output /tmp/site
    """
    from ..core.report import render
    from ..site.build import build_site
    from ..site.generator import BuildStopped

    try:
        state = build_site(project.root, settings, output, cache=False if no_cache else cache_dir or True)
    except BuildStopped as stopped:
        raise Findings(render(stopped.findings, stopped.checked, fmt)
                       + "The site was not built: fix the problems above and build again.\n") from None
    for note in state.notes:
        click.echo(f"Note: {note}", err=True)
    library = state.generator.library if state.generator else None
    click.echo(f"Built the site in {state.output}" + (
        f" ({len(library.published)} entries published)" if library else ""))
    if library and library.unfinished_drafts:
        count = library.unfinished_drafts
        click.echo(f"{count} draft{'s are' if count != 1 else ' is'} not complete yet, so not published (drafts never "
                   "are): 'casehub review' says what each needs.")


@cli.command()
@settings_option("pelicanconf.py")
@click.option("--bind", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8000, show_default=True, type=int, help="Port to listen on.")
@click.pass_obj
def serve(project, settings, bind, port):
    """Build with development settings, serve the site, and rebuild when anything changes.

    Example: casehub serve --port 8001
    """
    from ..site.build import serve as run

    try:
        run(project.root, settings, bind, port, echo=click.echo)
    except OSError as error:
        raise Failure(f"cannot serve on {bind}:{port} ({error.strerror})") from None


@cli.command()
@today_option("Count review health as of this date.")
@format_option("text", "json")
@click.pass_obj
def stats(project, today, fmt):
    """Print the library's statistics: the numbers on the site's Statistics page.

    Totals, new this month, entries by topic, region, council type, type, stage and
    year (terms with none included), contributions over time, organisations,
    contributors, review health, and the topic and council type pairs with no
    entries yet. Reads the library; builds nothing.

    Example: casehub stats --today 2026-11-22
    """
    from ..site.generator import load_library
    from ..site.stats import library_stats, stats_as_text

    library = load_library(project)  # bad entries stop it: errors.py prints their findings
    numbers = library_stats(library, project, today)
    if fmt == "json":
        click.echo(json.dumps(numbers.as_dict(), indent=2, ensure_ascii=False))
    else:
        click.echo(stats_as_text(numbers), nl=False)
