"""Starting a hub: `init`."""

from __future__ import annotations

from pathlib import Path

import click

from .app import cli

ASKED = (
    ("name", "The hub's name (for example North West Practice Hub)"),
    ("organisation", "The organisation that runs it"),
    ("repository", "Its GitHub repository, as owner/name"),
    ("url", "The site's address"),
    ("topics", None),
    ("facilitators", "Facilitators: GitHub usernames (or organisation/team), separated by commas"),
)


def _split(values) -> list[str]:
    return [part.strip() for value in values for part in value.split(",") if part.strip()]


def _topic_ids(answers: list[str], vocabulary) -> tuple[list[str], str | None]:
    """Topic ids for answers given as numbers, ids or labels ('all' for every one); or what is wrong."""
    from ..contribute.questions import Choice, hint, resolve

    choices = [Choice(item["id"], item["label"]) for item in vocabulary.items]
    if [a.lower() for a in answers] == ["all"]:
        return [c.id for c in choices], None
    found = []
    for answer in answers:
        if answer.isdigit() and 1 <= int(answer) <= len(choices):
            found.append(choices[int(answer) - 1].id)
        elif (term := resolve(answer, choices)) is not None:
            found.append(term)
        else:
            advice = hint(answer, choices) or f"give numbers from 1 to {len(choices)}, ids or names"
            return [], f"'{answer}' is not one of the topics: {advice}"
    return list(dict.fromkeys(found)), None


def _sentence(text: str) -> str:
    return text if text.endswith(("?", ".")) else text + "."


def _ask(field: str, prompt: str, default: str | None, check):
    while True:
        value = click.prompt(prompt, default=default, show_default=default is not None)
        problem = check(value)
        if not problem:
            return value
        click.echo(_sentence(problem), err=True)


@cli.command()
@click.argument("folder", type=click.Path(file_okay=False, path_type=Path), default=".")
@click.option("--name", help="The hub's name, shown on every page.")
@click.option("--organisation", help="The organisation that runs the hub.")
@click.option("--repository", metavar="OWNER/NAME", help="The hub's GitHub repository. Default: made from the "
                                                         "organisation and the name.")
@click.option("--url", help="The site's address, https://… Default: its GitHub Pages address.")
@click.option("--topic", "topics", multiple=True, help="A topic to start with, by number, id or name (repeat for "
                                                        "more, or 'all'). Default: all of Casehub's topics.")
@click.option("--facilitator", "facilitators", multiple=True,
              help="A facilitator's GitHub username or organisation/team (repeat for more).")
def init(folder, name, organisation, repository, url, topics, facilitators):
    """Start a new hub: write a ready library into FOLDER (default: here), which must not hold its files.

    Asks for the hub's name, organisation, repository, site address, topics and facilitators,
    unless the options give them (for scripts). Writes settings, vocabularies, the theme,
    pages, examples, a Makefile, requirements, GitHub workflows and an empty casestudies/.
    Never overwrites a file. Then: cd FOLDER && make serve.

    Example: casehub init north-west-hub --name "North West Practice Hub" --organisation "NW Councils"
    """
    from ..curate.quickstart import HubAnswers, default_repository, default_url, problem, start_hub, starter_topics

    vocabulary = starter_topics()
    given = {"name": name, "organisation": organisation, "repository": repository, "url": url}
    for field, value in given.items():
        if value is not None and (found := problem(field, value)):
            raise click.BadParameter(found, param_hint=f"--{field}")
    chosen, wrong = _topic_ids(_split(topics), vocabulary) if topics else (None, None)
    if wrong:
        raise click.BadParameter(wrong, param_hint="--topic")
    people = _split(facilitators) or None
    if people and (found := problem("facilitators", people)):
        raise click.BadParameter(found, param_hint="--facilitator")
    answers = dict(given)
    # Asked only in a conversation: with the name, organisation and facilitators given (a script),
    # the repository, address and topics take their defaults.
    asking = None in (name, organisation, people)
    for field, prompt in ASKED:
        if field == "topics":
            if chosen is None and not asking:
                chosen = list(vocabulary.ids)
            elif chosen is None:
                click.echo("Topics:")
                for number, item in enumerate(vocabulary.items, 1):
                    click.echo(f"  {number:>2}. {item['label']}")
                chosen = _ask_topics(vocabulary)
            continue
        if field == "facilitators":
            if people is None:
                people = _split([_ask(field, prompt, None, lambda v: problem("facilitators", _split([v])))])
            continue
        if answers[field] is None:
            default = (default_repository(answers["name"], answers["organisation"]) if field == "repository"
                       else default_url(answers["repository"]) if field == "url" else None)
            answers[field] = _ask(field, prompt, default, lambda v, f=field: problem(f, v)) if asking else default
    hub = HubAnswers(" ".join(answers["name"].split()), " ".join(answers["organisation"].split()),
                     answers["repository"], answers["url"], chosen, people)
    written = start_hub(folder, hub)
    where = "this folder" if folder == Path(".") else str(folder)
    click.echo(f"Wrote {len(written)} files to {where}: a new hub, '{hub.name}', with no entries yet.")
    click.echo(f"Next: {'' if folder == Path('.') else f'cd {folder} && '}make serve, then open "
               "http://localhost:8000/. To publish it, follow 'Setting up GitHub' in its README.md.")


def _ask_topics(vocabulary) -> list[str]:
    while True:
        value = click.prompt("Topics to start with: numbers, ids or names, separated by commas, or all",
                             default="all")
        chosen, wrong = _topic_ids(_split([value]), vocabulary)
        if not wrong and chosen:
            return chosen
        click.echo(_sentence(wrong or "Choose at least one topic"), err=True)
