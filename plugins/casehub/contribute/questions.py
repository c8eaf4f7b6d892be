"""The questions `casehub new` asks, as data, and how an answer is matched to a choice.

Each question fills one field of `new.Answers`, and is asked only when its
option was not given. The choices come from where the library keeps them: the
vocabularies in data/*.yaml, the nations in core/entry.py and the roles the
schema allows. A choice can be answered with its id or its label, in any case
("East of England", "district", "Case study"); a wrong answer gets the closest
choices back, not the whole list.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable
from dataclasses import dataclass

from ..core.entry import NATIONS, slugify
from ..core.project import Project, fold_id
from ..core.schema import source_schema


@dataclass(frozen=True)
class Choice:
    id: str
    label: str

    def __str__(self) -> str:
        """'east-of-england' (East of England); the label is left out where it says no more than the id."""
        return f"'{self.id}'" if slugify(self.label) == self.id else f"'{self.id}' ({self.label})"


@dataclass(frozen=True)
class Question:
    name: str                 # the field of new.Answers it fills
    option: str               # the option that answers it on the command line
    prompt: str               # how it is asked
    help: str                 # the option's help; {choices} is filled in for nations and roles
    noun: str = ""            # what one choice is called: "Not a {noun}: …"
    choices: str = ""         # where the choices come from: a vocabulary's name, "nations" or "roles"; "" for text
    many: bool = False        # several choices, separated by commas (the option is repeated)
    minimum: int = 1          # text: the fewest characters
    blank: bool = False       # text: a blank answer is allowed
    default: str | None = None
    asked: bool = True        # False: never asked; the option's default stands
    when: Callable[[dict], bool] | None = None  # asked only if this holds for the answers so far


QUESTIONS = (
    Question("type", "--type", "Type of entry", "The type of entry: an id from data/types.yaml, or its label.",
             "type of entry", choices="types", default="case-study"),
    Question("title", "--title", "Title (what was done, and where)", "The headline: what was done and where.",
             minimum=5),
    Question("summary", "--summary", "Summary (one or two sentences, 30 to 300 characters)",
             "One or two sentences saying what happened and what changed.", minimum=30),
    Question("organisation", "--organisation", "Lead organisation", "The lead organisation's name."),
    Question("role", "--role", "Its role", "The organisation's role: {choices}.", "role", choices="roles",
             default="lead", asked=False),
    Question("nation", "--nation", "Nation", "The nation: {choices} (or its name, such as Northern Ireland).",
             "nation", choices="nations", default="england"),
    Question("region", "--region", "Region", "A region from data/regions.yaml: its id or its label.", "region",
             choices="regions"),
    Question("council_type", "--council-type", "Council type",
             "A council type from data/council-types.yaml: its id or its label.", "council type",
             choices="council-types"),
    Question("topics", "--topic", "Topics, separated by commas",
             "A topic from data/topics.yaml, by id or label (repeat for more).", "topic", choices="topics",
             many=True),
    Question("stage", "--stage", "Stage", "A stage from data/stages.yaml: its id or its label.", "stage",
             choices="stages", default="live"),
    Question("contact_team", "--contact-team", "Team readers can contact", "The team readers can contact.",
             minimum=2),
    Question("contact_email", "--contact-email", "The team's shared mailbox (leave blank to give a web page instead)",
             "The team's shared mailbox (or give --contact-url).", blank=True,
             when=lambda answers: not answers.get("contact_url")),
    Question("contact_url", "--contact-url", "The team's contact web page (https://…)", "The team's contact page.",
             minimum=8, when=lambda answers: not answers.get("contact_email")),
)


def _roles() -> list[Choice]:
    organisation = source_schema()["properties"]["organisations"]["items"]["properties"]
    return [Choice(role, role.capitalize()) for role in organisation["role"]["enum"]]


# Choices that are not the project's data: the same for every library.
FIXED_CHOICES: dict[str, Callable[[], list[Choice]]] = {
    "nations": lambda: [Choice(nation, label) for nation, label in NATIONS.items()],
    "roles": _roles,
}


def option_help(question: Question) -> str:
    """The option's help, with the choices written in where they do not depend on the project."""
    if question.choices in FIXED_CHOICES:
        ids = [choice.id for choice in FIXED_CHOICES[question.choices]()]
        return question.help.format(choices=", ".join(ids[:-1]) + " or " + ids[-1])
    return question.help


def choices_for(project: Project, question: Question) -> list[Choice]:
    if question.choices in FIXED_CHOICES:
        return FIXED_CHOICES[question.choices]()
    return [Choice(item["id"], item["label"]) for item in project.vocabularies[question.choices].items]


def _key(text: str) -> str:
    return slugify(text) or fold_id(text.strip())


def resolve(answer: str, choices: list[Choice]) -> str | None:
    """The id an answer names, by id or by label, ignoring case, accents and punctuation; None if none."""
    key = _key(answer)
    if not key:
        return None
    for choice in choices:
        if key in (choice.id, _key(choice.id)):
            return choice.id
    for choice in choices:
        if key == _key(choice.label):
            return choice.id
    return None


def close_to(answer: str, choices: list[Choice], most: int = 3) -> list[Choice]:
    """The choices an answer most likely meant: those it begins or is part of, then those spelt like it."""
    key = _key(answer)
    if not key:
        return []
    names: dict[str, Choice] = {}
    for choice in choices:
        names.setdefault(choice.id, choice)
        names.setdefault(_key(choice.label), choice)
    found = [choice for name, choice in names.items() if name.startswith(key)]
    found += [choice for name, choice in names.items() if len(key) >= 3 and (key in name or name in key)]
    found += [names[name] for name in difflib.get_close_matches(key, list(names), n=most, cutoff=0.6)]
    return list(dict.fromkeys(found))[:most]


def hint(answer: str, choices: list[Choice]) -> str:
    """'did you mean …?' with the closest choices, or '' when none is close."""
    close = [str(choice) for choice in close_to(answer, choices)]
    if not close:
        return ""
    return "did you mean " + (f"{', '.join(close[:-1])} or {close[-1]}" if len(close) > 1 else close[0]) + "?"
